"""The Bolt app: a Web API client pointed at SLACK_API_URL, with retries, and every listener registered."""

import logging

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler

from handlers import register_listeners
from services import Services

log = logging.getLogger(__name__)


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


def build_app(services: Services) -> App:
    settings = services.settings
    if not settings.bot_token:
        raise SystemExit("SLACK_BOT_TOKEN is not set: copy .env.example to .env and fill it in (see README).")
    app = App(
        client=build_web_client(services),
        signing_secret=settings.signing_secret or "",
        # Socket Mode needs no signing secret; HTTP mode refuses to start without one (bot.py).
        request_verification_enabled=bool(settings.signing_secret),
    )

    @app.error
    def log_listener_failure(error: Exception, body: dict):
        # Log what failed and where, never the text people sent.
        kind = body.get("type") or body.get("command") or "request"
        log.error("a listener failed on a %s: %s", kind, type(error).__name__, exc_info=error)

    register_listeners(app, services)
    return app
