"""Realistic jurisdictions as complete answers files, and helpers to read a ranking.

Each profile describes one kind of place from the project's domain brief and cites the fact
(section and source) that motivates it; the advice tests of this package check what the bundled
rule set recommends to them. A profile answers every question that applies to it, with "Don't
know" where the brief says nothing (test_jurisdictions checks that each is a valid answers file).
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import PTACC_PATHWAYS
from padtool.conditions import AnswerValue
from padtool.engine import Recommendation, Result, applicable_questions
from padtool.loader import load_rule_set

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
