"""The whole interview in a real pseudo-terminal, as a user at a keyboard would run it."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pexpect
import pytest

from conftest import MINIMAL_RULES, PADTOOL
from padtool.rulefiles import bundled_rules_dir

MINIMAL = str(MINIMAL_RULES)
DOWN, ENTER, SPACE = "\x1b[B", "\r", " "


def spawn(tmp_path: Path, *args: str) -> pexpect.spawn:
    env = {
        **os.environ,
        "NO_COLOR": "1",
        "TERM": "xterm",
        "XDG_DATA_HOME": str(tmp_path / "data"),  # sessions go here, not into the real home
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "SOURCE_DATE_EPOCH": "1764028800",
        # pexpect's pty is no terminal emulator: it never answers prompt_toolkit's cursor
        # position request, which would cost a one-second wait at every question.
        "PROMPT_TOOLKIT_NO_CPR": "1",
    }
    child = pexpect.spawn(
        str(PADTOOL),
        ["interview", *args],
        cwd=str(tmp_path),
        env=env,
        encoding="utf-8",
        timeout=20,
        dimensions=(24, 80),
    )
    return child


def answer_minimal_up_to_officers(child: pexpect.spawn) -> None:
    child.expect("Question 1 of 5")
    child.expect("Agency name")
    child.send("Testville PD" + ENTER)
    child.expect("Question 2 of 5")
    child.send(SPACE + ENTER)
    child.expect("Question 3 of 5")
    child.expect("How often are overdoses")
    child.send(ENTER)
    child.expect("Question 4 of 5")
    child.expect("Sworn officers")


def finish_minimal_from_officers(child: pexpect.spawn, officers: str, prosecutor: str) -> None:
    """Answer questions 4 and 5, see the results on the review screen, and wait for the end."""
    child.expect("Question 4 of 5")
    child.send(officers + ENTER)
    child.expect("Question 5 of 5")
    child.send(prosecutor)
    child.expect("Anything to change")
    child.send(ENTER)
    child.expect(pexpect.EOF)
    child.close()


def test_interview_writes_report_and_answers(tmp_path: Path) -> None:
    child = spawn(
        tmp_path, "--rules", MINIMAL, "--output", "report.md", "--save-answers", "answers.yaml"
    )
    answer_minimal_up_to_officers(child)
    child.send("40" + ENTER)
    child.expect("Question 5 of 5")
    child.send("n")
    child.expect("Anything to change")
    child.send(ENTER)  # See the results
    child.expect("first choice")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    report = (tmp_path / "report.md").read_text()
    assert report.startswith("# Pre-arrest diversion pathways for Testville PD")
    assert "## 1. Alpha pathway (first choice)" in report
    assert "You reported weekly overdoses." in report
    assert "- [ ] No prosecutor agreement." in report
    assert "- Sworn officers? **40**" in report
    saved = (tmp_path / "answers.yaml").read_text()
    assert 'agency: "Testville PD"' in saved and "prosecutor: false" in saved


@pytest.mark.parametrize(
    ("stop", "exit_code"), [("ctrl-c", 130), ("sigterm", 143), ("sighup", 129)]
)
def test_interrupted_interview_keeps_answers_and_resumes(
    tmp_path: Path, stop: str, exit_code: int
) -> None:
    child = spawn(tmp_path, "--rules", MINIMAL, "--session", "answers.yaml")
    answer_minimal_up_to_officers(child)
    if stop == "ctrl-c":
        child.sendcontrol("c")
    else:
        child.kill(signal.SIGTERM if stop == "sigterm" else signal.SIGHUP)
    child.expect(r"(error: )?interview interrupted")
    assert child.match.group(1) is None  # the user asked for it: not an error
    child.expect("padtool interview --resume --session answers.yaml")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == exit_code
    assert "Traceback" not in (child.before or "")
    saved = (tmp_path / "answers.yaml").read_text()
    assert 'overdose_level: "weekly"' in saved and "officers" not in saved

    resumed = spawn(
        tmp_path,
        "--rules",
        MINIMAL,
        "--resume",
        "--session",
        "answers.yaml",
        "--output",
        "report.md",
    )
    resumed.expect(r"Continuing the interview started \d{4}-\d\d-\d\d at [\d:]+: 3 answers kept")
    finish_minimal_from_officers(resumed, "12", "y")  # the first three are not asked again
    assert resumed.exitstatus == 0
    report = (tmp_path / "report.md").read_text()
    assert "Testville PD" in report and "Nothing: every prerequisite is in place." in report


def test_bundled_questionnaire_offers_to_save_the_report(tmp_path: Path) -> None:
    """The bundled rule set, answered with the defaults everywhere, ends with the report saved
    as Markdown and as HTML (to print or save as PDF), the user's choice at the save prompt."""
    child = spawn(tmp_path, "--rules", str(bundled_rules_dir()))
    asked = 0
    while True:
        index = child.expect([r"Question \d+ of \d+", "Please type a number", "Anything to change"])
        if index == 2:
            child.send(ENTER)
            child.expect("Save this report?")
            child.expect("HTML, to print or save as PDF")
            break
        if index == 1:
            child.send("100" + ENTER)
            continue
        asked += 1
        assert asked < 40, "the questionnaire does not end"
        child.send("Chief's <b>county</b>" + ENTER if asked == 1 else ENTER)
    child.send(DOWN * 2 + ENTER)  # Both Markdown and HTML
    child.expect("File name")
    child.send(ENTER)
    child.expect("File name")
    child.send(ENTER)
    child.expect("Draft an action plan")
    child.send("y")
    child.expect("File name")
    child.send(ENTER)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert asked >= 10
    plans = list(tmp_path.glob("padtool-plan-*.md"))
    assert [p.name for p in plans] == ["padtool-plan-chief-s-b-county-b.md"]
    assert plans[0].read_text().startswith("# Action plan: ")
    sessions = list((tmp_path / "data" / "padtool" / "sessions").glob("*.yaml"))
    assert len(sessions) == 1 and "finished: true" in sessions[0].read_text()
    reports = sorted(tmp_path.glob("padtool-report-*"))
    assert [r.name for r in reports] == [
        "padtool-report-chief-s-b-county-b.html",
        "padtool-report-chief-s-b-county-b.md",
    ]
    assert reports[0].read_text().startswith("<!DOCTYPE html>")
    reports = reports[1:]
    # Typed HTML reaches the report escaped, as literal text.
    assert "for Chief's \\<b>county\\</b>\n" in reports[0].read_text()


