"""An interview from start to finish: the session file, the answers it starts from, the
questions and the review, the results, and where the report goes.

The prompts themselves are padtool.interview's; this module decides what happens around them.
It is imported only by the `interview` command, so its imports are those of an interview.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from . import __version__
from . import interview as prompts
from .answers import load_answers
from .answers import save_answers as save
from .conditions import AnswerValue
from .engine import Result
from .engine import recommend as evaluate
from .errors import PadtoolError, Problem, say
from .files import check_destination, write_atomic
from .model import RuleSet
from .scenarios import find_scenario
from .sessions import (
    invoked_as,
    latest_unfinished,
    new_session_path,
    resume_answers,
    save_session,
    session_lock,
    session_rule_folders,
)


class Finished(NamedTuple):
    """What an interview ends with: its result, its session, and the report files to write,
    each with its format and whether the user chose to replace a file already there."""

    result: Result
    session: Path
    reports: list[tuple[Path, str, bool]]

    def offer_plan(self, today: str, **prompt_options: Any) -> Path | None:
        """Offer to draft the action plan of the results, written as `padtool plan` writes
        it; the file written, if any."""
        if self.result.rule_set.plan is None:
            return None
        default = _default_report_name(self.result).replace("-report-", "-plan-", 1) + ".md"
        try:
            chosen = prompts.ask_plan_path(default, _destination_problem, **prompt_options)
        except prompts.Interrupted as stop:
            raise _interrupted(self.session, stop.exit_code) from None
        if chosen is None:
            return None
        from .render.formats import PLAN_FORMATS, format_of
        from .render.plan import plan_text

        path = Path(chosen[0])
        start = date.fromisoformat(today)
        text = plan_text(self.result, None, start, format_of(PLAN_FORMATS, path) or "md", today)
        write_atomic(path, text, force=chosen[1])
        say(f"Plan written to {path}", err=True)
        return path


def run_interview(
    load_rules: Callable[[list[Path] | None], RuleSet],
    rules: list[Path] | None,
    *,
    session: Path | None,
    resume: bool,
    answers_file: Path | None,
    scenario: str | None,
    output: Path | None,
    fmt: str,
    save_answers: Path | None,
    force: bool,
) -> Finished:
    """Ask, saving every answer to the session at once; save the answers to save_answers."""
    if resume and session is None:
        session = latest_unfinished()
    rule_set = load_rules(rules or session_rule_folders(session if resume else None))
    if session is not None and not resume:
        check_destination(session, force)
    for path in (output, save_answers):
        if path is not None:
            check_destination(path, force)
    with ExitStack() as owned:
        if session is not None:  # owned before it is read: a second window is refused now
            owned.enter_context(session_lock(session))
        given, started = _starting_answers(
            rule_set, session if resume else None, answers_file, scenario
        )
        prompts.require_terminal()
        if resume:
            kept = f"{len(given)} answer{'' if len(given) == 1 else 's'}"
            say(f"Continuing the interview started {started.replace('T', ' at ')}: {kept} kept")
        if session is None:
            session = new_session_path()
            owned.enter_context(session_lock(session))
        say(f"padtool {__version__}: answers are saved as you go to {session}")
        result, reports = _ask_everything(rule_set, given, session, started, output, fmt)
        if save_answers is not None:
            # The user may have chosen to replace a file there since it was checked.
            replaced = force or any(replace for _, _, replace in reports)
            save(save_answers, rule_set, dict(result.answers), replaced)
            say(f"Answers saved in {save_answers}", err=True)
    return Finished(result, session, reports)


def _starting_answers(
    rule_set: RuleSet, resumed: Path | None, answers_file: Path | None, scenario: str | None
) -> tuple[dict[str, AnswerValue], str]:
    """The answers an interview starts from (a resumed session's first, then --answers, then
    the scenario's), and when its session started."""
    given: dict[str, AnswerValue] = {}
    started = time.strftime("%Y-%m-%dT%H:%M:%S")
    if resumed is not None:
        given, started, warnings = resume_answers(resumed, rule_set)
        for warning in warnings:  # the rule set changed since: say what is asked again
            say(f"warning: {warning}", err=True)
    if answers_file is not None:
        prefill, _ = load_answers(answers_file, rule_set, complete=False)
        given = {**prefill, **given}
    if scenario is not None:
        given = {**find_scenario(rule_set, scenario).answers, **given}
    return given, started


def _ask_everything(
    rule_set: RuleSet,
    given: dict[str, AnswerValue],
    session: Path,
    started: str,
    output: Path | None,
    fmt: str,
) -> tuple[Result, list[tuple[Path, str, bool]]]:
    """The questions, the review and the results, saving every answer to the session at once;
    the result, and the report files to write (--output, else those the user asks for): each
    with its format and whether the user chose to replace a file already there."""
    from .render.terminal import make_console, show_result, show_summary

    console = make_console()

    def autosave(current: dict[str, AnswerValue], finished: bool = False) -> None:
        save_session(session, rule_set, current, started, finished)

    reports = [(output, fmt, False)] if output is not None else []
    try:
        answers = prompts.ask_all(rule_set, given, autosave)
        answers = prompts.review(rule_set, answers, autosave)
        autosave(answers, finished=True)
        result = evaluate(rule_set, answers)
        show_summary(console, result)  # the full results go in the report
        if output is None:
            chosen = prompts.ask_report_files(
                _default_report_name(result), fmt, _destination_problem
            )
            reports = [(Path(path), kind, replace) for path, kind, replace in chosen]
            if not reports:
                show_result(console, result)  # no file: the full results here instead
    except prompts.Interrupted as stop:
        raise _interrupted(session, stop.exit_code) from None
    return result, reports


def _interrupted(session: Path, exit_code: int) -> PadtoolError:
    if not session.exists():  # stopped before the first answer: there is no file to point to
        return PadtoolError(
            [Problem(None, "interview interrupted before any answer was saved")],
            exit_code,
            mistake=False,
        )
    return PadtoolError(
        [Problem(None, f"interview interrupted; the answers given so far are saved in {session}")],
        exit_code,
        hint=f"Continue with: {invoked_as()} interview --resume --session {session}",
        mistake=False,
    )


def _default_report_name(result: Result) -> str:
    """The report's default file name, without its suffix."""
    slug = "".join(c if c.isalnum() else "-" for c in result.agency.lower()).strip("-")
    name = "-".join(filter(None, slug.split("-")))[:40] or "jurisdiction"
    return f"padtool-report-{name}"


def _destination_problem(name: str) -> str:
    """What would stop a report being written to name; a file there already is not asked
    about here (the interview offers to replace it or choose another name)."""
    try:
        check_destination(Path(name.strip()), force=True)
    except PadtoolError as error:
        return str(error.problems[0])
    return "" if name.strip() else "Please give a file name"
