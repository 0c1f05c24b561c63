"""Block Kit, built by pure functions: data in, Slack JSON out. Handlers call these; they never build JSON inline."""
