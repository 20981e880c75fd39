"""The command line: parses flags, calls the core, hands results to a renderer.

Heavy modules (rich, questionary, prompt_toolkit) are imported inside the commands that use
them, so that `recommend --format json` and `--version` start as fast as Python allows.
"""

from __future__ import annotations

import os
import sys
import time
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from . import __version__
from .errors import EXIT_INTERRUPTED, PadtoolError, Problem, report

if TYPE_CHECKING:
    from .conditions import AnswerValue
    from .engine import Result
    from .model import Entry, RuleSet

app = typer.Typer(
    name="padtool",
    help="Choose pre-arrest diversion (deflection) pathways for your jurisdiction.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
pathways_app = typer.Typer(
    help="List and show the pathways and program models.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
providers_app = typer.Typer(
    help="List technical-assistance providers.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(pathways_app, name="pathways")
app.add_typer(providers_app, name="providers")


class ReportFormat(str, Enum):
    md = "md"
    json = "json"


class ResultFormat(str, Enum):
    table = "table"
    md = "md"
    json = "json"


class ListFormat(str, Enum):
    table = "table"
    json = "json"


RulesOption = Annotated[
    Path | None,
    typer.Option(
        "--rules",
        metavar="DIR",
        help="Rule-set folder (default: the bundled one).",
        file_okay=False,
    ),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace output files that exist.")]
ListFormatOption = Annotated[ListFormat, typer.Option("--format", help="Output format.")]


def _version(value: bool) -> None:
    if value:
        print(f"padtool {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Choose pre-arrest diversion (deflection) pathways for your jurisdiction."""


def _rules(directory: Path | None) -> RuleSet:
    from .loader import load_rule_set

    return load_rule_set(directory)


def _today() -> str:
    # SOURCE_DATE_EPOCH makes reports reproducible (the reproducible-builds convention).
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    moment = time.gmtime(int(epoch)) if epoch.isdigit() else time.localtime()
    return time.strftime("%Y-%m-%d", moment)


def _render(result: Result, fmt: str) -> str:
    if fmt == "json":
        from .render.data import result_data, to_json

        return to_json(result_data(result, _today()))
    from .render.markdown import render_report

    return render_report(result, _today())


def _emit(result: Result, fmt: str, output: Path | None, force: bool) -> None:
    """Write the result to a file (atomically) or to stdout, in the chosen format."""
    if output is not None:
        from .files import write_atomic

        write_atomic(output, _render(result, "json" if fmt == "json" else "md"), force)
        print(f"Report written to {output}", file=sys.stderr)
    elif fmt == "table":
        from .render.terminal import make_console, show_result

        show_result(make_console(), result)
    else:
        sys.stdout.write(_render(result, fmt))


@app.command()
def recommend(
    answers: Annotated[
        Path, typer.Option("--answers", metavar="FILE", help="Answers file (YAML or JSON).")
    ],
    rules: RulesOption = None,
    fmt: Annotated[ResultFormat, typer.Option("--format", help="Output format.")] = (
        ResultFormat.table
    ),
    output: Annotated[
        Path | None, typer.Option("--output", metavar="FILE", help="Write the report to FILE.")
    ] = None,
    force: ForceOption = False,
) -> None:
    """Recommend pathways from an answers file, without prompts."""
    from .answers import load_answers
    from .engine import recommend as evaluate

    if output is not None:
        from .files import check_destination

        check_destination(output, force)
    rule_set = _rules(rules)
    values, notes = load_answers(answers, rule_set)
    for note in notes:
        print(f"note: {answers}: {note}", file=sys.stderr)
    _emit(evaluate(rule_set, values), fmt.value, output, force)


@app.command()
def interview(
    rules: RulesOption = None,
    output: Annotated[
        Path | None, typer.Option("--output", metavar="FILE", help="Write the report to FILE.")
    ] = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="Format of the --output file.")] = (
        ReportFormat.md
    ),
    save_answers: Annotated[
        Path | None,
        typer.Option(
            "--save-answers",
            metavar="FILE",
            help="Save the answers (after every question) to FILE, for `recommend --answers`.",
        ),
    ] = None,
    resume: Annotated[
        Path | None,
        typer.Option(
            "--resume",
            metavar="FILE",
            help="Continue an interrupted interview from its answers file, saving back to it.",
        ),
    ] = None,
    force: ForceOption = False,
) -> None:
    """Answer questions about your jurisdiction, then see the recommended pathways."""
    from .answers import load_answers
    from .answers import save_answers as save
    from .engine import recommend as evaluate
    from .files import check_destination

    rule_set = _rules(rules)
    given: dict[str, AnswerValue] = {}
    if resume is not None:
        given, _ = load_answers(resume, rule_set, complete=False)
    autosave = resume or save_answers or _session_file()
    for path, replace in ((output, force), (save_answers, force or save_answers == resume)):
        if path is not None:
            check_destination(path, replace)

    from . import interview as prompts
    from .render.terminal import make_console, show_result

    prompts.require_terminal()
    console = make_console()
    console.print(
        f"padtool {__version__}: {len(rule_set.questions)} questions at most. "
        f"Answers are saved as you go to {autosave}"
    )
    try:
        answers = prompts.ask_all(
            rule_set, given, lambda current: save(autosave, rule_set, current, force=True)
        )
        save(autosave, rule_set, answers, force=True)
        result = evaluate(rule_set, answers)
        show_result(console, result)
        if output is None:
            chosen = prompts.ask_report_path(_default_report_name(result), _destination_problem)
            output = Path(chosen) if chosen else None
    except prompts.Interrupted:
        raise PadtoolError(
            [
                Problem(
                    None, f"interview interrupted; the answers given so far are saved in {autosave}"
                )
            ],
            EXIT_INTERRUPTED,
            hint=f"Continue with: padtool interview --resume {autosave}",
        ) from None
    if output is not None:
        _emit(result, fmt.value, output, force)
    print(f"Answers saved in {autosave}", file=sys.stderr)


def _session_file() -> Path:
    from platformdirs import user_data_path

    folder = user_data_path("padtool") / "sessions"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / time.strftime("interview-%Y%m%d-%H%M%S.yaml")


def _default_report_name(result: Result) -> str:
    slug = "".join(c if c.isalnum() else "-" for c in result.agency.lower()).strip("-")
    return f"padtool-report-{'-'.join(filter(None, slug.split('-')))[:40] or 'jurisdiction'}.md"


def _destination_problem(name: str) -> str:
    from .files import check_destination

    try:
        check_destination(Path(name.strip()), force=False)
    except PadtoolError as error:
        return str(error.problems[0])
    return "" if name.strip() else "Please give a file name"


@app.command()
def questions(rules: RulesOption = None, fmt: ListFormatOption = ListFormat.table) -> None:
    """Show the questionnaire as data."""
    rule_set = _rules(rules)
    if fmt is ListFormat.json:
        from .render.data import question_data, to_json

        sys.stdout.write(to_json([question_data(q) for q in rule_set.questions]))
        return
    from .render.terminal import make_console, show_questions

    show_questions(make_console(), rule_set)


@pathways_app.command("list")
def pathways_list(rules: RulesOption = None, fmt: ListFormatOption = ListFormat.table) -> None:
    """List the pathways and program models."""
    rule_set = _rules(rules)
    if fmt is ListFormat.json:
        from .render.data import entry_data, to_json

        sys.stdout.write(to_json([entry_data(e, rule_set) for e in rule_set.entries]))
        return
    from .render.terminal import make_console, show_pathways

    show_pathways(make_console(), rule_set)


@pathways_app.command("show")
def pathways_show(
    entry_id: Annotated[str, typer.Argument(metavar="ID", help="Pathway id or former name.")],
    rules: RulesOption = None,
    fmt: ListFormatOption = ListFormat.table,
) -> None:
    """Show one pathway or program model in full."""
    rule_set = _rules(rules)
    entry = _find_entry(rule_set, entry_id)
    if fmt is ListFormat.json:
        from .render.data import entry_data, to_json

        sys.stdout.write(to_json(entry_data(entry, rule_set)))
        return
    from .render.terminal import make_console, show_entry

    show_entry(make_console(), entry, rule_set)


@providers_app.command("list")
def providers_list(
    pathway: Annotated[
        str | None,
        typer.Option("--pathway", metavar="ID", help="Only providers serving this entry."),
    ] = None,
    rules: RulesOption = None,
    fmt: ListFormatOption = ListFormat.table,
) -> None:
    """List technical-assistance providers, optionally for one pathway."""
    rule_set = _rules(rules)
    chosen = rule_set.providers
    if pathway is not None:
        chosen = rule_set.providers_for(_find_entry(rule_set, pathway))
    if fmt is ListFormat.json:
        from .render.data import provider_data, to_json

        sys.stdout.write(to_json([provider_data(p) for p in chosen]))
        return
    from .render.terminal import make_console, show_providers

    show_providers(make_console(), chosen)


@app.command()
def validate(
    directory: Annotated[
        Path | None,
        typer.Argument(metavar="[DIR]", help="Rule-set folder (default: the bundled one)."),
    ] = None,
) -> None:
    """Check a rule set and print every problem; exit code 2 if there is any."""
    rule_set = _rules(directory)
    print(
        f"{rule_set.location}: rule set '{rule_set.name}' version {rule_set.version} is valid: "
        f"{len(rule_set.questions)} questions, {len(rule_set.entries)} entries, "
        f"{len(rule_set.providers)} providers."
    )


def _find_entry(rule_set: RuleSet, name: str) -> Entry:
    import difflib

    entry = rule_set.find_entry(name)
    if entry is None:
        names = [e.id for e in rule_set.entries] + [a for e in rule_set.entries for a in e.aliases]
        close = difflib.get_close_matches(name.lower(), names, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise PadtoolError(
            f"no pathway or program model '{name}'{hint}; see: padtool pathways list"
        )
    return entry


def main() -> None:
    """Entry point: the one place that turns padtool errors into a message and an exit code."""
    try:
        app()
    except PadtoolError as error:
        sys.exit(report(error))
    except BrokenPipeError:
        # Output piped into `head` and the like: stop quietly, as Unix tools do.
        sys.stderr.close()
        sys.exit(1)
