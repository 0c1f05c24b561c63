"""The matcher's figures on the labelled question set must not fall (bench/evaluate_matcher.py prints them)."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from evaluate_matcher import evaluate, read_set  # noqa: E402

from config import DEFAULT_PROTOCOL_FILE  # noqa: E402
from knowledge.answers import PolicyGuide  # noqa: E402


@pytest.fixture(scope="module")
def figures():
    guide = PolicyGuide.from_file(DEFAULT_PROTOCOL_FILE)
    return evaluate(guide, read_set(ROOT / "tests" / "data" / "questions.tsv"))


def test_the_question_set_is_big_enough_to_mean_something(figures):
    assert figures["in_scope"] >= 200
    assert figures["out_of_scope"] >= 40


def test_the_right_section_comes_first_for_most_questions(figures):
    assert figures["top1"] / figures["in_scope"] >= 0.85


def test_the_right_section_is_nearly_always_in_the_top_three(figures):
    assert figures["top3"] / figures["in_scope"] >= 0.95


def test_in_scope_questions_are_answered_and_out_of_scope_ones_declined(figures):
    assert figures["answered"] / figures["in_scope"] >= 0.95
    assert figures["abstained"] / figures["out_of_scope"] >= 0.90


@pytest.fixture(scope="module")
def real_figures():
    guide = PolicyGuide.from_file(DEFAULT_PROTOCOL_FILE)
    return evaluate(guide, read_set(ROOT / "bench" / "data" / "real_tune.tsv"))


def test_real_staff_questions_do_not_fall_back(real_figures):
    """The tuning half of the real questions (bench/data/real_measure.tsv is only ever measured)."""
    f = real_figures
    assert f["in_scope"] >= 150 and f["out_of_scope"] >= 75
    assert f["top1"] / f["in_scope"] >= 0.72
    assert f["top3"] / f["in_scope"] >= 0.90
    assert f["answered"] / f["in_scope"] >= 0.88
    assert f["abstained"] / f["out_of_scope"] >= 0.78
    assert f["safeguarding_first"] == f["safeguarding"]
    assert f["prohibitions"] == 0
