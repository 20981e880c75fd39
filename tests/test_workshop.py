"""`padtool workshop summary`: many teams' answers files, one summary for the room."""

from __future__ import annotations

import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from conftest import Run, write
from padtool.answers import dump_answers
from padtool.engine import recommend
from padtool.model import RuleSet
from padtool.scenarios import load_scenarios
from padtool.workshop import summarize

SCENARIOS = ("rural-overdoses", "downtown-homelessness", "crisis-calls-city")
BENCHMARK = Path(__file__).parent.parent / "benchmarks" / "workshop.py"


def _answers(rule_set: RuleSet, scenario_id: str) -> dict[str, object]:
    return dict(next(s for s in load_scenarios(rule_set) if s.id == scenario_id).answers)


@pytest.fixture
def room(tmp_path: Path, rule_set: RuleSet) -> Path:
    """Three teams' answers files (two YAML, one JSON) and one broken file."""
    folder = tmp_path / "room"
    folder.mkdir()
    for number, scenario_id in enumerate(SCENARIOS, 1):
        answers = _answers(rule_set, scenario_id)
        if number == 3:
            write(folder / f"team{number}.json", json.dumps(answers))
        else:
            write(folder / f"team{number}.yaml", dump_answers(rule_set, answers))  # type: ignore[arg-type]
    write(folder / "team4.yaml", "agency_name: [unclosed\n")
    write(folder / "notes.txt", "not an answers file\n")
    return folder


