"""Golden reports: `recommend --scenario ID --format md` must match tests/golden/ID.md byte for byte.

The date is fixed with SOURCE_DATE_EPOCH. After an intended change to the report or the rule
set, rewrite the files and read the diff before keeping it:

    PADTOOL_UPDATE_GOLDEN=1 python -m pytest tests/test_golden_reports.py
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import PADTOOL

GOLDEN = Path(__file__).parent / "golden"
SCENARIOS = ["rural-overdoses", "prosecutor-holds-charges"]
EPOCH = "1764028800"  # 2025-11-25


def report(scenario: str, tmp_path: Path) -> bytes:
    env = {
        **os.environ,
        "SOURCE_DATE_EPOCH": EPOCH,
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    done = subprocess.run(
        [str(PADTOOL), "recommend", "--scenario", scenario, "--format", "md"],
        capture_output=True,
        timeout=60,
        env=env,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_report_matches_golden_file(scenario: str, tmp_path: Path) -> None:
    golden = GOLDEN / f"{scenario}.md"
    produced = report(scenario, tmp_path)
    if os.environ.get("PADTOOL_UPDATE_GOLDEN") == "1":
        golden.write_bytes(produced)
    assert golden.exists(), f"{golden.name} is missing; run with PADTOOL_UPDATE_GOLDEN=1"
    assert produced == golden.read_bytes(), (
        f"the report differs from {golden.name}; if the change is intended, "
        "rerun with PADTOOL_UPDATE_GOLDEN=1 and review the diff"
    )
