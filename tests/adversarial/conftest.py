"""Fixtures of the adversarial suite: recorded CLI runs, a breakable rule set, process limits."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from conftest import MINIMAL_ANSWERS, Run

from .support import CAPTURED, Captured, Ran, copy_minimal, limit_memory, run_padtool


def _record(request: pytest.FixtureRequest, text: str) -> None:
    known_bug = request.node.get_closest_marker("xfail") is not None
    CAPTURED.append(Captured(request.node.nodeid, known_bug, text))


@pytest.fixture
def cli(run: Run, request: pytest.FixtureRequest) -> Run:
    """conftest's `run` (the real console script, no terminal), recording what it printed."""

    def runner(*args: str, **kwargs: object):  # type: ignore[no-untyped-def]
        result = run(*args, **kwargs)
        _record(request, result.stdout + result.stderr)
        return result

    return runner


PadtoolRunner = Callable[..., Ran]


@pytest.fixture
def padtool(tmp_path: Path, request: pytest.FixtureRequest) -> PadtoolRunner:
    """Like `cli`, with process controls: by default under the suite's memory limit."""

    def runner(
        *args: str,
        preexec: Callable[[], None] | None = limit_memory,
        pass_fds: Sequence[int] = (),
        timeout: float = 60,
        env: dict[str, str] | None = None,
    ) -> Ran:
        result = run_padtool(
            args, tmp_path, preexec=preexec, pass_fds=pass_fds, timeout=timeout, env=env
        )
        _record(request, result.stdout + result.stderr)
        return result

    return runner


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The test folder: the minimal rule set copied to rules/, valid answers in answers.yaml."""
    copy_minimal(tmp_path)
    (tmp_path / "answers.yaml").write_text(MINIMAL_ANSWERS, encoding="utf-8")
    return tmp_path
