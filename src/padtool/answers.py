"""Answers files: reading and checking them against the rule set, and writing them back."""

from __future__ import annotations

import json
from collections.abc import Collection
from pathlib import Path
from typing import Any

from . import __version__
from .conditions import AnswerValue
from .engine import applicable_answers, applicable_questions
from .errors import PadtoolError, Problem, did_you_mean
from .model import Question, RuleSet
from .question_types import tidy_text
from .yamlfile import YamlMap, read_mapping

SESSION_KEY = "padtool_session"  # marks an interview session file
# An answer set is named by its answers file or as scenario:ID (a training scenario), so
# `compare` and the commands taking --scenario can mix the two.
SCENARIO_PREFIX = "scenario:"


def load_answers(
    path: Path, rule_set: RuleSet, complete: bool = True, pipes: bool = True
) -> tuple[dict[str, AnswerValue], list[str]]:
    """Read an answers file and check every answer; return the answers and notes for the user.

    Answers to questions that do not apply are returned too (the engine sets them aside), and
    each gets a note.

    With complete=False (pre-filling an interview) missing required answers are not an error.
    With pipes=False only a regular file is read.
    Raises PadtoolError listing every problem, each with file, line and question id.
    """
    # An answers file may come through a pipe (`--answers /dev/stdin`): only its size is capped.
    try:
        data = read_mapping(path, "answers file", regular_only=not pipes)
    except PadtoolError:
        if _looks_like_a_report(path):
            raise PadtoolError([Problem(str(path), _REPORT_GIVEN)]) from None
        raise
    _refuse_other_padtool_files(data)
    data = answers_mapping(data)
    answers, notes, problems = check_answers(data, rule_set, complete)
    if problems:
        raise PadtoolError(problems)
    return answers, notes


def check_answers(
    data: YamlMap, rule_set: RuleSet, complete: bool = True, excused: Collection[str] = ()
) -> tuple[dict[str, AnswerValue], list[str], list[Problem]]:
    """Check an already-read mapping of answers: the answers, notes for the user, and every
    problem (located in data.file), as load_answers reports them. Questions in excused may go
    unanswered even when complete answers are asked for."""
    name = data.file
    problems: list[Problem] = []
    answers: dict[str, AnswerValue] = {}
    notes: list[str] = []
    known = [q.id for q in rule_set.questions]
    for qid, value in data.items():
        line, column = data.value_positions[qid]
        question = rule_set.question(qid)
        if question is None:
            suggestion = did_you_mean(qid, known)
            problems.append(
                Problem(name, f"unknown question{suggestion}", *data.key_positions[qid], qid)
            )
            continue
        if value is None:
            continue
        value = tidy_text(question, value)
        current = _current_values(question, value)
        if current != value:
            notes.append(f"'{qid}': {_renamed(value, current)} (the option was renamed)")
        message = check_answer(question, current)
        if message:
            problems.append(Problem(name, message, line, column, qid))
        else:
            answers[qid] = current
    kept = applicable_answers(rule_set, answers)
    notes += [
        f"'{qid}' was ignored: the question does not apply given the other answers"
        for qid in answers
        if qid not in kept
    ]
    if complete and not problems:
        problems.extend(p for p in _missing(rule_set, kept, data) if p.key not in excused)
    return answers, notes, problems


_REPORT_GIVEN = (
    "this is a padtool report, not an answers file; pass the answers file the interview "
    "saved (--save-answers FILE) or its session file (see: padtool sessions list)"
)
_SCENARIO_KEYS = {"id", "title", "narrative", "answers"}  # what a training scenario has


def _looks_like_a_report(path: Path) -> bool:
    """A Markdown or HTML report given where answers belong (read again only if a file)."""
    try:
        if not path.is_file():
            return False
        with path.open("rb") as file:
            start = file.read(512).decode("utf-8", "replace").lstrip().lower()
    except OSError:
        return False
    return start.startswith(("<!doctype html", "<html", "# pre-arrest diversion pathways"))


def _refuse_other_padtool_files(data: YamlMap) -> None:
    """A training scenario or a JSON result is recognised, with what to pass instead."""
    if set(data) >= _SCENARIO_KEYS and isinstance(data.get("id"), str):
        scenario = data["id"]
        message = (
            "this is a training scenario, not an answers file; use --scenario "
            f"{scenario}, or write its answers to a file with: padtool scenarios show "
            f"{scenario} --answers-only > answers.yaml"
        )
        raise PadtoolError([Problem(data.file, message)])
    if "recommendations" in data and "schema_version" in data:
        raise PadtoolError([Problem(data.file, _REPORT_GIVEN)])


def answers_mapping(data: YamlMap) -> YamlMap:
    """The answers in a plain answers file, or in an interview session file."""
    if SESSION_KEY not in data:
        return data
    answers = data.get("answers")
    if not isinstance(answers, YamlMap):
        line, column = data.value_positions.get("answers", data.position)
        raise PadtoolError(
            [
                Problem(
                    data.file, "a session file needs an 'answers' mapping", line, column, "answers"
                )
            ]
        )
    answers.file = data.file
    return answers


def check_answer(question: Question, value: Any) -> str:
    """Why value cannot answer the question, or '' if it can."""
    return question.kind.check(question, value)


def _current_values(question: Question, value: Any) -> Any:
    """The answer with any former option value (an alias) replaced by the option's value."""
    if isinstance(value, str):
        return question.current_value(value)
    if isinstance(value, list):
        return [question.current_value(v) if isinstance(v, str) else v for v in value]
    return value


def _renamed(value: Any, current: Any) -> str:
    if isinstance(value, list):
        pairs = [(old, new) for old, new in zip(value, current, strict=True) if old != new]
    else:
        pairs = [(value, current)]
    return ", ".join(f"'{old}' is read as '{new}'" for old, new in pairs)


def dump_answers(rule_set: RuleSet, answers: dict[str, AnswerValue]) -> str:
    """Answers as a YAML file that `recommend --answers` reads back unchanged."""
    lines = [
        f"# padtool {__version__} answers for rule set '{rule_set.name}' version {rule_set.version}"
    ]
    for question in rule_set.questions:
        if question.id in answers:
            lines.append(f"# {_one_line(question.prompt)}")
            # JSON is valid YAML and quotes every string, so no answer can be misread.
            lines.append(f"{question.id}: {json.dumps(answers[question.id], ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def save_answers(
    path: Path, rule_set: RuleSet, answers: dict[str, AnswerValue], force: bool
) -> None:
    from .files import write_atomic  # tempfile is not needed to read answers

    write_atomic(path, dump_answers(rule_set, answers), force)


def _missing(rule_set: RuleSet, kept: dict[str, AnswerValue], data: YamlMap) -> list[Problem]:
    return [
        Problem(data.file, "required answer missing", key=q.id)
        for q in applicable_questions(rule_set, kept)
        if q.required and q.id not in kept
    ]


def _one_line(text: str) -> str:
    return " ".join(text.split())
