"""The interactive questionnaire: the only module that talks to questionary.

It asks, validates as the user types, and hands every answer to a callback at once, so an
interruption (Ctrl-C, a closed terminal, SIGTERM or SIGHUP) never loses an answer already given.
"""

from __future__ import annotations

import errno
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
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from questionary import Choice

from .answers import check_answer, tidy_text
from .conditions import AnswerValue, may_hold
from .engine import applicable_answers, applicable_questions
from .errors import EXIT_BAD_INPUT, EXIT_INTERRUPTED, PadtoolError
from .model import Question, RuleSet
from .render.text import clean

Answers = dict[str, AnswerValue]


class Interrupted(Exception):
    """The user or the system stopped the interview; the answers so far are already saved.

    exit_code follows the shell's convention, 128 + the signal: 130 Ctrl-C (or end of input),
    143 SIGTERM, 129 SIGHUP or a terminal that went away.
    """

    def __init__(self, exit_code: int = EXIT_INTERRUPTED) -> None:
        super().__init__(exit_code)
        self.exit_code = exit_code


EXIT_HANGUP = 128 + 1  # SIGHUP: the terminal was closed
# What reading or writing a terminal that was closed under us raises.
_GONE = (errno.EIO, errno.EBADF, errno.ENXIO, errno.EPIPE)


def require_terminal() -> None:
    """Refuse at once when there is no terminal to ask on, instead of hanging or crashing."""
    if sys.stdin is None or sys.stdout is None:  # started with `<&-` or `>&-`
        raise PadtoolError(
            "the interview needs a terminal, and standard input or output is closed; to get "
            "recommendations without prompts use: padtool recommend --answers FILE",
            EXIT_BAD_INPUT,
        )
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise PadtoolError(
            "the interview needs a terminal (stdin and stdout); to get recommendations without "
            "prompts use: padtool recommend --answers FILE",
            EXIT_BAD_INPUT,
        )


class _GoBack(Exception):
    """The user asked for the previous question."""


BACK_KEY = "c-b"  # Ctrl-B, shown on every question
_SKIP, _BACK = "\x00skip", "\x00back"  # option values no rule set can use


def ask_all(
    rule_set: RuleSet, answers: Answers, on_answer: Callable[[Answers], None], **prompt_options: Any
) -> Answers:
    """Ask every applicable question not answered yet, with Back; return the applicable answers.

    Going back re-asks earlier questions with their answers as defaults; conditions are
    re-evaluated after every answer, and an answer to a question that stops applying is kept
    aside (and used again if the question comes back). Raises Interrupted on Ctrl-C, end of
    input, SIGTERM or SIGHUP, after on_answer has seen every answer given. prompt_options
    (input, output) let tests drive real prompts.
    """
    answers = dict(answers)
    skipped: set[str] = set()
    with _signals_interrupt():
        _walk(rule_set, answers, skipped, on_answer, prompt_options)
    return applicable_answers(rule_set, answers)


def review(
    rule_set: RuleSet, answers: Answers, on_answer: Callable[[Answers], None], **prompt_options: Any
) -> Answers:
    """Show every answer and let the user change any of them before the results."""
    from rich.table import Table

    from .render.terminal import make_console

    answers = dict(answers)
    with _signals_interrupt():
        while True:
            current = applicable_questions(rule_set, answers)
            table = Table(title="Your answers", title_justify="left")
            for column in ("#", "Question", "Answer"):
                table.add_column(column)
            for number, question in enumerate(current, 1):
                shown = answers.get(question.id)
                text = "(skipped)" if shown is None else question.describe(shown)
                table.add_row(str(number), clean(question.prompt), clean(text))
            make_console().print(table)
            choices = [Choice("See the results", value=_SKIP), Choice("Change an answer", value="")]
            wanted = questionary.select("Anything to change?", choices=choices, **prompt_options)
            if _unsafe(wanted) == _SKIP:
                return applicable_answers(rule_set, answers)
            # A second, short list: both fit an 80x24 terminal where one long list would not.
            choices = [
                Choice(f"{n}. {clean(q.prompt)}", value=q.id) for n, q in enumerate(current, 1)
            ]
            picked = _unsafe(questionary.select("Which answer?", choices=choices, **prompt_options))
            start = next(i for i, q in enumerate(current) if q.id == picked)
            _walk(
                rule_set,
                answers,
                set(),
                on_answer,
                prompt_options,
                start=start,
                stop_when_complete=True,
            )


