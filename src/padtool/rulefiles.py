"""Where a rule set's files are: the bundled folder and the entry files of any folder."""

from __future__ import annotations

from pathlib import Path


def bundled_rules_dir() -> Path:
    """The rule set shipped with padtool (inside the package once installed)."""
    packaged = Path(__file__).parent / "pathways"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "pathways"  # a source checkout


def entry_files(directory: Path) -> list[Path]:
    """The entry files of a rule set, in the order entries are listed."""
    folder = directory / "entries"
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")], key=lambda p: p.name)