def test_answers_file_prefills_and_only_the_rest_is_asked(tmp_path: Path) -> None:
    (tmp_path / "partial.yaml").write_text(
        "agency: Prefilled PD\nchallenges: [overdoses]\noverdose_level: rarely\n"
    )
    child = spawn(tmp_path, "--rules", MINIMAL, "--answers", "partial.yaml", "--output", "r.md")
    finish_minimal_from_officers(child, "3", "y")
    assert child.exitstatus == 0
    report = (tmp_path / "r.md").read_text()
    assert "Prefilled PD" in report and "- How often are overdoses? **Rarely**" in report


def test_end_of_input_keeps_the_answers_given(tmp_path: Path) -> None:
    child = spawn(tmp_path, "--rules", MINIMAL, "--session", "s.yaml")
    answer_minimal_up_to_officers(child)
    child.sendeof()  # Ctrl-D on an empty line: the terminal's end of input
    child.expect("interview interrupted")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert 'agency: "Testville PD"' in (tmp_path / "s.yaml").read_text()


def test_the_report_file_takes_the_format_its_name_asks_for(tmp_path: Path) -> None:
    """`--output r.html` with no --format writes HTML, not Markdown in an .html file."""
    (tmp_path / "partial.yaml").write_text(
        "agency: Prefilled PD\nchallenges: [overdoses]\noverdose_level: rarely\n"
    )
    child = spawn(tmp_path, "--rules", MINIMAL, "--answers", "partial.yaml", "--output", "r.html")
    finish_minimal_from_officers(child, "3", "y")
    assert child.exitstatus == 0
    report = (tmp_path / "r.html").read_text()
    assert report.startswith("<!DOCTYPE html>") and "Prefilled PD" in report
