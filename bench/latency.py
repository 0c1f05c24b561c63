"""Time the matcher per question, in process, over the labelled question sets.

    python bench/latency.py [FILE ...]

Prints start-up time (with the example embeddings cached, as after the first
start), then the median, 95th percentile and worst time per question, each
question answered once from cold (spelling corrections are cached after a
word's first sighting, so a second pass would flatter).
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from evaluate_matcher import DEFAULT_SETS, read_set  # noqa: E402

from config import DEFAULT_PROTOCOL_FILE  # noqa: E402
from knowledge.answers import PolicyGuide  # noqa: E402


def main(argv: list[str]) -> None:
    paths = [Path(a) for a in argv] or DEFAULT_SETS
    questions = [row["question"] for path in paths for row in read_set(path)]
    started = time.perf_counter()
    guide = PolicyGuide.from_file(DEFAULT_PROTOCOL_FILE)
    print(f"start-up (load protocol, build matcher): {1000 * (time.perf_counter() - started):.0f} ms")
    timings = []
    for question in questions:
        started = time.perf_counter()
        guide.answer(question)
        timings.append(1000 * (time.perf_counter() - started))
    timings.sort()
    print(f"{len(timings)} questions: median {statistics.median(timings):.3f} ms, "
          f"p95 {timings[int(0.95 * (len(timings) - 1))]:.3f} ms, worst {timings[-1]:.3f} ms")


if __name__ == "__main__":
    main(sys.argv[1:])
