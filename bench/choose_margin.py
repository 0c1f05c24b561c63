"""Choose the matcher's margin (how clearly the best section must beat "out of scope") by cross-validation
on the training examples alone: the protocol's examples and the out-of-scope examples, never a test set.

    python bench/choose_margin.py [--folds 5]

Each fold leaves a fifth of the examples out, builds the matcher from the rest, and records by how much
each left-out example's best section beats "out of scope". The margin printed is the one whose worse
rate (in-scope examples answered, out-of-scope ones declined) is best; copy it into MIN_MARGIN in
knowledge/matcher.py.
"""

import dataclasses
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config import DEFAULT_PROTOCOL_FILE  # noqa: E402
from knowledge.embeddings import load_encoder  # noqa: E402
from knowledge.language import StaffLanguage  # noqa: E402
from knowledge.matcher import OUT_OF_SCOPE, Matcher  # noqa: E402
from knowledge.protocol import load_protocol  # noqa: E402

CANDIDATES = [m / 2 for m in range(-40, 41)]  # -20 to 20 in halves


class _Remembered:
    """An encoder that hands back vectors computed once for every example."""

    def __init__(self, encoder, texts: list[str]):
        self.encoder = encoder
        self.vectors = dict(zip(texts, encoder.encode_cached(texts), strict=True))

    def encode_cached(self, texts):
        import numpy as np

        return np.stack([self.vectors[t] for t in texts])

    def encode_one(self, text):
        return self.vectors[text] if text in self.vectors else self.encoder.encode_one(text)


def margins(folds: int = 5, seed: int = 7) -> list[tuple[bool, float]]:
    protocol = load_protocol(DEFAULT_PROTOCOL_FILE)
    vocabulary = [s.text + " " + " ".join(s.examples) for s in protocol.sections.values()]
    language = StaffLanguage(extra_vocabulary=vocabulary)
    examples = [(sid, e) for sid, s in protocol.sections.items() for e in s.examples]
    examples += [(OUT_OF_SCOPE, e) for e in language.out_of_scope_examples]
    all_texts = [e for _, e in examples] + [t for s in protocol.sections.values() for t in (s.title, s.headline)]
    encoder = _Remembered(load_encoder(), list(dict.fromkeys(all_texts)))
    random.Random(seed).shuffle(examples)
    results = []
    for fold in range(folds):
        held = examples[fold::folds]
        kept = set(examples) - set(held)
        sections = {sid: dataclasses.replace(s, examples=tuple(e for e in s.examples if (sid, e) in kept))
                    for sid, s in protocol.sections.items()}
        fold_language = dataclasses.replace(language) if dataclasses.is_dataclass(language) else language
        out_of_scope = language.out_of_scope_examples
        fold_language.out_of_scope_examples = [e for e in out_of_scope if (OUT_OF_SCOPE, e) in kept]
        matcher = Matcher(dataclasses.replace(protocol, sections=sections), fold_language, encoder)
        fold_language.out_of_scope_examples = out_of_scope
        for label, text in held:
            scores = matcher.scores(text)
            if scores is None:
                results.append((label != OUT_OF_SCOPE, float("-inf")))
                continue
            none = scores.pop(OUT_OF_SCOPE)
            results.append((label != OUT_OF_SCOPE, max(scores.values()) - none))
        print(f"fold {fold + 1} of {folds} done", file=sys.stderr)
    return results


def main(argv: list[str]) -> None:
    folds = int(argv[argv.index("--folds") + 1]) if "--folds" in argv else 5
    results = margins(folds)
    in_scope = [m for is_in, m in results if is_in]
    out_of_scope = [m for is_in, m in results if not is_in]
    best = None
    for margin in CANDIDATES:
        answered = sum(m >= margin for m in in_scope) / len(in_scope)
        declined = sum(m < margin for m in out_of_scope) / len(out_of_scope)
        worse = min(answered, declined)
        print(f"margin {margin:4.1f}: in-scope answered {100 * answered:5.1f}%  "
              f"out-of-scope declined {100 * declined:5.1f}%")
        if best is None or worse > best[1]:
            best = (margin, worse)
    print(f"best margin by {folds}-fold cross-validation on the examples: {best[0]}")


if __name__ == "__main__":
    main(sys.argv[1:])
