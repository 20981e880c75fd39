"""Legal checks (legal.yaml) and funding items (funding.yaml): loaded, laid over by overlays,
and carried by each recommendation the way the answers say."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from conftest import MINIMAL_RULES, Run
from padtool.engine import Recommendation, recommend
from padtool.errors import PadtoolError
from padtool.lint import lint
from padtool.loader import load_rule_set
from padtool.model import RuleSet

LEGAL = """\
checks:
  - id: prosecutor-letter
    title: Who may promise no charges
    text: Only the prosecutor can bind the prosecutor.
    applies_to: [alpha]
    when: {question: officers, at_least: 10}
    sources: [https://example.org/letter]
"""

FUNDING = """\
funding:
  - id: county-fund
    title: County fund
    text: The county pays for it.
    as_of: 2026
    applies_to: [all]
    sources: [https://example.org/fund]
"""


def minimal_with(tmp_path: Path, files: dict[str, str]) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(MINIMAL_RULES, target)
    for name, text in files.items():
        (target / name).write_text(text, encoding="utf-8")
    return target


def problems(*folders: Path) -> list[str]:
    with pytest.raises(PadtoolError) as caught:
        load_rule_set(*folders)
    return [str(p) for p in caught.value.problems]


def test_the_minimal_set_with_both_files_loads(tmp_path: Path) -> None:
    rules = load_rule_set(minimal_with(tmp_path, {"legal.yaml": LEGAL, "funding.yaml": FUNDING}))
    assert [c.id for c in rules.legal_checks] == ["prosecutor-letter"]
    assert rules.funding[0].as_of == "2026"  # a bare year is read as text


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "legal.yaml",
            "    when:",
            "    note: [Unchecked.]\n    when:",
            "legal.yaml:6:5: checks[0].note: unknown key (did you mean 'notes'?)",
        ),
        (
            "legal.yaml",
            "    sources: [https://example.org/letter]\n",
            "",
            "legal.yaml:2:5: checks[0]: missing required key 'sources'",
        ),
        (
            "legal.yaml",
            "applies_to: [alpha]",
            "applies_to: [alfa]",
            "checks[0].applies_to: unknown entry 'alfa' (did you mean 'alpha'?)",
        ),
        (
            "legal.yaml",
            "question: officers",
            "question: officer",
            "checks[0].when.question: 'officer' is not a question (did you mean 'officers'?)",
        ),
        (
            "legal.yaml",
            "at_least: 10",
            "equals: many",
            "'officers' is a number question; 'many' cannot be its answer",
        ),
        (
            "funding.yaml",
            "    as_of: 2026\n",
            "",
            "funding.yaml:2:5: funding[0]: missing required key 'as_of'",
        ),
        (
            "funding.yaml",
            "as_of: 2026",
            "as_of: [2026]",
            "funding.yaml:5:12: funding[0].as_of: expected text, found a list",
        ),
        (
            "funding.yaml",
            "    sources: [https://example.org/fund]\n",
            "    sources: [https://example.org/fund]\n"
            "  - id: county-fund\n    title: Again\n    text: Twice.\n    as_of: 2026\n"
            "    applies_to: [all]\n    sources: [https://example.org/fund]\n",
            "duplicate funding item id 'county-fund'",
        ),
    ],
)
def test_broken_legal_and_funding_files_are_reported_with_file_line_and_key(
    tmp_path: Path, file: str, old: str, new: str, expected: str
) -> None:
    files = {"legal.yaml": LEGAL, "funding.yaml": FUNDING}
    assert old in files[file]
    files[file] = files[file].replace(old, new, 1)
    found = problems(minimal_with(tmp_path, files))
    assert any(expected in p for p in found), found
    assert len(found) == 1, found


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("officers", "state_question: question 'officers' must be of type single"),
        ("prosecuter", "state_question: no question 'prosecuter' (did you mean 'prosecutor'?)"),
    ],
)
def test_the_state_question_must_be_a_single_question(
    tmp_path: Path, value: str, expected: str
) -> None:
    rules = minimal_with(tmp_path, {})
    meta = rules / "ruleset.yaml"
    meta.write_text(meta.read_text("utf-8") + f"state_question: {value}\n", encoding="utf-8")
    found = problems(rules)
    assert any(expected in p for p in found) and len(found) == 1, found


def overlay(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "overlay"
    folder.mkdir()
    (folder / "overlay.yaml").write_text("name: Rivertown County\n", encoding="utf-8")
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_an_overlay_adds_overrides_and_disables_items_by_id(tmp_path: Path) -> None:
    base = minimal_with(tmp_path, {"legal.yaml": LEGAL, "funding.yaml": FUNDING})
    local = overlay(
        tmp_path,
        {
            "legal.yaml": LEGAL.replace(
                "Only the prosecutor", "Our county attorney says only"
            ).replace("    title:", "    override: true\n    title:")
            + "  - id: county-ordinance\n    title: County ordinance\n"
            "    text: The county's own rule.\n    applies_to: [beta]\n"
            "    sources: [https://county.example/ordinance]\n",
            "funding.yaml": "funding:\n  - id: county-fund\n    disabled: true\n",
        },
    )
    rules = load_rule_set(base, local)
    checks = {c.id: c for c in rules.legal_checks}
    assert checks["prosecutor-letter"].text.startswith("Our county attorney")
    assert checks["prosecutor-letter"].origin is not None
    assert checks["prosecutor-letter"].origin.replaces
    assert checks["county-ordinance"].applies_to == ("beta",)
    assert rules.funding == ()


def test_an_overlay_cannot_replace_an_item_by_accident(tmp_path: Path) -> None:
    base = minimal_with(tmp_path, {"legal.yaml": LEGAL})
    found = problems(base, overlay(tmp_path, {"legal.yaml": LEGAL}))
    assert any("legal check 'prosecutor-letter' is already defined in" in p for p in found)


def test_an_item_about_a_disabled_entry_goes_on_applying_to_the_others(tmp_path: Path) -> None:
    two = LEGAL.replace("applies_to: [alpha]", "applies_to: [alpha, beta]")
    local = overlay(tmp_path, {})
    (local / "entries").mkdir()
    (local / "entries" / "beta.yaml").write_text("id: beta\ndisabled: true\n", "utf-8")
    rules = load_rule_set(minimal_with(tmp_path, {"legal.yaml": two}), local)
    assert rules.legal_checks[0].applies_to == ("alpha",)


def test_an_item_that_can_never_be_shown_is_a_warning(tmp_path: Path) -> None:
    never = LEGAL.replace(
        "when: {question: officers, at_least: 10}",
        "when: {all: [{question: officers, at_least: 10}, {question: officers, at_most: 5}]}",
    )
    rules = load_rule_set(minimal_with(tmp_path, {"legal.yaml": never}))
    found = [str(w) for w in lint(rules)]
    assert any(
        "legal.yaml:2:" in w and "legal check prosecutor-letter" in w and "never shown" in w
        for w in found
    ), found


# --- the bundled rule set ------------------------------------------------------------------

AGENCY = {
    "agency_name": "Testville Police Department",
    "agency_type": "municipal_police",
    "sworn_officers": 80,
    "setting": "suburban",
    "challenges": ["overdoses", "substance_use", "low_level_drug"],
    "overdose_frequency": "5_to_19",
    "repeat_offenders": True,
    "hot_spots": True,
    "resources": ["ems_overdose_data", "case_management"],
    "treatment_intake": "same_day",
    "treatment_travel": "under_30",
    "residents_avoid_police": "rarely",
    "crisis_training": "some",
    "prosecutor": "agreement",
    "partners": ["bh_agency"],
    "citation_allowed": True,
    "civil_citation": "unknown",
    "walk_in_station": True,
    "data_capacity": "basic",
}


def entry(rule_set: RuleSet, answers: dict[str, object], entry_id: str) -> Recommendation:
    result = recommend(rule_set, answers)  # type: ignore[arg-type]
    return next(r for r in result.recommendations if r.entry.id == entry_id)


def test_an_illinois_agency_is_told_of_the_illinois_deflection_act(rule_set: RuleSet) -> None:
    lead = entry(rule_set, {**AGENCY, "state": "il"}, "lead")
    texts = " ".join(c.title + c.text for c in lead.legal_checks)
    assert "50 ILCS 71" in texts and "5 ILCS 820" in texts
    assert lead.legal_note == ""
    assert any("ICJIA" in f.title for f in lead.funding)


def test_a_massachusetts_agency_is_told_what_its_good_samaritan_law_leaves_out(
    rule_set: RuleSet,
) -> None:
    angel = entry(rule_set, {**AGENCY, "state": "ma"}, "angel-program")
    law = next(c for c in angel.legal_checks if c.id == "massachusetts-good-samaritan")
    assert "94C" in law.title
    assert "walks in asking for help without an overdose" in law.text
    assert angel.legal_note == ""


def test_a_state_the_rule_set_knows_nothing_of_is_said_plainly(rule_set: RuleSet) -> None:
    lead = entry(rule_set, {**AGENCY, "state": "vt"}, "lead")
    assert lead.legal_note == "padtool has no state-specific law for Vermont."
    assert not any("ILCS" in c.text for c in lead.legal_checks)
    assert entry(rule_set, AGENCY, "lead").legal_note == "Add your state to see state-specific law."


def test_the_no_charge_promise_check_names_the_gloucester_letter(rule_set: RuleSet) -> None:
    for entry_id in ("angel-program", "self-referral", "lead", "officer-intervention"):
        checks = entry(rule_set, AGENCY, entry_id).legal_checks
        promise = next(c for c in checks if c.id == "no-charge-promise")
        assert "May 20" in promise.text and "2015" in promise.text


def test_funding_already_secured_is_not_suggested_again(rule_set: RuleSet) -> None:
    before = {f.id for f in entry(rule_set, AGENCY, "naloxone-plus").funding}
    secured = {**AGENCY, "funding_secured": ["opioid_settlement"]}
    after = {f.id for f in entry(rule_set, secured, "naloxone-plus").funding}
    assert "opioid-settlement" in before
    assert after == before - {"opioid-settlement"}


def test_mobile_crisis_funding_names_the_match_and_its_end(rule_set: RuleSet) -> None:
    funding = entry(rule_set, AGENCY, "community-response").funding
    medicaid = next(f for f in funding if f.id == "medicaid-mobile-crisis")
    assert "85 percent" in medicaid.text and "12 fiscal quarters" in medicaid.text
    assert "to March 31, 2027" in medicaid.text  # the end is said in words, not as its date


def test_no_fact_is_dated_in_the_future(rule_set: RuleSet) -> None:
    """'As of' is when a fact held (an undated page: the year it was read), never a date to
    come: '(As of 2027-03-31.)' read as a fact from the future."""
    today = date.today().isoformat()
    assert [f.id for f in rule_set.funding if f.as_of > today] == []


def test_every_legal_and_funding_item_is_sourced_and_names_real_entries(
    rule_set: RuleSet,
) -> None:
    ids = {e.id for e in rule_set.entries} | {"all"}
    items = (*rule_set.legal_checks, *rule_set.funding)
    assert len(rule_set.legal_checks) >= 5 and len(rule_set.funding) >= 6
    for item in items:
        assert item.sources, item.id
        assert all(s.is_url for s in item.sources), item.id
        assert set(item.applies_to) <= ids, item.id
    assert all(f.as_of for f in rule_set.funding)
    # every bundled entry has at least one legal check and one way to pay for it
    for e in rule_set.entries:
        assert any(i.applies_to_entry(e) for i in rule_set.legal_checks), e.id
        assert any(i.applies_to_entry(e) for i in rule_set.funding), e.id


def test_the_state_question_brings_no_warning_per_state(rule_set: RuleSet) -> None:
    warnings = [str(w) for w in lint(rule_set)]
    assert not any("question state:" in w or "funding_secured" in w for w in warnings), warnings
    assert not any("legal check" in w or "funding item" in w for w in warnings), warnings


# --- the crisis system ---------------------------------------------------------------------

CRISIS_CITY = {
    **AGENCY,
    "challenges": ["bh_crisis_calls", "welfare_checks"],
    "crisis_call_volume": "daily",
    "resources": ["mobile_crisis", "clinicians", "crisis_center"],
}


def test_988_answered_in_state_moves_community_response_up(rule_set: RuleSet) -> None:
    """SAMHSA's 'someone to contact': a local 988 line can route calls to a community team."""
    in_state = entry(rule_set, {**CRISIS_CITY, "crisis_line": "in_state"}, "community-response")
    unknown = entry(rule_set, {**CRISIS_CITY, "crisis_line": "unknown"}, "community-response")
    backup = entry(rule_set, {**CRISIS_CITY, "crisis_line": "backup"}, "community-response")
    assert in_state.score > unknown.score > backup.score


def test_a_round_the_clock_mobile_team_helps_cit_and_community_response(
    rule_set: RuleSet,
) -> None:
    """SAMHSA's 'someone to respond', available 24/7: CIT officers and a community response can
    hand people to it at any hour."""
    always = {**CRISIS_CITY, "mobile_crisis_hours": "around_the_clock"}
    for entry_id in ("crisis-intervention-team", "community-response"):
        assert (
            entry(rule_set, always, entry_id).score > entry(rule_set, CRISIS_CITY, entry_id).score
        )


def test_a_part_time_mobile_team_makes_room_for_co_responders(rule_set: RuleSet) -> None:
    limited = {**CRISIS_CITY, "mobile_crisis_hours": "limited"}
    unknown = {**CRISIS_CITY, "mobile_crisis_hours": "unknown"}
    co = "co-responder"
    assert entry(rule_set, limited, co).score > entry(rule_set, unknown, co).score
    # "Don't know" is not "no": it does not count against co-responders either
    assert entry(rule_set, unknown, co).score >= entry(rule_set, CRISIS_CITY, co).score


# --- through the CLI -------------------------------------------------------------------------


def test_the_json_report_carries_the_legal_checks_and_funding(run: Run, tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({**AGENCY, "state": "il"}), encoding="utf-8")
    done = run("recommend", "--answers", str(answers), "--format", "json")
    assert done.returncode == 0, done.stderr
    lead = next(r for r in json.loads(done.stdout)["recommendations"] if r["id"] == "lead")
    assert any("50 ILCS 71" in c["title"] for c in lead["legal_checks"])
    assert all(c["sources"] for c in lead["legal_checks"] + lead["funding"])
    assert lead["legal_note"] is None
    assert all(f["as_of"] for f in lead["funding"])


def test_the_markdown_report_has_both_sections(run: Run, tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({**AGENCY, "state": "vt"}), encoding="utf-8")
    done = run("recommend", "--answers", str(answers), "--format", "md")
    assert done.returncode == 0, done.stderr
    # Named by title under each pathway, explained once in sections of their own.
    assert "### Check with counsel and how others pay for it" in done.stdout
    assert (
        "\n## Check with counsel\n" in done.stdout and "\n## How others pay for it\n" in done.stdout
    )
    assert done.stdout.count("Who may promise that no charges follow**:") == 1
    assert "padtool has no state-specific law for Vermont." in done.stdout


@pytest.mark.parametrize("kind", ["legal", "funding"])
def test_schema_command_prints_the_new_schemas(run: Run, kind: str) -> None:
    done = run("schema", kind)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["title"] == f"padtool {kind}.yaml"
