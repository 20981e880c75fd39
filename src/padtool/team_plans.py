"""A plan for each team of a workshop: every answers file of a folder, one plan file each."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .answers import load_answers
from .engine import recommend
from .errors import PadtoolError, Problem, say
from .files import write_atomic
from .model import RuleSet
from .render.plan import plan_text
from .workshop import answer_files


def write_team_plans(
    rule_set: RuleSet,
    folder: Path,
    output_dir: Path,
    entry_id: str | None,
    start: date,
    fmt: str,
    force: bool,
    today: str,
) -> None:
    """Write the plan of every answers file in folder to output_dir as NAME-plan.FORMAT. A file
    that cannot be read, or a plan already there without force, is named and skipped, and then
    the error raised at the end says how many: the other teams' plans are written all the same."""
    files = answer_files(folder)
    if not output_dir.is_dir():
        raise PadtoolError([Problem(str(output_dir), "folder not found")])
    skipped = 0
    for path in files:
        target = output_dir / f"{path.stem}-plan.{fmt}"
        try:
            values, _ = load_answers(path, rule_set, pipes=False)
            text = plan_text(recommend(rule_set, values), entry_id, start, fmt, today)
            write_atomic(target, text, force)
        except PadtoolError as error:
            say(f"skipped {path.name}: {error.problems[0]}", err=True)
            skipped += 1
            continue
        say(f"Plan written to {target}", err=True)
    if skipped or not files:
        written = len(files) - skipped
        message = f"{written} plans written, {skipped} answers files skipped"
        raise PadtoolError([Problem(str(folder), message if files else "no answers files")])
