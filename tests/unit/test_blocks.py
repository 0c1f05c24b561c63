"""blocks/: Slack Block Kit from pure functions, checked with plain asserts."""

import dataclasses
import json

import pytest

from blocks import ids
from blocks.answers import answer_blocks, answer_text, help_blocks, policy_text_blocks
from blocks.text import SECTION_TEXT_LIMIT, escape, quote

MAX_BLOCKS = 50  # Slack's limit for a message


def texts(blocks: list[dict]) -> list[str]:
    """Every mrkdwn/plain text in the blocks."""
    found = []
    for block in blocks:
        if "text" in block:
            found.append(block["text"]["text"])
        for element in block.get("elements", []):
            found.append(element["text"]["text"] if isinstance(element.get("text"), dict) else element["text"])
    return found


def buttons(blocks: list[dict]) -> list[dict]:
    """The feedback buttons (an answer may also offer a workflow's button)."""
    return [element for block in blocks if block.get("block_id") == ids.FEEDBACK_BLOCK for element in block["elements"]]


@pytest.fixture(scope="module")
def snap(guide):
    return guide.answer("can I add a Year 9 on snap?")


@pytest.fixture(scope="module")
def pay_day(guide):
    return guide.answer("when is pay day")


def test_escape_slacks_control_characters():
    assert escape("<!channel>") == "&lt;!channel&gt;"
    assert escape("<@U123|bob>") == "&lt;@U123|bob&gt;"
    assert escape("Tom & Jerry") == "Tom &amp; Jerry"
    assert escape("&lt;") == "&amp;lt;"
    assert escape("plain text") == "plain text"


def test_quote_escapes_and_marks_every_line():
    assert quote("a <b>\n\nc & d") == ">a &lt;b&gt;\n>\n>c &amp; d"


def test_answer_blocks_start_with_the_headline(snap):
    blocks = answer_blocks(snap, question_id=7)
    assert blocks[0]["type"] == "section"
    assert escape(snap.headline) in blocks[0]["text"]["text"]
    assert answer_text(snap) == snap.headline


def test_answer_blocks_quote_the_sections(snap):
    all_text = "\n".join(texts(answer_blocks(snap, question_id=7)))
    for section in snap.sections:
        assert section.reference in all_text
    assert "Section 5.1" in all_text
    assert escape(snap.next_step) in all_text


def test_answer_blocks_have_feedback_buttons_carrying_the_question_id(snap):
    blocks = answer_blocks(snap, question_id=7)
    actions = [block for block in blocks if block["type"] == "actions"]
    assert [a["block_id"] for a in actions] == [ids.ANSWER_WORKFLOWS, ids.FEEDBACK_BLOCK]
    [open_form, show_text] = actions[0]["elements"]
    assert (open_form["action_id"], open_form["value"]) == (ids.OPEN_REQUEST_FORM, "pupil_connection")
    assert (show_text["action_id"], show_text["value"]) == (ids.SHOW_POLICY_TEXT, "7")
    assert [b["action_id"] for b in buttons(blocks)] == [ids.ANSWER_HELPFUL, ids.ANSWER_NOT_HELPFUL]
    assert all(b["type"] == "button" and b["value"] == "7" for b in buttons(blocks))


def test_no_buttons_without_a_question_id(snap):
    assert buttons(answer_blocks(snap)) == []


def test_feedback_given_replaces_the_buttons_with_thanks(snap):
    blocks = answer_blocks(snap, question_id=7, feedback_given=True)
    assert buttons(blocks) == []
    assert "Thank you" in blocks[-1]["elements"][0]["text"]


@pytest.mark.parametrize("feedback_given", [False, True])
def test_answer_blocks_stay_within_slacks_limits(guide, feedback_given):
    for question in ("can I add a Year 9 on snap?", "I'm being trolled by a parent on facebook", "when is pay day"):
        blocks = answer_blocks(guide.answer(question), question_id=1, feedback_given=feedback_given)
        assert len(blocks) <= MAX_BLOCKS
        assert all(len(text) <= SECTION_TEXT_LIMIT for text in texts(blocks))
        json.dumps(blocks)


def test_very_long_section_text_is_clipped(snap):
    long_section = dataclasses.replace(snap.sections[0], text="Keep boundaries & care. " * 400)
    answer = dataclasses.replace(snap, sections=(long_section, long_section))
    blocks = answer_blocks(answer, question_id=1)
    assert all(len(text) <= SECTION_TEXT_LIMIT for text in texts(blocks))
    assert len(blocks) <= MAX_BLOCKS


def test_text_from_the_protocol_file_is_escaped(snap):
    section = dataclasses.replace(snap.sections[0], title="Pupils <b> & parents", text="Say <!channel> here")
    answer = dataclasses.replace(snap, headline="No <!here> & no", sections=(section,), next_step="Ask <@U1>",
                                 key_sentence="Say <!channel> here")
    blocks = answer_blocks(answer, question_id=1)
    assert blocks[0]["text"]["text"] == "*No &lt;!here&gt; &amp; no*"
    dumped = json.dumps(blocks + policy_text_blocks(answer))
    for raw in ("<!channel>", "<!here>", "<@U1>", "<b>"):
        assert raw not in dumped
    assert "&lt;!channel&gt;" in dumped


def test_not_answered_has_no_quoted_sections(pay_day):
    blocks = answer_blocks(pay_day, question_id=3)
    assert not pay_day.answered
    all_text = texts(blocks)
    assert not any(text.lstrip("*").startswith(("Section ", "Appendix ", "The headline rule")) for text in all_text)
    assert not any("\n>" in text or text.startswith(">") for text in all_text)
    assert escape(pay_day.headline) in blocks[0]["text"]["text"]
    assert any("HR or payroll" in text for text in all_text)
    assert [b["value"] for b in buttons(blocks)] == ["3", "3"]
    assert not any(b.get("block_id") == ids.ANSWER_WORKFLOWS for b in blocks)  # no policy text to show


def test_help_message():
    assert "Social Networking Protocol" in help_blocks()[0]["text"]["text"]


def test_the_first_reply_is_short_and_the_policy_text_is_one_click_away(snap):
    blocks = answer_blocks(snap, question_id=7)
    assert snap.key_sentence in texts(blocks)[1].replace(">", "")
    assert snap.sections[0].text not in json.dumps(blocks)  # the whole section waits for the button
    full = policy_text_blocks(snap)
    assert full[0]["text"]["text"].startswith("*Section 5.1: ")
    assert len(full) <= MAX_BLOCKS
