"""The Helpful / Not helpful buttons under an answer."""

import json

import signing
from fake_slack import BOT_USER_ID, RESPONSE_URL, block_texts

from blocks.ids import ANSWER_HELPFUL, ANSWER_NOT_HELPFUL, FEEDBACK_BLOCK

SNAPCHAT = "can I add a Year 9 on snap?"


def posted_answer(bot, event: dict) -> dict:
    """Ask through Slack; the answer message as Slack would hold it (and hand back in a click)."""
    bot.send_event(event)
    [call] = bot.fake.wait_for("chat.postMessage")
    return {"type": "message", "user": BOT_USER_ID, "ts": call.response["ts"], "text": call.params["text"],
            "blocks": call.params["blocks"]}


def assert_replaced_without_buttons(call):
    assert call.params["replace_original"] is True
    assert not [block for block in call.params["blocks"] if block.get("block_id") == FEEDBACK_BLOCK]
    assert any("Thank you for the feedback" in text for text in block_texts(call.params["blocks"]))


def test_helpful_stores_one_row_and_replaces_the_message_without_buttons(bot):
    answer = posted_answer(bot, signing.dm_message(SNAPCHAT))
    [question] = bot.questions()

    status, _ = bot.click(answer, ANSWER_HELPFUL, response_id="dm-answer")

    assert status == 200
    [reply] = bot.fake.wait_for(RESPONSE_URL)
    assert reply.path == "/response/dm-answer"
    assert_replaced_without_buttons(reply)
    assert block_texts(reply.params["blocks"])[0] == block_texts(answer["blocks"])[0]  # still the same answer
    [row] = bot.feedback()
    assert (row["question_id"], row["user_id"], row["helpful"]) == (question["id"], signing.STAFF_USER, 1)


def test_a_double_click_stores_one_row(bot):
    answer = posted_answer(bot, signing.dm_message(SNAPCHAT))

    first, _ = bot.click(answer, ANSWER_HELPFUL)
    second, _ = bot.click(answer, ANSWER_HELPFUL)

    assert (first, second) == (200, 200)
    for reply in bot.fake.wait_for(RESPONSE_URL, count=2):
        assert_replaced_without_buttons(reply)
    assert [(row["user_id"], row["helpful"]) for row in bot.feedback()] == [(signing.STAFF_USER, 1)]


def test_a_change_of_mind_does_not_overwrite_the_first_click(bot):
    answer = posted_answer(bot, signing.dm_message(SNAPCHAT))

    bot.click(answer, ANSWER_HELPFUL)
    bot.fake.wait_for(RESPONSE_URL)
    bot.click(answer, ANSWER_NOT_HELPFUL)
    bot.fake.wait_for(RESPONSE_URL, count=2)

    assert [row["helpful"] for row in bot.feedback()] == [1]


def test_not_helpful_on_a_slash_policy_answer_is_stored(bot):
    status, body = bot.command("can I accept a friend request from a parent")
    assert status == 200
    ephemeral = {"type": "message", "ts": "", "text": json.loads(body)["text"], "blocks": json.loads(body)["blocks"]}

    status, _ = bot.click(ephemeral, ANSWER_NOT_HELPFUL, response_id="ephemeral", channel=signing.STAFFROOM,
                          is_ephemeral=True)

    assert status == 200
    [reply] = bot.fake.wait_for(RESPONSE_URL)
    assert_replaced_without_buttons(reply)
    [question] = bot.questions()
    [row] = bot.feedback()
    assert (row["question_id"], row["helpful"]) == (question["id"], 0)


def test_two_colleagues_on_one_thread_answer_each_count_once(bot):
    answer = posted_answer(bot, signing.app_mention(f"<@{BOT_USER_ID}> can I slag off the school on fb"))

    bot.click(answer, ANSWER_HELPFUL, user="U0ALICE", channel=signing.STAFFROOM)
    bot.click(answer, ANSWER_NOT_HELPFUL, user="U0BOB", channel=signing.STAFFROOM)
    for reply in bot.fake.wait_for(RESPONSE_URL, count=2):
        # The thread answer stays as it is, buttons and all; each person is thanked privately.
        assert reply.params["replace_original"] is False
        assert reply.params["response_type"] == "ephemeral"
        assert "Thank you for the feedback" in reply.params["text"]

    assert [(row["user_id"], row["helpful"]) for row in bot.feedback()] == [("U0ALICE", 1), ("U0BOB", 0)]
