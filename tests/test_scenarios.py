"""Realistic jurisdictions, and what the domain brief says padtool should suggest to them.

Every expectation here comes from the project's domain brief, not from the weights in
pathways/entries/*.yaml: the "Rule set for the CLI" heuristics and the target-population mapping
of section 2, the pathway table of section 1.1 and the program-model facts of section 3. Each
profile cites the fact that motivates it.

"Top three" means what the report presents as recommended: the starting set, which is at most the
first three entries by rank that reach the rule set's minimum score.

A case the brief clearly supports but the bundled rule set gets wrong is marked
`xfail(strict=True)` with the actual ranking in its reason, so that the rule-set author sees it
and the mark must come off once the weights are fixed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import PTACC_PATHWAYS, Run
from padtool.answers import check_answer
from padtool.conditions import AnswerValue, holds
from padtool.engine import (
    Recommendation,
    Result,
    applicable_questions,
    clears,
    place,
    recommend,
    state,
)
from padtool.loader import load_rule_set
from padtool.model import RuleSet

Answers = dict[str, AnswerValue]

ENTRY_IDS = (
    *PTACC_PATHWAYS,
    "co-responder",
    "civil-citation",
    "lead",
    "crisis-intervention-team",
    "angel-program",
    "quick-response-team",
    "safe-station",
    "post-overdose-response-team",
    "community-paramedicine",
    "crisis-call-diversion",
    "situation-table",
)


def jurisdiction(agency: str, **answers: AnswerValue) -> Answers:
    """A complete answers file: background answers no heuristic of the brief turns on, then the
    answers that describe this place."""
    profile: Answers = {
        "agency_name": agency,
        "agency_type": "municipal_police",
        "sworn_officers": 60,
        "setting": "mixed",
        "challenges": [],
        "resources": [],
        "crisis_training": "unknown",
        "prosecutor": "unknown",
        "partners": [],
        # IACP 2016: 87% of agencies already use citation in lieu of arrest for some offenses.
        "citation_allowed": True,
        "civil_citation": "unknown",
        "walk_in_station": False,
        "data_capacity": "basic",
    }
    profile.update(answers)
    return dont_know(profile)


# Questions whose "Don't know" is the background answer, given only where the question applies.
DONT_KNOW: Answers = {
    "treatment_intake": "unknown",
    "treatment_travel": "unknown",
    "youth_resources": [],
    "residents_avoid_police": "unknown",
}


def dont_know(profile: Answers) -> Answers:
    """The profile with "Don't know" for each background question that applies and is not
    answered (treatment_travel applies only once treatment_intake is answered)."""
    bundled = load_rule_set()
    for _ in range(2):
        for question in applicable_questions(bundled, profile):
            if question.id in DONT_KNOW and question.id not in profile:
                profile[question.id] = DONT_KNOW[question.id]
    return profile


# --- Profiles ---------------------------------------------------------------------------------

# §2 rule: "High non-fatal opioid overdose volume and EMS/fire data access -> Naloxone Plus / QRT".
# §3 PORT: teams offer naloxone and MOUD; peers join the follow-up visit.
RURAL_DAILY_OVERDOSES = jurisdiction(
    "Hollow County Sheriff's Office",
    agency_type="sheriff",
    sworn_officers=35,
    setting="rural",
    challenges=["overdoses", "substance_use"],
    overdose_frequency="20_or_more",
    hot_spots=False,
    resources=["ems_overdose_data", "moud", "peer_recovery_coaches", "harm_reduction"],
)

# §3 Colerain QRT: officer + paramedic + licensed addiction counselor, visiting within days of an
# overdose; CDC OD2A: participants identified from EMS/fire data under data-use agreements.
OHIO_TOWNSHIP_WEEKLY_OVERDOSES = jurisdiction(
    "Colerain-like Township Police",
    sworn_officers=45,
    setting="suburban",
    challenges=["overdoses"],
    overdose_frequency="5_to_19",
    hot_spots=False,
    resources=["ems_overdose_data", "clinicians"],
    treatment_intake="within_48h",
    partners=["hospital"],
)

# §2 rule: "Residents asking police for help; a station that can be a safe entry point; treatment
# beds available on demand -> Self-Referral (Angel/PAARI)".
FAMILIES_ASK_FOR_HELP = jurisdiction(
    "Harbor City Police Department",
    challenges=["help_requests", "substance_use"],
    hot_spots=False,
    walk_in_station=True,
    resources=["moud"],
    treatment_intake="same_day",
)

# §1.1 Self-Referral: the person walks into the station; partners are treatment centers and
# volunteer "angels" or peer recovery coaches (Gloucester ANGEL, PAARI, §3).
GLOUCESTER_STYLE_TOWN = jurisdiction(
    "Cape Town Police Department",
    sworn_officers=30,
    setting="suburban",
    challenges=["help_requests", "overdoses"],
    overdose_frequency="1_to_4",
    hot_spots=False,
    walk_in_station=True,
    resources=["peer_recovery_coaches"],
    treatment_intake="same_day",
    partners=["community_orgs", "lived_experience"],
)

# §2 rule: "Known hot spots, encampments, or frequent utilizers; clinician or peer available ->
# Active Outreach". §1.1: outreach at encampments, with clinicians and peers.
ENCAMPMENTS_WITH_OUTREACH_STAFF = jurisdiction(
    "Riverside Police Department",
    sworn_officers=400,
    setting="urban",
    challenges=["homelessness", "frequent_utilizers", "substance_use"],
    hot_spots=True,
    resources=["peer_recovery_coaches", "clinicians", "housing", "case_management"],
)

# §2 rule: "Many non-criminal BH or quality-of-life calls -> First Responder & Officer Referral".
# §1.1: no charges; partners are behavioral health and case managers.
QUALITY_OF_LIFE_SUBURB = jurisdiction(
    "Maple Grove Police Department",
    setting="suburban",
    challenges=["quality_of_life", "welfare_checks", "noncrisis_bh"],
    resources=["case_management"],
    partners=["bh_agency"],
)

# §2 rule, second half: "...; add Community Response if a civilian team or 911 triage is feasible".
QUALITY_OF_LIFE_SUBURB_WITH_911_TRIAGE = {
    **QUALITY_OF_LIFE_SUBURB,
    "resources": ["case_management", "dispatch_triage"],
}

# §1.1 Community Response: a team dispatched to behavioral-health crises, wellness checks and
# social disturbances through 911/988 (CAHOOTS, Denver STAR).
CAHOOTS_STYLE_CITY = jurisdiction(
    "Willamette City Police Department",
    sworn_officers=190,
    setting="urban",
    challenges=["welfare_checks", "quality_of_life", "bh_crisis_calls"],
    crisis_call_volume="several_daily",
    resources=["civilian_team", "dispatch_triage", "crisis_center"],
    crisis_training="twenty_plus",
    partners=["bh_agency"],
)

# §2 rule: "High BH crisis call volume -> CIT training + co-responder/community responder".
# §3 co-responder: a clinician rides with or is dispatched to officers on crisis calls.
CRISIS_CALLS_WITH_CLINICIANS = jurisdiction(
    "Lakeshore County Sheriff's Office",
    agency_type="sheriff",
    sworn_officers=150,
    challenges=["bh_crisis_calls", "noncrisis_bh"],
    crisis_call_volume="several_daily",
    resources=["clinicians", "crisis_center"],
    crisis_training="some",
)

# §2 rule as above; §3 CIT: trained officers on every shift plus a single-point-of-entry
# receiving facility; One Mind asks for at least 20% of officers CIT-trained.
CRISIS_CALLS_FEW_CIT_OFFICERS = jurisdiction(
    "Pine Valley Police Department",
    sworn_officers=80,
    challenges=["bh_crisis_calls"],
    crisis_call_volume="daily",
    resources=["crisis_center"],
    crisis_training="none",
    partners=["bh_agency", "lived_experience"],
)

# §2 rule: "Repeat low-level drug or prostitution offenses; prosecutor willing; case management
# funded -> Officer Intervention / LEAD". §3 LEAD: drug and prostitution charges, prosecutors in
# governance, public defender and community in the coalition, evaluated by the UW.
DOWNTOWN_DRUG_AND_PROSTITUTION = jurisdiction(
    "Belltown-like Precinct, Metro Police",
    sworn_officers=1200,
    setting="urban",
    challenges=["low_level_drug", "prostitution", "frequent_utilizers"],
    repeat_offenders=True,
    hot_spots=False,
    prosecutor="agreement",
    resources=["case_management"],
    partners=["public_defender", "community_orgs"],
    data_capacity="analyst",
)

# §1.1 Officer Intervention: low-level offenses driven by SUD/MH, charges held in abeyance until
# treatment is finished, with the prosecutor and case managers as partners.
REPEAT_THEFT_AND_TRESPASS = jurisdiction(
    "Blue Earth-like County Sheriff's Office",
    agency_type="sheriff",
    challenges=["low_level_offenses", "substance_use"],
    repeat_offenders=True,
    hot_spots=False,
    prosecutor="agreement",
    resources=["case_management"],
    treatment_intake="within_48h",
)

# §2 rule: "First-time low-level misdemeanors, especially youth -> Civil citation".
# §3: Florida s. 985.12 requires a civil-citation program in every judicial circuit.
FLORIDA_YOUTH_FIRST_OFFENSES = jurisdiction(
    "Gulf County Sheriff's Office",
    agency_type="sheriff",
    challenges=["first_time_offenses", "juveniles"],
    juvenile_first_time=True,
    civil_citation="statute",
    prosecutor="supportive",
    partners=["juvenile_justice"],
)

# §3 adult civil citation (Florida 5th Circuit): first-time non-violent misdemeanors, an
# agreement with the state attorney, community service.
ADULT_FIRST_OFFENSES_LOCAL_PROGRAM = jurisdiction(
    "Marion-like County Police",
    challenges=["first_time_offenses"],
    civil_citation="local_program",
    prosecutor="agreement",
    partners=["community_orgs"],
)

# Same youth county, but with a prosecutor agreement and case managers already in place.
# Nothing here is LEAD's population: §3 LEAD is for drug and prostitution charges and the
# Santa Fe criteria make people under 18 presumptively ineligible.
FLORIDA_YOUTH_WITH_PROSECUTOR_AND_CASE_MANAGERS = {
    **FLORIDA_YOUTH_FIRST_OFFENSES,
    "prosecutor": "agreement",
    "resources": ["case_management"],
    "partners": ["juvenile_justice", "public_defender"],
    "data_capacity": "analyst",
}

# Overdoses happen but rarely; the daily work is wellness checks. §2's Naloxone Plus rule asks
# for a *high* overdose volume.
RURAL_RARE_OVERDOSES_MOSTLY_WELLNESS_CHECKS = jurisdiction(
    "Prairie County Sheriff's Office",
    agency_type="sheriff",
    sworn_officers=20,
    setting="rural",
    challenges=["overdoses", "welfare_checks", "quality_of_life"],
    overdose_frequency="under_1",
    hot_spots=False,
    resources=["case_management"],
)

# None of the challenges the brief maps to a pathway, and no services either.
NO_CHALLENGES = jurisdiction("Quiet Hills Campus Police", agency_type="campus", sworn_officers=12)

# No challenges, but every service, partner and agreement in place. §2: each pathway "addresses
# specific public safety challenges"; Charlier: the choice depends on the community's challenges
# *and* its resources. Resources alone point at no pathway.
NO_CHALLENGES_BUT_EVERY_RESOURCE = jurisdiction(
    "Quiet Hills Campus Police",
    agency_type="campus",
    sworn_officers=12,
    walk_in_station=True,
    resources=[
        "moud",
        "clinicians",
        "crisis_center",
        "peer_recovery_coaches",
        "outreach_workers",
        "case_management",
        "housing",
        "harm_reduction",
        "mobile_crisis",
        "dispatch_triage",
        "civilian_team",
        "ems_overdose_data",
    ],
    partners=[
        "public_defender",
        "courts",
        "bh_agency",
        "hospital",
        "community_orgs",
        "lived_experience",
        "juvenile_justice",
        "fire_ems",
    ],
    prosecutor="agreement",
    civil_citation="statute",
    crisis_training="none",
    data_capacity="shared",
)

# A big-city agency that sees every challenge and has every resource: more entries fit than the
# starting set can hold.
BIG_CITY_EVERYTHING = dont_know(
    {
        **NO_CHALLENGES_BUT_EVERY_RESOURCE,
        "agency_name": "Metro City Police Department",
        "agency_type": "municipal_police",
        "sworn_officers": 5000,
        "setting": "urban",
        "challenges": [
            "overdoses",
            "substance_use",
            "help_requests",
            "bh_crisis_calls",
            "noncrisis_bh",
            "homelessness",
            "frequent_utilizers",
            "quality_of_life",
            "welfare_checks",
            "low_level_drug",
            "prostitution",
            "low_level_offenses",
            "first_time_offenses",
            "juveniles",
        ],
        "overdose_frequency": "20_or_more",
        "crisis_call_volume": "several_daily",
        "repeat_offenders": True,
        "juvenile_first_time": True,
        "youth_resources": ["school_resource_officers", "juvenile_assessment_center"],
        "hot_spots": True,
        "treatment_intake": "same_day",
        "treatment_travel": "under_30",
    }
)

# Safe Station (Manchester, NH, 2016-2021): people walk into any fire station; firefighters and
# EMS check vital signs and a treatment partner takes them on at once, at any hour.
MANCHESTER_STYLE_CITY = jurisdiction(
    "Granite City Police Department",
    setting="urban",
    challenges=["overdoses", "substance_use", "help_requests"],
    overdose_frequency="20_or_more",
    hot_spots=False,
    walk_in_station=True,
    resources=["ems_overdose_data", "peer_recovery_coaches"],
    treatment_intake="same_day",
)

# PORT (NACo; Massachusetts POST; Guilford County GCSTOP): two or three health workers, led by
# public health or a harm-reduction group, reach survivors within about 72 hours of an overdose.
HEALTH_LED_OVERDOSE_COUNTY = jurisdiction(
    "Laurel County Police Department",
    setting="suburban",
    challenges=["overdoses", "substance_use"],
    overdose_frequency="5_to_19",
    hot_spots=False,
    resources=["harm_reduction", "peer_recovery_coaches", "moud", "ems_overdose_data"],
    partners=["hospital", "lived_experience"],
)

# Community paramedicine (RHIhub; Houston ETHAN; Columbus RREACT): EMS follows up frequent 911
# callers and overdose survivors who refuse transport, and links them to care.
FIRE_EMS_FREQUENT_CALLERS = jurisdiction(
    "Riverbend Police Department",
    setting="urban",
    challenges=["frequent_utilizers", "overdoses", "substance_use"],
    overdose_frequency="5_to_19",
    hot_spots=False,
    resources=["ems_overdose_data", "case_management"],
    treatment_intake="same_day",
    partners=["hospital"],
)

# Houston Crisis Call Diversion (2015): counselors from the local crisis line on the 911 floor
# take non-violent behavioral-health calls, sending a mobile crisis team when needed.
HOUSTON_STYLE_911_CENTER = jurisdiction(
    "Bayou City Police Department",
    sworn_officers=900,
    setting="urban",
    challenges=["bh_crisis_calls", "welfare_checks"],
    crisis_call_volume="several_daily",
    resources=["dispatch_triage", "mobile_crisis", "crisis_center"],
    partners=["bh_agency"],
    crisis_training="some",
)

# Situation table (Prince Albert Hub; Chelsea, MA Hub): police and about 20 agencies meet weekly
# to act within 24-48 hours on people at acutely elevated risk, using services already in place.
CHELSEA_STYLE_HUB_CITY = jurisdiction(
    "Harborview Police Department",
    setting="urban",
    challenges=["frequent_utilizers", "homelessness", "substance_use", "noncrisis_bh"],
    hot_spots=False,
    resources=["case_management", "housing"],
    partners=["bh_agency", "community_orgs", "hospital", "juvenile_justice"],
    data_capacity="shared",
)

PROFILES: dict[str, Answers] = {
    "rural county, daily overdoses, EMS shares overdose data": RURAL_DAILY_OVERDOSES,
    "Ohio township, weekly overdoses, EMS data, addiction counselor": (
        OHIO_TOWNSHIP_WEEKLY_OVERDOSES
    ),
    "families ask police for help, walk-in station, same-day treatment": FAMILIES_ASK_FOR_HELP,
    "Gloucester-style town, walk-in station, peer angels": GLOUCESTER_STYLE_TOWN,
    "city with encampments and frequent utilizers, known hot spots, peers": (
        ENCAMPMENTS_WITH_OUTREACH_STAFF
    ),
    "suburb with quality-of-life calls and wellness checks, case managers": QUALITY_OF_LIFE_SUBURB,
    "same suburb with 911 triage to clinicians": QUALITY_OF_LIFE_SUBURB_WITH_911_TRIAGE,
    "CAHOOTS-style city, wellness checks and crisis calls, civilian team": CAHOOTS_STYLE_CITY,
    "crisis calls several times a day, clinicians available": CRISIS_CALLS_WITH_CLINICIANS,
    "daily crisis calls, almost no CIT officers, crisis center": CRISIS_CALLS_FEW_CIT_OFFICERS,
    "downtown repeat drug and prostitution offenses, prosecutor agreement": (
        DOWNTOWN_DRUG_AND_PROSTITUTION
    ),
    "repeat theft and trespass driven by addiction, prosecutor holds charges": (
        REPEAT_THEFT_AND_TRESPASS
    ),
    "Florida county, first-time youth misdemeanors, civil-citation statute": (
        FLORIDA_YOUTH_FIRST_OFFENSES
    ),
    "first-time adult misdemeanors, local civil-citation program": (
        ADULT_FIRST_OFFENSES_LOCAL_PROGRAM
    ),
    "Florida youth county with prosecutor agreement and case managers": (
        FLORIDA_YOUTH_WITH_PROSECUTOR_AND_CASE_MANAGERS
    ),
    "rural county, rare overdoses, mostly wellness checks": (
        RURAL_RARE_OVERDOSES_MOSTLY_WELLNESS_CHECKS
    ),
    "Manchester-style city, fire stations take walk-ins, EMS partners": MANCHESTER_STYLE_CITY,
    "overdoses, harm reduction and peers, health-led county": HEALTH_LED_OVERDOSE_COUNTY,
    "frequent 911 callers and overdoses, EMS partners": FIRE_EMS_FREQUENT_CALLERS,
    "crisis calls several times a day, 911 triage to clinicians": HOUSTON_STYLE_911_CENTER,
    "frequent utilizers, many agencies at one table": CHELSEA_STYLE_HUB_CITY,
    "no challenges, no services": NO_CHALLENGES,
    "no challenges, every service and partner": NO_CHALLENGES_BUT_EVERY_RESOURCE,
    "big city with every challenge and every service": BIG_CITY_EVERYTHING,
}


def name_of(profile: Answers) -> str:
    return next(name for name, answers in PROFILES.items() if answers is profile)


# --- Helpers --------------------------------------------------------------------------------


def entry(result: Result, entry_id: str) -> Recommendation:
    found = [r for r in result.recommendations if r.entry.id == entry_id]
    assert len(found) == 1, f"{entry_id} is not ranked exactly once"
    return found[0]


def ranking(result: Result, top: int = 5) -> str:
    return ", ".join(
        f"{r.rank}. {r.entry.id} ({r.score}{', recommended' if r.recommended else ''})"
        for r in result.recommendations[:top]
    )


def starting_ids(result: Result) -> list[str]:
    return [r.entry.id for r in result.starting_set]


def summary(result: Result) -> list[tuple[object, ...]]:
    """Everything a report shows about the ranking."""
    return [
        (
            r.entry.id,
            r.rank,
            r.score,
            r.recommended,
            r.first_choice,
            tuple((reason.text, reason.weight) for reason in r.reasons),
            tuple(gap.text for gap in r.gaps),
        )
        for r in result.recommendations
    ]


def answers_file(tmp_path: Path, answers: Answers) -> Path:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    return path


# --- The profiles are real answers files ----------------------------------------------------


@pytest.mark.parametrize("answers", list(PROFILES.values()), ids=list(PROFILES))
def test_profile_is_a_complete_valid_answers_file(rule_set: RuleSet, answers: Answers) -> None:
    """Each profile answers every question that applies, with valid values, and nothing else;
    otherwise a scenario below would test something other than what its name says."""
    for qid, value in answers.items():
        question = rule_set.question(qid)
        assert question is not None, f"unknown question {qid}"
        assert check_answer(question, value) == "", f"{qid}: {check_answer(question, value)}"
    missing = [
        q.id for q in applicable_questions(rule_set, answers) if q.required and q.id not in answers
    ]
    assert missing == []
    assert recommend(rule_set, answers).ignored == ()


def test_every_bundled_entry_has_scenarios(rule_set: RuleSet) -> None:
    bundled = {e.id for e in rule_set.entries}
    assert bundled == set(ENTRY_IDS)
    assert {case.values[0] for case in IN_TOP_THREE} == bundled
    assert {case.values[0] for case in NOT_IN_TOP_THREE} == bundled


# --- Where the brief says an entry belongs in the top three ---------------------------------


def case(entry_id: str, profile: Answers, *marks: pytest.MarkDecorator) -> object:
    return pytest.param(entry_id, profile, id=f"{entry_id} | {name_of(profile)}", marks=marks)


IN_TOP_THREE = [
    case("self-referral", FAMILIES_ASK_FOR_HELP),
    case("self-referral", GLOUCESTER_STYLE_TOWN),
    case("angel-program", GLOUCESTER_STYLE_TOWN),
    case("angel-program", FAMILIES_ASK_FOR_HELP),
    case("active-outreach", ENCAMPMENTS_WITH_OUTREACH_STAFF),
    case("naloxone-plus", RURAL_DAILY_OVERDOSES),
    case("naloxone-plus", OHIO_TOWNSHIP_WEEKLY_OVERDOSES),
    case("quick-response-team", OHIO_TOWNSHIP_WEEKLY_OVERDOSES),
    case("quick-response-team", RURAL_DAILY_OVERDOSES),
    case("first-responder-officer-referral", QUALITY_OF_LIFE_SUBURB),
    case("community-response", CAHOOTS_STYLE_CITY),
    case("community-response", QUALITY_OF_LIFE_SUBURB_WITH_911_TRIAGE),
    case("first-responder-officer-referral", QUALITY_OF_LIFE_SUBURB_WITH_911_TRIAGE),
    case("co-responder", CRISIS_CALLS_WITH_CLINICIANS),
    case("crisis-intervention-team", CRISIS_CALLS_WITH_CLINICIANS),
    case("crisis-intervention-team", CRISIS_CALLS_FEW_CIT_OFFICERS),
    case("lead", DOWNTOWN_DRUG_AND_PROSTITUTION),
    case("officer-intervention", DOWNTOWN_DRUG_AND_PROSTITUTION),
    case("officer-intervention", REPEAT_THEFT_AND_TRESPASS),
    case("civil-citation", FLORIDA_YOUTH_FIRST_OFFENSES),
    case("civil-citation", ADULT_FIRST_OFFENSES_LOCAL_PROGRAM),
    case("safe-station", MANCHESTER_STYLE_CITY),
    case("post-overdose-response-team", HEALTH_LED_OVERDOSE_COUNTY),
    case("post-overdose-response-team", RURAL_DAILY_OVERDOSES),
    case("community-paramedicine", FIRE_EMS_FREQUENT_CALLERS),
    case("community-paramedicine", RURAL_DAILY_OVERDOSES),
    case("crisis-call-diversion", HOUSTON_STYLE_911_CENTER),
    case("situation-table", CHELSEA_STYLE_HUB_CITY),
]


# The challenges each entry's target population covers (§1.1 table, §2 mapping, §3 models).
TARGET_CHALLENGES = {
    "self-referral": {"help_requests", "substance_use", "overdoses"},
    "angel-program": {"help_requests", "substance_use", "overdoses"},
    "active-outreach": {
        "homelessness",
        "frequent_utilizers",
        "substance_use",
        "overdoses",
        "noncrisis_bh",
        "bh_crisis_calls",
    },
    "naloxone-plus": {"overdoses"},
    "quick-response-team": {"overdoses"},
    "safe-station": {"help_requests"},
    "post-overdose-response-team": {"overdoses"},
    "community-paramedicine": {"overdoses", "frequent_utilizers"},
    "crisis-call-diversion": {"bh_crisis_calls"},
    "situation-table": {"frequent_utilizers"},
    "first-responder-officer-referral": {
        "quality_of_life",
        "welfare_checks",
        "noncrisis_bh",
        "bh_crisis_calls",
        "homelessness",
        "prostitution",
        "substance_use",
    },
    "community-response": {"bh_crisis_calls", "welfare_checks", "quality_of_life", "homelessness"},
    "co-responder": {"bh_crisis_calls", "noncrisis_bh", "frequent_utilizers"},
    "crisis-intervention-team": {"bh_crisis_calls"},
    "officer-intervention": {"low_level_drug", "prostitution", "low_level_offenses"},
    "lead": {"low_level_drug", "prostitution"},
    "civil-citation": {"first_time_offenses", "juveniles"},
}


@pytest.mark.parametrize(("entry_id", "answers"), IN_TOP_THREE)
def test_brief_puts_entry_in_top_three(rule_set: RuleSet, entry_id: str, answers: Answers) -> None:
    result = recommend(rule_set, answers)
    rec = entry(result, entry_id)
    if not rec.recommended:
        # A program model and its own pathway share one place: the other one holds it.
        family = [r for r in result.starting_set if place(r.entry) == place(rec.entry)]
        assert family, f"{entry_id} not in the starting set; actual: {ranking(result)}"
        assert rec.why_not.startswith("In your starting set "), rec.why_not
        assert family[0].entry.name in rec.why_not  # the entry that holds the place
    else:
        assert rec.rank <= 3
    # "Why it fits" names a challenge of this entry's target population, in the user's words.
    challenges = rule_set.question("challenges")
    assert challenges is not None
    wanted = {challenges.label(v) for v in TARGET_CHALLENGES[entry_id]}
    cited = {
        label
        for r in rec.reasons
        if r.weight > 0
        for e in r.evidence
        if e.question_id == "challenges"
        for label in wanted
        if label in e.answer
    }
    assert cited, [(r.text, r.weight) for r in rec.reasons]


# The pathway family the brief's rule names for each profile should be the first choice.
FIRST_CHOICE = [
    (RURAL_DAILY_OVERDOSES, {"naloxone-plus", "quick-response-team"}),
    (OHIO_TOWNSHIP_WEEKLY_OVERDOSES, {"naloxone-plus", "quick-response-team"}),
    (FAMILIES_ASK_FOR_HELP, {"self-referral", "angel-program"}),
    (GLOUCESTER_STYLE_TOWN, {"self-referral", "angel-program"}),
    (ENCAMPMENTS_WITH_OUTREACH_STAFF, {"active-outreach"}),
    (QUALITY_OF_LIFE_SUBURB, {"first-responder-officer-referral"}),
    (
        QUALITY_OF_LIFE_SUBURB_WITH_911_TRIAGE,
        {"first-responder-officer-referral", "community-response"},
    ),
    (CAHOOTS_STYLE_CITY, {"community-response", "co-responder", "crisis-intervention-team"}),
    (
        CRISIS_CALLS_WITH_CLINICIANS,
        {"co-responder", "crisis-intervention-team", "community-response"},
    ),
    (
        CRISIS_CALLS_FEW_CIT_OFFICERS,
        {"crisis-intervention-team", "co-responder", "community-response"},
    ),
    (DOWNTOWN_DRUG_AND_PROSTITUTION, {"lead", "officer-intervention"}),
    (REPEAT_THEFT_AND_TRESPASS, {"officer-intervention", "lead"}),
    (FLORIDA_YOUTH_FIRST_OFFENSES, {"civil-citation"}),
    (ADULT_FIRST_OFFENSES_LOCAL_PROGRAM, {"civil-citation"}),
]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [pytest.param(a, e, id=name_of(a)) for a, e in FIRST_CHOICE],
)
def test_first_choice_is_what_the_brief_names(
    rule_set: RuleSet, answers: Answers, expected: set[str]
) -> None:
    result = recommend(rule_set, answers)
    first = [r for r in result.recommendations if r.first_choice]
    # A pathway run as one of its models is that pathway: the brief names the pathway.
    named = {first[0].entry.id, place(first[0].entry)} if first else set()
    assert len(first) == 1 and named & expected, ranking(result)


# --- Where the brief says an entry clearly does not belong ----------------------------------

NOT_IN_TOP_THREE = [
    # §1.1: Self-Referral serves people with SUD; this county reported youth offenses only.
    case("self-referral", FLORIDA_YOUTH_FIRST_OFFENSES),
    # §1.1: Active Outreach seeks out people in crisis, with MH/SUD needs or homeless; none here.
    case("active-outreach", FLORIDA_YOUTH_FIRST_OFFENSES),
    # §1.1: Naloxone Plus starts from an overdose call; this suburb reported no overdoses.
    case("naloxone-plus", QUALITY_OF_LIFE_SUBURB),
    # §2: the Naloxone Plus rule needs a *high* overdose volume; these are rare.
    case("naloxone-plus", RURAL_RARE_OVERDOSES_MOSTLY_WELLNESS_CHECKS),
    # §1.1 / §2: First Responder & Officer Referral is for contacts with no offense; these are
    # first-time offenses, which the brief sends to civil citation / officer intervention.
    case("first-responder-officer-referral", FLORIDA_YOUTH_FIRST_OFFENSES),
    # §1.1: Officer Intervention needs an offense; this county reported only overdoses.
    case("officer-intervention", RURAL_DAILY_OVERDOSES),
    # §1.1: Community Response answers crises, wellness checks and disturbances; none reported.
    case("community-response", RURAL_DAILY_OVERDOSES),
    # §3: co-responders handle behavioral-health crisis calls; this township reported overdoses
    # only (its clinician is an addiction counselor for the QRT).
    case("co-responder", OHIO_TOWNSHIP_WEEKLY_OVERDOSES),
    # §2: civil citation is for first-time low-level misdemeanors; none reported.
    case("civil-citation", CRISIS_CALLS_FEW_CIT_OFFICERS),
    # §3: LEAD diverts drug and prostitution charges; this suburb's calls need no arrest.
    case("lead", QUALITY_OF_LIFE_SUBURB),
    # §3: LEAD is for drug and prostitution charges, and Santa Fe makes under-18s presumptively
    # ineligible; an agreement with the prosecutor and case managers do not make youth
    # first-offense misdemeanors a LEAD population.
    case("lead", FLORIDA_YOUTH_WITH_PROSECUTOR_AND_CASE_MANAGERS),
    # §2: CIT answers a high behavioral-health crisis call volume; none reported.
    case("crisis-intervention-team", RURAL_DAILY_OVERDOSES),
    # §1.1: Self-Referral (Angel) serves people with SUD; this county reported MH crises only.
    case("angel-program", CRISIS_CALLS_FEW_CIT_OFFICERS),
    # §3: a QRT follows up overdoses; this precinct reported offenses, not overdoses.
    case("quick-response-team", DOWNTOWN_DRUG_AND_PROSTITUTION),
    # Safe Station runs from fire stations with EMS; Gloucester's walk-ins go to the police
    # station, with no fire or EMS partnership reported (the Angel model).
    case("safe-station", GLOUCESTER_STYLE_TOWN),
    # A health-led PORT builds on harm reduction; the Colerain-like township runs a police-led
    # QRT and reported no harm-reduction services.
    case("post-overdose-response-team", OHIO_TOWNSHIP_WEEKLY_OVERDOSES),
    # Community paramedicine serves frequent callers, rural residents or an EMS agency's own
    # follow-up; the suburban township's police-led QRT is none of these.
    case("community-paramedicine", OHIO_TOWNSHIP_WEEKLY_OVERDOSES),
    # 911 call diversion needs the 911 center to triage to clinicians; these crisis calls have
    # clinicians for ride-alongs but no dispatch link.
    case("crisis-call-diversion", CRISIS_CALLS_WITH_CLINICIANS),
    # A situation table needs many agencies at the table; the rural sheriff reported none.
    case("situation-table", RURAL_DAILY_OVERDOSES),
]


@pytest.mark.parametrize(("entry_id", "answers"), NOT_IN_TOP_THREE)
def test_unrelated_entry_stays_out_of_top_three(
    rule_set: RuleSet, entry_id: str, answers: Answers
) -> None:
    result = recommend(rule_set, answers)
    rec = entry(result, entry_id)
    assert not rec.recommended, f"{entry_id} wrongly recommended; actual: {ranking(result)}"
    # The profile is not empty: something else is recommended instead.
    assert result.starting_set, f"nothing recommended; actual: {ranking(result)}"


# --- The prosecutor ---------------------------------------------------------------------------


@pytest.mark.parametrize("entry_id", ["lead", "officer-intervention"])
def test_unwilling_prosecutor_costs_lead_and_officer_intervention(
    rule_set: RuleSet, entry_id: str
) -> None:
    """§1.1: Officer Intervention "needs law-enforcement (and usually prosecutor) participation";
    §3: LEAD's governance includes prosecutors. Same downtown precinct, prosecutor says no."""
    agreed = recommend(rule_set, DOWNTOWN_DRUG_AND_PROSTITUTION)
    refused = recommend(rule_set, {**DOWNTOWN_DRUG_AND_PROSTITUTION, "prosecutor": "opposed"})
    before, after = entry(agreed, entry_id), entry(refused, entry_id)

    assert after.score < before.score
    # Not strictly lower: LEAD, ranked above it, can fall below it too (its gate closes).
    assert after.rank >= before.rank and not after.recommended
    assert not after.first_choice
    assert not any("prosecutor" in g.text.lower() for g in before.gaps)
    assert any("prosecutor" in g.text.lower() for g in after.gaps), [g.text for g in after.gaps]
    # The reason against quotes what the user picked.
    not_willing = rule_set.question("prosecutor").label("opposed")  # type: ignore[union-attr]
    against = [r for r in after.reasons if r.weight < 0 and "prosecutor" in r.text.lower()]
    assert against, [r.text for r in after.reasons]
    assert any(e.answer == not_willing for r in against for e in r.evidence)


