"""Shared fixtures and values: the bundled and minimal rule sets, answers for the minimal
one, a writable copy of the rule set, the real CLI, hostile text, and a headless browser's
flags."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from padtool.loader import load_rule_set
from padtool.model import RuleSet
from padtool.rulefiles import bundled_rules_dir

PADTOOL = Path(sys.executable).with_name("padtool")

# Answers for tests/fixtures/minimal: weekly overdoses, no prosecutor agreement.
MINIMAL_ANSWERS = """\
agency: Testville PD
challenges: [overdoses]
overdose_level: weekly
officers: 40
prosecutor: false
"""
MINIMAL_ANSWER_VALUES = yaml.safe_load(MINIMAL_ANSWERS)

# The six pathways of the PTACC framework, as the bundled rule set names them.
PTACC_PATHWAYS = (
    "self-referral",
    "active-outreach",
    "naloxone-plus",
    "first-responder-officer-referral",
    "officer-intervention",
    "community-response",
)

# Typed text that would change a Markdown or HTML report's structure if it were not escaped.
MARKDOWN_ATTACKS = [
    "# Fake heading",
    "1. item",
    "- item",
    "---",
    "===",
    "    indented code",
    "```",
    "[click](javascript:alert(1))",
    "![x](http://tracker.example/p.png)",
    "<https://phish.example>",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "**bold** _em_ `code` ~~strike~~",
]

# Debian's browser, run without a window or a profile of its own, and with no network chatter.
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
HEADLESS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_browser(*needed: Path) -> None:
    """Skip the test when Debian's browser (or its driver) is missing; fail it in CI, where
    .ci/run installs them, so a browser check never passes by being skipped there."""
    missing = [str(p) for p in needed if not p.exists()]
    if missing:
        message = f"{', '.join(missing)} not installed (Debian: chromium chromium-driver)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def print_to_pdf(page: Path, folder: Path) -> bytes:
    """The PDF Chromium prints of an HTML file."""
    require_browser(CHROMIUM)
    pdf = folder / f"{page.stem}.pdf"
    subprocess.run(
        [
            str(CHROMIUM),
            *HEADLESS,
            f"--user-data-dir={folder / 'profile'}",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    return pdf.read_bytes()


@pytest.fixture(scope="session")
def rule_set() -> RuleSet:
    return load_rule_set()


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled rule set, to break on purpose."""
    target = tmp_path / "rules"
    shutil.copytree(bundled_rules_dir(), target)
    return target


Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run(tmp_path: Path) -> Run:
    """Run the installed `padtool` console script, as a user would, without a terminal."""

    def runner(
        *args: str,
        stdin: str | None = None,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
    ) -> subprocess.CompletedProcess[str]:
        environment = {
            **os.environ,
            "NO_COLOR": "1",
            "COLUMNS": "120",
            "SOURCE_DATE_EPOCH": "1764028800",
            "XDG_DATA_HOME": str(tmp_path / "data"),  # sessions go here, not the real home
            "XDG_CACHE_HOME": str(tmp_path / "cache"),
            **(env or {}),
        }
        return subprocess.run(
            [str(PADTOOL), *args],
            capture_output=True,
            text=True,
            timeout=60,
            input=stdin if stdin is not None else "",
            env=environment,
            cwd=cwd or tmp_path,
        )

    return runner


MINIMAL_RULES = Path(__file__).parent / "fixtures" / "minimal"


def edited_minimal(tmp_path: Path, file: str, old: str, new: str) -> Path:
    """A copy of the minimal rule set with one text replaced in one file."""
    target = tmp_path / "rules"
    shutil.copytree(MINIMAL_RULES, target)
    path = target / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture lacks {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def load_error(tmp_path: Path, file: str, old: str, new: str) -> str:
    """What loading a copy of the minimal rule set, with one text replaced, reports: it must
    be refused."""
    from padtool.errors import PadtoolError

    rules = edited_minimal(tmp_path, file, old, new)
    with pytest.raises(PadtoolError) as raised:
        load_rule_set(rules)
    return str(raised.value)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
