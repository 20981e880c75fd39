"""The benchmark script keeps working: its quick mode runs in CI (full figures are by hand)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parent.parent / "benchmarks" / "run.py"


def test_quick_benchmark_runs_and_reports_ratios_and_slopes(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "padtool recommend --answers F --format json" in done.stdout
    assert "time to first prompt" in done.stdout
    assert done.stdout.count("slope:") == 2
    assert "Every enforced target holds." in done.stdout


def test_quick_room_benchmark_runs_against_a_local_server(tmp_path: Path) -> None:
    script = SCRIPT.with_name("room.py")
    done = subprocess.run(
        [sys.executable, str(script), "--quick"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "5 teams answering at once" in done.stdout
    assert "p95 time to save an answer" in done.stdout
    assert "slowest change to reach the trainer" in done.stdout
    assert "answers files in the room's folder: 6" in done.stdout
    assert "Every enforced target holds." in done.stdout
