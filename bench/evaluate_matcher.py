"""Score the bot's answers on labelled question sets and print the figures.

    python bench/evaluate_matcher.py [FILE ...] [--errors]

FILE is a TSV with a header `expected<TAB>question` (more columns are allowed:
`source_url`, `tags`); `expected` is a section ID, several joined by `|` when
any of them is right (best first), or `none` for questions the protocol does
not answer. `tags` may hold `safeguarding` (a child may be at risk: the answer
must lead with the safeguarding step) and `done_to_me` (the person asking is
the one harmed: the answer must not be a prohibition addressed to them).
Default: every set in tests/data and bench/data.

For each set it prints top-1, top-3, in-scope answered, out-of-scope declined,
the safeguarding-first rate, "done to me" prohibitions, the first reply's
length (lines and characters, median and max) and the time per answer
(median and p95).
"""

import csv
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config import DEFAULT_PROTOCOL_FILE  # noqa: E402
from console.render import answer_as_text  # noqa: E402
from knowledge.answers import PROHIBITIONS, PolicyGuide  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SETS = [
    ROOT / "tests" / "data" / "questions.tsv",
    ROOT / "bench" / "data" / "heldout.tsv",
    ROOT / "bench" / "data" / "heldout_2.tsv",
    ROOT / "bench" / "data" / "real_tune.tsv",
    ROOT / "bench" / "data" / "real_measure.tsv",
    ROOT / "tests" / "data" / "safeguarding.tsv",
    ROOT / "tests" / "data" / "done_to_me.tsv",
]


def read_set(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [{"expected": set(row["expected"].split("|")), "question": row["question"],
                 "tags": set(filter(None, (row.get("tags") or "").split(",")))} for row in rows]


def prohibits_the_asker(answer) -> bool:
    return answer.kind == "policy" and answer.verdict in PROHIBITIONS


def evaluate(guide: PolicyGuide, rows: list[dict]) -> dict:
    f = {"in_scope": 0, "top1": 0, "top3": 0, "answered": 0, "out_of_scope": 0, "abstained": 0,
         "safeguarding": 0, "safeguarding_first": 0, "done_to_me": 0, "prohibitions": 0,
         "lines": [], "chars": [], "ms": [], "errors": []}
    for row in rows:
        expected, question = row["expected"], row["question"]
        started = time.perf_counter()
        answer = guide.answer(question)
        f["ms"].append(1000 * (time.perf_counter() - started))
        text = answer_as_text(answer)
        f["lines"].append(len(text.splitlines()))
        f["chars"].append(len(text))
        ids = answer.match.section_ids
        if "safeguarding" in row["tags"]:
            f["safeguarding"] += 1
            f["safeguarding_first"] += answer.kind == "safeguarding"
            if answer.kind != "safeguarding":
                f["errors"].append(("not safeguarding-first", question, "|".join(sorted(expected)), ids))
        if "done_to_me" in row["tags"]:
            f["done_to_me"] += 1
            if prohibits_the_asker(answer):
                f["prohibitions"] += 1
                f["errors"].append(("prohibits the harmed", question, "|".join(sorted(expected)), ids))
        if expected == {"none"}:
            f["out_of_scope"] += 1
            f["abstained"] += not answer.answered
            if answer.answered:
                f["errors"].append(("answered out-of-scope", question, "none", ids))
            continue
        f["in_scope"] += 1
        f["answered"] += answer.answered
        f["top1"] += bool(ids[:1] and ids[0] in expected)
        f["top3"] += bool(expected & set(ids[:3]))
        if not (ids[:1] and ids[0] in expected) or not answer.answered:
            kind = "wrong top-1" if answer.answered else f"abstained ({answer.match.reason})"
            f["errors"].append((kind, question, "|".join(sorted(expected)), ids))
    return f


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:5.1f}%" if d else "  n/a"


def _p95(values: list[float]) -> float:
    values = sorted(values)
    return values[int(0.95 * (len(values) - 1))] if values else 0.0


def report(name: str, f: dict) -> str:
    lines = [
        f"{name}: {f['in_scope']} in scope, {f['out_of_scope']} out of scope",
        f"  top-1 {_pct(f['top1'], f['in_scope'])}   top-3 {_pct(f['top3'], f['in_scope'])}   "
        f"answered in-scope {_pct(f['answered'], f['in_scope'])}   "
        f"declined out-of-scope {_pct(f['abstained'], f['out_of_scope'])}",
    ]
    if f["safeguarding"] or f["done_to_me"]:
        lines.append(f"  safeguarding-first {_pct(f['safeguarding_first'], f['safeguarding'])} of {f['safeguarding']}"
                     f"   'done to me' prohibitions {f['prohibitions']} of {f['done_to_me']}")
    if f["ms"]:
        lines.append(f"  first reply: lines median {statistics.median(f['lines']):.0f} max {max(f['lines'])}, "
                     f"characters median {statistics.median(f['chars']):.0f} max {max(f['chars'])}   "
                     f"time per answer median {statistics.median(f['ms']):.1f} ms p95 {_p95(f['ms']):.1f} ms")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    show_errors = "--errors" in argv
    paths = [Path(a) for a in argv if not a.startswith("--")] or DEFAULT_SETS
    guide = PolicyGuide.from_file(DEFAULT_PROTOCOL_FILE)
    for path in paths:
        figures = evaluate(guide, read_set(path))
        print(report(path.name, figures))
        if show_errors:
            for kind, question, expected, ids in figures["errors"]:
                print(f"    {kind:24} want {expected:14} got {','.join(ids) or '-':18} {question}")


if __name__ == "__main__":
    main(sys.argv[1:])
