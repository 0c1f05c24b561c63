"""HTTP mode: `POST /slack/events` for everything Slack sends, `GET /healthz` for the platform's checks."""

import json
import logging
from http import HTTPStatus
from socketserver import ThreadingMixIn
from urllib.parse import parse_qsl
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App, BoltRequest
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.context import BoltContext
from slack_bolt.request.internals import build_context
from slack_sdk.signature import SignatureVerifier

from services import Services

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
MAX_BODY_BYTES = 1_000_000  # Slack's own payloads are far smaller; anything bigger is refused unread


def parse_slack_body(raw: str, content_type: str | None) -> dict:
    """Slack's body: JSON for events; a form for commands; a form with one `payload` field for interactivity."""
    if not raw:
        return {}
    if content_type == "application/json" or raw.startswith("{"):
        return json.loads(raw)
    form = dict(parse_qsl(raw, keep_blank_values=True))
    return json.loads(form["payload"]) if "payload" in form else form


class SlackRequest(BoltRequest):
    """A BoltRequest whose form bodies are read field by field.

    Bolt's own parser treats any form body containing the word "payload" as
    interactivity, so `/policy what does the payload mean` would vanish as a 404.
    """

    def __init__(self, *, body: str, query=None, headers=None, context=None, mode: str = "http"):
        super().__init__(body=body, query=query, headers=headers, context=context, mode=mode)
        self.body = parse_slack_body(self.raw_body, self.content_type)
        self.context = build_context(BoltContext(context or {}), self.body)

    def to_copyable(self) -> "SlackRequest":
        return SlackRequest(body=self.raw_body, query=self.query, headers=self.headers,
                            context=self.context.to_copyable(), mode=self.mode)


def _refusal(environ, verifier) -> tuple[int, str] | None:
    """Why a request is refused before its body is read, if it is: no secret, a bad or huge length."""
    if verifier is None:
        return 401, "This bot has no signing secret set, so it cannot check requests."
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 400, "The Content-Length header is not a number."
    if length < 0:
        return 400, "The Content-Length header is negative."
    if length > MAX_BODY_BYTES:
        return 413, "The request is larger than anything Slack sends."
    return None


def _signed(verifier: SignatureVerifier, body: str | bytes, headers: dict) -> bool:
    """Slack's signature check; a missing or malformed timestamp is simply not signed."""
    timestamp, signature = headers.get("x-slack-request-timestamp"), headers.get("x-slack-signature")
    try:
        return verifier.is_valid(body=body, timestamp=timestamp, signature=signature)
    except (ValueError, TypeError, OverflowError):
        return False


def _plain(start_response, status: int, text: str) -> list[bytes]:
    start_response(f"{status} {HTTPStatus(status).phrase}", [("Content-Type", "text/plain; charset=utf-8")])
    return [text.encode("utf-8")]


def make_wsgi_app(app: App, services: Services):
    # Nothing is read, done or sent for a request until its signature is verified here, before Bolt sees it:
    # Bolt's own error handling would otherwise act on an unverified body (its response_url, its channel).
    secret = services.settings.signing_secret
    verifier = SignatureVerifier(secret) if secret else None

    def wsgi(environ, start_response):
        request = WsgiHttpRequest(environ)
        if request.path == "/healthz" and request.method in ("GET", "HEAD"):
            ok = services.healthy()
            start_response("200 OK" if ok else "503 Service Unavailable", [("Content-Type", "application/json")])
            return [json.dumps({"ok": ok}).encode()]
        if request.path == EVENTS_PATH and request.method == "POST":
            refused = _refusal(environ, verifier)
            if refused:
                return _plain(start_response, *refused)
            raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            headers = request.get_headers()
            if not _signed(verifier, raw, headers):
                log.warning("refused a request to %s whose Slack signature did not verify", EVENTS_PATH)
                return _plain(start_response, 401, "The request's Slack signature did not verify.")
            try:
                slack_request = SlackRequest(body=raw.decode("utf-8"), query=request.query_string, headers=headers)
            except (ValueError, KeyError, TypeError, AttributeError):
                log.warning("refused a signed request to %s whose body could not be read", EVENTS_PATH)
                return _plain(start_response, 400, "The request's body could not be read.")
            bolt_response = app.dispatch(slack_request)
            headers = [(name, value) for name, values in bolt_response.headers.items() for value in values]
            start_response(f"{bolt_response.status} {HTTPStatus(bolt_response.status).phrase}", headers)
            return [bolt_response.body.encode("utf-8")]
        start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
        return [b"Not found. Slack sends to POST /slack/events."]

    return wsgi


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        log.debug("%s " + format, self.address_string(), *args)


def make_http_server(app: App, services: Services, host: str = "0.0.0.0", port: int | None = None):
    return make_server(host, services.settings.port if port is None else port, make_wsgi_app(app, services),
                       server_class=_ThreadingServer, handler_class=_QuietHandler)
