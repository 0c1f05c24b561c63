"""knowledge/protocol.py: the shipped protocol file, and the checks that stop a broken one."""

import datetime as dt
import re
from pathlib import Path

import pytest

from knowledge.protocol import SECTION_IDS, VERDICTS, ProtocolError, load_protocol

from .conftest import SHIPPED_PROTOCOL

POLICY_FILE = Path(__file__).resolve().parents[2] / ".." / "shared" / "policy" / "social-networking-protocol.txt"

# Written out from CONTRACT.md, not taken from the code under test.
CONTRACT_IDS = (
    ["summary"]
    + ["1.1", "1.2", "1.3", "1.4", "1.5", "2.1"]
    + ["3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "4.1", "4.2", "4.3"]
    + ["5.1", "5.2", "5.3", "5.4", "5.5", "5.6", "5.7", "6.1"]
    + ["7.1", "7.2", "7.3", "7.4", "7.5"]
    + [f"A1.{n}" for n in range(1, 12)]
    + [f"A2.{n}" for n in range(1, 14)]
)


def normalise(text: str) -> str:
    return " ".join(text.split())


# --- the shipped file ---------------------------------------------------------------------------------------------


def test_contract_lists_53_sections():
    assert len(CONTRACT_IDS) == 53
    assert list(SECTION_IDS) == CONTRACT_IDS


def test_shipped_protocol_has_every_section_in_contract_order(protocol):
    assert list(protocol.sections) == CONTRACT_IDS
    assert all(section_id == section.id for section_id, section in protocol.sections.items())


def test_shipped_sections_have_non_empty_fields_and_known_verdicts(protocol):
    for section in protocol.sections.values():
        for field in ("title", "headline", "summary", "next_step", "ask", "text"):
            assert getattr(section, field).strip(), f"section {section.id} has an empty {field}"
        assert section.verdict in VERDICTS, section.id
        assert section.verdict_label == VERDICTS[section.verdict]
        assert all(example.strip() for example in section.examples), section.id


def test_shipped_policy_metadata(protocol):
    assert protocol.title == "Social Networking Protocol"
    assert protocol.reviewed_on == dt.date(2021, 5, 27)
    assert protocol.next_review == "Summer 2022"
    assert protocol.reviewed_by == "The Directors' Board"
    assert protocol.date_of_policy == "2019"
    assert protocol.next_review_due.year == 2022
    assert protocol.version == "reviewed 27 May 2021"


def test_review_is_not_overdue_before_or_on_the_due_date(protocol):
    due = protocol.next_review_due
    for today in (dt.date(2021, 6, 1), due - dt.timedelta(days=1), due):
        assert not protocol.review_overdue(today)
        assert protocol.describe_version(today) == "Social Networking Protocol, reviewed 27 May 2021"


def test_review_is_overdue_after_the_due_date(protocol):
    today = protocol.next_review_due + dt.timedelta(days=1)
    assert protocol.review_overdue(today)
    line = protocol.describe_version(today)
    assert line.startswith("Social Networking Protocol, reviewed 27 May 2021")
    assert "Summer 2022" in line
    assert "overdue" in line


@pytest.mark.skipif(not POLICY_FILE.exists(), reason="shared/policy is not beside the repo")
def test_each_section_quotes_the_policy_word_for_word(protocol):
    policy = normalise(POLICY_FILE.read_text(encoding="utf-8"))
    misquoted = [s.id for s in protocol.sections.values() if normalise(s.text) not in policy]
    assert misquoted == []


@pytest.mark.skipif(not POLICY_FILE.exists(), reason="shared/policy is not beside the repo")
def test_appendix_sections_follow_the_body_headings_not_the_contents_page(protocol):
    # The body's Appendix 1 is "Online awareness"; the contents page swaps the titles.
    assert "legally liable" in protocol.sections["A1.1"].text
    assert "disrepute" in protocol.sections["A2.1"].text


def test_section_reference(protocol):
    assert protocol.sections["summary"].reference == "The headline rule"
    assert protocol.sections["5.1"].reference == "Section 5.1"
    assert protocol.sections["A1.3"].reference == "Appendix 1, point 3"
    assert protocol.sections["A2.13"].reference == "Appendix 2, point 13"


def test_missing_file_is_a_protocol_error(tmp_path):
    with pytest.raises(ProtocolError, match="cannot read"):
        load_protocol(tmp_path / "nowhere.toml")


# --- broken copies ------------------------------------------------------------------------------------------------


class Copy:
    """The shipped protocol as lines, to break one thing and write to tmp_path."""

    def __init__(self):
        self.lines = SHIPPED_PROTOCOL.read_text(encoding="utf-8").splitlines()

    def id_line(self, section_id: str) -> int:
        """0-based index of the `id = "..."` line of a section."""
        pattern = re.compile(rf'^\s*id\s*=\s*"{re.escape(section_id)}"\s*$')
        return next(i for i, line in enumerate(self.lines) if pattern.match(line))

    def header_line(self, section_id: str) -> int:
        """1-based line number of a section's [[section]] header, as error messages count."""
        start = self.id_line(section_id)
        return next(i for i in range(start, -1, -1) if re.match(r"\s*\[\[\s*section\s*\]\]", self.lines[i])) + 1

    def field_line(self, section_id: str, field: str) -> int:
        start = self.header_line(section_id) - 1
        pattern = re.compile(rf"^\s*{field}\s*=")
        return next(i for i in range(start + 1, len(self.lines)) if pattern.match(self.lines[i]))

    def write(self, tmp_path: Path) -> Path:
        path = tmp_path / "protocol.toml"
        path.write_text("\n".join(self.lines) + "\n", encoding="utf-8")
        return path


def load_error(path: Path) -> str:
    with pytest.raises(ProtocolError) as caught:
        load_protocol(path)
    return str(caught.value)


def named_line(message: str) -> int:
    found = re.search(r", line (\d+): ", message)
    assert found, message
    return int(found.group(1))


def test_unbroken_copy_loads(tmp_path):
    assert list(load_protocol(Copy().write(tmp_path)).sections) == CONTRACT_IDS


def test_duplicated_id_names_the_second_sections_line(tmp_path):
    copy = Copy()
    right_lines = {copy.header_line("1.2"), copy.id_line("1.2") + 1}  # the section, or its id
    copy.lines[copy.id_line("1.2")] = 'id = "1.1"'
    message = load_error(copy.write(tmp_path))
    assert named_line(message) in right_lines
    assert "'1.1' appears twice" in message


def test_unknown_id_names_its_line(tmp_path):
    copy = Copy()
    right_lines = {copy.header_line("7.5"), copy.id_line("7.5") + 1}
    copy.lines[copy.id_line("7.5")] = 'id = "7.6"'
    message = load_error(copy.write(tmp_path))
    assert named_line(message) in right_lines
    assert "unknown section id '7.6'" in message


def test_unknown_verdict_names_its_line_and_the_choices(tmp_path):
    copy = Copy()
    right_lines = {copy.header_line("4.3"), copy.field_line("4.3", "verdict") + 1}
    copy.lines[copy.field_line("4.3", "verdict")] = 'verdict = "probably_fine"'
    message = load_error(copy.write(tmp_path))
    assert named_line(message) in right_lines
    assert "unknown verdict 'probably_fine'" in message
    assert "not_allowed" in message


def test_empty_text_names_its_line(tmp_path):
    copy = Copy()
    start = copy.field_line("3.2", "text")
    right_lines = {copy.header_line("3.2"), start + 1}
    # The text may run over several lines ("""...""") until the next key.
    end = next(i for i in range(start + 1, len(copy.lines)) if re.match(r"^\s*\w+\s*=|^\s*\[", copy.lines[i]))
    copy.lines[start:end] = ['text = ""']
    message = load_error(copy.write(tmp_path))
    assert named_line(message) in right_lines
    assert "section 3.2 has an empty or missing 'text'" in message


def test_whitespace_only_text_is_empty(tmp_path):
    copy = Copy()
    start = copy.field_line("A2.5", "text")
    end = next(i for i in range(start + 1, len(copy.lines)) if re.match(r"^\s*\w+\s*=|^\s*\[", copy.lines[i]))
    copy.lines[start:end] = ['text = """   """']
    assert "section A2.5 has an empty or missing 'text'" in load_error(copy.write(tmp_path))


def test_missing_section_is_named(tmp_path):
    copy = Copy()
    start = copy.header_line("6.1") - 1
    end = copy.header_line("7.1") - 1
    del copy.lines[start:end]
    message = load_error(copy.write(tmp_path))
    last_section = max(n for n, line in enumerate(copy.lines, 1) if line.strip() == "[[section]]")
    assert named_line(message) == last_section
    assert "these sections are missing: 6.1" in message


def test_invalid_toml_names_the_line(tmp_path):
    copy = Copy()
    broken = copy.field_line("5.1", "headline")
    copy.lines[broken] = 'headline = "No. This string never ends'
    message = load_error(copy.write(tmp_path))
    assert "not valid TOML" in message
    assert f"line {broken + 1}" in message


def test_missing_policy_date_names_the_policy_line(tmp_path):
    copy = Copy()
    policy_line = next(i for i, line in enumerate(copy.lines) if re.match(r"\s*\[\s*policy\s*\]", line)) + 1
    reviewed_on = next(i for i, line in enumerate(copy.lines) if re.match(r"\s*reviewed_on\s*=", line))
    del copy.lines[reviewed_on]
    message = load_error(copy.write(tmp_path))
    assert named_line(message) == policy_line
    assert "[policy] needs 'reviewed_on'" in message


def test_quoted_policy_date_is_refused(tmp_path):
    copy = Copy()
    due = next(i for i, line in enumerate(copy.lines) if re.match(r"\s*next_review_due\s*=", line))
    copy.lines[due] = 'next_review_due = "2022-07-31"'
    message = load_error(copy.write(tmp_path))
    assert "'next_review_due' must be a date written as YYYY-MM-DD" in message


def test_no_policy_table_is_refused(tmp_path):
    path = tmp_path / "protocol.toml"
    path.write_text('[[section]]\nid = "summary"\n', encoding="utf-8")
    assert "line 1: there is no [policy] table" in load_error(path)
