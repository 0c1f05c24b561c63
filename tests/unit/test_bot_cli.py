"""bot.py as an operator runs it: a real subprocess, the repo as its working directory."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO, SHIPPED_PROTOCOL


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    environment = dict(os.environ)
    environment.update({
        "DATABASE_PATH": str(tmp_path / "db" / "bot.db"),
        "PROTOCOL_FILE": str(SHIPPED_PROTOCOL),
        # Set but empty: a developer's .env cannot fill them in, and the bot treats them as unset.
        "SLACK_BOT_TOKEN": "",
        "SLACK_APP_TOKEN": "",
        "SLACK_SIGNING_SECRET": "",
        "PYTHONIOENCODING": "utf-8",
    })
    return environment


def run_bot(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "bot.py", *args], cwd=REPO, env=env, input=stdin,
                          capture_output=True, text=True, timeout=60)


def test_ask_json_answers_one_line_per_question(env):
    result = run_bot(env, "ask", "--json", stdin="can I add a Year 9 on snap?\nwhen is pay day\n")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    answers = [json.loads(line) for line in lines]
    for answer, question in zip(answers, ["can I add a Year 9 on snap?", "when is pay day"], strict=True):
        assert set(answer) == {"question", "answered", "sections", "verdict"}
        assert answer["question"] == question
        assert isinstance(answer["answered"], bool)
        assert isinstance(answer["sections"], list) and len(answer["sections"]) <= 3
        assert isinstance(answer["verdict"], str) if answer["answered"] else answer["verdict"] is None
    assert answers[0]["answered"] is True and answers[0]["sections"][0] == "5.1"
    assert answers[1]["answered"] is False


def test_ask_json_keeps_non_ascii_text(env):
    result = run_bot(env, "ask", "--json", stdin="can I add a pupil on snap – they’re Year 9?\n")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["question"] == "can I add a pupil on snap – they’re Year 9?"


def test_ask_prints_a_text_answer(env):
    result = run_bot(env, "ask", "can I add a Year 9 on snap?")
    assert result.returncode == 0, result.stderr
    assert "Section 5.1" in result.stdout
    assert "Next:" in result.stdout
    assert not result.stdout.lstrip().startswith("{")


def test_ask_without_a_question_exits_2_with_a_hint(env):
    result = run_bot(env, "ask")
    assert result.returncode == 2
    assert result.stdout == ""
    assert 'python bot.py ask "' in result.stderr


def test_broken_protocol_file_stops_with_the_line(env, tmp_path):
    lines = SHIPPED_PROTOCOL.read_text(encoding="utf-8").splitlines()
    broken = next(i for i, line in enumerate(lines) if line.startswith("next_review_due"))
    lines[broken] = "next_review_due = [unclosed"
    protocol = tmp_path / "protocol.toml"
    protocol.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env["PROTOCOL_FILE"] = str(protocol)
    result = run_bot(env, "ask", "x")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "protocol file has a problem" in result.stderr
    assert f"line {broken + 1}" in result.stderr


def test_no_tokens_starts_the_console(env, tmp_path):
    result = run_bot(env, stdin="quit\n")
    assert result.returncode == 0, result.stderr
    assert "local console" in result.stdout
    assert "To connect Slack" in result.stdout
    assert (tmp_path / "db" / "bot.db").exists()
