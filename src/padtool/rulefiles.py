"""Where a rule set's files are: the bundled folder, the layers of overlays, the entry files
and the training scenarios."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

RULE_SET_FILE = "ruleset.yaml"  # marks a complete rule set
OVERLAY_FILE = "overlay.yaml"  # marks a local overlay, laid over the rule set before it
RULES_VARIABLE = "PADTOOL_RULES"


def bundled_rules_dir() -> Path:
    """The rule set shipped with padtool (inside the package once installed)."""
    packaged = Path(__file__).parent / "pathways"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "pathways"  # a source checkout


def rule_layers(directories: Sequence[Path]) -> list[Path]:
    """The folders to load, in order: a complete rule set, then the overlays laid over it.

    Without folders, the bundled set. When the first folder is an overlay, the bundled set goes
    under it: a county names its overlay alone.
    """
    if not directories:
        return [bundled_rules_dir()]
    if is_overlay(directories[0]):
        return [bundled_rules_dir(), *directories]
    return list(directories)


def rules_from_environment() -> list[Path]:
    """The folders PADTOOL_RULES lists, separated like PATH; empty parts are skipped."""
    listed = os.environ.get(RULES_VARIABLE, "")
    return [Path(part) for part in listed.split(os.pathsep) if part.strip()]


def is_overlay(directory: Path) -> bool:
    try:
        # Anything named overlay.yaml (a pipe, a broken link) marks an overlay the loader then
        # refuses by name, rather than a rule set missing every file.
        overlay, rule_set = directory / OVERLAY_FILE, directory / RULE_SET_FILE
        return os.path.lexists(overlay) and not os.path.lexists(rule_set)
    except OSError:
        return False  # the loader says what is wrong with the folder


def entry_files(directory: Path) -> list[Path]:
    """The entry files of a rule set, in the order entries are listed."""
    folder = directory / "entries"
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")], key=lambda p: p.name)


def scenario_files(layers: Sequence[Path]) -> list[Path]:
    """The scenario files of a rule set and its overlays: each layer's `scenarios/` folder,
    whose scenarios answer that rule set's questions."""
    return [
        path
        for folder in (Path(layer) / "scenarios" for layer in layers)
        for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")], key=lambda p: p.name)
    ]
