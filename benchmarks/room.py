"""The live room under a workshop's load: many teams answering at once against a local server.

    python benchmarks/room.py              # 60 teams
    python benchmarks/room.py --teams N    # N teams
    python benchmarks/room.py --quick      # 5 teams, no pauses, targets not enforced (tests)

Starts `padtool workshop serve` on 127.0.0.1 (a free port, a scratch folder) and measures:
- the time to save an answer (the POST that stores it, until the server acknowledges it), p95,
  while every team answers its whole questionnaire at once;
- the time until the trainer's event stream shows a change (an answer posted, until the
  stream carries the summary with it), over a bounded number of changes;
- the server's resident memory after the load (and its peak);
- start-up of `padtool --version` and `recommend --answers F --format json` against the floor,
  `python -c "import typer, yaml"`, measured in the same run: the room must not slow them.
Exits 1 when a target is missed. Only 127.0.0.1 is used; nothing goes to the network.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx2

sys.path.insert(0, str(Path(__file__).parent))
from run import ENV, PADTOOL, PYTHON, Report, _bundled_answers, startup_ratios

from padtool.conditions import AnswerValue
from padtool.loader import load_rule_set
from padtool.model import RuleSet

CHANGES = 20  # answer changes timed through the trainer's event stream
_QUESTION = re.compile(r'name="question" value="([^"]+)"')
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def start_server(folder: Path) -> tuple[subprocess.Popen[str], dict[str, str]]:
    command = [PADTOOL, "workshop", "serve", "--dir", str(folder), "--port", "0"]
    server = subprocess.Popen(
        [*command, "--print-json", "--min-group", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=ENV,
    )
    assert server.stdout is not None
    return server, json.loads(server.stdout.readline())


def fields(rule_set: RuleSet, qid: str, value: AnswerValue) -> list[tuple[str, str]]:
    if isinstance(value, list):
        return [("answer", v) for v in value]
    if isinstance(value, bool):
        return [("answer", "yes" if value else "no")]
    return [("answer", str(value))]


def valid(rule_set: RuleSet, qid: str, value: AnswerValue) -> AnswerValue:
    from padtool.answers import check_answer

    question = rule_set.questions_by_id[qid]
    if not check_answer(question, value):
        return value
    return [] if question.type == "multi" else question.options[0].value if question.options else 1


async def team(
    base: str,
    code: str,
    name: str,
    rule_set: RuleSet,
    answers: dict[str, Any],
    saves: list[float],
    pause: tuple[float, float],
) -> None:
    """Join, then answer every question the room asks, timing each save. Before each answer
    the team reads and talks for a random time in the pause range (none with 0-0)."""
    rng = random.Random(name)
    async with httpx2.AsyncClient(base_url=base, timeout=60) as client:
        page = await client.get("/")
        token = _CSRF.search(page.text)[1]  # type: ignore[index]
        await client.post("/join", data={"csrf": token, "code": code, "team": name})
        page = await client.get("/q")
        for _ in range(len(rule_set.questions) + 1):
            found = _QUESTION.search(page.text)
            if not found:
                break
            qid = found[1]
            value = valid(rule_set, qid, answers.get(qid, 1))
            data: dict[str, list[str]] = {"csrf": [token], "question": [qid]}
            for key, item in fields(rule_set, qid, value):
                data.setdefault(key, []).append(item)
            await asyncio.sleep(rng.uniform(*pause))
            start = time.perf_counter()
            saved = await client.post("/q", data=data)
            saves.append(time.perf_counter() - start)
            if saved.status_code != 303:
                raise RuntimeError(f"{name}: {qid} refused: {saved.status_code}")
            page = await client.get(saved.headers["location"])
        await client.post("/done", data={"csrf": token})


class Listener(threading.Thread):
    """The trainer's page: reads the event stream and notes when each text first appears."""

    def __init__(self, base: str, trainer_url: str) -> None:
        super().__init__(daemon=True)
        self.client = httpx2.Client(timeout=120)
        self.client.get(trainer_url)  # the key becomes the trainer's cookie
        self.base = base
        self.text = ""
        self.lock = threading.Lock()

    def run(self) -> None:
        with self.client.stream("GET", self.base + "/room/events") as stream:
            for chunk in stream.iter_text():
                with self.lock:
                    self.text = (self.text + chunk)[-2_000_000:]

    def wait_for(self, wanted: str, timeout: float = 10) -> float:
        ends = time.perf_counter() + timeout
        while time.perf_counter() < ends:
            with self.lock:
                if wanted in self.text:
                    return time.perf_counter()
            time.sleep(0.002)
        raise RuntimeError(f"the trainer's stream never showed {wanted!r}")


def open_trainer(base: str, urls: dict[str, str]) -> Listener:
    """The trainer reveals the summary and keeps the page open, as in a workshop."""
    trainer = httpx2.Client(base_url=base, timeout=60)
    trainer.get(urls["trainer_url"])
    token = _CSRF.search(trainer.get("/room").text)[1]  # type: ignore[index]
    trainer.post("/room/reveal", data={"csrf": token, "show": "yes"})
    listener = Listener(base, urls["trainer_url"])
    listener.start()
    return listener


