"""Owning a session and surviving the terminal, in real pseudo-terminals (issue 15, cases 4-6).

Two windows on one session: the second is refused, naming the first's process. A closed
terminal, SIGHUP or a closed stdin end the interview cleanly with the answers kept, and the
exit code says which (129 SIGHUP, 130 Ctrl-C, 143 SIGTERM).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pexpect

from conftest import PADTOOL
from test_end_to_end import ENTER, MINIMAL, answer_minimal_up_to_officers, spawn


def _wait_for(path: Path, text: str, seconds: float = 10) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and text in (content := path.read_text()):
            return content
        time.sleep(0.05)
    raise AssertionError(f"{path} never contained {text!r}")


def test_a_second_interview_on_the_same_session_is_refused(tmp_path: Path) -> None:
    first = spawn(tmp_path, "--rules", MINIMAL, "--session", "s.yaml")
    first.expect("Question 1 of 5")
    first.send("First window PD" + ENTER)
    first.expect("Question 2 of 5")
    second = spawn(tmp_path, "--rules", MINIMAL, "--resume", "--session", "s.yaml")
    second.expect(pexpect.EOF)
    second.close()
    assert second.exitstatus == 2
    assert f"s.yaml: is open in another padtool interview (process {first.pid})" in second.before
    assert "Traceback" not in second.before
    # The first window goes on and keeps what it was given.
    first.sendcontrol("c")
    first.expect(pexpect.EOF)
    first.close()
    assert 'agency: "First window PD"' in (tmp_path / "s.yaml").read_text()
    assert not (tmp_path / ".s.yaml.lock").exists()  # released at the end


def test_a_stale_lock_of_a_dead_process_is_taken_over(tmp_path: Path) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    (tmp_path / ".s.yaml.lock").write_text(f"{dead.pid}\n")
    child = spawn(tmp_path, "--rules", MINIMAL, "--session", "s.yaml")
    child.expect("Question 1 of 5")
    assert (tmp_path / ".s.yaml.lock").read_text() == f"{child.pid}\n"
    child.expect("Agency name")  # the prompt is up: Ctrl-C is a key it reads, as elsewhere
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130


def test_sessions_delete_refuses_a_session_in_use(tmp_path: Path) -> None:
    child = spawn(tmp_path, "--rules", MINIMAL)
    child.expect("saved as you go to (.*?\\.yaml)")
    session = Path(child.match.group(1).strip())
    child.expect("Question 1 of 5")
    child.send("Busy PD" + ENTER)
    _wait_for(session, "Busy PD")
    done = subprocess.run(
        [str(PADTOOL), "sessions", "delete", session.stem],
        capture_output=True,
        text=True,
        env={**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")},
        timeout=60,
    )
    assert done.returncode == 2
    assert f"is in use by padtool process {child.pid}" in done.stderr
    assert session.exists()
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()


def test_closing_the_terminal_keeps_the_answers(tmp_path: Path) -> None:
    """The window is closed: the pty's other end goes away, as when a laptop's terminal quits."""
    child = spawn(tmp_path, "--rules", MINIMAL, "--session", "s.yaml")
    answer_minimal_up_to_officers(child)
    _wait_for(tmp_path / "s.yaml", "overdose_level")
    os.close(child.child_fd)  # hang up: the child gets SIGHUP, and EIO on its terminal
    _, status = os.waitpid(child.pid, 0)
    child.closed = True
    child.child_fd = -1
    assert os.WIFEXITED(status), "killed by a signal instead of exiting cleanly"
    assert os.WEXITSTATUS(status) == 129
    saved = (tmp_path / "s.yaml").read_text()
    assert 'agency: "Testville PD"' in saved and 'overdose_level: "weekly"' in saved
    assert not (tmp_path / ".s.yaml.lock").exists()


def test_interrupted_before_the_first_answer_claims_no_saved_file(tmp_path: Path) -> None:
    child = spawn(tmp_path, "--rules", MINIMAL, "--session", "s.yaml")
    child.expect("Question 1 of 5")
    child.kill(signal.SIGTERM)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 143
    assert "interview interrupted before any answer was saved" in child.before
    assert "saved in" not in child.before and "--resume" not in child.before
    assert not (tmp_path / "s.yaml").exists()


def test_closed_stdin_is_a_clean_refusal_and_the_session_is_kept(tmp_path: Path) -> None:
    """`padtool interview --resume <&-` in a terminal: stdin closed, stdout still the terminal."""
    session = tmp_path / "s.yaml"
    session.write_text(
        "padtool_session:\n  started: '2026-11-25T09:00:00'\n  finished: false\n"
        'answers:\n  agency: "Kept PD"\n'
    )
    before = session.read_text()
    child = pexpect.spawn(
        "/bin/sh",
        ["-c", f"exec {PADTOOL} interview --resume --session s.yaml --rules {MINIMAL} <&-"],
        cwd=str(tmp_path),
        env={**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "NO_COLOR": "1"},
        encoding="utf-8",
        timeout=20,
    )
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2
    assert "standard input or output is closed" in child.before
    assert "Traceback" not in child.before
    assert session.read_text() == before


def test_resume_after_the_rule_set_changed_asks_again_what_no_longer_fits(
    tmp_path: Path,
) -> None:
    import shutil

    rules = tmp_path / "rules"
    shutil.copytree(MINIMAL, rules)
    child = spawn(tmp_path, "--rules", str(rules), "--session", "s.yaml")
    answer_minimal_up_to_officers(child)
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    # The rule set renames the option answered: that answer no longer fits.
    for relative in ("questions.yaml", "entries/alpha.yaml"):
        path = rules / relative
        path.write_text(path.read_text().replace("weekly", "every-week"))
    resumed = spawn(tmp_path, "--rules", str(rules), "--resume", "--session", "s.yaml")
    resumed.expect("overdose_level: answer dropped: 'weekly' is not an option")
    resumed.expect("Question 3 of 5")  # asked again; the agency and challenges are kept
    resumed.expect("How often are overdoses")
    resumed.send(ENTER)
    resumed.expect("Sworn officers")  # the next question: the count line is above it
    resumed.sendcontrol("c")
    resumed.expect(pexpect.EOF)
    resumed.close()
    saved = (tmp_path / "s.yaml").read_text()
    assert 'agency: "Testville PD"' in saved and 'overdose_level: "every-week"' in saved
