"""workflows/outbox.py: delivering what the outbox holds, retrying until it lands, never losing a notification.

A real SQLite file; rendering and sending are small plain functions, as the outbox takes them.
"""

import datetime as dt
import logging
import os
import subprocess
import sys
import threading

import pytest

from storage import outbox as table
from workflows.outbox import MAX_BACKOFF, Message, SendFailed, backoff, deliver_due, waiting

from .conftest import REPO


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


@pytest.fixture
def now() -> dt.datetime:
    """A moment just after anything a test queues (rows are due from the real clock's now)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(seconds=2)


class Slack:
    """A stand-in for Slack: records what was sent; can be told to fail."""

    def __init__(self):
        self.sent: list[tuple[str, str]] = []
        self.failures: list[Exception | None] = []  # what the next calls do, in turn: raise, or (None) succeed
        self.lock = threading.Lock()

    def render(self, notification, now) -> Message:
        return Message(f"{notification.kind} about {notification.subject}")

    def send(self, recipient_id: str, message: Message) -> tuple[str, str]:
        with self.lock:
            failure = self.failures.pop(0) if self.failures else None
            if failure:
                raise failure
            self.sent.append((recipient_id, message.text))
            return f"D-{recipient_id}", f"1700000000.{len(self.sent):06d}"


@pytest.fixture
def slack() -> Slack:
    return Slack()


def queue(database, kind="request.decide", recipient="U0HEAD", subject="REQ-0001", **kwargs) -> int:
    with database.transaction() as db:
        assert table.enqueue(db, recipient_id=recipient, kind=kind, subject=subject, **kwargs)
        return db.execute("SELECT max(id) FROM outbox").fetchone()[0]


def row(database, outbox_id: int) -> dict:
    with database.connect() as db:
        return db["outbox"].get(outbox_id)


def deliver(database, slack: Slack, now: dt.datetime, render=None, send=None) -> int:
    return deliver_due(database, render or slack.render, send or slack.send, now=now)


# --- delivering ----------------------------------------------------------------------------------------------------


def test_due_rows_are_sent_in_order_and_marked_sent_with_where_they_landed(database, slack, now):
    first = queue(database, kind="request.decide", recipient="U0HEAD")
    second = queue(database, kind="request.receipt", recipient="U0TEACH")

    assert deliver(database, slack, now) == 2

    assert slack.sent == [("U0HEAD", "request.decide about REQ-0001"), ("U0TEACH", "request.receipt about REQ-0001")]
    landed = [(first, "D-U0HEAD", "1700000000.000001"), (second, "D-U0TEACH", "1700000000.000002")]
    for outbox_id, channel, ts in landed:
        sent = row(database, outbox_id)
        assert (sent["status"], sent["channel"], sent["ts"], sent["attempts"]) == ("sent", channel, ts, 1)
        assert sent["sent_at"] and sent["last_error"] is None and sent["claimed_until"] is None
    assert deliver(database, slack, now) == 0  # sent once only
    assert waiting(database) == []


def test_a_row_not_yet_due_waits(database, slack, now):
    later = now + dt.timedelta(hours=1)
    outbox_id = queue(database, not_before=iso(later))

    assert deliver(database, slack, now) == 0
    assert deliver(database, slack, later - dt.timedelta(seconds=1)) == 0
    assert slack.sent == []
    assert row(database, outbox_id)["status"] == "pending"

    assert deliver(database, slack, later) == 1
    assert row(database, outbox_id)["status"] == "sent"


def test_the_same_notification_is_queued_once(database):
    queue(database)
    with database.transaction() as db:
        assert not table.enqueue(db, recipient_id="U0HEAD", kind="request.decide", subject="REQ-0001")
    assert len(waiting(database)) == 1


# --- failing and retrying -------------------------------------------------------------------------------------------


def test_retry_after_reschedules_exactly_that_far_ahead(database, slack, now):
    outbox_id = queue(database)
    slack.failures.append(SendFailed("ratelimited", retry_after=120))

    assert deliver(database, slack, now) == 0

    failed = row(database, outbox_id)
    assert (failed["status"], failed["attempts"], failed["last_error"]) == ("pending", 1, "ratelimited")
    assert failed["next_attempt_at"] == iso(now + dt.timedelta(seconds=120))
    assert failed["claimed_until"] is None
    assert deliver(database, slack, now + dt.timedelta(seconds=119)) == 0
    assert deliver(database, slack, now + dt.timedelta(seconds=120)) == 1
    assert slack.sent == [("U0HEAD", "request.decide about REQ-0001")]
    assert row(database, outbox_id)["attempts"] == 2


def test_without_retry_after_it_backs_off_longer_each_time(database, slack, now):
    outbox_id = queue(database)
    slack.failures += [SendFailed("internal_error"), SendFailed("internal_error")]

    deliver(database, slack, now)
    assert row(database, outbox_id)["next_attempt_at"] == iso(now + dt.timedelta(seconds=15))

    second_try = now + dt.timedelta(seconds=15)
    deliver(database, slack, second_try)
    assert row(database, outbox_id)["next_attempt_at"] == iso(second_try + dt.timedelta(seconds=30))
    assert row(database, outbox_id)["attempts"] == 2

    assert deliver(database, slack, second_try + dt.timedelta(seconds=30)) == 1


def test_backoff_doubles_up_to_an_hour():
    assert [backoff(n).total_seconds() for n in range(4)] == [15, 30, 60, 120]
    assert backoff(30) == MAX_BACKOFF == dt.timedelta(hours=1)


def test_a_failed_row_does_not_hold_up_the_others(database, slack, now):
    failing = queue(database, recipient="U0HEAD")
    fine = queue(database, kind="request.receipt", recipient="U0TEACH")
    slack.failures.append(SendFailed("ratelimited", retry_after=0))

    assert deliver(database, slack, now) == 1

    assert slack.sent == [("U0TEACH", "request.receipt about REQ-0001")]
    assert row(database, failing)["status"] == "pending"
    assert row(database, fine)["status"] == "sent"


def test_a_row_told_to_retry_at_once_waits_for_the_next_pass(database, slack, now):
    outbox_id = queue(database)
    slack.failures += [SendFailed("ratelimited", retry_after=0)] * 3
    calls = []

    def send(recipient_id, message):
        calls.append(recipient_id)
        return slack.send(recipient_id, message)

    assert deliver(database, slack, now, send=send) == 0
    assert calls == ["U0HEAD"]  # one attempt per pass, never a tight loop
    assert row(database, outbox_id)["next_attempt_at"] == iso(now)


def test_a_render_that_raises_leaves_the_row_pending_with_the_error(database, slack, now, caplog):
    outbox_id = queue(database)

    def broken(notification, now):
        raise KeyError("no such template")

    assert deliver(database, slack, now, render=broken) == 0

    kept = row(database, outbox_id)
    assert (kept["status"], kept["attempts"], kept["last_error"]) == ("pending", 1, "KeyError")
    assert kept["next_attempt_at"] == iso(now + dt.timedelta(seconds=15))
    assert any(r.levelno == logging.ERROR and r.exc_info for r in caplog.records)
    assert slack.sent == []

    later = now + dt.timedelta(seconds=15)
    assert deliver(database, slack, later) == 1  # fixed: it goes out
    assert row(database, outbox_id)["status"] == "sent"


def test_a_send_that_raises_something_unexpected_keeps_the_row_too(database, slack, now):
    outbox_id = queue(database)
    slack.failures.append(ValueError("bad blocks"))

    assert deliver(database, slack, now) == 0

    assert (row(database, outbox_id)["status"], row(database, outbox_id)["last_error"]) == ("pending", "ValueError")


def test_a_render_with_nothing_to_say_marks_the_row_done_without_sending(database, slack, now):
    outbox_id = queue(database)

    assert deliver(database, slack, now, render=lambda notification, now: None) == 1

    done = row(database, outbox_id)
    assert (done["status"], done["channel"], done["ts"]) == ("sent", None, None)
    assert slack.sent == []


def test_the_notification_handed_to_render_is_the_row(database, slack, now):
    queue(database, kind="request.decide", recipient="U0HEAD", subject="REQ-0042", late_notice_to="U0TEACH")
    seen = []

    deliver(database, slack, now, render=lambda n, moment: seen.append((n, moment)) or Message("hi"))

    [(notification, moment)] = seen
    assert moment == now  # rendered as things stand at the moment of the pass
    assert (notification.recipient_id, notification.kind, notification.subject, notification.attempts,
            notification.late_notice_to) == ("U0HEAD", "request.decide", "REQ-0042", 0, "U0TEACH")


# --- several deliverers at once --------------------------------------------------------------------------------------


def test_a_row_being_sent_is_not_sent_again_by_another_deliverer(database, slack, now):
    queue(database)
    others = []

    def slow_send(recipient_id, message):
        # While this deliverer is still sending, another (the clock, another process) runs.
        others.append(deliver(database, slack, now))
        return slack.send(recipient_id, message)

    assert deliver(database, slack, now, send=slow_send) == 1

    assert others == [0]
    assert slack.sent == [("U0HEAD", "request.decide about REQ-0001")]


def test_deliverers_racing_send_each_row_once(database, slack, now):
    for n in range(20):
        queue(database, subject=f"REQ-{n:04d}")
    start = threading.Barrier(4)
    counts = []

    def deliverer():
        start.wait()
        counts.append(deliver(database, slack, now))

    threads = [threading.Thread(target=deliverer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sum(counts) == 20
    assert sorted(text for _, text in slack.sent) == sorted(f"request.decide about REQ-{n:04d}" for n in range(20))
    assert waiting(database) == []


def test_a_claim_held_past_its_lease_can_be_taken_over(database, slack, now):
    outbox_id = queue(database)
    real = dt.datetime.now(dt.UTC)
    with database.connect() as db:
        assert table.claim(db, outbox_id, iso(real), iso(real + dt.timedelta(seconds=60)))

    assert deliver(database, slack, now) == 0  # someone is sending it
    assert deliver(database, slack, now + dt.timedelta(days=30)) == 0  # a run-due in the future does not steal it
    with database.connect() as db:  # the sender died; its lease (in real time) has run out
        db.execute("UPDATE outbox SET claimed_until = ? WHERE id = ?", [iso(real - dt.timedelta(seconds=1)), outbox_id])
    assert deliver(database, slack, now) == 1  # it is not lost


# --- telling the person who was waiting ------------------------------------------------------------------------------


def test_a_late_delivery_tells_the_person_waiting_in_the_same_pass(database, slack, now):
    outbox_id = queue(database, late_notice_to="U0TEACH")
    slack.failures.append(SendFailed("ratelimited", retry_after=0))
    deliver(database, slack, now)
    assert slack.sent == []

    assert deliver(database, slack, now) == 2

    assert slack.sent == [("U0HEAD", "request.decide about REQ-0001"),
                          ("U0TEACH", "request.decide.arrived about REQ-0001")]
    assert row(database, outbox_id)["status"] == "sent"
    assert deliver(database, slack, now + dt.timedelta(hours=1)) == 0  # told once


def test_an_arrived_notice_that_fails_is_kept_for_later(database, slack, now):
    queue(database, late_notice_to="U0TEACH")
    slack.failures.append(SendFailed("ratelimited", retry_after=0))
    deliver(database, slack, now)
    slack.failures += [None, SendFailed("ratelimited", retry_after=5)]  # the approver's DM lands; the notice fails

    assert deliver(database, slack, now) == 1

    [notice] = waiting(database)
    assert (notice["kind"], notice["recipient_id"], notice["attempts"], notice["last_error"]) == (
        "request.decide.arrived", "U0TEACH", 1, "ratelimited")
    assert deliver(database, slack, now + dt.timedelta(seconds=5)) == 1
    assert slack.sent[-1] == ("U0TEACH", "request.decide.arrived about REQ-0001")


def test_a_delivery_on_the_first_try_needs_no_notice(database, slack, now):
    queue(database, late_notice_to="U0TEACH")

    assert deliver(database, slack, now) == 1

    assert slack.sent == [("U0HEAD", "request.decide about REQ-0001")]
    assert waiting(database) == []


def test_a_late_delivery_with_nobody_waiting_tells_nobody(database, slack, now):
    queue(database)
    slack.failures.append(SendFailed("ratelimited", retry_after=0))
    deliver(database, slack, now)

    assert deliver(database, slack, now) == 1
    assert slack.sent == [("U0HEAD", "request.decide about REQ-0001")]


# --- python bot.py outbox -----------------------------------------------------------------------------------------


def test_bot_py_outbox_lists_what_is_waiting_and_why(database, slack, now, tmp_path):
    failing = queue(database, kind="request.decide", recipient="U0HEAD", subject="REQ-0001")
    slack.failures.append(SendFailed("ratelimited", retry_after=30))
    deliver(database, slack, now)
    untried = queue(database, kind="request.approved", recipient="U0TEACH", subject="REQ-0002")
    sent = queue(database, kind="request.receipt", recipient="U0TEACH", subject="REQ-0002")
    with database.connect() as db:
        table.mark_sent(db, sent, "D-U0TEACH", "1.2")
    env = {**os.environ, "DATABASE_PATH": str(database.path), "STAFF_DIRECTORY": str(tmp_path / "staff.csv"),
           "PYTHONIOENCODING": "utf-8", "SLACK_BOT_TOKEN": "", "SLACK_APP_TOKEN": "", "SLACK_SIGNING_SECRET": ""}

    result = subprocess.run([sys.executable, "bot.py", "outbox"], cwd=REPO, env=env, capture_output=True,
                            text=True, timeout=60)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[-1] == "2 notification(s) waiting."
    by_id = {line.split()[0]: line for line in lines[:-1]}
    assert set(by_id) == {f"#{failing}", f"#{untried}"}
    assert by_id[f"#{failing}"] == (
        f"#{failing} request.decide for U0HEAD about REQ-0001: failed 1 time(s): ratelimited; "
        f"next try {iso(now + dt.timedelta(seconds=30))}")
    assert by_id[f"#{untried}"].startswith(
        f"#{untried} request.approved for U0TEACH about REQ-0002: not tried yet; next try ")
