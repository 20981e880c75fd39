"""The action plan: its rule data, the plan built from a result, its formats and its command."""

from __future__ import annotations

import csv
import html
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from conftest import Run, print_to_pdf
from padtool.engine import Result, recommend, state
from padtool.errors import PadtoolError
from padtool.loader import load_rule_set
from padtool.model import RuleSet
from padtool.plan import Plan, build_plan
from padtool.render.data import to_json
from padtool.render.plan import plan_data, render_plan_csv, render_plan_markdown
from padtool.render.plan_html import render_plan_html
from padtool.rulefiles import bundled_rules_dir
from padtool.rules.plan import PLAN_KEYS
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


# Where each kind of mapping rules/plan.py reads is described, as a path into a schema.
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


# --- the formats -------------------------------------------------------------------------------

PLAN_OUTPUT_SCHEMA = (
    Path(__file__).parents[1] / "src" / "padtool" / "schemas" / ("action-plan.schema.json")
)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_json_matches_its_schema(rule_set: RuleSet, scenario: str) -> None:
    from jsonschema import Draft202012Validator

    data = json.loads(to_json(plan_data(_plan(rule_set, scenario), "2026-12-03")))
    schema = json.loads(PLAN_OUTPUT_SCHEMA.read_text("utf-8"))
    Draft202012Validator.check_schema(schema)
    assert [e.message for e in Draft202012Validator(schema).iter_errors(data)] == []
    tasks = [t for phase in data["phases"] for t in phase["tasks"]]
    assert all({"owner", "depends_on", "due", "done_when"} <= set(t) for t in tasks)


def test_the_csv_round_trips_through_the_csv_module(rule_set: RuleSet) -> None:
    plan = _plan(rule_set, "rural-overdoses")
    rows = list(csv.DictReader(io.StringIO(render_plan_csv(plan, "2026-12-03"))))
    assert [r["id"] for r in rows] == [t.id for t in plan.tasks]
    for row, task in zip(rows, plan.tasks, strict=True):
        assert row["task"] == task.title and row["owner"] == task.owner.name
        assert (row["start"], row["due"]) == (task.start.isoformat(), task.due.isoformat())
        assert row["depends_on"] == "; ".join(task.depends_on)
        assert row["done_when"] == task.done_when
    assert any("," in r["task"] for r in rows)  # quoted, not split


def test_markdown_names_every_task_owner_and_agreement(rule_set: RuleSet) -> None:
    plan = _plan(rule_set, "prosecutor-holds-charges", "lead", prosecutor="supportive")
    text = render_plan_markdown(plan, "2026-12-03")
    assert text.startswith("# Action plan: Officer Intervention, run as Law Enforcement")
    assert "## One-page brief" in text and "## Agreements to sign" in text
    assert "- [ ] Who has the final say on eligibility." in text
    assert "Owner: Prosecutor." in text
    assert text.count("\n## Sources") == 1


# --- the command -----------------------------------------------------------------------------


def test_plan_command_writes_once_and_replaces_only_with_force(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "plan.csv"
    args = ("plan", "--scenario", "rural-overdoses", "--start", "2027-01-04", "--output", str(out))
    done = run(*args)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))  # CSV, from the name
    assert rows[0]["start"] == "2027-01-04" and rows[-1]["due"] == "2028-01-03"
    out.write_text("the partners' edits\n", encoding="utf-8")
    again = run(*args)
    assert again.returncode == 2 and "--force" in again.stderr
    assert out.read_text("utf-8") == "the partners' edits\n"
    assert run(*args, "--force").returncode == 0
    assert out.read_text("utf-8").startswith("id,phase,task,owner")


def test_plan_command_refuses_a_bad_start_or_pathway_with_exit_2(run: Run) -> None:
    bad_date = run("plan", "--scenario", "rural-overdoses", "--start", "2027-02-30")
    assert bad_date.returncode == 2 and "YYYY-MM-DD" in bad_date.stderr
    assert "Traceback" not in bad_date.stderr
    unknown = run("plan", "--scenario", "rural-overdoses", "--pathway", "leed")
    assert unknown.returncode == 2 and "did you mean 'lead'?" in unknown.stderr
    assert run("plan").returncode == 2
    both = run("plan", "--scenario", "rural-overdoses", "--answers", "a.yaml")
    assert both.returncode == 2