@pytest.mark.parametrize("entry_id", ["lead", "officer-intervention"])
def test_prosecutor_willingness_orders_the_scores(rule_set: RuleSet, entry_id: str) -> None:
    """§2: "prosecutor willing" is part of the LEAD rule: agreement > supportive > neutral >
    opposed. A neutral prosecutor gives no support but is no opposition either."""
    scores = [
        entry(recommend(rule_set, {**DOWNTOWN_DRUG_AND_PROSTITUTION, "prosecutor": p}), entry_id)
        for p in ("agreement", "supportive", "neutral", "opposed")
    ]
    assert scores[0].score > scores[1].score, [s.score for s in scores]
    assert scores[1].score >= scores[2].score > scores[3].score, [s.score for s in scores]
    neutral_against = [r.text for r in scores[2].reasons if r.weight < 0]
    assert not any("prosecutor" in text.lower() for text in neutral_against), neutral_against


def test_unwilling_prosecutor_takes_lead_out_of_the_starting_set(rule_set: RuleSet) -> None:
    """§2: the LEAD rule requires "prosecutor willing"; §3: prosecutors sit on LEAD's Policy
    Coordinating Group and (Santa Fe) have the final say on eligibility. LEAD is an
    Officer Intervention program, so it should not stay recommended when the pathway it
    implements drops out for want of a prosecutor."""
    result = recommend(rule_set, {**DOWNTOWN_DRUG_AND_PROSTITUTION, "prosecutor": "opposed"})
    assert not entry(result, "officer-intervention").recommended
    assert not entry(result, "lead").recommended, ranking(result)


