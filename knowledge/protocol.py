"""Load the protocol file (TOML a trust can edit) into sections, and check it thoroughly.

A broken file is a `ProtocolError` at start that names the line to fix.
"""

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

SECTION_IDS: tuple[str, ...] = (
    ("summary",)
    + tuple(f"1.{n}" for n in range(1, 6))
    + ("2.1",)
    + tuple(f"3.{n}" for n in range(1, 7))
    + tuple(f"4.{n}" for n in range(1, 4))
    + tuple(f"5.{n}" for n in range(1, 8))
    + ("6.1",)
    + tuple(f"7.{n}" for n in range(1, 6))
    + tuple(f"A1.{n}" for n in range(1, 12))
    + tuple(f"A2.{n}" for n in range(1, 14))
)

# What each verdict says in the first line of an answer.
VERDICTS: dict[str, str] = {
    "not_allowed": "Not allowed",
    "written_permission": "Only with written permission",
    "allowed_with_care": "Allowed, with care",
    "report_it": "Report it",
    "ask_first": "Ask first",
    "for_information": "For information",
}

WORKFLOWS = ("", "request-access", "report-harassment", "record-contact")
SECTION_TEXT_FIELDS = ("id", "title", "verdict", "headline", "summary", "next_step", "ask", "text")
POLICY_FIELDS = (
    "title", "organisation", "date_of_policy", "reviewed_by", "reviewed_on", "next_review", "next_review_due",
)


