"""Asking the bot a question, and telling it whether the answer helped."""

from dataclasses import dataclass

from knowledge.answers import Answer, PolicyGuide
from storage import questions
from storage.database import Database


@dataclass(frozen=True)
class AskedQuestion:
    id: int
    answer: Answer


def ask(guide: PolicyGuide, database: Database, question: str, source: str) -> AskedQuestion:
    """Answer a question and keep it in the question log (unanswered ones show the policy owner its gaps)."""
    answer = guide.answer(question)
    question_id = questions.record_question(
        database,
        source=source,
        question=question,
        answered=answer.answered,
        sections=answer.match.section_ids[:3],
        verdict=answer.verdict,
        score=answer.match.score,
    )
    return AskedQuestion(question_id, answer)


def give_feedback(database: Database, question_id: int, user_id: str, helpful: bool) -> bool:
    """Record feedback once per person per answer; False when they had already given it."""
    return questions.record_feedback(database, question_id=question_id, user_id=user_id, helpful=helpful)


def asked_question(guide: PolicyGuide, database: Database, question_id: int) -> AskedQuestion | None:
    """A logged question with its answer, as the bot gives it now."""
    row = questions.get_question(database, question_id)
    if row is None:
        return None
    return AskedQuestion(question_id, guide.answer(row["question"]))
