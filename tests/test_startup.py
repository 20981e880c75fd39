"""Start-up budget: commands that never prompt must not import the interview's libraries."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import MINIMAL_ANSWERS, MINIMAL_RULES, write

MINIMAL = str(MINIMAL_RULES)
HEAVY = (
    "questionary",
    "prompt_toolkit",
    "rich",
    "markdown_it",
    "jinja2",
    # the live room's web stack, for `workshop serve` only
    "starlette",
    "uvicorn",
    "segno",
    "anyio",
    "httpx",
    "httpx2",
)
PROBE = """
import json, sys
from padtool.cli import main
sys.argv = ["padtool", *{args!r}]
try:
    main()
except SystemExit:
    pass
sys.stderr.write(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {heavy!r})))
"""


def imported_by(*args: str) -> list[str]:
    probe = PROBE.format(args=list(args), heavy=HEAVY)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    return json.loads(done.stderr.strip().splitlines()[-1])


def test_recommend_json_imports_no_prompt_or_rich_module(tmp_path: Path) -> None:
    answers = write(tmp_path / "a.yaml", MINIMAL_ANSWERS)
    assert (
        imported_by("recommend", "--answers", str(answers), "--rules", MINIMAL, "--format", "json")
        == []
    )


def test_recommend_markdown_imports_no_prompt_module(tmp_path: Path) -> None:
    answers = write(tmp_path / "a.yaml", MINIMAL_ANSWERS)
    found = imported_by(
        "recommend", "--answers", str(answers), "--rules", MINIMAL, "--format", "md"
    )
    assert not [m for m in found if m.split(".")[0] in ("questionary", "prompt_toolkit")]


def test_version_and_validate_import_nothing_heavy() -> None:
    assert imported_by("--version") == []
    assert imported_by("validate", MINIMAL) == []


def test_workshop_summary_and_its_help_import_no_web_module(tmp_path: Path) -> None:
    web = ("starlette", "uvicorn", "segno", "anyio", "httpx", "httpx2")
    for args in (
        ("workshop", "summary", str(tmp_path), "--format", "json"),
        ("workshop", "--help"),
    ):
        assert not [m for m in imported_by(*args) if m.split(".")[0] in web]
