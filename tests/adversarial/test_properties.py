"""Property tests (hypothesis) over the one path each kind of input takes (issue 15).

  - open a user file (files.read_user_file): the bytes of a regular file, or padtool's own
    error naming the file; never another exception, never a wait on a pipe.
  - write a user file (files.write_atomic): the target is written only when it is absent or a
    regular file (and --force given for one that exists); nothing else in its folder changes.
  - own a session (sessions.deletable_session, save_session, resume_answers): only a session
    file inside the sessions folder is ever offered for deletion; every answer saved is resumed.
  - render a template (render.template): text no longer than the limit, or padtool's error
    with the template's name, within the time limit.
  - prose answers: any multi-line notes are accepted and leave the report's shape unchanged.

The settings are fuzz.py's: HYPOTHESIS_PROFILE=padtool-long searches harder.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from padtool import files, sessions
from padtool.engine import recommend
from padtool.errors import PadtoolError
from padtool.render import template as templates
from padtool.render.data import result_data, to_json
from padtool.render.markdown import render_report
from padtool.scenarios import find_scenario

from .support import bundled
from .test_fuzz import FUZZ

KINDS = ["regular", "empty", "fifo", "directory", "loop", "dangling", "device", "missing", "big"]


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail instead of hanging: a blocked open or read is the bug these tests look for."""

    def expired(signum: int, frame: object) -> None:
        raise AssertionError(f"took longer than {seconds} s: blocked?")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def make(path: Path, kind: str, content: bytes) -> None:
    if kind in ("regular", "big"):
        path.write_bytes(content * (200 if kind == "big" else 1))
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    elif kind == "loop":
        path.symlink_to(path.name)
    elif kind == "dangling":
        path.symlink_to("nowhere")
    elif kind == "device":
        path.symlink_to("/dev/zero")


def state(folder: Path) -> dict[str, tuple[int, bytes]]:
    found = {}
    for path in folder.iterdir():
        info = path.lstat()
        data = path.read_bytes() if stat.S_ISREG(info.st_mode) else b""
        found[path.name] = (info.st_mode, data)
    return found


@FUZZ
@given(kind=st.sampled_from(KINDS), content=st.binary(max_size=300), pipes=st.booleans())
def test_opening_a_user_file(tmp_path_factory, kind: str, content: bytes, pipes: bool) -> None:
    folder = tmp_path_factory.mktemp("open")
    path = folder / "input.yaml"
    make(path, kind, content)
    limit = 5_000
    with deadline(5):
        try:
            data = files.read_user_file(path, "answers file", limit, pipes=pipes)
        except PadtoolError as error:
            assert error.problems[0].file == str(path)
            assert kind != "regular" or len(content) > limit
            return
    expected = {"regular": content, "empty": b"", "big": content * 200}
    assert kind in expected and data == expected[kind] and len(data) <= limit


@FUZZ
@given(
    kind=st.sampled_from(KINDS),
    force=st.booleans(),
    text=st.text(st.characters(blacklist_categories=("Cs",)), max_size=200),
)
def test_writing_a_user_file(tmp_path_factory, kind: str, force: bool, text: str) -> None:
    folder = tmp_path_factory.mktemp("write")
    (folder / "neighbour.md").write_text("keep me\n")
    target = folder / "report.md"
    make(target, kind, b"old report\n")
    before = {k: v for k, v in state(folder).items() if k != "report.md"}
    was_regular = target.exists() and stat.S_ISREG(target.lstat().st_mode)
    with deadline(5):
        try:
            files.write_atomic(target, text, force)
        except PadtoolError as error:
            assert error.problems[0].file == str(target)
            if kind != "missing":
                assert os.path.lexists(target)  # whatever was there is still there
            written = False
        else:
            written = True
    after = state(folder)
    assert {k: v for k, v in after.items() if k != "report.md"} == before
    if written:
        assert kind == "missing" or (was_regular and force)
        assert target.read_bytes() == text.encode("utf-8")
    assert not [p for p in folder.iterdir() if p.suffix == ".tmp"]


NAME_PIECES = ["..", ".", "/", "s", "s.yaml", "other.yaml", "notes", "link.yaml", "x", ""]


@FUZZ
@given(
    pieces=st.lists(st.sampled_from(NAME_PIECES), min_size=1, max_size=6),
    absolute=st.sampled_from(["", "sessions", "home"]),
)
def test_only_session_files_in_the_sessions_folder_may_be_deleted(
    tmp_path_factory, pieces: list[str], absolute: str
) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        _check_deletable(tmp_path_factory.mktemp("home"), monkeypatch, pieces, absolute)


