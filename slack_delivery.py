"""Notifications, delivered through Slack: the outbox's renderer and sender, and updates to messages already sent."""

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import ConnectionErrorRetryHandler

from blocks import access_requests as request_blocks
from blocks import cases as case_blocks
from blocks.text import escape
from services import Services
from storage import outbox as outbox_table
from workflows import access_requests, cases
from workflows.outbox import Message, Notification, SendFailed, deliver_due
from workflows.timekeeping import local_moment

log = logging.getLogger(__name__)


class SlackDelivery:
    def __init__(self, services: Services, client: WebClient):
        self.services = services
        # Its own client: a 429 goes back to the outbox to wait, instead of holding a listener thread.
        self.client = WebClient(token=client.token, base_url=client.base_url,
                                retry_handlers=[ConnectionErrorRetryHandler(max_retry_count=1)])

    def deliver_due(self) -> int:
        return deliver_due(self.services.database, self.render, self.send)

    def send(self, recipient_id: str, message: Message) -> tuple[str | None, str | None]:
        try:
            response = self.client.chat_postMessage(channel=recipient_id, text=message.text, blocks=message.blocks)
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

    def render(self, notification: Notification) -> Message | None:
        if notification.subject.startswith("CASE-"):
            case = cases.get(self.services.database, cases.parse_reference(notification.subject) or 0)
            found = case and self._case_message(notification, case)
        else:
            request_id = access_requests.parse_reference(notification.subject)
            request = access_requests.get(self.services.database, request_id) if request_id else None
            found = request and self._request_message(notification.kind, request)
        if not found:
            log.warning("notification %s (%s) has nothing to say", notification.id, notification.subject)
            return None
        text, blocks = found
        return Message(text, blocks)

    def _case_message(self, notification: Notification, case: cases.Case) -> tuple[str, list[dict]] | None:
        kind = notification.kind
        if notification.recipient_id == case.about_id:
            return None  # never, whatever queued it: the person a report is about is not told of it
        if kind == "case.handle":
            return self.handler_message(case, notification.recipient_id)
        if kind == "case.receipt":
            handlers = cases.handlers_of(self.services.database, case.id)
            return case_blocks.receipt(case, [(self.name(h.person_id), h.why) for h in handlers])
        if kind == "case.handle.arrived":
            return case_blocks.notice(f"Your report {case.reference} has now reached the people handling it.")
        if kind == "case.acknowledged":
            return case_blocks.notice(f"{self.name(case.acknowledged_by)} has picked up your report "
                                      f"{case.reference} and is dealing with it.")
        if kind == "case.closed":
            return case_blocks.notice(f"Your report {case.reference} has been closed by "
                                      f"{self.name(case.closed_by)}. The outcome: {case.outcome}")
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
        with self.services.database.connect() as db:
            sent = [row for row in outbox_table.find(db, subject=case.reference, kind="case.handle")
                    if row["status"] == "sent" and row["ts"]]
        for row in sent:
            text, blocks = self.handler_message(case, row["recipient_id"])
            self._update(row, text, blocks, case.reference)

    def _update(self, row: dict, text: str, blocks: list[dict], subject: str) -> None:
        try:
            self.client.chat_update(channel=row["channel"], ts=row["ts"], text=text, blocks=blocks)
        except SlackApiError as error:
            log.warning("could not update a message about %s: %s", subject, error.response.get("error"))

    def _request_message(self, kind: str, request: access_requests.AccessRequest) -> tuple[str, list[dict]]:
        timezone = self.services.settings.timezone
        if kind == "request.decide":
            return self.approver_message(request)
        if kind == "request.receipt":
            with self.services.database.connect() as db:
                sent = [row for row in outbox_table.find(db, subject=request.reference, kind="request.decide")
                        if row["status"] == "sent"]
            return request_blocks.receipt(request, self.name(request.approver_id), delivered=bool(sent))
        if kind == "request.decide.arrived":
            return request_blocks.reached_approver(request, self.name(request.approver_id))
        if kind == "request.approved":
            statement = access_requests.permission_statement(
                request, self.name(request.requester_id), self.name(request.decided_by), timezone)
            return request_blocks.permission_message(request, statement)
        if kind == "request.denied":
            return request_blocks.denied_message(request, self.name(request.decided_by))
        if kind == "request.withdrawn":
            return request_blocks.simple_notice(
                f"{self.name(request.requester_id)} has withdrawn request {request.reference}. "
                "There is nothing for you to decide.")
        if kind == "request.ended":
            return request_blocks.simple_notice(
                f"Permission {request.reference} has been ended by {self.name(request.ended_by)}. "
                "Please make sure the contact has ended and the connection or group is deleted (section 5.6).")
        raise ValueError(f"no message for notifications of kind {kind}")

    def approver_message(self, request: access_requests.AccessRequest) -> tuple[str, list[dict]]:
        when = local_moment(request.decided_at, self.services.settings.timezone) if request.decided_at else None
        return request_blocks.approver_message(request, self.name(request.requester_id),
                                               self.name(request.decided_by) if request.decided_by else None, when)

    def refresh_approver_message(self, request: access_requests.AccessRequest) -> None:
        """Show the decision (and take the buttons away) on every copy of the approver's message already sent."""
        with self.services.database.connect() as db:
            sent = [row for row in outbox_table.find(db, subject=request.reference, kind="request.decide")
                    if row["status"] == "sent" and row["ts"]]
        text, blocks = self.approver_message(request)
        for row in sent:
            self._update(row, text, blocks, request.reference)
