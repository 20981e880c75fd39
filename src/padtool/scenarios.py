"""Training scenarios: sample jurisdictions, each a narrative plus a complete set of answers.

A scenario is one file, `<rule set>/scenarios/<id>.yaml`, read with the strict YAML reader and
checked as strictly as a rule file: unknown keys, wrong types, answers that are not valid for
the rule set and expected entries that do not exist are errors with file, line and key. This
module reads and checks; it prints nothing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, NamedTuple

from .answers import check_answers
from .conditions import AnswerValue
from .engine import applicable_answers
from .errors import PadtoolError, Problem, did_you_mean
from .model import RuleSet
from .yamlfile import YamlList, YamlMap, read_mapping

PREFIX = "scenario:"  # how `compare` tells a scenario from an answers file
KEYS = ("id", "title", "narrative", "expected", "sources", "answers")
OPTIONAL_KEYS = ("excluded", "readiness")
READINESS = ("ready", "build-first", "not-yet", "nothing-yet")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_TITLE_LIMIT = 120


class Scenario(NamedTuple):
    id: str
    title: str
    narrative: str
    expected: tuple[str, ...]  # entry ids that belong in the starting set
    sources: tuple[str, ...]  # web addresses the narrative's facts come from
    answers: dict[str, AnswerValue]
    file: str
    excluded: tuple[str, ...] = ()  # entry ids that must stay out of the starting set
    # The first choice's readiness; "nothing-yet": no starting set, only what to build first.
    readiness: str = ""


def scenario_dirs(rule_set: RuleSet) -> list[Path]:
    """Scenarios belong to the rule set whose questions they answer, and to its overlays."""
    folders = [rule_set.location, *(overlay.location for overlay in rule_set.overlays)]
    return [Path(folder) / "scenarios" for folder in folders]


def scenario_files(rule_set: RuleSet) -> list[Path]:
    return [
        path
        for folder in scenario_dirs(rule_set)
        for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")], key=lambda p: p.name)
    ]


def load_scenarios(rule_set: RuleSet) -> list[Scenario]:
    """Every scenario of the rule set, by id; raise PadtoolError listing every problem."""
    problems: list[Problem] = []
    found: list[Scenario] = []
    seen: dict[str, Path] = {}
    for path in scenario_files(rule_set):
        if path.stem in seen:
            problems.append(
                Problem(str(path), f"scenario '{path.stem}' is also defined in {seen[path.stem]}")
            )
            continue
        seen[path.stem] = path
        try:
            found.append(read_scenario(path, rule_set))
        except PadtoolError as error:  # gathered, so that one run lists every broken file
            problems.extend(error.problems)
    if problems:
        raise PadtoolError(problems)
    return found


def find_scenario(rule_set: RuleSet, name: str) -> Scenario:
    """The scenario with this id (its file name), or an error suggesting the closest id."""
    files: dict[str, Path] = {}
    for path in scenario_files(rule_set):
        files.setdefault(path.stem, path)
    wanted = name.strip().lower()
    if wanted.startswith(PREFIX):
        wanted = wanted[len(PREFIX) :]
    found = files.get(wanted)
    if found is None:
        hint = did_you_mean(wanted, files)
        raise PadtoolError(f"no scenario '{name}'{hint}; see: padtool scenarios list")
    return read_scenario(found, rule_set)


def read_scenario(path: Path, rule_set: RuleSet) -> Scenario:
    """Read and check one scenario file; raise PadtoolError listing every problem in it."""
    data = read_mapping(path, "scenario file")
    check = _Checker(data)
    known = (*KEYS, *OPTIONAL_KEYS)
    for key in data:
        if key not in known:
            check.problem(key, f"unknown key{did_you_mean(key, known)}", at_key=True)
    for key in KEYS:
        if key not in data:
            check.problem(None, f"missing required key '{key}'")
    scenario_id = check.text("id")
    if scenario_id and not _ID.match(scenario_id):
        check.problem("id", "use lower-case letters, digits, '_' and '-' only")
    elif scenario_id and scenario_id != path.stem:
        check.problem("id", f"must match the file name '{path.stem}'")
    title = check.text("title")
    if len(title) > _TITLE_LIMIT or "\n" in title.strip():
        check.problem("title", f"must be one line of at most {_TITLE_LIMIT} characters")
    narrative = check.text("narrative")
    # "expected: []": nothing should start yet (with readiness: nothing-yet).
    expected, excluded = check.texts("expected", empty=True), check.texts("excluded")
    entry_ids = [e.id for e in rule_set.entries]
    for key, listed in (("expected", expected), ("excluded", excluded)):
        for index, entry_id in enumerate(listed):
            if entry_id not in entry_ids:
                message = f"no entry '{entry_id}'{did_you_mean(entry_id, entry_ids)}"
                check.item_problem(key, index, message)
    readiness = check.text("readiness") if "readiness" in data else ""
    if readiness and readiness not in READINESS:
        check.problem("readiness", f"expected one of {', '.join(READINESS)}, found '{readiness}'")
    sources = check.texts("sources")
    for index, source in enumerate(sources):
        if not source.startswith(("https://", "http://")) or any(c.isspace() for c in source):
            check.item_problem("sources", index, f"expected a web address, found '{source}'")
    answers = _answers(data, rule_set, check)
    if check.problems:
        raise PadtoolError(check.problems)
    return Scenario(
        scenario_id,
        title.strip(),
        narrative.strip(),
        expected,
        sources,
        answers,
        data.file,
        excluded,
        readiness,
    )


def _answers(data: YamlMap, rule_set: RuleSet, check: _Checker) -> dict[str, AnswerValue]:
    """The answers mapping, checked exactly as an answers file is, and complete."""
    found = data.get("answers")
    if "answers" not in data:
        return {}
    if not isinstance(found, YamlMap):
        check.problem("answers", f"expected a mapping of answers, found {_kind(found)}")
        return {}
    found.file = data.file
    # A scenario written for the bundled set cannot answer what a local overlay adds.
    added = [q.id for q in rule_set.questions if q.origin is not None and not q.origin.replaces]
    answers, _, problems = check_answers(found, rule_set, complete=True, excused=added)
    where = data.key_positions["answers"]
    for problem in problems:
        # A missing answer has no line of its own in an answers file; here it has the mapping's.
        line, column = (problem.line, problem.column) if problem.line else where
        check.problems.append(
            problem._replace(line=line, column=column, key=f"answers.{problem.key}")
        )
    # A scenario is a teaching example: an answer the engine would set aside is a mistake.
    kept = applicable_answers(rule_set, answers)
    for qid in [qid for qid in answers if qid not in kept]:
        line, column = found.key_positions[qid]
        check.problems.append(
            Problem(
                data.file,
                "the question does not apply given the other answers; remove this answer",
                line,
                column,
                f"answers.{qid}",
            )
        )
    return answers


class _Checker:
    """Reads the top-level keys of a scenario file, recording a located problem for each fault."""

    def __init__(self, data: YamlMap) -> None:
        self.data = data
        self.problems: list[Problem] = []

    def problem(self, key: str | None, message: str, at_key: bool = False) -> None:
        if key is None or key not in self.data:
            line, column = self.data.position
        else:
            positions = self.data.key_positions if at_key else self.data.value_positions
            line, column = positions[key]
        self.problems.append(Problem(self.data.file, message, line, column, key))

    def item_problem(self, key: str, index: int, message: str) -> None:
        items = self.data[key]
        line, column = items.item_positions[index] if isinstance(items, YamlList) else (0, 0)
        self.problems.append(Problem(self.data.file, message, line, column, f"{key}[{index}]"))

    def text(self, key: str) -> str:
        if key not in self.data:
            return ""
        value = self.data[key]
        if not isinstance(value, str):
            self.problem(key, f"expected text, found {_kind(value)}")
            return ""
        if not value.strip():
            self.problem(key, "must not be empty")
        return value

    def texts(self, key: str, empty: bool = False) -> tuple[str, ...]:
        """A list of distinct texts, non-empty unless empty is allowed."""
        if key not in self.data:
            return ()
        value = self.data[key]
        if not isinstance(value, list) or not (value or empty):
            self.problem(key, f"expected a non-empty list, found {_kind(value)}")
            return ()
        found: list[str] = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.item_problem(key, index, f"expected text, found {_kind(item)}")
            elif item in found:
                self.item_problem(key, index, f"'{item}' is listed twice")
            else:
                found.append(item)
        return tuple(found)


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "an empty list" if not value else "a list"
    return "nothing" if value is None else f"{value!r}"[:60]
