"""Read a question for what matters before any section: a child at risk, harm done to the person asking,
and questions that are for someone else (HR, IT, an app's own help pages, another policy).

The words come from the `[triage]` table of `staff_language.toml`; the rules are here:

- a child may be at risk when a strong sign is named ("self-harm", "not safe at home"), when a weaker
  one comes with a pupil ("nudes" of a "Y10"), when another adult's private contact with a pupil is
  described ("a colleague is messaging a sixth former"), or when the person asking has had such
  contact already ("I added them back");
- the person asking is harmed when something hostile is done to them ("slagging me off", "a fake
  account of me", "nasty comments about us"), not when they ask whether they may do it;
- a how-to ("how do I block someone on Snapchat") is for the app's help pages.
"""

import re
from dataclasses import dataclass

from knowledge.language import StaffLanguage, words

# Signs of risk to a child that need no pupil named alongside them.
STRONG_SIGNS = {
    "self harm", "self-harm", "selfharm", "self harming", "self-harming", "suicide", "suicidal", "end it all",
    "ending it all", "grooming", "groomed", "being groomed", "sextortion", "upskirt", "upskirting", "cse",
    "child sexual", "county lines", "radicalised", "radicalized", "radicalisation", "fgm", "forced marriage",
    "trafficked", "not safe at home", "isn't safe at home", "isnt safe at home", "unsafe at home",
    "scared to go home", "afraid to go home", "frightened to go home", "abused at home", "want to die",
    "wants to die", "wanting to die", "kill herself", "kill himself", "kill themselves", "killing herself",
    "killing himself", "take her own life", "take his own life", "end her life", "end his life", "overdose",
    "self harms", "self-harms", "razor", "razor blades", "pills ready", "no reason to live", "better off without",
    "cant do this anymore", "can't do this anymore", "goodbye video", "goodbye everyone", "ending my life",
    "end my life", "kill yourself", "kill myself", "took his own life", "took her own life", "took their own life",
    "dark thoughts", "no longer here", "sextorted", "sextort", "sextorting", "sugar daddy", "shoot up",
    "school shooting", "take her top off", "take his top off", "low level concern", "low-level concern",
    "scared at home", "things at home", "throws things", "social care", "social services", "designated safeguarding",
    "dsl", "safeguarding concern", "safeguarding issue", "safeguarding thing", "child protection",
}
# By meaning: so many of the question's nearest examples are real safeguarding (or harmed) questions.
NEIGHBOURS = 5
SAFEGUARDING_NEIGHBOURS = 2
HARMED_NEIGHBOURS = 3
MAYBE_HARMED_NEIGHBOURS = 2
HOW_TO_WINDOW = 8  # an app action this many words after "how do I" makes it a how-to
HARM_WINDOW = 6  # a target ("me", "us") this many words after a harmful act is the one harmed
PASSIVE = {"being", "been", "getting", "got", "receiving", "received", "am", "was", "were", "is", "are"}
SELF_NAMED = {"im", "i'm", "am", "as", "i've", "ive"}
FIRST_PERSON = {"i", "i'm", "im", "i've", "ive", "me", "my", "we", "us", "our", "myself"}


@dataclass(frozen=True)
class Triage:
    safeguarding: bool = False  # a child may be at risk: the safeguarding step comes first
    harmed: bool = False  # the person asking is on the receiving end of something hostile
    how_to: bool = False  # how to work an app's settings: for the app's help pages
    route: str | None = None  # "hr", "it", "premises", "other_policy" or "app_help": where to go if not ours
    policy_named: str | None = None  # another policy named in the question
    maybe_harmed: bool = False  # a weaker sign of harm: enough to keep a prohibition from being the answer


# "a 14 year old", "14yo", "she's 15": a child named by age.
_AGE = re.compile(r"\b(?:[4-9]|1[0-7]) ?(?:yrs?|years?)[ -]?old\b|\b(?:[4-9]|1[0-7]) ?yo\b"
                  r"|\b(?:she|he|they)(?:'s|s| is| are)? (?:only |just )?(?:[4-9]|1[0-7])\b")

Phrases = dict[str, list[tuple[str, ...]]]  # by first word, longest first


def _find(tokens: list[str], phrases: Phrases) -> list[tuple[int, tuple[str, ...]]]:
    """Where each phrase occurs: (start, phrase), every occurrence."""
    found = []
    for start, token in enumerate(tokens):
        for phrase in phrases.get(token, ()):
            if tuple(tokens[start:start + len(phrase)]) == phrase:
                found.append((start, phrase))
    return found


