"""When Slack's Web API or the bot itself fails: retried where Slack says so, logged, never silently lost."""

import json
import logging

import pytest
import signing

import handlers.commands
import handlers.events

SNAPCHAT = "can I add a Year 9 on snap?"


@pytest.mark.parametrize(("status", "headers"), [
    pytest.param(429, {"Retry-After": "0"}, id="rate limited"),
    pytest.param(500, {}, id="server error"),
])
def test_a_dm_answer_is_delivered_exactly_once_after_a_failed_attempt(bot, status, headers):
    bot.fake.fail_next("chat.postMessage", status=status, headers=headers)

    bot.send_event(signing.dm_message(SNAPCHAT))

    attempts = bot.fake.wait_for("chat.postMessage", count=2, timeout=5)
    assert [call.status for call in attempts] == [status, 200]
    assert attempts[0].params == attempts[1].params  # the same answer, sent again
    bot.fake.assert_no_more_calls("chat.postMessage", within=0.5)
    assert len(bot.questions()) == 1


def test_a_slack_api_error_is_logged_and_not_retried(bot, caplog):
    bot.fake.fail_next("chat.postMessage", error="channel_not_found")

    bot.send_event(signing.dm_message(SNAPCHAT))

    bot.fake.wait_for("chat.postMessage")
    bot.fake.assert_no_more_calls("chat.postMessage", within=0.3)
    bot.finish_listeners()
    assert any(record.levelno == logging.ERROR and record.exc_info and "SlackApiError" in record.getMessage()
               for record in caplog.records), caplog.text
    assert SNAPCHAT not in caplog.text


def broken(*args, **kwargs):
    raise RuntimeError("the question workflow broke")


def test_a_failure_inside_an_event_listener_is_logged_without_the_question(bot, monkeypatch, caplog):
    caplog.set_level(logging.INFO)
    monkeypatch.setattr(handlers.events, "ask", broken)
    question = "can I add a Year 9 on snap? (ask about Jo Bloggs in 9C)"

    status, _ = bot.send_event(signing.dm_message(question))
    bot.finish_listeners()

    assert status == 200
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR and r.exc_info]
    assert failures, "the failure was swallowed"
    assert any(isinstance(r.exc_info[1], RuntimeError) for r in failures)
    assert "the question workflow broke" in caplog.text  # the traceback is there for whoever investigates
    assert "Jo Bloggs" not in caplog.text
    assert bot.fake.calls("chat.postMessage") == []
    [sorry] = bot.fake.calls("chat.postEphemeral")  # the person is told, privately, never left in silence
    assert sorry.params["user"] == signing.STAFF_USER
    assert "something went wrong" in sorry.params["text"]
    assert "Jo Bloggs" not in sorry.params["text"]


def test_a_failure_inside_slash_policy_is_logged_without_the_question(bot, monkeypatch, caplog):
    caplog.set_level(logging.INFO)
    monkeypatch.setattr(handlers.commands, "ask", broken)
    question = "can I add a Year 9 on snap? (ask about Jo Bloggs in 9C)"

    status, body = bot.command(question)
    bot.finish_listeners()

    # The person is told: Slack shows "/policy failed" for a 5xx (or the bot says sorry itself); never silence.
    assert status >= 500 or json.loads(body).get("text")
    assert "Jo Bloggs" not in body
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR and r.exc_info]
    assert any(isinstance(r.exc_info[1], RuntimeError) for r in failures), caplog.text
    assert "Jo Bloggs" not in caplog.text
