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
from pathlib import Path
from types import FrameType
from typing import Any

import questionary
from prompt_toolkit import print_formatted_text
from prompt_toolkit.application import Application
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from questionary import Choice

from .answers import check_answer
from .conditions import UNKNOWN, AnswerValue
from .engine import applicable_answers, applicable_questions
from .errors import EXIT_BAD_INPUT, EXIT_INTERRUPTED, PadtoolError
from .flow import first_open, passed_over, progress, total_note
from .model import DONT_KNOW, Question, RuleSet
from .render.formats import PLAN_FORMATS, REPORT_FORMATS, format_of
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
    """The user asked for the previous question; lines: answered-prompt lines still shown."""

    def __init__(self, lines: int = 0) -> None:
        super().__init__()
        self.lines = lines


BACK_KEY = "c-b"  # Ctrl-B, shown on every question
HELP_KEY = "?"  # shows the question's help again (in a text prompt, before anything is typed)
_SKIP, _BACK, _ALL = "\x00skip", "\x00back", "\x00all"  # option values no rule set can use
_BACK_LABEL = "Back to the previous question"


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
    skipped = passed_over(rule_set, answers)
    with _signals_interrupt():
        _walk(rule_set, answers, skipped, on_answer, prompt_options)
    return applicable_answers(rule_set, answers)


def review(
    rule_set: RuleSet, answers: Answers, on_answer: Callable[[Answers], None], **prompt_options: Any
) -> Answers:
    """Show every answer and let the user change any of them before the results. The full
    table is shown once; after a change only the answers that changed are shown again."""
    answers = dict(answers)
    before: Answers | None = None
    with _signals_interrupt():
        while True:
            current = applicable_questions(rule_set, answers)
            _show_answers(rule_set, answers, before)
            choices = [Choice("See the results", value=_SKIP), Choice("Change an answer", value="")]
            if before is not None:
                choices.append(Choice("Show all my answers again", value=_ALL))
            wanted = _unsafe(
                questionary.select("Anything to change?", choices=choices, **prompt_options)
            )
            if wanted == _SKIP:
                return applicable_answers(rule_set, answers)
            if wanted == _ALL:
                before = None
                continue
            # A second, short list: both fit an 80x24 terminal where one long list would not.
            width = _columns(prompt_options) - 4  # the pointer and its margin
            choices = [
                Choice(_shortened(f"{n}. {clean(q.prompt)}", width), value=q.id)
                for n, q in enumerate(current, 1)
            ]
            picked = _unsafe(questionary.select("Which answer?", choices=choices, **prompt_options))
            start = next(i for i, q in enumerate(current) if q.id == picked)
            before = dict(answers)
            _walk(
                rule_set,
                answers,
                set(),
                on_answer,
                prompt_options,
                start=start,
                stop_when_complete=True,
            )


def _shortened(text: str, width: int) -> str:
    """text cut to width at a word boundary, never inside a word."""
    import textwrap

    return textwrap.shorten(text, width=max(width, 20), placeholder=" ...")


def _show_answers(rule_set: RuleSet, answers: Answers, before: Answers | None) -> None:
    """Every answer in a table, or, after a change (before is the answers until then), only
    the answers that changed."""
    from rich.table import Table

    from .render.terminal import make_console

    current = applicable_questions(rule_set, answers)
    rows = [
        (number, question)
        for number, question in enumerate(current, 1)
        if before is None or before.get(question.id) != answers.get(question.id)
    ]
    console = make_console()
    if before is not None and not rows:
        console.print("No answer changed.")
        return
    title = "Your answers" if before is None else "Changed answers"
    table = Table(title=title, title_justify="left")
    for column in ("#", "Question", "Answer"):
        table.add_column(column)
    for number, question in rows:
        shown = answers.get(question.id)
        text = "(skipped)" if shown is None else question.describe(shown)
        table.add_row(str(number), clean(question.prompt), clean(text))
    console.print(table)


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
    position = start if start is not None else first_open(rule_set, answers, skipped)
    last_total = 0
    while True:
        questions = applicable_questions(rule_set, answers)
        if position >= len(questions):
            return
        question = questions[position]
        if stop_when_complete and position != start and question.id in answers:
            position = first_open(rule_set, answers, skipped)  # changed one: fill new gaps only
            continue
        number, total = progress(rule_set, answers, question)
        note = total_note(last_total, total)
        last_total = total
        try:
            value = _ask(
                question, (number, total, note), answers.get(question.id), position > 0, **options
            )
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


