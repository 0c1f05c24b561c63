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


def test_the_askers_own_safeguarding_lead_is_named(guide, database, tmp_path):
    from workflows.directory import HEADER, read_directory
    from workflows.questions import safeguarding_lead_for

    path = tmp_path / "staff.csv"
    path.write_text(",".join(HEADER) + "\nU1,Ann Head,ann@oak.sch.uk,manager,Oakfield,\n"
                    "U2,Dev Safe,dev@oak.sch.uk,staff;safeguarding_lead,Oakfield,U1\n"
                    "U3,Tia Assistant,tia@oak.sch.uk,staff,Oakfield,U1\n"
                    "U4,Eve Elm,eve@elm.sch.uk,staff,Elmwood,U1\n", encoding="utf-8")
    directory = read_directory(path)
    assert safeguarding_lead_for(directory, "U3") == "Dev Safe"
    assert safeguarding_lead_for(directory, "U4") is None  # Elmwood has none: the answer says "your DSL"
    assert safeguarding_lead_for(directory, "UNKNOWN") is None
    asked = ask(guide, database, "a y8 sent me a pic of her cuts on insta", source="dm",
                safeguarding_lead=safeguarding_lead_for(directory, "U3"))
    assert "Dev Safe" in asked.answer.headline


def test_a_follow_up_is_read_with_the_question_before_it_in_the_same_conversation(guide, database):
    from workflows.questions import conversation_key

    here, elsewhere = conversation_key("slack", "C1", "1.0"), conversation_key("slack", "C2", "1.0")
    ask(guide, database, "can I add a Year 9 on snap?", source="mention", conversation=here)
    follow_up = ask(guide, database, "what about tiktok?", source="mention", conversation=here)
    assert follow_up.answer.question == "can I add a Year 9 on snap? what about tiktok?"
    assert follow_up.answer.match.section_ids[0] == "5.1"
    alone = ask(guide, database, "what about tiktok?", source="mention", conversation=elsewhere)
    assert not alone.answer.answered
    assert "whole question" in alone.answer.headline
