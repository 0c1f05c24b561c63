"""The bot's SQLite database: opening it, upgrading its schema, and the tables each workflow owns."""
