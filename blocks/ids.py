"""Every action and block ID the bot sends to Slack, written once."""

ANSWER_HELPFUL = "answer_helpful"
ANSWER_NOT_HELPFUL = "answer_not_helpful"
FEEDBACK_BLOCK = "answer_feedback"
