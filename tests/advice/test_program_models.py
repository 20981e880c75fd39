"""The program models added from the literature: each moves the advice the way its sources say.

Safe Station, health-led post-overdose response teams, community paramedicine, 911 crisis call
diversion and situation tables, each through `padtool.engine.recommend` on the bundled rule set,
with the jurisdictions of jurisdictions.py (written from the same sources).
"""

from __future__ import annotations

import json

from conftest import Run
from padtool.conditions import holds
from padtool.engine import applicable_answers, recommend
from padtool.model import RuleSet
from padtool.scenarios import find_scenario

from .jurisdictions import (
    CHELSEA_STYLE_HUB_CITY,
    CRISIS_CALLS_WITH_CLINICIANS,
    FIRE_EMS_FREQUENT_CALLERS,
    GLOUCESTER_STYLE_TOWN,
    HEALTH_LED_OVERDOSE_COUNTY,
    HOUSTON_STYLE_911_CENTER,
    MANCHESTER_STYLE_CITY,
    OHIO_TOWNSHIP_WEEKLY_OVERDOSES,
    RURAL_DAILY_OVERDOSES,
    Answers,
    entry,
    ranking,
    starting_ids,
)


def _fits(rule_set: RuleSet, answers: Answers, entry_id: str) -> bool:
    """The model's `requires` gate holds for these answers."""
    model = next(e for e in rule_set.entries if e.id == entry_id)
    assert model.requires
    kept = applicable_answers(rule_set, answers)
    return all(holds(r.when, kept) for r in model.requires)


def test_safe_station_takes_the_self_referral_slot_where_fire_stations_are_the_door(
    rule_set: RuleSet,
) -> None:
    """Manchester: walk-ins at fire stations, EMS checks, a treatment partner at any hour."""
    result = recommend(rule_set, MANCHESTER_STYLE_CITY)
    safe, angel = entry(result, "safe-station"), entry(result, "angel-program")
    assert safe.recommended and safe.score > angel.score, ranking(result)
    assert "self-referral" not in starting_ids(result)  # one slot for the pathway family


def test_safe_station_says_it_closed(rule_set: RuleSet) -> None:
    safe = next(e for e in rule_set.entries if e.id == "safe-station")
    assert "October 4, 2021" in safe.definition and "Doorway" in safe.definition
    manchester = next(x for x in safe.examples if x.place == "Manchester, NH")
    assert "closed October 4, 2021" in manchester.name


def test_safe_station_stays_out_of_a_police_station_walk_in_town(rule_set: RuleSet) -> None:
    """Gloucester's people walk into the police station and no fire partner is reported."""
    result = recommend(rule_set, GLOUCESTER_STYLE_TOWN)
    assert not _fits(rule_set, GLOUCESTER_STYLE_TOWN, "safe-station")
    assert not entry(result, "safe-station").recommended
    assert entry(result, "angel-program").recommended


def test_a_treatment_partner_on_call_is_what_safe_station_hangs_on(rule_set: RuleSet) -> None:
    """Nashua and Manchester closed when their treatment hub kept business hours only."""
    without = {**MANCHESTER_STYLE_CITY, "treatment_intake": "within_week"}
    before = entry(recommend(rule_set, MANCHESTER_STYLE_CITY), "safe-station")
    after = entry(recommend(rule_set, without), "safe-station")
    assert after.score <= before.score - 5
    assert any("at any hour" in gap.text for gap in after.gaps)


def test_health_led_port_outscores_the_police_led_qrt_where_harm_reduction_leads(
    rule_set: RuleSet,
) -> None:
    health_led = recommend(rule_set, HEALTH_LED_OVERDOSE_COUNTY)
    port, qrt = (
        entry(health_led, "post-overdose-response-team"),
        entry(health_led, "quick-response-team"),
    )
    assert _fits(rule_set, HEALTH_LED_OVERDOSE_COUNTY, "post-overdose-response-team")
    assert port.score > qrt.score, ranking(health_led, 8)


def test_the_police_led_township_gets_a_qrt_not_a_health_led_port(rule_set: RuleSet) -> None:
    township = recommend(rule_set, OHIO_TOWNSHIP_WEEKLY_OVERDOSES)
    assert not _fits(rule_set, OHIO_TOWNSHIP_WEEKLY_OVERDOSES, "post-overdose-response-team")
    port = entry(township, "post-overdose-response-team")
    assert not port.recommended and port.why_not == " ".join(r.reason for r in port.entry.requires)
    assert port.score < entry(township, "quick-response-team").score


def test_community_paramedicine_fits_ems_follow_up_of_frequent_callers(rule_set: RuleSet) -> None:
    result = recommend(rule_set, FIRE_EMS_FREQUENT_CALLERS)
    assert "community-paramedicine" in starting_ids(result), ranking(result)


def test_community_paramedicine_needs_an_ems_partner(rule_set: RuleSet) -> None:
    """The same city without the EMS partnership: the program has nobody to run it."""
    no_ems = {
        **FIRE_EMS_FREQUENT_CALLERS,
        "resources": ["case_management"],
    }
    result = recommend(rule_set, no_ems)
    paramedicine = entry(result, "community-paramedicine")
    assert not paramedicine.recommended
    assert paramedicine.why_not == " ".join(r.reason for r in paramedicine.entry.requires)