def test_plan_command_prints_json_for_scripts(run: Run) -> None:
    done = run(
        "plan", "--scenario", "crisis-calls-city", "--start", "2027-03-01", "--format", "json"
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["schema_version"] == 1 and data["start"] == "2027-03-01"
    assert data["phases"][0]["tasks"][0]["start"] == "2027-03-01"


def test_plan_command_reads_a_session_file(run: Run, rule_set: RuleSet, tmp_path: Path) -> None:
    from padtool.sessions import save_session

    session = tmp_path / "s.yaml"
    answers = dict(find_scenario(rule_set, "prosecutor-holds-charges").answers)
    save_session(session, rule_set, answers, "2026-12-01T10:00:00", True)
    done = run("plan", "--session", str(session), "--format", "md")
    assert done.returncode == 0, done.stderr
    assert "Law Enforcement Assisted Diversion" in done.stdout.splitlines()[0]


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "![t](http://tracker.example/p.png)",
]


def _tags(text: str) -> list[tuple[str, dict[str, str]]]:
    from html.parser import HTMLParser

    found: list[tuple[str, dict[str, str]]] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, {k: v or "" for k, v in attrs}))

    Tags().feed(text)
    return found


def _assert_safe(text: str) -> None:
    tags = _tags(text)
    assert not [t for t, _ in tags if t in ("script", "img", "iframe", "object", "embed", "link")]
    for tag, attrs in tags:
        assert not [name for name in attrs if name.lower().startswith("on")], tag
        assert not attrs.get("href", "").lower().strip().startswith("javascript:"), tag
        assert not attrs.get("src"), tag
    assert "url(" not in text and "@import" not in text


@pytest.mark.parametrize("agency", HOSTILE)
def test_html_keeps_a_hostile_agency_name_as_text(rule_set: RuleSet, agency: str) -> None:
    plan = _plan(rule_set, "rural-overdoses", agency_name=agency)
    text = render_plan_html(plan, "2026-12-03")
    _assert_safe(text)
    assert (
        f"<title>Action plan: {html.escape(plan.title)} for {html.escape(agency)}</title>" in text
    )


def test_html_escapes_hostile_rule_set_text_in_the_timeline(rules_copy: Path) -> None:
    hostile = "<script>alert(1)</script> & <img src=x onerror=alert(1)>"
    _edit(
        rules_copy / "plan.yaml",
        "title: Name a program manager who owns this plan",
        f'title: "{hostile}"',
    )
    rule_set = load_rule_set(rules_copy)
    text = render_plan_html(_plan(rule_set, "rural-overdoses"), "2026-12-03")
    _assert_safe(text)
    svg = text[text.index("<svg") : text.index("</svg>")]
    assert html.escape(hostile) in svg


def test_html_has_one_timeline_with_a_bar_for_every_task(rule_set: RuleSet) -> None:
    plan = _plan(rule_set, "crisis-calls-city")
    text = render_plan_html(plan, "2026-12-03")
    assert text.count("<svg") == 1 and "<script" not in text
    svg = text[text.index("<svg") : text.index("</svg>")]
    assert svg.count('rx="2"') == len(plan.tasks)  # one bar a task
    for owner in {t.owner.name for t in plan.tasks}:
        assert f">{html.escape(owner)}</text>" in svg
    assert '<section class="front">' in text  # the brief prints by itself


def test_html_plan_prints_to_pdf_on_few_pages_in_chromium(
    rule_set: RuleSet, tmp_path: Path
) -> None:
    page = tmp_path / "plan.html"
    page.write_text(render_plan_html(_plan(rule_set, "rural-overdoses"), "2026-12-03"), "utf-8")
    assert print_to_pdf(page, tmp_path).startswith(b"%PDF")


def _team_folder(run: Run, tmp_path: Path, *scenarios: str) -> Path:
    folder = tmp_path / "teams"
    folder.mkdir()
    for scenario in scenarios:
        shown = run("scenarios", "show", scenario, "--answers-only")
        (folder / f"{scenario}.yaml").write_text(shown.stdout, encoding="utf-8")
    return folder


