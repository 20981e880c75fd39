"""`padtool init-overlay`: a starter overlay that validates, whose examples work when used."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import Run


def _uncomment_example(path: Path, key: str) -> None:
    """Do what the file tells the reader to: drop '[]' and the '# ' before the example."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"{key}: []")
    lines[start] = f"{key}:"
    lines[start + 1 :] = [re.sub(r"^# ", "", line) for line in lines[start + 1 :]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_the_starter_overlay_validates_over_the_bundled_set(run: Run, tmp_path: Path) -> None:
    made = run("init-overlay", "county", "--name", "Rivertown County")
    assert made.returncode == 0, made.stderr
    assert "padtool validate county" in made.stdout
    checked = run("validate", "county")
    assert checked.returncode == 0, checked.stderr
    assert "+ overlay 'Rivertown County'" in checked.stdout
    assert (tmp_path / "county" / "entries").is_dir()


def test_its_examples_validate_once_used(run: Run, tmp_path: Path) -> None:
    assert run("init-overlay", "county").returncode == 0
    folder = tmp_path / "county"
    _uncomment_example(folder / "providers.yaml", "providers")
    _uncomment_example(folder / "questions.yaml", "questions")
    shutil.copy(folder / "examples" / "local-program.yaml", folder / "entries")
    checked = run("validate", "county")
    assert checked.returncode == 0, checked.stderr
    listed = json.loads(run("pathways", "list", "--rules", "county", "--format", "json").stdout)
    local = [e for e in listed if e["origin"] is not None]
    assert [e["id"] for e in local] == ["local-program"]
    providers = json.loads(run("providers", "list", "--rules", "county", "--format", "json").stdout)
    assert providers[-1]["id"] == "county-crisis-center"
    assert providers[-1]["origin"] == {"overlay": "county", "replaces": False}
    explained = run(
        "explain", "local-program", "--rules", "county", "--scenario", "crisis-calls-city"
    )
    assert explained.returncode == 0, explained.stderr
    assert "crisis" in explained.stdout.lower()
    assert "From the local overlay county (" in explained.stdout  # and the file to edit


def test_it_never_replaces_a_file_without_force(run: Run, tmp_path: Path) -> None:
    assert run("init-overlay", "county").returncode == 0
    overlay_file = tmp_path / "county" / "overlay.yaml"
    overlay_file.write_text("name: Edited by hand\n", encoding="utf-8")
    again = run("init-overlay", "county")
    assert again.returncode == 2
    assert f"{Path('county') / 'overlay.yaml'}: already exists; use --force" in again.stderr
    assert overlay_file.read_text(encoding="utf-8") == "name: Edited by hand\n"
    forced = run("init-overlay", "county", "--force", "--name", "Fresh")
    assert forced.returncode == 0, forced.stderr
    assert 'name: "Fresh"' in overlay_file.read_text(encoding="utf-8")


def test_any_name_is_written_as_safe_yaml(run: Run) -> None:
    name = 'Condado de "Río": # norte'
    assert run("init-overlay", "county", "--name", name).returncode == 0
    checked = run("validate", "county")
    assert checked.returncode == 0, checked.stderr
    assert f"+ overlay '{name}'" in checked.stdout


def test_a_name_on_two_lines_is_refused(run: Run, tmp_path: Path) -> None:
    refused = run("init-overlay", "county", "--name", "Two\nlines")
    assert refused.returncode == 2
    assert "on one line" in refused.stderr
    assert not (tmp_path / "county").exists()


def test_the_hints_repeat_the_command_as_it_was_typed(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "padtool", "init-overlay", "county"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "NO_COLOR": "1", "XDG_CACHE_HOME": str(tmp_path / "cache")},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    python = Path(sys.executable).name
    assert f"then check them: {python} -m padtool validate county" in done.stdout
    assert f"Use it: {python} -m padtool interview --rules county" in done.stdout
