"""A workshop summary: many teams' answer sets, one view of where the room agrees and differs.

`summarize` is pure: it takes the teams' results and the files that could not be read, and
builds the Summary every renderer takes. `load_folder` is the one function here that reads files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from .conditions import AnswerValue, referenced_questions
from .engine import Result, recommend
from .errors import PadtoolError, Problem
from .model import Entry, Question, RuleSet

SUFFIXES = (".yaml", ".yml", ".json")
TOP_DRIVERS = 2
TOP_GAPS = 5
FIRST_TASKS = 3  # of each team's plan: what the room compares
TOP_PRIORITIES = 8
FIRST_MARK = "*"
SET_MARK = "+"


class Cell(NamedTuple):
    """Where one entry stands for one team."""

    rank: int
    in_set: bool
    first_choice: bool

    @property
    def label(self) -> str:
        """The rank with a mark: FIRST_MARK for the first choice, SET_MARK for the rest of the
        starting set, so the meaning never rests on color."""
        if self.first_choice:
            return f"{self.rank}{FIRST_MARK}"
        return f"{self.rank}{SET_MARK}" if self.in_set else str(self.rank)


class Team(NamedTuple):
    name: str
    cells: tuple[Cell, ...]  # one per Summary.entries, in that order
    first_choice: Entry | None
    starting_set: tuple[Entry, ...]


class Tally(NamedTuple):
    entry: Entry
    in_set: int  # teams with the entry in their starting set
    first_choice: int  # teams with it as their first choice


class Driver(NamedTuple):
    """An answer given far more (or less) often by the teams with an entry than without it."""

    question: Question
    answer: str  # the answer in words
    with_count: int  # teams with the entry that gave this answer
    without_count: int  # teams without the entry that gave it
    with_share: float
    without_share: float


class Divergent(NamedTuple):
    entry: Entry
    teams_with: int
    teams_without: int
    drivers: tuple[Driver, ...]  # the most telling answers first, at most TOP_DRIVERS


class GapCount(NamedTuple):
    text: str
    teams: int  # teams with this gap in their starting set


class Priority(NamedTuple):
    """Something many teams must do first: a task that opens their plans, or a gap they share."""

    text: str
    kind: str  # "task" | "gap"
    teams: int


class Broken(NamedTuple):
    file: str
    error: str


class Summary(NamedTuple):
    rule_set: RuleSet | None  # None when no file could be read
    teams: tuple[Team, ...]  # in file-name order
    tallies: tuple[Tally, ...]  # most-chosen first; Team.cells follow this order
    shared: tuple[Tally, ...]  # in the starting set of at least half the teams
    divergent: tuple[Divergent, ...]  # in the starting set of some teams but not all
    gaps: tuple[GapCount, ...]  # gaps of more than half the teams, at most TOP_GAPS
    broken: tuple[Broken, ...]
    # for the room to vote on: first tasks of at least half the teams' plans and the shared
    # gaps, most teams first
    priorities: tuple[Priority, ...] = ()

    @property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(t.entry for t in self.tallies)


def team_name(result: Result, file: Path) -> str:
    return result.agency.strip() or file.stem


def answer_files(directory: Path) -> list[Path]:
    """The answers files directly in directory, in name order; a PadtoolError if it is none."""
    try:
        if not directory.is_dir():
            what = "is not a folder" if directory.exists() else "folder not found"
            raise PadtoolError([Problem(str(directory), what)])
        # Pipes, devices and broken links too: reading refuses each, and the summary lists it.
        found = [p for p in directory.iterdir() if p.suffix.lower() in SUFFIXES and not p.is_dir()]
    except OSError as error:
        raise PadtoolError([Problem(str(directory), f"cannot be read: {error.strerror}")]) from None
    return sorted(found, key=lambda p: p.name)


def load_folder(
    directory: Path, rule_set: RuleSet
) -> tuple[list[tuple[str, Result]], list[tuple[str, str]]]:
    """Read and evaluate every answers file in directory: (team, result) pairs, and
    (file, first problem) for each file that could not be read."""
    from .answers import load_answers
    from .loader import collector_paused

    teams: list[tuple[str, Result]] = []
    broken: list[tuple[str, str]] = []
    with collector_paused():  # thousands of small files: no cycles, many allocations
        for path in answer_files(directory):
            try:
                answers, _ = load_answers(path, rule_set, pipes=False)
            except PadtoolError as error:
                broken.append((path.name, _within_file(error.problems[0])))
                continue
            result = recommend(rule_set, answers)
            teams.append((team_name(result, path), result))
    return teams, broken


def _within_file(problem: Problem) -> str:
    """The problem as said next to its file's name: "line 2, column 4: message"."""
    where = "" if problem.line is None else f"line {problem.line}"
    if where and problem.column is not None:
        where += f", column {problem.column}"
    said = f"{problem.key}: {problem.message}" if problem.key else problem.message
    return f"{where}: {said}" if where else said


