"""Find the protocol sections a question is about, or decline when it is not about the protocol.

Each section is known by its own words and by examples of how staff ask about
it (both in the protocol file); the out-of-scope examples in
`staff_language.toml` stand for everything the protocol does not cover. Three
scores are added for each label (a section, or "out of scope"):

- naive Bayes over the staff-language terms (concepts, word stems, spelling fixed);
- the meaning of the question: cosine similarity of its sentence embedding
  (all-MiniLM-L6-v2, see `embeddings.py`) to the label's nearest examples;
- a linear (ridge) classifier over those embeddings, fitted to every example at start.

The bot answers only when the best section clearly beats "out of scope"; when
"out of scope" wins it says the question is not about the protocol, and in
between it says it is not sure. The weights below were chosen on the tuning
half of the real staff questions, the margin by cross-validation on the
examples (`bench/choose_margin.py`).
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np

from knowledge.language import StaffLanguage
from knowledge.protocol import Protocol

OUT_OF_SCOPE = "none"
SMOOTHING = 0.1  # additive smoothing of term counts
POLICY_TEXT_WEIGHT = 1.0  # the policy's own words count as this many examples
MEANING_WEIGHT = 90.0  # per unit of cosine similarity to a label's nearest examples
MEANING_NEIGHBOURS = 5  # how many of a label's nearest examples are averaged
RIDGE_WEIGHT = 30.0  # per unit of the ridge classifier's output (+1 for the label, -1 for the rest)
RIDGE_PENALTY = 1.0
MIN_MARGIN = -3.5  # how the best section must score against "out of scope" for the bot to answer
NOT_SURE_BAND = 5.0  # below the margin by less than this, the bot says it is not sure rather than "not ours"
SECOND_SECTION_RATIO = 0.5  # a runner-up at least this probable, relative to the best, is cited too


@dataclass(frozen=True)
class Meaning:
    """A question's sentence embedding, and its cosine similarity to every example (in the matcher's order)."""
    vector: np.ndarray
    similarity: np.ndarray


@dataclass(frozen=True)
class Match:
    answered: bool
    ranked: list[tuple[str, float]]  # (section id, probability), best first, up to 3
    reason: str  # "matched", "restricted" (to the sections triage allows), "out_of_scope", "not_sure", "follow_up"

    @property
    def section_ids(self) -> list[str]:
        return [section_id for section_id, _ in self.ranked]

    @property
    def score(self) -> float:
        return self.ranked[0][1] if self.ranked else 0.0


class Matcher:
    def __init__(self, protocol: Protocol, language: StaffLanguage, encoder=None):
        self.language = language
        self.encoder = encoder
        counts: dict[str, Counter] = defaultdict(Counter)
        examples: list[tuple[str, str]] = []
        for section in protocol.sections.values():
            for text in (*section.examples, section.title, section.headline):
                examples.append((section.id, text))
            for text in (section.text, section.summary):
                for term in set(language.terms(text)):
                    counts[section.id][term] += POLICY_TEXT_WEIGHT
        for text in language.out_of_scope_examples:
            examples.append((OUT_OF_SCOPE, text))
        example_terms = [language.terms(text) for _, text in examples]
        for (label, _), terms in zip(examples, example_terms, strict=True):
            counts[label].update(set(terms))
        self.example_labels = [label for label, _ in examples]
        self.example_texts = [text for _, text in examples]
        self.labels = list(counts)

        # log P(term | label) as a matrix, labels by terms, so a question's score is one sum per label.
        self.term_index = {term: j for j, term in enumerate(sorted({f for c in counts.values() for f in c}))}
        self.log_probability = np.empty((len(self.labels), len(self.term_index)))
        for i, label in enumerate(self.labels):
            c = counts[label]
            total = sum(c.values()) + SMOOTHING * len(self.term_index)
            self.log_probability[i, :] = math.log(SMOOTHING / total)
            for term, n in c.items():
                self.log_probability[i, self.term_index[term]] = math.log((n + SMOOTHING) / total)

        self.example_vectors = None
        if encoder is not None:
            self.example_vectors = encoder.encode_cached([text for _, text in examples])
            labels = np.array(self.example_labels)
            self._label_rows = [np.flatnonzero(labels == label) for label in self.labels]
            self._ridge = self._fit_ridge(labels)

    def _fit_ridge(self, labels: np.ndarray) -> np.ndarray:
        """One-vs-rest ridge regression from an example's embedding (and a bias) to its label."""
        x = np.hstack([self.example_vectors, np.ones((len(labels), 1), dtype=np.float32)]).astype(np.float64)
        y = np.where(labels[:, None] == np.array(self.labels)[None, :], 1.0, -1.0)
        return np.linalg.solve(x.T @ x + RIDGE_PENALTY * np.eye(x.shape[1]), x.T @ y)

    def embed(self, question: str) -> Meaning | None:
        """The question's meaning, worked out once for everything that needs it (None without the model)."""
        if self.example_vectors is None:
            return None
        vector = self.encoder.encode_one(question)
        return Meaning(vector, self.example_vectors @ vector)

    def nearest_texts(self, meaning: Meaning | None, k: int) -> list[str]:
        """The k examples nearest in meaning, nearest first."""
        if meaning is None:
            return []
        similarity = meaning.similarity
        top = np.argpartition(similarity, -k)[-k:]
        return [self.example_texts[i] for i in top[np.argsort(similarity[top])[::-1]]]

    def _meaning(self, meaning: Meaning | None) -> np.ndarray:
        """For each label: the mean cosine similarity of the question to its few nearest examples, plus
        the ridge classifier's output."""
        if meaning is None:
            return np.zeros(len(self.labels))
        nearest = np.empty(len(self.labels))
        for i, rows in enumerate(self._label_rows):
            values = meaning.similarity[rows]
            k = min(MEANING_NEIGHBOURS, len(values))
            nearest[i] = np.partition(values, -k)[-k:].mean()
        ridge = np.append(meaning.vector, 1.0) @ self._ridge
        return MEANING_WEIGHT * nearest + RIDGE_WEIGHT * ridge

    def scores(self, question: str, meaning: Meaning | None = None) -> dict[str, float] | None:
        """Every label's score for a question (higher is likelier), or None when it has no words that count."""
        terms = self.language.terms(question)
        if not terms:  # nothing but greetings, markup or punctuation
            return None
        known = sorted({self.term_index[term] for term in terms if term in self.term_index})
        by_meaning = self._meaning(self.embed(question) if meaning is None else meaning)
        totals = self.log_probability[:, known].sum(axis=1) + by_meaning
        return dict(zip(self.labels, totals.tolist(), strict=True))

    def match(self, question: str, only: frozenset[str] | None = None, meaning: Meaning | None = None) -> Match:
        """The best sections for a question; `only` limits them to some sections, and then the bot never abstains."""
        scores = self.scores(question, meaning)
        if scores is None:
            return Match(False, [], "out_of_scope")
        best = max(scores.values())
        weights = {label: math.exp(s - best) for label, s in scores.items()}
        out_of_scope = scores.pop(OUT_OF_SCOPE)
        candidates = [sid for sid in scores if only is None or sid in only]
        total = sum(weights[sid] for sid in candidates) + (weights[OUT_OF_SCOPE] if only is None else 0.0)
        ranked_ids = sorted(candidates, key=scores.get, reverse=True)[:3]
        if only is not None:
            # The answer rests on the best of the sections allowed; the next guesses may be any section.
            rest = [sid for sid in sorted(scores, key=scores.get, reverse=True) if sid != ranked_ids[0]]
            ranked = [(sid, weights[sid] / total) for sid in [ranked_ids[0], *rest[:2]]]
            return Match(True, ranked, "restricted")
        ranked = [(sid, weights[sid] / total) for sid in ranked_ids]
        margin = scores[ranked_ids[0]] - out_of_scope
        if margin >= MIN_MARGIN:
            return Match(True, ranked, "matched")
        return Match(False, ranked, "not_sure" if margin >= MIN_MARGIN - NOT_SURE_BAND else "out_of_scope")

    def cited(self, match: Match) -> list[str]:
        """The sections an answer quotes: the best, and the runner-up when it is nearly as likely."""
        if not match.answered:
            return []
        if match.reason == "restricted":
            return match.section_ids[:1]
        best = match.ranked[0][1]
        return [sid for sid, p in match.ranked[:2] if p >= best * SECOND_SECTION_RATIO]
