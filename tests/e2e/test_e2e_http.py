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
