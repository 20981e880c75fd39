"""The action plan: its rule data, the plan built from a result, its formats and its command."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from padtool.engine import Result, recommend, state
from padtool.errors import PadtoolError
from padtool.loader import load_rule_set
from padtool.model import RuleSet
from padtool.plan import Plan, build_plan
from padtool.plan_rules import PLAN_KEYS
from padtool.rulefiles import bundled_rules_dir
from padtool.scenarios import find_scenario


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
    line = _line_of(plan, "- id: pull-baseline-from-records")
    assert problems == [
        f"{plan}:{line}: depends_on: task 'pull-baseline-from-records' depends on unknown task "
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


# --- the plan built from a result ------------------------------------------------------------

START = date(2027, 1, 4)


def _scenario_result(rule_set: RuleSet, scenario: str, **changes: object) -> Result:
    answers = {**find_scenario(rule_set, scenario).answers, **changes}
    return recommend(rule_set, answers)


def _plan(rule_set: RuleSet, scenario: str, pathway: str | None = None, **changes: object) -> Plan:
    return build_plan(_scenario_result(rule_set, scenario, **changes), START, pathway)


SCENARIOS = sorted(p.stem for p in (bundled_rules_dir() / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_scenario_gets_a_plan_in_an_order_of_work(rule_set: RuleSet, scenario: str) -> None:
    plan = _plan(rule_set, scenario)
    tasks = plan.tasks
    assert tasks, scenario
    due = {}
    for task in tasks:
        for wanted in task.depends_on:
            assert wanted in due, f"{task.id} comes before {wanted}"
            assert due[wanted] < task.start, f"{task.id} starts before {wanted} is due"
        assert task.start <= task.due
        due[task.id] = task.due
    for phase in plan.phases:
        assert all(phase.start <= t.start and t.due <= phase.end for t in phase.tasks)
    assert len({t.id for t in tasks}) == len(tasks)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_no_task_asks_for_what_the_answers_say_exists(rule_set: RuleSet, scenario: str) -> None:
    plan = _plan(rule_set, scenario)
    answers = plan.result.answers
    for task in plan.tasks:
        resource = rule_set.resource(task.closes) if task.closes else None
        if resource is not None:
            assert state(resource.have, answers) is not True, (scenario, task.id)


def test_an_agency_with_a_prosecutor_agreement_is_not_told_to_get_one(rule_set: RuleSet) -> None:
    has = _plan(rule_set, "prosecutor-holds-charges", "lead")
    lacks = _plan(rule_set, "prosecutor-holds-charges", "lead", prosecutor="supportive")
    assert "prosecutor-agreement" not in {t.id for t in has.tasks}
    assert "prosecutor-agreement" in {t.id for t in lacks.tasks}
    policy = {a.agreement.id: a.in_place for a in has.agreements}
    assert policy["prosecutor-policy"] is True
    assert {a.agreement.id: a.in_place for a in lacks.agreements}["prosecutor-policy"] is False
    # what must be built opens the plan
    assert lacks.tasks[0].id == "prosecutor-agreement"
    risk = next(r for r in lacks.risks if "prosecutor" in r.text.lower())
    assert risk.mitigation == "Ask the prosecutor for a written hold-or-decline policy"
    assert risk.provider is not None


def test_find_out_items_open_the_plan_when_answers_are_unknown(rule_set: RuleSet) -> None:
    plan = _plan(rule_set, "partners-unknown")
    assert plan.readiness != "ready"
    first = plan.phases[0].tasks
    assert [t.kind for t in first[:2]] == ["find-out", "find-out"]
    assert first[0].title == plan.recommendation.open_questions[0].text  # type: ignore[union-attr]


def test_nothing_ready_makes_the_build_first_sequence_the_plan(rule_set: RuleSet) -> None:
    result = _scenario_result(rule_set, "no-services-town")
    assert not result.starting_set
    plan = build_plan(result, START)
    assert plan.recommendation is None and plan.readiness == "nothing-yet"
    closes = [t.closes for t in plan.tasks if t.closes]
    assert closes == [s.resource.id for s in result.build_first]
    assert all(t.kind in ("build", "find-out") or t.closes == "" for t in plan.tasks)
    assert plan.title == "What to build first"


def test_dates_follow_the_start(rule_set: RuleSet) -> None:
    result = _scenario_result(rule_set, "rural-overdoses")
    early, late = build_plan(result, START), build_plan(result, START + timedelta(days=45))
    assert early.phases[-1].end == START + timedelta(days=364)
    for a, b in zip(early.tasks, late.tasks, strict=True):
        assert (b.start - a.start, b.due - a.due) == (timedelta(days=45), timedelta(days=45))


def test_the_plan_differs_where_answers_differ(rule_set: RuleSet) -> None:
    with_data = _plan(rule_set, "prosecutor-holds-charges", data_capacity="analyst")
    without = _plan(rule_set, "prosecutor-holds-charges", data_capacity="basic")
    assert "name-data-lead" in {t.id for t in without.tasks}
    assert "name-data-lead" not in {t.id for t in with_data.tasks}
    assert {m.recorded_by.id for m in with_data.data_plan} == {"analyst"}
    assert {m.recorded_by.id for m in without.data_plan} == {"program-manager"}
    assert "pull-baseline-from-records" in {t.id for t in without.tasks}
    assert "pull-baseline" in {t.id for t in with_data.tasks}


def test_a_pathway_asked_for_gets_its_own_tasks(rule_set: RuleSet) -> None:
    plan = _plan(rule_set, "rural-overdoses", "civil-citation")
    assert plan.recommendation is not None and plan.recommendation.entry.id == "civil-citation"
    assert "citation-terms" in {t.id for t in plan.tasks}
    assert all("race and ethnicity" in m.breakdowns for m in plan.data_plan)
