"""Asking the bot a question in Slack, the ways staff do: a direct message, an @mention, `/policy`."""

import json

import pytest
import signing
from fake_slack import BOT_ID, BOT_USER_ID, RESPONSE_URL, block_texts

from blocks.answers import help_blocks, help_text
from blocks.ids import ANSWER_HELPFUL, ANSWER_NOT_HELPFUL, SHOW_POLICY_TEXT
from blocks.text import escape

SNAPCHAT = "can I add a Year 9 on snap?"


def test_a_direct_message_is_answered_in_the_dm_verdict_first_citing_section_5_1(bot):
    status, _ = bot.send_event(signing.dm_message(SNAPCHAT))

    assert status == 200
    [call] = bot.fake.wait_for("chat.postMessage")
    assert call.ok
    assert call.headers["authorization"] == "Bearer xoxb-test"
    assert call.params["channel"] == signing.STAFF_DM
    assert "thread_ts" not in call.params
    expected = bot.services.guide.answer(SNAPCHAT)
    assert call.params["text"] == expected.headline  # what notifications and screen readers give first
    texts = block_texts(call.params["blocks"])
    assert texts[0] == f"*{escape(expected.headline)}*"
    assert texts[0].startswith("*No.")
    assert texts[1].startswith(">") and texts[1].endswith("_Section 5.1_")  # the one sentence it rests on
    [question] = bot.questions()
    assert question["source"] == "dm"
    assert question["question"] == SNAPCHAT
    assert question["answered"] == 1
    assert json.loads(question["sections"])[0] == "5.1"
    assert question["verdict"] == "not_allowed"


def test_the_answer_offers_helpful_and_not_helpful_buttons_for_the_stored_question(bot):
    bot.send_event(signing.dm_message(SNAPCHAT))

    [call] = bot.fake.wait_for("chat.postMessage")
    [question] = bot.questions()
    actions = [block for block in call.params["blocks"] if block.get("block_id") == "answer_feedback"]
    assert [b["action_id"] for b in actions[0]["elements"]] == [ANSWER_HELPFUL, ANSWER_NOT_HELPFUL]
    assert {b["value"] for b in actions[0]["elements"]} == {str(question["id"])}


def test_an_at_mention_in_a_channel_is_answered_in_a_thread_on_the_mention(bot):
    mention = signing.app_mention(f"<@{BOT_USER_ID}> can I slag off the school on fb", ts="1712345678.000200")

    status, _ = bot.send_event(mention)

    assert status == 200
    [call] = bot.fake.wait_for("chat.postMessage")
    assert call.params["channel"] == signing.STAFFROOM
    assert call.params["thread_ts"] == "1712345678.000200"
    assert block_texts(call.params["blocks"])[0].startswith("*No.")
    [question] = bot.questions()
    assert question["source"] == "mention"
    assert question["question"] == "can I slag off the school on fb"  # the mention itself is not part of it
    assert question["answered"] == 1


def test_an_at_mention_inside_a_thread_is_answered_in_that_thread(bot):
    mention = signing.app_mention(f"<@{BOT_USER_ID}> can I slag off the school on fb", ts="1712345678.000300",
                                  thread_ts="1712345000.000100")

    bot.send_event(mention)

    [call] = bot.fake.wait_for("chat.postMessage")
    assert call.params["thread_ts"] == "1712345000.000100"


def test_an_at_mention_with_no_question_gets_the_help_message_in_the_thread(bot):
    bot.send_event(signing.app_mention(f"<@{BOT_USER_ID}>", ts="1712345678.000400"))

    [call] = bot.fake.wait_for("chat.postMessage")
    assert call.params["text"] == help_text()
    assert call.params["blocks"] == help_blocks()
    assert call.params["thread_ts"] == "1712345678.000400"
    assert bot.questions() == []


@pytest.mark.parametrize("event", [
    pytest.param({**signing.dm_message("an answer"), "user": BOT_USER_ID, "bot_id": BOT_ID}, id="the bot's own DM"),
    pytest.param({**signing.dm_message(SNAPCHAT), "channel": "C0STAFFRM", "channel_type": "channel"},
                 id="a channel message without a mention"),
    pytest.param({**signing.dm_message(SNAPCHAT), "subtype": "message_changed"}, id="an edited DM"),
])
def test_messages_that_are_not_questions_to_the_bot_get_no_reply(bot, event):
    status, _ = bot.send_event(event)

    assert status == 200
    bot.fake.assert_no_more_calls(within=0.3)
    assert bot.fake.outgoing() == []
    assert bot.questions() == []


