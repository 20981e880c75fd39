"""Time `padtool workshop summary` on many answer files: 1,000 and 10,000 by default.

    python benchmarks/workshop.py            # 1,000 and 10,000 files
    python benchmarks/workshop.py --files N  # N/10 and N files

Writes random valid answer files for the bundled rule set into a temporary folder, then times
reading them, evaluating each and building the summary (and its JSON), in process, with the
rule set loaded once. Prints the time per size and the slope (cost per file).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from generate import random_answer

from padtool.loader import collector_paused, load_rule_set
from padtool.model import RuleSet
from padtool.render.data import to_json
from padtool.render.workshop import workshop_data
from padtool.workshop import load_folder, summarize


def team_answers(rule_set: RuleSet, rng: random.Random, index: int) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for question in rule_set.questions:
        if question.type == "text":
            found[question.id] = f"Team {index}"
            continue
        low = int(question.min) if question.min is not None else 0
        high = int(question.max) if question.max is not None else 1000
        options = [o.value for o in question.options]
        found[question.id] = random_answer(question.type, options, low, min(high, 5000), rng)
    return found


def write_files(folder: Path, rule_set: RuleSet, count: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    for index in range(count):
        path = folder / f"team-{index:06d}.json"
        path.write_text(json.dumps(team_answers(rule_set, rng, index)), encoding="utf-8")


def time_summary(folder: Path, rule_set: RuleSet) -> tuple[float, int, int]:
    start = time.perf_counter()
    with collector_paused():  # as `padtool workshop summary` does
        summary = summarize(*load_folder(folder, rule_set))
        to_json(workshop_data(summary), pretty=False)
    return time.perf_counter() - start, len(summary.teams), len(summary.broken)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000, help="the larger size (default 10000)")
    args = parser.parse_args()
    rule_set = load_rule_set()
    sizes = [max(1, args.files // 10), args.files]
    timings = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            folder = Path(tmp) / str(size)
            folder.mkdir()
            write_files(folder, rule_set, size)
            seconds, teams, broken = time_summary(folder, rule_set)
            timings.append(seconds)
            print(f"  {size:>7} answer files: {seconds:6.2f} s  ({teams} teams, {broken} not read)")
    small, large = sizes
    slope = (timings[1] - timings[0]) / (large - small)
    per_file_small = timings[0] / small
    print(
        f"  slope: {slope * 1e6:.1f} us per file; marginal cost is "
        f"{slope / per_file_small:.2f}x the average at the smallest size (1.0 = linear)"
    )


if __name__ == "__main__":
    main()
