"""What the bot does, as plain Python that knows nothing of Slack: Slack, the console and the tests all drive it."""
