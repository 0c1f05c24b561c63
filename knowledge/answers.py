"""What the bot says to a question: a verdict first, the one sentence of the policy it rests on, what to do next.

Before any section is chosen the question is triaged (`triage.py`): when a child may be at risk the
safeguarding step comes first, whatever the section; when the person asking is the one harmed, the
answer is about reporting and support, never a rule addressed to them; a how-to or a question for
HR, IT or another policy is declined with where to go instead.

Plain data, no chat platform: the console, the `ask` command and every chat surface render an `Answer`.
"""

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

from knowledge.embeddings import load_encoder
from knowledge.language import StaffLanguage
from knowledge.matcher import Match, Matcher, Meaning
from knowledge.protocol import VERDICTS, Protocol, Section, load_protocol
from knowledge.triage import NEIGHBOURS, Triage, Triager

DOUBT_SECTION = "5.7"  # "If employees are in any doubt ... seek guidance from the Head Teacher / Manager."
# The sections an answer may rest on when the person asking is the one harmed: reporting and support.
HARMED_SECTIONS = frozenset({"4.3", "4.2", "A1.4", "5.2", "3.4"})
# ... and when a child may be at risk: contact from pupils, adults' conduct with them, pupils' privacy.
SAFEGUARDING_SECTIONS = frozenset({"5.2", "7.5", "5.6", "5.1", "5.7", "A2.13"})

PROHIBITIONS = frozenset({"not_allowed"})
KINDS = ("policy", "safeguarding", "harmed", "declined")
HARMED_HEADLINE = "I'm sorry this is happening. It isn't your fault, and you don't have to put up with it."
ROUTES = {
    "app_help": ("That's a setting in the app itself rather than something the Social Networking Protocol "
                 "covers. The app's own help pages show how (search for the app's name and \"help\")."),
    "hr": "That's one for HR or payroll rather than the Social Networking Protocol. Your academy office can put "
          "you in touch with the right person.",
    "it": "That sounds like one for IT support rather than the Social Networking Protocol. Your academy's IT "
          "helpdesk can sort it out.",
    "premises": "That's one for the site team rather than the Social Networking Protocol. Your academy office "
                "or site manager can sort it out.",
    "other_policy": "That's covered by another Trust policy{named}, not the Social Networking Protocol. Your "
                    "academy office or HR can give you a copy (section 3.5 lists the others that apply online).",
}
SAFEGUARDING_ASK = "your Designated Safeguarding Lead, then your Head Teacher / Manager"
ROUTE_ASK = {"hr": "HR or payroll, through your academy office", "it": "your academy's IT helpdesk",
             "premises": "your academy office or site manager"}
NEEDS_WHOLE_QUESTION = ("I need the whole question to answer that, as I can't tell what it follows on from. "
                        "Could you ask it again in full? For example: \"can I add a Year 9 on TikTok?\"")
# "what about tiktok?", "and on whatsapp?": a follow-up is read with the question before it.
_FOLLOW_UP = re.compile(r"^(?:what about|how about|and|or|also|same for|same with|same goes for|what if|"
                        r"does that|does this|is that|is this|would that|would it|does it|even|but what about)\b")
