"""Training scenarios: sample jurisdictions, each a narrative plus a complete set of answers.

A scenario is one file, `<rule set>/scenarios/<id>.yaml`, read with the strict YAML reader and
checked as strictly as a rule file: unknown keys, wrong types, answers that are not valid for
the rule set and expected entries that do not exist are errors with file, line and key. This
module reads and checks; it prints nothing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from .answers import SCENARIO_PREFIX, check_answers
from .conditions import AnswerValue
from .engine import applicable_answers
from .errors import PadtoolError, Problem, did_you_mean
from .model import RuleSet
from .rulefiles import scenario_files
from .rules.fields import Fields, kind_of
from .yamlfile import YamlList, YamlMap, read_mapping

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
    return [Path(layer) / "scenarios" for layer in rule_set.layers]


def load_scenarios(rule_set: RuleSet) -> list[Scenario]:
    """Every scenario of the rule set, by id; raise PadtoolError listing every problem."""
    problems: list[Problem] = []
    found: list[Scenario] = []
    seen: dict[str, Path] = {}
    for path in scenario_files([Path(layer) for layer in rule_set.layers]):
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
    for path in scenario_files([Path(layer) for layer in rule_set.layers]):
        files.setdefault(path.stem, path)
    wanted = name.strip().lower()
    if wanted.startswith(SCENARIO_PREFIX):
        wanted = wanted[len(SCENARIO_PREFIX) :]
    found = files.get(wanted)
    if found is None:
        hint = did_you_mean(wanted, files)
        raise PadtoolError(f"no scenario '{name}'{hint}; see: padtool scenarios list")
    return read_scenario(found, rule_set)


def read_scenario(path: Path, rule_set: RuleSet) -> Scenario:
    """Read and check one scenario file; raise PadtoolError listing every problem in it."""
    data = read_mapping(path, "scenario file")
    problems: list[Problem] = []
    fields = Fields(data, data.file, "", problems)
    fields.allow(set(KEYS), set(OPTIONAL_KEYS))
    scenario_id = fields.text("id")
    if scenario_id and not _ID.match(scenario_id):
        fields.problem("id", "use lower-case letters, digits, '_' and '-' only")
    elif scenario_id and scenario_id != path.stem:
        fields.problem("id", f"must match the file name '{path.stem}'")
    title = fields.text("title")
    if len(title) > _TITLE_LIMIT or "\n" in title:
        fields.problem("title", f"must be one line of at most {_TITLE_LIMIT} characters")
    # "expected: []": nothing should start yet (with readiness: nothing-yet).
    expected = _distinct(fields, "expected")
    excluded = _distinct(fields, "excluded", required=True)
    entry_ids = [e.id for e in rule_set.entries]
    for key, listed in (("expected", expected), ("excluded", excluded)):
        for index, entry_id in listed:
            if entry_id not in entry_ids:
                message = f"no entry '{entry_id}'{did_you_mean(entry_id, entry_ids)}"
                _item_problem(fields, key, index, message)
    readiness = fields.choice("readiness", READINESS)
    sources = _distinct(fields, "sources", required=True)
    for index, source in sources:
        if not source.startswith(("https://", "http://")) or any(c.isspace() for c in source):
            _item_problem(fields, "sources", index, f"expected a web address, found '{source}'")
    answers = _answers(data, rule_set, fields)
    if problems:
        raise PadtoolError(problems)
    return Scenario(
        scenario_id,
        title,
        fields.text("narrative"),
        tuple(entry_id for _, entry_id in expected),
        tuple(source for _, source in sources),
        answers,
        data.file,
        tuple(entry_id for _, entry_id in excluded),
        readiness,
    )


def _distinct(fields: Fields, key: str, required: bool = False) -> list[tuple[int, str]]:
    """The texts of a list, each with its index; an item that is not text, or a text listed
    twice, is a problem."""
    found: list[tuple[int, str]] = []
    for index, (item, _, _) in enumerate(fields.items(key, required)):
        if not isinstance(item, str) or not item.strip():
            _item_problem(fields, key, index, f"expected text, found {kind_of(item)}")
        elif item.strip() in (text for _, text in found):
            _item_problem(fields, key, index, f"'{item.strip()}' is listed twice")
        else:
            found.append((index, item.strip()))
    return found


def _item_problem(fields: Fields, key: str, index: int, message: str) -> None:
    items = fields.data[key]
    line, column = items.item_positions[index] if isinstance(items, YamlList) else (0, 0)
    fields.problems.append(Problem(fields.file, message, line, column, f"{key}[{index}]"))


def _answers(data: YamlMap, rule_set: RuleSet, fields: Fields) -> dict[str, AnswerValue]:
    """The answers mapping, checked exactly as an answers file is, and complete."""
    found = data.get("answers")
    if "answers" not in data:
        return {}
    if not isinstance(found, YamlMap):
        fields.problem("answers", f"expected a mapping of answers, found {kind_of(found)}")
        return {}
    found.file = data.file
    # A scenario written for the bundled set cannot answer what a local overlay adds.
    added = [q.id for q in rule_set.questions if q.origin is not None and not q.origin.replaces]
    answers, _, problems = check_answers(found, rule_set, complete=True, excused=added)
    where = data.key_positions["answers"]
    for problem in problems:
        # A missing answer has no line of its own in an answers file; here it has the mapping's.
        line, column = (problem.line, problem.column) if problem.line else where
        fields.problems.append(
            problem._replace(line=line, column=column, key=f"answers.{problem.key}")
        )
    # A scenario is a teaching example: an answer the engine would set aside is a mistake.
    kept = applicable_answers(rule_set, answers)
    for qid in [qid for qid in answers if qid not in kept]:
        line, column = found.key_positions[qid]
        fields.problems.append(
            Problem(
                data.file,
                "the question does not apply given the other answers; remove this answer",
                line,
                column,
                f"answers.{qid}",
            )
        )
    return answers
