"""The question log: what staff asked, what the bot answered, and whether it helped.

Who asked is not stored with the question: the policy owner needs to see what
the policy leaves unanswered, not who wondered about it.
"""

import json

from storage.database import Database
from storage.timestamps import utc_now


def record_question(database: Database, *, source: str, question: str, answered: bool,
                    sections: list[str], verdict: str | None, score: float, conversation: str | None = None) -> int:
    with database.connect() as db:
        row = {
            "asked_at": utc_now(),
            "conversation": conversation,
            "source": source,
            "question": question,
            "answered": int(answered),
            "sections": json.dumps(sections),
            "verdict": verdict,
            "score": round(score, 4),
        }
        return db["questions"].insert(row).last_pk


def record_feedback(database: Database, *, question_id: int, user_id: str, helpful: bool) -> bool:
    """Store one person's feedback on one answer; a second click changes nothing. True if stored."""
    with database.connect() as db:
        cursor = db.execute(
            "INSERT OR IGNORE INTO feedback (question_id, user_id, helpful, given_at) "
            "SELECT id, ?, ?, ? FROM questions WHERE id = ?",
            [user_id, int(helpful), utc_now(), question_id],
        )
        return cursor.rowcount == 1


def unanswered_questions(database: Database, since: str | None = None) -> list[dict]:
    """Questions the bot abstained on, newest first (for the policy owner)."""
    with database.connect() as db:
        where, params = "answered = 0", []
        if since:
            where += " AND asked_at >= ?"
            params.append(since)
        return list(db["questions"].rows_where(where, params, order_by="asked_at desc"))


def get_question(database: Database, question_id: int) -> dict | None:
    with database.connect() as db:
        rows = list(db["questions"].rows_where("id = ?", [question_id]))
        return rows[0] if rows else None


def last_question_in(database: Database, conversation: str, since: str) -> str | None:
    """The latest question asked in a conversation since a moment, for reading a follow-up with it."""
    with database.connect() as db:
        row = db.execute("SELECT question FROM questions WHERE conversation = ? AND asked_at >= ? "
                         "ORDER BY asked_at DESC, id DESC LIMIT 1", [conversation, since]).fetchone()
        return row[0] if row else None
