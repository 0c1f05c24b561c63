"""The Bolt app: a Web API client pointed at SLACK_API_URL, with retries, and every listener registered."""

import logging

from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk import WebClient, WebhookClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler

from handlers import register_listeners
from services import Services
from slack_delivery import SlackDelivery

log = logging.getLogger(__name__)
SORRY = ("Sorry, something went wrong on my side and I couldn't do that. Please try again in a minute. "
         "If it's urgent, such as a report of abuse, tell your Head Teacher / Manager directly now. "
         "If it keeps happening, let your IT lead know.")


def build_web_client(services: Services) -> WebClient:
    settings = services.settings
    return WebClient(
        token=settings.bot_token,
        base_url=settings.api_url,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),  # waits as long as Retry-After says
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


def build_app(services: Services) -> tuple[App, SlackDelivery]:
    """The Bolt app with every listener, and the delivery that sends its notifications (the clock uses it too)."""
    settings = services.settings
    if not settings.bot_token:
        raise SystemExit("SLACK_BOT_TOKEN is not set: copy .env.example to .env and fill it in (see README).")
    try:  # Bolt checks the token with Slack (auth.test) as it starts
        app = App(
            client=build_web_client(services),
            signing_secret=settings.signing_secret or "",
            # Socket Mode needs no signing secret; HTTP mode refuses to start without one (bot.py).
            request_verification_enabled=bool(settings.signing_secret),
        )
    except (BoltError, SlackApiError, OSError) as error:
        raise SystemExit(f"Could not connect to Slack at {settings.api_url} with SLACK_BOT_TOKEN ({error}). "
                         "Check the bot token (xoxb-...) and SLACK_API_URL; README.md, 'Connect Slack', "
                         "shows where to find them.") from None

    @app.error
    def log_listener_failure(error: Exception, body: dict, client: WebClient):
        # Log what failed and where, never the text people sent.
        kind = body.get("type") or body.get("command") or "request"
        log.error("a listener failed on a %s: %s", kind, type(error).__name__, exc_info=error)
        event = body.get("event") or {}
        try:
            if event.get("channel") and event.get("user") and not event.get("bot_id"):
                client.chat_postEphemeral(channel=event["channel"], user=event["user"], text=SORRY,
                                          thread_ts=event.get("thread_ts"))
            elif body.get("response_url"):  # a command or a button: its reply may already be gone
                WebhookClient(body["response_url"]).send(text=SORRY, response_type="ephemeral",
                                                         replace_original=False)
        except Exception:
            log.exception("could not tell the person that something failed")

    delivery = SlackDelivery(services, app.client)
    register_listeners(app, services, delivery)
    return app, delivery
