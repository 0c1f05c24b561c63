"""HTTP mode's surface: signed requests only, each event answered once, /healthz, and nothing else."""

import json
import shutil
import time

import pytest
import signing

from http_server import EVENTS_PATH

SNAPCHAT = "can I add a Year 9 on snap?"


def question_request(bot, kind: str) -> tuple[str, str]:
    """A question as Slack would send it, as (body, content type): a DM event or a /policy command."""
    if kind == "event":
        return signing.event_callback(signing.dm_message(SNAPCHAT)), signing.JSON
    return signing.slash_command("/policy", SNAPCHAT, bot.fake.response_url("refused")), signing.FORM


def assert_nothing_sent_or_stored(bot):
    bot.fake.assert_no_more_calls(within=0.3)
    assert bot.fake.outgoing() == []
    assert bot.rows("SELECT * FROM questions") == []
    assert bot.rows("SELECT * FROM slack_events") == []


@pytest.mark.parametrize("kind", ["event", "command"])
def test_a_forged_signature_is_refused(bot, kind):
    body, content_type = question_request(bot, kind)

    status, _ = bot.post(body, content_type, secret="not-the-signing-secret")

    assert status == 401
    assert_nothing_sent_or_stored(bot)


@pytest.mark.parametrize("kind", ["event", "command"])
def test_a_stale_timestamp_is_refused_even_when_correctly_signed(bot, kind):
    body, content_type = question_request(bot, kind)

    status, _ = bot.post(body, content_type, timestamp=int(time.time()) - 6 * 60)

    assert status == 401
    assert_nothing_sent_or_stored(bot)


def test_a_body_changed_after_signing_is_refused(bot):
    body = signing.event_callback(signing.dm_message(SNAPCHAT))
    headers = {"Content-Type": signing.JSON, **signing.sign(bot.services.settings.signing_secret, body)}

    status, _ = bot.request("POST", EVENTS_PATH, body.replace("Year 9", "Year 8"), headers)

    assert status == 401
    assert_nothing_sent_or_stored(bot)


def test_an_unsigned_request_is_refused(bot):
    body = signing.event_callback(signing.dm_message(SNAPCHAT))

    status, _ = bot.request("POST", EVENTS_PATH, body, {"Content-Type": signing.JSON})

    assert status == 401
    assert_nothing_sent_or_stored(bot)


def test_slacks_url_verification_challenge_is_answered(bot):
    body = json.dumps({"token": "legacy", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
                       "type": "url_verification"})

    status, reply = bot.post(body, signing.JSON)

    assert status == 200
    assert json.loads(reply) == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}


def test_an_event_slack_retries_is_answered_once(bot):
    event = signing.dm_message(SNAPCHAT)
    first, _ = bot.send_event(event, event_id="Ev0RETRIED")
    bot.fake.wait_for("chat.postMessage")

    retry, _ = bot.send_event(event, event_id="Ev0RETRIED",
                              headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})

    assert (first, retry) == (200, 200)  # a non-200 would make Slack retry again
    bot.fake.assert_no_more_calls("chat.postMessage", within=0.5)
    assert len(bot.fake.calls("chat.postMessage")) == 1
    assert len(bot.questions()) == 1


def test_a_retry_of_an_event_the_bot_never_received_is_answered(bot):
    # The first delivery never arrived (the bot was restarting, say): the retry is the only chance to answer.
    status, _ = bot.send_event(signing.dm_message(SNAPCHAT), event_id="Ev0MISSED",
                               headers={"X-Slack-Retry-Num": "2", "X-Slack-Retry-Reason": "http_error"})

    assert status == 200
    bot.fake.wait_for("chat.postMessage")
    assert len(bot.questions()) == 1


def test_two_different_events_with_the_same_text_are_both_answered(bot):
    bot.send_event(signing.dm_message(SNAPCHAT))
    bot.send_event(signing.dm_message(SNAPCHAT))

    bot.fake.wait_for("chat.postMessage", count=2)
    assert len(bot.questions()) == 2


def test_healthz_answers_200_ok(bot):
    status, body = bot.request("GET", "/healthz")

    assert status == 200
    assert json.loads(body) == {"ok": True}


def test_healthz_answers_503_when_the_database_cannot_be_reached(bot, caplog):
    shutil.rmtree(bot.services.settings.database_path.parent)  # the volume holding the database has gone

    status, body = bot.request("GET", "/healthz")

    assert status == 503
    assert json.loads(body) == {"ok": False}
    assert "the database cannot be reached" in caplog.text


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/"),
    ("GET", "/slack/install"),
    ("POST", "/slack/other"),
    ("GET", EVENTS_PATH),
    ("POST", "/healthz"),
])
def test_anything_else_is_404(bot, method, path):
    status, _ = bot.request(method, path)

    assert status == 404
    assert bot.fake.outgoing() == []


def test_a_token_slack_refuses_stops_start_up_with_a_clear_message(bot_env, fake_slack):
    import config
    import services
    import slack_app

    fake_slack.fail_next("auth.test", error="invalid_auth")
    built = services.build_services(config.load_settings(bot_env))

    with pytest.raises(SystemExit) as stopped:
        slack_app.build_app(built)

    assert "SLACK_BOT_TOKEN" in str(stopped.value) and "Connect Slack" in str(stopped.value)


