"""The outbox table: every notification the bot owes someone, kept until it is delivered.

Several processes may deliver at once; a row is claimed with a conditional
update before it is sent, so only one of them sends it.
"""

import sqlite_utils

from storage.timestamps import utc_now


def enqueue(db: sqlite_utils.Database, *, recipient_id: str, kind: str, subject: str,
            dedupe_key: str | None = None, not_before: str | None = None, late_notice_to: str | None = None) -> bool:
    """Queue a notification; False if one with the same key is already queued or sent."""
    now = utc_now()
    cursor = db.execute(
        "INSERT OR IGNORE INTO outbox (dedupe_key, recipient_id, kind, subject, status, attempts, next_attempt_at, "
        "late_notice_to, created_at) VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?)",
        [dedupe_key or f"{subject}:{kind}:{recipient_id}", recipient_id, kind, subject, not_before or now,
         late_notice_to, now],
    )
    return cursor.rowcount == 1


def due(db: sqlite_utils.Database, now: str, clock_now: str) -> list[dict]:
    """Pending rows due by `now` (the schedule's time, which run-due may move) that nobody holds a claim on
    at `clock_now` (the real time: claims are about processes that are alive now)."""
    return list(db["outbox"].rows_where(
        "status = 'pending' AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)",
        [now, clock_now], order_by="id"))


def claim(db: sqlite_utils.Database, outbox_id: int, now: str, until: str) -> bool:
    cursor = db.execute(
        "UPDATE outbox SET claimed_until = ? WHERE id = ? AND status = 'pending' "
        "AND (claimed_until IS NULL OR claimed_until < ?)", [until, outbox_id, now])
    return cursor.rowcount == 1


def mark_sent(db: sqlite_utils.Database, outbox_id: int, channel: str | None, ts: str | None) -> None:
    db.execute("UPDATE outbox SET status = 'sent', sent_at = ?, channel = ?, ts = ?, claimed_until = NULL, "
               "attempts = attempts + 1, last_error = NULL WHERE id = ?", [utc_now(), channel, ts, outbox_id])


def mark_failed(db: sqlite_utils.Database, outbox_id: int, error: str, next_attempt_at: str) -> None:
    db.execute("UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, "
               "claimed_until = NULL WHERE id = ?", [error, next_attempt_at, outbox_id])


def waiting(db: sqlite_utils.Database) -> list[dict]:
    return list(db["outbox"].rows_where("status = 'pending'", order_by="next_attempt_at, id"))


def find(db: sqlite_utils.Database, *, subject: str, kind: str) -> list[dict]:
    return list(db["outbox"].rows_where("subject = ? AND kind = ?", [subject, kind], order_by="id"))


def sent(db: sqlite_utils.Database, *, subject: str, kind: str) -> list[dict]:
    """The messages of this kind about this subject that were delivered, with where they landed."""
    return list(db["outbox"].rows_where("subject = ? AND kind = ? AND status = 'sent'", [subject, kind],
                                        order_by="id"))
