"""The kinds of question a rule set may ask: one record per type, holding what differs by type.

Each record says which keys of a question's YAML belong to the type, which comparisons a
condition may make of its answer, how an answers file's value is checked, how typed input is
read, which function of padtool.interview asks it, and how its answer reads in a sentence; the
engine's what-if and reachability searches read the shape of its answers (options, a list,
fixed choices, a number, prose). Adding a type is adding a record here; a prompt function in
padtool.interview when none of those asks it; and the live room's form for it, the macro named
as the type in templates/room/fields.html (tests hold every type to both). Pure and cheap to
import: the interview's libraries are not imported here.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from .conditions import LARGEST_NUMBER, UNKNOWN, AnswerValue, is_number
from .errors import did_you_mean

if TYPE_CHECKING:
    from .model import Question

# Control, format (bidi, zero-width), surrogate, private and unassigned characters; a no-break
# space pasted from a web page is a space like any other.
_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn"}
# The comparisons that test one answer against a value or a list of values.
_VALUE_COMPARISONS = frozenset({"equals", "in"})


class QuestionType(NamedTuple):
    name: str
    label: str  # the type as messages about rule files name it
    options: bool  # answered by choosing among the question's options
    many: bool  # the answer is a list
    dont_know: bool  # may offer "Don't know"
    # The keys of a question's YAML only this type has; keys grouped together (min and max) are
    # named together when given to another type.
    keys: tuple[tuple[str, ...], ...]
    comparisons: frozenset[str]  # what a condition may ask of its answer, besides `answered`
    comparison_hint: str  # what to use instead of a comparison it does not take
    value_problem: Callable[[Question, Any], str]  # why a condition's value cannot be an answer
    check: Callable[[Question, Any], str]  # why an answers file's value cannot answer it
    prompt: str  # the function of padtool.interview that asks it
    parse: Callable[[Question, str], AnswerValue | None] | None = None  # typed input -> answer
    parse_problem: str = ""  # what to say when typed input reads as no answer
    prose: bool = False  # the answer is the user's own words: shown as typed, never a lever
    numeric: bool = False  # the answer is a number
    choices: tuple[AnswerValue, ...] = ()  # the answers every question of the type offers
    profile_has_answer: bool = True  # a profile sentence places the answer with {answer}
    phrase: Callable[[Question, AnswerValue], str] | None = None  # the answer in a sentence

    def in_sentence(self, question: Question, value: AnswerValue) -> str:
        """The answer as it reads inside a sentence of the rule set."""
        if self.phrase is not None:
            return self.phrase(question, value)
        described = question.describe(value)
        if described[:2].isupper():
            return described  # an acronym such as "CIT"
        return described[:1].lower() + described[1:]


def _not_an_option(question: Question, value: str) -> str:
    instead = dict(question.removed).get(value)
    if instead is not None:
        return f"'{value}' is no longer an option: {instead}"
    values = [o.value for o in question.options]
    suggestion = did_you_mean(value, values) or f"; expected one of {', '.join(values)}"
    return f"'{value}' is not an option{suggestion}"


def _check_single(question: Question, value: Any) -> str:
    if not isinstance(value, str):
        return f"expected one option value, found {value!r}"
    options = [o.value for o in question.options]
    return "" if value in options else _not_an_option(question, value)


def _check_multi(question: Question, value: Any) -> str:
    if not isinstance(value, list):
        return f"expected a list of option values, found {value!r}"[:200]
    options = [o.value for o in question.options]
    for item in value:
        if not isinstance(item, str):
            return f"expected option values, found {item!r}"[:200]
        if item not in options:
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


def tidy_text(question: Question, value: Any) -> Any:
    """A prose answer with its line breaks made one kind (Windows' CRLF and old Macs' CR become
    LF); any other value as it is."""
    if question.multiline and isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def parse_number(text: str) -> int | float | None:
    """A typed number ("18,000", "2.5"); None when it is not a finite number."""
    cleaned = text.strip().replace(",", "").replace("_", "")
    try:
        return int(cleaned)
    except ValueError:
        try:
            number = float(cleaned)
        except ValueError:
            return None
    return number if number == number and abs(number) != float("inf") else None


def _parse_text(question: Question, text: str) -> AnswerValue | None:
    return tidy_text(question, text.strip()) or None


def _option_value_problem(question: Question, value: Any) -> str:
    values = {o.value for o in question.options}
    if value in values:
        return ""
    return f"'{value}' is not an option of '{question.id}'{did_you_mean(str(value), values)}"


def _typed_value_problem(*expected: type) -> Callable[[Question, Any], str]:
    def problem(question: Question, value: Any) -> str:
        # bool is an int to Python, never a number to a rule set
        if isinstance(value, expected) and (bool in expected or not isinstance(value, bool)):
            return ""
        return f"'{question.id}' is a {question.type} question; {value!r} cannot be its answer"

    return problem


def _number_phrase(question: Question, value: AnswerValue) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value == int(value):
        return f"{int(value):,}"  # "18,000 residents"
    return question.describe(value)


def _text_phrase(question: Question, value: AnswerValue) -> str:
    return question.describe(value)  # typed by the user: as they typed it


TYPES: dict[str, QuestionType] = {
    t.name: t
    for t in (
        QuestionType(
            name="single",
            label="single",
            options=True,
            many=False,
            dont_know=True,
            keys=(),
            comparisons=_VALUE_COMPARISONS,
            comparison_hint="",
            value_problem=_option_value_problem,
            check=_check_single,
            prompt="ask_single",
        ),
        QuestionType(
            name="multi",
            label="multi",
            options=True,
            many=True,
            dont_know=True,
            keys=(),
            comparisons=frozenset({"includes", "includes_any", "includes_all"}),
            comparison_hint="use includes or includes_any",
            value_problem=_option_value_problem,
            check=_check_multi,
            prompt="ask_multi",
        ),
        QuestionType(
            name="confirm",
            label="confirm (yes/no)",
            options=False,
            many=False,
            dont_know=True,
            keys=(("profile_no",),),
            comparisons=_VALUE_COMPARISONS,
            comparison_hint="",
            value_problem=_typed_value_problem(bool),
            check=_check_confirm,
            prompt="ask_confirm",
            choices=(True, False),
            profile_has_answer=False,
        ),
        QuestionType(
            name="number",
            label="number",
            options=False,
            many=False,
            dont_know=False,
            keys=(("min", "max"), ("integer",)),
            comparisons=_VALUE_COMPARISONS | {"at_least", "at_most"},
            comparison_hint="",
            value_problem=_typed_value_problem(int, float),
            check=_check_number,
            prompt="ask_typed",
            parse=lambda question, text: parse_number(text),
            parse_problem="Please type a number, such as 25",
            numeric=True,
            phrase=_number_phrase,
        ),
        QuestionType(
            name="text",
            label="text",
            options=False,
            many=False,
            dont_know=False,
            keys=(("max_length",), ("multiline",)),
            comparisons=_VALUE_COMPARISONS,
            comparison_hint="",
            value_problem=_typed_value_problem(str),
            check=_check_text,
            prompt="ask_typed",
            parse=_parse_text,
            parse_problem="An answer is required",
            prose=True,
            phrase=_text_phrase,
        ),
    )
}
NAMES = tuple(TYPES)


def question_type(name: str) -> QuestionType | None:
    """The record of a type name as a rule file writes it (None for a name that is no type)."""
    return TYPES.get(name)