def ask_report_files(
    name: str, kind: str, check: Callable[[str], str], **prompt_options: Any
) -> list[tuple[str, str, bool]]:
    """Offer to save the report in each format for people (Markdown, HTML), in both, or not at
    all (and first in a format for scripts when kind is one); kind, from --format, is the
    default. Return each file to write as (path, kind, whether to replace the file there); []
    if declined. name is the default file name without its suffix; check names what is wrong
    with a path, other than that a file is there already: that one is asked about (replace it,
    or another name)."""
    for_people = [k for k, writer in REPORT_FORMATS.items() if not writer.for_scripts]
    offered = (
        [kind, *for_people] if kind in REPORT_FORMATS and kind not in for_people else for_people
    )
    both = " and ".join(REPORT_FORMATS[k].name for k in for_people)
    choices = [Choice(REPORT_FORMATS[k].offer(), value=k) for k in offered]
    choices += [Choice(f"Both {both}", value=" ".join(for_people)), Choice("Don't save", value="")]
    with _signals_interrupt():
        chosen = str(
            _unsafe(
                questionary.select(
                    "Save this report?",
                    choices=choices,
                    default=kind if kind in offered else "md",
                    **prompt_options,
                )
            )
        )
        files: list[tuple[str, str, bool]] = []
        for each in chosen.split():
            unused = _not_taken({path for path, _, _ in files}, check)
            default = name + REPORT_FORMATS[each].suffixes[0]
            path, replace = _ask_report_path(default, unused, **prompt_options)
            files.append((path, each, replace))
        return files


def _not_taken(taken: set[str], check: Callable[[str], str]) -> Callable[[str], str]:
    """check, and that the name is not the one given to the other report file: both would be
    written to it, and the second write would fail or replace the first."""
    import os

    chosen = {os.path.abspath(path) for path in taken}

    def checked(text: str) -> str:
        if text.strip() and os.path.abspath(text.strip()) in chosen:
            return "The other report file has that name: give this one another"
        return check(text)

    return checked


def _ask_report_path(
    default: str, check: Callable[[str], str], **prompt_options: Any
) -> tuple[str, bool]:
    """The file name for one report file, and whether to replace the file already there."""
    import os

    while True:
        path = str(
            _unsafe(
                questionary.text(
                    "File name:",
                    default=default,
                    validate=lambda text: check(text) or True,
                    **prompt_options,
                )
            )
        ).strip()
        if not os.path.lexists(path):
            return path, False
        choices = [
            Choice("Replace it", value=_SKIP),
            Choice("Choose another name", value=""),
        ]
        # The path is shown in the default above; a long one would wrap this line mid-word.
        wanted = _unsafe(
            questionary.select("A file with that name exists.", choices=choices, **prompt_options)
        )
        if wanted == _SKIP:
            return path, True
        default = path


def ask_plan_path(
    default: str, check: Callable[[str], str], **prompt_options: Any
) -> tuple[str, bool] | None:
    """After the results: offer to draft the action plan; the file name and whether to replace
    the file there, or None if declined."""
    kind = PLAN_FORMATS[format_of(PLAN_FORMATS, Path(default)) or "md"].name
    offer = f"Draft an action plan for your partners to edit and sign, in {kind}?"
    with _signals_interrupt():
        if not _unsafe(questionary.confirm(offer, default=True, **prompt_options)):
            return None
        return _ask_report_path(default, check, **prompt_options)


def _ask(
    question: Question,
    progress: tuple[int, int, str],
    current: AnswerValue | None,
    can_go_back: bool,
    **options: Any,
) -> AnswerValue | None:
    """Ask one question, its current answer as the default; None means skipped. The header
    is wrapped at word boundaries to the screen, and erased with the prompt on going back."""
    number, total, note = progress
    header = [("class:progress", f"Question {number} of {total}")]
    if note:
        header.append(("class:help", note))
    if question.help:
        header.append(("class:help", clean(question.help)))
    if can_go_back:
        header.append(("class:help", "(Ctrl-B: back)"))
    shown = [_print_wrapped(header, options)]  # lines on screen above the prompt
    try:
        return _answer(question, current, can_go_back, shown, **options)
    except _GoBack as back:
        _erase_lines(shown[0] + back.lines, options)
        raise