def summarize(
    teams: Sequence[tuple[str, Result]], broken: Iterable[tuple[str, str]] = ()
) -> Summary:
    """Line up the teams' results: ranks, counts, shared and divergent entries, common gaps."""
    broken_files = tuple(Broken(file, error) for file, error in broken)
    if not teams:
        return Summary(None, (), (), (), (), (), broken_files)
    rule_set = teams[0][1].rule_set
    in_set: Counter[str] = Counter()
    first: Counter[str] = Counter()
    gaps: Counter[str] = Counter()
    for _, result in teams:
        team_gaps: dict[str, None] = {}
        for rec in result.recommendations:
            if rec.recommended:
                in_set[rec.entry.id] += 1
                first[rec.entry.id] += rec.first_choice
                team_gaps.update(dict.fromkeys(g.text for g in rec.gaps))
        gaps.update(list(team_gaps))  # each gap once per team, however many entries share it
    order = {e.id: i for i, e in enumerate(rule_set.entries)}
    tallies = tuple(
        sorted(
            (Tally(e, in_set[e.id], first[e.id]) for e in rule_set.entries),
            key=lambda t: (-t.in_set, -t.first_choice, order[t.entry.id]),
        )
    )
    count = len(teams)
    shared = tuple(t for t in tallies if t.in_set and 2 * t.in_set >= count)
    split = [t for t in tallies if 0 < t.in_set < count]
    divergent = tuple(
        Divergent(t.entry, t.in_set, count - t.in_set, drivers)
        for t, drivers in zip(split, _drivers(rule_set, teams, split), strict=True)
    )
    # most_common keeps first-seen order among equal counts
    common = tuple(GapCount(text, n) for text, n in gaps.most_common() if 2 * n > count)
    common = common[:TOP_GAPS]
    rows = tuple(_team(name, result, tallies) for name, result in teams)
    priorities = _priorities([result for _, result in teams], common)
    return Summary(rule_set, rows, tallies, shared, divergent, common, broken_files, priorities)


def _priorities(results: list[Result], gaps: tuple[GapCount, ...]) -> tuple[Priority, ...]:
    """The first tasks of at least half the teams' plans, and the gaps most teams share."""
    from .plan import opening_tasks

    firsts: Counter[str] = Counter()
    for result in results:
        firsts.update(list(dict.fromkeys(opening_tasks(result, FIRST_TASKS))))
    tasks = [Priority(text, "task", n) for text, n in firsts.most_common() if 2 * n >= len(results)]
    found = [*(Priority(g.text, "gap", g.teams) for g in gaps), *tasks]
    found.sort(key=lambda p: -p.teams)  # stable: gaps before tasks of as many teams
    return tuple(found[:TOP_PRIORITIES])


def _team(name: str, result: Result, tallies: tuple[Tally, ...]) -> Team:
    by_id = {r.entry.id: r for r in result.recommendations}
    cells = []
    for tally in tallies:
        rec = by_id[tally.entry.id]
        cells.append(Cell(rec.rank, rec.recommended, rec.first_choice))
    first = next((r.entry for r in result.recommendations if r.first_choice), None)
    return Team(name, tuple(cells), first, tuple(r.entry for r in result.starting_set))


