"""Delivering what the outbox holds: each notification is rendered as things stand when it is sent, sent, and
retried with backoff (honouring Retry-After) until it lands. Nothing is dropped.

Rendering and sending are handed in, so this knows nothing of Slack.
"""

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from storage import outbox
from storage.database import Database

log = logging.getLogger(__name__)

LEASE = dt.timedelta(seconds=60)  # how long a sender may hold a notification before another may try
MAX_BACKOFF = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Notification:
    id: int
    recipient_id: str
    kind: str
    subject: str
    attempts: int
    late_notice_to: str | None = None


@dataclass(frozen=True)
class Message:
    text: str
    blocks: list[dict[str, Any]] | None = None


class SendFailed(Exception):
    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


Render = Callable[[Notification, dt.datetime], Message | None]  # as of that moment; None: nothing to say any more
Send = Callable[[str, Message], tuple[str | None, str | None]]  # to whom, what -> (channel, ts)


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def backoff(attempts: int) -> dt.timedelta:
    return min(dt.timedelta(seconds=15 * 2**attempts), MAX_BACKOFF)


def deliver_due(database: Database, render: Render, send: Send, now: dt.datetime | None = None) -> int:
    """Send every notification that is due; returns how many were sent."""
    now = now or dt.datetime.now(dt.UTC)
    sent, tried = 0, set()
    while True:
        # Again after each round: what a delivery queues (a `.arrived` notice) goes out in the same pass. Each row
        # is tried once per pass, so one that fails with Retry-After 0 waits for the next pass.
        with database.connect() as db:
            clock_now = dt.datetime.now(dt.UTC)
            rows = [row for row in outbox.due(db, _iso(now), _iso(clock_now)) if row["id"] not in tried]
        if not rows:
            return sent
        tried.update(row["id"] for row in rows)
        sent += _deliver(database, rows, render, send, now)


def _deliver(database: Database, rows: list[dict], render: Render, send: Send, now: dt.datetime) -> int:
    sent = 0
    for row in rows:
        clock_now = dt.datetime.now(dt.UTC)  # a claim is held in real time, whatever time the schedule is at
        with database.connect() as db:
            if not outbox.claim(db, row["id"], _iso(clock_now), _iso(clock_now + LEASE)):
                continue  # another process has it
        notification = Notification(row["id"], row["recipient_id"], row["kind"], row["subject"], row["attempts"],
                                    row["late_notice_to"])
        try:
            message = render(notification, now)
            channel, ts = send(notification.recipient_id, message) if message else (None, None)
        except SendFailed as failure:
            wait = dt.timedelta(seconds=failure.retry_after) if failure.retry_after is not None \
                else backoff(notification.attempts)
            _failed(database, notification, failure.reason, now + wait)
            continue
        except Exception as error:  # a bug in rendering must not lose the notification either
            log.exception("notification %s (%s, %s) could not be rendered or sent", notification.id,
                          notification.kind, notification.subject)
            _failed(database, notification, type(error).__name__, now + backoff(notification.attempts))
            continue
        with database.transaction() as db:
            outbox.mark_sent(db, notification.id, channel, ts)
            if notification.late_notice_to and notification.attempts > 0:
                # The person waiting was told it had not gone through yet: tell them it has now.
                outbox.enqueue(db, recipient_id=notification.late_notice_to, kind=f"{notification.kind}.arrived",
                               subject=notification.subject, not_before=_iso(now))
        sent += 1
    return sent


def _failed(database: Database, notification: Notification, reason: str, next_attempt: dt.datetime) -> None:
    log.warning("notification %s (%s, %s) not delivered: %s; next try %s", notification.id, notification.kind,
                notification.subject, reason, _iso(next_attempt))
    with database.connect() as db:
        outbox.mark_failed(db, notification.id, reason, _iso(next_attempt))


def waiting(database: Database) -> list[dict]:
    """What is waiting to be delivered, and why (for `python bot.py outbox`)."""
    with database.connect() as db:
        return outbox.waiting(db)