MAX_FOLLOW_UP_WORDS = 8
NOT_OURS = "That doesn't look like something the Social Networking Protocol covers, so I'd rather not guess."
NOT_SURE = "I'm not sure the Social Networking Protocol answers that, so I'd rather not guess."
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[A-Z(])|\n\s*-\s*")  # sentences, and the points of a list
_ELABORATION = re.compile(r":\s+(?:this|these|that|for example|e\.g\.)\b.*$", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Answer:
    question: str
    match: Match
    kind: str  # one of KINDS
    headline: str
    sections: tuple[Section, ...]  # what the answer rests on, best first; quoted in full on request
    key_sentence: str  # the one sentence of the policy the verdict rests on ("" when declining)
    related: tuple[Section, ...]  # also worth a look, named in the full text
    next_step: str
    ask: str
    workflows: tuple[str, ...]  # workflows the next step points to, e.g. "request-access"
    version: str  # which version of the protocol this comes from, and whether its review is overdue (short)

    @property
    def answered(self) -> bool:
        return self.match.answered

    @property
    def verdict(self) -> str | None:
        if not self.answered:
            return None
        return "report_it" if self.kind in ("safeguarding", "harmed") else self.sections[0].verdict

    @property
    def verdict_label(self) -> str | None:
        return VERDICTS[self.verdict] if self.verdict else None

    def as_json(self) -> dict:
        """The shape CONTRACT.md fixes for `python bot.py ask --json`."""
        return {
            "question": self.question,
            "answered": self.answered,
            "sections": self.match.section_ids[:3],
            "verdict": self.verdict,
        }


def _sentences(text: str) -> list[str]:
    """The sentences of a section, each short enough to quote: a list's points apart, a trailing
    elaboration ("...: this would include ...") left for the full text."""
    found = []
    for sentence in _SENTENCE_END.split(text):
        sentence = sentence.strip().lstrip("- ").strip()
        if sentence:
            shortened = _ELABORATION.sub("\u2026", sentence)
            found.append(shortened)
    return found


def is_follow_up(text: str) -> bool:
    """A short question that leans on the one before it ("what about tiktok?")."""
    words = re.findall(r"[\w']+", text.lower())
    return 0 < len(words) <= MAX_FOLLOW_UP_WORDS and bool(_FOLLOW_UP.match(" ".join(words)))


def safeguarding_step(lead_name: str | None) -> str:
    """The first words of every answer where a child may be at risk (what KCSIE asks of all staff)."""
    who = f"your Designated Safeguarding Lead, {lead_name}," if lead_name else "your Designated Safeguarding Lead"
    return (f"A child may be at risk: tell {who} today. If a child is in immediate danger, call 999. "
            "Don't investigate or promise to keep it secret; note what you saw or were told, and when.")


class PolicyGuide:
    """Answers questions about one loaded protocol."""

    def __init__(self, protocol: Protocol, language: StaffLanguage | None = None, encoder=None):
        self.protocol = protocol
        vocabulary = [s.text + " " + " ".join(s.examples) for s in protocol.sections.values()]
        language = language or StaffLanguage(extra_vocabulary=vocabulary)
        self.matcher = Matcher(protocol, language, encoder or load_encoder())
        self.triager = Triager(language, language.triage)
        self._sentences = {sid: [(s, set(language.terms(s))) for s in _sentences(section.text)]
                           for sid, section in protocol.sections.items()}
        self._sentence_vectors = None
        if self.matcher.encoder is not None:
            every = [sentence for pairs in self._sentences.values() for sentence, _ in pairs]
            vectors = iter(self.matcher.encoder.encode_cached(every))
            self._sentence_vectors = {sid: [next(vectors) for _ in pairs] for sid, pairs in self._sentences.items()}
            headlines = self.matcher.encoder.encode_cached([s.headline for s in protocol.sections.values()])
            self._headline_vectors = dict(zip(protocol.sections, headlines, strict=True))

    @classmethod
    def from_file(cls, path) -> "PolicyGuide":
        return cls(load_protocol(path))

    def answer(self, question: str, today: dt.date | None = None, safeguarding_lead: str | None = None) -> Answer:
        today = today or dt.date.today()
        version = self.protocol.short_version(today)
        meaning = self.matcher.embed(question)
        triage = self.triager.read(question, self.matcher.nearest_texts(meaning, NEIGHBOURS))
        only = None
        if triage.safeguarding or triage.harmed:
            only = (SAFEGUARDING_SECTIONS if triage.safeguarding else frozenset()) | \
                   (HARMED_SECTIONS if triage.harmed else frozenset())
        match = self.matcher.match(question, only=only, meaning=meaning)
        if triage.maybe_harmed and not triage.harmed and match.answered and \
                self.protocol.sections[match.ranked[0][0]].verdict in PROHIBITIONS:
            # Some sign the person asking is the one harmed, and the answer would tell them what not to do.
            triage = dataclasses.replace(triage, harmed=True)
            match = self.matcher.match(question, only=HARMED_SECTIONS | (only or frozenset()), meaning=meaning)
        if triage.how_to and match.answered:
            match = Match(False, match.ranked, "out_of_scope")
        if not match.answered:
            return self._declined(question, match, triage, version)

        sections = tuple(self.protocol.sections[sid] for sid in self.matcher.cited(match))
        first = sections[0]
        kind = "safeguarding" if triage.safeguarding else "harmed" if triage.harmed else "policy"
        headline = {"safeguarding": safeguarding_step(safeguarding_lead), "harmed": HARMED_HEADLINE}.get(
            kind, first.headline)
        workflows = tuple(dict.fromkeys(s.workflow for s in sections if s.workflow))
        if kind == "harmed":
            workflows = ("report-harassment",)
        related_ids = dict.fromkeys(r for s in sections for r in s.related if r not in {s.id for s in sections})
        related = tuple(self.protocol.sections[r] for r in related_ids)
        # Where a child may be at risk, the safeguarding step already says what to do; the rest waits for "more".
        next_step = "" if kind == "safeguarding" else first.next_step
        ask = SAFEGUARDING_ASK if kind == "safeguarding" else first.ask
        key_sentence = self._key_sentence(first, question, meaning, with_verdict=kind == "policy")
        return Answer(question, match, kind, headline, sections, key_sentence, related, next_step, ask, workflows,
                      version)

    def needs_whole_question(self, question: str, today: dt.date | None = None) -> Answer:
        """A follow-up with nothing before it to follow."""
        doubt = self.protocol.sections[DOUBT_SECTION]
        return Answer(question, Match(False, [], "follow_up"), "declined", NEEDS_WHOLE_QUESTION, (), "", (), "",
                      doubt.ask, (), self.protocol.short_version(today or dt.date.today()))

    def _key_sentence(self, section: Section, question: str, meaning: Meaning | None, with_verdict: bool) -> str:
        """The sentence of the section nearest in meaning to the question and, when the section's verdict is
        what the answer says, to that verdict (without the model: the one sharing most words)."""
        sentences = self._sentences[section.id]
        if meaning is not None and self._sentence_vectors is not None:
            target = meaning.vector + (self._headline_vectors[section.id] if with_verdict else 0.0)
            scores = [float(v @ target) for v in self._sentence_vectors[section.id]]
            return sentences[scores.index(max(scores))][0]
        wanted = set(self.matcher.language.terms(f"{question} {section.headline}" if with_verdict else question))
        return max(sentences, key=lambda pair: (len(pair[1] & wanted), -len(pair[0])))[0]

    def _declined(self, question: str, match: Match, triage: Triage, version: str) -> Answer:
        doubt = self.protocol.sections[DOUBT_SECTION]
        next_step = (f"If you're unsure what's allowed online, {doubt.ask} can help: "
                     f"the protocol asks staff to check with them when in any doubt (section {doubt.id}).")
        ask = doubt.ask
        if match.reason != "not_sure" and triage.route in ROUTE_ASK:
            next_step, ask = "", ROUTE_ASK[triage.route]  # pay or a broken laptop: not a protocol question
        if match.reason == "not_sure":
            headline = NOT_SURE
        elif triage.route:
            named = f" (the {triage.policy_named} policy)" if triage.policy_named else ""
            headline = ROUTES[triage.route].format(named=named)
        else:
            headline = NOT_OURS
        return Answer(question, match, "declined", headline, (), "", (), next_step, ask, (), version)
