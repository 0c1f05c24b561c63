"""Turn staff wording into the matcher's terms: concepts from `staff_language.toml`, stems for other words.

"can I add a Year 9 on snap?" becomes
["connect", "w:add", "pupil", "w:year", "w:9", "platform", "w:snap"].
Spelling slips ("facebok", "harrassment") are corrected with rapidfuzz against
every word the bot knows before anything else happens.
"""

import re
import tomllib
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA
from spellchecker import SpellChecker

from knowledge.protocol import ProtocolError

STAFF_LANGUAGE_FILE = Path(__file__).with_name("staff_language.toml")
MAX_PHRASE_WORDS = 5
# "messaging me", "added me", "trolling me": whether the person asking is the one acted on matters.
DONE_TO_ME = {"message", "connect", "harassment", "bully", "tag", "criticise", "post", "photo", "react", "monitor"}
WORDLESS = {"platform"}  # which site it is never changes the answer
# Who the answer is about: a misspelling of one of these must never silently become someone else.
DECIDING_WORDS = ("parent", "parents", "pupil", "pupils", "student", "students", "colleague", "colleagues",
                  "governor", "governors", "teacher", "teachers", "child", "children")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SLACK_MARKUP = re.compile(r"<[@#!][^>]*>|<https?://[^>]*>|https?://\S+")
# "Year 9", "Y9", "yr 9", "year9s": every way of naming a year group is one word.
_YEAR_GROUP = re.compile(r"\b(?:year|yr|y)\s?(?:[1-9]|1[0-3])s?\b")


def words(text: str) -> list[str]:
    text = _SLACK_MARKUP.sub(" ", text.lower()).replace("’", "'").replace("‘", "'")
    return _WORD.findall(_YEAR_GROUP.sub(" yeargroup ", text))


def stem(word: str) -> str:
    """A deliberately small suffix stripper: enough to fold plurals and tenses together."""
    word = word.replace("'", "")
    for suffix, replacement in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)] + replacement
    return word


class StaffLanguage:
    def __init__(self, path: Path = STAFF_LANGUAGE_FILE, extra_vocabulary: list[str] = ()):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            concepts, stopwords, out_of_scope = data["concepts"], data["stopwords"]["words"], data["out_of_scope"]
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise ProtocolError(f"{path}: cannot be read: {error}") from None
        except (KeyError, TypeError) as error:
            raise ProtocolError(f"{path}: needs [concepts], [stopwords] words and [out_of_scope] examples "
                                f"(missing {error})") from None
        self.phrases: dict[tuple[str, ...], list[str]] = {}
        for concept, terms in concepts.items():
            for term in terms:
                key = tuple(words(term))
                if key and concept not in self.phrases.setdefault(key, []):
                    self.phrases[key].append(concept)
        self.stopwords = {w for term in stopwords for w in words(term)}
        self.out_of_scope_examples: list[str] = out_of_scope["examples"]
        self.triage: dict = data.get("triage", {})
        known = {w for key in self.phrases for w in key} | self.stopwords
        for text in extra_vocabulary:
            known.update(words(text))
        self.vocabulary = frozenset(known)
        # Only words long enough to be misspelt recognisably are correction targets.
        self._targets = sorted(w for w in self.vocabulary if len(w) >= 4 and not w.isdigit())
        self._corrections: dict[str, str] = {}
        # Real English words are never "corrected": "morning" is not a slip for "moaning".
        self._english = SpellChecker(language="en", distance=1)

    def correct(self, word: str) -> str:
        if len(word) < 4 or word.isdigit() or word in DECIDING_WORDS:
            return word
        if word not in self._corrections:  # worked out once per word: this is on every question's path
            if len(self._corrections) > 50_000:  # unbounded input must not grow memory forever
                self._corrections.clear()
            self._corrections[word] = self._correction(word)
        return self._corrections[word]

    def _correction(self, word: str) -> str:
        english = word in self._english
        if not english:
            # A slip in a word that decides the answer is fixed first: "parnet" must never stay unknown.
            for deciding in DECIDING_WORDS:
                if OSA.distance(word, deciding) <= (1 if len(deciding) < 7 else 2):
                    return deciding
        if english or word in self.vocabulary:
            return word
        # OSA counts a swapped pair of letters as one slip: "emial" is one edit from "email".
        found = process.extractOne(word, self._targets, scorer=OSA.normalized_similarity, score_cutoff=0.75)
        return found[0] if found else word

    def terms(self, text: str) -> list[str]:
        """The concepts of a text and the stems of its words ("w:" before them), in order; stopwords dropped.

        Concepts let different wordings meet; the words keep what a concept blurs
        ("private" the setting and "privacy" of pupils are one concept, two words).
        """
        tokens = [self.correct(w) for w in words(text)]
        terms: list[str] = []
        previous: list[str] = []  # the concepts last read
        i = 0
        while i < len(tokens):
            concepts, size = self._phrase_at(tokens, i)
            if concepts:
                terms.extend(concepts)
                if not WORDLESS.intersection(concepts):
                    terms.extend("w:" + stem(w) for w in tokens[i : i + size] if w not in self.stopwords)
            elif tokens[i] == "me" and DONE_TO_ME.intersection(previous):
                concepts = ["done_to_me"]
                terms.extend(concepts)
            elif tokens[i] not in self.stopwords:
                word = stem(tokens[i])
                concepts = list(self.phrases.get((word,), ()))
                terms.extend(concepts)
                terms.append("w:" + word)
            if concepts:
                previous = concepts
            i += size
        return terms

    def _phrase_at(self, tokens: list[str], start: int) -> tuple[list[str], int]:
        """The concepts of the longest phrase starting at `start`, and how many words it took (at least one)."""
        for size in range(min(MAX_PHRASE_WORDS, len(tokens) - start), 0, -1):
            concepts = self.phrases.get(tuple(tokens[start : start + size]))
            if concepts:
                return concepts, size
        return [], 1
