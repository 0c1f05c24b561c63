"""A fake Slack Web API on 127.0.0.1, for end-to-end tests.

Point the bot at `fake.api_url` (SLACK_API_URL) and it talks to this server over real HTTP.
Every call is recorded: the API method, its parameters (form or JSON body), the headers and
what the fake answered. Response URLs (`fake.response_url("...")`) are served and recorded too,
as method "response_url". A call can be scripted to fail with `fail_next`.

Like real Slack, it refuses a view or message that breaks Block Kit's documented limits
(`block_kit_limits.py`): it answers `invalid_blocks` and keeps the breach in `fake.breaches`,
which the `bot` fixture asserts is empty at the end of every test.
"""

import itertools
import json
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from block_kit_limits import breaches

RESPONSE_URL = "response_url"  # the method name recorded for posts to a response URL
BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_ID = "T0TEST"
_JSON_PARAMS = ("blocks", "attachments", "view", "metadata")  # sent as JSON strings inside form bodies


@dataclass(frozen=True)
class Call:
    method: str  # "chat.postMessage", ... or "response_url"
    path: str
    params: dict  # the parsed body (and query string)
    headers: dict  # names in lower case
    status: int  # what the fake answered
    response: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.response.get("ok", False) is True

    @property
    def dumped(self) -> str:
        """Everything this call sent, as one string, for "this text never reached Slack" checks."""
        return json.dumps(self.params, ensure_ascii=False)


@dataclass
class _Failure:
    status: int
    headers: dict
    body: dict


class FakeSlack:
    def __init__(self):
        self._calls: list[Call] = []
        self.breaches: list[str] = []
        self._changed = threading.Condition()
        self._failures: dict[str, deque[_Failure]] = defaultdict(deque)
        self._ts = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-slack", daemon=True)

    # -- lifecycle -------------------------------------------------------------------------------------------

    def start(self) -> "FakeSlack":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> "FakeSlack":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(self, response_id: str) -> str:
        return f"{self.base_url}/response/{response_id}"

    # -- scripting --------------------------------------------------------------------------------------------

    def fail_next(self, method: str, status: int | None = None, headers: dict | None = None,
                  body: dict | None = None, times: int = 1, error: str | None = None) -> None:
        """Answer the next `times` calls to `method` with this failure instead of success.

        `status=429, headers={"Retry-After": "0"}` or `status=500` fail over HTTP; `error="channel_not_found"`
        alone gives Slack's usual 200 {"ok": false, "error": ...}.
        """
        if status is None:
            status = 200 if error else 500
        body = body if body is not None else {"ok": False, "error": error or _default_error(status)}
        with self._changed:
            for _ in range(times):
                self._failures[method].append(_Failure(status, dict(headers or {}), body))

    # -- what was called ---------------------------------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[Call]:
        with self._changed:
            return [c for c in self._calls if method is None or c.method == method]

    def outgoing(self) -> list[Call]:
        """Every call the bot made except the start-up `auth.test`: what it actually said or did."""
        return [c for c in self.calls() if c.method != "auth.test"]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5, where=None) -> list[Call]:
        """Wait until `count` calls to `method` (matching `where`, if given) have arrived; return them all."""

        def matching() -> list[Call]:
            return [c for c in self._calls if c.method == method and (where is None or where(c))]

        with self._changed:
            if not self._changed.wait_for(lambda: len(matching()) >= count, timeout=timeout):
                seen = [f"{c.method} {c.status}" for c in self._calls]
                raise AssertionError(f"waited {timeout}s for {count} x {method}; calls so far: {seen}")
            return matching()

    def assert_no_more_calls(self, method: str | None = None, within: float = 0.5) -> None:
        """Fail if another call (to `method`, or to anything) arrives within `within` seconds from now."""

        def count() -> int:
            return sum(1 for c in self._calls if method is None or c.method == method)

        with self._changed:
            before = count()
            deadline = time.monotonic() + within
            while count() == before:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return
                self._changed.wait(remaining)
            extra = [f"{c.method} {c.status}" for c in self._calls if method is None or c.method == method][before:]
            raise AssertionError(f"expected no more calls to {method or 'the API'}, got {extra}")

    # -- answering -----------------------------------------------------------------------------------------

    def _answer(self, method: str, path: str, params: dict, headers: dict) -> tuple[int, dict, dict]:
        with self._changed:
            failures = self._failures.get(method)
            refused = breaches(method, params)
            if refused:
                self.breaches.extend(refused)
                status, extra_headers, body = 200, {}, {"ok": False, "error": "invalid_blocks", "errors": refused}
            elif failures:
                failure = failures.popleft()
                status, extra_headers, body = failure.status, failure.headers, failure.body
            else:
                status, extra_headers, body = 200, {}, self._success(method, params)
            self._calls.append(Call(method, path, params, headers, status, body))
            self._changed.notify_all()
        return status, extra_headers, body

    def _next_ts(self) -> str:
        return f"1700000000.{next(self._ts):06d}"

    def _success(self, method: str, params: dict) -> dict:
        channel = params.get("channel")
        if method == "auth.test":
            return {"ok": True, "url": "https://test-trust.slack.com/", "team": "Test Trust", "user": "policybot",
                    "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": BOT_ID, "is_enterprise_install": False}
        if method == "chat.postMessage":
            ts = self._next_ts()
            message = {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "ts": ts,
                       "text": params.get("text", ""), "blocks": params.get("blocks", [])}
            return {"ok": True, "channel": channel, "ts": ts, "message": message}
        if method == "chat.update":
            return {"ok": True, "channel": channel, "ts": params.get("ts"), "text": params.get("text", "")}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self._next_ts()}
        if method == "conversations.open":
            users = str(params.get("users", "U0NOBODY")).split(",")
            return {"ok": True, "channel": {"id": "D" + users[0].lstrip("UW")[:10], "is_im": True}}
        if method in ("views.open", "views.update", "views.publish"):
            view = params.get("view") or {}
            return {"ok": True, "view": {**view, "id": f"V{next(self._ts):08d}"}}
        if method == "users.info":
            user = params.get("user", "U0NOBODY")
            return {"ok": True, "user": {"id": user, "team_id": TEAM_ID, "name": user.lower(), "real_name": user,
                                         "tz": "Europe/London", "profile": {"real_name": user, "email": ""}}}
        return {"ok": True}


