"""The report writer (`--output`), what reaches the terminal, and hostile command-line arguments.

Report files are written atomically: an error leaves the old file byte-identical and no temporary
file behind. Free text typed by the user renders as literal text in the Markdown report, and no
escape sequence from any input reaches the terminal.
"""

from __future__ import annotations

import errno
import html
import json
import os
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

import padtool.cli
import padtool.files
from conftest import MARKDOWN_ATTACKS, MINIMAL_ANSWERS
from padtool.errors import PadtoolError

from .support import (
    answers_with,
    assert_clean_error,
    assert_no_traceback,
    assert_unchanged,
    copy_minimal,
    edit,
    run_padtool,
    snapshot,
    steps,
    temporary_files,
)

RECOMMEND = ("recommend", "--answers", "answers.yaml", "--rules", "rules")
OLD_REPORT = "# An older report the chief already sent out\n"


@pytest.fixture
def old_report(folder: Path) -> Path:
    path = folder / "report.md"
    path.write_text(OLD_REPORT, encoding="utf-8")
    return path


# --- destinations that cannot or must not be written ------------------------------------------


@pytest.mark.parametrize(
    ("setup", "output", "message"),
    [
        pytest.param(None, "report.md", "already exists; use --force", id="exists-no-force"),
        pytest.param(None, "answers.yaml", "already exists", id="is-the-answers-file"),
        pytest.param(None, "rules", "is a directory", id="is-a-directory"),
        pytest.param(None, "nowhere/report.md", "does not exist", id="folder-missing"),
        pytest.param(None, "answers.yaml/report.md", "does not exist", id="parent-is-a-file"),
        pytest.param(
            lambda f: (f / "link.md").symlink_to(f / "elsewhere.md"),
            "link.md",
            "exists",
            id="dangling-symlink",
        ),
    ],
)
@pytest.mark.parametrize("fmt", ["md", "json", "table"])
def test_output_that_must_not_be_written(
    folder: Path, old_report: Path, cli, setup, output: str, message: str, fmt: str
) -> None:
    if setup:
        setup(folder)
    before = snapshot(folder)
    result = cli(*RECOMMEND, "--format", fmt, "--output", output)
    assert_clean_error(result, file=output, message=message)
    assert_unchanged(folder, before)
    assert old_report.read_text() == OLD_REPORT
    assert not (folder / "elsewhere.md").exists()
    assert not (folder / "nowhere").exists()


@pytest.mark.parametrize(
    "length",
    [
        pytest.param(
            250,
            id="250-characters",
        ),
        pytest.param(
            300,
            id="300-characters",
        ),
    ],
)
def test_output_name_too_long_for_the_file_system(folder: Path, cli, length: int) -> None:
    name = "r" * (length - 3) + ".md"
    before = snapshot(folder)
    result = cli(*RECOMMEND, "--output", name)
    if length <= 255:  # a legal name: written, or refused cleanly
        assert_no_traceback(result)
        assert result.returncode in (0, 2), result.stderr
        if result.returncode == 0:
            assert (folder / name).exists()
            assert temporary_files(folder) == []
            return
    assert_clean_error(result, file=name, message="too long")
    assert_unchanged(folder, before)


def test_force_replaces_the_report_whole(folder: Path, old_report: Path, cli) -> None:
    expected = cli(*RECOMMEND, "--format", "md").stdout
    result = cli(*RECOMMEND, "--output", "report.md", "--force")
    assert result.returncode == 0, result.stderr
    assert_no_traceback(result)
    assert "report.md" in result.stderr
    assert old_report.read_text(encoding="utf-8") == expected
    assert temporary_files(folder) == []


def test_report_name_that_is_not_utf_8(folder: Path, cli) -> None:
    name = "bericht-\udcff.md"  # the byte 0xff in a file name, as Python passes it on
    result = cli(*RECOMMEND, "--output", name)
    assert result.returncode == 0, result.stderr
    assert_no_traceback(result)
    assert os.fsencode(name) in os.listdir(os.fsencode(folder))
    assert temporary_files(folder) == []


# --- the write itself fails: full disk, failing rename, Ctrl-C (in-process) --------------------


