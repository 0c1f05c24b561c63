"""Turn staff wording into the matcher's terms: concepts from `staff_language.toml`, stems for other words.

"can I add a Year 9 on snap?" becomes ["connect", "pupil", "platform"].
Spelling slips ("facebok", "harrassment") are corrected with rapidfuzz against
every word the bot knows before anything else happens.
"""

import re
import tomllib
from pathlib import Path

from rapidfuzz import fuzz, process

STAFF_LANGUAGE_FILE = Path(__file__).with_name("staff_language.toml")
MAX_PHRASE_WORDS = 5
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SLACK_MARKUP = re.compile(r"<[@#!][^>]*>|<https?://[^>]*>|https?://\S+")


def words(text: str) -> list[str]:
    text = _SLACK_MARKUP.sub(" ", text.lower()).replace("’", "'").replace("‘", "'")
    return _WORD.findall(text)


def stem(word: str) -> str:
    """A deliberately small suffix stripper: enough to fold plurals and tenses together."""
    word = word.replace("'", "")
    for suffix, replacement in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)] + replacement
    return word


class StaffLanguage:
    def __init__(self, path: Path = STAFF_LANGUAGE_FILE, extra_vocabulary: list[str] = ()):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        self.phrases: dict[tuple[str, ...], list[str]] = {}
        for concept, terms in data["concepts"].items():
            for term in terms:
                key = tuple(words(term))
                if key and concept not in self.phrases.setdefault(key, []):
                    self.phrases[key].append(concept)
        self.stopwords = {w for term in data["stopwords"]["words"] for w in words(term)}
        self.out_of_scope_examples: list[str] = data["out_of_scope"]["examples"]
        known = {w for key in self.phrases for w in key} | self.stopwords
        for text in extra_vocabulary:
            known.update(words(text))
        self.vocabulary = frozenset(known)
        # Only words long enough to be misspelt recognisably are correction targets.
        self._targets = sorted(w for w in self.vocabulary if len(w) >= 4 and not w.isdigit())
        self._corrections: dict[str, str] = {}

    def correct(self, word: str) -> str:
        if word in self.vocabulary or len(word) < 4 or word.isdigit():
            return word
        if word not in self._corrections:
            found = process.extractOne(word, self._targets, scorer=fuzz.ratio, score_cutoff=82)
            self._corrections[word] = found[0] if found else word
        return self._corrections[word]

    def terms(self, text: str) -> list[str]:
        """The concepts and stems of a text, in order; stopwords dropped."""
        tokens = [self.correct(w) for w in words(text)]
        terms: list[str] = []
        i = 0
        while i < len(tokens):
            for size in range(min(MAX_PHRASE_WORDS, len(tokens) - i), 0, -1):
                concepts = self.phrases.get(tuple(tokens[i : i + size]))
                if concepts:
                    terms.extend(concepts)
                    i += size
                    break
            else:
                word = tokens[i]
                i += 1
                if word not in self.stopwords:
                    stemmed = stem(word)
                    concepts = self.phrases.get((stemmed,))
                    terms.extend(concepts or [stemmed])
        return terms