def test_slash_policy_is_answered_in_the_http_response_itself_ephemeral_with_blocks(bot):
    question = "can I accept a friend request from a parent"

    status, body = bot.command(question)

    assert status == 200
    reply = json.loads(body)
    assert reply["response_type"] == "ephemeral"
    expected = bot.services.guide.answer(question)
    assert reply["text"] == expected.headline
    assert block_texts(reply["blocks"])[0] == f"*{escape(expected.headline)}*"
    assert any(text.endswith("_Section 5.1_") for text in block_texts(reply["blocks"]))
    assert any(block["type"] == "actions" for block in reply["blocks"])
    assert bot.fake.outgoing() == []  # nothing posted in the channel, nothing sent to the response URL
    [stored] = bot.questions()
    assert (stored["source"], stored["question"], stored["answered"]) == ("command", question, 1)


@pytest.mark.parametrize("text", ["", "   "])
def test_slash_policy_with_no_question_gets_the_help_message(bot, text):
    status, body = bot.command(text)

    assert status == 200
    reply = json.loads(body)
    assert reply == {"response_type": "ephemeral", "text": help_text(), "blocks": help_blocks()}
    assert bot.questions() == []


@pytest.mark.parametrize("question", [
    "what does the payload of my post mean for the trust",
    'payload={"type": "block_actions"}',  # typed text never becomes an interactivity payload
])
def test_slash_policy_with_the_word_payload_is_still_a_command(bot, question):
    # Bolt's own body parser reads any form body containing "payload" as a button click, finds no
    # payload field, and answers 404; http_server.SlackRequest reads the form field by field.
    status, body = bot.command(question)

    assert status == 200
    reply = json.loads(body)
    assert reply["response_type"] == "ephemeral"
    assert reply["text"] == bot.services.guide.answer(question).headline
    [stored] = bot.questions()
    assert (stored["source"], stored["question"]) == ("command", question)


def test_a_direct_message_with_the_word_payload_is_answered(bot):
    question = "is it ok to post a payload of photos from the school trip on facebook?"

    bot.send_event(signing.dm_message(question))

    [call] = bot.fake.wait_for("chat.postMessage")
    assert call.params["text"] == bot.services.guide.answer(question).headline
    [stored] = bot.questions()
    assert stored["question"] == question


def test_curly_quotes_accents_and_emoji_arrive_intact(bot):
    question = "Can I ‘friend’ a Year 9’s mum on Facebook? Her café is next to school 🙂"

    status, _ = bot.send_event(signing.dm_message(question))
    command_status, _ = bot.command(question)

    assert (status, command_status) == (200, 200)
    bot.fake.wait_for("chat.postMessage")
    assert [row["question"] for row in bot.questions()] == [question, question]


def test_the_question_is_stored_as_typed_not_as_slack_encodes_it(bot):
    # Slack sends a typed "&", "<" and ">" as "&amp;", "&lt;" and "&gt;" in events and commands alike.
    typed = "Q&A: can I add Y9 & Y10 pupils on snap if they're > 16?"
    sent = typed.replace("&", "&amp;").replace(">", "&gt;")

    bot.send_event(signing.dm_message(sent))
    bot.command(sent)

    call = bot.fake.wait_for("chat.postMessage")[0]
    assert call.params["text"] == bot.services.guide.answer(typed).headline
    assert [row["question"] for row in bot.questions()] == [typed, typed]


@pytest.mark.parametrize("command", ["/report-harassment", "/request-access"])
def test_the_workflow_commands_say_what_to_do_for_now(bot, command):
    status, body = bot.command("a parent keeps messaging me", command=command)

    assert status == 200
    reply = json.loads(body)
    assert reply["response_type"] == "ephemeral"
    assert "Head Teacher / Manager" in reply["text"]


