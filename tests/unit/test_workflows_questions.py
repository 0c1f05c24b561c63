"""workflows/questions.py: asking, logging and feedback, against a real SQLite file."""

import json

from storage.questions import get_question, unanswered_questions
from workflows.questions import ask, asked_question, give_feedback


def test_ask_answers_and_logs_an_answered_question(guide, database):
    asked = ask(guide, database, "can I add a Year 9 on snap?", source="dm")
    assert asked.answer.answered
    row = get_question(database, asked.id)
    assert row["question"] == "can I add a Year 9 on snap?"
    assert row["source"] == "dm"
    assert row["answered"] == 1
    assert json.loads(row["sections"]) == asked.answer.as_json()["sections"]
    assert json.loads(row["sections"])[0] == "5.1"
    assert row["verdict"] == asked.answer.verdict
    assert row["score"] > 0


def test_ask_logs_an_unanswered_question_for_the_policy_owner(guide, database):
    asked = ask(guide, database, "when is pay day", source="console")
    assert not asked.answer.answered
    row = get_question(database, asked.id)
    assert row["answered"] == 0
    assert row["verdict"] is None
    assert len(json.loads(row["sections"])) <= 3
    assert [r["question"] for r in unanswered_questions(database)] == ["when is pay day"]


def test_give_feedback_once_per_person(guide, database):
    asked = ask(guide, database, "can I add a Year 9 on snap?", source="command")
    assert give_feedback(database, asked.id, "U1", helpful=True) is True
    assert give_feedback(database, asked.id, "U1", helpful=False) is False
    assert give_feedback(database, asked.id, "U2", helpful=False) is True
    assert give_feedback(database, asked.id + 100, "U1", helpful=True) is False


def test_asked_question_gives_the_logged_question_back(guide, database):
    asked = ask(guide, database, "can I add a Year 9 on snap?", source="mention")
    again = asked_question(guide, database, asked.id)
    assert again.id == asked.id
    assert again.answer.question == "can I add a Year 9 on snap?"
    assert again.answer.as_json() == asked.answer.as_json()


def test_asked_question_unknown_id_is_none(guide, database):
    assert asked_question(guide, database, 4242) is None
