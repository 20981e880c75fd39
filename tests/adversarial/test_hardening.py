"""Issue 15, as a table: files padtool must not touch, inputs that must not hang or explode.

Each row is one hostile input: how to build it in the test folder, the command, and what the
user must see. Adding a case is adding a row. Every row also checks that no user file in the
test folder changed, appeared or disappeared, and that nothing printed a traceback.

@FOLDER@ in an argument or an environment value stands for the test folder's absolute path.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import MINIMAL_ANSWERS

from .support import assert_no_traceback, assert_unchanged, edit, put, snapshot, steps

SESSIONS = "data/padtool/sessions"
SESSION = """\
# padtool interview session; `padtool interview --resume` continues it
padtool_session:
  started: "2026-11-25T09:00:00"
  updated: "2026-11-25T09:05:00"
  finished: false
  rule_set: "minimal test rule set 1.0"
answers:
  agency: "Testville PD"
"""
RULES = ("--rules", "rules")
ANSWERS = ("recommend", "--answers", "answers.yaml", *RULES)
TEMPLATE = ("recommend", "--answers", "answers.yaml", *RULES, "--format", "md")


@dataclass(frozen=True)
class Row:
    """One hostile input: setup builds it in the test folder; args (and env) run padtool.

    The run must end with exit_code, name `file` in its output, match every regex in
    `expect`, print each text of `once` on exactly one line, keep every file of `kept`, take
    less than max_seconds, and leave every user file untouched.
    """

    setup: Callable[[Path], None]
    args: tuple[str, ...]
    file: str | None
    expect: tuple[str, ...]
    exit_code: int = 2
    once: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    kept: tuple[str, ...] = ()
    max_seconds: float = 15.0


def row(id: str, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
    return pytest.param(Row(*args, **kwargs), id=id)  # type: ignore[arg-type]


def nothing(folder: Path) -> None:
    pass


def session(name: str, text: str = SESSION) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        (folder / SESSIONS).mkdir(parents=True, exist_ok=True)
        (folder / SESSIONS / name).write_text(text, encoding="utf-8")

    return setup


def fifo(relative: str) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(folder / relative)

    return setup


def link(relative: str, target: str) -> Callable[[Path], None]:
    """A symbolic link; a target of the link's own name makes a loop."""

    def setup(folder: Path) -> None:
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).symlink_to(_fill(target, folder))

    return setup


def overlay(*files: str) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        (folder / "county").mkdir()
        (folder / "county" / "overlay.yaml").write_text("name: County\n", encoding="utf-8")

    return steps(setup, *[put(f"county/{f}", "") for f in files])


def template(text: str) -> Callable[[Path], None]:
    return put("t.md.j2", text)


MULTILINE_NOTES = edit(
    "rules/questions.yaml",
    "questions:\n",
    "questions:\n  - id: notes\n    prompt: Notes?\n    type: text\n    required: false\n"
    "    multiline: true\n",
)

