"""Written permission to use social networking for work (sections 5.1, 5.3-5.6).

A request is made, decided once by the requester's approver (or an admin), and,
if approved, is the written permission until it ends. Every change is a
conditional write plus an audit entry plus the notifications it owes, in one
transaction: a double click or two approvers at once leave one decision.
"""

import datetime as dt
from dataclasses import dataclass

from storage import audit, outbox
from storage.database import Database
from storage.timestamps import utc_now
from workflows import form_text
from workflows.directory import Directory
from workflows.outcomes import Outcome
from workflows.timekeeping import local_moment, long_date

KINDS = {
    "work_use": "Use social networking for a work purpose (section 5.3)",
    "pupil_connection": "Accept or keep a connection with a pupil or a pupil's family (section 5.1)",
}
PUPILS = {
    "none": "No pupils",
    "over_16": "Pupils aged 16 or over",
    "under_16": "Pupils under 16 (or some are)",
}
CONSENT = {
    "obtained": "Parents or carers have given consent",
    "will_obtain": "I will get consent before any contact",
    "not_needed": "Not needed (no pupils, or all are 16 or over and parents are informed)",
}
LIMITS = {"purpose": 1000, "platform": 100, "account": 200, "audience": 500, "note": 1000}
MAX_LENGTH_OF_PERMISSION = dt.timedelta(days=366)
STATUS_WORDS = {
    "pending": "waiting for a decision",
    "approved": "approved",
    "denied": "not approved",
    "withdrawn": "withdrawn",
    "ended": "ended",
    "expired": "ended on its end date",
    "renewed": "carried on by a renewal",
}


@dataclass(frozen=True)
class RequestForm:
    kind: str
    purpose: str
    platform: str
    account: str
    audience: str
    pupils: str
    consent: str
    trust_devices_only: bool
    starts_on: dt.date | None
    ends_on: dt.date | None


@dataclass(frozen=True)
class AccessRequest:
    id: int
    kind: str
    requester_id: str
    approver_id: str
    purpose: str
    platform: str
    account: str
    audience: str
    pupils: str
    consent: str
    trust_devices_only: bool
    starts_on: dt.date
    ends_on: dt.date
    status: str
    decided_by: str | None
    decided_at: str | None
    decision_note: str | None
    ended_by: str | None
    ended_at: str | None
    created_at: str
    escalation_level: int = 0
    escalated_at: str | None = None
    removal_confirmed_at: str | None = None
    renews_id: int | None = None

    @property
    def reference(self) -> str:
        return reference(self.id)

    @classmethod
    def from_row(cls, row: dict) -> "AccessRequest":
        values = {name: row[name] for name in cls.__dataclass_fields__}
        values["trust_devices_only"] = bool(row["trust_devices_only"])
        values["starts_on"] = dt.date.fromisoformat(row["starts_on"])
        values["ends_on"] = dt.date.fromisoformat(row["ends_on"])
        return cls(**values)


def reference(request_id: int) -> str:
    return f"REQ-{request_id:04d}"


def parse_reference(text: str) -> int | None:
    return form_text.parse_reference(text, "REQ-")