def test_summary_json_lists_teams_counts_and_broken_files(
    run: Run, room: Path, rule_set: RuleSet
) -> None:
    done = run("workshop", "summary", str(room), "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["schema_version"] == 1
    assert data["team_count"] == 3
    agencies = [_answers(rule_set, s)["agency_name"] for s in SCENARIOS]
    assert [t["team"] for t in data["teams"]] == agencies
    assert sum(e["first_choice"] for e in data["entries"]) == 3
    assert sum(e["in_starting_set"] for e in data["entries"]) == sum(
        len(t["starting_set"]) for t in data["teams"]
    )
    assert all(len(t["ranks"]) == len(rule_set.entries) for t in data["teams"])
    [broken] = data["broken_files"]
    assert broken["file"] == "team4.yaml"
    # said next to the file's name, which it does not repeat
    assert broken["error"].startswith("line ") and "team4.yaml" not in broken["error"]
    assert "\n" not in broken["error"]


def test_shared_divergent_and_gaps_on_a_hand_made_room(rule_set: RuleSet) -> None:
    base = _answers(rule_set, "rural-overdoses")
    results = [recommend(rule_set, base) for _ in range(2)]
    other = recommend(rule_set, _answers(rule_set, "downtown-homelessness"))
    teams = [("A", results[0]), ("B", results[1]), ("C", other)]
    summary = summarize(teams, [("bad.yaml", "bad.yaml:1:1: broken")])
    set_a = {r.entry.id for r in results[0].starting_set}
    set_c = {r.entry.id for r in other.starting_set}
    assert set_a != set_c
    # shared: in the set of at least half the teams (2 of 3): everything in A's set
    assert {t.entry.id for t in summary.shared} == set_a
    # divergent: in some sets, not all
    assert {d.entry.id for d in summary.divergent} == set_a ^ set_c
    for item in summary.divergent:
        assert item.teams_with + item.teams_without == 3
        assert 1 <= len(item.drivers) <= 2
        for driver in item.drivers:
            assert driver.with_share != driver.without_share
            assert driver.question.type != "text"
    tallies = {t.entry.id: t for t in summary.tallies}
    for entry_id in set_a - set_c:
        assert tallies[entry_id].in_set == 2
    first_a = results[0].recommendations[0].entry.id
    assert tallies[first_a].first_choice >= 2
    for gap in summary.gaps:
        assert 2 <= gap.teams <= 3  # more than half the room
    assert summary.broken[0].file == "bad.yaml"
    assert [t.name for t in summary.teams] == ["A", "B", "C"]
    assert len(summary.gaps) <= 5


def test_an_entry_chosen_only_by_teams_with_an_answer_is_driven_by_it(
    rule_set: RuleSet,
) -> None:
    base = _answers(rule_set, "crisis-calls-city")
    other = _answers(rule_set, "rural-overdoses")
    teams = [(f"T{i}", recommend(rule_set, base if i < 2 else other)) for i in range(4)]
    summary = summarize(teams)
    assert summary.divergent
    for item in summary.divergent:
        top = item.drivers[0]
        assert abs(top.with_share - top.without_share) == 1.0  # the two groups never overlap


def test_empty_or_all_broken_folder_is_a_clean_result(run: Run, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    done = run("workshop", "summary", str(empty), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["team_count"] == 0
    write(empty / "x.json", "[1, 2]")
    done = run("workshop", "summary", str(empty), "--plain")
    assert done.returncode == 0, done.stderr
    assert "x.json" in done.stdout


def test_missing_folder_exits_2(run: Run, tmp_path: Path) -> None:
    done = run("workshop", "summary", str(tmp_path / "nowhere"))
    assert done.returncode == 2
    assert "folder not found" in done.stderr
    assert "Traceback" not in done.stderr


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.handlers: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.handlers += [name for name, _ in attrs if name.lower().startswith("on")]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_self_contained_and_escapes_hostile_team_names(
    run: Run, room: Path, rule_set: RuleSet
) -> None:
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    answers = {**_answers(rule_set, "rural-overdoses"), "agency_name": hostile}
    write(room / "team5.json", json.dumps(answers))
    done = run("workshop", "summary", str(room), "--format", "html")
    assert done.returncode == 0, done.stderr
    page = done.stdout
    parser = _Collector()
    parser.feed(page)
    assert "svg" in parser.tags and "rect" in parser.tags and "title" in parser.tags
    assert "script" not in parser.tags
    assert "img" not in parser.tags
    assert parser.handlers == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert hostile in "".join(parser.text)  # shown as text, as typed


def test_markdown_escapes_team_names(run: Run, room: Path, rule_set: RuleSet) -> None:
    answers = {**_answers(rule_set, "rural-overdoses"), "agency_name": "<b>|x|</b>"}
    write(room / "team5.json", json.dumps(answers))
    done = run("workshop", "summary", str(room), "--format", "md")
    assert done.returncode == 0, done.stderr
    rendered = MarkdownIt("commonmark").enable("table").render(done.stdout)
    assert "<b>" not in rendered
    assert 'right">&lt;b&gt;|x|&lt;/b&gt;</th>' in rendered  # one header cell, shown as typed


def test_plain_output_has_no_box_drawing_and_no_escapes(run: Run, room: Path) -> None:
    done = run("workshop", "summary", str(room), "--plain", env={"NO_COLOR": "", "TERM": "xterm"})
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout
    assert not any("\u2500" <= ch <= "\u259f" for ch in done.stdout)  # boxes and blocks
    for section in (
        "Teams",
        "Pathways across teams",
        "Shared",
        "Divergent",
        "Gaps most teams share",
    ):
        assert section in done.stdout
    assert "team4.yaml" in done.stdout


def test_table_output_draws_the_chart_with_counts(run: Run, room: Path) -> None:
    done = run("workshop", "summary", str(room))
    assert done.returncode == 0, done.stderr
    assert "█" in done.stdout
    assert "first choice" in done.stdout


def test_output_file_is_refused_without_force(run: Run, room: Path, tmp_path: Path) -> None:
    target = write(tmp_path / "summary.html", "keep me")
    done = run("workshop", "summary", str(room), "--format", "html", "--output", str(target))
    assert done.returncode == 2
    assert "already exists" in done.stderr
    assert target.read_text() == "keep me"
    done = run(
        "workshop", "summary", str(room), "--format", "html", "--output", str(target), "--force"
    )
    assert done.returncode == 0, done.stderr
    assert target.read_text().startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("name", "starts"), [("s.html", "<!DOCTYPE html>"), ("s.md", "# "), ("s.json", "{")]
)
def test_output_takes_the_format_of_its_file_name(
    run: Run, room: Path, tmp_path: Path, name: str, starts: str
) -> None:
    done = run("workshop", "summary", str(room), "--output", str(tmp_path / name))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / name).read_text().startswith(starts)


def test_output_of_another_name_is_plain_text_and_format_wins(
    run: Run, room: Path, tmp_path: Path
) -> None:
    assert (
        run("workshop", "summary", str(room), "--output", str(tmp_path / "s.txt")).returncode == 0
    )
    assert not (tmp_path / "s.txt").read_text().startswith(("<", "{", "#"))
    target = tmp_path / "s.html"
    done = run("workshop", "summary", str(room), "--format", "md", "--output", str(target))
    assert done.returncode == 0, done.stderr
    assert target.read_text().startswith("# ")


def test_benchmark_runs_and_prints_a_slope(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCHMARK), "--files", "300"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "300 answer files" in done.stdout
    assert "slope:" in done.stdout


def test_wide_mode_stretches_the_bars_for_a_projector(run: Run, room: Path) -> None:
    def longest_bar(*extra: str) -> int:
        done = run("workshop", "summary", str(room), *extra, env={"COLUMNS": "200"})
        assert done.returncode == 0, done.stderr
        return max(line.count("█") for line in done.stdout.splitlines())

    assert longest_bar("--wide") > 2 * longest_bar()


LONG_NAMES = (
    "Springfield Police Department, North Precinct",
    "Port Alder Police Department, Downtown Division",
    "Pine Valley County Sheriff's Office",
    "Riverbend Police Department",
    "High Plains County Sheriff's Office",
    "Lakeport Police Department",
    "Cedar Fork County Sheriff's Office",
    "Palm Grove Police Department",
)


def make_room(folder: Path, rule_set: RuleSet, teams: int = len(LONG_NAMES)) -> Path:
    """teams answers files with long agency names, answered like the bundled scenarios."""
    folder.mkdir()
    scenarios = load_scenarios(rule_set)
    for number in range(teams):
        name = LONG_NAMES[number % len(LONG_NAMES)]
        if number >= len(LONG_NAMES):
            name = f"{name}, unit {number // len(LONG_NAMES) + 1}"
        answers = {**scenarios[number % len(scenarios)].answers, "agency_name": name}
        write(folder / f"team{number:02}.yaml", dump_answers(rule_set, answers))  # type: ignore[arg-type]
    return folder


@pytest.fixture
def big_room(tmp_path: Path, rule_set: RuleSet) -> Path:
    """Eight teams with long names and one broken file."""
    folder = make_room(tmp_path / "big-room", rule_set)
    write(folder / "unreadable.yaml", "agency_name: [unclosed\n")
    return folder


@pytest.mark.parametrize("columns", [80, 120])
def test_terminal_view_cuts_no_name_at_80_and_120_columns(
    run: Run, big_room: Path, rule_set: RuleSet, columns: int
) -> None:
    done = run("workshop", "summary", str(big_room), env={"COLUMNS": str(columns)})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "…" not in done.stdout
    assert all(len(line) <= columns for line in lines)
    for name in LONG_NAMES:
        assert any(name in line for line in lines), name  # each team whole, on one line
    words = set(done.stdout.split())
    for entry in rule_set.entries:
        assert set(entry.name.split()) <= words, entry.name  # wrapped at spaces, never cut
    table = [line for line in lines if line.startswith("│")]
    assert len({line.count("│") for line in table}) == 1  # one table: every team side by side


def test_a_wide_screen_puts_teams_in_rows_under_short_labels(
    run: Run, big_room: Path, rule_set: RuleSet
) -> None:
    done = run("workshop", "summary", str(big_room), env={"COLUMNS": "320"})
    assert done.returncode == 0, done.stderr
    header = next(line for line in done.stdout.splitlines() if line.startswith("┃ Team"))
    assert [cell.strip() for cell in header.strip("┃").split("┃")][1:] == sorted(
        (e.short_label for e in rule_set.entries), key=header.index
    )
    for entry in rule_set.entries:  # the legend says what each short label stands for
        if entry.short_label != entry.name:
            assert any(
                entry.short_label in line and entry.name in line
                for line in done.stdout.splitlines()
            )


def test_first_choice_and_starting_set_are_marked_without_color(run: Run, big_room: Path) -> None:
    done = run("workshop", "summary", str(big_room), "--format", "json")
    data = json.loads(done.stdout)
    plain = run("workshop", "summary", str(big_room), "--plain").stdout
    for team in data["teams"]:
        line = next(x for x in plain.splitlines() if x.startswith(f"- {team['team']}:"))
        cells = line.split(": ", 1)[1].split("; ")
        assert sum(c.endswith("*") for c in cells) == (1 if team["starting_set"] else 0)
        assert sum(c.endswith("+") for c in cells) == max(len(team["starting_set"]) - 1, 0)
    assert "* marks the team's first choice, + the rest of its starting set" in plain


def test_files_not_read_are_counted_in_the_title_and_listed_first(run: Run, big_room: Path) -> None:
    for fmt in ("table", "md", "html"):
        done = run("workshop", "summary", str(big_room), "--format", fmt)
        assert "Workshop summary: 8 teams, 1 file not read" in done.stdout
        assert done.stdout.index("unreadable") < done.stdout.index("Rank of each pathway")


def test_drivers_are_questions_the_rules_read_said_in_words(
    rule_set: RuleSet,
) -> None:
    from padtool.conditions import referenced_questions

    used: set[str] = set()
    for entry in rule_set.entries:
        conditions = [r.when for r in entry.fit] + [p.when for p in entry.prerequisites]
        conditions += [r.when for r in entry.requires]
        for condition in conditions:
            used |= referenced_questions(condition)
    teams = [(s.id, recommend(rule_set, dict(s.answers))) for s in load_scenarios(rule_set)]
    summary = summarize(teams)
    drivers = [d for item in summary.divergent for d in item.drivers]
    assert drivers
    assert {d.question.id for d in drivers} <= used
    from padtool.render.workshop import plain_workshop

    text = plain_workshop(summary)
    others = len(teams) - 1
    assert (
        "Answered so by the one team with it in the starting set and by none of the "
        f"{others} teams without it." in text
    )
    assert "none of the 1 team" not in text and "chose it" not in text
    assert "(not answered)" not in text


def test_html_shows_every_pathway_in_a_layout_that_fits(
    run: Run, big_room: Path, rule_set: RuleSet, tmp_path: Path
) -> None:
    done = run("workshop", "summary", str(big_room), "--format", "html")
    page = done.stdout
    assert "max-width: 72rem" not in page  # the page uses the whole projector
    assert "size: landscape" in page
    for name in LONG_NAMES:
        assert f'<th scope="col">{name}'.replace("'", "&#x27;") in page  # eight teams: columns
    # a bigger room: teams become rows, the pathways columns under short labels with a legend
    page = run(
        "workshop", "summary", str(make_room(tmp_path / "more", rule_set, 12)), "--format", "html"
    ).stdout
    for entry in rule_set.entries:
        assert f'<abbr title="{entry.name}">{entry.short_label}</abbr>' in page
        if entry.short_label != entry.name:
            assert f"<dt>{entry.short_label}</dt><dd>{entry.name}</dd>" in page


def test_a_room_of_two_teams_is_said_without_counting_one_team(rule_set: RuleSet) -> None:
    from padtool.render.workshop import plain_workshop

    scenarios = load_scenarios(rule_set)[:2]
    teams = [(s.id, recommend(rule_set, dict(s.answers))) for s in scenarios]
    summary = summarize(teams)
    assert any(item.drivers for item in summary.divergent)
    text = " ".join(plain_workshop(summary).split())
    assert "the 1 team" not in text and "all 1 " not in text
    assert "by the one team with it in the starting set" in text
    assert "by no team without it" in text or "by the one team without it" in text
