"""The advice a TA provider would sign, on the bundled scenarios (issue: steps that follow the
answers, Don't know as a question, honest readiness, models inside their pathway, one provider
to call first). Each scenario file states what must and must not start and the readiness; these
tests check the rest of what a reader of its report would notice."""

from __future__ import annotations

import json

import pytest

from conftest import Run, load_error
from padtool.engine import Result, recommend, state
from padtool.loader import load_rule_set
from padtool.model import RuleSet
from padtool.scenarios import find_scenario, load_scenarios

BUNDLED = [s.id for s in load_scenarios(load_rule_set())]


def result_for(rule_set: RuleSet, scenario_id: str) -> Result:
    return recommend(rule_set, dict(find_scenario(rule_set, scenario_id).answers))


@pytest.mark.parametrize("scenario_id", BUNDLED)
def test_no_step_asks_for_what_the_answers_say_exists(rule_set: RuleSet, scenario_id: str) -> None:
    result = result_for(rule_set, scenario_id)
    for rec in result.starting_set:
        for step in rec.entry.first_steps:
            resource = rule_set.resource(step.closes) if step.closes else None
            had = resource is not None and state(resource.have, result.answers) is True
            present = step.unless is not None and state(step.unless, result.answers) is True
            if had or present:
                assert step.text not in rec.steps, (rec.entry.id, step.text)
                if step.instead:
                    assert step.instead in rec.steps, (rec.entry.id, step.instead)


@pytest.mark.parametrize("scenario_id", BUNDLED)
def test_steps_that_close_a_gap_come_first(rule_set: RuleSet, scenario_id: str) -> None:
    result = result_for(rule_set, scenario_id)
    for rec in result.starting_set:
        open_ = {g.resource for g in rec.gaps if g.resource}
        closing = [
            s.text for s in rec.entry.first_steps if s.closes in open_ and s.text in rec.steps
        ]
        assert list(rec.steps[: len(closing)]) == closing, rec.entry.id


def test_an_agency_with_no_services_is_told_what_to_build_first(rule_set: RuleSet) -> None:
    result = result_for(rule_set, "no-services-town")
    assert result.starting_set == ()  # no filler first choice
    built = [step.resource.id for step in result.build_first]
    # Partners at the table, then somewhere to send people: the order of resources.yaml.
    assert built[:2] == ["planning-group", "treatment"], built
    assert all(step.providers for step in result.build_first)  # who can help build each
    assert all(step.kind == "missing" for step in result.build_first)


def test_dont_know_is_a_question_to_settle_not_a_gap(rule_set: RuleSet) -> None:
    result = result_for(rule_set, "partners-unknown")
    first = result.starting_set[0]
    assert first.readiness == "build-first"
    assert not first.missing  # nothing is asserted absent
    prosecutor = [q for q in result.open_questions if "prosecutor" in q.lower()]
    assert prosecutor and prosecutor[0].startswith("Ask your prosecutor")
    # Officer intervention is in the set: the prosecutor's unknown position does not keep it out.
    assert "officer-intervention" in {r.entry.id for r in result.starting_set}
    assert {step.kind for step in result.build_first} == {"unknown"}


def test_a_program_already_run_is_not_recommended_again(rule_set: RuleSet) -> None:
    result = result_for(rule_set, "second-pathway-after-co-responder")
    co_responder = next(r for r in result.recommendations if r.entry.id == "co-responder")
    assert co_responder.operating and not co_responder.recommended
    assert co_responder.why_not.startswith("You already run it")
    lead = next(r for r in result.starting_set if r.entry.id == "lead")
    assert lead.name == "Officer Intervention, run as Law Enforcement Assisted Diversion (LEAD)"
    assert lead.readiness == "ready" and lead.call_first is not None
    assert lead.call_first.id == "lead-support-bureau"  # specific to the model, before general


def test_no_citation_law_keeps_civil_citation_out_but_not_the_prosecutor_route(
    rule_set: RuleSet,
) -> None:
    result = result_for(rule_set, "no-citation-law-prosecutor-holds")
    citation = next(r for r in result.recommendations if r.entry.id == "civil-citation")
    assert citation.readiness == "not-yet"  # a change of law is never buildable
    assert not citation.recommended
    assert any(g.closed_by == "law" for g in citation.missing)
    assert result.starting_set[0].entry.pathway == "officer-intervention"


def test_the_report_says_what_it_knows_of_a_tribal_agency(rule_set: RuleSet) -> None:
    result = result_for(rule_set, "tribal-police")
    assert "Tribal police" in result.agency_type_note
    first = result.starting_set[0]
    assert first.call_first is not None and "tribal" in first.call_first.agency_types


