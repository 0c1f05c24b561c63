"""Questions staff really ask: the safeguarding step first, never a rule aimed at the person harmed,
and what is not ours declined with where to go.

The sets are real questions from public forums and advice pages (each row has its source URL), from
the tuning side of the split; bench/evaluate_matcher.py prints the same figures for every set.
"""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from evaluate_matcher import prohibits_the_asker, read_set  # noqa: E402

from blocks.answers import EXAMPLE_QUESTIONS  # noqa: E402
from console.chat import BANNER  # noqa: E402

SAFEGUARDING = read_set(ROOT / "tests" / "data" / "safeguarding.tsv")
DONE_TO_ME = read_set(ROOT / "tests" / "data" / "done_to_me.tsv")


def test_the_sets_are_big_enough_to_mean_something():
    assert len(SAFEGUARDING) >= 40
    assert len(DONE_TO_ME) >= 40
    assert all(row["tags"] for row in SAFEGUARDING + DONE_TO_ME)


@pytest.mark.parametrize("question", [row["question"] for row in SAFEGUARDING])
def test_where_a_child_may_be_at_risk_the_safeguarding_step_comes_first(guide, question):
    answer = guide.answer(question)
    assert answer.kind == "safeguarding"
    assert answer.answered  # never "not ours", never "not sure"
    assert answer.headline.startswith("A child may be at risk")
    assert "999" in answer.headline


@pytest.mark.parametrize("question", [row["question"] for row in DONE_TO_ME])
def test_the_person_harmed_is_never_told_what_not_to_do(guide, question):
    assert not prohibits_the_asker(guide.answer(question))


QUOTED_IN_THE_ISSUE = [
    # (question, what kind of answer, the sections any of which may come first)
    ("my ex is a parent at school and keeps messaging me", "harmed", {"4.3", "5.2"}),
    ("someone made a fake account of me", "harmed", {"4.3", "4.2"}),
    ("a parent left a nasty comment about me on the school's facebook page, im so upset", "harmed", {"4.3", "4.2"}),
    ("what protection is there for staff when parents post disrespectful comments about us", "harmed",
     {"4.3", "4.2", "3.4"}),
    ("a pupil dmd me on insta at 11pm saying shes not safe at home", "safeguarding", {"5.2"}),
    ("I know a colleague is in a relationship with a sixth form student, what should I do?", "safeguarding",
     {"7.5", "5.6"}),
    ("y11 posted a tiktok saying she wants to end it all", "safeguarding", {"5.2", "5.7"}),
    ("nudes of a y10 girl are going round", "safeguarding", {"5.2", "5.7", "7.5"}),
    ("can i add a parnet on fb", "policy", {"5.1"}),
    ("can my employer monitor what I write on facebook at work?", "policy", {"6.1"}),
    ("can I moan about SLT on my private insta if it's locked", "policy", {"A2.3", "A2.2", "summary"}),
    ("can the school account follow back students", "policy", {"5.4", "5.3", "5.1"}),
]


@pytest.mark.parametrize(("question", "kind", "sections"), QUOTED_IN_THE_ISSUE)
def test_the_questions_that_went_wrong_before(guide, question, kind, sections):
    answer = guide.answer(question)
    assert answer.kind == kind
    assert answer.match.section_ids[0] in sections


@pytest.mark.parametrize(("question", "route"), [
    ("how do I block someone on snapchat", "app itself"),
    ("how do i stop people tagging me in photos", "app itself"),
    ("when is pay day", "HR or payroll"),
    ("how do I book annual leave", "HR or payroll"),
    ("the heating is broken in the staff room", "site team"),
])
def test_what_is_not_ours_is_declined_with_where_to_go(guide, question, route):
    answer = guide.answer(question)
    assert not answer.answered
    assert route in answer.headline


def test_a_harmed_answer_is_kind_first_and_offers_the_report_form(guide):
    answer = guide.answer("a parent left a nasty comment about me on the school's facebook page, im so upset")
    assert answer.headline.startswith("I'm sorry")
    assert answer.workflows == ("report-harassment",)
    assert answer.verdict == "report_it"


def test_the_safeguarding_lead_is_named_when_the_asker_is_known(guide):
    answer = guide.answer("y11 posted a tiktok saying she wants to end it all", safeguarding_lead="Sam Patel")
    assert "Designated Safeguarding Lead, Sam Patel," in answer.headline


@pytest.mark.parametrize("slip", ["parnet", "pareent", "perent"])
def test_a_slip_in_a_word_that_decides_never_becomes_someone_else(guide, slip):
    answer = guide.answer(f"can i add a {slip} on fb")
    assert answer.match.section_ids[0] == "5.1"


EXAMPLES_SHOWN = {
    "Can I accept a friend request from a parent?": {"5.1"},
    "Can I add a Year 9 on Snapchat?": {"5.1"},
    "A parent keeps messaging me on Instagram. What do I do?": {"5.2", "4.3"},
    "Can I moan about SLT on my private account?": {"A2.3", "A2.2", "summary"},
}


def test_every_example_the_bot_shows_is_answered_right(guide):
    assert set(EXAMPLE_QUESTIONS) == set(EXAMPLES_SHOWN)
    assert "can I add a Year 9 on snap?" in BANNER
    for question, sections in {**EXAMPLES_SHOWN, "can I add a Year 9 on snap?": {"5.1"}}.items():
        answer = guide.answer(question)
        assert answer.answered, question
        assert answer.match.section_ids[0] in sections, question
        assert answer.verdict != "allowed_with_care" or sections == {"A1.5"}, question
