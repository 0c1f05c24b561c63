"""Confidential reports of online threats, abuse and harassment (sections 4.2, 4.3), and records of contact from
pupils or parents (section 5.2).

A case goes to the people who should act on it, and never to the person it is
about. Only those people (and admins, unless the case is about them) may act on
it. Every change is a conditional write, an audit entry and the notifications it
owes, in one transaction.
"""

import datetime as dt
from dataclasses import dataclass

from storage import audit, outbox
from storage.database import Database
from storage.timestamps import utc_now
from workflows import form_text
from workflows.directory import Directory, Person
from workflows.outcomes import Outcome

KINDS = {"harassment": "Threats, abuse or harassment", "contact": "Contact from a pupil or parent"}
SOURCES = {
    "colleague": "A colleague",
    "pupil": "A pupil",
    "parent": "A parent or family member",
    "public": "A member of the public",
    "unknown": "I don't know",
}
CONTACT_SOURCES = {"pupil": "A pupil", "parent": "A parent or family member", "other": "Someone else"}
LIMITS = {"what_happened": 3000, "platform": 100, "happened_when": 200, "evidence": 3000, "action_taken": 2000,
          "note": 3000, "outcome": 2000}
STATUS_WORDS = {"open": "waiting to be picked up", "acknowledged": "being handled", "closed": "closed"}
# Why someone was given a case, as the reporter is told it.
WHY = {
    "manager": "your Head Teacher / Manager",
    "managers_manager": "your manager's manager",
    "hr": "HR",
    "admin": "the Trust's admins, because no manager or HR contact could be found",
    "safeguarding_lead": "your academy's safeguarding lead",
    "next_up": "the next person up, because nobody had picked it up",
}
NOT_IN_DIRECTORY = ("I can't find you in the staff directory, so I can't route this. Please tell your Head Teacher / "
                    "Manager directly now, and ask your IT lead or HR to add you to the directory.")


@dataclass(frozen=True)
class ReportForm:
    kind: str
    what_happened: str
    source: str
    about_id: str | None
    platform: str
    happened_when: str = ""
    evidence: str = ""
    action_taken: str = ""
    ongoing: bool = False
    pupil_involved: bool = False
    child_at_risk: bool = False


@dataclass(frozen=True)
class Case:
    id: int
    kind: str
    reporter_id: str
    what_happened: str
    source: str
    about_id: str | None
    platform: str
    happened_when: str
    evidence: str
    action_taken: str
    ongoing: bool
    pupil_involved: bool
    child_at_risk: bool
    status: str
    acknowledged_by: str | None
    acknowledged_at: str | None
    outcome: str | None
    closed_by: str | None
    closed_at: str | None
    escalation_level: int
    escalated_at: str | None
    created_at: str

    @property
    def reference(self) -> str:
        return reference(self.id)

    @property
    def safeguarding(self) -> bool:
        return self.pupil_involved or self.child_at_risk

    @classmethod
    def from_row(cls, row: dict) -> "Case":
        values = {name: row[name] for name in cls.__dataclass_fields__}
        for flag in ("ongoing", "pupil_involved", "child_at_risk"):
            values[flag] = bool(row[flag])
        for text in ("what_happened", "platform", "happened_when", "evidence", "action_taken", "source"):
            values[text] = row[text] or ""
        return cls(**values)


@dataclass(frozen=True)
class Handler:
    person_id: str
    why: str  # a key of WHY
    level: int


def reference(case_id: int) -> str:
    return f"CASE-{case_id:04d}"


def parse_reference(text: str) -> int | None:
    return form_text.parse_reference(text, "CASE-")


def validate(form: ReportForm) -> dict[str, str]:
    errors: dict[str, str] = {}
    if form.kind not in KINDS:
        raise ValueError(f"unknown kind of report: {form.kind!r}")
    required = ["what_happened", "platform"] + (["action_taken"] if form.kind == "contact" else [])
    for name in required:
        if not form_text.has_words(getattr(form, name)):
            errors[name] = "Please fill this in."
    for name, limit in LIMITS.items():
        if len(getattr(form, name, "") or "") > limit:
            errors[name] = f"Please keep this under {limit} characters."
    choices = SOURCES if form.kind == "harassment" else CONTACT_SOURCES
    if form.source not in choices:
        errors["source"] = "Say who it came from."
    return errors