def test_neutral_prosecutor_leaves_lead_open(rule_set: RuleSet) -> None:
    """Neutral is not opposed: LEAD's gate stays open (with the prosecutor gap to close), while an
    opposed prosecutor shuts it."""
    neutral = recommend(rule_set, {**DOWNTOWN_DRUG_AND_PROSTITUTION, "prosecutor": "neutral"})
    lead = entry(neutral, "lead")
    assert lead.recommended, ranking(neutral)
    assert any("prosecutor" in g.text.lower() for g in lead.gaps)


# --- Reasons quote the user's own answers -----------------------------------------------------


def test_reasons_quote_the_overdose_frequency_the_user_picked(rule_set: RuleSet) -> None:
    result = recommend(rule_set, RURAL_DAILY_OVERDOSES)
    question = rule_set.question("overdose_frequency")
    assert question is not None
    most_days = question.label("20_or_more")
    assert most_days == "20 or more a month"  # what the user saw, not the stored value
    quoted = [
        e
        for r in entry(result, "naloxone-plus").reasons
        for e in r.evidence
        if e.question_id == "overdose_frequency"
    ]
    assert [e.answer for e in quoted] == [most_days]


def test_reason_quotes_only_the_challenge_that_made_it_hold(rule_set: RuleSet) -> None:
    """The county ticked overdoses *and* substance use; the overdose reason quotes overdoses."""
    result = recommend(rule_set, RURAL_DAILY_OVERDOSES)
    overdoses = rule_set.question("challenges").label("overdoses")  # type: ignore[union-attr]
    reason = next(
        r
        for r in entry(result, "naloxone-plus").reasons
        if any(e.question_id == "challenges" for e in r.evidence)
    )
    assert [e.answer for e in reason.evidence] == [overdoses]


