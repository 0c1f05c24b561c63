"""console/: the terminal chat, driven through StringIO against the real services."""

import io
import sqlite3

from console.chat import BANNER, CONSOLE_USER, run_console
from console.render import answer_as_text, answer_in_full


def chat(services, typed: str) -> str:
    stdout = io.StringIO()
    run_console(services, io.StringIO(typed), stdout)
    return stdout.getvalue()


def feedback_rows(services):
    conn = sqlite3.connect(services.database.path)
    try:
        return conn.execute(
            "SELECT q.question, q.source, f.user_id, f.helpful FROM feedback f JOIN questions q ON q.id = f.question_id"
        ).fetchall()
    finally:
        conn.close()


def test_question_feedback_and_quit(services):
    output = chat(services, "can I add a Year 9 on snap?\ny\nquit\n")
    assert output.startswith(BANNER)
    assert "To connect Slack" in output
    headline = services.guide.answer("can I add a Year 9 on snap?").headline
    assert headline.split()[0] in output
    assert "Section 5.1" in output
    assert "Was this helpful? (y/n)" in output
    assert "Thank you" in output
    assert output.rstrip().endswith("Bye for now.")
    assert feedback_rows(services) == [("can I add a Year 9 on snap?", "console", CONSOLE_USER, 1)]


def test_not_helpful_is_stored_as_such(services):
    chat(services, "when is pay day\nn\nquit\n")
    assert feedback_rows(services) == [("when is pay day", "console", CONSOLE_USER, 0)]


def test_feedback_only_counts_once_per_answer(services):
    output = chat(services, "can I add a Year 9 on snap?\ny\nn\nquit\n")
    assert output.count("Thank you") == 1
    assert [row[3] for row in feedback_rows(services)] == [1]


def test_end_of_input_ends_cleanly(services):
    output = chat(services, "can I add a Year 9 on snap?\n")
    assert "Section 5.1" in output
    assert output.endswith("\n")
    assert feedback_rows(services) == []


def test_empty_input_ends_cleanly(services):
    assert chat(services, "") == BANNER + "\nyou> \n"


def test_blank_lines_are_skipped(services):
    output = chat(services, "\n   \nquit\n")
    assert "bot> " not in output.replace("bot> Bye for now.", "")


def test_answer_as_text(guide):
    answer = guide.answer("can I add a Year 9 on snap?")
    text = answer_as_text(answer)
    assert text.startswith(answer.headline.split()[0])
    assert "  > " in text
    assert "(Section 5.1)" in text
    assert "Next:" in text
    assert "Ask:" in text
    assert all(len(line) <= 78 for line in text.splitlines())
    assert len(text.splitlines()) <= 10
    full = answer_in_full(answer)
    assert "Section 5.1: " in full
    assert answer.sections[0].text.split()[-1] in full
    unanswered = answer_as_text(guide.answer("what is the best way to teach fractions to year 4"))
    assert "  > " not in unanswered  # nothing quoted
    assert "5.7" in unanswered