def _walk(
    rule_set: RuleSet,
    answers: Answers,
    skipped: set[str],
    on_answer: Callable[[Answers], None],
    options: dict[str, Any],
    start: int | None = None,
    stop_when_complete: bool = False,
) -> None:
    """Ask questions from a position on, moving back and forth, until none is left open."""
    position = start if start is not None else _first_open(rule_set, answers, skipped)
    while True:
        questions = applicable_questions(rule_set, answers)
        if position >= len(questions):
            return
        question = questions[position]
        if stop_when_complete and position != start and question.id in answers:
            position = _first_open(rule_set, answers, skipped)  # changed one: fill new gaps only
            continue
        number, total = _progress(rule_set, answers, question)
        try:
            value = _ask(question, number, total, answers.get(question.id), position > 0, **options)
        except _GoBack:
            position = max(0, position - 1)
            continue
        if value is None:
            skipped.add(question.id)
            answers.pop(question.id, None)
        else:
            skipped.discard(question.id)
            answers[question.id] = value
        on_answer(applicable_answers(rule_set, answers))
        questions = applicable_questions(rule_set, answers)
        position = questions.index(question) + 1


def _first_open(rule_set: RuleSet, answers: Answers, skipped: set[str]) -> int:
    questions = applicable_questions(rule_set, answers)
    return next(
        (i for i, q in enumerate(questions) if q.id not in answers and q.id not in skipped),
        len(questions),
    )


def ask_report_path(default: str, check: Callable[[str], str], **prompt_options: Any) -> str | None:
    """Offer to save the report; return the chosen path, or None if declined."""
    kinds = {".html": "an HTML file", ".json": "a JSON file"}
    kind = kinds.get(default[default.rfind(".") :], "a Markdown file")
    with _signals_interrupt():
        if not _unsafe(
            questionary.confirm(f"Save this report as {kind}?", default=True, **prompt_options)
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


def _progress(rule_set: RuleSet, answers: Answers, current: Question) -> tuple[int, int]:
    # Count questions that could still come up, so the total shrinks as conditions rule some out.
    kept = applicable_answers(rule_set, answers)
    possible = [q for q in rule_set.questions if may_hold(q.when, kept)]
    return possible.index(current) + 1, len(possible)


def _ask(
    question: Question,
    number: int,
    total: int,
    current: AnswerValue | None,
    can_go_back: bool,
    **options: Any,
) -> AnswerValue | None:
    """Ask one question, its current answer as the default; None means skipped."""
    header = [("class:progress", f"Question {number} of {total}")]
    if question.help:
        header += [("", "  "), ("class:help", clean(question.help))]
    if can_go_back:
        header += [("", "  "), ("class:help", "(Ctrl-B: back)")]
    print_formatted_text(FormattedText(header), **_output_only(options))
    message = clean(question.prompt)
    if question.type in ("single", "multi"):
        chosen = current if isinstance(current, list) else [current]
        choices = [
            Choice(clean(o.label), value=o.value, checked=o.value in chosen)
            for o in question.options
        ]
    if question.type == "single":
        if not question.required:
            choices.append(Choice("Skip this question", value=_SKIP))
        if can_go_back:
            choices.append(Choice("Back to the previous question", value=_BACK))
        selected = current if isinstance(current, str) else None
        value = _ask_with_back(
            questionary.select(message, choices=choices, default=selected, **options)
        )
        if value == _BACK:
            raise _GoBack
        return None if value == _SKIP else value
    if question.type == "multi":
        picked = _ask_with_back(
            questionary.checkbox(
                message,
                choices=choices,
                instruction="(space to select, enter when done; none is a valid answer)",
                **options,
            )
        )
        return list(picked)
    if question.type == "confirm":
        yes = current if isinstance(current, bool) else False
        return bool(_ask_with_back(questionary.confirm(message, default=yes, **options)))
    typed = "" if current is None else str(current)
    text = _ask_with_back(
        questionary.text(message, default=typed, validate=_validator(question), **options)
    )
    if question.type == "number":
        return _parse_number(text)
    return tidy_text(question, text.strip()) or None


def _ask_with_back(prompt: questionary.Question) -> Any:
    """Ask, letting Ctrl-B end the prompt with a request to go back."""
    bindings = KeyBindings()

    @bindings.add(BACK_KEY)
    def _(event: Any) -> None:
        event.app.exit(exception=_GoBack())

    app = prompt.application
    app.key_bindings = (
        merge_key_bindings([app.key_bindings, bindings]) if app.key_bindings else bindings
    )
    return _unsafe(prompt)


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
        return check_answer(question, tidy_text(question, text.strip())) or True

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
    """Turn SIGTERM and SIGHUP, and a terminal that went away, into Interrupted so the
    caller's cleanup runs."""

    def handler(signum: int, frame: FrameType | None) -> None:
        stop = Interrupted(128 + signum)
        app = get_app_or_none()
        if app is None or not app.is_running or app.loop is None:
            raise stop
        # Raising inside prompt_toolkit's event loop would be caught and reported by it
        # ("Press ENTER to continue"); ask the running prompt to end with our exception instead.
        app.loop.call_soon_threadsafe(lambda: app.exit(exception=stop))

    wanted = [s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s]
    previous = {s: signal.signal(s, handler) for s in wanted}
    try:
        yield
    except OSError as error:
        if error.errno not in _GONE:
            raise
        raise Interrupted(EXIT_HANGUP) from None
    finally:
        for s, old in previous.items():
            signal.signal(s, old)