def _answer(
    question: Question,
    current: AnswerValue | None,
    can_go_back: bool,
    shown: list[int],
    **options: Any,
) -> AnswerValue | None:
    # question_types names, for each type, the function below that asks it
    ask_type: Callable[[_Asker], AnswerValue | None] = globals()[question.kind.prompt]
    return ask_type(_Asker(question, current, can_go_back, shown, options))


def _choices(question: Question, current: AnswerValue | None) -> list[Choice]:
    chosen = current if isinstance(current, list) else [current]
    return [
        Choice(clean(o.label), value=o.value, checked=o.value in chosen) for o in question.options
    ]


def ask_single(ask: _Asker) -> AnswerValue | None:
    question = ask.question
    choices = _choices(question, ask.current)
    if not question.required:
        choices.append(Choice("Skip this question", value=_SKIP))
    value = ask.select(choices, ask.current if isinstance(ask.current, str) else None)
    return None if value == _SKIP else value


def ask_multi(ask: _Asker) -> AnswerValue | None:
    picked = ask(
        questionary.checkbox(
            ask.message,
            choices=_choices(ask.question, ask.current),
            instruction="(space to select, enter when done; none is a valid answer)",
            **ask.options,
        )
    )
    return list(picked)


def ask_confirm(ask: _Asker) -> AnswerValue | None:
    if not ask.question.dont_know:
        yes = ask.current if isinstance(ask.current, bool) else False
        return bool(ask(questionary.confirm(ask.message, default=yes, **ask.options)))
    choices = [Choice("Yes", value=True), Choice("No", value=False)]
    choices.append(Choice(DONT_KNOW, value=UNKNOWN))
    return ask.select(choices, next((c for c in choices if c.value == ask.current), None))


def ask_typed(ask: _Asker) -> AnswerValue | None:
    """A number or text, typed and checked as it is typed."""
    typed = "" if ask.current is None else str(ask.current)
    validate = _validator(ask.question)
    text = ask(questionary.text(ask.message, default=typed, validate=validate, **ask.options))
    return _parse(ask.question, text)


class _Asker:
    """Runs a prompt for one question with two more keys: Ctrl-B ends it with a request to go
    back (erasing it), and ? shows the question's help above it."""

    def __init__(
        self,
        question: Question,
        current: AnswerValue | None,
        can_go_back: bool,
        shown: list[int],
        options: dict[str, Any],
    ) -> None:
        self.question = question
        self.message = clean(question.prompt)
        self.current = current  # the answer so far, offered as the default
        self.can_go_back = can_go_back
        self.shown = shown
        self.options = options  # questionary's, such as the input and output of a test

    def select(self, choices: list[Choice], default: Any) -> AnswerValue | None:
        """The value of one of the choices, with a Back choice when going back is possible."""
        if self.can_go_back:
            choices.append(Choice(_BACK_LABEL, value=_BACK))
        value: AnswerValue | None = self(
            questionary.select(self.message, choices, default=default, **self.options)
        )
        if value == _BACK:  # the answered prompt stays on screen: erase it with the header
            raise _GoBack(_line_count(f"? {self.message} {_BACK_LABEL}", _columns(self.options)))
        return value

    def __call__(self, prompt: questionary.Question) -> Any:
        from prompt_toolkit.application import run_in_terminal
        from prompt_toolkit.filters import Condition

        app = prompt.application
        bindings = KeyBindings()

        @bindings.add(BACK_KEY)
        def _(event: Any) -> None:
            event.app.erase_when_done = True
            event.app.exit(exception=_GoBack())

        # In a text prompt ? is a character like any other once something is typed.
        @bindings.add(HELP_KEY, filter=Condition(lambda: not app.current_buffer.text))
        def _(event: Any) -> None:
            lines = self.help_lines()
            run_in_terminal(lambda: _print_wrapped(lines, {"output": event.app.output}))
            self.shown[0] += _count_wrapped(lines, self.options)

        app.key_bindings = (
            merge_key_bindings([app.key_bindings, bindings]) if app.key_bindings else bindings
        )
        return _unsafe(prompt)

    def help_lines(self) -> list[tuple[str, str]]:
        text = clean(self.question.help) or "No more help for this question."
        return [("class:help", f"Help: {text}")]


_Fragments = list[tuple[str, str]]


