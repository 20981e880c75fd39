"""What a clean failure is, and the hostile inputs the adversarial tests build.

A clean failure: exit code 2, nothing on stdout, a short message on stderr that names the file
(and the line and key where the input has them), no traceback, and every file in the test folder
exactly as it was: nothing changed, nothing created, no temporary file left behind.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import os
import re
import resource
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, Protocol

import pytest

from conftest import MINIMAL_ANSWERS, MINIMAL_RULES, PADTOOL
from padtool.loader import load_rule_set
from padtool.model import RuleSet

MINIMAL = MINIMAL_RULES


# Rule sets are module values, not fixtures: hypothesis prints a failing test's arguments, and
# the bundled rule set alone is 130 kB of repr.
@functools.cache
def bundled() -> RuleSet:
    return load_rule_set()


@functools.cache
def minimal() -> RuleSet:
    return load_rule_set(MINIMAL)


# RLIMIT_AS for subprocesses that must stay bounded. Measured here: padtool needs about 48 MB of
# address space to start and print a table (40 MB for --format json), so 128 MB leaves 2.5x
# headroom, while expanding the 9x9 alias bomb needs gigabytes and reading a 50 MB file whole
# (bytes, then the decoded text) needs more than the 80 MB left: both would die of MemoryError.
MEMORY_LIMIT_MB = 128

# A file the `!!python/object/apply:os.system` payloads try to create; it must never appear.
MARKER = "PWNED"

# The answers in conftest.MINIMAL_ANSWERS, one per line, in this order.
ANSWER_LINES = {"agency": 1, "challenges": 2, "overdose_level": 3, "officers": 4, "prosecutor": 5}

# Output of every padtool run in this suite, for the suite-wide "never a traceback" check.
CAPTURED: list[Captured] = []


class Captured(NamedTuple):
    test: str
    expected_to_fail: bool  # the test is marked xfail: its traceback is a known, reported bug
    text: str


class Ran(NamedTuple):
    returncode: int
    stdout: str
    stderr: str
    elapsed: float  # seconds, wall clock, including interpreter start-up


class Finished(Protocol):
    @property
    def returncode(self) -> int: ...
    @property
    def stdout(self) -> str: ...
    @property
    def stderr(self) -> str: ...


def environment(folder: Path) -> dict[str, str]:
    """The environment of conftest's `run` fixture: no colour, fixed width and date, and padtool's
    own data and cache folders inside the test folder, never in the real home."""
    return {
        **os.environ,
        "NO_COLOR": "1",
        "COLUMNS": "120",
        "SOURCE_DATE_EPOCH": "1764028800",
        "XDG_DATA_HOME": str(folder / "data"),
        "XDG_CACHE_HOME": str(folder / "cache"),
    }


def run_padtool(
    args: Sequence[str],
    cwd: Path,
    *,
    preexec: Callable[[], None] | None = None,
    pass_fds: Sequence[int] = (),
    timeout: float = 60,
    env: dict[str, str] | None = None,
) -> Ran:
    """Run the installed console script like conftest's `run`, with extra process controls."""
    start = time.monotonic()
    done = subprocess.run(
        [str(PADTOOL), *args],
        capture_output=True,
        text=True,
        errors="backslashreplace",
        input="",
        env={**environment(cwd), **(env or {})},
        cwd=cwd,
        timeout=timeout,
        preexec_fn=preexec,
        pass_fds=tuple(pass_fds),
    )
    return Ran(done.returncode, done.stdout, done.stderr, time.monotonic() - start)


def limit_memory() -> None:
    """preexec_fn: cap the child's address space at MEMORY_LIMIT_MB."""
    limit = MEMORY_LIMIT_MB * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE = 1
_CAP_DAC_READ_SEARCH = 2


def drop_file_capabilities() -> None:
    """preexec_fn: root keeps its uid but loses the capabilities that bypass file permissions.

    Dropping them from the bounding set takes effect at exec, so the padtool that runs next is
    refused by a chmod 000 file exactly as an ordinary user would be.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def unreadable(path: Path) -> Callable[[], None] | None:
    """chmod 000 `path`; return the preexec_fn under which padtool cannot read it.

    None when not running as root (the chmod is enough). As root, chmod 000 blocks nothing, so the
    child drops its file capabilities; where even that is impossible the test is skipped.
    """
    path.chmod(0)
    if os.geteuid() != 0:
        return None
    probe = [sys.executable, "-c", f"open({str(path)!r}, 'rb').read()"]
    try:
        done = subprocess.run(
            probe, capture_output=True, text=True, preexec_fn=drop_file_capabilities, timeout=60
        )
    except subprocess.SubprocessError as error:  # prctl refused: no CAP_SETPCAP in this sandbox
        pytest.skip(f"running as root and cannot drop CAP_DAC_OVERRIDE ({error})")
    if "PermissionError" not in done.stderr:
        pytest.skip("running as root; even without CAP_DAC_OVERRIDE the file stays readable")
    return drop_file_capabilities


# padtool's own state (sessions, the rule-set cache), which the `run` fixture keeps in the test
# folder; everything else there belongs to the user and must not change on an error.
OWN_STATE = ("data", "cache")


def snapshot(root: Path) -> dict[str, tuple[int, int, int, str]]:
    """Every user path under root with its mode, size, mtime and (up to 5 MB) content hash."""
    state = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if relative.parts[0] in OWN_STATE:
            continue
        info = path.lstat()
        digest = ""
        if stat.S_ISREG(info.st_mode) and info.st_size <= 5_000_000 and info.st_mode & 0o444:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        state[str(relative)] = (info.st_mode, info.st_size, info.st_mtime_ns, digest)
    return state


def temporary_files(root: Path) -> list[str]:
    """Leftovers of an interrupted atomic write anywhere under root, padtool's folders included."""
    return [str(p.relative_to(root)) for p in root.rglob("*.tmp")]


