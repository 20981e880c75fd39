"""A real `padtool workshop serve` in a subprocess, on 127.0.0.1 and a free port, for the tests
and the benchmark that need a server a browser (or many clients) can reach."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx2

from padtool.conditions import AnswerValue
from padtool.model import RuleSet

PADTOOL = Path(sys.executable).with_name("padtool")


class RoomServer:
    def __init__(self, directory: Path, *options: str, cache: Path | None = None) -> None:
        environment = {**os.environ, "NO_COLOR": "1"}
        if cache is not None:
            environment["XDG_CACHE_HOME"] = str(cache)
        command = [str(PADTOOL), "workshop", "serve", "--dir", str(directory)]
        self.process = subprocess.Popen(
            [*command, "--port", "0", "--print-json", *options],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            self.process.wait(10)
            raise RuntimeError(f"the room did not start: {self.process.stderr.read()}")  # type: ignore[union-attr]
        self.urls: dict[str, str] = json.loads(line)
        self.url = self.urls["participant_url"].rstrip("/")

    def stop(self, how: int = signal.SIGTERM, timeout: float = 20) -> int:
        if self.process.poll() is None:
            self.process.send_signal(how)
        return self.process.wait(timeout)

    def __enter__(self) -> RoomServer:
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, page[:300]
    return found.group(1)


def current_question(page: str) -> str:
    found = re.search(r'name="question" value="([^"]+)"', page)
    return found.group(1) if found else ""


def post(client: httpx2.Client, url: str, pairs: list[tuple[str, str]]) -> httpx2.Response:
    """Post form fields in order, a name given more than once as a browser sends them."""
    data: dict[str, list[str]] = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return client.post(url, data=data, follow_redirects=True)


def fields(rule_set: RuleSet, qid: str, value: AnswerValue) -> list[tuple[str, str]]:
    """The form fields a browser posts for this answer."""
    kind = rule_set.questions_by_id[qid].type
    if kind == "multi":
        assert isinstance(value, list)
        return [("answer", v) for v in value]
    if isinstance(value, bool):
        return [("answer", "yes" if value else "no")]
    return [("answer", str(value))]


def some_answer(rule_set: RuleSet, qid: str) -> AnswerValue:
    question = rule_set.questions_by_id[qid]
    if question.type in ("single", "multi"):
        first = question.options[0].value
        return first if question.type == "single" else [first]
    return {"confirm": True, "number": 10, "text": "Team town"}[question.type]


def answer_all(
    client: httpx2.Client, rule_set: RuleSet, answers: dict[str, AnswerValue]
) -> httpx2.Response:
    """Answer every question the room asks (from answers, else some valid answer), then leave
    the review for the results: the page the team ends on."""
    page = client.get("/q", follow_redirects=True)
    for _ in range(len(rule_set.questions) + 1):
        qid = current_question(page.text)
        if not qid:
            break
        value = answers.get(qid, some_answer(rule_set, qid))
        data = [("csrf", csrf_token(page.text)), ("question", qid), ("go", "next")]
        page = post(client, "/q", data + fields(rule_set, qid, value))
        assert page.status_code == 200, page.text
    assert "Your answers" in page.text
    return client.post("/done", data={"csrf": csrf_token(page.text)}, follow_redirects=True)


def join(client: httpx2.Client, code: str, team: str) -> httpx2.Response:
    token = csrf_token(client.get("/", follow_redirects=True).text)
    data = {"csrf": token, "code": code, "team": team}
    return client.post("/join", data=data, follow_redirects=True)
