"""Answers files: reading and checking them against the rule set, and writing them back."""

from __future__ import annotations

import json
import math
import unicodedata
from collections.abc import Collection
from pathlib import Path
from typing import Any

from . import __version__
from .conditions import LARGEST_NUMBER, UNKNOWN, AnswerValue, is_number
from .engine import applicable_answers, applicable_questions
from .errors import PadtoolError, Problem, did_you_mean
from .model import Question, RuleSet
from .yamlfile import YamlMap, read_mapping

SESSION_KEY = "padtool_session"  # marks an interview session file
# Control, format (bidi, zero-width), surrogate, private and unassigned characters; a no-break
# space pasted from a web page is a space like any other.
_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn"}


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
    checker = {
        "single": _check_single,
        "multi": _check_multi,
        "confirm": _check_confirm,
        "number": _check_number,
        "text": _check_text,
    }[question.type]
    return checker(question, value)


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


def _options(question: Question) -> list[str]:
    return [o.value for o in question.options]


def _not_an_option(question: Question, value: str) -> str:
    values = _options(question)
    suggestion = did_you_mean(value, values) or f"; expected one of {', '.join(values)}"
    return f"'{value}' is not an option{suggestion}"


def _check_single(question: Question, value: Any) -> str:
    if not isinstance(value, str):
        return f"expected one option value, found {value!r}"
    return "" if value in _options(question) else _not_an_option(question, value)


def _check_multi(question: Question, value: Any) -> str:
    if not isinstance(value, list):
        return f"expected a list of option values, found {value!r}"[:200]
    for item in value:
        if not isinstance(item, str):
            return f"expected option values, found {item!r}"[:200]
        if item not in _options(question):
            return _not_an_option(question, item)
    if len(set(value)) != len(value):
        return "lists an option more than once"
    return ""


def _check_confirm(question: Question, value: Any) -> str:
    if isinstance(value, bool) or (question.dont_know and value == UNKNOWN):
        return ""
    allowed = "true, false or unknown" if question.dont_know else "true or false"
    return f"expected {allowed}, found {value!r}"[:200]


def _check_number(question: Question, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"expected a number, found {value!r}"[:200]
    if isinstance(value, float) and not math.isfinite(value):
        return "expected a finite number"
    # Compared as they are: an int like 10**400 has no float value to print or convert.
    found = f", found {_number(value)}" if is_number(value) else ""
    if question.min is not None and value < question.min:
        return f"must be at least {_number(question.min)}{found}"
    if question.max is not None and value > question.max:
        return f"must be at most {_number(question.max)}{found}"
    if not is_number(value):
        return f"expected a finite number no larger than {LARGEST_NUMBER:,} either way"
    if question.integer and not float(value).is_integer():
        return f"must be a whole number{found}"
    return ""


def tidy_text(question: Question, value: Any) -> Any:
    """A prose answer with its line breaks made one kind (Windows' CRLF and old Macs' CR become
    LF); any other value as it is."""
    if question.type == "text" and question.multiline and isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def _check_text(question: Question, value: Any) -> str:
    if not isinstance(value, str):
        return f"expected text, found {value!r}; put it in quotes"[:200]
    if len(value) > question.max_length:
        return f"is {len(value):,} characters long; the limit is {question.max_length}"
    if "\n" in value or "\r" in value:
        if not question.multiline:
            return "contains a line break; this answer must be one line"
        value = value.replace("\n", "")
    if any(unicodedata.category(ch) in _INVISIBLE for ch in value):
        return "contains control characters or invisible formatting; remove them"
    if question.required and not value.strip():
        return "must not be empty"
    return ""


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _one_line(text: str) -> str:
    return " ".join(text.split())
