"""Small steps the listeners share: telling the person who acted, opening a form, refreshing their App Home."""

import logging

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from blocks.home import ReadingStatus, home_view
from blocks.text import escape
from services import Services
from workflows import access_requests, campaigns, cases
from workflows.timekeeping import local_moment

log = logging.getLogger(__name__)


def tell(body: dict, client: WebClient, respond: Respond, text: str) -> None:
    """A private reply to whoever acted: in place where Slack allows it, else in their DM with the bot."""
    if body.get("response_url"):
        respond(text=escape(text), response_type="ephemeral", replace_original=False)
    else:
        client.chat_postMessage(channel=body["user"]["id"], text=escape(text))


def open_form(body: dict, client: WebClient, respond: Respond, view: dict) -> None:
    """Open a modal; if Slack will not (the click was too long ago, Slack is down), say so instead of nothing."""
    try:
        client.views_open(trigger_id=body["trigger_id"], view=view)
    except SlackApiError as error:
        log.warning("could not open the %s form: %s", view.get("callback_id"), error.response.get("error"))
        tell(body, client, respond, FORM_DID_NOT_OPEN)


FORM_DID_NOT_OPEN = ("Sorry, Slack wouldn't open the form just now. Please try again in a minute. If it's urgent, "
                     "such as a report of abuse, tell your Head Teacher / Manager directly now.")


def publish_home(services: Services, client: WebClient, user_id: str) -> None:
    directory = services.directory.current()
    mine = access_requests.requests_by(services.database, user_id)
    waiting = access_requests.waiting_for(services.database, directory, user_id)
    names = {p.slack_id: p.name for p in directory.people.values()}
    reported = cases.reported_by(services.database, user_id)
    handling = cases.handled_by(services.database, user_id)
    reading = None
    campaign = campaigns.current(services.database)
    if campaign:
        done, pending = campaigns.team_completion(services.database, directory, user_id, campaign.version)
        acknowledged_at = campaigns.acknowledged(services.database, campaign.version).get(user_id)
        reading = ReadingStatus(campaign.version, acknowledged_at and local_moment(acknowledged_at,
                                                                                   services.settings.timezone),
                                len(done), [p.name for p in pending])
    client.views_publish(user_id=user_id, view=home_view(services.guide.protocol, mine, waiting, reported, handling,
                                                         names, services.today(), reading))


def from_home(body: dict) -> bool:
    return body.get("view", {}).get("type") == "home"
