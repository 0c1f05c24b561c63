"""The bot's memory for time: what falls due, worked out from the database each time the clock ticks.

Every reminder becomes an outbox row with a key naming exactly which reminder
it is (policy version and review point, request and level, person and week),
so planning twice, or in two processes, or after a restart, queues it once.
Only the latest point of a series that fell due is queued: a bot that was down
for three weeks sends one late reminder, not three.
"""

import datetime as dt
import logging

from config import ReminderSettings
from knowledge.protocol import Protocol
from storage import audit, outbox
from storage.database import Database
from storage.timestamps import utc_now
from workflows import access_requests, campaigns, cases
from workflows.directory import Directory
from workflows.timekeeping import at_local, outside_quiet_hours

log = logging.getLogger(__name__)
POLICY = "POLICY"


class Planner:
    def __init__(self, database: Database, directory: Directory, protocol: Protocol, reminders: ReminderSettings,
                 timezone: str, case_acknowledge_hours: float):
        self.database = database
        self.directory = directory
        self.protocol = protocol
        self.settings = reminders
        self.timezone = timezone
        self.case_acknowledge = dt.timedelta(hours=case_acknowledge_hours)

    def run(self, now: dt.datetime) -> list[str]:
        """Queue everything due as of `now`; returns a line for each thing done."""
        done: list[str] = []
        done += self.policy_review(now)
        done += cases.escalate_unacknowledged(self.database, self.directory, now, self.case_acknowledge)
        done += self.case_nudges(now)
        done += self.waiting_requests(now)
        done += self.expiring_permissions(now)
        done += self.acknowledgement_reminders(now)
        return done

    # -- helpers -------------------------------------------------------------------------------------------------

    def _not_before(self, moment: dt.datetime, urgent: bool = False) -> str:
        if not urgent:
            moment = outside_quiet_hours(moment, self.timezone, self.settings.quiet_hours,
                                         self.settings.quiet_weekends)
        return moment.astimezone(dt.UTC).isoformat(timespec="seconds")

    def _queue(self, *, recipient_id: str, kind: str, subject: str, key: str, due: dt.datetime,
               urgent: bool = False, now: dt.datetime | None = None) -> bool:
        # A point that fell due while the bot was down goes out late, from `now`: still not in quiet hours.
        moment = max(due, now) if now else due
        with self.database.connect() as db:
            return outbox.enqueue(db, recipient_id=recipient_id, kind=kind, subject=subject, dedupe_key=key,
                                  not_before=self._not_before(moment, urgent))

    def _at(self, day: dt.date) -> dt.datetime:
        return at_local(day, self.settings.reminder_hour, self.timezone)

    @staticmethod
    def _latest(points: list[dt.datetime], now: dt.datetime) -> dt.datetime | None:
        passed = [p for p in points if p <= now]
        return max(passed) if passed else None

    # -- the policy's review -------------------------------------------------------------------------------------

    def review_points(self, now: dt.datetime) -> list[dt.datetime]:
        due = self.protocol.next_review_due
        points = [self._at(due - dt.timedelta(days=d)) for d in self.settings.review_lead_days if d > 0]
        points.append(self._at(due))
        weeks_overdue = max(0, (now.date() - due).days // 7)
        points += [self._at(due + dt.timedelta(weeks=w)) for w in range(1, weeks_overdue + 1)]
        return points

    def policy_review(self, now: dt.datetime) -> list[str]:
        point = self._latest(self.review_points(now), now)
        if point is None:
            return []
        version = f"{self.protocol.reviewed_on.isoformat()}:{self.protocol.next_review_due.isoformat()}"
        queued = [owner.name for owner in self.directory.with_role("policy_owner")
                  if self._queue(recipient_id=owner.slack_id, kind="policy.review", subject=POLICY, due=point,
                                 now=now, key=f"review:{version}:{point.date().isoformat()}:{owner.slack_id}")]
        return [f"policy review reminder ({point.date().isoformat()}) for {', '.join(queued)}"] if queued else []

    # -- reports nobody has picked up ----------------------------------------------------------------------------

    def case_nudges(self, now: dt.datetime) -> list[str]:
        done = []
        with self.database.connect() as db:
            open_cases = [cases.Case.from_row(r) for r in db["cases"].rows_where("status = 'open'")]
        for case in open_cases:
            since = dt.datetime.fromisoformat(case.escalated_at or case.created_at)
            if now - since < dt.timedelta(hours=self.settings.case_nudge_hours):
                continue
            handlers = [h for h in cases.handlers_of(self.database, case.id) if h.level == case.escalation_level]
            urgent = case.kind == "harassment"  # "immediately" (4.2, 4.3): not held back by quiet hours
            for handler in handlers:
                if self._queue(recipient_id=handler.person_id, kind="case.nudge", subject=case.reference,
                               key=f"{case.reference}:nudge:{case.escalation_level}:{handler.person_id}",
                               due=now, urgent=urgent):
                    done.append(f"nudged a handler of {case.reference}")
        return done

    # -- requests waiting for a decision -------------------------------------------------------------------------

    def waiting_requests(self, now: dt.datetime) -> list[str]:
        done = []
        with self.database.connect() as db:
            waiting = [access_requests.AccessRequest.from_row(r)
                       for r in db["access_requests"].rows_where("status = 'pending'")]
        for request in waiting:
            since = dt.datetime.fromisoformat(request.escalated_at or request.created_at)
            waited = now - since
            if waited >= dt.timedelta(hours=self.settings.request_escalate_hours):
                if self._escalate(request, now):
                    done.append(f"{request.reference} passed to the next person up")
            elif waited >= dt.timedelta(hours=self.settings.request_nudge_hours):
                if self._queue(recipient_id=request.approver_id, kind="request.nudge", subject=request.reference,
                               key=f"{request.reference}:nudge:{request.escalation_level}", due=now):
                    done.append(f"nudged the approver of {request.reference}")
        return done

    def _escalate(self, request: access_requests.AccessRequest, now: dt.datetime) -> bool:
        requester = self.directory.get(request.requester_id)
        current = self.directory.get(request.approver_id)
        with self.database.connect() as db:  # everyone it has been with: it goes up, never back down to them
            asked = {row["recipient_id"] for row in outbox.find(db, subject=request.reference, kind="request.decide")}
        skip = {request.requester_id, request.approver_id} | asked
        candidates = (self.directory.chain_above(current) if current else []) + self.directory.with_role("hr") + \
            self.directory.with_role("admin")
        new = next((p for p in candidates if p.slack_id not in skip), None)
        if new is None or requester is None:
            return False
        level = request.escalation_level + 1
        with self.database.transaction() as db:
            changed = db.execute(
                "UPDATE access_requests SET approver_id = ?, escalation_level = ?, escalated_at = ?, updated_at = ? "
                "WHERE id = ? AND status = 'pending' AND escalation_level = ?",
                [new.slack_id, level, _iso(now), utc_now(), request.id, request.escalation_level]).rowcount
            if not changed:
                return False
            audit.record(db, subject=request.reference, actor_id="clock", action=f"passed to level {level}",
                         from_status="pending", to_status="pending", source="clock",
                         detail=f"from {request.approver_id} to {new.slack_id}")
            not_before = self._not_before(now)
            outbox.enqueue(db, recipient_id=new.slack_id, kind="request.decide", subject=request.reference,
                           not_before=not_before)
            outbox.enqueue(db, recipient_id=request.requester_id, kind="request.escalated",
                           subject=request.reference, dedupe_key=f"{request.reference}:escalated:{level}",
                           not_before=not_before)
        return True

    # -- permissions coming to an end (5.6) ----------------------------------------------------------------------

    def expiring_permissions(self, now: dt.datetime) -> list[str]:
        done = []
        with self.database.connect() as db:
            rows = [access_requests.AccessRequest.from_row(r) for r in db["access_requests"].rows_where(
                "status IN ('approved', 'ended', 'expired')")]
        for request in rows:
            if request.status == "approved":
                lapses_at = at_local(request.ends_on + dt.timedelta(days=1), 0, self.timezone)
                if now >= lapses_at:
                    if self._lapse(request, now):
                        done.append(f"{request.reference} reached its end date")
                    continue
                points = [self._at(request.ends_on - dt.timedelta(days=d)) for d in self.settings.expiry_reminder_days]
                point = self._latest(points, now)
                days_left = (request.ends_on - point.date()).days if point else None
                if point and self._queue(recipient_id=request.requester_id, kind="request.expiring",
                                         subject=request.reference, due=point, now=now,
                                         key=f"{request.reference}:expiring:{days_left}"):
                    done.append(f"reminded {request.reference} ends in {days_left} day(s)")
            elif request.removal_confirmed_at is None:
                ended = dt.datetime.fromisoformat(request.ended_at) if request.ended_at else \
                    at_local(request.ends_on + dt.timedelta(days=1), 0, self.timezone)
                due = ended + dt.timedelta(days=self.settings.removal_confirm_days)
                if now >= due and self._queue(recipient_id=request.approver_id, kind="request.unconfirmed",
                                              subject=request.reference, key=f"{request.reference}:unconfirmed",
                                              due=now):
                    done.append(f"told the approver {request.reference} has no confirmed removal")
        return done

    def _lapse(self, request: access_requests.AccessRequest, now: dt.datetime) -> bool:
        with self.database.transaction() as db:
            changed = db.execute(
                "UPDATE access_requests SET status = 'expired', updated_at = ? WHERE id = ? AND status = 'approved'",
                [utc_now(), request.id]).rowcount
            if changed:
                audit.record(db, subject=request.reference, actor_id="clock", action="expired",
                             from_status="approved", to_status="expired", source="clock")
                # It lapses at midnight: the requester is asked in the morning, not at night.
                outbox.enqueue(db, recipient_id=request.requester_id, kind="request.lapsed",
                               subject=request.reference, not_before=self._not_before(now))
        return bool(changed)

    # -- read and acknowledge ------------------------------------------------------------------------------------

    def acknowledgement_reminders(self, now: dt.datetime) -> list[str]:
        campaign = campaigns.current(self.database)
        if campaign is None:
            return []
        every = dt.timedelta(days=self.settings.acknowledge_reminder_days)
        started = dt.datetime.fromisoformat(campaign.started_at)
        rounds = int((now - started) / every)
        if rounds < 1:
            return []
        due = started + rounds * every
        reminded = [p for p in campaigns.not_yet_acknowledged(self.database, self.directory, campaign.version)
                    if self._queue(recipient_id=p.slack_id, kind="policy.acknowledge.reminder",
                                   subject=campaigns.subject(campaign.version), due=due, now=now,
                                   key=f"{campaigns.subject(campaign.version)}:acknowledge:{p.slack_id}:{rounds}")]
        return [f"reminded {len(reminded)} people to acknowledge the protocol"] if reminded else []


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")