# An answer token: (question id, kind, value). Kinds: "is" (the answer), "has" (a multi answer
# includes the option), "above" / "upto" (a number against the room's median).
Token = tuple[str, str, object]


def _drivers(
    rule_set: RuleSet, teams: Sequence[tuple[str, Result]], split: list[Tally]
) -> list[tuple[Driver, ...]]:
    """For each entry, the questions whose answers differ most between the teams that have it
    in their starting set and those that do not."""
    if not split:
        return []
    # Only answers the rules read can move an entry; the others differ by chance.
    used = _rule_questions(rule_set)
    questions = [q for q in rule_set.questions if q.id in used]
    medians = _medians(questions, [r for _, r in teams])
    tokens = [_tokens(questions, result.answers, medians) for _, result in teams]
    overall: Counter[Token] = Counter()
    for found in tokens:
        overall.update(found)
    having: dict[str, Counter[Token]] = {t.entry.id: Counter() for t in split}
    for (_, result), found in zip(teams, tokens, strict=True):
        for rec in result.starting_set:
            if rec.entry.id in having:
                having[rec.entry.id].update(found)
    position = {q.id: i for i, q in enumerate(questions)}
    found_drivers = []
    for tally in split:
        with_tokens = having[tally.entry.id]
        n_with, n_without = tally.in_set, len(teams) - tally.in_set
        best: dict[str, Driver] = {}
        for token, all_count in overall.items():
            w = with_tokens.get(token, 0)
            wo = all_count - w
            share_w, share_wo = w / n_with, wo / n_without
            qid = token[0]
            current = best.get(qid)
            if current is None or abs(share_w - share_wo) > abs(
                current.with_share - current.without_share
            ):
                question = rule_set.questions_by_id[qid]
                best[qid] = Driver(question, _words(question, token), w, wo, share_w, share_wo)
        ranked = sorted(
            (d for d in best.values() if d.with_share != d.without_share),
            key=lambda d: (-abs(d.with_share - d.without_share), position[d.question.id]),
        )
        found_drivers.append(tuple(ranked[:TOP_DRIVERS]))
    return found_drivers


def _rule_questions(rule_set: RuleSet) -> set[str]:
    """The questions that some entry's requires, fit or prerequisite conditions read."""
    used: set[str] = set()
    for entry in rule_set.entries:
        conditions = [rule.when for rule in entry.fit] + [p.when for p in entry.prerequisites]
        conditions += [requirement.when for requirement in entry.requires]
        for condition in conditions:
            used |= referenced_questions(condition)
    return used


def _medians(questions: list[Question], results: list[Result]) -> dict[str, float]:
    medians: dict[str, float] = {}
    for question in questions:
        if question.kind.numeric:
            values = sorted(
                float(v)
                for r in results
                if isinstance(v := r.answers.get(question.id), (int, float))
            )
            if values:
                medians[question.id] = values[(len(values) - 1) // 2]
    return medians


def _tokens(
    questions: list[Question], answers: dict[str, AnswerValue], medians: dict[str, float]
) -> list[Token]:
    found: list[Token] = []
    for question in questions:
        qid = question.id
        value = answers.get(qid)
        if value is None:
            continue  # a question not asked tells the room nothing about a choice
        if isinstance(value, list):
            found.extend((qid, "has", option) for option in value)
            if not value:
                found.append((qid, "is", ()))
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and qid in medians:
            found.append((qid, "above" if value > medians[qid] else "upto", medians[qid]))
        else:
            found.append((qid, "is", value))
    return found


def _words(question: Question, token: Token) -> str:
    _, kind, value = token
    if kind == "has" and isinstance(value, str):
        return f"includes {question.label(value)}"
    if kind in ("above", "upto") and isinstance(value, float):
        limit = question.describe(value)
        return f"more than {limit}" if kind == "above" else f"{limit} or fewer"
    if isinstance(value, tuple):
        return question.describe([])
    if isinstance(value, (str, bool, int, float)):
        return question.describe(value)
    return str(value)
