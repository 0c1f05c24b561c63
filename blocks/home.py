"""The App Home tab."""

import datetime as dt
from dataclasses import dataclass

from blocks import ids
from blocks.access_requests import home_sections as request_sections
from blocks.answers import EXAMPLE_QUESTIONS
from blocks.cases import home_sections as case_sections
from blocks.text import button, context, escape, section
from knowledge.protocol import Protocol
from workflows.access_requests import AccessRequest
from workflows.cases import Case


@dataclass(frozen=True)
class ReadingStatus:
    """Where a person, and the people they manage, stand with reading the current version."""

    version: str
    acknowledged_on: str | None
    team_done: int
    team_pending: list[str]


def reading_sections(protocol: Protocol, reading: ReadingStatus | None) -> list[dict]:
    if reading is None:
        return []
    blocks: list[dict] = [{"type": "header", "text": {"type": "plain_text", "text": "Reading the protocol"}}]
    if reading.acknowledged_on:
        blocks.append(section(f"You confirmed you have read and understood it on {reading.acknowledged_on}."))
    else:
        blocks.append(section(f"Please read the {escape(protocol.title)} ({escape(protocol.version)}) and "
                              "confirm you have understood it."))
        blocks.append({"type": "actions", "elements": [
            button("I have read and understood", ids.ACKNOWLEDGE_POLICY, reading.version, "primary")]})
    team = reading.team_done + len(reading.team_pending)
    if team:
        waiting = f" Still to do: {escape(', '.join(reading.team_pending))}." if reading.team_pending else ""
        blocks.append(section(f"*Your team:* {reading.team_done} of {team} have acknowledged it.{waiting}"))
    return blocks


def home_view(protocol: Protocol, requests: list[AccessRequest], waiting: list[AccessRequest],
              reported: list[Case], handling: list[Case], names: dict[str, str], today: dt.date,
              reading: ReadingStatus | None = None) -> dict:
    examples = "\n".join(f"• {q}" for q in EXAMPLE_QUESTIONS)
    return {
        "type": "home",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "Social Networking Protocol helper"}},
            section("Ask me whether something is allowed online, in your own words. I'll give you a straight "
                    "answer, the part of the protocol it comes from, and what to do next.\n\n"
                    "Send me a direct message in the *Messages* tab, mention me in a channel, or type "
                    f"`/policy` and your question anywhere. For example:\n{examples}"),
            section("*If you're being threatened, abused or harassed online*, type `/report-harassment`: it goes "
                    "privately to your Head Teacher / Manager straight away (sections 4.2 and 4.3). If a child may "
                    "be at risk, follow your academy's safeguarding procedure now too."),
            *reading_sections(protocol, reading),
            *case_sections(reported, handling, names),
            *request_sections(requests, waiting, names),
            context(escape(protocol.describe_version(today))),
        ],
    }
