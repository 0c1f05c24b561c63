"""Score the matcher on a labelled question set and print the figures.

    python bench/evaluate_matcher.py [FILE ...] [--errors]

FILE is a TSV with a header `expected<TAB>question`; `expected` is a section ID,
several joined by `|` when any of them is right, or `none` for questions the
protocol does not answer. Default: the test set and both held-out sets.
"""

import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config import DEFAULT_PROTOCOL_FILE  # noqa: E402
from knowledge.answers import PolicyGuide  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SETS = [ROOT / "tests" / "data" / "questions.tsv", ROOT / "bench" / "data" / "heldout.tsv",
                ROOT / "bench" / "data" / "heldout_2.tsv"]


def read_set(path: Path) -> list[tuple[set[str], str]]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(set(row["expected"].split("|")), row["question"]) for row in rows]


def evaluate(guide: PolicyGuide, rows: list[tuple[set[str], str]]) -> dict:
    figures = {"in_scope": 0, "top1": 0, "top3": 0, "answered": 0, "out_of_scope": 0, "abstained": 0, "errors": []}
    for expected, question in rows:
        match = guide.matcher.match(question)
        ids = match.section_ids
        if expected == {"none"}:
            figures["out_of_scope"] += 1
            figures["abstained"] += not match.answered
            if match.answered:
                figures["errors"].append(("answered out-of-scope", question, "none", ids))
            continue
        figures["in_scope"] += 1
        figures["answered"] += match.answered
        figures["top1"] += bool(ids[:1] and ids[0] in expected)
        figures["top3"] += bool(expected & set(ids[:3]))
        if not (ids[:1] and ids[0] in expected) or not match.answered:
            kind = "wrong top-1" if match.answered else f"abstained ({match.reason})"
            figures["errors"].append((kind, question, "|".join(sorted(expected)), ids))
    return figures


def report(name: str, f: dict) -> str:
    pct = lambda n, d: f"{100 * n / d:5.1f}%" if d else "  n/a"  # noqa: E731
    return (f"{name}: {f['in_scope']} in scope, {f['out_of_scope']} out of scope\n"
            f"  top-1 {pct(f['top1'], f['in_scope'])}   top-3 {pct(f['top3'], f['in_scope'])}   "
            f"answered in-scope {pct(f['answered'], f['in_scope'])}   "
            f"abstained out-of-scope {pct(f['abstained'], f['out_of_scope'])}")


def main(argv: list[str]) -> None:
    show_errors = "--errors" in argv
    paths = [Path(a) for a in argv if not a.startswith("--")] or DEFAULT_SETS
    guide = PolicyGuide.from_file(DEFAULT_PROTOCOL_FILE)
    for path in paths:
        figures = evaluate(guide, read_set(path))
        print(report(path.name, figures))
        if show_errors:
            for kind, question, expected, ids in figures["errors"]:
                print(f"    {kind:24} want {expected:8} got {','.join(ids) or '-':18} {question}")


if __name__ == "__main__":
    main(sys.argv[1:])