def route(directory: Directory, reporter: Person, about_id: str | None, safeguarding: bool) -> list[Handler]:
    """Who a new case goes to. The person it is about is never among them, nor is the reporter."""
    excluded = {about_id, reporter.slack_id}
    chosen: dict[str, Handler] = {}

    def add(people: list[Person], why: str) -> None:
        for person in people:
            if person.slack_id not in excluded and person.slack_id not in chosen:
                chosen[person.slack_id] = Handler(person.slack_id, why, 0)

    manager = directory.manager_of(reporter)
    if manager and manager.slack_id == about_id:
        above = [p for p in directory.chain_above(manager) if p.slack_id not in excluded][:1]
        add(above, "managers_manager")
        add(directory.with_role("hr"), "hr")
    elif manager:
        add([manager], "manager")
    if not chosen:
        add(directory.with_role("hr"), "hr")
    if not chosen:
        add(directory.with_role("admin"), "admin")
    if safeguarding:
        add(directory.with_role("safeguarding_lead", reporter.academy), "safeguarding_lead")
    return list(chosen.values())


def submit(database: Database, directory: Directory, reporter_id: str, form: ReportForm, source: str) -> Outcome:
    reporter = directory.get(reporter_id)
    if reporter is None:
        return Outcome(False, NOT_IN_DIRECTORY)
    errors = validate(form)
    if errors:
        return Outcome(False, "Please check the form.", errors=errors)
    about_id = form.about_id if form.about_id and form.about_id != reporter_id else None
    handlers = route(directory, reporter, about_id, form.pupil_involved or form.child_at_risk)
    now = utc_now()
    with database.transaction() as db:
        case_id = db["cases"].insert({
            "kind": form.kind, "reporter_id": reporter_id, "what_happened": form.what_happened.strip(),
            "source": form.source, "about_id": about_id, "platform": form.platform.strip(),
            "happened_when": form.happened_when.strip(), "evidence": form.evidence.strip(),
            "action_taken": form.action_taken.strip(), "ongoing": int(form.ongoing),
            "pupil_involved": int(form.pupil_involved), "child_at_risk": int(form.child_at_risk), "status": "open",
            "escalation_level": 0, "created_at": now, "updated_at": now,
        }).last_pk
        subject = reference(case_id)
        for handler in handlers:
            _add_handler(db, case_id, handler)
            outbox.enqueue(db, recipient_id=handler.person_id, kind="case.handle", subject=subject,
                           late_notice_to=reporter_id)
        audit.record(db, subject=subject, actor_id=reporter_id, action="reported", from_status=None,
                     to_status="open", source=source, detail=f"routed to {len(handlers)} people")
        outbox.enqueue(db, recipient_id=reporter_id, kind="case.receipt", subject=subject)
        if not [h for h in handlers if h.why in ("manager", "managers_manager", "hr")]:
            audit.record(db, subject=subject, actor_id="bot", action="no handler found", from_status="open",
                         to_status="open", source=source)
        return Outcome(True, f"Your report {subject} is saved.", _get(db, case_id))


def _add_handler(db, case_id: int, handler: Handler) -> None:
    db.execute("INSERT OR IGNORE INTO case_handlers (case_id, person_id, why, level, added_at) VALUES (?, ?, ?, ?, ?)",
               [case_id, handler.person_id, handler.why, handler.level, utc_now()])


def handlers_of(database: Database, case_id: int) -> list[Handler]:
    with database.connect() as db:
        return _handlers(db, case_id)


def _handlers(db, case_id: int) -> list[Handler]:
    # In the order they were added (rowid): added_at is to the second, so it cannot order a case's first handlers.
    rows = db["case_handlers"].rows_where("case_id = ?", [case_id], order_by="level, rowid")
    return [Handler(r["person_id"], r["why"], r["level"]) for r in rows]