ROWS = [
    # 1. sessions delete touches only padtool's own session files.
    row(
        "delete-dotdot-out-of-sessions",
        steps(session("s.yaml"), put("precious.yaml", SESSION)),
        ("sessions", "delete", f"{SESSIONS}/../../../precious.yaml"),
        "precious.yaml",
        ("is not a session in .*; padtool deletes only its sessions",),
        kept=(f"{SESSIONS}/s.yaml",),
    ),
    row(
        "delete-absolute-path-elsewhere",
        put("passwd", "root:x:0:0:root:/root:/bin/bash\n"),
        ("sessions", "delete", "@FOLDER@/passwd"),
        "passwd",
        ("is not a session in",),
    ),
    row(
        "delete-relative-path-elsewhere",
        steps(session("s.yaml"), put("outside", "keep me\n")),
        ("sessions", "delete", "./outside"),
        "outside",
        ("is not a session in",),
    ),
    row(
        "delete-name-of-a-file-in-the-working-folder",
        put("notes.yaml", SESSION),
        ("sessions", "delete", "notes"),
        "notes",
        ("no session of that name in",),
    ),
    row(
        "delete-link-in-sessions-to-a-file-elsewhere",
        steps(
            session("s.yaml"),
            put("precious.yaml", SESSION),
            link(f"{SESSIONS}/x.yaml", "@FOLDER@/precious.yaml"),
        ),
        ("sessions", "delete", f"{SESSIONS}/x.yaml"),
        "x.yaml",
        ("no such session file|is not a session in",),
    ),
    row(
        "delete-a-non-session-yaml-in-the-sessions-folder",
        session("other.yaml", "name: not a session\n"),
        ("sessions", "delete", "other"),
        "other.yaml",
        ("not a padtool session",),
    ),
    row(
        "delete-checks-all-before-deleting-any",
        session("s.yaml"),
        ("sessions", "delete", "s", "../elsewhere"),
        "../elsewhere",
        ("no such session file|is not a session in",),
        kept=(f"{SESSIONS}/s.yaml",),
    ),
    # 2. Named pipes never block: refused by name.
    row(
        "fifo-answers",
        fifo("pipe.yaml"),
        ("recommend", "--answers", "pipe.yaml", *RULES),
        "pipe.yaml",
        ("pipe with nothing written to it",),
    ),
    row(
        "fifo-template",
        fifo("t.md.j2"),
        (*TEMPLATE, "--template", "t.md.j2"),
        "t.md.j2",
        ("is a named pipe, not a template file",),
    ),
    row(
        "fifo-compare-input",
        fifo("pipe.yaml"),
        ("compare", "answers.yaml", "pipe.yaml", *RULES),
        "pipe.yaml",
        ("pipe with nothing written to it",),
    ),
    row(
        "fifo-interview-answers",
        fifo("pipe.yaml"),
        ("interview", "--answers", "pipe.yaml", *RULES),
        "pipe.yaml",
        ("pipe with nothing written to it",),
    ),
    row(
        "fifo-overlay-file",
        steps(
            overlay(), lambda f: (f / "county/overlay.yaml").unlink(), fifo("county/overlay.yaml")
        ),
        ("validate", "county"),
        "county/overlay.yaml",
        ("is a named pipe, not a rule file",),
    ),
    row(
        "fifo-overlay-questions",
        steps(overlay(), fifo("county/questions.yaml")),
        ("validate", "county"),
        "county/questions.yaml",
        ("is a named pipe, not a rule file",),
    ),
    row(
        "device-answers",
        link("dev.yaml", "/dev/zero"),
        ("recommend", "--answers", "dev.yaml", *RULES),
        "dev.yaml",
        ("is a device, not an answers file",),
    ),
    # 3. Templates are bounded in size, width, numbers and time.
    row(
        "template-center-1e9",
        template("# R\n{{ 'x'|center(10**9) }}\n"),
        (*TEMPLATE, "--template", "t.md.j2"),
        "t.md.j2:2:",
        ("template limit: the center filter",),
    ),
    row(
        "template-format-width",
        template("{{ '{:>999999999}'.format('x') }}"),
        (*TEMPLATE, "--template", "t.md.j2"),
        "t.md.j2:1:",
        ("template limit: a format width",),
    ),
    row(
        "template-nested-format-width",
        template("{{ '{:>{w}}'.format('x', w=10**9) }}"),
        (*TEMPLATE, "--template", "t.md.j2"),
        "t.md.j2:1:",
        ("template limit: a format width",),
    ),
    row(
        "template-format-filter-width",
        template("{{ '%0999999999d'|format(1) }}"),
        (*TEMPLATE, "--template", "t.md.j2"),
        "t.md.j2:1:",
        ("template limit: a % format width",),
    ),
    row(
        "template-percent-star-width",
        template("{{ '%*d' % (10**9, 1) }}"),
        (*TEMPLATE, "--template", "t.md.j2"),
        "t.md.j2:1:",
        ("template limit: a % format width",),
    ),
    row(
        "template-tilde-chain",
        template("{% set a = 'x' * 900000 %}\n{% set b = a ~ a ~ a ~ a %}\n{{ b }}"),
        (*TEMPLATE, "--template", "t.md.j2"),
        "t.md.j2:2:",
        ("template limit: the result of ~",),
    ),
    row(
        "template-plus-doubling",
        template("{% set a = 'x' * 900000 %}{% set b = a + a %}{{ b }}"),
        (*TEMPLATE, "--template", "t.md.j2"),
        "t.md.j2:1:",
        ("template limit: the result of \\+",),
    ),
    row(
        "template-str-method-width",
        template("{{ 'x'.ljust(10**9) }}"),
        (*TEMPLATE, "--template", "t.md.j2"),
        "t.md.j2:1:",
        ("template limit: the argument of ljust",),
    ),
    row(
        "template-replace-growth",
        template("{{ ('x' * 100000)|replace('', 'y' * 1000) }}"),
        (*TEMPLATE, "--template", "t.md.j2"),
        "t.md.j2:1:",
        ("template limit: replace would be",),
    ),
    row(
        "template-join-growth",
        template("{{ ('x' * 999999).join(['a'] * 1000) }}"),
        (*TEMPLATE, "--template", "t.md.j2"),
        "t.md.j2:1:",
        ("template limit: join would be",),
    ),
    row(
        "template-big-integer-power",
        template("{{ ((10**1000)**1000)**1000 }}"),
        (*TEMPLATE, "--template", "t.md.j2"),
        "t.md.j2:1:",
        ("template limit: the number \\*\\*",),
    ),
    row(
        "template-big-integer-product",
        template("{% set n = 10**20000 %}{{ n * n * n * n * n }}"),
        (*TEMPLATE, "--template", "t.md.j2"),
        "t.md.j2:1:",
        ("template limit: the number \\*",),
    ),
    row(
        "template-nested-ranges",
        template(
            "{% for i in range(100000) %}\n{% for j in range(100000) %}{% endfor %}\n{% endfor %}"
        ),
        (*TEMPLATE, "--template", "t.md.j2"),
        "t.md.j2:",
        ("template limit: rendering took longer than 5 seconds",),
        max_seconds=12,
    ),
    row(
        "template-endless-output",
        template("{% for i in range(100000) %}\n{{ 'x' * 999999 }}\n{% endfor %}"),
        (*TEMPLATE, "--template", "t.md.j2"),
        "t.md.j2:2:",
        ("template limit: the report would be longer",),
    ),
    row(
        "template-captured-block",
        template(
            "{% set a = 'x' * 999999 %}{% set b %}{% for i in range(100000) %}{{ a }}{% endfor %}"
            "{% endset %}{{ b|length }}"
        ),
        (*TEMPLATE, "--template", "t.md.j2"),
        "t.md.j2:1:",
        ("template limit: rendering ran out of memory",),
    ),
    # 4-5 (locks, signals, closed terminals) need a terminal: see tests/test_sessions.py.
    # 6. Resume after the rule set changed: the answers that fit are kept, the rest named.
    row(
        "resume-after-option-renamed",
        steps(
            put(
                "s.yaml",
                SESSION.replace(
                    'agency: "Testville PD"',
                    'agency: "Testville PD"\n  overdose_level: "weekly"\n'
                    '  challenges: ["overdoses"]',
                ),
            ),
            edit("rules/questions.yaml", "value: weekly", "value: every-week"),
            edit("rules/entries/alpha.yaml", "equals: weekly", "equals: every-week"),
        ),
        ("interview", "--resume", "--session", "s.yaml", *RULES),
        "s.yaml:9:19: overdose_level:",
        (
            "answer dropped: 'weekly' is not an option.*asked again",
            "the interview needs a terminal",
        ),
    ),
    row(
        "resume-after-question-removed",
        put(
            "s.yaml",
            SESSION.replace(
                'agency: "Testville PD"', 'agency: "Testville PD"\n  county_jail: true'
            ),
        ),
        ("interview", "--resume", "--session", "s.yaml", *RULES),
        "s.yaml:9:3: county_jail:",
        ("answer dropped: the question is no longer asked", "the interview needs a terminal"),
    ),
    row(
        "resume-after-minimum-raised",
        steps(
            put(
                "s.yaml",
                SESSION.replace('agency: "Testville PD"', 'agency: "Testville PD"\n  officers: 5'),
            ),
            edit("rules/questions.yaml", "min: 0", "min: 10"),
        ),
        ("interview", "--resume", "--session", "s.yaml", *RULES),
        "s.yaml:9:13: officers:",
        ("answer dropped: must be at least 10.*asked again", "the interview needs a terminal"),
    ),
    # 7. A line break in a one-line answer is named as the problem.
    row(
        "newline-in-one-line-answer",
        put("a.yaml", MINIMAL_ANSWERS.replace("Testville PD", '"Test\\nville"')),
        ("recommend", "--answers", "a.yaml", *RULES),
        "a.yaml:1:9: agency:",
        ("contains a line break; this answer must be one line",),
    ),
    row(
        "tab-in-multi-line-answer",
        steps(MULTILINE_NOTES, put("a.yaml", MINIMAL_ANSWERS + 'notes: "a\\tb"\n')),
        ("recommend", "--answers", "a.yaml", *RULES),
        "a.yaml:6:8: notes:",
        ("control characters",),
    ),
    # 8. Symbolic-link loops and broken links are named, never a traceback or silence.
    row(
        "rules-folder-loop",
        link("loop", "loop"),
        ("validate", "loop"),
        "loop",
        ("rule-set directory is a loop of symbolic links",),
    ),
    row(
        "rules-option-loop",
        link("loop", "loop"),
        ("questions", "--rules", "loop"),
        "loop",
        ("rule-set directory is a loop of symbolic links",),
    ),
    row(
        "rules-variable-loop",
        link("loop", "loop"),
        ("questions",),
        "loop",
        ("rule-set directory is a loop of symbolic links",),
        env={"PADTOOL_RULES": "loop"},
    ),
    row(
        "rules-folder-dangling",
        link("gone", "nowhere"),
        ("validate", "gone"),
        "gone",
        ("rule-set directory is a symbolic link to nothing",),
    ),
    row(
        "overlay-questions-loop",
        steps(overlay(), link("county/questions.yaml", "questions.yaml")),
        ("validate", "county"),
        "county/questions.yaml",
        ("is a loop of symbolic links",),
    ),
    row(
        "overlay-questions-dangling",
        steps(overlay(), link("county/questions.yaml", "nowhere.yaml")),
        ("validate", "county"),
        "county/questions.yaml",
        ("is a symbolic link to a file that does not exist",),
    ),
    row(
        "overlay-entries-loop",
        steps(overlay(), link("county/entries", "entries")),
        ("validate", "county"),
        "county/entries",
        ("entries folder is a loop of symbolic links",),
    ),
    row(
        "overlay-entry-file-loop",
        steps(
            overlay(),
            lambda f: (f / "county/entries").mkdir(),
            link("county/entries/a.yaml", "a.yaml"),
        ),
        ("validate", "county"),
        "county/entries/a.yaml",
        ("is a loop of symbolic links",),
    ),
    # 9. An existing destination that is not a regular file is never replaced, --force or not.
    # With --force the real device is only reached through a link in the test folder: a
    # padtool that regressed then replaces the link, never the machine's /dev/null.
    row(
        "output-onto-dev-full",
        nothing,
        (*ANSWERS, "--output", "/dev/full"),
        "/dev/full",
        ("is a device; padtool writes only regular files",),
    ),
    row(
        "output-onto-dev-full-forced",
        link("full.md", "/dev/full"),
        (*ANSWERS, "--output", "full.md", "--force"),
        "full.md",
        ("is a device; padtool writes only regular files",),
    ),
    row(
        "output-onto-fifo-forced",
        fifo("report.md"),
        (*ANSWERS, "--output", "report.md", "--force"),
        "report.md",
        ("is a named pipe; padtool writes only regular files",),
    ),
    row(
        "output-onto-link-to-device-forced",
        link("report.md", "/dev/null"),
        (*ANSWERS, "--output", "report.md", "--force"),
        "report.md",
        ("is a device; padtool writes only regular files",),
    ),
    row(
        "output-onto-directory-forced",
        lambda f: (f / "out").mkdir(),
        (*ANSWERS, "--output", "out", "--force"),
        "out",
        ("is a directory",),
    ),
    row(
        "save-answers-onto-device",
        link("saved.yaml", "/dev/null"),
        ("interview", "--save-answers", "saved.yaml", "--force", *RULES),
        "saved.yaml",
        ("is a device; padtool writes only regular files",),
    ),
    row(
        "workshop-output-onto-device",
        steps(lambda f: (f / "teams").mkdir(), link("summary.md", "/dev/full")),
        ("workshop", "summary", "teams", "--output", "summary.md", "--force", *RULES),
        "summary.md",
        ("is a device; padtool writes only regular files",),
    ),
    # 10. What is skipped is said, once per file, with why.
    row(
        "sessions-list-names-a-corrupt-session",
        steps(session("good.yaml"), session("bad.yaml", "padtool_session: [unclosed\n")),
        ("sessions", "list", *RULES),
        f"{SESSIONS}/bad.yaml",
        ("warning: .*bad.yaml:.*not a readable session", "Testville PD"),
        exit_code=0,
        once=("bad.yaml",),
    ),
    row(
        "sessions-list-names-a-headerless-file",
        session("odd.yaml", "agency: x\n"),
        ("sessions", "list", *RULES),
        "odd.yaml",
        ("not a padtool session", "No readable saved sessions"),
        exit_code=0,
        once=("odd.yaml",),
    ),
    row(
        "resume-names-the-corrupt-session",
        session("bad.yaml", "padtool_session: [unclosed\n"),
        ("interview", "--resume", *RULES),
        "bad.yaml",
        ("no readable unfinished interview to resume; these files could not be read",),
    ),
    row(
        "workshop-lists-fifo-loop-and-device",
        steps(
            lambda f: (f / "teams").mkdir(),
            put("teams/a.yaml", MINIMAL_ANSWERS),
            fifo("teams/pipe.yaml"),
            link("teams/loop.yaml", "loop.yaml"),
            link("teams/zero.yaml", "/dev/zero"),
            link("teams/gone.yaml", "nowhere.yaml"),
        ),
        ("workshop", "summary", "teams", "--plain", *RULES),
        "pipe.yaml",
        (
            "pipe.yaml: is a named pipe, not an answers file",
            "loop.yaml: is a loop of symbolic links",
            "zero.yaml: is a device",
            "gone.yaml: is a symbolic link to a file that does not exist",
        ),
        exit_code=0,
        once=("pipe.yaml", "loop.yaml", "zero.yaml", "gone.yaml"),
    ),
]


def _fill(text: str, folder: Path) -> str:
    return text.replace("@FOLDER@", str(folder))


@pytest.mark.parametrize("case", ROWS)
def test_hostile_input(folder: Path, padtool, case: Row) -> None:
    """Run under the suite's memory limit: no row may need more than a small process."""
    case.setup(folder)
    before = snapshot(folder)
    args = [_fill(a, folder) for a in case.args]
    env = {k: _fill(v, folder) for k, v in case.env.items()}
    result = padtool(*args, env=env, timeout=60)
    output = result.stdout + result.stderr
    assert_no_traceback(result)
    assert result.returncode == case.exit_code, output[-3000:]
    if case.file is not None:
        assert case.file in output, output[-3000:]
    for pattern in case.expect:
        assert re.search(pattern, output), f"{pattern!r} not in:\n{output[-3000:]}"
    for text in case.once:
        lines = [line for line in output.splitlines() if text in line]
        assert len(lines) == 1, f"{text!r} not said on exactly one line:\n{output[-3000:]}"
    for kept in case.kept:
        assert (folder / kept).exists(), f"{kept} was removed"
    assert result.elapsed < case.max_seconds
    assert_unchanged(folder, before)
