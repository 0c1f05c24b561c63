"""Open the SQLite database (sqlite-utils) and bring its schema up to date.

Each migration runs once, in order, inside a transaction; the version reached is
recorded in the `schema_version` table. Later workflows add their tables by
appending a migration, never by editing an old one.
"""

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils


def _create_question_log(db: sqlite_utils.Database) -> None:
    db["questions"].create(
        {
            "id": int,
            "asked_at": str,
            "source": str,  # dm, mention, command, console
            "question": str,
            "answered": int,
            "sections": str,  # JSON list, best first
            "verdict": str,
            "score": float,
        },
        pk="id",
    )
    db["questions"].create_index(["answered", "asked_at"])
    db["feedback"].create(
        {"question_id": int, "user_id": str, "helpful": int, "given_at": str},
        pk=("question_id", "user_id"),
        foreign_keys=[("question_id", "questions", "id")],
    )
    db["slack_events"].create({"event_id": str, "received_at": str}, pk="event_id")


def _create_requests_audit_and_outbox(db: sqlite_utils.Database) -> None:
    db["access_requests"].create(
        {
            "id": int,
            "kind": str,  # work_use (5.3) or pupil_connection (5.1)
            "requester_id": str,
            "approver_id": str,  # whose decision it is (the requester's manager when submitted)
            "purpose": str,
            "platform": str,
            "account": str,
            "audience": str,
            "pupils": str,  # none, over_16, under_16
            "consent": str,  # obtained, will_obtain, not_needed
            "trust_devices_only": int,
            "starts_on": str,
            "ends_on": str,
            "status": str,  # pending, approved, denied, withdrawn, ended
            "decided_by": str,
            "decided_at": str,
            "decision_note": str,  # a denial's reason
            "ended_by": str,
            "ended_at": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"kind", "requester_id", "approver_id", "status", "created_at"},
    )
    db["access_requests"].create_index(["requester_id"])
    db["access_requests"].create_index(["approver_id", "status"])
    db["audit_log"].create(
        {
            "id": int,
            "subject": str,  # e.g. REQ-0042
            "at": str,
            "actor_id": str,
            "action": str,
            "from_status": str,
            "to_status": str,
            "detail": str,
            "source": str,  # where it came from: a Slack action ID, the console, the clock
        },
        pk="id",
    )
    db["audit_log"].create_index(["subject"])
    db["outbox"].create(
        {
            "id": int,
            "dedupe_key": str,  # the same notification is queued once
            "recipient_id": str,
            "kind": str,
            "subject": str,
            "status": str,  # pending, sent
            "attempts": int,
            "next_attempt_at": str,
            "claimed_until": str,
            "last_error": str,
            "late_notice_to": str,  # who to tell when this arrives only after a failed attempt
            "channel": str,  # where the sent message landed, so it can be updated later
            "ts": str,
            "created_at": str,
            "sent_at": str,
        },
        pk="id",
        not_null={"dedupe_key", "recipient_id", "kind", "status", "created_at"},
    )
    db["outbox"].create_index(["dedupe_key"], unique=True)
    db["outbox"].create_index(["status", "next_attempt_at"])
    db["outbox"].create_index(["subject", "kind"])


def _create_cases(db: sqlite_utils.Database) -> None:
    db["cases"].create(
        {
            "id": int,
            "kind": str,  # harassment (4.2, 4.3) or contact (5.2)
            "reporter_id": str,
            "what_happened": str,
            "source": str,  # colleague, pupil, parent, public, unknown
            "about_id": str,  # the Slack ID of the person it is about, when they are in the directory
            "platform": str,
            "happened_when": str,
            "evidence": str,
            "action_taken": str,  # for a contact: what the member of staff did
            "ongoing": int,
            "pupil_involved": int,
            "child_at_risk": int,
            "status": str,  # open, acknowledged, closed
            "acknowledged_by": str,
            "acknowledged_at": str,
            "outcome": str,
            "closed_by": str,
            "closed_at": str,
            "escalation_level": int,
            "escalated_at": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"kind", "reporter_id", "status", "created_at"},
    )
    db["cases"].create_index(["reporter_id"])
    db["cases"].create_index(["status"])
    db["case_handlers"].create(
        {"case_id": int, "person_id": str, "why": str, "level": int, "added_at": str},
        pk=("case_id", "person_id"),
        foreign_keys=[("case_id", "cases", "id")],
    )
    db["case_handlers"].create_index(["person_id"])
    db["case_notes"].create(
        {"id": int, "case_id": int, "author_id": str, "at": str, "note": str},
        pk="id",
        foreign_keys=[("case_id", "cases", "id")],
    )


def _create_reminders_and_campaigns(db: sqlite_utils.Database) -> None:
    requests = db["access_requests"]
    requests.add_column("escalation_level", int, not_null_default=0)
    requests.add_column("escalated_at", str)
    requests.add_column("removal_confirmed_at", str)  # 5.6: the requester confirmed the contact is deleted
    db["campaigns"].create(
        {"id": int, "version": str, "material": int, "started_by": str, "started_at": str},
        pk="id",
    )
    db["campaigns"].create_index(["version"], unique=True)
    db["acknowledgements"].create(
        {"version": str, "person_id": str, "acknowledged_at": str, "source": str},
        pk=("version", "person_id"),
    )
    db["clock_lease"].create({"name": str, "holder": str, "expires_at": str}, pk="name")


def _link_renewals(db: sqlite_utils.Database) -> None:
    db["access_requests"].add_column("renews_id", int)  # the permission this request would carry on


def _thread_questions(db: sqlite_utils.Database) -> None:
    # A hash of where a question was asked (a Slack thread, a DM), so a follow-up can be read with it.
    db["questions"].add_column("conversation", str)
    db["questions"].create_index(["conversation", "asked_at"])


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _create_question_log,
    _create_requests_audit_and_outbox,
    _create_cases,
    _create_reminders_and_campaigns,
    _link_renewals,
    _thread_questions,
]
SCHEMA_VERSION = len(MIGRATIONS)


class Database:
    """Where the bot's records live. `connect()` gives a short-lived connection, safe to use from any thread."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.connect() as db:
            db.conn.execute("PRAGMA journal_mode=WAL")
            _upgrade(db)

    @contextmanager
    def connect(self) -> Iterator[sqlite_utils.Database]:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=30000")
        try:
            yield sqlite_utils.Database(conn)
        finally:
            conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """A connection whose writes all land together or not at all."""
        with self.connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def schema_version(self) -> int:
        with self.connect() as db:
            return _current_version(db)


def _current_version(db: sqlite_utils.Database) -> int:
    if "schema_version" not in db.table_names():
        return 0
    row = db.execute("SELECT max(version) FROM schema_version").fetchone()
    return row[0] or 0


def _upgrade(db: sqlite_utils.Database) -> None:
    db.execute("BEGIN IMMEDIATE")
    try:
        if "schema_version" not in db.table_names():
            db["schema_version"].create({"version": int, "applied_at": str}, pk="version")
        current = _current_version(db)
        if current > SCHEMA_VERSION:
            raise RuntimeError(
                f"{db.conn} has schema version {current}, newer than this code knows ({SCHEMA_VERSION}); "
                "run the newer version of the bot"
            )
        for version, migrate in enumerate(MIGRATIONS[current:], start=current + 1):
            migrate(db)
            db.execute("INSERT INTO schema_version VALUES (?, datetime('now'))", [version])
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