def test_every_quoted_answer_is_one_the_user_gave(rule_set: RuleSet) -> None:
    """No reason may cite an answer this jurisdiction did not give."""
    for answers in (RURAL_DAILY_OVERDOSES, DOWNTOWN_DRUG_AND_PROSTITUTION, CAHOOTS_STYLE_CITY):
        for rec in recommend(rule_set, answers).recommendations:
            for reason in rec.reasons:
                for ev in reason.evidence:
                    question = rule_set.question(ev.question_id)
                    assert question is not None
                    given = answers[ev.question_id]
                    if isinstance(given, list):
                        # Only the options that made the rule hold, in the user's words.
                        picked = [v for v in given if question.label(v) in ev.answer]
                        assert picked, (rec.entry.id, ev)
                        assert ev.answer == question.describe(picked), (rec.entry.id, ev)
                    else:
                        assert ev.answer == question.describe(given), (rec.entry.id, ev)


def test_report_shows_the_users_own_words(run: Run, tmp_path: Path) -> None:
    result = run("recommend", "--answers", str(answers_file(tmp_path, RURAL_DAILY_OVERDOSES)))
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.replace("│", " ").split())
    assert "(you answered: 20 or more a month)" in text
    assert "(you answered: Opioid or other drug overdoses)" in text


