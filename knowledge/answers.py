"""What the bot says to a question: a verdict first, the sections it rests on, and what to do next.

Plain data, no Slack: the console, the `ask` command and the Slack blocks all render an `Answer`.
"""

import datetime as dt
from dataclasses import dataclass

from knowledge.embeddings import load_encoder
from knowledge.language import StaffLanguage
from knowledge.matcher import Match, Matcher
from knowledge.protocol import Protocol, Section, load_protocol

DOUBT_SECTION = "5.7"  # "If employees are in any doubt ... seek guidance from the Head Teacher / Manager."


@dataclass(frozen=True)
class Answer:
    question: str
    match: Match
    headline: str
    sections: tuple[Section, ...]  # quoted in the answer, best first
    related: tuple[Section, ...]  # also worth a look, named but not quoted
    next_step: str
    ask: str
    workflows: tuple[str, ...]  # workflows the next step points to, e.g. "request-access"
    version: str  # which version of the protocol this comes from

    @property
    def answered(self) -> bool:
        return self.match.answered

    @property
    def verdict(self) -> str | None:
        return self.sections[0].verdict if self.answered else None

    @property
    def verdict_label(self) -> str | None:
        return self.sections[0].verdict_label if self.answered else None

    def as_json(self) -> dict:
        """The shape CONTRACT.md fixes for `python bot.py ask --json`."""
        return {
            "question": self.question,
            "answered": self.answered,
            "sections": self.match.section_ids[:3],
            "verdict": self.verdict,
        }


class PolicyGuide:
    """Answers questions about one loaded protocol."""

    def __init__(self, protocol: Protocol, language: StaffLanguage | None = None, encoder=None, **matcher_settings):
        self.protocol = protocol
        vocabulary = [s.text + " " + " ".join(s.examples) for s in protocol.sections.values()]
        self.matcher = Matcher(protocol, language or StaffLanguage(extra_vocabulary=vocabulary),
                               encoder or load_encoder(), **matcher_settings)

    @classmethod
    def from_file(cls, path) -> "PolicyGuide":
        return cls(load_protocol(path))

    def answer(self, question: str, today: dt.date | None = None) -> Answer:
        today = today or dt.date.today()
        match = self.matcher.match(question)
        version = self.protocol.describe_version(today)
        if match.answered:
            sections = tuple(self.protocol.sections[sid] for sid in self.matcher.cited(match))
            first = sections[0]
            workflows = tuple(dict.fromkeys(s.workflow for s in sections if s.workflow))
            related_ids = dict.fromkeys(r for s in sections for r in s.related if r not in {s.id for s in sections})
            related = tuple(self.protocol.sections[r] for r in related_ids)
            return Answer(question, match, first.headline, sections, related, first.next_step, first.ask, workflows,
                          version)
        doubt = self.protocol.sections[DOUBT_SECTION]
        if match.reason == "out_of_scope":
            headline = ("That doesn't look like something the Social Networking Protocol covers, "
                        "so I'd rather not guess.")
        else:
            headline = "I'm not sure the Social Networking Protocol answers that, so I'd rather not guess."
        next_step = (f"If you're unsure what's allowed online, {doubt.ask} can help: "
                     f"the protocol asks staff to check with them when in any doubt (section {doubt.id}).")
        return Answer(question, match, headline, (), (), next_step, doubt.ask, (), version)
