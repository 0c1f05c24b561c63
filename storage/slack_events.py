"""Slack event IDs already handled, so a retried delivery is answered once."""

import datetime as dt

from storage.database import Database
from storage.timestamps import utc_now


def first_delivery(database: Database, event_id: str) -> bool:
    """True the first time Slack delivers this event; False for its retries."""
    with database.connect() as db:
        cursor = db.execute(
            "INSERT OR IGNORE INTO slack_events (event_id, received_at) VALUES (?, ?)", [event_id, utc_now()]
        )
        # Slack stops retrying within minutes; a day of IDs is plenty.
        db.execute("DELETE FROM slack_events WHERE received_at < ?", [utc_now(ago=dt.timedelta(days=1))])
        return cursor.rowcount == 1
