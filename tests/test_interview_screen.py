"""What the interview leaves on an 80x24 screen: a real pseudo-terminal read through a
terminal emulator (pyte), so wrapping, erasing and prompts are checked as a user sees them."""

from __future__ import annotations

import contextlib
import re
import time
from pathlib import Path

import pexpect
import pyte
import pytest

from padtool.loader import load_rule_set
from test_end_to_end import DOWN, ENTER, spawn

COLUMNS, ROWS = 80, 24
CTRL_B = "\x02"


class Screen:
    def __init__(self, child: pexpect.spawn) -> None:
        self.child = child
        self.screen = pyte.Screen(COLUMNS, ROWS)
        self.stream = pyte.Stream(self.screen)

    def wait_for(self, text: str, timeout: float = 20) -> list[str]:
        """Read until text is on screen; return the screen's lines."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if text in "\n".join(self.lines()):
                time.sleep(0.2)  # let the prompt finish drawing
                self.read()
                return self.lines()
            self.read()
        raise AssertionError(f"{text!r} never shown:\n" + "\n".join(self.lines()))

    def read(self) -> None:
        with contextlib.suppress(pexpect.TIMEOUT, pexpect.EOF):
            self.stream.feed(self.child.read_nonblocking(100_000, timeout=0.1))

    def lines(self) -> list[str]:
        return [line.rstrip() for line in self.screen.display]

    def send(self, keys: str) -> None:
        self.child.send(keys)


def words(lines: list[str]) -> list[str]:
    return " ".join(lines).split()


def contains_run(haystack: list[str], needle: list[str]) -> bool:
    return any(haystack[i : i + len(needle)] == needle for i in range(len(haystack)))


@pytest.fixture
def screen(tmp_path: Path) -> Screen:
    return Screen(spawn(tmp_path))


AGENCY_HELP = load_rule_set().questions_by_id["agency_name"].help
KIND_HELP = load_rule_set().questions_by_id["agency_type"].help


def test_help_lines_wrap_at_word_boundaries(screen: Screen) -> None:
    lines = screen.wait_for("What is the name of your agency")
    assert contains_run(words(lines), AGENCY_HELP.split())  # no word split over two lines
    assert all(len(line) < COLUMNS for line in lines if "Question 1 of" in line)


def test_ctrl_b_leaves_no_abandoned_prompt_on_screen(screen: Screen) -> None:
    screen.wait_for("What is the name of your agency")
    screen.send("Testville PD" + ENTER)
    screen.wait_for("What kind of agency is it")
    screen.send(CTRL_B)
    lines = screen.wait_for("Question 1 of")
    text = "\n".join(lines)
    assert "What kind of agency" not in text and "Question 2 of" not in text
    # the Back choice of a single-choice question erases it the same way
    screen.send(ENTER)
    screen.wait_for("What kind of agency is it")
    screen.send(DOWN * 6 + ENTER)  # the last choice: Back to the previous question
    lines = screen.wait_for("Question 1 of")
    time.sleep(0.3)
    screen.read()
    assert "What kind of agency" not in "\n".join(screen.lines())


def test_question_mark_shows_the_help(screen: Screen) -> None:
    screen.wait_for("What is the name of your agency")
    screen.send("Testville PD" + ENTER)
    screen.wait_for("What kind of agency is it")
    screen.send("?")
    lines = screen.wait_for("Help:")
    assert contains_run(words(lines), ["Help:", *KIND_HELP.split()])


def test_a_fractional_count_of_officers_is_refused(screen: Screen) -> None:
    screen.wait_for("What is the name of your agency")
    screen.send("Testville PD" + ENTER)
    screen.wait_for("What kind of agency is it")
    screen.send(ENTER)
    screen.wait_for("many sworn officers")
    screen.send("85.5" + ENTER)
    screen.wait_for("must be a whole number, found 85.5")


def test_change_an_answer_list_cuts_no_question_mid_word(tmp_path: Path) -> None:
    screen = Screen(spawn(tmp_path, "--scenario", "rural-overdoses"))
    screen.wait_for("Anything to change")
    screen.send(DOWN + ENTER)
    lines = screen.wait_for("Which answer")
    prompts = [q.prompt for q in load_rule_set().questions]
    choices = [m[1] for line in lines if (m := re.match(r"^ [ »] \d+\. (.*)$", line))]
    assert len(choices) >= 10
    for text in choices:
        full = next(p for p in prompts if p.startswith(text.removesuffix(" ...")))
        if text.endswith(" ..."):
            kept = text.removesuffix(" ...").split()
            assert full.split()[: len(kept)] == kept  # whole words only
        else:
            assert text == full


def test_an_existing_report_file_can_be_replaced_or_renamed(tmp_path: Path) -> None:
    existing = tmp_path / "padtool-report-cedar-fork-county-sheriff-s-office.md"
    existing.write_text("old report\n", encoding="utf-8")
    for choice, written in ((ENTER, existing), (DOWN + ENTER, tmp_path / "other.md")):
        screen = Screen(spawn(tmp_path, "--scenario", "rural-overdoses"))
        screen.wait_for("Anything to change")
        screen.send(ENTER)
        screen.wait_for("Save this report")
        screen.send(ENTER)
        screen.wait_for("File name")
        screen.send(ENTER)
        lines = screen.wait_for("A file with that name exists")
        assert "--force" not in "\n".join(lines)
        screen.send(choice)
        if written != existing:
            screen.wait_for("File name")
            screen.send("\x15" + "other.md" + ENTER)  # Ctrl-U clears the name
        screen.wait_for("Draft an action plan")
        screen.send("n")
        screen.wait_for("Report written to")
        screen.child.expect(pexpect.EOF)
        assert written.read_text(encoding="utf-8").startswith("# Pre-arrest diversion")
    assert existing.read_text(encoding="utf-8") != "old report\n"


def test_the_resume_hint_names_the_command_as_it_was_typed(tmp_path: Path) -> None:
    import os
    import shlex

    from conftest import PADTOOL
    from test_end_to_end import MINIMAL

    session = tmp_path / "s.yaml"
    command = f"bin/padtool interview --rules {shlex.quote(MINIMAL)} --session {session}"
    child = pexpect.spawn(
        "/bin/sh",
        ["-c", f"cd {shlex.quote(str(PADTOOL.parent.parent))} && {command}"],
        env={**os.environ, "NO_COLOR": "1", "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"},
        encoding="utf-8",
        timeout=20,
        dimensions=(ROWS, COLUMNS),
    )
    child.expect("Agency name")
    child.send("Testville PD\r")  # one answer saved: the session file exists to resume
    child.expect("Which challenges")
    child.sendcontrol("c")
    child.expect(f"Continue with: bin/padtool interview --resume --session {session}")
    child.expect(pexpect.EOF)