# --- No challenges ----------------------------------------------------------------------------


def test_no_challenges_yields_no_starting_set(rule_set: RuleSet) -> None:
    result = recommend(rule_set, NO_CHALLENGES)
    assert result.starting_set == ()
    assert not any(r.first_choice for r in result.recommendations)
    # Every entry is still listed, each with a reason against it that the user can read: the
    # one-line "why not now" of its `requires` gate, which holds the problems it addresses.
    assert [r.rank for r in result.recommendations] == list(range(1, len(ENTRY_IDS) + 1))
    for rec in result.recommendations:
        failed = [r for r in rec.entry.requires if state(r.when, result.answers) is False]
        assert failed, rec.entry.id
        assert rec.why_not == " ".join(r.reason for r in failed), rec.entry.id
        assert rec.why_not.startswith("You did not report"), rec.entry.id


def test_no_challenges_report_says_nothing_fits(run: Run, tmp_path: Path) -> None:
    result = run("recommend", "--answers", str(answers_file(tmp_path, NO_CHALLENGES)))
    assert result.returncode == 0, result.stderr
    assert "No pathway fits your answers clearly enough to start with yet." in result.stdout
    assert "(first choice)" not in result.stdout
    assert "Other pathways considered" in result.stdout


def test_resources_alone_recommend_nothing(rule_set: RuleSet) -> None:
    result = recommend(rule_set, NO_CHALLENGES_BUT_EVERY_RESOURCE)
    assert starting_ids(result) == [], ranking(result)


