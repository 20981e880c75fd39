"""`padtool whatif`: the smallest answer changes that move an entry into or out of the set.

The lever is the prosecutor again (see test_compare.py): LEAD needs a prosecutor who is not
opposed, and its prerequisite (buildable) is an agreement to hold or decline charges. So in
the city whose prosecutor refuses, the agreement is the resource that brings LEAD back.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Run, write
from padtool.conditions import AnswerValue
from padtool.engine import recommend
from padtool.model import RuleSet
from padtool.scenarios import find_scenario, load_scenarios
from padtool.whatif import OUTSIDE, Target, WhatIf, candidate_changes, what_if

Answers = dict[str, AnswerValue]
PROSECUTOR_PROMPT = "Where does your prosecutor stand"


@pytest.fixture
def city(rule_set: RuleSet) -> Answers:
    return dict(find_scenario(rule_set, "prosecutor-holds-charges").answers)


def target(found: WhatIf, entry_id: str) -> Target:
    return next(t for t in found.targets if t.now.entry.id == entry_id)


def test_prosecutor_agreement_brings_lead_into_the_set(rule_set: RuleSet, city: Answers) -> None:
    refused = {**city, "prosecutor": "opposed"}
    before = recommend(rule_set, refused)
    assert "lead" not in {r.entry.id for r in before.starting_set}
    after = recommend(rule_set, {**refused, "prosecutor": "agreement"})
    assert after.starting_set[0].entry.id == "lead"  # the agreement alone brings LEAD back first
    found = what_if(rule_set, refused)
    # Every lever of every entry that could come in really does what it says.
    for each in (t for t in found.targets if t.moves == "in"):
        for lever in each.levers:
            changed: Answers = dict(refused)
            for change in lever.changes:
                changed = change.apply(changed)
            now = next(
                r
                for r in recommend(rule_set, changed).recommendations
                if r.entry.id == each.now.entry.id
            )
            assert now.recommended and (now.rank, now.score) == (lever.rank, lever.score)


def test_a_change_drops_lead_out_of_the_set(rule_set: RuleSet, city: Answers) -> None:
    found = what_if(rule_set, city)
    lead = target(found, "lead")
    assert lead.now.recommended and lead.now.first_choice and lead.moves == "out"
    assert 1 <= len(lead.levers) <= 3
    for lever in lead.levers:
        assert 1 <= len(lever.changes) <= 2
        assert not lever.buildable  # taking a resource away builds nothing
        changed = lever.changes[0].apply(city)
        after = next(
            r for r in recommend(rule_set, changed).recommendations if r.entry.id == "lead"
        )
        assert not after.recommended and after.rank == lever.rank
    assert "prosecutor" in {lever.changes[0].question.id for lever in lead.levers}


def test_targets_are_the_starting_set_then_the_next_three(rule_set: RuleSet, city: Answers) -> None:
    found = what_if(rule_set, city)
    result = recommend(rule_set, city)
    outside = [r.entry.id for r in result.recommendations if not r.recommended][:OUTSIDE]
    expected = [r.entry.id for r in result.starting_set] + outside
    assert [t.now.entry.id for t in found.targets] == expected
    for each in found.targets:  # resources first, then by new rank
        keys = [(not x.buildable, x.rank if each.moves == "in" else -x.rank) for x in each.levers]
        assert keys == sorted(keys)


def test_candidates_come_from_the_rule_set(rule_set: RuleSet, city: Answers) -> None:
    changes = candidate_changes(rule_set, city)
    kinds = {(c.question.id, c.kind, c.value) for c in changes}
    prosecutor = rule_set.question("prosecutor")
    assert prosecutor is not None
    others = {o.value for o in prosecutor.options} - {"agreement"}
    assert {v for q, _, v in kinds if q == "prosecutor"} == others
    assert ("resources", "remove", "case_management") in kinds
    assert ("resources", "add", "housing") in kinds
    assert ("repeat_offenders", "set", False) in kinds
    questions = {c.question.id: c.question.type for c in changes}
    assert "text" not in questions.values() and "agency_name" not in questions


# --- Through the command line --------------------------------------------------------------


def test_whatif_json(run: Run, rule_set: RuleSet, city: Answers, tmp_path: Path) -> None:
    refused = write(tmp_path / "refused.json", json.dumps({**city, "prosecutor": "opposed"}))
    result = run("whatif", "--answers", str(refused), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema_version"] == 2
    assert data["agency"] == "Lakeport Police Department"
    assert "lead" not in data["starting_set"]
    for entry in data["entries"]:
        assert entry["moves"] in ("in", "out")
        for lever in entry["levers"]:
            assert lever["changes"] and all(c["words"] for c in [lever])

    table = run("whatif", "--scenario", "prosecutor-holds-charges")
    assert table.returncode == 0, table.stderr
    assert "\x1b[" not in table.stdout
    for words in ("would drop to rank", "would come in at rank", "Resources you could build"):
        assert words in table.stdout, words


def test_whatif_says_what_replaces_what(rule_set: RuleSet, city: Answers) -> None:
    found = what_if(rule_set, city)
    before = {r.entry.id for r in found.result.starting_set}
    for target in found.targets:
        for lever in target.levers:
            swapped = {e.id for e in lever.swapped}
            if target.moves == "in":
                assert swapped <= before  # what it replaces was in the set
            else:
                assert not swapped & before  # what takes its place was not
            assert target.now.entry.id not in swapped
    assert any(lever.swapped for target in found.targets for lever in target.levers)


def test_whatif_keeps_facts_apart_from_resources_and_never_reads_as_advice(run: Run) -> None:
    shown = run("whatif", "--scenario", "crisis-calls-city", env={"COLUMNS": "80"}).stdout
    text = " ".join(shown.replace("│", " ").split())
    assert "If your jurisdiction were different (facts, not choices)" in text
    assert "your answers to them should stay as they are" in text
    # a challenge taken away is said as a fact that is otherwise, never as a step to take
    assert (
        "If the answer to “Which of these do your officers deal with often?” did not include "
        "Mental-health or substance-use crisis calls" in text
    )
    assert "remove Mental-health" not in text
    assert "would take its place." in text or "in place of" in text
    assert "…" not in shown


def test_whatif_bad_inputs_exit_2(run: Run, tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.yaml", "prosecutor: maybe\n")
    failed = run("whatif", "--answers", str(bad))
    assert failed.returncode == 2
    assert str(bad) in failed.stderr and "prosecutor" in failed.stderr
    missing = run("whatif", "--answers", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2 and "answers file not found" in missing.stderr
    assert run("whatif").returncode == 2  # neither source: usage
    both = run("whatif", "--answers", str(bad), "--scenario", "prosecutor-holds-charges")
    assert both.returncode == 2


def test_pairs_only_when_no_single_change_flips(rule_set: RuleSet) -> None:
    from padtool.scenarios import load_scenarios

    pairs = 0
    for scenario in load_scenarios(rule_set):
        for each in what_if(rule_set, scenario.answers).targets:
            sizes = {len(lever.changes) for lever in each.levers}
            assert sizes in (set(), {1}, {2})
            if sizes == {2}:
                pairs += 1
                (lever,) = each.levers  # only the best pair is reported
                assert lever.words.startswith("two changes: ")
                changed: Answers = dict(scenario.answers)
                for change in lever.changes:
                    changed = change.apply(changed)
                after = recommend(rule_set, changed).recommendations
                moved = next(r for r in after if r.entry.id == each.now.entry.id)
                assert moved.recommended != each.now.recommended
    assert pairs  # the bundled scenarios exercise the pair search


def test_no_lever_is_whether_the_agency_already_runs_it(rule_set: RuleSet) -> None:
    """'If you already ran Active Outreach, it would leave your starting set' (or, for one it
    runs, 'if you did not, it would come in') is true of every pathway and says nothing."""
    checked = 0
    for scenario in load_scenarios(rule_set):
        found = what_if(rule_set, dict(scenario.answers))
        for each in found.targets:
            for lever in each.levers:
                answers = found.result.answers
                for change in lever.changes:
                    answers = change.apply(answers)
                after = next(
                    r
                    for r in recommend(rule_set, answers).recommendations
                    if r.entry.id == each.now.entry.id
                )
                assert after.operating == each.now.operating, (scenario.id, lever.words)
                checked += 1
    assert checked > 50


def test_an_entry_that_leaves_the_set_at_the_same_rank_is_not_said_to_drop(run: Run) -> None:
    # Palm Grove: without its first-time and juvenile offenses civil citation stays rank 1
    # but no longer belongs in the starting set.
    printed = run("whatif", "--scenario", "suburb-juvenile-citation").stdout
    shown = " ".join(printed.replace("│", " ").split())
    assert "then Civil citation would leave your starting set" in shown
    assert "Civil citation would drop to rank 1" not in shown
    # two options of one question, said in one clause rather than the question twice
    assert (
        "If the answer to “Which of these do your officers deal with often?” included neither "
        "First-time low-level misdemeanors nor Young people (under 18)"
    ) in shown