PINGS = ("<!channel>", "<!here>", "<!everyone>", "<@U123>", "<@U123|bob>", "<#C123>", "<!subteam^S123>")
LOUD_QUESTION = "<!channel> <!here> <!everyone> <@U123> <@U123|bob> <#C123> <!subteam^S123> can I post photos of " \
                "pupils on instagram?"


def assert_no_pings(text: str):
    leaked = [ping for ping in PINGS if ping in text]
    assert not leaked, f"{leaked} reached Slack unescaped"


def test_pings_typed_in_a_dm_never_reach_slack(bot):
    bot.send_event(signing.dm_message(LOUD_QUESTION))

    bot.fake.wait_for("chat.postMessage")
    for call in bot.fake.outgoing():
        assert_no_pings(call.dumped)
    assert bot.questions()[0]["answered"] == 1  # a real answer went out, not just silence


def test_pings_typed_in_a_mention_never_reach_slack(bot):
    bot.send_event(signing.app_mention(f"<@{BOT_USER_ID}> {LOUD_QUESTION}"))

    bot.fake.wait_for("chat.postMessage")
    for call in bot.fake.outgoing():
        assert_no_pings(call.dumped)


def test_pings_typed_in_slash_policy_never_reach_slack(bot):
    status, body = bot.command(LOUD_QUESTION)

    assert status == 200
    assert_no_pings(body)
    assert bot.fake.outgoing() == []


def test_a_question_asked_in_a_dm_thread_is_answered_in_that_thread(bot):
    bot.send_event(signing.dm_message("can I add a Year 9 on snap?") | {"thread_ts": "1700000000.000100"})
    [call] = bot.fake.wait_for("chat.postMessage")
    assert call.params["thread_ts"] == "1700000000.000100"


def test_a_follow_up_in_a_thread_is_read_with_the_thread_question(bot):
    root = "1712345678.000200"
    bot.send_event(signing.app_mention(f"<@{BOT_USER_ID}> can I add a Year 9 on snap?", ts=root))
    bot.fake.wait_for("chat.postMessage")

    bot.send_event(signing.app_mention(f"<@{BOT_USER_ID}> what about tiktok?", ts="1712345690.000300")
                   | {"thread_ts": root})

    [_, follow_up] = bot.fake.wait_for("chat.postMessage", count=2)
    assert follow_up.params["thread_ts"] == root
    assert block_texts(follow_up.params["blocks"])[0].startswith("*No.")
    assert bot.questions()[-1]["question"] == "can I add a Year 9 on snap? what about tiktok?"


def test_a_follow_up_with_nothing_before_it_asks_for_the_whole_question(bot):
    bot.send_event(signing.app_mention(f"<@{BOT_USER_ID}> what about tiktok?", ts="1712345690.000300"))

    [call] = bot.fake.wait_for("chat.postMessage")
    assert "whole question" in block_texts(call.params["blocks"])[0]


def test_show_the_policy_text_gives_the_clicker_the_whole_section(bot):
    bot.send_event(signing.dm_message(SNAPCHAT))
    [call] = bot.fake.wait_for("chat.postMessage")
    message = {"type": "message", "user": BOT_USER_ID, "ts": call.response["ts"], "text": call.params["text"],
               "blocks": call.params["blocks"]}

    status, _ = bot.click(message, SHOW_POLICY_TEXT, response_id="show-text")

    assert status == 200
    [reply] = bot.fake.wait_for(RESPONSE_URL)
    assert reply.params["replace_original"] is False
    assert reply.params["response_type"] == "ephemeral"
    texts = block_texts(reply.params["blocks"])
    assert texts[0].startswith("*Section 5.1: ")
    assert "transparent and open to scrutiny" in texts[0]


def test_opening_the_app_home_shows_how_to_ask(bot):
    event = {"type": "app_home_opened", "user": signing.STAFF_USER, "channel": signing.STAFF_DM, "tab": "home",
             "event_ts": signing.message_ts()}
    status, _ = bot.send_event(event)
    assert status == 200
    [call] = bot.fake.wait_for("views.publish")
    assert call.params["user_id"] == signing.STAFF_USER
    view = call.params["view"] if isinstance(call.params["view"], dict) else json.loads(call.params["view"])
    assert view["type"] == "home"
    assert any("/policy" in text for text in block_texts(view["blocks"]))