def may_handle(directory: Directory, case: Case, handler_ids: set[str], actor_id: str) -> bool:
    if actor_id in (case.reporter_id, case.about_id):
        return False
    actor = directory.get(actor_id)
    return actor_id in handler_ids or bool(actor and actor.has("admin"))


REFUSAL = "This case isn't one you can act on, so nothing has changed. Case details stay with the people handling it."


def acknowledge(database: Database, directory: Directory, case_id: int, actor_id: str, source: str = "") -> Outcome:
    return _transition(database, directory, case_id, actor_id, source, action="acknowledged",
                       allowed_from=("open",), to="acknowledged",
                       columns={"acknowledged_by": actor_id, "acknowledged_at": utc_now()},
                       notify="case.acknowledged")


def close(database: Database, directory: Directory, case_id: int, actor_id: str, outcome_text: str,
          source: str = "") -> Outcome:
    outcome_text = outcome_text.strip()
    if not outcome_text:
        return Outcome(False, "Please say what the outcome is.", errors={"outcome": "Please say what the outcome is."})
    if len(outcome_text) > LIMITS["outcome"]:
        return Outcome(False, "That is too long.", errors={"outcome": f"Please keep this under {LIMITS['outcome']} "
                                                                        "characters."})
    return _transition(database, directory, case_id, actor_id, source, action="closed",
                       allowed_from=("open", "acknowledged"), to="closed",
                       columns={"outcome": outcome_text, "closed_by": actor_id, "closed_at": utc_now()},
                       notify="case.closed")


def _case_for_handler(db, directory: Directory, case_id: int, actor_id: str) -> tuple[Case | None, Outcome | None]:
    """The case, if this person may act on it; else why not."""
    case = _get(db, case_id)
    if case is None:
        return None, Outcome(False, "I can't find that case.")
    if not may_handle(directory, case, {h.person_id for h in _handlers(db, case_id)}, actor_id):
        return None, Outcome(False, REFUSAL)
    return case, None


def _transition(database: Database, directory: Directory, case_id: int, actor_id: str, source: str, *, action: str,
                allowed_from: tuple[str, ...], to: str, columns: dict, notify: str) -> Outcome:
    with database.transaction() as db:
        case, refusal = _case_for_handler(db, directory, case_id, actor_id)
        if refusal:
            return refusal
        sets = ", ".join(f"{name} = ?" for name in columns)
        marks = ", ".join("?" for _ in allowed_from)
        changed = db.execute(
            f"UPDATE cases SET status = ?, {sets}, updated_at = ? WHERE id = ? AND status IN ({marks})",
            [to, *columns.values(), utc_now(), case_id, *allowed_from]).rowcount
        if not changed:
            return Outcome(False, f"{case.reference} is already {STATUS_WORDS[case.status]}, so nothing has changed.",
                           case)
        audit.record(db, subject=case.reference, actor_id=actor_id, action=action, from_status=case.status,
                     to_status=to, source=source)
        outbox.enqueue(db, recipient_id=case.reporter_id, kind=notify, subject=case.reference)
        return Outcome(True, f"{case.reference} is {STATUS_WORDS[to]}.", _get(db, case_id))


def add_note(database: Database, directory: Directory, case_id: int, actor_id: str, note: str,
             source: str = "") -> Outcome:
    note = note.strip()
    if not note:
        return Outcome(False, "The note is empty.", errors={"note": "Please write the note."})
    if len(note) > LIMITS["note"]:
        return Outcome(False, "That note is too long.", errors={"note": f"Please keep it under {LIMITS['note']} "
                                                                        "characters."})
    with database.transaction() as db:
        case, refusal = _case_for_handler(db, directory, case_id, actor_id)
        if refusal:
            return refusal
        if case.status == "closed":
            return Outcome(False, f"{case.reference} is already closed, so the note was not added.", case,
                           errors={"note": f"{case.reference} is already closed."})
        db["case_notes"].insert({"case_id": case_id, "author_id": actor_id, "at": utc_now(), "note": note})
        audit.record(db, subject=case.reference, actor_id=actor_id, action="note added", from_status=case.status,
                     to_status=case.status, source=source)
        return Outcome(True, f"Your note is added to {case.reference}.", case)