class Triager:
    def __init__(self, language: StaffLanguage, table: dict):
        self.language = language
        self.strong = self._phrases(STRONG_SIGNS)
        self.child_at_risk = self._phrases(table["child_at_risk"])
        self.adult_conduct = self._phrases(table["adult_conduct"])
        self.other_adult = self._phrases(table["other_adult"])
        self.self_report = self._phrases(table["self_report"])
        self.harm = self._phrases(table["harm"])
        self.aimed_at_me = self._phrases(table["aimed_at_me"])
        self.harm_target = {w for t in table["harm_target"] for w in self._words(t)}
        self.permission_start = self._phrases(table["permission_start"])
        self.my_things = {w for t in table["my_things"] for w in self._words(t)}
        self.hostile = self._phrases(table["hostile"])
        self.how_to_phrases = self._phrases(table["how_to"])
        self.app_action = self._phrases(table["app_action"])
        self.routes = {route: self._phrases(texts) for route, texts in table["routes"].items()}
        self.safeguarding_examples = set(table.get("safeguarding_examples", ()))
        self.harmed_examples = set(table.get("harmed_examples", ()))

    def _words(self, text: str) -> list[str]:
        # Phrases go through the same spelling fixes as questions, so both meet in the same words.
        return [self.language.correct(w) for w in words(text)]

    def _phrases(self, texts) -> Phrases:
        phrases: Phrases = {}
        for phrase in sorted({tuple(self._words(t)) for t in texts} - {()}, key=len, reverse=True):
            phrases.setdefault(phrase[0], []).append(phrase)
        return phrases

    def read(self, question: str, neighbours: list[str] = ()) -> Triage:
        """Triage a question; `neighbours` are the examples nearest to it in meaning, nearest first."""
        tokens = self._words(question)
        concepts = set(self.language.terms(question))
        pupil = "pupil" in concepts or bool(_AGE.search(question.lower()))
        near = neighbours[:NEIGHBOURS]
        harmed_by_words = self._harmed(tokens)
        harmed_near = sum(n in self.harmed_examples for n in near)
        harmed = harmed_by_words or harmed_near >= HARMED_NEIGHBOURS
        # Meaning alone does not turn "pupils made memes of me" into a child at risk: the harm is to the asker.
        safeguarding = self._child_at_risk(tokens, pupil) or (
            not harmed_by_words and sum(n in self.safeguarding_examples for n in near) >= SAFEGUARDING_NEIGHBOURS)
        maybe_harmed = harmed or harmed_near >= MAYBE_HARMED_NEIGHBOURS
        how_to = self._how_to(tokens) and not (safeguarding or harmed)
        found = {name: _find(tokens, phrases) for name, phrases in self.routes.items()}
        route = "app_help" if how_to else next((name for name, places in found.items() if places), None)
        named = next((" ".join(phrase) for _, phrase in found["other_policy"]), None)
        return Triage(safeguarding, harmed, how_to, route, named, maybe_harmed)

    def _child_at_risk(self, tokens: list[str], pupil: bool) -> bool:
        if _find(tokens, self.strong):
            return True
        if pupil and (_find(tokens, self.child_at_risk) or _find(tokens, self.self_report)):
            return True
        asks_permission = any(start == 0 for start, _ in _find(tokens[:5], self.permission_start))
        # "I'm a TA", "as a teacher": the person asking, not another adult.
        others = [start for start, _ in _find(tokens, self.other_adult)
                  if not SELF_NAMED.intersection(tokens[max(0, start - 2):start])]
        return pupil and not asks_permission and bool(others) and bool(_find(tokens, self.adult_conduct))

    def _harmed(self, tokens: list[str]) -> bool:
        if not _find(tokens, self.hostile):
            return False
        if _find(tokens, self.aimed_at_me):
            return True
        for start, phrase in _find(tokens, self.harm):
            end = start + len(phrase)
            after = tokens[end:end + HARM_WINDOW]
            if self.harm_target.intersection(after):
                return True
            following = tokens[end + 1:end + HARM_WINDOW + 1]
            if any(w == "my" and nxt in self.my_things for w, nxt in zip(after, following, strict=False)):
                return True
            before = tokens[max(0, start - 3):start]
            if PASSIVE.intersection(before) and (FIRST_PERSON | self.harm_target).intersection(tokens[:start]):
                return True
        return False

    def _how_to(self, tokens: list[str]) -> bool:
        for start, phrase in _find(tokens, self.how_to_phrases):
            end = start + len(phrase)
            if _find(tokens[end:end + HOW_TO_WINDOW], self.app_action):
                return True
        return False