def validate(form: RequestForm, today: dt.date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if form.kind not in KINDS:
        errors["kind"] = "Choose what you are asking permission for."
    for name in ("purpose", "platform", "account", "audience"):
        value = getattr(form, name).strip()
        if not form_text.has_words(value):
            errors[name] = "Please fill this in."
        elif len(value) > LIMITS[name]:
            errors[name] = f"Please keep this under {LIMITS[name]} characters."
    if form.pupils not in PUPILS:
        errors["pupils"] = "Say whether pupils are involved."
    if form.consent not in CONSENT:
        errors["consent"] = "Say where parental consent stands."
    elif form.pupils == "under_16" and form.consent == "not_needed":
        errors["consent"] = "Pupils under 16 need a parent's or carer's consent first (section 5.5)."
    if form.kind == "work_use" and not form.trust_devices_only:
        errors["devices"] = "Permission covers Trust / Academy devices only, not your own (section 5.3)."
    if form.starts_on is None:
        errors["starts_on"] = "Choose a start date."
    elif form.starts_on < today:
        errors["starts_on"] = ("The start date has passed: permission is agreed in advance (section 5.1). "
                               "Choose today or a later date.")
    if form.ends_on is None:
        errors["ends_on"] = "Choose an end date: contact must end when the reason for it does (section 5.6)."
    elif form.ends_on < today:
        errors["ends_on"] = "The end date has already passed."
    elif form.starts_on and form.ends_on < form.starts_on:
        errors["ends_on"] = "The end date is before the start date."
    elif form.starts_on and form.ends_on - form.starts_on > MAX_LENGTH_OF_PERMISSION:
        errors["ends_on"] = "Please ask for a year at most; you can ask again to renew."
    return errors


def submit(database: Database, directory: Directory, requester_id: str, form: RequestForm, today: dt.date,
           source: str, renews_id: int | None = None) -> Outcome:
    """A new request; `renews_id` is the requester's own permission it would carry on, if it is a renewal."""
    requester = directory.get(requester_id)
    if requester is None:
        return Outcome(False, NOT_IN_DIRECTORY)
    approvers = directory.approvers_for(requester)
    if not approvers:
        return Outcome(False, "There is nobody in the staff directory who can decide your request yet. "
                              "Please ask your Head Teacher / Manager directly, and let your IT lead know.")
    errors = validate(form, today)
    if errors:
        return Outcome(False, "Please check the form.", errors=errors)
    approver = approvers[0]
    now = utc_now()
    with database.transaction() as db:
        request_id = db["access_requests"].insert({
            "kind": form.kind, "requester_id": requester_id, "approver_id": approver.slack_id,
            "purpose": form.purpose.strip(), "platform": form.platform.strip(), "account": form.account.strip(),
            "audience": form.audience.strip(), "pupils": form.pupils, "consent": form.consent,
            "trust_devices_only": int(form.trust_devices_only), "starts_on": form.starts_on.isoformat(),
            "ends_on": form.ends_on.isoformat(), "status": "pending", "created_at": now, "updated_at": now,
            "renews_id": _own_permission(db, renews_id, requester_id),
        }).last_pk
        subject = reference(request_id)
        audit.record(db, subject=subject, actor_id=requester_id, action="submitted", from_status=None,
                     to_status="pending", source=source)
        # The approver first, so the receipt can truthfully say whether it reached them.
        outbox.enqueue(db, recipient_id=approver.slack_id, kind="request.decide", subject=subject,
                       late_notice_to=requester_id)
        outbox.enqueue(db, recipient_id=requester_id, kind="request.receipt", subject=subject)
        return Outcome(True, f"Your request {subject} is saved.", _get(db, request_id))


def _own_permission(db, request_id: int | None, requester_id: str) -> int | None:
    renewed = _get(db, request_id) if request_id else None
    return renewed.id if renewed and renewed.requester_id == requester_id else None


NOT_IN_DIRECTORY = ("I can't find you in the staff directory, so I can't send this to your Head Teacher / Manager. "
                    "Please ask them directly for now, and ask your IT lead or HR to add you to the directory.")


def decide(database: Database, directory: Directory, request_id: int, actor_id: str, approve: bool,
           note: str = "", source: str = "") -> Outcome:
    note = note.strip()
    with database.transaction() as db:
        request = _get(db, request_id)
        if request is None:
            return Outcome(False, "I can't find that request.")
        refusal = may_decide(directory, request, actor_id)
        if refusal:
            return Outcome(False, refusal, request)
        if not approve and not note:
            return Outcome(False, "Please give a reason, so the requester knows why.", request,
                           errors={"note": "Please give a reason."})
        if len(note) > LIMITS["note"]:
            return Outcome(False, "That reason is too long.", request,
                           errors={"note": f"Please keep this under {LIMITS['note']} characters."})
        status = "approved" if approve else "denied"
        now = utc_now()
        changed = db.execute(
            "UPDATE access_requests SET status = ?, decided_by = ?, decided_at = ?, decision_note = ?, "
            "updated_at = ? WHERE id = ? AND status = 'pending'",
            [status, actor_id, now, note or None, now, request_id]).rowcount
        if not changed:
            return Outcome(False, already_message(request), request)
        audit.record(db, subject=request.reference, actor_id=actor_id, action=status, from_status="pending",
                     to_status=status, source=source, detail=note)
        if approve and request.renews_id:
            _carry_on(db, request, actor_id, source)
        outbox.enqueue(db, recipient_id=request.requester_id, kind=f"request.{status}", subject=request.reference)
        decided = _get(db, request_id)
        return Outcome(True, f"{request.reference} is {STATUS_WORDS[status]}.", decided)


def may_decide(directory: Directory, request: AccessRequest, actor_id: str) -> str | None:
    """Why this person may not decide this request, or None if they may."""
    if actor_id == request.requester_id:
        return "You can't decide your own request. It is with your Head Teacher / Manager."
    actor = directory.get(actor_id)
    if actor_id == request.approver_id or (actor and actor.has("admin")):
        return None
    return "Only the person this request was sent to can decide it. Nothing has changed."


def _carry_on(db, renewal: AccessRequest, actor_id: str, source: str) -> None:
    """An approved renewal takes over from the permission it renews: the contact carries on, so the old one
    neither lapses nor asks for the contact to be removed."""
    old = _get(db, renewal.renews_id)
    now = utc_now()
    changed = db.execute(
        "UPDATE access_requests SET status = 'renewed', ended_at = ?, updated_at = ? "
        "WHERE id = ? AND status IN ('approved', 'expired') AND removal_confirmed_at IS NULL",
        [now, now, renewal.renews_id]).rowcount
    if changed:
        audit.record(db, subject=old.reference, actor_id=actor_id, action="renewed", from_status=old.status,
                     to_status="renewed", source=source, detail=f"carried on by {renewal.reference}")


def already_message(request: AccessRequest) -> str:
    return f"{request.reference} was already {STATUS_WORDS[request.status]}, so nothing has changed."


def withdraw(database: Database, request_id: int, actor_id: str, source: str = "") -> Outcome:
    with database.transaction() as db:
        request = _get(db, request_id)
        if request is None:
            return Outcome(False, "I can't find that request.")
        if actor_id != request.requester_id:
            return Outcome(False, "Only the person who made a request can withdraw it.", request)
        changed = db.execute(
            "UPDATE access_requests SET status = 'withdrawn', updated_at = ? WHERE id = ? AND status = 'pending'",
            [utc_now(), request_id]).rowcount
        if not changed:
            return Outcome(False, already_message(request), request)
        audit.record(db, subject=request.reference, actor_id=actor_id, action="withdrawn", from_status="pending",
                     to_status="withdrawn", source=source)
        outbox.enqueue(db, recipient_id=request.approver_id, kind="request.withdrawn", subject=request.reference)
        return Outcome(True, f"{request.reference} is withdrawn.", _get(db, request_id))


def end_permission(database: Database, directory: Directory, request_id: int, actor_id: str,
                   source: str = "") -> Outcome:
    """Section 5.6: when the reason ends, the permission and the contact end. Either side may end it early.

    The requester ending it confirms, in the same click, that the contact is removed; if the approver ends it,
    the requester is asked to confirm that."""
    with database.transaction() as db:
        request = _get(db, request_id)
        if request is None:
            return Outcome(False, "I can't find that request.")
        actor = directory.get(actor_id)
        if actor_id not in (request.requester_id, request.approver_id) and not (actor and actor.has("admin")):
            return Outcome(False, "Only the requester or their Head Teacher / Manager can end this permission.",
                           request)
        now = utc_now()
        if request.status == "expired" and actor_id == request.requester_id and not request.removal_confirmed_at:
            # It lapsed before they clicked "It has ended, contact removed": the click still says the contact is gone.
            db.execute("UPDATE access_requests SET removal_confirmed_at = ?, updated_at = ? WHERE id = ? "
                       "AND removal_confirmed_at IS NULL", [now, now, request_id])
            audit.record(db, subject=request.reference, actor_id=actor_id, action="contact removal confirmed",
                         from_status="expired", to_status="expired", source=source)
            return Outcome(True, f"{request.reference} had already ended on its end date. Thank you: that's "
                                 "recorded, the contact has been removed (section 5.6).", _get(db, request_id))
        changed = db.execute(
            "UPDATE access_requests SET status = 'ended', ended_by = ?, ended_at = ?, updated_at = ?, "
            "removal_confirmed_at = CASE WHEN ? = requester_id THEN ? END "
            "WHERE id = ? AND status = 'approved'", [actor_id, now, now, actor_id, now, request_id]).rowcount
        if not changed:
            return Outcome(False, f"{request.reference} is {STATUS_WORDS[request.status]}, so there is nothing "
                                  "to end.", request)
        audit.record(db, subject=request.reference, actor_id=actor_id, action="ended", from_status="approved",
                     to_status="ended", source=source)
        for person in {request.requester_id, request.approver_id}:
            outbox.enqueue(db, recipient_id=person, kind="request.ended", subject=request.reference)
        return Outcome(True, f"{request.reference} has ended.", _get(db, request_id))


def get(database: Database, request_id: int) -> AccessRequest | None:
    with database.connect() as db:
        return _get(db, request_id)


def _get(db, request_id: int) -> AccessRequest | None:
    rows = list(db["access_requests"].rows_where("id = ?", [request_id]))
    return AccessRequest.from_row(rows[0]) if rows else None


def requests_by(database: Database, requester_id: str) -> list[AccessRequest]:
    with database.connect() as db:
        rows = db["access_requests"].rows_where("requester_id = ?", [requester_id], order_by="id desc", limit=20)
        return [AccessRequest.from_row(r) for r in rows]


def waiting_for(database: Database, directory: Directory, person_id: str) -> list[AccessRequest]:
    """Pending requests this person may decide: sent to them, or any for an admin (never their own)."""
    person = directory.get(person_id)
    with database.connect() as db:
        if person and person.has("admin"):
            rows = db["access_requests"].rows_where("status = 'pending' AND requester_id != ?", [person_id],
                                                    order_by="id")
        else:
            rows = db["access_requests"].rows_where("status = 'pending' AND approver_id = ?", [person_id],
                                                    order_by="id")
        return [AccessRequest.from_row(r) for r in rows]


def history(database: Database, request_id: int) -> list[dict]:
    with database.connect() as db:
        return audit.trail(db, reference(request_id))


def conditions(request: AccessRequest) -> list[str]:
    """What the written permission holds the requester to, from the protocol."""
    found = ["Keep a log of any communication with pupils or their families (section 5.4)."]
    if request.kind == "work_use":
        found.insert(0, "Use Trust / Academy devices only, never your own phone or computer (section 5.3).")
    if request.pupils == "under_16":
        found.append("Have a parent's or carer's consent before any contact with a pupil under 16 (section 5.5).")
    elif request.pupils == "over_16":
        found.append("Let parents know you will be in contact, and why (section 5.5).")
    found.append(f"When the reason ends, and by {long_date(request.ends_on)} at the latest, end the contact and "
                 "delete it: remove the connection or close the group (section 5.6).")
    return found


def permission_statement(request: AccessRequest, requester_name: str, approver_name: str, timezone: str) -> str:
    """The written permission, in plain words: what is permitted, where, for whom, until when, on what terms."""
    what = "to use social networking for this work purpose" if request.kind == "work_use" else \
        "to accept or keep this online connection with a pupil or a pupil's family"
    lines = [
        f"Written permission {request.reference}",
        f"{approver_name} gives {requester_name} permission {what}:",
        f"Purpose: {request.purpose}",
        f"Where: {request.platform}, on the account {request.account}",
        f"With: {request.audience} ({PUPILS[request.pupils].lower()})",
        f"From {long_date(request.starts_on)} until {long_date(request.ends_on)}.",
        "On these conditions:",
        *[f"- {c}" for c in conditions(request)],
    ]
    if request.decided_at:
        lines.append(f"Approved on {local_moment(request.decided_at, timezone)}.")
    return "\n".join(lines)


def confirm_removal(database: Database, request_id: int, actor_id: str, source: str = "") -> Outcome:
    """Section 5.6: the requester confirms the online contact has been removed (friend status deleted, group ended)."""
    with database.transaction() as db:
        request = _get(db, request_id)
        if request is None or actor_id != request.requester_id:
            return Outcome(False, "Only the person the permission was given to can confirm this.")
        changed = db.execute(
            "UPDATE access_requests SET removal_confirmed_at = ?, updated_at = ? WHERE id = ? "
            "AND status IN ('ended', 'expired') AND removal_confirmed_at IS NULL",
            [utc_now(), utc_now(), request_id]).rowcount
        if not changed:
            already = request.removal_confirmed_at is not None
            return Outcome(False, "You've already confirmed that, thank you." if already else
                           f"{request.reference} is {STATUS_WORDS[request.status]}, so there is nothing to confirm.",
                           request)
        audit.record(db, subject=request.reference, actor_id=actor_id, action="contact removal confirmed",
                     from_status=request.status, to_status=request.status, source=source)
        return Outcome(True, "Thank you. That's recorded: the contact has been removed (section 5.6).",
                       _get(db, request_id))