def change_latency(
    base: str, urls: dict[str, str], rule_set: RuleSet, listener: Listener
) -> list[float]:
    """One more team answers everything, then changes its agency's name CHANGES times: the
    time from posting each change until the trainer's stream carries the summary with it."""
    client = httpx2.Client(base_url=base, timeout=60)
    page = client.get("/")
    csrf = _CSRF.search(page.text)[1]  # type: ignore[index]
    client.post("/join", data={"csrf": csrf, "code": urls["join_code"], "team": "timed"})
    asyncio.run(_finish(base, client.cookies, rule_set, _bundled_answers(rule_set, seed=99)))
    times = []
    for n in range(CHANGES):
        text = f"Town-{n:03d}-changed"
        start = time.perf_counter()
        client.post("/q", data={"csrf": csrf, "question": rule_set.agency_question, "answer": text})
        times.append(listener.wait_for(text) - start)
    return times


async def _finish(base: str, cookies: Any, rule_set: RuleSet, answers: dict[str, Any]) -> None:
    async with httpx2.AsyncClient(base_url=base, cookies=cookies, timeout=60) as client:
        page = await client.get("/q")
        token = _CSRF.search(page.text)[1]  # type: ignore[index]
        for _ in range(len(rule_set.questions) + 1):
            found = _QUESTION.search(page.text)
            if not found:
                return
            qid = found[1]
            data: dict[str, list[str]] = {"csrf": [token], "question": [qid]}
            for key, item in fields(rule_set, qid, valid(rule_set, qid, answers.get(qid, 1))):
                data.setdefault(key, []).append(item)
            saved = await client.post("/q", data=data)
            page = await client.get(saved.headers["location"])


def memory_mb(pid: int) -> tuple[float, float]:
    """The process's resident memory now and at its peak, from /proc."""
    status = Path(f"/proc/{pid}/status").read_text()
    found = dict(re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", status, re.M))
    return int(found["VmRSS"]) / 1024, int(found["VmHWM"]) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=60)
    parser.add_argument(
        "--pause",
        default="1-3",
        metavar="LOW-HIGH",
        help="seconds each team takes before each answer (default 1-3: a dense burst, as "
        "people take 10 s or more a question); 0-0 sends every answer at once",
    )
    parser.add_argument("--runs", type=int, default=15, help="start-up runs per command")
    parser.add_argument(
        "--quick", action="store_true", help="5 teams, no pauses, 2 runs; targets not enforced"
    )
    args = parser.parse_args()
    if args.quick:
        args.teams, args.pause, args.runs = 5, "0-0", 2
    enforce = not args.quick
    low, high = (float(part) for part in args.pause.split("-"))
    pause = (low, high)
    rule_set = load_rule_set()
    report = Report()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        ENV.update(XDG_CACHE_HOME=str(work / "cache"), XDG_DATA_HOME=str(work / "data"))
        server, urls = start_server(work / "room")
        base = urls["participant_url"].rstrip("/")
        try:
            saves: list[float] = []
            sets = [_bundled_answers(rule_set, seed) for seed in range(args.teams)]

            async def everyone() -> None:
                await asyncio.gather(
                    *(
                        team(base, urls["join_code"], f"Team {i}", rule_set, sets[i], saves, pause)
                        for i in range(args.teams)
                    )
                )

            listener = open_trainer(base, urls)
            started = time.perf_counter()
            asyncio.run(everyone())
            took = time.perf_counter() - started
            saves.sort()
            p95 = saves[int(0.95 * (len(saves) - 1))]
            print(
                f"{args.teams} teams answering at once, {args.pause} s before each answer: "
                f"{len(saves)} answers in {took:.1f} s"
            )
            print(
                f"  save an answer: median {statistics.median(saves) * 1000:.1f} ms, "
                f"max {saves[-1] * 1000:.1f} ms"
            )
            report.check("p95 time to save an answer", p95 * 1000, 50, "ms", enforce)
            changes = sorted(change_latency(base, urls, rule_set, listener))
            print(
                f"  trainer's stream shows a change: median "
                f"{statistics.median(changes) * 1000:.0f} ms over {CHANGES} changes"
            )
            report.check("slowest change to reach the trainer", changes[-1], 1, "s", enforce)
            now, peak = memory_mb(server.pid)
            print(f"  server memory now {now:.1f} MB")
            report.check("server peak memory (resident)", peak, 150, "MB", enforce)
            files = [p for p in (work / "room").iterdir() if p.suffix == ".yaml"]
            print(f"  answers files in the room's folder: {len(files)}")
        finally:
            server.terminate()
            server.wait(30)
        answers_file = work / "answers.json"
        answers_file.write_text(json.dumps(_bundled_answers(rule_set, seed=0)))
        floor, ratios = startup_ratios(
            {
                "floor": [PYTHON, "-c", "import typer, yaml"],
                "padtool --version": [PADTOOL, "--version"],
                "padtool recommend --answers F --format json": [
                    *(PADTOOL, "recommend", "--answers", str(answers_file), "--format", "json")
                ],
            },
            args.runs,
        )
        print(f"Start-up (median of {args.runs} rounds in turns), floor {floor * 1000:.1f} ms")
        for label, (seconds, ratio) in ratios.items():
            report.check(f"{label} ({seconds * 1000:.0f} ms) / floor", ratio, 1.3, "x", enforce)
    if report.missed:
        print(f"Missed: {'; '.join(report.missed)}")
        return 1
    print("Every enforced target holds.")
    return 0


if __name__ == "__main__":
    random.seed(0)
    sys.exit(main())