def test_community_paramedicine_is_for_rural_counties_not_every_township_with_ems_data(
    rule_set: RuleSet,
) -> None:
    """RHIhub: community paramedics fill rural gaps; the suburban township runs a police QRT."""
    assert _fits(rule_set, RURAL_DAILY_OVERDOSES, "community-paramedicine")
    assert not _fits(rule_set, OHIO_TOWNSHIP_WEEKLY_OVERDOSES, "community-paramedicine")
    suburban = {**RURAL_DAILY_OVERDOSES, "setting": "suburban"}
    assert not _fits(rule_set, suburban, "community-paramedicine")


def test_call_diversion_fits_a_911_center_that_already_triages_to_clinicians(
    rule_set: RuleSet,
) -> None:
    result = recommend(rule_set, HOUSTON_STYLE_911_CENTER)
    diversion = entry(result, "crisis-call-diversion")
    assert _fits(rule_set, HOUSTON_STYLE_911_CENTER, "crisis-call-diversion")
    assert diversion.recommended or diversion.why_not.startswith("Same pathway as Community"), (
        ranking(result)
    )


def test_call_diversion_needs_the_dispatch_link_and_the_call_volume(rule_set: RuleSet) -> None:
    assert not _fits(rule_set, CRISIS_CALLS_WITH_CLINICIANS, "crisis-call-diversion")
    weekly = {**HOUSTON_STYLE_911_CENTER, "crisis_call_volume": "weekly"}
    assert not _fits(rule_set, weekly, "crisis-call-diversion")
    busier = entry(recommend(rule_set, HOUSTON_STYLE_911_CENTER), "crisis-call-diversion")
    daily = {**HOUSTON_STYLE_911_CENTER, "crisis_call_volume": "daily"}
    assert entry(recommend(rule_set, daily), "crisis-call-diversion").score < busier.score


def test_a_situation_table_fits_many_agencies_and_people_at_elevated_risk(
    rule_set: RuleSet,
) -> None:
    result = recommend(rule_set, CHELSEA_STYLE_HUB_CITY)
    assert starting_ids(result)[0] == "situation-table", ranking(result)


def test_a_situation_table_needs_agencies_and_services_to_mobilize(rule_set: RuleSet) -> None:
    """ "The Hub is not a service delivery mechanism": without services or partners it is out."""
    no_services = {**CHELSEA_STYLE_HUB_CITY, "resources": []}
    no_partners = {**CHELSEA_STYLE_HUB_CITY, "partners": ["hospital"]}
    for answers in (no_services, no_partners):
        assert not entry(recommend(rule_set, answers), "situation-table").recommended
    assert not _fits(rule_set, RURAL_DAILY_OVERDOSES, "situation-table")


def test_every_added_model_names_its_pathways_sources_and_heuristic_note(
    rule_set: RuleSet,
) -> None:
    for model_id in (
        "safe-station",
        "post-overdose-response-team",
        "community-paramedicine",
        "crisis-call-diversion",
        "situation-table",
    ):
        model = next(e for e in rule_set.entries if e.id == model_id)
        assert model.kind == "program-model" and model.pathways, model_id
        assert model.requires and model.examples and model.sources, model_id
        assert any("heuristics" in note for note in model.notes), model_id
        assert any("all" not in p.serves for p in rule_set.providers_for(model)), model_id


def test_pathways_list_shows_the_added_models_under_their_pathways(run: Run) -> None:
    done = run("pathways", "list", "--format", "json")
    assert done.returncode == 0, done.stderr
    listed = {e["id"]: e for e in json.loads(done.stdout)}
    assert len(listed) == 17
    assert listed["safe-station"]["pathways"] == ["self-referral"]
    assert listed["post-overdose-response-team"]["pathways"] == ["naloxone-plus"]
    assert listed["crisis-call-diversion"]["pathways"] == ["community-response"]
    assert set(listed["community-paramedicine"]["pathways"]) == {
        "naloxone-plus",
        "active-outreach",
        "first-responder-officer-referral",
    }
    assert set(listed["situation-table"]["pathways"]) == {
        "first-responder-officer-referral",
        "active-outreach",
    }
    shown = run("pathways", "show", "port")
    assert shown.returncode == 0 and "Post-Overdose Response Team" in shown.stdout


def test_the_kind_of_agency_can_change_the_advice_as_its_help_now_says(rule_set: RuleSet) -> None:
    """Community paramedicine serves frequent callers, rural areas, or an agency that is itself
    fire or EMS: in a city with neither, only a fire or EMS agency meets its requirement. The
    question's help used to say the recommendations do not change with it."""
    city = {
        **dict(find_scenario(rule_set, "crisis-calls-city").answers),
        "partners": ["bh_agency", "hospital", "fire_ems"],
        "challenges": ["bh_crisis_calls", "overdoses"],
    }
    police = entry(
        recommend(rule_set, {**city, "agency_type": "municipal_police"}), "community-paramedicine"
    )
    fire_ems = entry(
        recommend(rule_set, {**city, "agency_type": "other"}), "community-paramedicine"
    )
    assert police.why_not.startswith("You did not report an EMS or fire partnership")
    assert not fire_ems.why_not.startswith("You did not report") and fire_ems.rank < police.rank
    help_text = rule_set.questions_by_id["agency_type"].help
    assert "do not change" not in help_text and "community paramedicine" in help_text
