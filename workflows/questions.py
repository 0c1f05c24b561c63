"""Asking the bot a question, and telling it whether the answer helped."""

import datetime as dt
import hashlib
from dataclasses import dataclass

from knowledge.answers import Answer, PolicyGuide, is_follow_up
from storage import questions
from storage.database import Database
from storage.timestamps import utc_now
from workflows.directory import Directory

FOLLOW_UP_WITHIN = dt.timedelta(hours=2)  # a follow-up is read with a question asked no longer ago than this


@dataclass(frozen=True)
class AskedQuestion:
    id: int
    answer: Answer


def conversation_key(*parts: str) -> str:
    """Where a question was asked (a thread, a chat), as a hash: enough to find a follow-up's question, no more."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]


def safeguarding_lead_for(directory: Directory, person_id: str | None) -> str | None:
    """The name of the asker's academy safeguarding lead, when the directory knows the asker."""
    person = directory.get(person_id) if person_id else None
    if person is None:
        return None
    leads = directory.with_role("safeguarding_lead", person.academy)
    return leads[0].name if leads else None


def ask(guide: PolicyGuide, database: Database, question: str, source: str, conversation: str | None = None,
        safeguarding_lead: str | None = None) -> AskedQuestion:
    """Answer a question and keep it in the question log (unanswered ones show the policy owner its gaps).

    A follow-up ("what about tiktok?") is read with the last question in the same conversation; with
    none, the bot asks for the whole question.
    """
    if is_follow_up(question):
        previous = conversation and questions.last_question_in(database, conversation, utc_now(FOLLOW_UP_WITHIN))
        if previous:
            question = f"{previous} {question}"
        else:
            answer = guide.needs_whole_question(question)
            return AskedQuestion(_record(database, answer, source, conversation), answer)
    answer = guide.answer(question, safeguarding_lead=safeguarding_lead)
    return AskedQuestion(_record(database, answer, source, conversation), answer)


def _record(database: Database, answer: Answer, source: str, conversation: str | None) -> int:
    return questions.record_question(
        database,
        source=source,
        question=answer.question,
        answered=answer.answered,
        sections=answer.match.section_ids[:3],
        verdict=answer.verdict,
        score=answer.match.score,
        conversation=conversation,
    )


def give_feedback(database: Database, question_id: int, user_id: str, helpful: bool) -> bool:
    """Record feedback once per person per answer; False when they had already given it."""
    return questions.record_feedback(database, question_id=question_id, user_id=user_id, helpful=helpful)


def asked_question(guide: PolicyGuide, database: Database, question_id: int) -> AskedQuestion | None:
    """A logged question with its answer, as the bot gives it now."""
    row = questions.get_question(database, question_id)
    if row is None:
        return None
    return AskedQuestion(question_id, guide.answer(row["question"]))