# --- The starting set -------------------------------------------------------------------------


@pytest.mark.parametrize("answers", list(PROFILES.values()), ids=list(PROFILES))
def test_starting_set_shape(rule_set: RuleSet, answers: Answers) -> None:
    result = recommend(rule_set, answers)
    starting = result.starting_set
    assert len(starting) <= 3
    assert [r.rank for r in starting] == list(range(1, len(starting) + 1))
    assert all(clears(rule_set, r.score, r.entry.max_score) for r in starting)
    assert all(r.readiness != "not-yet" for r in starting)
    first = [r for r in result.recommendations if r.first_choice]
    if starting:
        assert first == [starting[0]]
    else:
        assert first == []
    # Nothing outside the set fits better than anything in it, except an entry sharing a place
    # with one in the set (which the set names instead), one whose `requires` gate does not hold
    # (which its gate names), or one not yet ready (which its blocking gap names).
    for left_out in result.recommendations[len(starting) :]:
        assert not left_out.first_choice and left_out.why_not
        if starting and left_out.fit > starting[-1].fit:
            failed = [r for r in left_out.entry.requires if not holds(r.when, result.answers)]
            if failed:
                assert left_out.why_not == " ".join(r.reason for r in failed), left_out
            elif left_out.readiness == "not-yet":
                assert left_out.why_not.startswith("Not yet: "), left_out
            else:
                assert left_out.why_not.startswith(("In your starting set ", "Weighed ")), left_out


