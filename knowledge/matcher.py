"""Find the protocol sections a question is about, or decline when it is not about the protocol.

Each section is known by its own text and by the examples of how staff ask
about it (both in the protocol file). Questions and examples pass through the
same staff-language normaliser, then are compared as TF-IDF vectors of terms
and term pairs. A section scores by its nearest examples and by its whole
profile. Questions nearer to the out-of-scope examples than to any section,
or not near anything, are declined.
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

from knowledge.language import StaffLanguage
from knowledge.protocol import Protocol

OUT_OF_SCOPE = "none"
MIN_SCORE = 0.22  # below this the bot is not sure enough to cite a section
SECOND_SECTION_RATIO = 0.85  # a runner-up this close to the best is cited too


@dataclass(frozen=True)
class Match:
    answered: bool
    ranked: list[tuple[str, float]]  # (section id, score), best first
    reason: str  # "matched", "out_of_scope", "not_sure"

    @property
    def section_ids(self) -> list[str]:
        return [section_id for section_id, _ in self.ranked]

    @property
    def score(self) -> float:
        return self.ranked[0][1] if self.ranked else 0.0


def features(terms: list[str]) -> Counter:
    found = Counter(terms)
    found.update(f"{a}+{b}" for a, b in zip(terms, terms[1:], strict=False) if a != b)
    return found


class Matcher:
    def __init__(self, protocol: Protocol, language: StaffLanguage):
        self.language = language
        labelled: list[tuple[str, str]] = []
        profiles: dict[str, list[str]] = {}
        for section in protocol.sections.values():
            profile = [section.title, section.text, section.summary, section.headline]
            profiles[section.id] = profile + list(section.examples)
            labelled += [(section.id, example) for example in section.examples]
            labelled += [(section.id, section.title), (section.id, section.headline)]
        profiles[OUT_OF_SCOPE] = list(language.out_of_scope_examples)
        labelled += [(OUT_OF_SCOPE, example) for example in language.out_of_scope_examples]

        example_features = [features(language.terms(text)) for _, text in labelled]
        profile_features = {label: features([t for text in texts for t in language.terms(text)])
                            for label, texts in profiles.items()}
        document_frequency = Counter(f for found in example_features for f in found)
        total = len(example_features)
        self.idf = {f: math.log((1 + total) / (1 + n)) + 1 for f, n in document_frequency.items()}
        self.default_idf = math.log(1 + total) + 1

        self.example_labels = [label for label, _ in labelled]
        self.example_index = self._index([self._vector(f) for f in example_features])
        self.profile_labels = list(profile_features)
        self.profile_index = self._index([self._vector(f) for f in profile_features.values()])

    def _vector(self, found: Counter) -> dict[str, float]:
        vector = {f: (1 + math.log(n)) * self.idf.get(f, self.default_idf) for f, n in found.items()}
        norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
        return {f: w / norm for f, w in vector.items()}

    @staticmethod
    def _index(vectors: list[dict[str, float]]) -> dict[str, list[tuple[int, float]]]:
        index: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for doc, vector in enumerate(vectors):
            for f, w in vector.items():
                index[f].append((doc, w))
        return dict(index)

    @staticmethod
    def _similarities(index, query: dict[str, float]) -> dict[int, float]:
        sims: dict[int, float] = defaultdict(float)
        for f, w in query.items():
            for doc, dw in index.get(f, ()):
                sims[doc] += w * dw
        return sims

    def match(self, question: str) -> Match:
        found = features(self.language.terms(question))
        if not found:
            return Match(False, [], "out_of_scope")
        query = self._vector(found)
        nearest: dict[str, list[float]] = defaultdict(list)
        for doc, sim in self._similarities(self.example_index, query).items():
            nearest[self.example_labels[doc]].append(sim)
        profile = {self.profile_labels[doc]: sim for doc, sim in self._similarities(self.profile_index, query).items()}
        scores = {}
        for label in set(nearest) | set(profile):
            top = sorted(nearest.get(label, ()), reverse=True)[:2]
            knn = (top[0] + (top[1] if len(top) > 1 else 0.0)) / 2 if top else 0.0
            scores[label] = 0.5 * (top[0] if top else 0.0) + 0.2 * knn + 0.3 * profile.get(label, 0.0)
        out_of_scope = scores.pop(OUT_OF_SCOPE, 0.0)
        ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)[:3]
        if not ranked or out_of_scope >= ranked[0][1]:
            return Match(False, ranked, "out_of_scope")
        if ranked[0][1] < MIN_SCORE:
            return Match(False, ranked, "not_sure")
        return Match(True, ranked, "matched")

    def cited(self, match: Match) -> list[str]:
        """The sections an answer quotes: the best, and the runner-up when it is nearly as good."""
        if not match.answered:
            return []
        best = match.ranked[0][1]
        return [sid for sid, score in match.ranked[:2] if score >= best * SECOND_SECTION_RATIO]
