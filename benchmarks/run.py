"""padtool's speed, measured against the floor in the same run.

    python benchmarks/run.py            # full run: prints ratios and scaling, exits 1 on a miss
    python benchmarks/run.py --quick    # small sizes and few repeats, for CI (no timing verdicts)

The floor is what a command cannot avoid: `python -c "import typer, yaml"` for commands that
never prompt, and `python -c "import typer, yaml, questionary, rich.console"` for the time to
the first interactive prompt. Each ratio is the median over rounds of fresh processes, each
round timing the floor and padtool one after the other.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from padtool.model import RuleSet

sys.path.insert(0, str(Path(__file__).parent))
from generate import answers, random_answer, write_rule_set

BIN = Path(sys.executable).parent
PADTOOL = str(BIN / "padtool")
PYTHON = sys.executable
# Installed packages run from compiled bytecode (pip writes it at install time): an
# environment that forbids writing it would time the compiler, for padtool and floor alike.
ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "NO_COLOR": "1",
    "PROMPT_TOOLKIT_NO_CPR": "1",
}


def process_time(command: list[str]) -> float:
    """Wall time of a fresh process running the command, in seconds."""
    start = time.perf_counter()
    subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV, check=True
    )
    return time.perf_counter() - start


def prompt_time(command: list[str], pattern: str) -> float:
    """Time from start until the pattern (the first prompt) appears, in a real
    pseudo-terminal, in seconds."""
    import pexpect

    start = time.perf_counter()
    child = pexpect.spawn(command[0], command[1:], env=ENV, encoding="utf-8", timeout=30)
    child.expect(pattern)
    elapsed = time.perf_counter() - start
    child.kill(9)
    child.close()
    return elapsed


def in_turns(measures: dict[str, Callable[[], float]], runs: int) -> dict[str, list[float]]:
    """Each measure's times over runs rounds, each round taking every measure once, after a
    first round that warms the file cache."""
    times: dict[str, list[float]] = {label: [] for label in measures}
    for round_number in range(runs + 1):
        for label, measure in measures.items():
            elapsed = measure()
            if round_number:
                times[label].append(elapsed)
    return times


def ratios_to_floor(
    times: dict[str, list[float]],
) -> tuple[float, dict[str, tuple[float, float]]]:
    """The floor's median (times["floor"]), and each other measure's median and its ratio to
    the floor. The ratio is the median of each round's own ratio: a machine that speeds up or
    slows down during the run (another job, a CPU's clock) moves the floor and padtool of a
    round alike, where the medians of the floor alone move from run to run (see README.md)."""
    floor = times.pop("floor")
    return statistics.median(floor), {
        label: (
            statistics.median(found),
            statistics.median(mine / base for mine, base in zip(found, floor, strict=True)),
        )
        for label, found in times.items()
    }


def startup_ratios(
    commands: dict[str, list[str]], runs: int
) -> tuple[float, dict[str, tuple[float, float]]]:
    """ratios_to_floor of fresh processes, commands["floor"] the floor, run in turns."""
    processes = {label: partial(process_time, command) for label, command in commands.items()}
    return ratios_to_floor(in_turns(processes, runs))


def peak_memory_mb(command: list[str]) -> float:
    """Peak resident memory of a fresh process running the command."""
    probe = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    done = subprocess.run(
        [PYTHON, "-c", probe, *command], capture_output=True, text=True, env=ENV, check=True
    )
    return int(done.stdout.strip()) / 1024


def in_process(function: Callable[[], object], runs: int = 3) -> float:
    """The fastest of runs calls, in seconds: what else the machine does only adds time, and
    one call of the 1,000-entry load took from 0.66 to 0.96 s from one run to the next."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


class Report:
    def __init__(self) -> None:
        self.missed: list[str] = []

    def check(self, label: str, value: float, limit: float, unit: str, enforce: bool) -> None:
        verdict = "ok" if value <= limit else ("MISSED" if enforce else "over (not enforced)")
        print(f"  {label:<58} {value:8.2f} {unit:<4} target <= {limit:g} {unit}  {verdict}")
        if value > limit and enforce:
            self.missed.append(label)


def startup(report: Report, runs: int, enforce: bool, work: Path) -> None:
    answers_file = work / "answers.json"
    from padtool.loader import load_rule_set

    rule_set = load_rule_set()
    sample = _bundled_answers(rule_set, seed=0)
    answers_file.write_text(json.dumps(sample))

    commands = {
        "floor": [PYTHON, "-c", "import typer, yaml"],
        "padtool --version": [PADTOOL, "--version"],
        "padtool validate": [PADTOOL, "validate"],
        "padtool recommend --answers F --format json": [
            PADTOOL,
            "recommend",
            "--answers",
            str(answers_file),
            "--format",
            "json",
        ],
    }
    floor, ratios = startup_ratios(commands, runs)
    interview = [PADTOOL, "interview", "--save-answers", str(work / "s.yaml"), "--force"]
    prompt_floor, prompts = ratios_to_floor(
        in_turns(
            {
                "floor": partial(
                    process_time, [PYTHON, "-c", "import typer, yaml, questionary, rich.console"]
                ),
                "first prompt": partial(prompt_time, interview, "Question 1 of"),
            },
            max(3, runs // 2),
        )
    )
    print(f"Start-up (median of {runs} rounds, the floor and each command in turns)")
    print(f"  floor: python -c 'import typer, yaml'                     {floor * 1000:8.1f} ms")
    print(
        f"  floor: ... plus questionary, rich.console                 {prompt_floor * 1000:8.1f} ms"
    )
    for label, (seconds, ratio) in ratios.items():
        report.check(f"{label} ({seconds * 1000:.0f} ms) / floor", ratio, 1.3, "x", enforce)
    first, ratio = prompts["first prompt"]
    report.check(
        f"time to first prompt ({first * 1000:.0f} ms) / prompt floor", ratio, 1.2, "x", enforce
    )
    for name, seconds in peers(work, max(3, runs // 2)).items():
        print(
            f"  peer: {name} shows its first prompt after {seconds * 1000:.0f} ms "
            f"({seconds / first:.2f}x padtool's)"
        )
    report.check(
        "peak memory of recommend",
        peak_memory_mb(commands["padtool recommend --answers F --format json"]),
        60,
        "MB",
        enforce,
    )


def peers(work: Path, runs: int) -> dict[str, float]:
    """Time to first prompt of the template tools a user knows, where they are installed,
    each with a one-question template."""
    found = {}
    cookiecutter, copier = BIN / "cookiecutter", BIN / "copier"
    if cookiecutter.exists():
        template = work / "cc-template"
        (template / "{{cookiecutter.name}}").mkdir(parents=True, exist_ok=True)
        (template / "cookiecutter.json").write_text('{"name": "example"}')
        command = [str(cookiecutter), str(template), "-o", str(work / "cc-out"), "-f"]
        found["cookiecutter"] = _median_prompt_time(command, "name", runs)
    if copier.exists():
        template = work / "copier-template"
        template.mkdir(exist_ok=True)
        (template / "copier.yml").write_text("name:\n  type: str\n  help: Name\n")
        command = [str(copier), "copy", str(template), str(work / "copier-out")]
        found["copier"] = _median_prompt_time(command, "Name", runs)
    return found


def _median_prompt_time(command: list[str], pattern: str, runs: int) -> float:
    return statistics.median(in_turns({"": partial(prompt_time, command, pattern)}, runs)[""])


def scaling(report: Report, quick: bool, work: Path) -> None:
    from padtool.engine import recommend
    from padtool.loader import load_rule_set

    print("Rule-set size (validate + evaluate one answer set, in process)")
    sizes = (10, 100) if quick else (10, 100, 1000)
    questions = 60 if quick else 300
    totals = []
    for size in sizes:
        folder = write_rule_set(work / f"rules-{size}", entries=size, questions=questions)
        sample = answers(questions, seed=1)
        load = in_process(partial(load_rule_set, folder))
        rule_set = load_rule_set(folder)
        evaluate = in_process(partial(recommend, rule_set, sample))
        totals.append(load + evaluate)
        print(
            f"  {size:5d} entries, {questions} questions: load {load * 1000:8.1f} ms, "
            f"evaluate {evaluate * 1000:7.2f} ms"
        )
        if size == 1000:
            report.check(
                "1,000 entries and 300 questions: validate + evaluate",
                load + evaluate,
                1.0,
                "s",
                enforce=True,
            )
    _slope("entry", sizes, totals)

    print("Answer sets (evaluate against the bundled rule set, in process)")
    rule_set = load_rule_set()
    counts = (100, 1000) if quick else (1000, 10000)
    totals = []
    for count in counts:
        sets = [_bundled_answers(rule_set, seed) for seed in range(count)]
        seconds = in_process(partial(_recommend_all, rule_set, sets), runs=1)
        totals.append(seconds)
        print(f"  {count:6d} answer sets: {seconds:6.2f} s")
    _slope("answer set", counts, totals)


def _recommend_all(rule_set: RuleSet, sets: list[dict[str, object]]) -> None:
    from padtool.engine import recommend

    for answer_set in sets:
        recommend(rule_set, answer_set)  # type: ignore[arg-type]


def _slope(unit: str, sizes: tuple[int, ...], totals: list[float]) -> None:
    """The marginal cost per unit, and how it changes with size (1.0 means linear growth)."""
    first = (totals[1] - totals[0]) / (sizes[1] - sizes[0])
    last = (totals[-1] - totals[-2]) / (sizes[-1] - sizes[-2])
    print(
        f"  slope: {last * 1e6:.1f} us per {unit}; marginal cost at the largest size is "
        f"{last / first:.2f}x that at the smallest (1.0 = linear)"
    )


def _bundled_answers(rule_set: RuleSet, seed: int) -> dict[str, object]:
    rng = random.Random(seed)
    return {
        q.id: random_answer(
            q.type, [o.value for o in q.options], int(q.min or 0), int(q.max or 1000), rng
        )
        for q in rule_set.questions
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small sizes and few repeats; timing ratios are printed, not enforced",
    )
    args = parser.parse_args()
    report = Report()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        # padtool's cache and sessions go to the scratch folder, not the user's home; the
        # warm-up run of each command fills the cache as a user's first run would.
        ENV.update(XDG_CACHE_HOME=str(work / "cache"), XDG_DATA_HOME=str(work / "data"))
        startup(report, runs=5 if args.quick else 15, enforce=not args.quick, work=work)
        scaling(report, args.quick, work)
    if report.missed:
        print(f"Missed: {'; '.join(report.missed)}")
        return 1
    print("Every enforced target holds.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