def test_starting_set_is_capped_when_everything_fits(rule_set: RuleSet) -> None:
    result = recommend(rule_set, BIG_CITY_EVERYTHING)
    fitting = [r for r in result.recommendations if r.score >= rule_set.min_score]
    assert len(fitting) > 3  # the cap is really tested
    assert len(result.starting_set) == 3
    assert sum(r.first_choice for r in result.recommendations) == 1


# --- Answers to questions that do not apply ---------------------------------------------------

DEAD_ANSWERS = [
    pytest.param(
        QUALITY_OF_LIFE_SUBURB,
        "overdose_frequency",
        "20_or_more",
        id="overdose_frequency without overdoses",
    ),
    pytest.param(
        QUALITY_OF_LIFE_SUBURB,
        "overdose_frequency",
        "under_1",
        id="rare overdose_frequency without overdoses",
    ),
    pytest.param(
        RURAL_DAILY_OVERDOSES,
        "crisis_call_volume",
        "several_daily",
        id="crisis_call_volume without crisis calls",
    ),
    pytest.param(
        QUALITY_OF_LIFE_SUBURB,
        "repeat_offenders",
        True,
        id="repeat_offenders without low-level offenses",
    ),
    pytest.param(
        DOWNTOWN_DRUG_AND_PROSTITUTION,
        "juvenile_first_time",
        True,
        id="juvenile_first_time without juveniles",
    ),
    pytest.param(
        FLORIDA_YOUTH_FIRST_OFFENSES,
        "hot_spots",
        True,
        id="hot_spots without homelessness, utilizers, overdoses or substance use",
    ),
]


