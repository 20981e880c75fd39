"""`padtool compare A B`: which answers differ between two answer sets, and how the ranking moved.

The lever used throughout is the prosecutor. The domain brief's LEAD rule asks for a prosecutor
willing to hold charges (§2), and prosecutors sit on LEAD's Policy Coordinating Group (§3). So in
the same city, "agreement" against "opposed" should take LEAD out of the starting set.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import Run, write
from padtool.compare import DOES_NOT_APPLY, Comparison, EntryMove, compare
from padtool.conditions import AnswerValue
from padtool.engine import recommend
from padtool.model import RuleSet
from padtool.scenarios import find_scenario

Answers = dict[str, AnswerValue]
HOLDS = "scenario:prosecutor-holds-charges"
DOWNTOWN = "scenario:downtown-homelessness"


@pytest.fixture
def city(rule_set: RuleSet) -> Answers:
    return dict(find_scenario(rule_set, "prosecutor-holds-charges").answers)


def move(comparison: Comparison, entry_id: str) -> EntryMove:
    return next(m for m in comparison.entries if m.entry.id == entry_id)


# --- Pure ----------------------------------------------------------------------------------


def test_unwilling_prosecutor_takes_lead_out_of_the_starting_set(
    rule_set: RuleSet, city: Answers
) -> None:
    assert city["prosecutor"] == "agreement"
    comparison = compare(rule_set, city, {**city, "prosecutor": "opposed"})

    assert [(d.question.id, d.a_words, d.b_words) for d in comparison.answers] == [
        ("prosecutor", "We have an agreement in place", "Opposed")
    ]
    lead = move(comparison, "lead")
    assert lead.a.first_choice and lead.a.recommended
    assert not lead.b.recommended
    assert lead.set_change == "left"
    assert lead.b.score < lead.a.score
    assert lead.rank_change < 0 and lead.movement == f"down {-lead.rank_change}"
    assert comparison.first_choice_changed
    assert comparison.first_choice_a is not None and comparison.first_choice_a.entry.id == "lead"
    # Without the prosecutor nothing else is ready, so B may have no first choice at all.
    assert comparison.first_choice_b is None or comparison.first_choice_b.entry.id != "lead"
    # Lined up in B's order, every entry once, each matching its own run of the engine.
    assert [m.b.rank for m in comparison.entries] == list(range(1, len(rule_set.entries) + 1))
    alone = {r.entry.id: r for r in recommend(rule_set, city).recommendations}
    assert all(m.a == alone[m.entry.id] for m in comparison.entries)


def test_same_answers_in_another_order_change_nothing(rule_set: RuleSet, city: Answers) -> None:
    shuffled = {**city, "challenges": list(reversed(city["challenges"]))}  # type: ignore[arg-type]
    comparison = compare(rule_set, city, shuffled, labels=("before", "after"))
    assert comparison.answers == ()
    assert {m.movement for m in comparison.entries} == {"same rank"}
    assert {m.set_change for m in comparison.entries} <= {"stayed", "out"}
    assert not comparison.first_choice_changed
    assert (comparison.label_a, comparison.label_b) == ("before", "after")


def test_a_question_that_stops_applying_says_so(rule_set: RuleSet) -> None:
    rural = dict(find_scenario(rule_set, "rural-overdoses").answers)
    no_overdoses = {**rural, "challenges": ["substance_use"]}
    del no_overdoses["overdose_frequency"]
    comparison = compare(rule_set, rural, no_overdoses)
    differences = {d.question.id: (d.a_words, d.b_words) for d in comparison.answers}
    assert differences["overdose_frequency"] == ("5 to 19 a month", DOES_NOT_APPLY)
    # The overdose pathway was in the set as its quick response team.
    team = move(comparison, "quick-response-team")
    assert team.set_change == "left" and team.movement.startswith("down ")


def test_movement_words(rule_set: RuleSet, city: Answers) -> None:
    result = recommend(rule_set, city)
    first, third = result.recommendations[0], result.recommendations[2]
    assert EntryMove(first.entry, third, first).movement == "up 2"
    assert EntryMove(first.entry, first, third).movement == "down 2"
    assert EntryMove(first.entry, first, first).movement == "same rank"


# --- Through the command line --------------------------------------------------------------


def test_compare_two_scenarios_json(run: Run, rule_set: RuleSet) -> None:
    result = run("compare", HOLDS, DOWNTOWN, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["a"]["label"] == HOLDS and data["b"]["label"] == DOWNTOWN
    assert data["a"]["agency"] == "Lakeport Police Department"
    assert data["a"]["first_choice"] == "lead"
    assert data["b"]["first_choice"] == "active-outreach"
    assert data["first_choice_changed"] is True

    # Only the questions answered differently, in questionnaire order, in words.
    differing = {d["question"]: d for d in data["answers"]}
    assert differing["prosecutor"]["a"] == "We have an agreement in place"
    assert differing["prosecutor"]["b"] == "Supportive, but no agreement yet"
    assert differing["prosecutor"]["b_value"] == "supportive"
    assert "challenges" in differing and "agency_name" in differing
    for same in ("agency_type", "setting", "citation_allowed", "walk_in_station", "civil_citation"):
        assert same not in differing
    order = [q.id for q in rule_set.questions]
    assert [d["question"] for d in data["answers"]] == [q for q in order if q in differing]

    # Which entries moved: downtown reports no drug or prostitution offenses, so LEAD leaves
    # the set, and Officer Intervention (no longer behind LEAD) enters it.
    entries = {e["id"]: e for e in data["entries"]}
    assert len(entries) == len(rule_set.entries)
    assert entries["lead"]["starting_set"] == "left"
    assert entries["lead"]["a"]["first_choice"] and not entries["lead"]["b"]["recommended"]
    assert entries["officer-intervention"]["starting_set"] == "entered"
    for entry in entries.values():
        assert entry["rank_change"] == entry["a"]["rank"] - entry["b"]["rank"]
    assert data["b"]["starting_set"] == [e["id"] for e in data["entries"] if e["b"]["recommended"]]


def test_compare_table_names_first_choices_and_moves_in_words(run: Run) -> None:
    result = run("compare", HOLDS, DOWNTOWN)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "\x1b[" not in out
    assert (
        "First choice changes: A Law Enforcement Assisted Diversion (LEAD); B Active Outreach."
        in out
    )
    assert "Answers that differ" in out and "How the ranking moved" in out
    for words in ("left set", "new in set", "first choice in A", "same rank"):
        assert words in out, words
    assert re.search(r"\bup [1-9]", out) and re.search(r"\bdown [1-9]", out)


def test_compare_answers_file_with_scenario(run: Run, rule_set: RuleSet, tmp_path: Path) -> None:
    city = dict(find_scenario(rule_set, "prosecutor-holds-charges").answers)
    refused = write(tmp_path / "refused.json", json.dumps({**city, "prosecutor": "opposed"}))
    same = write(tmp_path / "same.json", json.dumps(city))

    moved = json.loads(run("compare", HOLDS, str(refused), "--format", "json").stdout)
    assert [d["question"] for d in moved["answers"]] == ["prosecutor"]
    assert next(e for e in moved["entries"] if e["id"] == "lead")["starting_set"] == "left"

    unchanged = run("compare", str(same), HOLDS)
    assert unchanged.returncode == 0, unchanged.stderr
    assert "The two answer sets are the same." in unchanged.stdout
    assert "First choice in both: Law Enforcement Assisted Diversion (LEAD)." in unchanged.stdout


def test_compare_bad_inputs_exit_2(run: Run, tmp_path: Path) -> None:
    unknown = run("compare", "scenario:prosecutor-hold-charges", DOWNTOWN)
    assert unknown.returncode == 2
    assert "did you mean 'prosecutor-holds-charges'?" in unknown.stderr
    missing = run("compare", HOLDS, str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2
    assert f"error: {tmp_path / 'nope.yaml'}: answers file not found" in missing.stderr
    assert run("compare", HOLDS).returncode == 2  # B missing: usage
