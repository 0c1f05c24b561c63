"""The bot in a terminal: try it on a laptop with no Slack at all."""
