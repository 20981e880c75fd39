"""The interactive questionnaire: the only module that talks to questionary.

It asks, validates as the user types, and hands every answer to a callback at once, so an
interruption (Ctrl-C, a closed terminal, SIGTERM or SIGHUP) never loses an answer already given.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

import questionary
from prompt_toolkit import print_formatted_text
from prompt_toolkit.application import get_app_or_none
from prompt_toolkit.formatted_text import FormattedText
from questionary import Choice

from .answers import check_answer
from .conditions import AnswerValue, may_hold
from .engine import applicable_answers, applicable_questions
from .errors import EXIT_BAD_INPUT, PadtoolError
from .model import Question, RuleSet
from .render.text import clean

Answers = dict[str, AnswerValue]


class Interrupted(Exception):
    """The user or the system stopped the interview; the answers so far are already saved."""


def require_terminal() -> None:
    """Refuse at once when there is no terminal to ask on, instead of hanging or crashing."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise PadtoolError(
            "the interview needs a terminal (stdin and stdout); to get recommendations without "
            "prompts use: padtool recommend --answers FILE",
            EXIT_BAD_INPUT,
        )


def ask_all(
    rule_set: RuleSet, answers: Answers, on_answer: Callable[[Answers], None], **prompt_options: Any
) -> Answers:
    """Ask every applicable question not answered yet; return the applicable answers.

    Raises Interrupted on Ctrl-C, end of input, SIGTERM or SIGHUP, after on_answer has seen
    every answer given. prompt_options (input, output) let tests drive real prompts.
    """
    answers = dict(answers)
    skipped: set[str] = set()
    with _signals_interrupt():
        while (question := _next_question(rule_set, answers, skipped)) is not None:
            number, total = _progress(rule_set, answers, question)
            value = _ask(question, number, total, **prompt_options)
            if value is None:
                skipped.add(question.id)
                continue
            answers[question.id] = value
            on_answer(applicable_answers(rule_set, answers))
    return applicable_answers(rule_set, answers)


def ask_report_path(default: str, check: Callable[[str], str], **prompt_options: Any) -> str | None:
    """Offer to save the report; return the chosen path, or None if declined."""
    with _signals_interrupt():
        if not _unsafe(
            questionary.confirm(
                "Save this report as a Markdown file?", default=True, **prompt_options
            )
        ):
            return None
        path = _unsafe(
            questionary.text(
                "File name:",
                default=default,
                validate=lambda text: check(text) or True,
                **prompt_options,
            )
        )
        return str(path)


def _next_question(rule_set: RuleSet, answers: Answers, skipped: set[str]) -> Question | None:
    return next(
        (
            q
            for q in applicable_questions(rule_set, answers)
            if q.id not in answers and q.id not in skipped
        ),
        None,
    )


def _progress(rule_set: RuleSet, answers: Answers, current: Question) -> tuple[int, int]:
    # Count questions that could still come up, so the total shrinks as conditions rule some out.
    kept = applicable_answers(rule_set, answers)
    possible = [q for q in rule_set.questions if may_hold(q.when, kept)]
    return possible.index(current) + 1, len(possible)


def _ask(question: Question, number: int, total: int, **options: Any) -> AnswerValue | None:
    header = [("class:progress", f"Question {number} of {total}")]
    if question.help:
        header += [("", "  "), ("class:help", clean(question.help))]
    print_formatted_text(FormattedText(header), **_output_only(options))
    message = clean(question.prompt)
    if question.type == "single":
        choices = [Choice(clean(o.label), value=o.value) for o in question.options]
        if not question.required:
            choices.append(Choice("Skip this question", value=""))
        value = _unsafe(questionary.select(message, choices=choices, **options))
        return value or None
    if question.type == "multi":
        choices = [Choice(clean(o.label), value=o.value) for o in question.options]
        return list(
            _unsafe(
                questionary.checkbox(
                    message,
                    choices=choices,
                    instruction="(space to select, enter when done; none is a valid answer)",
                    **options,
                )
            )
        )
    if question.type == "confirm":
        return bool(_unsafe(questionary.confirm(message, default=False, **options)))
    text = _unsafe(questionary.text(message, validate=_validator(question), **options))
    if question.type == "number":
        return _parse_number(text)
    return text.strip() or None


def _validator(question: Question) -> Callable[[str], bool | str]:
    def validate(text: str) -> bool | str:
        if not text.strip() and not question.required:
            return True
        if question.type == "number":
            number = _parse_number(text)
            if number is None:
                return "Please type a number, such as 25"
            return check_answer(question, number) or True
        if not text.strip():
            return "An answer is required"
        return check_answer(question, text.strip()) or True

    return validate


def _parse_number(text: str) -> int | float | None:
    cleaned = text.strip().replace(",", "").replace("_", "")
    try:
        return int(cleaned)
    except ValueError:
        try:
            number = float(cleaned)
        except ValueError:
            return None
    return number if number == number and abs(number) != float("inf") else None


def _unsafe(prompt: questionary.Question) -> Any:
    # .ask() would swallow Ctrl-C and return None, silently losing the answer being typed.
    try:
        return prompt.unsafe_ask()
    except (KeyboardInterrupt, EOFError):
        raise Interrupted from None


def _output_only(options: dict[str, Any]) -> dict[str, Any]:
    return {"output": options["output"]} if "output" in options else {}


@contextmanager
def _signals_interrupt() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into Interrupted so the caller's cleanup runs."""

    def handler(signum: int, frame: FrameType | None) -> None:
        app = get_app_or_none()
        if app is None or not app.is_running or app.loop is None:
            raise Interrupted
        # Raising inside prompt_toolkit's event loop would be caught and reported by it
        # ("Press ENTER to continue"); ask the running prompt to end with our exception instead.
        app.loop.call_soon_threadsafe(lambda: app.exit(exception=Interrupted()))

    wanted = [s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s]
    previous = {s: signal.signal(s, handler) for s in wanted}
    try:
        yield
    finally:
        for s, old in previous.items():
            signal.signal(s, old)