def _default_error(status: int) -> str:
    return {429: "ratelimited", 500: "internal_error", 503: "service_unavailable"}.get(status, "fatal_error")


def _parse_params(raw: bytes, content_type: str, query: str) -> dict:
    params = dict(parse_qsl(query, keep_blank_values=True))
    text = raw.decode("utf-8")
    if not text:
        return params
    if content_type.startswith("application/json"):
        params.update(json.loads(text))
        return params
    params.update(parse_qsl(text, keep_blank_values=True))
    for name in _JSON_PARAMS:
        if isinstance(params.get(name), str):
            try:
                params[name] = json.loads(params[name])
            except ValueError:
                pass
    return params


def _handler_for(fake: FakeSlack):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):  # noqa: N802 - the stdlib's name
            self._handle()

        def do_GET(self):  # noqa: N802
            self._handle()

        def _handle(self):
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            params = _parse_params(raw, self.headers.get("Content-Type", ""), url.query)
            headers = {name.lower(): value for name, value in self.headers.items()}
            if url.path.startswith("/api/"):
                method = url.path[len("/api/"):]
            elif url.path.startswith("/response/"):
                method = RESPONSE_URL
            else:
                self._send(404, {}, {"ok": False, "error": "unknown_path"})
                return
            status, extra_headers, body = fake._answer(method, url.path, params, headers)
            self._send(status, extra_headers, body)

        def _send(self, status: int, headers: dict, body: dict):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format, *args):  # noqa: A002 - keep test output quiet
            pass

    return Handler


# -- reading what the bot sent -----------------------------------------------------------------------------


def find_button(blocks: list[dict], action_id: str) -> tuple[dict, dict]:
    for block in blocks:
        for element in block.get("elements", []):
            if element.get("type") == "button" and element.get("action_id") == action_id:
                return block, element
    raise AssertionError(f"no {action_id} button in {json.dumps(blocks)[:500]}")


def block_texts(blocks: list[dict]) -> list[str]:
    """The mrkdwn text of each block, in order (context blocks joined)."""
    texts = []
    for block in blocks:
        if "text" in block:
            texts.append(block["text"]["text"])
        elif block["type"] == "context":
            texts.append(" ".join(element.get("text", "") for element in block["elements"]))
        else:
            texts.append("")
    return texts
