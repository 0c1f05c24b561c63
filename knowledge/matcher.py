"""Find the protocol sections a question is about, or decline when it is not about the protocol.

Each section is known by its own words and by examples of how staff ask about
it (both in the protocol file); the out-of-scope examples in
`staff_language.toml` stand for everything the protocol does not cover. Texts
pass through the staff-language normaliser (concepts, word stems, spelling
fixed by rapidfuzz), then a naive Bayes model over those terms ranks
the sections.

The bot answers only when the best section clearly beats "out of scope";
when "out of scope" wins it says the question is not about the protocol, and
in between it says it is not sure.
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from knowledge.language import StaffLanguage
from knowledge.protocol import Protocol

OUT_OF_SCOPE = "none"
SMOOTHING = 0.1  # additive smoothing of term counts
POLICY_TEXT_WEIGHT = 1.0  # the policy's own words count as this many examples
NEAREST_EXAMPLE_WEIGHT = 0.15  # per point of rapidfuzz similarity (0-100) to the nearest example
MIN_SIMILARITY = 30  # examples less similar than this do not count as near
MIN_MARGIN = 5.0  # score by which the best section must beat "out of scope" for the bot to be sure
SECOND_SECTION_RATIO = 0.5  # a runner-up at least this probable, relative to the best, is cited too


@dataclass(frozen=True)
class Match:
    answered: bool
    ranked: list[tuple[str, float]]  # (section id, probability), best first, up to 3
    reason: str  # "matched", "out_of_scope", "not_sure"

    @property
    def section_ids(self) -> list[str]:
        return [section_id for section_id, _ in self.ranked]

    @property
    def score(self) -> float:
        return self.ranked[0][1] if self.ranked else 0.0


class Matcher:
    def __init__(self, protocol: Protocol, language: StaffLanguage):
        self.language = language
        counts: dict[str, Counter] = defaultdict(Counter)
        examples: list[tuple[str, list[str]]] = []
        for section in protocol.sections.values():
            for text in (*section.examples, section.title, section.headline):
                examples.append((section.id, language.terms(text)))
            for text in (section.text, section.summary):
                for term in set(language.terms(text)):
                    counts[section.id][term] += POLICY_TEXT_WEIGHT
        for text in language.out_of_scope_examples:
            examples.append((OUT_OF_SCOPE, language.terms(text)))
        for label, terms in examples:
            counts[label].update(set(terms))
        self.example_labels = [label for label, _ in examples]
        self.example_terms = [" ".join(terms) for _, terms in examples]

        self.vocabulary = frozenset(f for c in counts.values() for f in c)
        size = len(self.vocabulary)
        self.log_probability: dict[str, dict[str, float]] = {}
        self.log_unseen: dict[str, float] = {}
        for label, c in counts.items():
            total = sum(c.values()) + SMOOTHING * size
            self.log_probability[label] = {f: math.log((n + SMOOTHING) / total) for f, n in c.items()}
            self.log_unseen[label] = math.log(SMOOTHING / total)

    def _nearest_examples(self, terms: list[str]) -> dict[str, float]:
        """For each label, rapidfuzz's similarity of the question to its nearest example (0-100)."""
        nearest: dict[str, float] = defaultdict(float)
        for _, similarity, index in process.extract_iter(" ".join(terms), self.example_terms, scorer=fuzz.ratio,
                                                         score_cutoff=MIN_SIMILARITY):
            label = self.example_labels[index]
            nearest[label] = max(nearest[label], similarity)
        return nearest

    def match(self, question: str) -> Match:
        terms = self.language.terms(question)
        known = {term for term in terms if term in self.vocabulary}
        if not known:
            return Match(False, [], "out_of_scope")
        nearest = self._nearest_examples(terms)
        scores = {
            label: sum(log_p.get(term, self.log_unseen[label]) for term in known)
            + NEAREST_EXAMPLE_WEIGHT * nearest.get(label, 0.0)
            for label, log_p in self.log_probability.items()
        }
        best = max(scores.values())
        weights = {label: math.exp(s - best) for label, s in scores.items()}
        total = sum(weights.values())
        out_of_scope = scores.pop(OUT_OF_SCOPE)
        ranked_ids = sorted(scores, key=scores.get, reverse=True)[:3]
        ranked = [(sid, weights[sid] / total) for sid in ranked_ids]
        margin = scores[ranked_ids[0]] - out_of_scope
        if margin < 0:
            return Match(False, ranked, "out_of_scope")
        if margin < MIN_MARGIN:
            return Match(False, ranked, "not_sure")
        return Match(True, ranked, "matched")

    def cited(self, match: Match) -> list[str]:
        """The sections an answer quotes: the best, and the runner-up when it is nearly as likely."""
        if not match.answered:
            return []
        best = match.ranked[0][1]
        return [sid for sid, p in match.ranked[:2] if p >= best * SECOND_SECTION_RATIO]