def test_far_from_treatment_nothing_that_refers_people_is_launched(rule_set: RuleSet) -> None:
    result = result_for(rule_set, "rural-far-from-treatment")
    assert result.build_first[0].resource.id == "treatment"
    team = next(r for r in result.recommendations if r.entry.id == "quick-response-team")
    assert team.readiness == "not-yet" and team.why_not.startswith("Not yet:")


def test_the_json_contract(run: Run) -> None:
    done = run("recommend", "--scenario", "partners-unknown", "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["schema_version"] == 2
    assert [step["kind"] for step in data["build_first"]]
    for rec in data["recommendations"]:
        assert rec["readiness"] in ("ready", "build-first", "not-yet")
        assert {g["kind"] for g in rec["gaps"]} <= {"missing", "unknown"}
        assert {g["closed_by"] for g in rec["gaps"]} <= {"agency", "partner", "law"}
        assert rec["call_first"] is None or rec["call_first"]["url"]
    first = data["recommendations"][0]
    assert first["recommended"] and first["open_questions"]
    lead = next(r for r in data["recommendations"] if r["id"] == "lead")
    assert lead["runs_as"] == "lead" and lead["pathway"] == "officer-intervention"


def test_reasons_state_the_size_the_answer_gives(rule_set: RuleSet) -> None:
    result = result_for(rule_set, "crisis-calls-city")
    texts = [r.text for rec in result.starting_set for r in rec.reasons]
    volume = rule_set.question("crisis_call_volume")
    assert volume is not None
    said = volume.label(str(result.answers["crisis_call_volume"])).lower()
    assert any(f"crisis calls {said}" in t for t in texts), texts
    assert not any(
        "{" in t for rec in result.recommendations for t in (r.text for r in rec.reasons)
    )


def test_a_placeholder_naming_no_question_is_an_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    found = load_error(
        tmp_path,
        "entries/alpha.yaml",
        "reason: You reported weekly overdoses.",
        "reason: You reported {overdose_levle} overdoses.",
    )
    assert "'{overdose_levle}' names no question (did you mean 'overdose_level'?)" in found


def test_a_place_held_by_another_entry_says_which_and_why_that_one_waits(
    rule_set: RuleSet,
) -> None:
    held = {r.entry.id: r for r in result_for(rule_set, "crisis-calls-city").recommendations}
    assert held["first-responder-officer-referral"].why_not == (
        "In your starting set through its program model Crisis Intervention Team (CIT), "
        "which fits your answers as well."
    )
    waiting = {
        r.entry.id: r for r in result_for(rule_set, "rural-far-from-treatment").recommendations
    }
    # the model's own deciding reason follows, so the reader learns why neither starts
    assert waiting["naloxone-plus"].why_not.startswith(
        "Weighed through its program model Quick Response Team (QRT), which fits your answers "
        "better. Not yet: No treatment provider"
    )


def test_a_planned_pathway_ranks_first_and_its_steps_read_as_the_plan(rule_set: RuleSet) -> None:
    answers = dict(find_scenario(rule_set, "second-pathway-after-co-responder").answers)
    before = recommend(rule_set, answers)
    community = next(r for r in before.recommendations if r.entry.id == "community-response")
    assert not community.recommended and not community.planning
    assert not any(s.startswith("You are already planning") for s in community.steps)

    answers["programs_planning"] = ["community-response"]
    after = recommend(rule_set, answers)
    first = after.starting_set[0]
    # Work under way comes first, and its steps are the checklist for the plan.
    assert (first.entry.id, first.first_choice, first.planning) == (
        "community-response",
        True,
        True,
    )
    assert first.steps[0].startswith("You are already planning this")
    # The program already run stays out, and the rest of the set advises what could come next.
    co_responder = next(r for r in after.recommendations if r.entry.id == "co-responder")
    assert co_responder.why_not.startswith("You already run it")
    assert [r.entry.id for r in after.starting_set[1:]] == [
        "active-outreach",
        "crisis-intervention-team",
    ]


def test_planning_a_model_marks_its_whole_place_as_planned(rule_set: RuleSet) -> None:
    answers = dict(find_scenario(rule_set, "second-pathway-after-co-responder").answers)
    answers["programs_planning"] = ["civil-citation"]  # another way to run Officer Intervention
    result = recommend(rule_set, answers)
    first = result.starting_set[0]
    assert first.entry.pathway == "officer-intervention" and first.planning
    assert first.steps[0].startswith("You are already planning this or a program like it")


def test_every_entry_can_be_said_to_be_run_or_planned(rule_set: RuleSet) -> None:
    for qid in (rule_set.operating_question, rule_set.planning_question):
        question = rule_set.question(qid)
        assert question is not None
        assert {e.id for e in rule_set.entries} <= {o.value for o in question.options}, qid
