"""CSV registers for governors and auditors."""

import csv
from typing import TextIO

from storage.database import Database
from workflows.access_requests import KINDS, STATUS_WORDS, AccessRequest, reference
from workflows.directory import Directory

PERMISSION_COLUMNS = [
    "reference", "kind", "status", "requester_id", "requester_name", "approver_id", "approver_name", "purpose",
    "platform", "account", "audience", "pupils", "consent", "trust_devices_only", "starts_on", "ends_on",
    "decided_by", "decided_at", "decision_note", "ended_by", "ended_at", "created_at",
]


def _name(directory: Directory, slack_id: str | None) -> str:
    person = directory.get(slack_id)
    return person.name if person else ""


def write_permissions(database: Database, directory: Directory, out: TextIO) -> int:
    """Every request and what became of it, oldest first; returns how many rows were written."""
    with database.connect() as db:
        rows = [AccessRequest.from_row(r) for r in db["access_requests"].rows_where(order_by="id")]
    writer = csv.DictWriter(out, fieldnames=PERMISSION_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({
            "reference": reference(r.id), "kind": KINDS[r.kind], "status": STATUS_WORDS[r.status],
            "requester_id": r.requester_id, "requester_name": _name(directory, r.requester_id),
            "approver_id": r.approver_id, "approver_name": _name(directory, r.approver_id),
            "purpose": r.purpose, "platform": r.platform, "account": r.account, "audience": r.audience,
            "pupils": r.pupils, "consent": r.consent, "trust_devices_only": "yes" if r.trust_devices_only else "no",
            "starts_on": r.starts_on.isoformat(), "ends_on": r.ends_on.isoformat(), "decided_by": r.decided_by or "",
            "decided_at": r.decided_at or "", "decision_note": r.decision_note or "", "ended_by": r.ended_by or "",
            "ended_at": r.ended_at or "", "created_at": r.created_at,
        })
    return len(rows)
