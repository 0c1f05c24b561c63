"""CSV registers for governors and auditors."""

import csv
from typing import TextIO

from storage.database import Database
from workflows import campaigns
from workflows.access_requests import KINDS, STATUS_WORDS, AccessRequest, reference
from workflows.cases import KINDS as CASE_KINDS
from workflows.cases import STATUS_WORDS as CASE_STATUS
from workflows.cases import Case, handlers_of
from workflows.directory import Directory

PERMISSION_COLUMNS = [
    "reference", "kind", "status", "requester_id", "requester_name", "approver_id", "approver_name", "purpose",
    "platform", "account", "audience", "pupils", "consent", "trust_devices_only", "starts_on", "ends_on",
    "decided_by", "decided_at", "decision_note", "ended_by", "ended_at", "created_at",
]


class _SafeWriter(csv.DictWriter):
    """Text is exported as typed, except that a cell a spreadsheet would run as a formula is marked as text."""

    def writerow(self, row):
        return super().writerow({k: "'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r")
                                 else v for k, v in row.items()})


def _name(directory: Directory, slack_id: str | None) -> str:
    person = directory.get(slack_id)
    return person.name if person else ""


def write_permissions(database: Database, directory: Directory, out: TextIO) -> int:
    """Every request and what became of it, oldest first; returns how many rows were written."""
    with database.connect() as db:
        rows = [AccessRequest.from_row(r) for r in db["access_requests"].rows_where(order_by="id")]
    writer = _SafeWriter(out, fieldnames=PERMISSION_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({
            "reference": reference(r.id), "kind": KINDS[r.kind], "status": STATUS_WORDS[r.status],
            "requester_id": r.requester_id, "requester_name": _name(directory, r.requester_id),
            "approver_id": r.approver_id, "approver_name": _name(directory, r.approver_id),
            "purpose": r.purpose, "platform": r.platform, "account": r.account, "audience": r.audience,
            "pupils": r.pupils, "consent": r.consent, "trust_devices_only": _yes(r.trust_devices_only),
            "starts_on": r.starts_on.isoformat(), "ends_on": r.ends_on.isoformat(), "decided_by": r.decided_by or "",
            "decided_at": r.decided_at or "", "decision_note": r.decision_note or "", "ended_by": r.ended_by or "",
            "ended_at": r.ended_at or "", "created_at": r.created_at,
        })
    return len(rows)


CASE_COLUMNS = [
    "reference", "kind", "status", "reporter_id", "reporter_name", "source", "ongoing", "pupil_involved",
    "child_at_risk", "handlers", "escalation_level", "created_at", "acknowledged_by", "acknowledged_at", "closed_by",
    "closed_at",
]
CASE_TEXT_COLUMNS = ["about_id", "platform", "what_happened", "happened_when", "evidence", "action_taken", "outcome"]


def write_cases(database: Database, directory: Directory, admin_id: str, out: TextIO, with_text: bool = False) -> int:
    """The register of cases, for an admin. Free text (and who a case is about) only when asked for; cases about
    the admin themselves are left out."""
    admin = directory.get(admin_id)
    if admin is None or not admin.has("admin"):
        raise PermissionError(f"{admin_id} is not an admin in the staff directory")
    with database.connect() as db:
        rows = [Case.from_row(r) for r in db["cases"].rows_where("about_id IS NOT ?", [admin_id], order_by="id")]
    writer = _SafeWriter(out, fieldnames=CASE_COLUMNS + (CASE_TEXT_COLUMNS if with_text else []),
                            lineterminator="\n")
    writer.writeheader()
    for case in rows:
        row = {
            "reference": case.reference, "kind": CASE_KINDS[case.kind], "status": CASE_STATUS[case.status],
            "reporter_id": case.reporter_id, "reporter_name": _name(directory, case.reporter_id),
            "source": case.source, "ongoing": _yes(case.ongoing),
            "pupil_involved": _yes(case.pupil_involved), "child_at_risk": _yes(case.child_at_risk),
            "handlers": "; ".join(_name(directory, h.person_id) or h.person_id
                                  for h in handlers_of(database, case.id)),
            "escalation_level": case.escalation_level, "created_at": case.created_at,
            "acknowledged_by": case.acknowledged_by or "", "acknowledged_at": case.acknowledged_at or "",
            "closed_by": case.closed_by or "", "closed_at": case.closed_at or "",
        }
        if with_text:
            row |= {"about_id": case.about_id or "", "platform": case.platform, "what_happened": case.what_happened,
                    "happened_when": case.happened_when, "evidence": case.evidence,
                    "action_taken": case.action_taken, "outcome": case.outcome or ""}
        writer.writerow(row)
    return len(rows)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


ACKNOWLEDGEMENT_COLUMNS = ["version", "person_id", "name", "academy", "acknowledged_at", "source"]


def write_acknowledgements(database: Database, directory: Directory, out: TextIO) -> int:
    """Who acknowledged which version of the protocol, and when; for the current campaign, who has not yet."""
    with database.connect() as db:
        rows = list(db["acknowledgements"].rows_where(order_by="version, acknowledged_at"))
    writer = _SafeWriter(out, fieldnames=ACKNOWLEDGEMENT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        person = directory.get(row["person_id"])
        writer.writerow({**row, "name": person.name if person else "", "academy": person.academy if person else ""})
    campaign = campaigns.current(database)
    pending = campaigns.not_yet_acknowledged(database, directory, campaign.version) if campaign else []
    for person in pending:
        writer.writerow({"version": campaign.version, "person_id": person.slack_id, "name": person.name,
                         "academy": person.academy, "acknowledged_at": "", "source": "not yet acknowledged"})
    return len(rows) + len(pending)