def _columns(options: dict[str, Any]) -> int:
    import shutil

    if "output" in options:
        return int(options["output"].get_size().columns)
    return shutil.get_terminal_size().columns


def _wrap(fragments: _Fragments, width: int) -> list[_Fragments]:
    """Styled text in lines of at most width characters, broken only between words."""
    lines: list[_Fragments] = [[]]
    used = 0
    for style, text in fragments:
        for word in text.split():
            if used and used + 1 + len(word) > width:
                lines.append([])
                used = 0
            lines[-1].append((style, f" {word}" if used else word))
            used += len(word) + (1 if used else 0)
    return lines


def _count_wrapped(fragments: _Fragments, options: dict[str, Any]) -> int:
    return len(_wrap(fragments, _columns(options) - 1))


def _print_wrapped(fragments: _Fragments, options: dict[str, Any]) -> int:
    """Print fragments wrapped to the screen; return the number of lines printed."""
    lines = _wrap(fragments, _columns(options) - 1)  # the last column would wrap by itself
    for line in lines:
        print_formatted_text(FormattedText(line), **_output_only(options))
    return len(lines)


def _line_count(text: str, width: int) -> int:
    return max(1, -(-len(text) // max(1, width)))


def _erase_lines(count: int, options: dict[str, Any]) -> None:
    """Remove the last count lines printed, so an abandoned question leaves no trace."""
    from prompt_toolkit.output.defaults import create_output

    output = options.get("output") or create_output()
    output.cursor_up(count)
    output.write_raw("\r")
    output.erase_down()
    output.flush()


def _validator(question: Question) -> Callable[[str], bool | str]:
    def validate(text: str) -> bool | str:
        if not text.strip() and not question.required:
            return True
        value = _parse(question, text)
        if value is None:
            return question.kind.parse_problem
        return check_answer(question, value) or True

    return validate


def _parse(question: Question, text: str) -> AnswerValue | None:
    parse = question.kind.parse
    if parse is None:
        raise TypeError(f"{question.type} questions are not typed in")
    return parse(question, text)


def _unsafe(prompt: questionary.Question) -> Any:
    # .ask() would swallow Ctrl-C and return None, silently losing the answer being typed.
    _stop.raise_if_asked()
    _stop.app = prompt.application
    try:
        return prompt.application.run(pre_run=_stop.end_prompt)
    except (KeyboardInterrupt, EOFError):
        raise Interrupted from None
    finally:
        _stop.app = None


def _output_only(options: dict[str, Any]) -> dict[str, Any]:
    return {"output": options["output"]} if "output" in options else {}


class _StopRequest:
    """A SIGTERM or SIGHUP that is to end the interview, and the prompt it is to end.

    The signal handler only records the signal: an exception raised from it lands wherever
    Python happens to be, and inside prompt_toolkit's event loop or questionary's set-up it
    can be caught and reported ("Press ENTER to continue") or lost, leaving the prompt
    waiting. It is raised where nothing else can catch it: by the running prompt (the loop
    is asked to end it), by a prompt about to run (from its pre_run), before the next
    prompt, or when the interview step ends.
    """

    def __init__(self) -> None:
        self.signum: int | None = None
        self.app: Application[Any] | None = None

    def record(self, signum: int, frame: FrameType | None) -> None:
        self.signum = signum
        app = self.app
        if app is not None and app.loop is not None:
            app.loop.call_soon_threadsafe(self.end_prompt)

    def end_prompt(self) -> None:
        app = self.app
        if self.signum is None or app is None or app.future is None or app.future.done():
            return
        signum, self.signum = self.signum, None
        app.exit(exception=Interrupted(128 + signum))

    def raise_if_asked(self) -> None:
        if self.signum is not None:
            signum, self.signum = self.signum, None
            raise Interrupted(128 + signum)


_stop = _StopRequest()


@contextmanager
def _signals_interrupt() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP, and a terminal that went away, into Interrupted so the
    caller's cleanup runs."""
    wanted = [s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s]
    previous = {s: signal.signal(s, _stop.record) for s in wanted}
    try:
        yield
        _stop.raise_if_asked()
    except OSError as error:
        if error.errno not in _GONE:
            raise
        raise Interrupted(EXIT_HANGUP) from None
    finally:
        _stop.signum = None  # the step ended by another exception: nothing left to deliver
        for s, old in previous.items():
            signal.signal(s, old)
