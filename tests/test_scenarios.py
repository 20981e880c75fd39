"""The bundled scenario library: sample jurisdictions a trainer loads at a workshop.

Each scenario file (pathways/scenarios/<id>.yaml) holds a narrative read aloud, the web sources
of its facts, a complete answers set, and the entries the domain brief's heuristics put in its
starting set (`expected`). These tests hold the files to that format and the engine to
`expected`, and drive the commands that use them.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pexpect
import pytest

from conftest import PADTOOL, Run, write
from padtool.engine import recommend
from padtool.errors import PadtoolError, Problem
from padtool.model import RuleSet
from padtool.rulefiles import bundled_rules_dir
from padtool.scenarios import find_scenario, load_scenarios, read_scenario

BUNDLED = sorted(p.stem for p in (bundled_rules_dir() / "scenarios").glob("*.yaml"))
# The six jurisdictions the workshop brief asked for.
WORKSHOP = {
    "rural-overdoses",
    "crisis-calls-city",
    "downtown-homelessness",
    "suburb-juvenile-citation",
    "large-county-sheriff",
    "prosecutor-holds-charges",
}
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")

GOOD = """\
id: sample
title: A sample town
narrative: >-
  One. Two. Three.
expected: [naloxone-plus]
sources: [https://ptaccollaborative.org/about/]
answers:
  agency_name: "Sample PD"
  agency_type: municipal_police
  sworn_officers: 20
  setting: rural
  challenges: [overdoses]
  overdose_frequency: 5_to_19
  hot_spots: false
  resources: [ems_overdose_data]
  crisis_training: none
  prosecutor: unknown
  partners: []
  citation_allowed: true
  civil_citation: none
  walk_in_station: false
  data_capacity: basic
  treatment_intake: within_48h
  treatment_travel: unknown
  residents_avoid_police: unknown
"""


def problems_of(path: Path, rule_set: RuleSet) -> list[Problem]:
    with pytest.raises(PadtoolError) as caught:
        read_scenario(path, rule_set)
    return caught.value.problems


# --- The bundled files --------------------------------------------------------------------


def test_library_holds_the_workshop_scenarios(rule_set: RuleSet) -> None:
    assert set(BUNDLED) >= WORKSHOP
    assert [s.id for s in load_scenarios(rule_set)] == BUNDLED


@pytest.mark.parametrize("scenario_id", BUNDLED)
def test_bundled_scenario_loads_and_its_expected_entries_start(
    rule_set: RuleSet, scenario_id: str
) -> None:
    scenario = find_scenario(rule_set, scenario_id)
    result = recommend(rule_set, scenario.answers)
    starting = [r.entry.id for r in result.starting_set]
    assert scenario.expected or scenario.readiness == "nothing-yet", "it says what should start"
    assert set(scenario.expected) <= set(starting), starting
    assert not set(scenario.excluded) & set(starting), starting
    if scenario.readiness == "nothing-yet":
        assert starting == [] and result.build_first, starting
    elif scenario.readiness:
        assert result.starting_set[0].readiness == scenario.readiness
    assert result.ignored == ()  # a teaching example answers only what applies
    assert result.agency  # the report has a title


@pytest.mark.parametrize("scenario_id", BUNDLED)
def test_bundled_scenario_reads_aloud_and_cites_its_sources(
    rule_set: RuleSet, scenario_id: str
) -> None:
    scenario = find_scenario(rule_set, scenario_id)
    sentences = SENTENCE_END.split(scenario.narrative)
    assert 3 <= len(sentences) <= 5, sentences
    assert "\n" not in scenario.narrative and "\n" not in scenario.title
    assert scenario.sources and all(s.startswith("https://") for s in scenario.sources)


def test_scenario_id_is_found_ignoring_case_and_prefix(rule_set: RuleSet) -> None:
    assert find_scenario(rule_set, " Rural-Overdoses ").id == "rural-overdoses"
    assert find_scenario(rule_set, "scenario:rural-overdoses").id == "rural-overdoses"


# --- Broken scenario files -----------------------------------------------------------------


def test_good_scenario_file_reads(tmp_path: Path, rule_set: RuleSet) -> None:
    scenario = read_scenario(write(tmp_path / "sample.yaml", GOOD), rule_set)
    assert scenario.id == "sample"
    assert scenario.narrative == "One. Two. Three."
    assert scenario.answers["overdose_frequency"] == "5_to_19"


def test_unknown_key_is_located(tmp_path: Path, rule_set: RuleSet) -> None:
    path = write(tmp_path / "sample.yaml", GOOD.replace("title:", "titel:"))
    assert problems_of(path, rule_set) == [
        Problem(str(path), "unknown key (did you mean 'title'?)", 2, 1, "titel"),
        Problem(str(path), "missing required key 'title'", 1, 1, None),
    ]


def test_bad_option_value_is_located_under_answers(tmp_path: Path, rule_set: RuleSet) -> None:
    path = write(tmp_path / "sample.yaml", GOOD.replace("frequency: 5_to_19", "frequency: 5_to_91"))
    assert problems_of(path, rule_set) == [
        Problem(
            str(path),
            "'5_to_91' is not an option (did you mean '5_to_19'?)",
            13,
            23,
            "answers.overdose_frequency",
        )
    ]


def test_every_problem_of_a_file_is_listed(tmp_path: Path, rule_set: RuleSet) -> None:
    text = (
        GOOD.replace("id: sample", "id: other")
        .replace("[naloxone-plus]", "[naloxone-pluss]")
        .replace("[https://ptaccollaborative.org/about/]", "[see the brief]")
        .replace(
            "  crisis_training: none\n", "  crisis_training: none\n  crisis_call_volume: daily\n"
        )
        .replace("  data_capacity: basic\n", "")
    )
    path = write(tmp_path / "sample.yaml", text)
    found = [(p.line, p.key, p.message) for p in problems_of(path, rule_set)]
    assert found == [
        (1, "id", "must match the file name 'sample'"),
        (5, "expected[0]", "no entry 'naloxone-pluss' (did you mean 'naloxone-plus'?)"),
        (6, "sources[0]", "expected a web address, found 'see the brief'"),
        # A missing answer has no line of its own: it is shown at the answers mapping.
        (7, "answers.data_capacity", "required answer missing"),
        (
            17,
            "answers.crisis_call_volume",
            "the question does not apply given the other answers; remove this answer",
        ),
    ]


def test_answers_must_be_a_mapping(tmp_path: Path, rule_set: RuleSet) -> None:
    path = write(tmp_path / "sample.yaml", GOOD.split("answers:")[0] + "answers: [overdoses]\n")
    assert problems_of(path, rule_set) == [
        Problem(str(path), "expected a mapping of answers, found a list", 7, 10, "answers")
    ]


def test_broken_file_in_the_library_stops_list_and_is_named(run: Run, rules_copy: Path) -> None:
    broken = rules_copy / "scenarios" / "broken.yaml"
    write(broken, GOOD.replace("id: sample", "id: broken").replace("5_to_19", "5_to_91"))
    result = run("scenarios", "list", "--rules", str(rules_copy))
    assert result.returncode == 2
    assert (
        f"error: {broken}:13:23: answers.overdose_frequency: '5_to_91' is not an option "
        "(did you mean '5_to_19'?)"
    ) in result.stderr
    # The good scenarios still work one at a time.
    shown = run("scenarios", "show", "rural-overdoses", "--rules", str(rules_copy))
    assert shown.returncode == 0, shown.stderr


def test_validate_checks_the_scenarios_of_the_rule_set(run: Run, rules_copy: Path) -> None:
    checked = run("validate", str(rules_copy))
    assert checked.returncode == 0, checked.stderr
    assert "funding items, 12 training scenarios." in checked.stdout
    scenario = rules_copy / "scenarios" / "rural-overdoses.yaml"
    scenario.write_text(scenario.read_text().replace("5_to_19", "5_to_91"))
    # The verdict was kept for the files as they were; an edited scenario is read again.
    broken = run("validate", str(rules_copy))
    assert broken.returncode == 2
    assert f"error: {scenario}:" in broken.stderr
    assert "answers.overdose_frequency: '5_to_91' is not an option" in broken.stderr
    data = json.loads(run("validate", str(rules_copy), "--format", "json").stdout)
    assert data["valid"] is False
    assert [(e["file"], e["key"]) for e in data["errors"]] == [
        (str(scenario), "answers.overdose_frequency")
    ]


def test_a_scenario_of_an_overlay_is_validated_with_it(run: Run, tmp_path: Path) -> None:
    overlay = tmp_path / "county"
    assert run("init-overlay", str(overlay)).returncode == 0
    (overlay / "scenarios").mkdir()
    write(overlay / "scenarios" / "broken.yaml", "id: broken\ntitle: [not, text]\n")
    result = run("validate", str(overlay))
    assert result.returncode == 2
    assert f"{overlay / 'scenarios' / 'broken.yaml'}:" in result.stderr


# --- Commands -------------------------------------------------------------------------------


def test_new_commands_have_help(run: Run) -> None:
    for command in (["scenarios", "list"], ["scenarios", "show"], ["compare"]):
        result = run(*command, "--help")
        assert result.returncode == 0, command
        assert "Usage: padtool " + " ".join(command) in result.stdout
    assert "--scenario" in run("recommend", "--help").stdout
    assert "--scenario" in run("interview", "--help").stdout


def test_scenarios_list_json(run: Run) -> None:
    result = run("scenarios", "list", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [s["id"] for s in data] == BUNDLED
    assert all(set(s) == {"id", "title", "expected"} and s["title"] for s in data)
    rural = next(s for s in data if s["id"] == "rural-overdoses")
    assert rural["expected"] == ["quick-response-team"]


def test_scenarios_list_table(run: Run) -> None:
    result = run("scenarios", "list")
    assert result.returncode == 0, result.stderr
    assert "Training scenarios" in result.stdout and "\x1b[" not in result.stdout
    for scenario_id in BUNDLED:
        assert scenario_id in result.stdout


def test_scenarios_show_json_gives_answers_in_words(run: Run) -> None:
    result = run("scenarios", "show", "rural-overdoses", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["id"] == "rural-overdoses" and data["title"]
    assert 3 <= len(SENTENCE_END.split(data["narrative"])) <= 5
    assert data["sources"] and data["expected"] == ["quick-response-team"]
    answers = {a["question"]: a for a in data["answers"]}
    assert answers["overdose_frequency"]["value"] == "5_to_19"
    assert answers["overdose_frequency"]["answer"] == "5 to 19 a month"
    assert answers["hot_spots"]["answer"] == "no"
    assert answers["challenges"]["answer"] == (
        "Opioid or other drug overdoses, Substance use problems behind many contacts"
    )
    assert answers["agency_name"]["prompt"] == "What is the name of your agency?"


def test_scenarios_show_table(run: Run) -> None:
    result = run("scenarios", "show", "rural-overdoses")
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.replace("│", " ").split())
    assert "Rural county with rising overdoses and one treatment provider" in text
    assert "Cedar Fork County Sheriff's Office" in text
    assert "5 to 19 a month" in text  # the label, not the stored value
    assert "https://naco.org/resources/opioid-solutions/approved-strategies/port" in text


def test_a_scenario_that_expects_nothing_yet_says_so(run: Run) -> None:
    listed = " ".join(run("scenarios", "list").stdout.replace("│", " ").split())
    assert "with few resources Expected: nothing to start yet, only what to build first" in listed
    shown = run("scenarios", "show", "no-services-town", env={"COLUMNS": "80"}).stdout
    lines = [line.strip("│ ") for line in shown.splitlines()]
    # the whole title, longer than the panel is wide, wraps instead of being cut
    assert "Small town with overdoses and behavioral-health calls but no services at all" in lines
    assert "Expected: nothing to start yet, only what to build first" in lines


def test_unknown_scenario_suggests_the_closest(run: Run) -> None:
    for args in (
        ["scenarios", "show", "rural-overdose"],
        ["recommend", "--scenario", "rural-overdose"],
        ["interview", "--scenario", "rural-overdose"],
    ):
        result = run(*args)
        assert result.returncode == 2, args
        assert result.stderr == (
            "error: no scenario 'rural-overdose' (did you mean 'rural-overdoses'?); "
            "see: padtool scenarios list\n"
        ), args


def test_recommend_scenario_json_is_the_same_as_its_answers_file(
    run: Run, rule_set: RuleSet, tmp_path: Path
) -> None:
    scenario = find_scenario(rule_set, "prosecutor-holds-charges")
    answers = write(tmp_path / "a.json", json.dumps(scenario.answers))
    by_scenario = run("recommend", "--scenario", scenario.id, "--format", "json")
    by_file = run("recommend", "--answers", str(answers), "--format", "json")
    assert by_scenario.returncode == 0, by_scenario.stderr
    assert by_scenario.stdout == by_file.stdout
    data = json.loads(by_scenario.stdout)
    assert data["agency"] == "Lakeport Police Department"
    first = [r["id"] for r in data["recommendations"] if r["first_choice"]]
    assert first == ["lead"]


def test_recommend_needs_exactly_one_of_answers_and_scenario(run: Run, tmp_path: Path) -> None:
    answers = write(tmp_path / "a.yaml", "agency_name: X\n")
    both = run("recommend", "--answers", str(answers), "--scenario", "rural-overdoses")
    neither = run("recommend")
    assert both.returncode == neither.returncode == 2
    assert "Give --answers FILE or --scenario ID, not both." in both.stderr
    assert "Missing option: give --answers FILE or --scenario ID." in neither.stderr
    assert both.stdout == neither.stdout == ""
    assert "Usage: padtool recommend" in both.stderr
    interview = run("interview", "--answers", str(answers), "--scenario", "rural-overdoses")
    assert interview.returncode == 2
    assert "Give --answers FILE or --scenario ID, not both." in interview.stderr


def test_interview_from_a_scenario_lets_the_trainer_change_one_answer(tmp_path: Path) -> None:
    """Pre-filled from the scenario, the interview goes straight to the review screen; the
    trainer turns the prosecutor's agreement into a refusal and LEAD stops being first."""
    env = {
        **os.environ,
        "NO_COLOR": "1",
        "TERM": "xterm",
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "SOURCE_DATE_EPOCH": "1764028800",
        "PROMPT_TOOLKIT_NO_CPR": "1",
    }
    child = pexpect.spawn(
        str(PADTOOL),
        [
            *("interview", "--scenario", "prosecutor-holds-charges"),
            *("--output", "r.json", "--format", "json", "--save-answers", "a.yaml"),
        ],
        cwd=str(tmp_path),
        env=env,
        encoding="utf-8",
        timeout=20,
        dimensions=(40, 100),
    )
    down, enter = "\x1b[B", "\r"
    child.expect("Anything to change")
    child.send(down + enter)  # Change an answer
    child.expect("Which answer")
    child.send(down * 14 + enter)  # 15. the prosecutor question
    child.expect("Where does your prosecutor stand")
    child.send(down * 3 + enter)  # from "agreement" to "opposed"
    child.expect("Anything to change")
    child.send(enter)  # See the results
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert 'prosecutor: "opposed"' in (tmp_path / "a.yaml").read_text()
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["agency"] == "Lakeport Police Department"
    lead = next(r for r in report["recommendations"] if r["id"] == "lead")
    assert not lead["first_choice"] and not lead["recommended"]


def test_list_items_are_read_as_rule_files_read_them(tmp_path: Path, rule_set: RuleSet) -> None:
    text = GOOD.replace("[naloxone-plus]", "[naloxone-plus, 7, naloxone-plus]").replace(
        "sources: [https://ptaccollaborative.org/about/]", "sources: []"
    )
    path = write(tmp_path / "sample.yaml", text)
    found = [(p.line, p.key, p.message) for p in problems_of(path, rule_set)]
    assert found == [
        (5, "expected[1]", "expected text, found the number 7"),
        (5, "expected[2]", "'naloxone-plus' is listed twice"),
        (6, "sources", "must list at least one item"),
    ]
