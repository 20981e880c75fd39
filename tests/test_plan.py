"""The action plan: its rule data, the plan built from a result, its formats and its command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from padtool.errors import PadtoolError
from padtool.loader import load_rule_set
from padtool.model import RuleSet
from padtool.plan_rules import PLAN_KEYS
from padtool.rulefiles import bundled_rules_dir


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(rules: Path) -> list[str]:
    with pytest.raises(PadtoolError) as caught:
        load_rule_set(rules)
    return [str(p) for p in caught.value.problems]


def _line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text("utf-8").splitlines(), 1) if text in line)


def test_the_bundled_rule_set_has_plan_data(rule_set: RuleSet) -> None:
    plan = rule_set.plan
    assert plan is not None
    assert [p.id for p in plan.phases] == ["prepare", "launch", "grow"]
    assert {"chief", "prosecutor", "treatment-provider", "ems", "dispatch"} <= {
        r.id for r in plan.roles
    }
    assert "lead" in plan.entry_tasks


def test_a_cycle_of_tasks_is_an_error_with_file_and_line(rules_copy: Path) -> None:
    plan = rules_copy / "plan.yaml"
    _edit(plan, "    depends_on: [name-program-manager]\n", "    depends_on: [map-services]\n")
    problems = _problems(rules_copy)
    cycles = [p for p in problems if "part of a cycle" in p]
    assert len(cycles) == 1, problems
    line = _line_of(plan, "- id: convene-planning-group")
    assert cycles[0] == (
        f"{plan}:{line}: depends_on: task 'convene-planning-group' is part of a cycle: "
        "convene-planning-group -> map-services -> convene-planning-group"
    )


def test_a_cycle_within_an_entry_is_an_error_in_its_file(rules_copy: Path) -> None:
    entry = rules_copy / "entries" / "lead.yaml"
    _edit(entry, "depends_on: [convene-planning-group]", "depends_on: [lead-referral-routes]")
    cycles = [p for p in _problems(rules_copy) if "part of a cycle" in p]
    assert len(cycles) == 1 and cycles[0].startswith(f"{entry}:"), cycles


def test_an_unknown_dependency_is_named_with_a_suggestion(rules_copy: Path) -> None:
    plan = rules_copy / "plan.yaml"
    _edit(plan, "depends_on: [name-data-lead]", "depends_on: [name-data-led]")
    problems = _problems(rules_copy)
    line = _line_of(plan, "- id: pull-baseline")
    assert problems == [
        f"{plan}:{line}: depends_on: task 'pull-baseline' depends on unknown task "
        "'name-data-led' (did you mean 'name-data-lead'?)"
    ]


def test_a_task_cannot_depend_on_a_later_phase(rules_copy: Path) -> None:
    plan = rules_copy / "plan.yaml"
    _edit(plan, "depends_on: [name-data-lead]", "depends_on: [write-policy]")
    (problem,) = _problems(rules_copy)
    assert "is in phase 'prepare' but depends on 'write-policy'" in problem


def test_an_unknown_owner_or_resource_is_an_error(rules_copy: Path) -> None:
    plan = rules_copy / "plan.yaml"
    _edit(plan, "owner: prosecutor\n", "owner: prosecuter\n")
    _edit(plan, "closes: peers", "closes: peer")
    problems = _problems(rules_copy)
    assert any("owner: no role 'prosecuter' (did you mean 'prosecutor'?)" in p for p in problems)
    assert any("closes: no resource 'peer'" in p for p in problems)


def test_an_overlay_cannot_bring_its_own_plan_file(tmp_path: Path) -> None:
    overlay = tmp_path / "county"
    overlay.mkdir()
    (overlay / "overlay.yaml").write_text("name: County\n", encoding="utf-8")
    (overlay / "plan.yaml").write_text("tasks: []\n", encoding="utf-8")
    problems = _problems_of(bundled_rules_dir(), overlay)
    assert problems == [
        f"{overlay / 'plan.yaml'}: an overlay has no plan.yaml: give your tasks "
        "in an entry's 'plan'"
    ]


def _problems_of(*layers: Path) -> list[str]:
    with pytest.raises(PadtoolError) as caught:
        load_rule_set(*layers)
    return [str(p) for p in caught.value.problems]


# Where each kind of mapping plan_rules reads is described, as a path into a schema.
PLAN_SCHEMA_OBJECTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "plan": ("plan", ()),
    "role": ("plan", ("properties", "roles", "items")),
    "phase": ("plan", ("properties", "phases", "items")),
    "task": ("plan", ("properties", "tasks", "items")),
    "agreement": ("plan", ("properties", "agreements", "items")),
    "data_plan": ("plan", ("properties", "data_plan")),
    "recorder": ("plan", ("properties", "data_plan", "properties", "recorders", "items")),
    "cost_driver": ("plan", ("properties", "cost_drivers", "items")),
    "entry_plan": ("entry", ("properties", "plan")),
}


@pytest.mark.parametrize("kind", sorted(PLAN_KEYS))
def test_plan_schema_and_reader_allow_and_require_the_same_keys(kind: str) -> None:
    schema_name, path = PLAN_SCHEMA_OBJECTS[kind]
    found = json.loads((bundled_rules_dir() / "schemas" / f"{schema_name}.schema.json").read_text())
    for step in path:
        found = found[step]
    required, optional = PLAN_KEYS[kind]
    assert set(found["properties"]) == required | optional
    assert set(found.get("required", [])) == required
    assert found["additionalProperties"] is False
    entry_task = json.loads((bundled_rules_dir() / "schemas" / "entry.schema.json").read_text())
    assert (
        entry_task["properties"]["plan"]["properties"]["tasks"]["items"]
        == json.loads((bundled_rules_dir() / "schemas" / "plan.schema.json").read_text())[
            "properties"
        ]["tasks"]["items"]
    )
