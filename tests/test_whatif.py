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
from padtool.scenarios import find_scenario
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
    found = what_if(rule_set, refused)

    lead = target(found, "lead")
    assert not lead.now.recommended and lead.moves == "in"
    assert lead.levers, "some change must bring LEAD back"
    best = lead.levers[0]
    assert [(c.question.id, c.value) for c in best.changes] == [("prosecutor", "agreement")]
    assert best.buildable  # LEAD's prosecutor prerequisite is buildable: true
    assert best.rank == 1
    assert best.words.startswith(PROSECUTOR_PROMPT)
    assert best.words.endswith(": We have an agreement in place (now: Opposed)")
    # Every lever really does what it says, checked against a fresh run of the engine.
    for lever in lead.levers:
        changed: Answers = dict(refused)
        for change in lever.changes:
            changed = change.apply(changed)
        after = next(
            r for r in recommend(rule_set, changed).recommendations if r.entry.id == "lead"
        )
        assert after.recommended and (after.rank, after.score) == (lever.rank, lever.score)


def test_a_change_drops_lead_out_of_the_set(rule_set: RuleSet, city: Answers) -> None:
    found = what_if(rule_set, city)
    lead = target(found, "lead")
    assert lead.now.recommended and lead.now.first_choice and lead.moves == "out"
    assert 1 <= len(lead.levers) <= 3
    for lever in lead.levers:
        assert len(lever.changes) == 1
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
    assert data["schema_version"] == 1
    assert data["agency"] == "Lakeport Police Department"
    assert "lead" not in data["starting_set"]
    lead = next(e for e in data["entries"] if e["id"] == "lead")
    assert lead["moves"] == "in" and lead["recommended"] is False
    best = lead["levers"][0]
    assert best["buildable"] is True and best["rank"] == 1
    assert best["changes"] == [
        {
            "question": "prosecutor",
            "prompt": best["changes"][0]["prompt"],
            "change": "set",
            "value": "agreement",
            "now": "opposed",
            "words": best["words"],
        }
    ]

    table = run("whatif", "--scenario", "prosecutor-holds-charges")
    assert table.returncode == 0, table.stderr
    assert "\x1b[" not in table.stdout
    for words in ("drops out", "moves in at rank", "a resource you could build"):
        assert words in table.stdout, words


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
