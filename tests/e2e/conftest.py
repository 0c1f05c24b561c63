"""The whole bot, running for real: its HTTP server on 127.0.0.1, a SQLite file in a temporary folder,
and a fake Slack Web API (fake_slack.py) that it reaches over HTTP through SLACK_API_URL."""

import http.client
import inspect
import os
import re
import sqlite3
import threading

import pytest
import signing
from fake_slack import FakeSlack, find_button

import config
import services
import slack_app
from http_server import EVENTS_PATH, make_http_server

SIGNING_SECRET = "e2e-signing-secret"
BOT_TOKEN = "xoxb-test"

# Everything config.load_settings reads (found in its source, so a new setting is covered too) is set
# explicitly, so a developer's environment cannot change a test; "" means the default. An empty .env
# file is passed in, so no real .env is read either.
_SETTINGS_ENV = frozenset(re.findall(r"""env\.get\(["']([A-Z0-9_]+)["']""", inspect.getsource(config)))
# Read by Bolt itself: the first two switch the app to OAuth, the last to legacy request verification.
_BOLT_ENV = ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_VERIFICATION_TOKEN")


class RunningBot:
    """The bot's HTTP server, and ways to reach it the way Slack does."""

    def __init__(self, fake: FakeSlack, bot_services: services.Services, app, delivery, server):
        self.fake = fake
        self.services = bot_services
        self.app = app
        self.delivery = delivery  # what the clock calls: bot.delivery.deliver_due() retries the outbox
        self.server = server
        self.host, self.port = server.server_address[:2]

    # -- HTTP --------------------------------------------------------------------------------------------------

    def request(self, method: str, path: str, body: str = "", headers: dict | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            connection.request(method, path, body=body.encode("utf-8"), headers=headers or {})
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8")
        finally:
            connection.close()

    def post(self, body: str, content_type: str, *, timestamp: int | None = None, secret: str = SIGNING_SECRET,
             headers: dict | None = None) -> tuple[int, str]:
        """POST `body` to /slack/events, signed as Slack signs it (with `secret`, at `timestamp`)."""
        all_headers = {"Content-Type": content_type, **signing.sign(secret, body, timestamp), **(headers or {})}
        return self.request("POST", EVENTS_PATH, body, all_headers)

    def send_event(self, event: dict, event_id: str | None = None, headers: dict | None = None) -> tuple[int, str]:
        return self.post(signing.event_callback(event, event_id), signing.JSON, headers=headers)

    def command(self, text: str, command: str = "/policy", response_id: str = "command") -> tuple[int, str]:
        body = signing.slash_command(command, text, self.fake.response_url(response_id))
        return self.post(body, signing.FORM)

    def click(self, message: dict, action_id: str, response_id: str = "click", **kwargs) -> tuple[int, str]:
        """Click the button `action_id` on `message` (a message dict with its blocks), as Slack reports it."""
        block, button = find_button(message["blocks"], action_id)
        body = signing.block_actions(button, block["block_id"], message, self.fake.response_url(response_id),
                                     **kwargs)
        return self.post(body, signing.FORM)

    def finish_listeners(self) -> None:
        """Wait for every listener Bolt is running in the background; the bot takes no more requests after this."""
        self.app.listener_runner.listener_executor.shutdown(wait=True)

    # -- the database, read straight from the SQLite file ----------------------------------------------------------

    def rows(self, sql: str, params: tuple = ()) -> list[dict]:
        connection = sqlite3.connect(self.services.settings.database_path)
        connection.row_factory = sqlite3.Row
        try:
            return [dict(row) for row in connection.execute(sql, params)]
        finally:
            connection.close()

    def questions(self) -> list[dict]:
        return self.rows("SELECT * FROM questions ORDER BY id")

    def feedback(self) -> list[dict]:
        return self.rows("SELECT * FROM feedback ORDER BY question_id, user_id")


@pytest.fixture
def fake_slack():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def bot_env(monkeypatch, tmp_path, fake_slack):
    """The environment the bot reads, pointing at the fake Slack and a fresh database; returns the (empty) .env
    file for load_settings to read instead of the developer's."""
    values = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_APP_TOKEN": "",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake_slack.api_url,
        "PORT": "0",
        "DATABASE_PATH": str(tmp_path / "data" / "bot.db"),
        "STAFF_DIRECTORY": str(tmp_path / "staff.csv"),
        "PROTOCOL_FILE": "",
        "TRUST_TIMEZONE": "Europe/London",
    }
    assert "SLACK_API_URL" in _SETTINGS_ENV and "DATABASE_PATH" in _SETTINGS_ENV
    for name in _SETTINGS_ENV | set(values):
        monkeypatch.setenv(name, values.get(name, ""))
    for name in _BOLT_ENV:
        monkeypatch.delenv(name, raising=False)
    empty_env_file = tmp_path / "empty.env"
    empty_env_file.write_text("")
    return empty_env_file


@pytest.fixture
def bot(bot_env, fake_slack):
    """The bot in HTTP mode, serving on a free port, talking to `fake_slack`. Stopped after the test."""
    settings = config.load_settings(bot_env)
    assert settings.api_url == fake_slack.api_url and settings.bot_token == BOT_TOKEN
    built = services.build_services(settings)
    app, delivery = slack_app.build_app(built)
    server = make_http_server(app, built, host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="bot-http",
                              daemon=True)
    thread.start()
    running = RunningBot(fake_slack, built, app, delivery, server)
    try:
        yield running
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        # Let listeners still running in the background finish before the fake Slack and the database go.
        running.finish_listeners()
    assert fake_slack.breaches == [], "real Slack would refuse these:\n" + "\n".join(fake_slack.breaches)


@pytest.fixture(autouse=True)
def staff_directory(request, bot_env, tmp_path):
    """A test module's STAFF_CSV, if it has one, written where the bot reads its staff directory."""
    path = tmp_path / "staff.csv"
    text = getattr(request.module, "STAFF_CSV", None)
    if text is not None:
        assert os.environ["STAFF_DIRECTORY"] == str(path)
        path.write_text(text, encoding="utf-8")
    return path
