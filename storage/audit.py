"""The audit trail: every change to a request or case, appended, never edited."""

import sqlite_utils

from storage.timestamps import utc_now


def record(db: sqlite_utils.Database, *, subject: str, actor_id: str, action: str, from_status: str | None,
           to_status: str | None, source: str, detail: str = "") -> None:
    db["audit_log"].insert({
        "subject": subject, "at": utc_now(), "actor_id": actor_id, "action": action,
        "from_status": from_status, "to_status": to_status, "detail": detail, "source": source,
    })


def trail(db: sqlite_utils.Database, subject: str) -> list[dict]:
    return list(db["audit_log"].rows_where("subject = ?", [subject], order_by="id"))
