"""The room's pages: the browser form of each question type, and the templates.

Each question type (padtool.question_types) has a form: the macro of its name in
templates/room/fields.html draws its inputs, and what the type is (options, a list, typed in)
says how the posted fields become an answer. The answer is then checked by the same
check_answer as an answers file, so the browser accepts exactly what the terminal interview
and `recommend` accept.
Every template is rendered with Jinja2's autoescape: rule-set and team text is escaped, and
cleaned of control and bidi characters first, as in the HTML report.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from ..answers import check_answer
from ..conditions import UNKNOWN, AnswerValue
from ..model import DONT_KNOW, Question
from ..render.text import clean
from .state import RoomError

Form = dict[str, list[str]]  # the posted fields: every value of each name, in order
TEMPLATES = Path(__file__).parent.parent / "templates" / "room"
_CHOICES: dict[str, AnswerValue] = {"yes": True, "no": False, "unknown": UNKNOWN}


def _one(form: Form) -> str:
    return (form.get("answer") or [""])[0]


def _form_value(question: Question, form: Form) -> AnswerValue | None:
    """The answer the posted fields give, read by what the question's type is (its entry in
    padtool.question_types): a list of options, one option, yes or no, or typed in."""
    kind = question.kind
    if kind.many:
        chosen = set(form.get("answer", []))
        listed = [o.value for o in question.options if o.value in chosen]
        return listed + sorted(chosen - set(listed))  # unknown values too: check_answer names them
    typed = _one(form)
    if not typed.strip():
        return None
    if kind.parse is not None:
        value = kind.parse(question, typed)
        if value is None:
            raise RoomError(kind.parse_problem, 422)
        return value
    if kind.choices:  # yes or no: the form posts their words
        return _CHOICES.get(typed, typed)
    return typed


def read_answer(question: Question, form: Form) -> AnswerValue | None:
    """The answer the posted form gives, checked; RoomError (422) saying what is wrong."""
    value = _form_value(question, form)
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
    env.globals.update(dont_know=DONT_KNOW, unknown=UNKNOWN)
    return env


def render(name: str, **context: Any) -> str:
    return environment().get_template(name).render(**context)