class ProtocolError(ValueError):
    """The protocol file cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    verdict: str
    headline: str
    summary: str
    next_step: str
    ask: str
    workflow: str
    text: str
    examples: tuple[str, ...]
    related: tuple[str, ...] = ()  # sections an answer from this one should point to as well

    @property
    def verdict_label(self) -> str:
        return VERDICTS[self.verdict]

    @property
    def reference(self) -> str:
        """How answers name this section: "Section 5.1", "Appendix 1, point 3", "The headline rule"."""
        if self.id == "summary":
            return "The headline rule"
        if self.id.startswith("A"):
            appendix, point = self.id[1:].split(".")
            return f"Appendix {appendix}, point {point}"
        return f"Section {self.id}"


@dataclass(frozen=True)
class Protocol:
    title: str
    organisation: str
    date_of_policy: str
    reviewed_by: str
    reviewed_on: dt.date
    next_review: str  # as the policy words it, e.g. "Summer 2022"
    next_review_due: dt.date  # the date the bot treats that as
    sections: dict[str, Section]

    @property
    def version(self) -> str:
        return f"reviewed {self.reviewed_on.day} {self.reviewed_on:%B %Y}"

    @property
    def version_id(self) -> str:
        """The version as records keep it: the review date, e.g. 2021-05-27."""
        return self.reviewed_on.isoformat()

    def review_overdue(self, today: dt.date) -> bool:
        return today > self.next_review_due

    def describe_version(self, today: dt.date) -> str:
        line = f"{self.title}, {self.version}"
        if self.review_overdue(today):
            line += f"; its review was due {self.next_review} and is overdue"
        return line

    def short_version(self, today: dt.date) -> str:
        """The version in the few words an answer has room for: "protocol of 27 May 2021, review overdue"."""
        line = f"protocol of {self.reviewed_on.day} {self.reviewed_on:%B %Y}"
        return line + (", review overdue" if self.review_overdue(today) else "")


def load_protocol(path: str | Path) -> Protocol:
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ProtocolError(f"{path}: cannot read the protocol file ({error.strerror})") from None
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as error:
        raise ProtocolError(f"{path}: not valid TOML: {error}") from None
    return _build(path, raw, data)


def _build(path: Path, raw: str, data: dict) -> Protocol:
    lines = raw.splitlines()
    section_lines = [n for n, line in enumerate(lines, 1) if re.match(r"\s*\[\[\s*section\s*\]\]", line)]
    policy_line = next((n for n, line in enumerate(lines, 1) if re.match(r"\s*\[\s*policy\s*\]", line)), 1)

    def fail(line: int, message: str):
        raise ProtocolError(f"{path}, line {line}: {message}")

    policy = data.get("policy")
    if not isinstance(policy, dict):
        fail(1, "there is no [policy] table with the policy's title and review dates")
    for field in POLICY_FIELDS:
        if not policy.get(field):
            fail(policy_line, f"[policy] needs '{field}'")
    for field in ("reviewed_on", "next_review_due"):
        if not isinstance(policy[field], dt.date) or isinstance(policy[field], dt.datetime):
            fail(policy_line, f"[policy] '{field}' must be a date written as YYYY-MM-DD, without quotes")

    sections: dict[str, Section] = {}
    entries = data.get("section", [])
    if not isinstance(entries, list):
        fail(1, "sections must be written as [[section]] tables")
    for index, entry in enumerate(entries):
        line = section_lines[index] if index < len(section_lines) else 1
        if not isinstance(entry, dict):
            fail(line, "each section must be a [[section]] table")
        end = section_lines[index + 1] if index + 1 < len(section_lines) else len(lines) + 1

        def line_of(field: str, start: int = line, end: int = end) -> int:
            """The line where this section sets `field`, or the section's first line."""
            pattern = re.compile(rf"\s*{field}\s*=")
            return next((n for n in range(start, end) if pattern.match(lines[n - 1])), start)

        for field in SECTION_TEXT_FIELDS:
            value = entry.get(field)
            if not isinstance(value, str) or not value.strip():
                fail(line_of(field), f"section {entry.get('id', '(no id)')!s} has an empty or missing '{field}'")
        section_id = entry["id"]
        if section_id not in SECTION_IDS:
            fail(line_of("id"), f"unknown section id '{section_id}'")
        if section_id in sections:
            fail(line_of("id"), f"section '{section_id}' appears twice")
        if entry["verdict"] not in VERDICTS:
            known = ", ".join(VERDICTS)
            fail(line_of("verdict"), f"section {section_id}: unknown verdict '{entry['verdict']}' (use one of {known})")
        workflow = entry.get("workflow", "")
        if workflow not in WORKFLOWS:
            fail(line_of("workflow"), f"section {section_id}: unknown workflow '{workflow}'")
        examples = entry.get("examples", [])
        if not isinstance(examples, list) or not all(isinstance(e, str) and e.strip() for e in examples):
            fail(line_of("examples"), f"section {section_id}: 'examples' must be a list of non-empty questions")
        related = entry.get("related", [])
        if not isinstance(related, list) or any(r not in SECTION_IDS or r == section_id for r in related):
            fail(line_of("related"), f"section {section_id}: 'related' must list other section IDs, e.g. [\"5.2\"]")
        sections[section_id] = Section(
            id=section_id,
            title=entry["title"].strip(),
            verdict=entry["verdict"],
            headline=entry["headline"].strip(),
            summary=entry["summary"].strip(),
            next_step=entry["next_step"].strip(),
            ask=entry["ask"].strip(),
            workflow=workflow,
            text=entry["text"].strip(),
            examples=tuple(e.strip() for e in examples),
            related=tuple(related),
        )
    missing = [section_id for section_id in SECTION_IDS if section_id not in sections]
    if missing:
        fail(section_lines[-1] if section_lines else 1,
             f"these sections are missing: {', '.join(missing)} (add a [[section]] for each)")
    ordered = {section_id: sections[section_id] for section_id in SECTION_IDS}
    return Protocol(
        title=policy["title"],
        organisation=policy["organisation"],
        date_of_policy=str(policy["date_of_policy"]),
        reviewed_by=policy["reviewed_by"],
        reviewed_on=policy["reviewed_on"],
        next_review=policy["next_review"],
        next_review_due=policy["next_review_due"],
        sections=ordered,
    )
