"""The terminal views: what the interview prints at its end, read as a chief reads it."""

from __future__ import annotations

import io

from rich.console import Console

from padtool.engine import place, recommend
from padtool.model import RuleSet
from padtool.render.terminal import show_summary
from padtool.scenarios import find_scenario


def test_next_in_line_names_no_other_way_to_run_what_the_set_holds(rule_set: RuleSet) -> None:
    """Rural overdoses start with Naloxone Plus run as a QRT: Naloxone Plus itself and its
    other models (PORT, Safe Station) are ways to run it, not what to add next."""
    result = recommend(rule_set, dict(find_scenario(rule_set, "rural-overdoses").answers))
    held = {place(r.entry) for r in result.starting_set}
    assert "naloxone-plus" in held
    outside = [r.entry.id for r in result.recommendations if not r.recommended]
    assert "naloxone-plus" in outside[:3]  # ranked next, yet already in the set as a model
    assert result.next_in_line and all(place(r.entry) not in held for r in result.next_in_line)
    printed = io.StringIO()
    show_summary(Console(file=printed, width=200, color_system=None), result)
    line = next(x for x in printed.getvalue().splitlines() if x.startswith("Next in line:"))
    assert "Naloxone Plus" not in line and "Post-Overdose Response Team" not in line
    assert result.next_in_line[0].entry.name in line
