"""Slack event IDs already handled, so a retried delivery is answered once."""

from storage.database import Database
from storage.timestamps import utc_now


def first_delivery(database: Database, event_id: str) -> bool:
    """True the first time Slack delivers this event; False for its retries."""
    with database.connect() as db:
        cursor = db.execute(
            "INSERT OR IGNORE INTO slack_events (event_id, received_at) VALUES (?, ?)", [event_id, utc_now()]
        )
        return cursor.rowcount == 1
