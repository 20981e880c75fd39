"""`padtool init-overlay`: a commented starter overlay that validates as it is written."""

from __future__ import annotations

import json
from pathlib import Path

from .errors import PadtoolError, Problem, printable
from .files import write_atomic
from .rulefiles import bundled_rules_dir

STARTER = Path(__file__).parent / "templates" / "overlay"
_FILES = (
    "overlay.yaml",
    "providers.yaml",
    "questions.yaml",
    "README.md",
    "examples/local-program.yaml",
)
# Copied beside the files, whose first lines name them: editors find them wherever padtool is.
_SCHEMAS = ("overlay", "providers", "questions", "entry", "legal", "funding")
_NAME_LIMIT = 80


def starter_files(name: str) -> dict[str, str]:
    """The starter overlay's files by relative path, named name."""
    problem = _name_problem(name)
    if problem:
        raise PadtoolError([Problem("--name", problem)])
    files = {relative: (STARTER / relative).read_text(encoding="utf-8") for relative in _FILES}
    # A JSON string is a YAML double-quoted scalar; ASCII escapes keep any name on one line.
    files["overlay.yaml"] = files["overlay.yaml"].replace("__NAME__", json.dumps(name.strip()))
    schemas = bundled_rules_dir() / "schemas"
    for kind in _SCHEMAS:
        path = schemas / f"{kind}.schema.json"
        files[f"schemas/{path.name}"] = path.read_text(encoding="utf-8")
    return files


def write_overlay(folder: Path, name: str, force: bool) -> list[Path]:
    """Write the starter overlay into folder (created if needed); never replace a file
    without force. Returns the files written."""
    files = starter_files(name)
    existing = [folder / relative for relative in files if (folder / relative).exists()]
    if existing and not force:
        raise PadtoolError(
            [Problem(str(path), "already exists; use --force to replace it") for path in existing]
        )
    try:
        for relative in ("entries", "examples", "schemas"):
            (folder / relative).mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise PadtoolError([Problem(str(folder), f"cannot be created: {error.strerror}")]) from None
    written = []
    for relative, text in files.items():
        write_atomic(folder / relative, text, force)
        written.append(folder / relative)
    return written


def _name_problem(name: str) -> str:
    if not name.strip():
        return "the overlay needs a name"
    if len(name.strip()) > _NAME_LIMIT or "\n" in name or printable(name) != name:
        return f"give a name of at most {_NAME_LIMIT} characters on one line"
    return ""
