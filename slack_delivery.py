"""Notifications, delivered through Slack: the outbox's renderer and sender, and updates to messages already sent."""

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import ConnectionErrorRetryHandler

from blocks import access_requests as request_blocks
from blocks import cases as case_blocks
from blocks import reminders as reminder_blocks
from blocks.text import escape, section
from services import Services
from storage import outbox as outbox_table
from storage.questions import unanswered_questions
from workflows import access_requests, campaigns, cases
from workflows.outbox import Message, Notification, SendFailed, deliver_due
from workflows.timekeeping import local_moment, long_date

log = logging.getLogger(__name__)


class SlackDelivery:
    def __init__(self, services: Services, client: WebClient):
        self.services = services
        # Its own client: a 429 goes back to the outbox to wait, instead of holding a listener thread.
        self.client = WebClient(token=client.token, base_url=client.base_url,
                                retry_handlers=[ConnectionErrorRetryHandler(max_retry_count=1)])

    def deliver_due(self, now: dt.datetime | None = None) -> int:
        return deliver_due(self.services.database, self.render, self.send, now)

    def send(self, recipient_id: str, message: Message) -> tuple[str | None, str | None]:
        try:
            response = self.client.chat_postMessage(channel=recipient_id, text=escape(message.text),
                                                    blocks=message.blocks)
        except SlackApiError as error:
            retry_after = error.response.headers.get("Retry-After") or error.response.headers.get("retry-after")
            reason = error.response.get("error") or f"HTTP {error.response.status_code}"
            raise SendFailed(reason, float(retry_after) if retry_after else None) from None
        except OSError as error:
            raise SendFailed(f"network: {type(error).__name__}") from None
        return response["channel"], response["ts"]

    def name(self, slack_id: str | None) -> str:
        person = self.services.directory.current().get(slack_id)
        return person.name if person else "someone not in the staff directory"

    def render(self, notification: Notification, now: dt.datetime) -> Message | None:
        subject = notification.subject
        if subject.startswith("CASE-"):
            case = cases.get(self.services.database, cases.parse_reference(subject) or 0)
            found = case and self._case_message(notification, case)
        elif subject.startswith("POLICY"):
            found = self._policy_message(notification, now)
        else:
            request_id = access_requests.parse_reference(subject)
            request = access_requests.get(self.services.database, request_id) if request_id else None
            found = request and self._request_message(notification, request, now)
        if not found:
            log.info("notification %s (%s, %s) has nothing to say any more", notification.id, notification.kind,
                     subject)
            return None
        text, blocks = found
        return Message(text, blocks)

    def _policy_message(self, notification: Notification, now: dt.datetime) -> tuple[str, list[dict]] | None:
        protocol = self.services.guide.protocol
        today = now.astimezone(ZoneInfo(self.services.settings.timezone)).date()
        if notification.kind == "policy.review":
            since = protocol.reviewed_on.isoformat()
            unanswered = [row["question"] for row in unanswered_questions(self.services.database, since)]
            return reminder_blocks.review_reminder(protocol, today, unanswered)
        if notification.kind in ("policy.acknowledge", "policy.acknowledge.reminder"):
            version = notification.subject.removeprefix("POLICY-")
            if notification.recipient_id in campaigns.acknowledged(self.services.database, version):
                return None  # they have done it since this was queued
            return reminder_blocks.acknowledge_request(protocol, version,
                                                       reminder=notification.kind.endswith(".reminder"))
        raise ValueError(f"no message for notifications of kind {notification.kind}")

    def _case_message(self, notification: Notification, case: cases.Case) -> tuple[str, list[dict]] | None:
        kind = notification.kind
        if notification.recipient_id == case.about_id:
            return None  # never, whatever queued it: the person a report is about is not told of it
        if kind == "case.handle":
            return self.handler_message(case, notification.recipient_id)
        if kind == "case.receipt":
            handlers = cases.handlers_of(self.services.database, case.id)
            reached = {row["recipient_id"] for row in self._sent(case.reference, "case.handle")}
            return case_blocks.receipt(case, [(self.name(h.person_id), h.why) for h in handlers],
                                       not_reached=[self.name(h.person_id) for h in handlers
                                                    if h.person_id not in reached])
        if kind == "case.handle.arrived":
            return case_blocks.notice(f"Your report {case.reference} has now reached the people handling it.")
        if kind == "case.acknowledged":
            return case_blocks.notice(f"{self.name(case.acknowledged_by)} has picked up your report "
                                      f"{case.reference} and is dealing with it.")
        if kind == "case.closed":
            return case_blocks.notice(f"Your report {case.reference} has been closed by "
                                      f"{self.name(case.closed_by)}. The outcome: {case.outcome}")
        if kind == "case.nudge":
            if case.status != "open":
                return None
            text, blocks = self.handler_message(case, notification.recipient_id)
            return f"A reminder: {text}", [section("*A reminder: nobody has picked this up yet. Please acknowledge "
                                                   "it as soon as you can.*"), *blocks]
        if kind == "case.escalated":
            return case_blocks.notice(f"Nobody had picked up your report {case.reference} yet, so I've passed it "
                                      "to the next person up. I'll tell you when someone acknowledges it.")
        raise ValueError(f"no message for notifications of kind {kind}")

    def handler_message(self, case: cases.Case, recipient_id: str) -> tuple[str, list[dict]]:
        timezone = self.services.settings.timezone
        why = next((h.why for h in cases.handlers_of(self.services.database, case.id)
                    if h.person_id == recipient_id), "admin")
        if case.status == "closed":
            status = (f"*Closed* by {escape(self.name(case.closed_by))} on {local_moment(case.closed_at, timezone)}. "
                      f"Outcome: {escape(case.outcome or '')}")
        elif case.status == "acknowledged":
            status = (f"*Acknowledged* by {escape(self.name(case.acknowledged_by))} on "
                      f"{local_moment(case.acknowledged_at, timezone)}.")
        else:
            status = f"*Waiting to be picked up* since {local_moment(case.created_at, timezone)}."
        about = self.name(case.about_id) if case.about_id else None
        return case_blocks.handler_message(case, self.name(case.reporter_id), about, why, status)

    def refresh_case_messages(self, case: cases.Case) -> None:
        """Show every handler the case as it now stands, on the message they already have."""
        for row in self._sent(case.reference, "case.handle"):
            text, blocks = self.handler_message(case, row["recipient_id"])
            self._update(row, text, blocks, case.reference)

    def _sent(self, subject: str, kind: str) -> list[dict]:
        with self.services.database.connect() as db:
            return outbox_table.sent(db, subject=subject, kind=kind)

    def _update(self, row: dict, text: str, blocks: list[dict], subject: str) -> None:
        if not row["ts"]:
            return
        try:
            self.client.chat_update(channel=row["channel"], ts=row["ts"], text=escape(text), blocks=blocks)
        except SlackApiError as error:
            log.warning("could not update a message about %s: %s", subject, error.response.get("error"))

    def _request_message(self, notification: Notification, request: access_requests.AccessRequest,
                         now: dt.datetime) -> tuple[str, list[dict]] | None:
        timezone = self.services.settings.timezone
        kind, recipient = notification.kind, notification.recipient_id
        if kind == "request.decide":
            return self.approver_message(request, recipient)
        if kind == "request.receipt":
            delivered = bool(self._sent(request.reference, "request.decide"))
            return request_blocks.receipt(request, self.name(request.approver_id), delivered=delivered)
        if kind == "request.decide.arrived":
            return request_blocks.reached_approver(request, self.name(request.approver_id))
        if kind == "request.approved":
            return self.permission_message(request)
        if kind == "request.denied":
            return request_blocks.denied_message(request, self.name(request.decided_by))
        if kind == "request.withdrawn":
            return request_blocks.simple_notice(
                f"{self.name(request.requester_id)} has withdrawn request {request.reference}. "
                "There is nothing for you to decide.")
        if kind == "request.ended":
            lead = f"Permission {request.reference} has been ended by {self.name(request.ended_by)}."
            if recipient == request.requester_id and request.removal_confirmed_at is None:
                return reminder_blocks.ended_confirm(request, lead)
            return request_blocks.simple_notice(
                f"{lead} The contact should end, and the connection or group be deleted (section 5.6).")
        if kind == "request.nudge":
            if request.status != "pending" or recipient != request.approver_id:
                return None
            text, blocks = self.approver_message(request, recipient)
            return f"A reminder: {text}", [section("*A reminder: this is still waiting for your decision.*"),
                                           *blocks]
        if kind == "request.escalated":
            return reminder_blocks.notice(
                f"Your request {request.reference} had waited a while, so I've passed it to "
                f"{self.name(request.approver_id)} to decide. I'll let you know what they decide.")
        today = now.astimezone(ZoneInfo(timezone)).date()
        if kind == "request.expiring":
            return reminder_blocks.expiring(request, today) if request.status == "approved" else None
        if kind == "request.lapsed":
            if request.status != "expired" or request.removal_confirmed_at:
                return None
            return reminder_blocks.ended_confirm(
                request, f"Your permission {request.reference} ended on {long_date(request.ends_on)}.")
        if kind == "request.unconfirmed":
            if request.removal_confirmed_at:
                return None
            return reminder_blocks.notice(
                f"{self.name(request.requester_id)}'s permission {request.reference} has ended, but they have not "
                "confirmed that the online contact has been removed (section 5.6). Please check with them.")
        raise ValueError(f"no message for notifications of kind {kind}")

    def permission_message(self, request: access_requests.AccessRequest) -> tuple[str, list[dict]]:
        statement = access_requests.permission_statement(
            request, self.name(request.requester_id), self.name(request.decided_by), self.services.settings.timezone)
        return request_blocks.permission_message(request, statement)

    def permission_for(self, request_id: int | None, user_id: str) -> tuple[str, list[dict]]:
        """The written permission, shown again to the requester, their approver or an admin; a polite no to others
        (and to a reference that cannot exist)."""
        request = access_requests.get(self.services.database, request_id) if request_id is not None else None
        person = self.services.directory.current().get(user_id)
        admin = bool(person and person.has("admin"))
        allowed = request and (user_id in (request.requester_id, request.approver_id) or admin)
        if not allowed:
            return request_blocks.simple_notice("I can't find a permission of yours with that reference.")
        if request.status not in ("approved", "ended", "expired", "renewed"):
            return request_blocks.simple_notice(f"{request.reference} is {access_requests.STATUS_WORDS[request.status]}"
                                                ", so there is no written permission to show.")
        return self.permission_message(request)

    def approver_message(self, request: access_requests.AccessRequest,
                         recipient: str | None = None) -> tuple[str, list[dict]]:
        if recipient and recipient != request.approver_id and request.status == "pending":
            return request_blocks.passed_on(request, self.name(request.requester_id), self.name(request.approver_id))
        when = local_moment(request.decided_at, self.services.settings.timezone) if request.decided_at else None
        return request_blocks.approver_message(request, self.name(request.requester_id),
                                               self.name(request.decided_by) if request.decided_by else None, when)

    def refresh_approver_message(self, request: access_requests.AccessRequest) -> None:
        """Show the decision (and take the buttons away) on every copy of the approver's message already sent."""
        for row in self._sent(request.reference, "request.decide"):
            text, blocks = self.approver_message(request, row["recipient_id"])
            self._update(row, text, blocks, request.reference)
