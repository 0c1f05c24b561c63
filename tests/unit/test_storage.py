"""storage/: the SQLite file, its schema, the question log and Slack event de-duplication."""

import json
import sqlite3

import pytest

from storage import database as database_module
from storage.database import SCHEMA_VERSION, Database
from storage.questions import get_question, record_feedback, record_question, unanswered_questions
from storage.slack_events import first_delivery


def rows(path, sql, params=()):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def log_question(database, question="can I add a Year 9 on snap?", answered=True, sections=("5.1",),
                 verdict="not_allowed", score=0.61234567, source="dm"):
    return record_question(database, source=source, question=question, answered=answered,
                           sections=list(sections), verdict=verdict, score=score)


# --- the database -------------------------------------------------------------------------------------------------


def test_new_database_is_at_the_latest_schema_version_with_wal(tmp_path):
    path = tmp_path / "nested" / "dir" / "bot.db"
    database = Database(path)
    assert path.exists()
    assert database.schema_version() == SCHEMA_VERSION
    assert rows(path, "PRAGMA journal_mode") == [("wal",)]
    tables = {name for (name,) in rows(path, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"schema_version", "questions", "feedback", "slack_events"} <= tables


def test_opening_again_does_not_rerun_migrations(tmp_path):
    path = tmp_path / "bot.db"
    database = Database(path)
    question_id = log_question(database)
    applied = rows(path, "SELECT version, applied_at FROM schema_version")

    reopened = Database(path)
    assert reopened.schema_version() == SCHEMA_VERSION
    assert rows(path, "SELECT version, applied_at FROM schema_version") == applied
    assert get_question(reopened, question_id)["question"] == "can I add a Year 9 on snap?"


def test_database_newer_than_the_code_is_refused(tmp_path):
    path = tmp_path / "bot.db"
    Database(path)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_version VALUES (?, datetime('now'))", [SCHEMA_VERSION + 1])
    conn.commit()
    conn.close()
    with pytest.raises(RuntimeError, match="newer than this code knows"):
        Database(path)


def test_a_failing_migration_leaves_the_database_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "bot.db"
    Database(path)

    def broken_migration(db):
        db["half_done"].create({"id": int}, pk="id")
        raise ValueError("migration failed")

    monkeypatch.setattr(database_module, "MIGRATIONS", [*database_module.MIGRATIONS, broken_migration])
    monkeypatch.setattr(database_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(ValueError, match="migration failed"):
        Database(path)
    assert rows(path, "SELECT max(version) FROM schema_version") == [(SCHEMA_VERSION,)]
    assert rows(path, "SELECT name FROM sqlite_master WHERE name = 'half_done'") == []


def test_connections_enforce_foreign_keys(database):
    with database.connect() as db:
        assert db.execute("PRAGMA foreign_keys").fetchone() == (1,)


# --- the question log ---------------------------------------------------------------------------------------------


def test_record_question_stores_what_was_asked_and_answered(database):
    question_id = log_question(database, sections=("5.1", "5.2", "A1.6"))
    row = get_question(database, question_id)
    assert row["question"] == "can I add a Year 9 on snap?"
    assert row["source"] == "dm"
    assert row["answered"] == 1
    assert json.loads(row["sections"]) == ["5.1", "5.2", "A1.6"]
    assert row["verdict"] == "not_allowed"
    assert row["score"] == 0.6123
    assert row["asked_at"].endswith("+00:00")


def test_question_ids_are_distinct(database):
    assert log_question(database) != log_question(database)


def test_get_question_unknown_id_is_none(database):
    assert get_question(database, 999) is None


def test_record_feedback_once_per_person(database):
    question_id = log_question(database)
    assert record_feedback(database, question_id=question_id, user_id="U1", helpful=True) is True
    assert record_feedback(database, question_id=question_id, user_id="U1", helpful=False) is False
    assert record_feedback(database, question_id=question_id, user_id="U2", helpful=False) is True
    stored = rows(database.path, "SELECT user_id, helpful FROM feedback WHERE question_id = ? ORDER BY user_id",
                  [question_id])
    assert stored == [("U1", 1), ("U2", 0)]


def test_feedback_for_an_unknown_question_is_ignored(database):
    assert record_feedback(database, question_id=12345, user_id="U1", helpful=True) is False
    assert rows(database.path, "SELECT count(*) FROM feedback") == [(0,)]


def test_unanswered_questions_lists_only_abstentions_newest_first(database):
    log_question(database, question="answered one")
    log_question(database, question="when is pay day", answered=False, sections=(), verdict=None, score=0.0)
    log_question(database, question="what about the canteen", answered=False, sections=("summary",), verdict=None)
    found = unanswered_questions(database)
    assert {row["question"] for row in found} == {"when is pay day", "what about the canteen"}
    assert all(row["answered"] == 0 and row["verdict"] is None for row in found)
    asked_at = [row["asked_at"] for row in found]
    assert asked_at == sorted(asked_at, reverse=True)


def test_unanswered_questions_since(database):
    log_question(database, question="when is pay day", answered=False, sections=(), verdict=None)
    assert [row["question"] for row in unanswered_questions(database, since="2000-01-01")] == ["when is pay day"]
    assert unanswered_questions(database, since="9999-01-01") == []


# --- Slack event IDs ----------------------------------------------------------------------------------------------


def test_first_delivery_true_once_then_false(database):
    assert first_delivery(database, "Ev01") is True
    assert first_delivery(database, "Ev01") is False
    assert first_delivery(database, "Ev01") is False
    assert first_delivery(database, "Ev02") is True


def test_first_delivery_survives_reopening(tmp_path):
    path = tmp_path / "bot.db"
    assert first_delivery(Database(path), "Ev01") is True
    assert first_delivery(Database(path), "Ev01") is False
