"""The room's pages: one table of question types for the browser form, and the templates.

Each question type has a form: the template macro that draws its inputs, and how the posted
fields become an answer. The answer is then checked by the same check_answer as an answers
file, so the browser accepts exactly what the terminal interview and `recommend` accept.
Every template is rendered with Jinja2's autoescape: rule-set and team text is escaped, and
cleaned of control and bidi characters first, as in the HTML report.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from ..answers import check_answer
from ..conditions import UNKNOWN, AnswerValue
from ..model import DONT_KNOW, Question
from ..render.text import clean
from .state import RoomError

Form = dict[str, list[str]]  # the posted fields: every value of each name, in order
TEMPLATES = Path(__file__).parent.parent / "templates" / "room"
_CONFIRM: dict[str, AnswerValue] = {"yes": True, "no": False, "unknown": UNKNOWN}


class FormType(NamedTuple):
    """How a question type is asked in the browser."""

    macro: str  # the macro in templates/room/fields.html that draws the inputs
    read: Callable[[Question, Form], AnswerValue | None]  # None: no answer given


def _one(form: Form) -> str:
    return (form.get("answer") or [""])[0]


def _read_single(question: Question, form: Form) -> AnswerValue | None:
    return _one(form) or None


def _read_multi(question: Question, form: Form) -> AnswerValue | None:
    chosen = set(form.get("answer", []))
    listed = [o.value for o in question.options if o.value in chosen]
    return listed + sorted(chosen - set(listed))  # unknown values too: check_answer names them


def _read_confirm(question: Question, form: Form) -> AnswerValue | None:
    typed = _one(form)
    if not typed:
        return None
    return _CONFIRM.get(typed, typed)


def _read_typed(question: Question, form: Form) -> AnswerValue | None:
    """A typed-in answer, parsed as the terminal parses it (its question type's parser)."""
    typed = _one(form)
    parse = question.kind.parse
    if not typed.strip() or parse is None:
        return None
    value = parse(question, typed)
    if value is None:
        raise RoomError(question.kind.parse_problem, 422)
    return value


FORM_TYPES: dict[str, FormType] = {
    "single": FormType("single", _read_single),
    "multi": FormType("multi", _read_multi),
    "confirm": FormType("confirm", _read_confirm),
    "number": FormType("number", _read_typed),
    "text": FormType("text", _read_typed),
}


def read_answer(question: Question, form: Form) -> AnswerValue | None:
    """The answer the posted form gives, checked; RoomError (422) saying what is wrong."""
    value = FORM_TYPES[question.type].read(question, form)
    if value is None:
        if question.required:
            raise RoomError("An answer is required", 422)
        return None
    problem = check_answer(question, value)
    if problem:
        raise RoomError(f"This answer {problem}." if problem[0].islower() else problem, 422)
    return value


def shown(value: AnswerValue | None) -> Any:
    """An answer as the form's fields hold it: option values, 'yes'/'no', or typed text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, list) else str(value)


def _finalize(value: Any) -> Any:
    # Text goes out cleaned (no control or bidi characters), then autoescape escapes it.
    if isinstance(value, str) and not isinstance(value, Markup):
        return clean(value)
    return value


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(form_types=FORM_TYPES, dont_know=DONT_KNOW, unknown=UNKNOWN)
    return env


def render(name: str, **context: Any) -> str:
    return environment().get_template(name).render(**context)