def _full_disk(*_: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class _HalfWritingHandle:
    """A file handle that writes half of what it is given, then finds the disk full."""

    def __init__(self, handle) -> None:
        self.handle = handle

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()

    def write(self, text: str) -> int:
        self.handle.write(text[: len(text) // 2])
        self.handle.flush()
        _full_disk()
        return 0

    def __getattr__(self, name: str):
        return getattr(self.handle, name)


def _break(monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    if how == "fsync":
        monkeypatch.setattr(os, "fsync", _full_disk)
    elif how == "write":
        real = os.fdopen
        monkeypatch.setattr(
            padtool.files.os, "fdopen", lambda *a, **k: _HalfWritingHandle(real(*a, **k))
        )
    elif how == "replace":
        monkeypatch.setattr(os, "replace", lambda *a: _raise(errno.EXDEV))
    elif how == "link":  # FAT, exFAT and some network shares have no hard links
        monkeypatch.setattr(os, "link", lambda *a: _raise(errno.EPERM))


def _raise(code: int) -> None:
    raise OSError(code, os.strerror(code))


@pytest.mark.parametrize("how", ["fsync", "write", "replace"])
def test_failed_write_keeps_the_old_report(
    folder: Path, old_report: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    _break(monkeypatch, how)
    with pytest.raises(PadtoolError) as raised:
        padtool.files.write_atomic(old_report, "# The new report\n" * 1000, force=True)
    monkeypatch.undo()
    problem = raised.value.problems[0]
    assert problem.file == str(old_report)
    assert "could not be written" in problem.message
    assert old_report.read_text() == OLD_REPORT
    assert temporary_files(folder) == []


def test_first_write_without_hard_links_still_works(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --force the file is published with a hard link; where there are none (FAT),
    the name is claimed exclusively first, so an existing file is still never replaced."""
    target = folder / "new-report.md"
    _break(monkeypatch, "link")
    padtool.files.write_atomic(target, "# New\n", force=False)
    assert target.read_text() == "# New\n"
    assert temporary_files(folder) == []
    with pytest.raises(PadtoolError) as raised:
        padtool.files.write_atomic(target, "# Newer\n", force=False)
    monkeypatch.undo()
    assert "already exists" in raised.value.problems[0].message
    assert target.read_text() == "# New\n"
    assert temporary_files(folder) == []


def test_ctrl_c_during_the_write_leaves_no_temporary_file(
    folder: Path, old_report: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(_: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        padtool.files.write_atomic(old_report, "# The new report\n", force=True)
    monkeypatch.undo()
    assert old_report.read_text() == OLD_REPORT
    assert temporary_files(folder) == []


@pytest.mark.parametrize("how", ["fsync", "write", "replace"])
def test_full_disk_through_the_cli_is_a_clean_error(
    folder: Path,
    old_report: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    how: str,
) -> None:
    """`padtool recommend --output report.md --force` in-process, with the disk full."""
    monkeypatch.chdir(folder)
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(folder / "data"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setattr(sys, "argv", ["padtool", *RECOMMEND, "--output", "report.md", "--force"])
    _break(monkeypatch, how)
    with pytest.raises(SystemExit) as exited:
        padtool.cli.main()
    monkeypatch.undo()
    captured = capsys.readouterr()
    assert exited.value.code == 2, captured.err
    assert "Traceback" not in captured.out + captured.err
    assert "report.md" in captured.err and "could not be written" in captured.err
    assert captured.out == ""
    assert old_report.read_text() == OLD_REPORT
    assert temporary_files(folder) == []


# --- free text renders as text ------------------------------------------------------------------

HOSTILE_NAMES = [
    *MARKDOWN_ATTACKS,
    "[ref]: https://evil.example",
    "<!-- hidden -->",
    "A | B |---|---|",
    "&lt;script&gt; &amp; &#60;",
    "\\# not a heading \\",
    'Chief\'s "quoted" {curly} $5 100% ^caret',
]
PLAIN_NAME = "Plain Agency Name"


def _with_agency(folder: Path, name: str) -> None:
    # JSON quoting is valid YAML and keeps every character as typed.
    (folder / "answers.yaml").write_text(answers_with("agency", json.dumps(name)))


def _structure(markdown: str) -> list[tuple[str, str, list[str]]]:
    parser = MarkdownIt("commonmark").enable("table")
    return [
        (token.type, token.tag, [child.type for child in token.children or []])
        for token in parser.parse(markdown)
    ]


def _title(markdown: str) -> str:
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    first = next(i for i, t in enumerate(tokens) if t.type == "heading_open")
    return "".join(child.content for child in tokens[first + 1].children or [])


@pytest.fixture(scope="module")
def plain_report(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The Markdown report for an ordinary agency name, the structure every report must keep."""
    folder = tmp_path_factory.mktemp("plain")
    copy_minimal(folder)
    _with_agency(folder, PLAIN_NAME)
    result = run_padtool((*RECOMMEND, "--format", "md"), folder)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_agency_name_renders_inertly_in_the_markdown_report(
    folder: Path, cli, plain_report: str, name: str
) -> None:
    _with_agency(folder, name)
    result = cli(*RECOMMEND, "--format", "md")
    assert result.returncode == 0, result.stderr
    assert_no_traceback(result)
    report = result.stdout
    # No heading, list, code block, link, image, HTML or table cell added or lost:
    assert _structure(report) == _structure(plain_report)
    as_typed = " ".join(name.split())
    assert _title(report) == f"Pre-arrest diversion pathways for {as_typed}"
    rendered = MarkdownIt("commonmark").enable("table").render(report)
    assert html.unescape(rendered).count(as_typed) >= 2  # the title and the appendix
    for dangerous in ("<script", "<img", 'href="javascript', 'href="https://phish', "<!--"):
        assert dangerous not in rendered


@pytest.mark.parametrize("name", ["<script>alert(1)</script>", "[klick](javascript:alert(1))"])
def test_report_file_is_the_same_inert_markdown(folder: Path, cli, name: str) -> None:
    _with_agency(folder, name)
    printed = cli(*RECOMMEND, "--format", "md").stdout
    result = cli(*RECOMMEND, "--output", "report.md")
    assert result.returncode == 0, result.stderr
    assert (folder / "report.md").read_text(encoding="utf-8") == printed


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_agency_name_shows_as_typed_in_the_terminal(folder: Path, cli, name: str) -> None:
    _with_agency(folder, name)
    result = cli(*RECOMMEND)
    assert result.returncode == 0, result.stderr
    assert_no_traceback(result)
    assert f"Pre-arrest diversion pathways for {' '.join(name.split())}" in result.stdout


# --- no escape sequence from any input reaches the terminal -------------------------------------

CONTROLS = ("\x1b", "\x9b", "\x07", "\x08", "\r", "\u202e", "\u200b")
ESCAPES = "\\e[2J\\e[31m \\e]8;;https://evil.example\\e\\\\link\\e]8;;\\e\\\\ \\x9b1m \\a \\b \\r \\u202e \\u200b"


def _poison_rule_set(folder: Path) -> None:
    """Terminal escapes (as YAML double-quoted escapes) in every kind of rule-set text."""
    x = ESCAPES
    steps(
        edit("rules/entries/alpha.yaml", "name: Alpha pathway", f'name: "Alpha {x}"'),
        edit("rules/entries/alpha.yaml", "summary: Responds to overdoses.", f'summary: "S {x}"'),
        edit(
            "rules/entries/alpha.yaml", "reason: You reported weekly overdoses.", f'reason: "R {x}"'
        ),
        edit("rules/entries/alpha.yaml", "gap: No prosecutor agreement.", f'gap: "G {x}"'),
        edit(
            "rules/entries/alpha.yaml", "first_steps: [Call a meeting.]", f'first_steps: ["F {x}"]'
        ),
        edit("rules/entries/beta.yaml", "name: Beta model", f'name: "Beta {x}"'),
        edit("rules/providers.yaml", "name: Helper Org", f'name: "Helper {x}"'),
        edit("rules/providers.yaml", "contact: Use the web form.", f'contact: "C {x}"'),
        edit("rules/questions.yaml", "prompt: Agency name?", f'prompt: "Agency {x}?"'),
        edit("rules/questions.yaml", "label: Every week", f'label: "Every {x} week"'),
        edit("rules/ruleset.yaml", "name: minimal test rule set", f'name: "Set {x}"'),
        edit("rules/ruleset.yaml", "disclaimer: Test rule set.", f'disclaimer: "D {x}"'),
    )(folder)


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(RECOMMEND, id="recommend-table"),
        pytest.param((*RECOMMEND, "--format", "md"), id="recommend-md"),
        pytest.param(
            (*RECOMMEND, "--format", "json"),
            id="recommend-json",
        ),
        pytest.param(("questions", "--rules", "rules"), id="questions"),
        pytest.param(("pathways", "list", "--rules", "rules"), id="pathways-list"),
        pytest.param(("pathways", "show", "alpha", "--rules", "rules"), id="pathways-show"),
        pytest.param(("providers", "list", "--rules", "rules"), id="providers-list"),
        pytest.param(
            ("validate", "rules"),
            id="validate",
        ),
    ],
)
def test_escape_sequences_in_the_rule_set_never_reach_the_terminal(
    folder: Path, cli, args: tuple[str, ...]
) -> None:
    _poison_rule_set(folder)
    result = cli(*args)
    assert_no_traceback(result)
    if result.returncode == 2:  # refusing such a rule set is fine too, if it says where
        assert_clean_error(result, file="rules/", message=".")
    else:
        assert result.returncode == 0, result.stderr
    for control in CONTROLS:
        assert control not in result.stdout + result.stderr, repr(control)


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("\x1b[2Jbogus",), id="unknown-command"),
        pytest.param(("pathways", "show", "\x1b]8;;https://evil.example\x07x"), id="entry-id"),
        pytest.param(("recommend", "--answers", "\x1b[31mmissing.yaml"), id="answers-path"),
        pytest.param((*RECOMMEND, "--format", "\x1b[31mmd"), id="format-value"),
        pytest.param((*RECOMMEND, "--output", "\x1b[31m/x/r.md"), id="output-path"),
        pytest.param(("recommend", "--\x1b[31m"), id="option-name"),
    ],
)
def test_escape_sequences_in_arguments_never_reach_the_terminal(
    folder: Path, cli, args: tuple[str, ...]
) -> None:
    result = cli(*args)
    assert_no_traceback(result)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr.strip()
    for control in CONTROLS:
        assert control not in result.stderr, repr(control)


def test_escape_sequences_in_a_written_file_name_never_reach_the_terminal(
    folder: Path, cli
) -> None:
    result = cli(*RECOMMEND, "--output", "\x1b[31mred.md")
    assert result.returncode == 0, result.stderr
    for control in CONTROLS:
        assert control not in result.stdout + result.stderr, repr(control)


@pytest.mark.parametrize(
    ("args", "named", "message"),
    [
        pytest.param(("recommend",), "--answers", "missing option", id="missing-answers"),
        pytest.param((*RECOMMEND, "--bogus"), "--bogus", "no such option", id="unknown-option"),
        pytest.param((*RECOMMEND, "--format", "xml"), "--format", "xml", id="unknown-format"),
        pytest.param(("reccomend",), "reccomend", "no such command", id="unknown-command"),
        pytest.param((*RECOMMEND, "--answers"), "--answers", "requires an argument", id="no-value"),
        pytest.param(("pathways", "show", "x" * 10_000), "x" * 40, "no pathway", id="long-id"),
        pytest.param(
            ("recommend", "--answers", "\udcff.yaml", "--rules", "rules"),
            "\\udcff.yaml",
            "not found",
            id="non-utf-8-path",
        ),
    ],
)
def test_bad_arguments_are_clean_usage_errors(
    folder: Path, cli, args: tuple[str, ...], named: str, message: str
) -> None:
    before = snapshot(folder)
    result = cli(*args)
    assert_clean_error(result, file=named, message=message, max_stderr=20_000)
    assert_unchanged(folder, before)


def test_answers_file_is_read_once_and_left_alone(folder: Path, cli) -> None:
    """A successful run changes no user file and leaves no temporary file."""
    before = snapshot(folder)
    result = cli(*RECOMMEND, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert_unchanged(folder, before)
    assert (folder / "answers.yaml").read_text() == MINIMAL_ANSWERS