def test_plan_writes_a_plan_for_every_team_file(run: Run, tmp_path: Path) -> None:
    folder = _team_folder(run, tmp_path, "rural-overdoses", "crisis-calls-city")
    out = tmp_path / "plans"
    out.mkdir()
    done = run("plan", "--answers", str(folder), "--output-dir", str(out), "--format", "json")
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == ["crisis-calls-city-plan.json", "rural-overdoses-plan.json"]
    first = json.loads((out / names[1]).read_text("utf-8"))
    assert first["agency"] == "Cedar Fork County Sheriff's Office"
    (folder / "broken.yaml").write_text("challenges: [\n", encoding="utf-8")
    again = run("plan", "--answers", str(folder), "--output-dir", str(out), "--format", "json")
    assert again.returncode == 2  # nothing replaced without --force, the broken file named
    assert "skipped broken.yaml" in again.stderr and "already exists" in again.stderr
    assert "0 plans written, 3 answers files skipped" in again.stderr
    assert (
        run(
            "plan", "--answers", str(folder), "--output", "x.md", "--output-dir", str(out)
        ).returncode
        == 2
    )


def test_workshop_summary_lists_the_rooms_priorities(run: Run, tmp_path: Path) -> None:
    folder = _team_folder(
        run, tmp_path, "rural-overdoses", "partners-unknown", "prosecutor-holds-charges"
    )
    done = run("workshop", "summary", str(folder), "--format", "json")
    assert done.returncode == 0, done.stderr
    priorities = json.loads(done.stdout)["priorities"]
    assert priorities[0] == {
        "text": "Name a program manager who owns this plan",
        "kind": "task",
        "teams": 3,
    }
    assert all(2 * p["teams"] >= 3 for p in priorities)
    plain = run("workshop", "summary", str(folder), "--plain").stdout
    assert "Priorities to vote on" in plain
    assert "1. Name a program manager who owns this plan (first task, 3 of 3 teams)" in plain


# --- the interview's offer -------------------------------------------------------------------


def _offer(result: Result, typed: str, today: str = "2026-12-03") -> Path | None:
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from padtool.interview_flow import Finished

    finished = Finished(result, Path("session.yaml"), [])
    with create_pipe_input() as pipe:
        pipe.send_text(typed)
        return finished.offer_plan(today, input=pipe, output=DummyOutput())


def test_the_interview_offers_to_draft_the_plan(
    rule_set: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = _scenario_result(rule_set, "rural-overdoses")
    written = _offer(result, "y\r", today="2025-11-25")  # yes, and the name offered
    assert written == Path("padtool-plan-cedar-fork-county-sheriff-s-office.md")
    expected = render_plan_markdown(build_plan(result, date(2025, 11, 25)), "2025-11-25")
    assert (tmp_path / written).read_text("utf-8") == expected  # what `plan` writes


def test_the_plan_offer_can_be_declined_or_written_as_html(
    rule_set: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = _scenario_result(rule_set, "crisis-calls-city")
    assert _offer(result, "n") is None
    assert list(tmp_path.iterdir()) == []
    written = _offer(result, "y" + "\x15" + "plan.html\r")  # Ctrl-U clears the name
    assert written == Path("plan.html")
    assert (tmp_path / "plan.html").read_text("utf-8").startswith("<!DOCTYPE html>")


def test_the_brief_quotes_what_the_sources_say_a_pathway_saved(rule_set: RuleSet) -> None:
    lead = _plan(rule_set, "prosecutor-holds-charges", "lead")
    assert "University of Washington evaluation" in lead.brief.savings
    diversion = _plan(rule_set, "crisis-calls-city", "crisis-call-diversion")
    assert "7,400 calls diverted from law enforcement" in diversion.brief.savings
    assert _plan(rule_set, "rural-overdoses").brief.savings == ""  # none claimed unsourced
    text = render_plan_markdown(diversion, "2026-12-03")
    assert "**What it would save.** Houston's crisis call diversion reports" in text


def test_the_brief_reads_for_officials_not_as_a_note_to_the_agency(rule_set: RuleSet) -> None:
    text = render_plan_markdown(_plan(rule_set, "downtown-homelessness"), "2026-12-03")
    assert "**Why this pathway, from the agency's own answers.** You reported" in text
    assert "**With whom.** Behavioral-health clinicians; peer recovery coaches" in text
