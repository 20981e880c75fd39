"""The command line through its real entry point: the contract scripts and users rely on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import MINIMAL_ANSWERS, MINIMAL_RULES, Run, write
from padtool import __version__
from padtool.model import RuleSet

MINIMAL = str(MINIMAL_RULES)


def test_version(run: Run) -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"padtool {__version__}"


def test_every_command_has_help(run: Run) -> None:
    for command in (
        ["interview"],
        ["recommend"],
        ["questions"],
        ["pathways", "list"],
        ["pathways", "show"],
        ["providers", "list"],
        ["validate"],
        ["plan"],
    ):
        result = run(*command, "--help")
        assert result.returncode == 0, command
        assert "Usage: padtool " + " ".join(command) in result.stdout


def test_bad_usage_exits_2(run: Run) -> None:
    assert run("recommend").returncode == 2  # --answers missing
    assert run("recommend", "--answers", "x.yaml", "--format", "pdf").returncode == 2
    assert run("no-such-command").returncode == 2


def test_recommend_json_contract(run: Run, tmp_path: Path) -> None:
    answers = write(tmp_path / "a.yaml", MINIMAL_ANSWERS)
    result = run("recommend", "--answers", str(answers), "--rules", MINIMAL, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    first = data["recommendations"][0]
    assert {"id", "name", "score", "reasons", "gaps", "first_steps", "providers"} <= set(first)
    assert first["id"] == "alpha" and first["score"] == 3 - 2  # weekly overdoses, no prosecutor
    assert first["first_choice"] is True
    assert first["gaps"][0]["text"] == "No prosecutor agreement."
    assert first["reasons"][0]["answers"] == [
        {"question": "challenges", "answer": "Overdoses"},
        {"question": "overdose_level", "answer": "Every week"},
    ]
    assert first["call_first"]["id"] == "helper"  # the one serving alpha before the general one
    assert [p["id"] for p in first["providers"]] == ["everyone"]
    assert (first["readiness"], first["runs_as"], first["open_questions"]) == (
        "build-first",
        None,
        [],
    )
    assert first["gaps"][0]["kind"] == "missing" and first["gaps"][0]["closed_by"] == "agency"
    assert data["build_first"] == []  # the rule set has no shared resources to build
    assert data["agency"] == "Testville PD"
    assert data["schema_version"] == 2


def test_recommend_table_on_a_pipe_is_plain_text(run: Run, tmp_path: Path) -> None:
    answers = write(tmp_path / "a.yaml", MINIMAL_ANSWERS)
    result = run("recommend", "--answers", str(answers), "--rules", MINIMAL)
    assert result.returncode == 0, result.stderr
    assert "\x1b[" not in result.stdout
    assert "Alpha pathway" in result.stdout and "first choice" in result.stdout
    assert "No prosecutor agreement." in result.stdout


def test_recommend_writes_markdown_report_and_refuses_to_overwrite(
    run: Run, tmp_path: Path
) -> None:
    answers = write(tmp_path / "a.yaml", MINIMAL_ANSWERS)
    report = tmp_path / "report.md"
    args = ("recommend", "--answers", str(answers), "--rules", MINIMAL, "--output", str(report))
    assert run(*args).returncode == 0
    text = report.read_text()
    assert text.startswith("# Pre-arrest diversion pathways for Testville PD")
    assert "- [ ] No prosecutor agreement. (closed by your agency)" in text
    report.write_text("keep me")
    refused = run(*args)
    assert refused.returncode == 2
    assert "already exists; use --force" in refused.stderr
    assert report.read_text() == "keep me"
    assert run(*args, "--force").returncode == 0
    assert report.read_text() == text
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_output_into_missing_folder_is_refused_before_any_work(run: Run, tmp_path: Path) -> None:
    result = run(
        "recommend",
        "--answers",
        str(tmp_path / "missing.yaml"),
        "--rules",
        MINIMAL,
        "--output",
        str(tmp_path / "nope" / "r.md"),
    )
    assert result.returncode == 2
    assert "does not exist" in result.stderr and "Traceback" not in result.stderr


def test_bad_answers_file_lists_every_problem(run: Run, tmp_path: Path) -> None:
    answers = write(
        tmp_path / "a.yaml",
        "agency: Testville\nchalenges: [overdoses]\nofficers: -5\nprosecutor: yes\n",
    )
    result = run("recommend", "--answers", str(answers), "--rules", MINIMAL)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert (
        f"error: {answers}:2:1: chalenges: unknown question (did you mean 'challenges'?)" in lines
    )
    assert f"error: {answers}:3:11: officers: must be at least 0, found -5" in lines
    assert f"error: {answers}:4:13: prosecutor: expected true or false, found 'yes'" in lines
    assert "Traceback" not in result.stderr


def test_missing_required_answer(run: Run, tmp_path: Path) -> None:
    answers = write(tmp_path / "a.yaml", "agency: Testville\nchallenges: []\n")
    result = run("recommend", "--answers", str(answers), "--rules", MINIMAL)
    assert result.returncode == 2
    assert f"{answers}: officers: required answer missing" in result.stderr


def test_answer_to_a_question_that_does_not_apply_is_ignored_with_a_note(
    run: Run, tmp_path: Path
) -> None:
    answers = write(
        tmp_path / "a.yaml",
        "agency: T\nchallenges: [crisis]\noverdose_level: weekly\nofficers: 50\nprosecutor: true\n",
    )
    result = run("recommend", "--answers", str(answers), "--rules", MINIMAL, "--format", "json")
    assert result.returncode == 0
    assert "'overdose_level' was ignored" in result.stderr
    data = json.loads(result.stdout)
    assert data["ignored_answers"] == ["overdose_level"]
    assert data["recommendations"][0]["id"] == "beta"


def test_json_answers_file_is_read(run: Run, tmp_path: Path) -> None:
    answers = write(
        tmp_path / "a.json",
        json.dumps(
            {
                "agency": "J",
                "challenges": ["overdoses"],
                "overdose_level": "weekly",
                "officers": 9,
                "prosecutor": True,
            }
        ),
    )
    result = run("recommend", "--answers", str(answers), "--rules", MINIMAL, "--format", "json")
    assert result.returncode == 0, result.stderr
    top = json.loads(result.stdout)["recommendations"][0]
    assert top["id"] == "alpha" and top["score"] == 3 - 1  # small agency counts against


def test_questions_table_says_conditions_and_options_in_words_at_80_columns(run: Run) -> None:
    small = run("questions", "--rules", MINIMAL, env={"COLUMNS": "80"})
    assert small.returncode == 0, small.stderr
    rows = [line.split("│") for line in small.stdout.splitlines() if line.startswith("│")]
    questions, asked_when = (" ".join(" ".join(row[i].split()) for row in rows) for i in (2, 3))
    assert "challenges: includes Overdoses" in asked_when  # not {'question': ...}
    assert "Every week; Rarely" in questions  # option labels, not weekly, rarely
    bundled = run("questions", env={"COLUMNS": "80"})
    assert bundled.returncode == 0, bundled.stderr
    lines = bundled.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "{'question'" not in bundled.stdout and "municipal_police" not in bundled.stdout
    ids = [q["id"] for q in json.loads(run("questions", "--format", "json").stdout)]
    # Each id is typed back into answers files: it stays whole on one line.
    assert all(any(f" {qid} (" in line for line in lines) for qid in ids)
    # No column is as wide as the longest id makes it: the question has room to read.
    question_column = lines[1].split("┳")[1]
    assert len(question_column) >= 40


def test_questions_json(run: Run) -> None:
    result = run("questions", "--rules", MINIMAL, "--format", "json")
    data = json.loads(result.stdout)
    assert [q["id"] for q in data] == [
        "agency",
        "challenges",
        "overdose_level",
        "officers",
        "prosecutor",
    ]
    level = data[2]
    assert set(level) >= {"id", "prompt", "help", "type", "options", "when"}
    assert level["type"] == "single"
    assert level["options"][0] == {"value": "weekly", "label": "Every week"}
    assert level["when"] == {"question": "challenges", "includes": "overdoses"}


def test_pathways_show_accepts_former_names_and_suggests(run: Run) -> None:
    shown = run("pathways", "show", "officer-prevention-referral", "--format", "json")
    assert json.loads(shown.stdout)["id"] == "first-responder-officer-referral"
    missing = run("pathways", "show", "leed")
    assert missing.returncode == 2
    assert "did you mean 'lead'?" in missing.stderr


def test_pathways_show_gives_the_rules_in_plain_words(run: Run) -> None:
    shown = run("pathways", "show", "lead", env={"COLUMNS": "400"})
    assert shown.returncode == 0, shown.stderr
    lines = [line.strip("│ ") for line in shown.stdout.splitlines()]
    # Each rule: its points, the condition with prompts and labels, then its reason.
    at = lines.index(
        "+3 when Where does your prosecutor stand on holding or declining charges for people "
        "who accept treatment or services?: is We have an agreement in place"
    )
    assert lines[at + 1] == "You have an agreement with the prosecutor to hold or decline charges."
    assert (
        "-2 needs Where does your prosecutor stand on holding or declining charges for people "
        "who accept treatment or services?: is We have an agreement in place"
    ) in lines
    assert (
        "gap: No agreement with the prosecutor to hold or decline charges. (closed by a partner)"
        in lines
    )


def test_providers_for_a_pathway(run: Run) -> None:
    result = run("providers", "list", "--pathway", "lead", "--format", "json")
    ids = [p["id"] for p in json.loads(result.stdout)]
    assert ids[0] == "lead-support-bureau"
    assert "paari" not in ids


def test_validate_good_and_broken(run: Run, tmp_path: Path) -> None:
    assert run("validate").returncode == 0
    assert "is valid" in run("validate", MINIMAL).stdout
    broken = tmp_path / "rules"
    broken.mkdir()
    write(broken / "ruleset.yaml", "name: x\nname: y\n")
    result = run("validate", str(broken))
    assert result.returncode == 2
    assert f"{broken / 'ruleset.yaml'}:2:1: duplicate key 'name' (first on line 1)" in result.stderr
    assert "questions.yaml: required rule-set file is missing" in result.stderr
    assert "Traceback" not in result.stderr


def test_interview_without_a_terminal_fails_at_once(run: Run) -> None:
    result = run("interview", "--rules", MINIMAL)
    assert result.returncode == 2
    assert "needs a terminal" in result.stderr and "recommend --answers" in result.stderr


def test_session_files_are_listed_resumable_and_readable_by_recommend(
    run: Run, tmp_path: Path
) -> None:
    from padtool.loader import load_rule_set
    from padtool.sessions import save_session

    rule_set = load_rule_set(Path(MINIMAL))
    folder = tmp_path / "data" / "padtool" / "sessions"
    folder.mkdir(parents=True)
    answers = {
        "agency": "Testville PD",
        "challenges": ["overdoses"],
        "overdose_level": "weekly",
        "officers": 40,
        "prosecutor": False,
    }
    save_session(folder / "done.yaml", rule_set, answers, "2026-01-01T10:00:00", finished=True)
    save_session(
        folder / "half.yaml", rule_set, {"agency": "Half PD"}, "2026-01-02T10:00:00", finished=False
    )

    listed = json.loads(run("sessions", "list", "--rules", MINIMAL, "--format", "json").stdout)
    by_name = {Path(s["path"]).stem: s for s in listed}
    assert by_name["done"]["finished"] is True and by_name["done"]["answered"] == 5
    assert by_name["half"]["agency"] == "Half PD" and by_name["half"]["finished"] is False

    result = run(
        "recommend", "--answers", str(folder / "done.yaml"), "--rules", MINIMAL, "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["recommendations"][0]["id"] == "alpha"

    unfinished = run("recommend", "--answers", str(folder / "half.yaml"), "--rules", MINIMAL)
    assert unfinished.returncode == 2 and "challenges: required answer missing" in unfinished.stderr

    assert run("sessions", "delete", "done", "nosuch").returncode == 2  # nothing deleted
    assert (folder / "done.yaml").exists()
    deleted = run("sessions", "delete", "done")
    assert deleted.returncode == 0 and not (folder / "done.yaml").exists()


def test_resume_without_a_saved_session_says_how_to_start(run: Run) -> None:
    result = run("interview", "--rules", MINIMAL, "--resume")
    assert result.returncode == 2
    assert "no unfinished interview to resume" in result.stderr


RIVERTOWN = """\
agency_name: "Rivertown Police Department"
agency_type: municipal_police
sworn_officers: 120
setting: urban
challenges: [overdoses, bh_crisis_calls, homelessness, low_level_drug]
overdose_frequency: 5_to_19
crisis_call_volume: daily
repeat_offenders: true
hot_spots: true
resources: [moud, clinicians, case_management, peer_recovery_coaches]
treatment_intake: within_48h
treatment_travel: under_30
crisis_training: some
prosecutor: agreement
partners: [public_defender, bh_agency, community_orgs]
residents_avoid_police: unknown
citation_allowed: true
civil_citation: none
walk_in_station: false
data_capacity: basic
"""


def test_rule_set_cache_follows_the_files(run: Run, rules_copy: Path, tmp_path: Path) -> None:
    answers = write(tmp_path / "a.yaml", RIVERTOWN)
    args = ("recommend", "--answers", str(answers), "--rules", str(rules_copy), "--format", "json")
    first = run(*args)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["agency"] == "Rivertown Police Department"
    cached = list((tmp_path / "cache" / "padtool").glob("rules-*.json"))
    assert len(cached) == 1
    written = cached[0].stat().st_mtime_ns
    assert run(*args).stdout == first.stdout  # read back from the cache: the same result
    assert cached[0].stat().st_mtime_ns == written  # a hit: not loaded and written again

    cached[0].write_text('{"t": "RuleSet", "v": [1]}')  # damaged: ignored, the YAML is read
    assert run(*args).stdout == first.stdout

    questions = rules_copy / "questions.yaml"
    questions.write_text(questions.read_text().replace("help:", "hlep:", 1))
    edited = run(*args)
    assert edited.returncode == 2 and "unknown key (did you mean 'help'?)" in edited.stderr


def test_a_count_of_officers_must_be_a_whole_number(run: Run, tmp_path: Path) -> None:
    answers = write(tmp_path / "a.yaml", "sworn_officers: 85.5\n")
    result = run("recommend", "--answers", str(answers))
    assert result.returncode == 2
    assert "sworn_officers: must be a whole number, found 85.5" in result.stderr


def test_a_scenario_or_a_report_given_as_answers_says_what_to_pass(
    run: Run, tmp_path: Path
) -> None:
    from padtool.rulefiles import bundled_rules_dir

    scenario = bundled_rules_dir() / "scenarios" / "rural-overdoses.yaml"
    done = run("recommend", "--answers", str(scenario))
    assert done.returncode == 2
    assert "this is a training scenario, not an answers file" in done.stderr
    assert "--scenario rural-overdoses" in done.stderr
    assert "scenarios show rural-overdoses --answers-only" in done.stderr
    assert "unknown question" not in done.stderr
    for fmt in ("md", "html", "json"):
        report = tmp_path / f"report.{fmt}"
        made = run("recommend", "--scenario", "rural-overdoses", "--format", fmt)
        report.write_text(made.stdout, encoding="utf-8")
        done = run("recommend", "--answers", str(report))
        assert done.returncode == 2, fmt
        assert [line for line in done.stderr.splitlines() if line.startswith("error:")] == [
            f"error: {report}: this is a padtool report, not an answers file; pass the answers "
            "file the interview saved (--save-answers FILE) or its session file "
            "(see: padtool sessions list)"
        ], fmt


def test_scenarios_show_answers_only_prints_an_answers_file(run: Run, tmp_path: Path) -> None:
    done = run("scenarios", "show", "crisis-calls-city", "--answers-only")
    assert done.returncode == 0, done.stderr
    answers = tmp_path / "team.yaml"
    answers.write_text(done.stdout, encoding="utf-8")
    mine = run("recommend", "--answers", str(answers), "--format", "json")
    scenario = run("recommend", "--scenario", "crisis-calls-city", "--format", "json")
    assert mine.returncode == 0, mine.stderr
    assert (
        json.loads(mine.stdout)["recommendations"] == json.loads(scenario.stdout)["recommendations"]
    )


def test_top_level_help_cuts_no_description(run: Run) -> None:
    done = run("--help", env={"COLUMNS": "80"})
    assert done.returncode == 0
    commands = done.stdout.split("Commands:")[1]
    assert "..." not in commands
    assert "Recommend pathways from an answers file or a training" in commands
    assert all(len(line) <= 80 for line in done.stdout.splitlines())


@pytest.mark.parametrize(
    "command", [["pathways", "list"], ["providers", "list"], ["scenarios", "list"]]
)
def test_list_tables_keep_ids_and_links_whole_at_80_columns(
    run: Run, rule_set: RuleSet, command: list[str]
) -> None:
    done = run(*command, env={"COLUMNS": "80"})
    assert done.returncode == 0, done.stderr
    assert "…" not in done.stdout
    tokens = set(done.stdout.replace("[", " ").replace("]", " ").replace("│", " ").split())
    if command[0] == "pathways":
        assert {e.id for e in rule_set.entries} <= tokens
    elif command[0] == "scenarios":
        from padtool.scenarios import load_scenarios

        tokens = {t.rstrip(",") for t in tokens}
        for scenario in load_scenarios(rule_set):
            assert {scenario.id, *scenario.expected} <= tokens
    else:
        assert {p.id for p in rule_set.providers} <= tokens
        assert {p.url for p in rule_set.providers if len(p.url) < 78} <= tokens


def test_sessions_list_keeps_the_names_sessions_delete_needs(run: Run, tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {"XDG_DATA_HOME": str(data), "COLUMNS": "80"}
    folder = data / "padtool" / "sessions"
    folder.mkdir(parents=True)
    name = "interview-20261125-160923"
    write(
        folder / f"{name}.yaml",
        "padtool_session: {updated: '2026-11-25T16:09:23', finished: false}\n"
        "answers: {agency_name: A Very Long Agency Name Police Department}\n",
    )
    listed = run("sessions", "list", env=env)
    assert listed.returncode == 0, listed.stderr
    assert name in listed.stdout and "…" not in listed.stdout
    deleted = run("sessions", "delete", name, env=env)
    assert deleted.returncode == 0, deleted.stderr
    assert not (folder / f"{name}.yaml").exists()


def test_every_view_a_command_shows_has_a_json_face_and_a_table_face() -> None:
    """Commands name their view once (`_show(fmt, "questions", ...)`): a view missing either
    face, or taking other arguments in one, would fail only when that format is asked for."""
    import ast
    import inspect

    from padtool import cli
    from padtool.render import data, terminal

    calls = [
        node
        for node in ast.walk(ast.parse(inspect.getsource(cli)))
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_show"
    ]
    assert len(calls) >= 10
    for call in calls:
        view = call.args[1]
        assert isinstance(view, ast.Constant), ast.unparse(call)
        as_json = inspect.signature(getattr(data, f"{view.value}_data"))
        as_table = inspect.signature(getattr(terminal, f"show_{view.value}"))
        positional = len(call.args) - 2
        assert len(as_json.parameters) == positional, view.value
        table_names = list(as_table.parameters)[1 : 1 + positional + len(call.keywords)]
        assert table_names[positional:] == [k.arg for k in call.keywords], view.value


def test_every_format_of_the_tables_is_offered_and_written(run: Run, tmp_path: Path) -> None:
    """A format is named once, in render.formats: each command offers what its table holds,
    and every format of the tables writes a file through the function it names."""
    from padtool.render.formats import PLAN_FORMATS, REPORT_FORMATS

    offered = {"recommend": ["table", *REPORT_FORMATS], "plan": list(PLAN_FORMATS)}
    for command, names in offered.items():
        assert f"--format [{'|'.join(names)}]" in run(command, "--help").stdout
    assert f"--format [{'|'.join(REPORT_FORMATS)}]" in run("interview", "--help").stdout
    for command, formats in (("recommend", REPORT_FORMATS), ("plan", PLAN_FORMATS)):
        for fmt in formats:
            written = tmp_path / f"{command}.{fmt}"
            args = ("--scenario", "crisis-calls-city", "--format", fmt, "--output", str(written))
            done = run(command, *args)
            assert done.returncode == 0, done.stderr
            text = written.read_text(encoding="utf-8")
            assert "Riverbend" in text or fmt == "csv", (command, fmt)  # a CSV has tasks only
            assert "Name a program manager" in text or command == "recommend", fmt


def test_a_report_file_is_written_in_the_format_its_name_asks_for(run: Run, tmp_path: Path) -> None:
    """`--output report.html` with no --format was Markdown inside an .html file."""
    expected = {"report.html": "<!DOCTYPE html>", "report.json": '{\n  "schema_version"'}
    expected["report.txt"] = "# Pre-arrest diversion pathways for Riverbend"
    for name, start in expected.items():
        done = run("recommend", "--scenario", "crisis-calls-city", "--output", str(tmp_path / name))
        assert done.returncode == 0, done.stderr
        assert (tmp_path / name).read_text(encoding="utf-8").lstrip().startswith(start), name
    chosen = run(
        "recommend",
        "--scenario",
        "crisis-calls-city",
        "--format",
        "md",
        "--output",
        str(tmp_path / "asked.html"),
    )
    assert chosen.returncode == 0
    assert (tmp_path / "asked.html").read_text(encoding="utf-8").startswith("# Pre-arrest")
