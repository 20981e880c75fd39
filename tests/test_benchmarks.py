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
