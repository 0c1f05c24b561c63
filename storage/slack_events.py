"""Slack event IDs already handled, so a retried delivery is answered once."""

import datetime as dt

from storage.database import Database


def first_delivery(database: Database, event_id: str) -> bool:
    """True the first time Slack delivers this event; False for its retries."""
    with database.connect() as db:
        cursor = db.execute(
            "INSERT OR IGNORE INTO slack_events (event_id, received_at) VALUES (?, ?)", [event_id, dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")]
        )
        return cursor.rowcount == 1
