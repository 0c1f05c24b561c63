"""Steps every request goes through before its listener."""

import logging

from slack_bolt import App, BoltResponse

from services import Services
from storage.slack_events import first_delivery

log = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    @app.middleware
    def answer_each_event_once(body: dict, next):
        """Slack re-sends an event it thinks we missed (X-Slack-Retry-Num); the event ID tells us we did not."""
        event_id = body.get("event_id")
        if event_id and not first_delivery(services.database, event_id):
            log.info("event %s already handled; ignoring Slack's retry", event_id)
            return BoltResponse(status=200, body="")
        return next()
