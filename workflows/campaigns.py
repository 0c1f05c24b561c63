"""Read and acknowledge: every member of staff confirms they have read the current version of the protocol (3.2:
staff must be fully informed of it). A new version asks again only when its owner marks the change as material.
"""

import datetime as dt
from dataclasses import dataclass

from storage import audit, outbox
from storage.database import Database
from storage.timestamps import utc_now
from workflows.directory import Directory, Person
from workflows.outcomes import Outcome

MAY_START = ("admin", "policy_owner")


@dataclass(frozen=True)
class Campaign:
    id: int
    version: str
    material: bool
    started_by: str
    started_at: str


def subject(version: str) -> str:
    return f"POLICY-{version}"


def current(database: Database) -> Campaign | None:
    with database.connect() as db:
        rows = list(db["campaigns"].rows_where(order_by="id desc", limit=1))
    return Campaign(**{**rows[0], "material": bool(rows[0]["material"])}) if rows else None


def start(database: Database, directory: Directory, version: str, actor_id: str, material: bool,
          source: str) -> Outcome:
    actor = directory.get(actor_id)
    if actor is None or not any(actor.has(role) for role in MAY_START):
        return Outcome(False, "Only an admin or the policy owner can start a read-and-acknowledge campaign.")
    now = utc_now()
    with database.transaction() as db:
        if list(db["campaigns"].rows_where("version = ?", [version])):
            return Outcome(False, "A campaign for this version of the protocol is already running.")
        previous = list(db["campaigns"].rows_where(order_by="id desc", limit=1))
        campaign_id = db["campaigns"].insert({"version": version, "material": int(material), "started_by": actor_id,
                                              "started_at": now}).last_pk
        if previous and not material:
            # A minor change: whoever acknowledged the last version need not do it again.
            db.execute("INSERT OR IGNORE INTO acknowledgements (version, person_id, acknowledged_at, source) "
                       "SELECT ?, person_id, acknowledged_at, ? FROM acknowledgements WHERE version = ?",
                       [version, f"carried over from {previous[0]['version']}", previous[0]["version"]])
        done = {r["person_id"] for r in db["acknowledgements"].rows_where("version = ?", [version])}
        asked = [p for p in directory.people.values() if p.slack_id not in done]
        for person in asked:
            outbox.enqueue(db, recipient_id=person.slack_id, kind="policy.acknowledge", subject=subject(version),
                           dedupe_key=f"{subject(version)}:acknowledge:{person.slack_id}:0")
        audit.record(db, subject=subject(version), actor_id=actor_id, action="campaign started", from_status=None,
                     to_status="running", source=source,
                     detail=f"{'material' if material else 'minor'} change; {len(asked)} people asked")
        campaign = Campaign(campaign_id, version, material, actor_id, now)
    return Outcome(True, f"Started: {len(asked)} people have been asked to read and acknowledge the protocol.",
                   campaign)


def acknowledge(database: Database, version: str, person_id: str, source: str) -> bool:
    """Record that this person has read and understood this version; True the first time, False after."""
    with database.transaction() as db:
        if not list(db["campaigns"].rows_where("version = ?", [version])):
            return False  # no campaign asked for this version
        cursor = db.execute("INSERT OR IGNORE INTO acknowledgements (version, person_id, acknowledged_at, source) "
                            "VALUES (?, ?, ?, ?)", [version, person_id, utc_now(), source])
        if cursor.rowcount:
            audit.record(db, subject=subject(version), actor_id=person_id, action="acknowledged", from_status=None,
                         to_status=None, source=source)
        return cursor.rowcount == 1


def acknowledged(database: Database, version: str) -> dict[str, str]:
    """person ID -> when they acknowledged this version."""
    with database.connect() as db:
        return {r["person_id"]: r["acknowledged_at"]
                for r in db["acknowledgements"].rows_where("version = ?", [version])}


def not_yet_acknowledged(database: Database, directory: Directory, version: str) -> list[Person]:
    done = acknowledged(database, version)
    return [p for p in directory.people.values() if p.slack_id not in done]


def team_completion(database: Database, directory: Directory, manager_id: str,
                    version: str) -> tuple[list[Person], list[Person]]:
    """(acknowledged, not yet) among the people this manager manages directly."""
    done = acknowledged(database, version)
    team = [p for p in directory.people.values() if p.manager_id == manager_id]
    return [p for p in team if p.slack_id in done], [p for p in team if p.slack_id not in done]


def weeks_running(campaign: Campaign, now: dt.datetime) -> int:
    return int((now - dt.datetime.fromisoformat(campaign.started_at)).total_seconds() // (7 * 86400))