def notes(database: Database, case_id: int) -> list[dict]:
    with database.connect() as db:
        return list(db["case_notes"].rows_where("case_id = ?", [case_id], order_by="id"))


def escalate_unacknowledged(database: Database, directory: Directory, now: dt.datetime,
                            timeout: dt.timedelta) -> list[str]:
    """Move cases nobody has acknowledged in time one level up; returns the references escalated.

    "Immediately" (4.2, 4.3) means someone must pick a case up. Each level is
    escalated once: the write is conditional on the level it read.
    """
    escalated = []
    with database.connect() as db:
        rows = list(db["cases"].rows_where("status = 'open'", order_by="id"))
    for row in rows:
        case = Case.from_row(row)
        since = dt.datetime.fromisoformat(case.escalated_at or case.created_at)
        if now - since < timeout:
            continue
        with database.transaction() as db:
            handlers = _handlers(db, case.id)
            new = _next_up(directory, case, handlers)
            if not new:
                continue  # nobody further up: the case stays with those who have it, and is nudged again
            changed = db.execute(
                "UPDATE cases SET escalation_level = escalation_level + 1, escalated_at = ?, updated_at = ? "
                "WHERE id = ? AND status = 'open' AND escalation_level = ?",
                [_iso(now), utc_now(), case.id, case.escalation_level]).rowcount
            if not changed:
                continue
            level = case.escalation_level + 1
            for handler in new:
                _add_handler(db, case.id, Handler(handler.person_id, handler.why, level))
                outbox.enqueue(db, recipient_id=handler.person_id, kind="case.handle", subject=case.reference)
            audit.record(db, subject=case.reference, actor_id="clock", action=f"escalated to level {level}",
                         from_status="open", to_status="open", source="clock", detail=f"{len(new)} more people told")
            outbox.enqueue(db, recipient_id=case.reporter_id, kind="case.escalated", subject=case.reference,
                           dedupe_key=f"{case.reference}:case.escalated:{level}")
            escalated.append(case.reference)
    return escalated


def _next_up(directory: Directory, case: Case, handlers: list[Handler]) -> list[Handler]:
    """The next person up from the most senior handler so far; else HR; else admins."""
    excluded = {case.about_id, case.reporter_id} | {h.person_id for h in handlers}
    primary = [h for h in handlers if h.why != "safeguarding_lead"]
    top = max(primary, key=lambda h: h.level, default=None)
    top_person = directory.get(top.person_id) if top else None
    if top_person:
        for person in directory.chain_above(top_person):
            if person.slack_id not in excluded:
                return [Handler(person.slack_id, "next_up", 0)]
    for role in ("hr", "admin"):
        people = [p for p in directory.with_role(role) if p.slack_id not in excluded]
        if people:
            return [Handler(p.slack_id, role, 0) for p in people]
    return []


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def get(database: Database, case_id: int) -> Case | None:
    with database.connect() as db:
        return _get(db, case_id)


def _get(db, case_id: int) -> Case | None:
    rows = list(db["cases"].rows_where("id = ?", [case_id]))
    return Case.from_row(rows[0]) if rows else None


def reported_by(database: Database, reporter_id: str) -> list[Case]:
    with database.connect() as db:
        return [Case.from_row(r) for r in db["cases"].rows_where("reporter_id = ?", [reporter_id],
                                                                   order_by="id desc", limit=20)]


def handled_by(database: Database, person_id: str) -> list[Case]:
    with database.connect() as db:
        rows = db.execute_returning_dicts(
            "SELECT cases.* FROM cases JOIN case_handlers ON cases.id = case_handlers.case_id "
            "WHERE case_handlers.person_id = ? AND cases.about_id IS NOT ? ORDER BY cases.id DESC LIMIT 20",
            [person_id, person_id])
        return [Case.from_row(r) for r in rows]
