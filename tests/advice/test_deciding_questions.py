"""The questions that decide between pathways: treatment intake and travel, trust in the police,
the prosecutor's stance, fire and EMS, outreach workers, youth services, overdoses and population.

Each test runs the bundled rule set through the engine and checks that one answer moves the advice
the way the sources cited in the rule set say it should.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Run, load_error
from padtool.answers import load_answers
from padtool.conditions import AnswerValue
from padtool.engine import recommend
from padtool.model import RuleSet

from .jurisdictions import entry, jurisdiction

Answers = dict[str, AnswerValue]


def score(rule_set: RuleSet, answers: Answers, entry_id: str) -> int:
    return entry(recommend(rule_set, answers), entry_id).score


def gaps(rule_set: RuleSet, answers: Answers, entry_id: str) -> list[str]:
    return [g.text for g in entry(recommend(rule_set, answers), entry_id).gaps]


# --- Treatment intake and travel -------------------------------------------------------------

WALK_INS_NEAR_TREATMENT = jurisdiction(
    "Harbor City Police Department",
    challenges=["help_requests", "substance_use"],
    hot_spots=False,
    walk_in_station=True,
    resources=["peer_recovery_coaches"],
    treatment_intake="same_day",
    treatment_travel="under_30",
)


@pytest.mark.parametrize("entry_id", ["self-referral", "angel-program"])
def test_slow_intake_costs_the_pathways_that_promise_treatment_on_demand(
    rule_set: RuleSet, entry_id: str
) -> None:
    """Waiting lists lose people (Redko et al. 2006); self-referral rests on treatment on demand."""
    fast = WALK_INS_NEAR_TREATMENT
    scores = [
        score(rule_set, {**fast, "treatment_intake": pace}, entry_id)
        for pace in ("same_day", "within_48h", "within_week", "longer")
    ]
    assert scores[0] == scores[1] > scores[2] > scores[3], scores
    assert not any("48 hours" in g for g in gaps(rule_set, fast, entry_id))
    slow = {**fast, "treatment_intake": "within_week"}
    assert any("48 hours" in g for g in gaps(rule_set, slow, entry_id))


def test_no_treatment_within_reach_skips_the_travel_question(rule_set: RuleSet) -> None:
    answers = {**WALK_INS_NEAR_TREATMENT, "treatment_intake": "none"}
    assert recommend(rule_set, answers).ignored == ("treatment_travel",)


@pytest.mark.parametrize("entry_id", ["self-referral", "angel-program"])
def test_a_long_trip_to_treatment_lowers_walk_in_referral(rule_set: RuleSet, entry_id: str) -> None:
    """Distance to treatment lowers completion (Beardsley et al. 2003)."""
    near = score(rule_set, WALK_INS_NEAR_TREATMENT, entry_id)
    far = score(rule_set, {**WALK_INS_NEAR_TREATMENT, "treatment_travel": "over_60"}, entry_id)
    assert far < near


def test_fast_intake_closes_the_treatment_gap_of_officer_intervention(rule_set: RuleSet) -> None:
    theft = jurisdiction(
        "County Sheriff",
        challenges=["low_level_offenses", "substance_use"],
        hot_spots=False,
        prosecutor="agreement",
        treatment_intake="longer",
    )
    wanted = "No case manager or treatment provider to receive diverted people"
    assert any(g.startswith(wanted) for g in gaps(rule_set, theft, "officer-intervention"))
    quick = {**theft, "treatment_intake": "within_48h"}
    assert not any(g.startswith(wanted) for g in gaps(rule_set, quick, "officer-intervention"))


# --- Trust: residents who avoid calling the police -------------------------------------------

MIXED_CITY = jurisdiction(
    "Eastside Police Department",
    setting="urban",
    challenges=["bh_crisis_calls", "welfare_checks", "noncrisis_bh", "low_level_drug"],
    crisis_call_volume="daily",
    repeat_offenders=True,
    resources=["mobile_crisis", "case_management", "peer_recovery_coaches"],
    prosecutor="supportive",
    partners=["bh_agency", "fire_ems"],
    treatment_intake="within_48h",
    treatment_travel="under_30",
)

POLICE_FIRST = ["officer-intervention", "lead", "first-responder-officer-referral"]


def test_distrust_of_police_favours_responses_that_do_not_start_with_police(
    rule_set: RuleSet,
) -> None:
    """Police violence suppresses calls to 911 (Desmond et al. 2016); bystanders who fear the
    police do not call for overdoses (Latimore and Bergstein 2017)."""
    trusting = {**MIXED_CITY, "residents_avoid_police": "rarely"}
    wary = {**MIXED_CITY, "residents_avoid_police": "often"}
    for entry_id in POLICE_FIRST:
        assert score(rule_set, wary, entry_id) == score(rule_set, trusting, entry_id) - 1
    assert score(rule_set, wary, "community-response") == (
        score(rule_set, trusting, "community-response") + 1
    )
    before = entry(recommend(rule_set, trusting), "community-response").rank
    after = entry(recommend(rule_set, wary), "community-response").rank
    assert after <= before


def test_distrust_counts_only_when_the_answer_shows_it(rule_set: RuleSet) -> None:
    """ "Sometimes" and "Don't know" change nothing: the weighting is modest."""
    results = {
        answer: [
            score(rule_set, {**MIXED_CITY, "residents_avoid_police": answer}, e)
            for e in POLICE_FIRST
        ]
        for answer in ("rarely", "sometimes", "unknown")
    }
    assert results["rarely"] == results["sometimes"] == results["unknown"]


def test_distrust_favours_self_referral_through_fire_or_ems(rule_set: RuleSet) -> None:
    with_fire = {**WALK_INS_NEAR_TREATMENT, "partners": ["fire_ems"]}
    wary = {**with_fire, "residents_avoid_police": "often"}
    trusting = {**with_fire, "residents_avoid_police": "rarely"}
    assert score(rule_set, wary, "self-referral") > score(rule_set, trusting, "self-referral")
    # The Angel program asks people to walk into a police station.
    assert score(rule_set, wary, "angel-program") < score(rule_set, trusting, "angel-program")


# --- Overdoses, population, fire and EMS ----------------------------------------------------

OVERDOSE_TOWN = jurisdiction(
    "Ridge Township Police",
    challenges=["overdoses"],
    overdose_frequency="5_to_19",
    hot_spots=False,
    resources=["ems_overdose_data", "moud", "peer_recovery_coaches"],
    treatment_intake="within_48h",
    treatment_travel="30_to_60",
)


@pytest.mark.parametrize("entry_id", ["naloxone-plus", "quick-response-team"])
def test_overdose_counts_order_the_follow_up_pathways(rule_set: RuleSet, entry_id: str) -> None:
    scores = [
        score(rule_set, {**OVERDOSE_TOWN, "overdose_frequency": count}, entry_id)
        for count in ("20_or_more", "5_to_19", "1_to_4", "under_1")
    ]
    assert scores[0] == scores[1] > scores[2] > scores[3], scores


@pytest.mark.parametrize("entry_id", ["naloxone-plus", "quick-response-team"])
def test_a_few_overdoses_a_month_count_for_more_in_a_small_place(
    rule_set: RuleSet, entry_id: str
) -> None:
    few = {**OVERDOSE_TOWN, "overdose_frequency": "1_to_4"}
    small = score(rule_set, {**few, "population": 12000}, entry_id)
    large = score(rule_set, {**few, "population": 400000}, entry_id)
    unknown = score(rule_set, few, entry_id)  # population is optional
    assert small == large + 1 and large == unknown


@pytest.mark.parametrize("entry_id", ["naloxone-plus", "quick-response-team"])
def test_fire_and_ems_as_partners_help_the_follow_up_pathways(
    rule_set: RuleSet, entry_id: str
) -> None:
    with_fire = {**OVERDOSE_TOWN, "partners": ["fire_ems"]}
    assert score(rule_set, with_fire, entry_id) > score(rule_set, OVERDOSE_TOWN, entry_id)


# --- Outreach workers and youth services -----------------------------------------------------


def test_outreach_workers_staff_active_outreach(rule_set: RuleSet) -> None:
    encampments = jurisdiction(
        "Riverside Police Department",
        challenges=["homelessness", "frequent_utilizers"],
        hot_spots=True,
        resources=["housing"],
    )
    staffed = {**encampments, "resources": ["housing", "outreach_workers"]}
    assert score(rule_set, staffed, "active-outreach") > score(
        rule_set, encampments, "active-outreach"
    )
    assert len(gaps(rule_set, staffed, "active-outreach")) < len(
        gaps(rule_set, encampments, "active-outreach")
    )


def test_youth_services_raise_civil_citation(rule_set: RuleSet) -> None:
    youth = jurisdiction(
        "Gulf County Sheriff's Office",
        challenges=["first_time_offenses", "juveniles"],
        juvenile_first_time=True,
        civil_citation="statute",
        prosecutor="supportive",
    )
    with_center = {**youth, "youth_resources": ["juvenile_assessment_center"]}
    with_both = {
        **with_center,
        "youth_resources": ["juvenile_assessment_center", "school_resource_officers"],
    }
    assert (
        score(rule_set, youth, "civil-citation")
        < score(rule_set, with_center, "civil-citation")
        < score(rule_set, with_both, "civil-citation")
    )


# --- Former option values in answers files ---------------------------------------------------


def answers_yaml(path: Path, answers: Answers) -> Path:
    """An answers file, one answer a line (JSON values are YAML), so line numbers are known."""
    path.write_text("\n".join(f"{k}: {json.dumps(v)}" for k, v in answers.items()) + "\n")
    return path


@pytest.mark.parametrize(("old", "new"), [("willing", "supportive"), ("unwilling", "opposed")])
def test_former_prosecutor_values_still_load(
    rule_set: RuleSet, tmp_path: Path, old: str, new: str
) -> None:
    path = answers_yaml(tmp_path / "old.yaml", {**OVERDOSE_TOWN, "prosecutor": old})
    answers, notes = load_answers(path, rule_set)
    assert answers["prosecutor"] == new
    assert f"'prosecutor': '{old}' is read as '{new}' (the option was renamed)" in notes


def test_former_value_through_the_command_line(run: Run, tmp_path: Path) -> None:
    path = answers_yaml(tmp_path / "old.yaml", {**OVERDOSE_TOWN, "prosecutor": "unwilling"})
    result = run("recommend", "--answers", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert "'unwilling' is read as 'opposed'" in result.stderr
    assert json.loads(result.stdout)["answers"]["prosecutor"] == "opposed"


def test_removed_resource_option_is_a_located_error(run: Run, tmp_path: Path) -> None:
    """`rapid_treatment_intake` became its own question (treatment_intake); an old answers file
    that still lists it is told so with file, line and key, and nothing is guessed."""
    answers = {**OVERDOSE_TOWN, "resources": ["moud", "rapid_treatment_intake"]}
    path = answers_yaml(tmp_path / "old.yaml", answers)
    result = run("recommend", "--answers", str(path))
    assert result.returncode == 2
    line = list(answers).index("resources") + 1
    assert f"{path}:{line}:" in result.stderr
    assert "resources: 'rapid_treatment_intake' is no longer an option: " in result.stderr
    assert "answer treatment_intake" in result.stderr  # what to do, not a list of options
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("removed", "message"),
    [
        (
            "removed_options: [{value: rarely, instead: Say weekly.}]",
            "removed_options[0].value: 'rarely' is still an option or an alias of one",
        ),
        (
            "removed_options: [{value: sometimes}]",
            "removed_options[0]: missing required key 'instead'",
        ),
    ],
)
def test_a_removed_option_is_one_no_option_has_and_says_what_instead(
    tmp_path: Path, removed: str, message: str
) -> None:
    found = load_error(
        tmp_path,
        "questions.yaml",
        "    when:\n      question: challenges",
        f"    {removed}\n    when:\n      question: challenges",
    )
    assert message in found


def test_only_questions_with_options_have_removed_options(tmp_path: Path) -> None:
    found = load_error(
        tmp_path,
        "questions.yaml",
        "    help: Full-time sworn staff.",
        "    help: Full-time sworn staff.\n    removed_options: [{value: many, instead: A count.}]",
    )
    assert "removed_options: only questions with options can have removed options" in found


def test_an_alias_may_not_name_another_option(tmp_path: Path) -> None:
    found = load_error(
        tmp_path,
        "questions.yaml",
        "label: Every week",
        "label: Every week\n        aliases: [rarely]",
    )
    assert "options[1].value: 'rarely' is already an alias of option 'weekly'" in found


def test_an_alias_of_a_later_option_value_is_an_error(tmp_path: Path) -> None:
    found = load_error(
        tmp_path, "questions.yaml", "label: Rarely", "label: Rarely\n        aliases: [weekly]"
    )
    assert "options[1].aliases: 'weekly' already names option 'weekly'" in found


# --- The prosecutor and the no-charge promise, LEAD's scope ------------------------------------


def test_angel_program_needs_the_prosecutor_for_its_no_charge_promise(rule_set: RuleSet) -> None:
    """Essex County DA, May 20, 2015: a chief may lack the authority to promise no charges."""
    supportive = {**WALK_INS_NEAR_TREATMENT, "prosecutor": "supportive"}
    scores = [
        score(rule_set, {**WALK_INS_NEAR_TREATMENT, "prosecutor": p}, "angel-program")
        for p in ("agreement", "supportive", "neutral", "opposed")
    ]
    assert scores[0] == scores[1] > scores[2] > scores[3], scores
    assert not any("prosecutor" in g for g in gaps(rule_set, supportive, "angel-program"))
    neutral = {**WALK_INS_NEAR_TREATMENT, "prosecutor": "neutral"}
    assert any("prosecutor" in g for g in gaps(rule_set, neutral, "angel-program"))


def test_civil_citation_weighs_the_prosecutor_who_co_owns_it(rule_set: RuleSet) -> None:
    youth = jurisdiction(
        "Gulf County Sheriff's Office",
        challenges=["first_time_offenses", "juveniles"],
        juvenile_first_time=True,
        civil_citation="statute",
    )
    scores = [
        score(rule_set, {**youth, "prosecutor": p}, "civil-citation")
        for p in ("agreement", "supportive", "neutral", "opposed")
    ]
    assert scores[0] > scores[1] == scores[2] + 1 > scores[3], scores


def test_lead_takes_other_low_level_offenses_and_frequent_utilizers(rule_set: RuleSet) -> None:
    """King County's LEAD takes low-level theft, bus misconduct and park violations, and social
    contact referrals of people at high risk of arrest with no offense."""
    for challenges in (["low_level_offenses", "substance_use"], ["frequent_utilizers"]):
        answers = jurisdiction(
            "Eastside Police Department",
            challenges=challenges,
            prosecutor="agreement",
            resources=["case_management"],
        )
        lead = entry(recommend(rule_set, answers), "lead")
        assert lead.why_not == "" or "did not report" not in lead.why_not, lead.why_not
        assert lead.score > 0
    quiet = jurisdiction("Quiet Town", challenges=["welfare_checks"], prosecutor="agreement")
    assert "did not report" in entry(recommend(rule_set, quiet), "lead").why_not