@pytest.mark.parametrize(("answers", "qid", "value"), DEAD_ANSWERS)
def test_answer_to_question_that_does_not_apply_changes_nothing(
    rule_set: RuleSet, answers: Answers, qid: str, value: AnswerValue
) -> None:
    assert qid not in answers
    without = recommend(rule_set, answers)
    with_it = recommend(rule_set, {**answers, qid: value})
    assert summary(with_it) == summary(without)
    assert with_it.ignored == (qid,)
    assert qid not in with_it.answers


LIVE_ANSWERS = [
    pytest.param(RURAL_DAILY_OVERDOSES, "overdose_frequency", "under_1", id="overdose_frequency"),
    pytest.param(CAHOOTS_STYLE_CITY, "crisis_call_volume", "less_often", id="crisis_call_volume"),
    pytest.param(DOWNTOWN_DRUG_AND_PROSTITUTION, "repeat_offenders", False, id="repeat_offenders"),
    pytest.param(FLORIDA_YOUTH_FIRST_OFFENSES, "juvenile_first_time", False, id="juvenile_first"),
    pytest.param(ENCAMPMENTS_WITH_OUTREACH_STAFF, "hot_spots", False, id="hot_spots"),
]


@pytest.mark.parametrize(("answers", "qid", "other"), LIVE_ANSWERS)
def test_same_question_counts_when_it_applies(
    rule_set: RuleSet, answers: Answers, qid: str, other: AnswerValue
) -> None:
    """The counterpart of the test above: these answers are not simply ignored everywhere."""
    assert qid in answers and answers[qid] != other
    before = recommend(rule_set, answers)
    after = recommend(rule_set, {**answers, qid: other})
    assert after.ignored == ()
    assert summary(after) != summary(before)
