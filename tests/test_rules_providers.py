"""Providers: when their contact details were checked, how to reach them, and ended programs.

The keys here are what the ranking of providers rests on (checked, contact_type, no_cost,
agency_types) and what keeps ended programs out of the advice (archived).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Run, edited_minimal
from padtool.engine import recommend
from padtool.errors import PadtoolError
from padtool.lint import lint
from padtool.loader import load_rule_set
from padtool.model import CONTACT_TYPES, RuleSet
from padtool.scenarios import find_scenario

HELPER_CHECKED = '    checked: "2026-11-20"\n'
HELPER_SERVES = "    serves: [alpha]\n"


def problems(tmp_path: Path, old: str, new: str) -> list[str]:
    rules = edited_minimal(tmp_path, "providers.yaml", old, new)
    with pytest.raises(PadtoolError) as raised:
        load_rule_set(rules)
    return [f"{p.key}: {p.message}" for p in raised.value.problems]


ARCHIVED = "    archived: {ended: 2019, note: Ended when its grant ran out.}\n"


def test_an_archived_provider_loads_and_serves_no_entry(tmp_path: Path) -> None:
    rules = edited_minimal(tmp_path, "providers.yaml", HELPER_SERVES, ARCHIVED)
    rule_set = load_rule_set(rules)
    helper = next(p for p in rule_set.providers if p.id == "helper")
    assert helper.archived is not None
    assert (helper.archived.ended, helper.archived.replaced_by) == ("2019", "")
    assert helper.serves == ()
    alpha = next(e for e in rule_set.entries if e.id == "alpha")
    assert "helper" not in [p.id for p in rule_set.providers_for(alpha)]
    assert lint(rule_set) == lint(load_rule_set(rules))  # no "serves no entry" warning added
    assert not any("helper" in str(w.key) and "serves" in w.message for w in lint(rule_set))


def test_an_archived_provider_that_still_serves_an_entry_is_an_error(tmp_path: Path) -> None:
    found = problems(tmp_path, HELPER_SERVES, HELPER_SERVES + ARCHIVED)
    assert any(
        f.startswith("providers[0].serves: an archived provider is never recommended")
        for f in found
    )


def test_a_running_provider_must_say_what_it_serves(tmp_path: Path) -> None:
    assert "providers[0]: missing required key 'serves'" in problems(tmp_path, HELPER_SERVES, "")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (HELPER_CHECKED, "", "providers[0]: missing required key 'checked'"),
        (
            HELPER_CHECKED,
            '    checked: "2026-13-01"\n',
            "providers[0].checked: expected a date written YYYY-MM-DD, found '2026-13-01'",
        ),
        (
            HELPER_CHECKED,
            '    checked: "last week"\n',
            "providers[0].checked: expected a date written YYYY-MM-DD, found 'last week'",
        ),
        (
            "    checked_source: https://example.org/helper\n",
            "",
            "providers[0]: missing required key 'checked_source'",
        ),
        (
            "contact_type: website",
            "contact_type: webform",
            "providers[0].contact_type: expected one of "
            + ", ".join(CONTACT_TYPES)
            + ", found 'webform'",
        ),
        (
            HELPER_CHECKED,
            HELPER_CHECKED + "    no_cost: yes\n",
            "providers[0].no_cost: expected true or false, found the text 'yes'",
        ),
        (
            HELPER_CHECKED,
            HELPER_CHECKED + "    agency_types: [tribal]\n",
            "providers[0].agency_types: agency_types name options of the question "
            "'agency_type', which this rule set does not have",
        ),
        (
            HELPER_CHECKED,
            HELPER_CHECKED + "    states: [oh]\n",
            "providers[0].states: states name options of the question set as state_question"
            " in ruleset.yaml, which this rule set does not have",
        ),
        (
            HELPER_SERVES,
            "    archived: {ended: last year, note: Closed.}\n",
            "providers[0].archived.ended: expected a date written YYYY or YYYY-MM-DD, "
            "found 'last year'",
        ),
        (
            HELPER_SERVES,
            "    archived: {ended: 2019}\n",
            "providers[0].archived: missing required key 'note'",
        ),
        (
            HELPER_SERVES,
            "    archived: {ended: 2019, note: Closed., replaced_by: nobody}\n",
            "archived.replaced_by: replaced_by names no other provider: 'nobody'",
        ),
        (
            HELPER_SERVES,
            "    archived: {ended: 2019, note: Closed., replaced_by: helper}\n",
            "archived.replaced_by: replaced_by names no other provider: 'helper'",
        ),
    ],
    ids=[
        "no checked date",
        "impossible date",
        "not a date",
        "no checked source",
        "unknown contact type",
        "yes is not a boolean",
        "agency types without the question",
        "states without a state question",
        "ended is not a date",
        "archived without a note",
        "replaced by nobody",
        "replaced by itself",
    ],
)
def test_bad_provider_keys_are_named(tmp_path: Path, old: str, new: str, expected: str) -> None:
    found = problems(tmp_path, old, new)
    assert any(f.startswith(expected) for f in found), found


def test_a_replacement_that_is_archived_too_is_an_error(tmp_path: Path) -> None:
    rules = edited_minimal(
        tmp_path,
        "providers.yaml",
        HELPER_SERVES,
        "    archived: {ended: 2019, note: Closed., replaced_by: everyone}\n",
    )
    providers = rules / "providers.yaml"
    text = providers.read_text(encoding="utf-8")
    everyone_serves = "    serves: [all]\n"
    providers.write_text(
        text.replace(everyone_serves, "    archived: {ended: 2020, note: Closed too.}\n"),
        encoding="utf-8",
    )
    with pytest.raises(PadtoolError) as raised:
        load_rule_set(rules)
    assert any("which is archived too" in p.message for p in raised.value.problems)


def test_contact_type_the_contact_does_not_bear_out_is_a_warning(tmp_path: Path) -> None:
    rules = edited_minimal(
        tmp_path, "providers.yaml", "contact_type: website", "contact_type: email"
    )
    messages = [w.message for w in lint(load_rule_set(rules))]
    assert "contact_type is email, but the contact gives no e-mail address" in messages


def test_a_state_a_provider_is_limited_to_must_be_a_state_of_the_state_question(
    rules_copy: Path,
) -> None:
    providers = rules_copy / "providers.yaml"
    text = providers.read_text(encoding="utf-8")
    providers.write_text(text.replace("states: [oh]", "states: [ohio]", 1), encoding="utf-8")
    with pytest.raises(PadtoolError) as raised:
        load_rule_set(rules_copy)
    [problem] = raised.value.problems
    line = text[: text.index("states: [oh]")].count("\n") + 1
    assert (Path(problem.file).name, problem.line, problem.key.endswith(".states")) == (
        "providers.yaml",
        line,
        True,
    )
    assert problem.message == "'ohio' is not a state of the state question (did you mean 'oh'?)"


# --- The bundled providers -------------------------------------------------------------------


def test_every_bundled_provider_records_when_and_where_its_contact_was_checked(
    rule_set: RuleSet,
) -> None:
    for provider in rule_set.providers:
        assert len(provider.checked) == 10 and provider.checked_source is not None, provider.id
        if provider.archived is None:
            assert provider.contact_type in CONTACT_TYPES or provider.id in {
                "diversion-hub",
                "qrt-national",
                "rti-cossup",
            }, provider.id


def test_bundled_contacts_say_nothing_the_sources_did_not(rule_set: RuleSet) -> None:
    for provider in rule_set.providers:
        for text in (provider.contact, provider.cost):
            assert "not stated" not in text.lower(), provider.id
            assert "not in the sources" not in text.lower(), provider.id
        assert "o2sl.com" not in provider.url, provider.id
    nttac = next(p for p in rule_set.providers if p.id == "bja-nttac")
    assert "bjanttac@usdoj.gov" in nttac.contact
    assert not any(c.isdigit() for c in nttac.contact)  # the unsourced phone number is gone
    assert (nttac.contact_type, nttac.no_cost, nttac.agency_types) == (
        "request-form",
        True,
        ("tribal",),
    )


def test_ended_programs_are_archived_and_never_recommended(rule_set: RuleSet) -> None:
    archived = {p.id: p.archived for p in rule_set.providers if p.archived is not None}
    assert set(archived) == {"vera-serving-safely", "white-bird-cahoots"}
    assert archived["white-bird-cahoots"].ended == "2025-04-07"
    assert "April 7, 2025" in archived["white-bird-cahoots"].note
    assert archived["vera-serving-safely"].ended == "2019"
    for entry in rule_set.entries:
        assert not {p.id for p in rule_set.providers_for(entry)} & set(archived), entry.id


def test_cahoots_stays_a_model_of_community_response_with_its_end_date(rule_set: RuleSet) -> None:
    community = next(e for e in rule_set.entries if e.id == "community-response")
    cahoots = [x for x in community.examples if "CAHOOTS" in x.name]
    assert len(cahoots) == 1 and "April 7, 2025" in cahoots[0].name
    assert any("April 7, 2025" in note for note in community.notes)


def test_providers_list_shows_the_new_keys_and_leaves_archived_ones_out_of_a_pathway(
    run: Run,
) -> None:
    listed = json.loads(run("providers", "list", "--format", "json").stdout)
    by_id = {p["id"]: p for p in listed}
    assert by_id["white-bird-cahoots"]["archived"]["ended"] == "2025-04-07"
    assert by_id["iir-cossup"]["contact_type"] == "mentor-site"
    assert by_id["paari"]["no_cost"] is True and by_id["paari"]["checked"] == "2026-12-02"
    assert by_id["ptacc"]["no_cost"] is None and by_id["ptacc"]["archived"] is None
    served = json.loads(
        run("providers", "list", "--pathway", "community-response", "--format", "json").stdout
    )
    assert "white-bird-cahoots" not in {p["id"] for p in served}


def _call_list(rule_set: RuleSet, entry_id: str, state: str | None) -> list[str]:
    answers = dict(find_scenario(rule_set, "crisis-calls-city").answers)
    answers.pop("state", None)
    if state:
        answers["state"] = state
    recs = recommend(rule_set, answers).recommendations
    return [p.id for r in recs if r.entry.id == entry_id for p in r.providers]


def test_a_provider_limited_to_ohio_is_offered_only_to_an_ohio_agency(rule_set: RuleSet) -> None:
    # NEOMED's center is Ohio's statewide center: an Ohio agency calls it first for CIT, ahead
    # of the national CIT providers; an Illinois agency never sees it.
    ohio = _call_list(rule_set, "crisis-intervention-team", "oh")
    assert ohio[0] == "neomed-cjccoe" and "cit-center" in ohio
    illinois = _call_list(rule_set, "crisis-intervention-team", "il")
    assert "neomed-cjccoe" not in illinois and "cit-center" in illinois
    # No state answered: it may still concern the agency, so it is listed, after the others.
    unknown = _call_list(rule_set, "crisis-intervention-team", None)
    assert unknown[-1] == "neomed-cjccoe"


def test_an_illinois_report_names_no_ohio_provider(run: Run, tmp_path: Path) -> None:
    done = run("recommend", "--scenario", "crisis-calls-city", "--format", "json")
    assert done.returncode == 0, done.stderr
    answers = json.loads(done.stdout)["answers"]
    for state, shown in (("oh", True), ("il", False)):
        answers["state"] = state
        path = tmp_path / f"{state}.json"
        path.write_text(json.dumps(answers), encoding="utf-8")
        report = run("recommend", "--answers", str(path), "--format", "md")
        assert report.returncode == 0, report.stderr
        assert ("NEOMED" in report.stdout) is shown, state
