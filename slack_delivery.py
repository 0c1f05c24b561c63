"""Notifications, delivered through Slack: the outbox's renderer and sender, and updates to messages already sent."""

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import ConnectionErrorRetryHandler

from blocks import access_requests as request_blocks
from services import Services
from storage import outbox as outbox_table
from workflows import access_requests
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
        request_id = access_requests.parse_reference(notification.subject)
        request = access_requests.get(self.services.database, request_id) if request_id else None
        if request is None:
            log.warning("notification %s is about %s, which is not there", notification.id, notification.subject)
            return None
        text, blocks = self._request_message(notification.kind, request)
        return Message(text, blocks)

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
            try:
                self.client.chat_update(channel=row["channel"], ts=row["ts"], text=text, blocks=blocks)
            except SlackApiError as error:
                log.warning("could not update the approver's message for %s: %s", request.reference,
                            error.response.get("error"))