# Hostile input: nothing is read, done, sent or stored for a request whose signature is not verified,
# and a bad request gets a 4xx with one log line, never a 5xx with a traceback.

SECRET_WORD = "Zanzibar-unverified"


def forged_body(bot) -> str:
    """A command whose response_url and channel an attacker chose: replying to either would be a forgery."""
    return signing.slash_command("/policy", f"{SECRET_WORD} can I add a Year 9?", bot.fake.response_url("attacker"))


@pytest.mark.parametrize("timestamp", ["", "not-a-number", "9" * 40, "-1"])
def test_a_bad_timestamp_is_refused_and_nothing_is_sent_anywhere(bot, timestamp, caplog):
    body = forged_body(bot)
    headers = {"Content-Type": signing.FORM, "X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": "v0=00"}

    status, _ = bot.request("POST", EVENTS_PATH, body, headers)

    assert status == 401
    assert_nothing_sent_or_stored(bot)
    assert SECRET_WORD not in caplog.text
    assert "Traceback" not in caplog.text


def test_an_unsigned_event_naming_a_channel_sends_nothing_to_it(bot):
    body = signing.event_callback(signing.dm_message(SECRET_WORD))

    status, _ = bot.request("POST", EVENTS_PATH, body, {"Content-Type": signing.JSON,
                                                          "X-Slack-Request-Timestamp": ""})

    assert status == 401
    assert_nothing_sent_or_stored(bot)


@pytest.mark.parametrize("body", [
    "{not json", "[1, 2, 3]", '"a string"', "payload=%7Bnot-json", "payload=%5B%5D", "payload=",
    "\u00ff\u00fe", "null", "{}",
])
def test_a_signed_but_malformed_body_gets_a_clear_4xx_and_no_traceback(bot, body, caplog):
    status, _ = bot.post(body, signing.FORM if "=" in body else signing.JSON)

    assert 400 <= status < 500 or (body == "{}" and status < 500)
    assert bot.fake.outgoing() == []
    assert "Traceback" not in caplog.text


def test_a_body_that_is_not_utf8_is_refused(bot, caplog):
    raw = b"\xff\xfe\xfa payload"
    headers = signing.sign(bot.services.settings.signing_secret, raw.decode("latin-1"))
    status, _ = raw_post(bot, raw, {"Content-Type": signing.FORM, **headers})
    assert status in (400, 401)
    assert "Traceback" not in caplog.text


def raw_post(bot, body: bytes, headers: dict, content_length: str | None = None) -> tuple[int, str]:
    """A POST written by hand, so its Content-Length can lie."""
    import socket

    lines = [f"POST {EVENTS_PATH} HTTP/1.1", f"Host: {bot.host}", "Connection: close",
             f"Content-Length: {len(body) if content_length is None else content_length}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    with socket.create_connection((bot.host, bot.port), timeout=10) as connection:
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        reply = b""
        while chunk := connection.recv(65536):
            reply += chunk
    status_line = reply.split(b"\r\n", 1)[0].decode()
    return int(status_line.split()[1]), reply.decode("latin-1")


@pytest.mark.parametrize(("length", "status"), [("2000000000", 413), ("abc", 400), ("-5", 400)])
def test_a_lying_content_length_is_refused_before_the_body_is_read(bot, length, status):
    body = forged_body(bot).encode()
    headers = {"Content-Type": signing.FORM, **signing.sign(bot.services.settings.signing_secret, body.decode())}

    started = time.monotonic()
    got, _ = raw_post(bot, body, headers, content_length=length)

    assert got == status
    assert time.monotonic() - started < 5  # answered at once, nothing reserved for two gigabytes
    assert_nothing_sent_or_stored(bot)


def test_a_fuzz_of_malformed_requests_gets_no_5xx_no_outbound_call_and_no_text_in_the_log(bot, caplog):
    import random

    rng = random.Random(20261206)
    secret = bot.services.settings.signing_secret
    pieces = ["{", "}", "[", '"', "payload=", "%7B", "command=/policy", "&text=", SECRET_WORD, "\\u0000", "=", "&",
              '{"type":"event_callback","event":', '{"type":"block_actions"', "response_url=http://127.0.0.1:1/x"]
    statuses = []
    started = time.monotonic()
    for i in range(300):
        body = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        signed = i % 3 == 0
        headers = {"Content-Type": rng.choice([signing.JSON, signing.FORM, "text/plain"])}
        if signed:
            headers |= signing.sign(secret, body)
        elif i % 3 == 1:
            headers |= {"X-Slack-Request-Timestamp": rng.choice(["", "x", "1e9", str(int(time.time()))]),
                        "X-Slack-Signature": "v0=" + "0" * 64}
        status, _ = bot.request("POST", EVENTS_PATH, body, headers)
        statuses.append(status)
        assert time.monotonic() - started < 60
    bot.finish_listeners()

    assert all(status < 500 for status in statuses), sorted(set(statuses))
    assert [c for c in bot.fake.outgoing() if "127.0.0.1:1" in c.path] == []
    assert "Traceback" not in caplog.text
    assert SECRET_WORD not in caplog.text