def assert_no_traceback(result: Finished) -> None:
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output[-3000:]


def assert_clean_error(
    result: Finished,
    *,
    file: str | None,
    line: int | None = None,
    key: str | None = None,
    message: str | None = None,
    max_stderr: int = 5000,
) -> None:
    """Exit 2, silence on stdout, one short located message on stderr, no traceback."""
    assert_no_traceback(result)
    assert result.returncode == 2, f"exit code {result.returncode}\n{result.stderr[-3000:]}"
    assert result.stdout == "", result.stdout[:3000]
    stderr = result.stderr
    if file is not None:
        where = f"{file}:{line}:" if line is not None else file
        assert where in stderr, f"{where!r} not named in:\n{stderr[:3000]}"
    if key is not None:
        assert f" {key}:" in stderr, f"key {key!r} not named in:\n{stderr[:3000]}"
    if message is not None:
        assert re.search(message, stderr, re.IGNORECASE), f"{message!r} not in:\n{stderr[:3000]}"
    assert len(stderr) <= max_stderr, f"{len(stderr):,} characters on stderr:\n{stderr[:600]}..."


# --- building inputs ------------------------------------------------------------------------


def answers_with(key: str, raw: str) -> str:
    """conftest.MINIMAL_ANSWERS with the YAML text after `key:` replaced; lines stay put."""
    lines = MINIMAL_ANSWERS.splitlines()
    index = ANSWER_LINES[key] - 1
    assert lines[index].startswith(f"{key}:")
    lines[index] = f"{key}: {raw}"
    return "\n".join(lines) + "\n"


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    """The classic alias bomb: about 450 bytes, width**levels strings once expanded."""
    lines = [f"lol0: &lol0 [{', '.join(['lol'] * width)}]"]
    lines += [f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * width)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def deep_flow(depth: int, key: str = "agency") -> str:
    return f"{key}: {'[' * depth}x{']' * depth}\n"


def deep_block_sequence(depth: int, key: str = "agency") -> str:
    return f"{key}:\n  {'- ' * depth}x\n"


def deep_block_mapping(depth: int, key: str = "agency") -> str:
    """Block mappings nested `depth` levels, one space per level (about depth**2 / 2 bytes)."""
    lines = [f"{key}:"] + [" " * (level + 1) + "k:" for level in range(depth)]
    return "\n".join(lines) + " x\n"


def sparse_file(path: Path, size: int) -> Path:
    """A file of `size` bytes created instantly (a hole, no data written)."""
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


def copy_minimal(folder: Path) -> Path:
    target = folder / "rules"
    shutil.copytree(MINIMAL, target)
    return target


@dataclass(frozen=True)
class Case:
    """One hostile input and the clean error it must produce.

    `setup` builds the input inside the test folder; `file` is the name the message must give
    (relative to the test folder, as the user typed it), with `line` and `key` where known.
    """

    setup: Callable[[Path], None]
    file: str | None
    message: str
    line: int | None = None
    key: str | None = None
    max_stderr: int = 5000


def put(relative: str, content: str | bytes) -> Callable[[Path], None]:
    """Setup: write content to folder/relative (the text @MARKER@ becomes the marker's path)."""

    def setup(folder: Path) -> None:
        path = folder / relative
        if isinstance(content, str):
            path.write_bytes(content.replace("@MARKER@", str(folder / MARKER)).encode("utf-8"))
        else:
            path.write_bytes(content)

    return setup


def edit(relative: str, old: str, new: str) -> Callable[[Path], None]:
    """Setup: replace the first `old` in folder/relative by `new`."""

    def setup(folder: Path) -> None:
        path = folder / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{relative} lacks {old!r}"
        path.write_text(
            text.replace(old, new.replace("@MARKER@", str(folder / MARKER)), 1), encoding="utf-8"
        )

    return setup


def steps(*setups: Callable[[Path], None]) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        for one in setups:
            one(folder)

    return setup


def assert_unchanged(folder: Path, before: dict[str, tuple[int, int, int, str]]) -> None:
    """No user file changed, none appeared, and no temporary file was left anywhere."""
    assert snapshot(folder) == before
    assert temporary_files(folder) == []
