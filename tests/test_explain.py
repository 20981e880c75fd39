"""`padtool explain ID`: one entry's gate, fit rules and prerequisites against the answers.

The city whose prosecutor refuses (the prosecutor-holds-charges scenario with one answer
changed) is the trainer's "why not LEAD?": the gate fails on the prosecutor, and the -4 rule
quotes the answer "Opposed".
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import Run
from padtool.conditions import AllOf, AnswerValue, AnyOf, Comparison, Not
from padtool.engine import recommend
from padtool.explain import HELD, NOT_HELD, OPEN, describe, explain
from padtool.model import RuleSet
from padtool.scenarios import find_scenario, load_scenarios

Answers = dict[str, AnswerValue]
PROSECUTOR = (
    "Where does your prosecutor stand on holding or declining charges for people who accept"
)
CHALLENGES = "Which of these do your officers deal with often?"


@pytest.fixture
def refused(rule_set: RuleSet) -> Answers:
    answers = dict(find_scenario(rule_set, "prosecutor-holds-charges").answers)
    return {**answers, "prosecutor": "opposed"}


def test_why_not_lead_when_the_prosecutor_refuses(rule_set: RuleSet, refused: Answers) -> None:
    lead = rule_set.find_entry("lead")
    assert lead is not None and lead.requires
    found = explain(rule_set, lead, refused)

    failed = [g for g in found.gates if g.check.state == NOT_HELD]
    # Each clause of the gate is named on its own: here only the prosecutor's.
    assert [g.reason for g in failed] == [lead.requires[1].reason]
    assert any(a.startswith(PROSECUTOR) for a in failed[0].check.answers)
    assert found.recommendation.why_not == lead.requires[1].reason

    against = next(r for r in found.rules if r.weight < 0)
    assert (against.check.state, against.weight, against.points) == (HELD, -4, -4)
    assert against.check.answers == (f"{PROSECUTOR} treatment or services?: Opposed",)
    assert against.check.wanted.endswith("?: is Opposed")

    agreement = next(p for p in found.prerequisites if p.penalty == 2)
    assert not agreement.met and agreement.buildable and agreement.points == -2

    rec = found.recommendation
    assert not rec.recommended and rec.why_not == " ".join(g.reason for g in failed)
    assert found.score == rec.score
    assert found.steps == f"+3 +2 +2 +1 -4 -2 = {rec.score}"


def test_answers_are_quoted_in_words(rule_set: RuleSet, refused: Answers) -> None:
    lead = rule_set.find_entry("lead")
    assert lead is not None
    first = explain(rule_set, lead, refused).rules[0]
    assert first.check.answers == (
        f"{CHALLENGES}: Low-level drug possession offenses, Prostitution-related offenses",
    )


def test_unanswered_questions_do_not_hold(rule_set: RuleSet) -> None:
    lead = rule_set.find_entry("lead")
    assert lead is not None
    found = explain(rule_set, lead, {"challenges": ["low_level_drug"]})
    states = {r.reason: r.check.state for r in found.rules}
    assert states[lead.fit[0].reason] == HELD
    assert states[lead.fit[2].reason] == NOT_HELD  # the prosecutor was not asked: no answer
    assert any("(no answer)" in a for r in found.rules for a in r.check.answers)
    assert found.score == found.recommendation.score


def test_dont_know_answers_are_open_not_false(rule_set: RuleSet) -> None:
    lead = rule_set.find_entry("lead")
    assert lead is not None
    answers = {"challenges": ["low_level_drug"], "prosecutor": "unknown"}
    found = explain(rule_set, lead, answers)
    agreement = next(r for r in found.rules if "agreement with the prosecutor" in r.reason)
    assert agreement.check.state == OPEN  # "Don't know" the prosecutor's position
    assert all(g.check.value is not False for g in found.gates)  # open, so LEAD stays eligible
    prosecutor = next(p for p in found.prerequisites if p.check.value is None)
    assert prosecutor.points == 0  # an open prerequisite costs nothing: it is a question
    assert found.score == found.recommendation.score


def test_conditions_in_words(rule_set: RuleSet) -> None:
    drugs = Comparison("challenges", "includes_any", ["low_level_drug", "prostitution"])
    assert describe(drugs, rule_set) == (
        f"{CHALLENGES}: includes any of: Low-level drug possession offenses, "
        "Prostitution-related offenses"
    )
    officers = Comparison("sworn_officers", "at_least", 10)
    assert describe(officers, rule_set).endswith(": at least 10")
    either = AnyOf((Not(officers), AllOf((drugs,))))
    words = describe(either, rule_set)
    assert words.startswith("any of (not (") and "; all of (" in words
    assert describe(Comparison("prosecutor", "in", ["supportive", "unknown"]), rule_set).endswith(
        ": is one of: Supportive, but no agreement yet, Don't know"
    )


def test_score_equals_the_engines_everywhere(rule_set: RuleSet) -> None:
    scenarios = load_scenarios(rule_set)
    assert scenarios
    for scenario in scenarios:
        result = recommend(rule_set, scenario.answers)
        for rec in result.recommendations:
            found = explain(rule_set, rec.entry, scenario.answers)
            assert found.score == rec.score, (scenario.id, rec.entry.id)
            assert found.steps.endswith(f"= {rec.score}")
            assert found.recommendation == rec


def test_cli_json(run: Run) -> None:
    done = run("explain", "lead", "--scenario", "prosecutor-holds-charges", "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["schema_version"] == 2
    assert (data["id"], data["rank"], data["recommended"], data["first_choice"]) == (
        "lead",
        1,
        True,
        True,
    )
    assert {r["state"] for r in data["requires"]} == {"held"}
    assert data["score"] == sum(r["points"] for r in data["fit"]) + sum(
        p["points"] for p in data["prerequisites"]
    )
    assert data["steps"] == f"+3 +2 +3 +2 +1 = {data['score']}"
    assert [r["state"] for r in data["fit"]][-1] != "held"


def test_cli_speaks_in_sentences(run: Run) -> None:
    done = run("explain", "co-responder", "--scenario", "rural-overdoses")
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())
    assert "Why Co-responder team scored what it did for Cedar Fork County Sheriff's Office" in text
    assert re.search(
        r"It ranks \d+ of \d+, not in your starting set\. Why not: You did not report", text
    )
    assert "What would count for it, but your answers do not show it" in text
    assert "(not answered: How often do your officers handle" in text  # not asked: not shown
    assert "Score: 0 of 10 possible" in text  # never a negative number
    assert "-2 No clinician who could ride along" in text and "You could build this." in text
    assert (
        "Score: 0 of 10 possible (0 from the answers, less 2 for what is missing: -2, shown as 0)."
        in text
    )
    for trace_words in ("Requires:", "Wanted:", "held", "wanted:"):
        assert trace_words not in text, trace_words


def test_a_gap_that_costs_nothing_shows_no_minus_sign(run: Run) -> None:
    done = run("explain", "lead", "--scenario", "rural-overdoses")
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())
    assert "What is missing (and what it takes off the score)" in text
    assert " 0 No public defender, community organization" in text  # penalty 0, not "-0"
    assert "-0" not in text


def test_cli_table(run: Run) -> None:
    done = run("explain", "lead", "--scenario", "prosecutor-holds-charges", "--trace")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for words in ("Fit rules", "Held", "Weight", "Your answers", "Prerequisites", "not held"):
        assert words in out
    assert "Requires: held." in out
    assert "Score: +3 +2 +3 +2 +1 = 11" in out
    assert "in the starting set, first choice" in out


def test_cli_table_says_why_not(run: Run, tmp_path: Path, refused: Answers) -> None:
    path = tmp_path / "refused.json"
    path.write_text(json.dumps(refused), encoding="utf-8")
    done = run("explain", "lead", "--answers", str(path), "--trace")
    assert done.returncode == 0, done.stderr
    assert "Requires: not held." in done.stdout
    assert "not in the starting set. Why not:" in done.stdout


def test_an_alias_works(run: Run) -> None:
    done = run(
        "explain",
        "law-enforcement-assisted-diversion",
        "--scenario",
        "prosecutor-holds-charges",
        "--format",
        "json",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["id"] == "lead"


def test_unknown_id_exits_2_with_did_you_mean(run: Run) -> None:
    done = run("explain", "laed", "--scenario", "prosecutor-holds-charges")
    assert done.returncode == 2
    assert "no pathway or program model 'laed'" in done.stderr
    assert "lead" in done.stderr.split("'laed'", 1)[1]


def test_needs_one_source(run: Run) -> None:
    assert run("explain", "lead").returncode == 2


def test_reasons_fill_in_the_answer_or_what_would_count(run: Run) -> None:
    answered = run("explain", "co-responder", "--scenario", "crisis-calls-city")
    assert answered.returncode == 0, answered.stderr
    text = " ".join(answered.stdout.split())
    assert "Your officers handle crisis calls several times a day, enough" in text
    unanswered = run("explain", "co-responder", "--scenario", "large-county-sheriff")
    text = " ".join(unanswered.stdout.split())
    assert "crisis calls several times a day or about once a day, enough" in text
    for out in (answered.stdout, unanswered.stdout):
        assert "{" not in out  # no placeholder reaches the reader


def test_what_would_count_does_not_list_every_other_answer(run: Run) -> None:
    # The sheriff chose three challenges, none of them crisis calls: quoting all three under
    # "many crisis calls" would say nothing the reason does not.
    done = run("explain", "co-responder", "--scenario", "large-county-sheriff")
    would = " ".join(done.stdout.split()).split("your answers do not show it")[1]
    line = would.split("+2")[0]
    assert line.strip() == "+3 You reported many mental-health or substance-use crisis calls."
    trace = run("explain", "co-responder", "--scenario", "large-county-sheriff", "--trace")
    assert "Wellness checks" in trace.stdout  # the trace still shows every answer compared