def _check_deletable(
    home: Path, monkeypatch: pytest.MonkeyPatch, pieces: list[str], absolute: str
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    folder = sessions.sessions_dir()
    folder.mkdir(parents=True)
    session = "padtool_session:\n  finished: false\nanswers: {}\n"
    for place in (folder, home, home / "data"):
        (place / "s.yaml").write_text(session)
    (folder / "other.yaml").write_text("name: not a session\n")
    (folder / "link.yaml").symlink_to(home / "s.yaml")
    (home / "notes.yaml").write_text(session)
    monkeypatch.chdir(home)
    prefix = {"": "", "sessions": f"{folder}/", "home": f"{home}/"}[absolute]
    name = prefix + "".join(pieces)
    try:
        path = sessions.deletable_session(name)
    except PadtoolError:
        return
    assert path.parent == folder.resolve()
    assert not path.is_symlink() and path.name == "s.yaml"


# Prose as people paste it: any visible text, line breaks of every system, Markdown and HTML.
ANSWER_TEXT = st.lists(
    st.text(st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn")), max_size=10)
    | st.sampled_from(["\n", "\r\n", "\r", "# ", "|", "<script>", "[x](javascript:1)", "---"]),
    max_size=12,
).map("".join)


def _scenario_answers() -> dict[str, object]:
    return dict(find_scenario(bundled(), "rural-overdoses").answers)


@FUZZ
@given(notes=ANSWER_TEXT, agency=st.text(min_size=1, max_size=60).filter(str.strip))
def test_no_answer_saved_is_lost_on_resume(tmp_path_factory, notes: str, agency: str) -> None:
    rule_set = bundled()
    answers = {**_scenario_answers(), "notes": notes.strip() or "n"}
    agency_question = rule_set.question(rule_set.agency_question)
    assert agency_question is not None
    from padtool.answers import check_answer

    if not check_answer(agency_question, agency):
        answers[rule_set.agency_question] = agency
    path = tmp_path_factory.mktemp("resume") / "s.yaml"
    sessions.save_session(path, rule_set, answers, "2026-11-25T09:00:00", finished=False)
    resumed, _, warnings = sessions.resume_answers(path, rule_set)
    assert warnings == []
    expected = {**answers, "notes": str(answers["notes"]).replace("\r\n", "\n").replace("\r", "\n")}
    assert resumed == expected


def _shape(markdown: str) -> tuple[int, int, int]:
    lines = markdown.splitlines()
    return (
        sum(line.startswith("#") for line in lines),
        sum(line.startswith("|") for line in lines),
        len(lines),
    )


@FUZZ
@given(typed=ANSWER_TEXT.filter(str.strip))
def test_multi_line_notes_render_safely_in_every_format(typed: str) -> None:
    """Markdown and HTML keep their shape (no heading, table row or element made by the
    notes); JSON gives the notes back exactly; the terminal shows no control character."""
    import io
    import re

    from rich.console import Console

    from padtool.answers import check_answer
    from padtool.question_types import tidy_text
    from padtool.render.html import render_html_report
    from padtool.render.terminal import show_result

    rule_set = bundled()
    question = rule_set.question("notes")
    assert question is not None and question.multiline
    notes = tidy_text(question, typed.strip())
    assert check_answer(question, notes) == ""
    plain = recommend(rule_set, {**_scenario_answers(), "notes": "plain"})
    result = recommend(rule_set, {**_scenario_answers(), "notes": notes})
    today = "2026-11-25"
    assert _shape(render_report(result, today)) == _shape(render_report(plain, today))

    def elements(page: str) -> list[str]:
        return re.findall(r"<([a-z0-9]+)", page)

    page = render_html_report(result, today)
    assert elements(page) == elements(render_html_report(plain, today))
    assert json.loads(to_json(result_data(result, today)))["answers"]["notes"] == notes
    screen = io.StringIO()
    show_result(Console(file=screen, width=100, color_system=None), result)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f]", screen.getvalue())


TEMPLATE_PIECES = [
    "{{ ",
    " }}",
    "{% for i in range(",
    ") %}",
    "{% endfor %}",
    "{% set a = ",
    " %}",
    "'x'",
    "'%0999d'",
    "'{:>99999}'",
    "10",
    "10**9",
    "(10**1000)",
    "**",
    "*",
    " ~ ",
    " + ",
    "a",
    "|center(",
    "|format(",
    "|replace('', 'yy')",
    ".ljust(",
    ".format(",
    ")",
    "1000000",
    "100000",
    "agency",
    "{{ agency }}",
    "\n",
    "text ",
    "|join(",
    "['a'] * 1000",
]


@FUZZ
@given(pieces=st.lists(st.sampled_from(TEMPLATE_PIECES), max_size=30))
def test_any_template_is_bounded(pieces: list[str]) -> None:
    source = "".join(pieces)
    start = time.monotonic()
    try:
        with pytest.MonkeyPatch.context() as monkeypatch:
            monkeypatch.setattr(templates, "TIME_LIMIT", 1.0)
            text = templates.ReportTemplate(source, "t.md.j2").render({"agency": "Testville"})
    except PadtoolError as error:
        assert error.problems[0].file == "t.md.j2"
        assert error.problems[0].message.startswith("template")
    else:
        assert len(text) <= templates.MAX_REPORT_CHARS
    assert time.monotonic() - start < 3


@pytest.mark.parametrize(
    "source",
    [
        "{% set a = 'x' * 999999 %}{% set b %}{% for i in range(100000) %}{{ a }}{% endfor %}"
        "{% endset %}{{ b|length }}",
        "{% for i in range(100000) %}{{ 'x'|center(10000) }}{% endfor %}",
        "{{ ((10**1000)**1000)**1000 }}",
        "{% set a = 'x' * 999999 %}{{ [a, a, a, a, a, a, a, a, a, a]|join }}",
    ],
)
def test_worst_templates_stay_small_in_a_limited_process(tmp_path: Path, source: str) -> None:
    """In a subprocess capped at 128 MB of address space: padtool's error, not MemoryError."""
    from conftest import MINIMAL_ANSWERS

    from .support import copy_minimal, limit_memory, run_padtool

    copy_minimal(tmp_path)
    (tmp_path / "answers.yaml").write_text(MINIMAL_ANSWERS)
    (tmp_path / "t.md.j2").write_text(source)
    result = run_padtool(
        [
            "recommend",
            "--answers",
            "answers.yaml",
            "--rules",
            "rules",
            "--format",
            "md",
            "--template",
            "t.md.j2",
        ],
        tmp_path,
        preexec=limit_memory,
    )
    assert result.returncode == 2, result.stderr
    assert "t.md.j2:1: template limit:" in result.stderr
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    assert result.elapsed < 10
