"""Local overlays: a folder laid over a rule set that adds, overrides or disables by id."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import MINIMAL_ANSWERS, MINIMAL_RULES, Run
from padtool.errors import PadtoolError
from padtool.loader import load_rule_set

LOCAL_PROVIDER = """\
providers:
  - id: county-crisis
    name: County Crisis Center
    offers: Walk-in crisis stabilization, day and night.
    serves: [alpha]
    url: https://county.example/crisis
    contact: 555-0100
    sources: [https://county.example/crisis]
    checked: "2026-11-20"
    checked_source: https://county.example/crisis
"""

GAMMA = """\
id: gamma
name: Gamma local pathway
kind: pathway
summary: A county's own pathway.
definition: Officers refer people to the county crisis center.
initiated_by: An officer.
charges: none
fit:
  - when: {question: challenges, includes: crisis}
    weight: 4
    reason: You reported crisis calls.
sources: [https://county.example/gamma]
"""

COUNTY_JAIL = """\
questions:
  - id: county_jail
    prompt: Does the county run its own jail?
    help: Yes or no.
    type: confirm
"""


def make_overlay(root: Path, files: dict[str, str], name: str = "Rivertown County") -> Path:
    folder = root / "overlay"
    (folder / "entries").mkdir(parents=True, exist_ok=True)
    (folder / "overlay.yaml").write_text(f"name: {name}\n", encoding="utf-8")
    for relative, text in files.items():
        (folder / relative).write_text(text, encoding="utf-8")
    return folder


def answers_file(root: Path, text: str = MINIMAL_ANSWERS) -> str:
    path = root / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def problems_of(*folders: Path) -> str:
    with pytest.raises(PadtoolError) as caught:
        load_rule_set(*folders)
    return "\n".join(str(p) for p in caught.value.problems)


# --- adding -------------------------------------------------------------------------------


def test_an_overlay_adds_a_provider_and_a_pathway(tmp_path: Path) -> None:
    overlay = make_overlay(
        tmp_path, {"providers.yaml": LOCAL_PROVIDER, "entries/gamma.yaml": GAMMA}
    )
    rule_set = load_rule_set(MINIMAL_RULES, overlay)
    assert [e.id for e in rule_set.entries] == ["alpha", "beta", "gamma"]
    gamma = rule_set.entries[2]
    assert gamma.origin is not None and gamma.origin.overlay == "Rivertown County"
    assert not gamma.origin.replaces
    assert rule_set.entries[0].origin is None  # the rule set's own stay unmarked
    alpha = rule_set.entries[0]
    assert [p.id for p in rule_set.providers_for(alpha)] == ["helper", "county-crisis", "everyone"]
    assert [o.name for o in rule_set.overlays] == ["Rivertown County"]


def test_the_report_marks_what_comes_from_the_overlay(run: Run, tmp_path: Path) -> None:
    overlay = make_overlay(tmp_path, {"providers.yaml": LOCAL_PROVIDER})
    answers = answers_file(tmp_path)
    args = ["recommend", "--rules", str(MINIMAL_RULES), "--rules", str(overlay)]
    report = run(*args, "--answers", answers, "--format", "md")
    assert report.returncode == 0, report.stderr
    assert "with the local overlay(s) Rivertown County." in report.stdout
    line = next(
        x for x in report.stdout.splitlines() if "County Crisis Center" in x and "Helps with" in x
    )
    assert "*(From the local overlay Rivertown County)*" in line
    helper = next(x for x in report.stdout.splitlines() if "Helper Org" in x)
    assert "overlay" not in helper

    data = json.loads(run(*args, "--answers", answers, "--format", "json").stdout)
    assert data["rule_set"]["overlays"] == [{"name": "Rivertown County", "description": ""}]
    alpha = next(r for r in data["recommendations"] if r["id"] == "alpha")
    origins = {p["id"]: p["origin"] for p in [alpha["call_first"], *alpha["providers"]]}
    assert origins["county-crisis"] == {"overlay": "Rivertown County", "replaces": False}
    assert origins["helper"] is None

    terminal = run(*args, "--answers", answers)
    assert "from the local overlay Rivertown County" in terminal.stdout


def test_providers_list_marks_local_providers(run: Run, tmp_path: Path) -> None:
    overlay = make_overlay(tmp_path, {"providers.yaml": LOCAL_PROVIDER})
    rules = ["--rules", str(MINIMAL_RULES), "--rules", str(overlay)]
    listed = run("providers", "list", *rules, env={"COLUMNS": "200"})
    assert listed.returncode == 0, listed.stderr
    local = listed.stdout[listed.stdout.index("county-crisis") :]
    assert "From the local overlay Rivertown County" in local
    assert "From the local overlay" not in listed.stdout[: listed.stdout.index("county-crisis")]
    data = json.loads(
        run(
            "providers",
            "list",
            "--rules",
            str(MINIMAL_RULES),
            "--rules",
            str(overlay),
            "--format",
            "json",
        ).stdout
    )
    assert [p["origin"] is not None for p in data] == [False, False, True]


def test_an_overlay_alone_is_laid_over_the_bundled_set(run: Run, tmp_path: Path) -> None:
    bundled = json.loads(run("providers", "list", "--format", "json").stdout)
    provider = LOCAL_PROVIDER.replace("[alpha]", "[co-responder]")
    overlay = make_overlay(tmp_path, {"providers.yaml": provider})
    checked = run("validate", str(overlay))
    assert checked.returncode == 0, checked.stderr
    assert "+ overlay 'Rivertown County'" in checked.stdout
    assert f"{len(bundled) + 1} providers" in checked.stdout


def test_padtool_rules_lists_the_folders_and_rules_replaces_it(run: Run, tmp_path: Path) -> None:
    overlay = make_overlay(tmp_path, {"providers.yaml": LOCAL_PROVIDER})
    env = {"PADTOOL_RULES": f"{MINIMAL_RULES}:{overlay}:"}  # an empty part is skipped
    listed = run("providers", "list", "--format", "json", env=env)
    assert [p["id"] for p in json.loads(listed.stdout)] == ["helper", "everyone", "county-crisis"]
    only_minimal = run(
        "providers", "list", "--format", "json", "--rules", str(MINIMAL_RULES), env=env
    )
    assert [p["id"] for p in json.loads(only_minimal.stdout)] == ["helper", "everyone"]


def test_editing_an_overlay_is_seen_at_once(run: Run, tmp_path: Path) -> None:
    overlay = make_overlay(tmp_path, {"providers.yaml": LOCAL_PROVIDER})
    args = ["providers", "list", "--format", "json", "--rules", str(MINIMAL_RULES)]
    first = run(*args, "--rules", str(overlay))
    assert "County Crisis Center" in first.stdout  # and now cached
    (overlay / "providers.yaml").write_text(
        LOCAL_PROVIDER.replace("County Crisis Center", "Renamed Center"), encoding="utf-8"
    )
    second = run(*args, "--rules", str(overlay))
    assert "Renamed Center" in second.stdout and "County Crisis Center" not in second.stdout


# --- overriding ---------------------------------------------------------------------------


def test_override_replaces_in_place_and_is_marked(tmp_path: Path) -> None:
    question = """\
questions:
  - id: prosecutor
    override: true
    prompt: Will the district attorney decline to file charges?
    help: A written policy counts.
    type: confirm
"""
    entry = (MINIMAL_RULES / "entries" / "alpha.yaml").read_text(encoding="utf-8")
    entry = entry.replace("name: Alpha pathway", "override: true\nname: Alpha, county style")
    overlay = make_overlay(tmp_path, {"questions.yaml": question, "entries/alpha.yaml": entry})
    rule_set = load_rule_set(MINIMAL_RULES, overlay)
    assert [q.id for q in rule_set.questions][-1] == "prosecutor"  # same place in the order
    assert rule_set.questions[-1].prompt.startswith("Will the district attorney")
    alpha = rule_set.entries[0]
    assert (alpha.id, alpha.name) == ("alpha", "Alpha, county style")
    assert alpha.origin is not None and alpha.origin.replaces
    assert alpha.origin.label().endswith("in place of the rule set's own")


def test_an_overridden_option_breaks_the_conditions_that_name_it(tmp_path: Path) -> None:
    question = """\
questions:
  - id: overdose_level
    override: true
    prompt: How often are overdoses?
    help: A rough count is fine.
    type: single
    options:
      - {value: daily, label: Every day}
      - {value: rarely, label: Rarely}
"""
    overlay = make_overlay(tmp_path, {"questions.yaml": question})
    found = problems_of(MINIMAL_RULES, overlay)
    assert "entries/alpha.yaml" in found
    assert "'weekly' is not an option of 'overdose_level'" in found


# --- disabling ----------------------------------------------------------------------------


def test_disabled_entries_and_providers_are_gone(run: Run, tmp_path: Path) -> None:
    overlay = make_overlay(
        tmp_path,
        {
            "entries/beta.yaml": "id: beta\ndisabled: true\n",
            "providers.yaml": "providers:\n  - id: helper\n    disabled: true\n",
        },
    )
    rule_set = load_rule_set(MINIMAL_RULES, overlay)
    assert [e.id for e in rule_set.entries] == ["alpha"]
    assert [p.id for p in rule_set.providers] == ["everyone"]
    result = run(
        "recommend",
        "--rules",
        str(MINIMAL_RULES),
        "--rules",
        str(overlay),
        "--answers",
        answers_file(tmp_path),
        "--format",
        "json",
    )
    assert [r["id"] for r in json.loads(result.stdout)["recommendations"]] == ["alpha"]


def test_a_provider_serving_a_disabled_entry_serves_the_others(tmp_path: Path) -> None:
    provider = LOCAL_PROVIDER.replace("[alpha]", "[alpha, beta]")
    base = make_overlay(tmp_path / "base", {"providers.yaml": provider}, name="Region")
    overlay = make_overlay(tmp_path, {"entries/beta.yaml": "id: beta\ndisabled: true\n"})
    rule_set = load_rule_set(MINIMAL_RULES, base, overlay)
    assert rule_set.providers[-1].serves == ("alpha",)


def test_disabling_a_question_others_use_names_both_files(run: Run, tmp_path: Path) -> None:
    overlay = make_overlay(
        tmp_path, {"questions.yaml": "questions:\n  - id: prosecutor\n    disabled: true\n"}
    )
    result = run("validate", str(MINIMAL_RULES), str(overlay))
    assert result.returncode == 2
    alpha = MINIMAL_RULES / "entries" / "alpha.yaml"
    assert (
        f"error: {alpha}:26:17: prerequisites[0].when.question: question 'prosecutor' is "
        f"disabled by {overlay / 'questions.yaml'}"
    ) in result.stderr
    assert "Traceback" not in result.stderr


def test_a_later_overlay_may_bring_back_a_disabled_id(tmp_path: Path) -> None:
    first = make_overlay(tmp_path / "a", {"entries/beta.yaml": "id: beta\ndisabled: true\n"})
    beta = (MINIMAL_RULES / "entries" / "beta.yaml").read_text(encoding="utf-8")
    second = make_overlay(tmp_path / "b", {"entries/beta.yaml": beta}, name="Second")
    rule_set = load_rule_set(MINIMAL_RULES, first, second)
    beta_entry = rule_set.entries[-1]
    assert beta_entry.id == "beta" and beta_entry.origin is not None
    assert beta_entry.origin.overlay == "Second"


# --- mistakes -----------------------------------------------------------------------------


def test_an_accidental_clash_names_both_files(run: Run, tmp_path: Path) -> None:
    clash = LOCAL_PROVIDER.replace("county-crisis", "helper")
    overlay = make_overlay(tmp_path, {"providers.yaml": clash})
    result = run("validate", str(MINIMAL_RULES), str(overlay))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"error: {overlay / 'providers.yaml'}:2:9: providers[0].id: provider 'helper' is already "
        f"defined in {MINIMAL_RULES / 'providers.yaml'}:2:5; add 'override: true' to replace it "
        "or 'disabled: true' to remove it"
    )


def test_an_entry_file_clash_names_both_files(tmp_path: Path) -> None:
    overlay = make_overlay(tmp_path, {"entries/alpha.yaml": GAMMA.replace("gamma", "alpha")})
    found = problems_of(MINIMAL_RULES, overlay)
    assert (
        f"entry 'alpha' is already defined in {MINIMAL_RULES / 'entries' / 'alpha.yaml'}" in found
    )


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"providers.yaml": "providers:\n  - id: helpr\n    disabled: true\n"},
            "providers[0].id: no provider 'helpr' in the folders before this overlay to disable "
            "(did you mean 'helper'?)",
        ),
        (
            {"questions.yaml": "questions:\n  - id: officers\n    disabled: false\n"},
            "questions[0].disabled: write 'disabled: true', or leave the key out",
        ),
        (
            {
                "questions.yaml": "questions:\n  - id: officers\n    disabled: true\n    type: text\n"
            },
            "questions[0].type: a disabled question needs only 'id' and 'disabled: true'",
        ),
        (
            {
                "questions.yaml": "questions:\n  - id: officers\n    disabled: true\n"
                "    override: true\n"
            },
            "questions[0].disabled: give override or disabled, not both",
        ),
        (
            {"entries/beta.yaml": "id: alpha\ndisabled: true\n"},
            "'disabled' needs the id ('beta', as its file name)",
        ),
        (
            {"providers.yaml": "providers:\n  - override: true\n    name: Helper\n"},
            "providers[0]: 'override' needs the id",
        ),
    ],
)
def test_overlay_mistakes(tmp_path: Path, files: dict[str, str], expected: str) -> None:
    overlay = make_overlay(tmp_path, files)
    assert expected in problems_of(MINIMAL_RULES, overlay)


def test_override_outside_an_overlay_is_an_error(tmp_path: Path) -> None:
    from conftest import edited_minimal

    rules = edited_minimal(
        tmp_path, "providers.yaml", "  - id: helper\n", "  - id: helper\n    override: true\n"
    )
    assert "'override' belongs in an overlay" in problems_of(rules)


def test_every_folder_after_the_first_must_be_an_overlay(tmp_path: Path) -> None:
    assert "missing overlay.yaml: every folder after the first is an overlay" in problems_of(
        MINIMAL_RULES, MINIMAL_RULES / "entries"
    )
    assert "a complete rule set can only be the first folder" in problems_of(
        MINIMAL_RULES, MINIMAL_RULES
    )


def test_a_folder_that_is_both_is_refused(tmp_path: Path) -> None:
    from conftest import edited_minimal

    rules = edited_minimal(tmp_path, "ruleset.yaml", "", "")
    (rules / "overlay.yaml").write_text("name: County\n", encoding="utf-8")
    assert "is a rule set (ruleset.yaml) or an overlay (overlay.yaml), not both" in problems_of(
        rules
    )


def test_a_folder_that_is_neither_says_what_it_needs(run: Run, tmp_path: Path) -> None:
    result = run("validate", str(tmp_path))
    assert result.returncode == 2
    assert "a rule set has ruleset.yaml; an overlay has overlay.yaml" in result.stderr


# --- scenarios ----------------------------------------------------------------------------


def test_bundled_scenarios_still_run_when_an_overlay_adds_a_question(
    run: Run, tmp_path: Path
) -> None:
    overlay = make_overlay(tmp_path, {"questions.yaml": COUNTY_JAIL})
    result = run("recommend", "--rules", str(overlay), "--scenario", "rural-overdoses")
    assert result.returncode == 0, result.stderr
    assert "Naloxone Plus" in result.stdout


def test_an_overlay_brings_its_own_scenarios(run: Run, tmp_path: Path) -> None:
    bundled = Path(run("scenarios", "show", "rural-overdoses", "--format", "json").stdout)
    assert bundled  # the bundled scenario exists
    overlay = make_overlay(tmp_path, {})
    (overlay / "scenarios").mkdir()
    source = Path(__file__).parents[1] / "pathways" / "scenarios" / "rural-overdoses.yaml"
    text = source.read_text(encoding="utf-8").replace("id: rural-overdoses", "id: our-county")
    (overlay / "scenarios" / "our-county.yaml").write_text(text, encoding="utf-8")
    listed = run("scenarios", "list", "--rules", str(overlay), "--format", "json")
    assert listed.returncode == 0, listed.stderr
    ids = [s["id"] for s in json.loads(listed.stdout)]
    assert ids[-1] == "our-county" and "rural-overdoses" in ids


def test_a_provider_left_serving_nothing_is_a_warning(run: Run, tmp_path: Path) -> None:
    provider = LOCAL_PROVIDER.replace("[alpha]", "[beta]")
    base = make_overlay(tmp_path / "base", {"providers.yaml": provider}, name="Region")
    overlay = make_overlay(tmp_path, {"entries/beta.yaml": "id: beta\ndisabled: true\n"})
    result = run("validate", str(MINIMAL_RULES), str(base), str(overlay))
    assert result.returncode == 0, result.stderr
    assert (
        f"warning: {base / 'providers.yaml'}:2: provider county-crisis: serves no entry: "
        "an overlay disabled every entry it served"
    ) in result.stdout


def test_the_questionnaire_asks_overlay_questions_last(run: Run, tmp_path: Path) -> None:
    question = COUNTY_JAIL + "    when: {question: challenges, includes: overdoses}\n"
    overlay = make_overlay(tmp_path, {"questions.yaml": question})
    args = ["questions", "--rules", str(MINIMAL_RULES), "--rules", str(overlay)]
    listed = json.loads(run(*args, "--format", "json").stdout)
    assert [q["id"] for q in listed][-2:] == ["prosecutor", "county_jail"]
    assert listed[-1]["origin"] == {"overlay": "Rivertown County", "replaces": False}
    assert listed[0]["origin"] is None
    # An answers file made before the overlay now lacks the overlay's required question.
    missing = run("recommend", *args[1:], "--answers", answers_file(tmp_path), "--format", "json")
    assert missing.returncode == 2
    assert "county_jail: required answer missing" in missing.stderr


def test_a_session_remembers_its_overlay_for_resume(run: Run, tmp_path: Path) -> None:
    from padtool.sessions import save_session, session_rules

    overlay = make_overlay(tmp_path, {"questions.yaml": COUNTY_JAIL})
    rule_set = load_rule_set(overlay)  # over the bundled set
    session = tmp_path / "session.yaml"
    answers = {"agency_name": "Rivertown PD", "county_jail": True}
    save_session(session, rule_set, answers, "2026-11-25T09:00:00", finished=False)
    assert session_rules(session) == [overlay.resolve()]  # the bundled set is not pinned

    # Resumed without --rules, the session's own folders are used: its answers are understood
    # and the interview gets as far as asking for a terminal.
    resumed = run("interview", "--resume", "--session", str(session))
    assert resumed.returncode == 2
    assert f"Using the rules this session was started with: {overlay.resolve()}" in resumed.stdout
    assert "the interview needs a terminal" in resumed.stderr
    # --rules wins over what the session remembers: what it does not know is dropped, and said.
    bundled = run("interview", "--resume", "--session", str(session), "--rules", str(MINIMAL_RULES))
    assert "county_jail: answer dropped: the question is no longer asked" in bundled.stderr


def test_a_session_of_the_bundled_set_names_no_folders(tmp_path: Path) -> None:
    from padtool.sessions import save_session, session_rules

    session = tmp_path / "session.yaml"
    save_session(session, load_rule_set(), {}, "2026-11-25T09:00:00", finished=False)
    assert session_rules(session) == []
    assert "rules:" not in session.read_text(encoding="utf-8")


def test_a_hostile_overlay_name_is_shown_inert(run: Run, tmp_path: Path) -> None:
    overlay = make_overlay(tmp_path, {"providers.yaml": LOCAL_PROVIDER})
    # An escape sequence that would turn a terminal red, and Markdown that would make a link.
    (overlay / "overlay.yaml").write_text(
        'name: "\\e[31mRed [click](https://evil.example) County"\n', encoding="utf-8"
    )
    rules = ["--rules", str(MINIMAL_RULES), "--rules", str(overlay)]
    answers = answers_file(tmp_path)
    outputs = [
        run("validate", str(MINIMAL_RULES), str(overlay)).stdout,
        run("recommend", *rules, "--answers", answers).stdout,
        run("providers", "list", *rules).stdout,
    ]
    for text in outputs:  # escaped (validate) or dropped (rich output), never obeyed
        assert "\x1b" not in text and "[31mRed" in text
    report = run("recommend", *rules, "--answers", answers, "--format", "md").stdout
    assert "\x1b" not in report
    assert "\\[click\\](https://evil.example)" in report  # escaped: text, not a link


def test_a_missing_folder_in_padtool_rules_is_named(run: Run, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-overlay"
    result = run("recommend", "--scenario", "rural-overdoses", env={"PADTOOL_RULES": str(missing)})
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: {missing}: rule-set directory not found"
