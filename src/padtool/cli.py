"""The command line: parses flags, calls the core, hands results to a renderer.

Heavy modules (rich, questionary, prompt_toolkit) are imported inside the commands that use
them, so that `recommend --format json` and `--version` start as fast as Python allows.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from typer.core import TyperGroup

from . import __version__
from .errors import EXIT_INTERRUPTED, PadtoolError, Problem, did_you_mean, report, say
from .render.formats import PLAN_FORMATS, REPORT_FORMATS, format_of, write

if TYPE_CHECKING:
    from datetime import date

    from .conditions import AnswerValue
    from .engine import Result
    from .model import Entry, RuleSet
    from .render.template import ReportTemplate
    from .scenarios import Scenario

Function = TypeVar("Function", bound=Callable[..., Any])


class _LazyGroups(TyperGroup):
    """Commands are built only when called or listed (click's lazy subcommands): typer
    inspects the signature of every command it builds, which at every start was a quarter of
    what `recommend` spends beyond importing Python's libraries.

    ctx and formatter are click's Context and HelpFormatter, which typer does not export (its
    recent releases carry click privately, older ones depend on it): they are typed Any."""

    def list_commands(self, ctx: Any) -> list[str]:
        return [*_COMMANDS, *_GROUPS]

    def get_command(self, ctx: Any, name: str) -> Any:
        if name in _COMMANDS:
            found = typer.main.get_command(_COMMANDS[name])
        elif name in _GROUPS:
            found = typer.main.get_group(_GROUPS[name])
        else:
            return None
        found.name = name
        return found

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """Each command with its whole first sentence, wrapped at word boundaries, where
        click would cut it to one line with "..."."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=10_000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


_COMMANDS: dict[str, typer.Typer] = {}


def _command(name: str) -> Callable[[Function], Function]:
    """Register a top-level command (a one-command app, built when it is needed)."""
    single = typer.Typer(
        add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None
    )
    _COMMANDS[name] = single
    return single.command(name)


app = typer.Typer(
    cls=_LazyGroups,
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
sessions_app = typer.Typer(
    help="List and delete saved interview sessions.", no_args_is_help=True, rich_markup_mode=None
)
scenarios_app = typer.Typer(
    help="List and show the training scenarios (sample jurisdictions).",
    no_args_is_help=True,
    rich_markup_mode=None,
)
_GROUPS = {
    "pathways": pathways_app,
    "providers": providers_app,
    "sessions": sessions_app,
    "scenarios": scenarios_app,
}


def _format_option(names: Iterable[str], help: str) -> Any:
    """--format, offering the names of a table of formats (render.formats): a format added
    there is offered, shown in --help and checked here with no change to the command."""
    choices = list(names)

    def check(ctx: typer.Context, param: typer.CallbackParam, value: str | None) -> str | None:
        if value is None or value in choices:
            return value
        listed = ", ".join(f"'{c}'" for c in choices)
        raise typer.BadParameter(f"'{value}' is not one of {listed}.", ctx=ctx, param=param)

    return typer.Option("--format", metavar=f"[{'|'.join(choices)}]", help=help, callback=check)


class ListFormat(str, Enum):
    table = "table"
    json = "json"


RulesOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--rules",
        metavar="DIR",
        help="Rule-set folder, or a local overlay laid over the bundled set; give it again to "
        "add overlays in order (default: the folders in PADTOOL_RULES, else the bundled set).",
        file_okay=False,
    ),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace output files that exist.")]
ListFormatOption = Annotated[ListFormat, typer.Option("--format", help="Output format.")]
AnswersOption = Annotated[
    Path | None,
    typer.Option("--answers", metavar="FILE", help="Answers file (YAML or JSON)."),
]
ScenarioOption = Annotated[
    str | None,
    typer.Option(
        "--scenario",
        metavar="ID",
        help="Use the answers of a training scenario (see: padtool scenarios list).",
    ),
]


class _UsageError(typer.BadParameter):
    """A wrong combination of options: shown as usage, exit code 2, like a missing option."""

    def format_message(self) -> str:
        return self.message


def _one_source(ctx: typer.Context, answers: Path | None, scenario: str | None) -> None:
    if answers is not None and scenario is not None:
        raise _UsageError("Give --answers FILE or --scenario ID, not both.", ctx=ctx)


def _source(ctx: typer.Context, answers: Path | None, scenario: str | None) -> str:
    """The one answer set asked for, as _answer_set takes it: FILE or scenario:ID."""
    _one_source(ctx, answers, scenario)
    if scenario is not None:
        from .answers import SCENARIO_PREFIX

        return f"{SCENARIO_PREFIX}{scenario}"
    if answers is None:
        raise _UsageError("Missing option: give --answers FILE or --scenario ID.", ctx=ctx)
    return str(answers)


def _scenario(rule_set: RuleSet, name: str) -> Scenario:
    from .scenarios import find_scenario

    return find_scenario(rule_set, name)


def _answer_set(rule_set: RuleSet, spec: str) -> dict[str, AnswerValue]:
    """The answers of an answers file, or of `scenario:ID`; notes on them go to stderr."""
    from .answers import SCENARIO_PREFIX, load_answers

    if spec.startswith(SCENARIO_PREFIX):
        return dict(_scenario(rule_set, spec[len(SCENARIO_PREFIX) :]).answers)

    values, notes = load_answers(Path(spec), rule_set)
    for note in notes:
        say(f"note: {spec}: {note}", err=True)
    return values


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


def _rules(directories: list[Path] | None) -> RuleSet:
    from .rulecache import load_cached
    from .rulefiles import rule_layers, rules_from_environment

    return load_cached(rule_layers(directories or rules_from_environment()), _load_fresh)


def _load_fresh(*layers: Path) -> RuleSet:
    from .loader import load_rule_set  # only when the cache cannot answer

    return load_rule_set(*layers)


def _today() -> str:
    # SOURCE_DATE_EPOCH makes reports reproducible (the reproducible-builds convention).
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    moment = time.gmtime(int(epoch)) if epoch.isdigit() else time.localtime()
    return time.strftime("%Y-%m-%d", moment)


def _report_format(output: Path | None) -> str:
    """The report format a file's name asks for; Markdown when it names none."""
    return format_of(REPORT_FORMATS, output) or "md"


def _render(result: Result, fmt: str, template: ReportTemplate | None = None) -> str:
    return write(REPORT_FORMATS, fmt, result, _today(), template)


TemplateOption = Annotated[
    Path | None,
    typer.Option(
        "--template",
        metavar="FILE",
        help="Lay out the Markdown or HTML report with this Jinja2 template "
        "(see docs/templates.md).",
    ),
]


def _template(ctx: typer.Context, path: Path | None, writes_report: bool) -> ReportTemplate | None:
    """The --template FILE, read and compiled now, so a broken one fails before any work."""
    if path is None:
        return None
    if not writes_report:
        raise _UsageError(
            "--template applies to a Markdown or HTML report (--format md or html).", ctx=ctx
        )
    from .render.template import load_template

    return load_template(path)


def _print_json(data: object) -> None:
    from .render.data import to_json

    # Indented for a person at a terminal; compact for scripts, where it is also faster.
    sys.stdout.write(to_json(data, pretty=sys.stdout.isatty()))


def _show(fmt: ListFormat, view: str, *args: Any, **table_options: Any) -> None:
    """A command's result: as JSON, render.data's `<view>_data(*args)`; as a table,
    render.terminal's `show_<view>(console, *args, **table_options)`. Each is imported only
    when it is shown, so JSON never loads rich; table_options are what only a person at a
    terminal reads (where the files are, the rule-by-rule trace)."""
    if fmt is ListFormat.json:
        from .render import data

        _print_json(getattr(data, f"{view}_data")(*args))
        return
    from .render import terminal

    getattr(terminal, f"show_{view}")(terminal.make_console(), *args, **table_options)


def _deliver(text: str, output: Path | None, force: bool, what: str) -> None:
    """Text to stdout, or to --output: atomically, and never over a file without --force."""
    if output is None:
        sys.stdout.write(text)
        return
    from .files import write_atomic

    write_atomic(output, text, force)
    say(f"{what} written to {output}", err=True)


def _emit(
    result: Result,
    fmt: str,
    output: Path | None,
    force: bool,
    template: ReportTemplate | None = None,
) -> None:
    """Write the result to a file (atomically) or to stdout, in the chosen format."""
    if output is not None:
        _deliver(_render(result, fmt, template), output, force, "Report")
    elif fmt == "table":
        from .render.terminal import make_console, show_result

        show_result(make_console(), result)
    elif fmt == "json":
        from .render.data import result_data

        _print_json(result_data(result, _today()))
    else:
        sys.stdout.write(_render(result, fmt, template))


@_command("recommend")
def recommend(
    ctx: typer.Context,
    answers: AnswersOption = None,
    scenario: ScenarioOption = None,
    rules: RulesOption = None,
    fmt: Annotated[str, _format_option(["table", *REPORT_FORMATS], "Output format.")] = "table",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            metavar="FILE",
            help="Write the report to FILE, in the format its name ends in (.md, .html, .json;"
            " else Markdown) unless --format says another.",
        ),
    ] = None,
    force: ForceOption = False,
    template_file: TemplateOption = None,
) -> None:
    """Recommend pathways from an answers file or a training scenario, without prompts.

    Give exactly one of --answers FILE and --scenario ID.
    """
    spec = _source(ctx, answers, scenario)
    if fmt == "table" and output is not None:  # a file is a report
        fmt = _report_format(output)
    template = _template(ctx, template_file, fmt in ("md", "html"))
    from .engine import recommend as evaluate

    if output is not None:
        from .files import check_destination

        check_destination(output, force)
    rule_set = _rules(rules)
    _emit(evaluate(rule_set, _answer_set(rule_set, spec)), fmt, output, force, template)


@_command("interview")
def interview(
    ctx: typer.Context,
    rules: RulesOption = None,
    output: Annotated[
        Path | None, typer.Option("--output", metavar="FILE", help="Write the report to FILE.")
    ] = None,
    fmt: Annotated[
        str | None,
        _format_option(
            REPORT_FORMATS,
            "Format of the --output file (default: from its name, else md), and the one offered"
            " first when you save.",
        ),
    ] = None,
    save_answers: Annotated[
        Path | None,
        typer.Option(
            "--save-answers",
            metavar="FILE",
            help="At the end, save the answers to FILE for `recommend --answers`.",
        ),
    ] = None,
    answers_file: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            metavar="FILE",
            help="Pre-fill from an answers file and ask only what is missing.",
        ),
    ] = None,
    scenario: Annotated[
        str | None,
        typer.Option(
            "--scenario",
            metavar="ID",
            help="Pre-fill from a training scenario, to change answers on the review screen.",
        ),
    ] = None,
    session: Annotated[
        Path | None,
        typer.Option(
            "--session",
            metavar="FILE",
            help="Session file saved after every answer (default: a new one in your "
            "user data folder).",
        ),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Continue the --session FILE, or the latest unfinished "
            "session, at its first unanswered question.",
        ),
    ] = False,
    force: ForceOption = False,
    template_file: TemplateOption = None,
) -> None:
    """Answer questions about your jurisdiction, then see the recommended pathways.

    Ctrl-B goes back to the previous question. Every answer is saved at once to the session
    file; after an interruption, `padtool interview --resume` continues where you stopped.
    """
    _one_source(ctx, answers_file, scenario)
    fmt = fmt or _report_format(output)
    template = _template(ctx, template_file, fmt in ("md", "html"))
    from .interview_flow import run_interview

    done = run_interview(
        _rules,
        rules,
        session=session,
        resume=resume,
        answers_file=answers_file,
        scenario=scenario,
        output=output,
        fmt=fmt,
        save_answers=save_answers,
        force=force,
    )
    for path, kind, replace in done.reports:
        _emit(done.result, kind, path, force or replace, template)
    if output is None:  # asked after the report is written: stopping here loses nothing
        done.offer_plan(_today())


@_command("questions")
def questions(rules: RulesOption = None, fmt: ListFormatOption = ListFormat.table) -> None:
    """Show the questionnaire as data."""
    _show(fmt, "questions", _rules(rules))


@pathways_app.command("list")
def pathways_list(rules: RulesOption = None, fmt: ListFormatOption = ListFormat.table) -> None:
    """List the pathways and program models."""
    _show(fmt, "pathways", _rules(rules))


@pathways_app.command("show")
def pathways_show(
    entry_id: Annotated[str, typer.Argument(metavar="ID", help="Pathway id or former name.")],
    rules: RulesOption = None,
    fmt: ListFormatOption = ListFormat.table,
) -> None:
    """Show one pathway or program model in full."""
    rule_set = _rules(rules)
    _show(fmt, "entry", _find_entry(rule_set, entry_id), rule_set)


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
    _show(fmt, "providers", chosen)


@_command("whatif")
def whatif(
    ctx: typer.Context,
    answers: AnswersOption = None,
    scenario: ScenarioOption = None,
    rules: RulesOption = None,
    fmt: ListFormatOption = ListFormat.table,
) -> None:
    """Show the answer changes that would move pathways into or out of the starting set.

    Give exactly one of --answers FILE and --scenario ID. Looks at the starting set and the
    next three entries, and says which changes are resources you could build.
    """
    spec = _source(ctx, answers, scenario)
    from .whatif import what_if

    rule_set = _rules(rules)
    _show(fmt, "whatif", what_if(rule_set, _answer_set(rule_set, spec)))


@_command("explain")
def explain(
    ctx: typer.Context,
    entry_id: Annotated[str, typer.Argument(metavar="ID", help="Pathway id or former name.")],
    answers: AnswersOption = None,
    scenario: ScenarioOption = None,
    rules: RulesOption = None,
    fmt: ListFormatOption = ListFormat.table,
    trace: Annotated[
        bool,
        typer.Option(
            "--trace",
            help="Show the rule-by-rule trace: every condition, held or not, as the rule set "
            "states it.",
        ),
    ] = False,
) -> None:
    """Explain in sentences why one pathway scored what it did, and where it ranked.

    Give exactly one of --answers FILE and --scenario ID. Says what counted for and against
    it, what your answers do not show, what is missing and what waits on an unanswered
    question; --trace shows every rule with the answers it compared.
    """
    spec = _source(ctx, answers, scenario)
    from .explain import explain as check_entry

    rule_set = _rules(rules)
    entry = _find_entry(rule_set, entry_id)
    _show(
        fmt, "explanation", check_entry(rule_set, entry, _answer_set(rule_set, spec)), trace=trace
    )


@_command("compare")
def compare(
    first: Annotated[
        str, typer.Argument(metavar="A", help="Answers file, or scenario:ID for a scenario.")
    ],
    second: Annotated[
        str, typer.Argument(metavar="B", help="Answers file, or scenario:ID for a scenario.")
    ],
    rules: RulesOption = None,
    fmt: ListFormatOption = ListFormat.table,
) -> None:
    """Compare two answer sets: the answers that differ and how the ranking moved."""
    from .compare import compare as line_up

    rule_set = _rules(rules)
    comparison = line_up(
        rule_set,
        _answer_set(rule_set, first),
        _answer_set(rule_set, second),
        labels=(first, second),
    )
    _show(fmt, "comparison", comparison)


workshop_app = typer.Typer(
    help="Summaries for trainers: many teams' answers files, one view.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
_GROUPS["workshop"] = workshop_app


class WorkshopFormat(str, Enum):
    table = "table"
    md = "md"
    html = "html"
    json = "json"


@workshop_app.command("summary")
def workshop_summary(
    directory: Annotated[
        Path,
        typer.Argument(metavar="DIR", help="Folder of answers files (YAML or JSON), one a team."),
    ],
    rules: RulesOption = None,
    fmt: Annotated[WorkshopFormat, typer.Option("--format", help="Output format.")] = (
        WorkshopFormat.table
    ),
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            metavar="FILE",
            help="Write the summary to FILE, in the format its name ends in (.md, .html, .json;"
            " else plain text) unless --format says another.",
        ),
    ] = None,
    force: ForceOption = False,
    plain: Annotated[
        bool,
        typer.Option("--plain", help="Plain text lines: no boxes, bars or color (screen readers)."),
    ] = False,
    wide: Annotated[
        bool,
        typer.Option(
            "--wide",
            help="Stretch the tables and bars across the whole screen, for a projector"
            " (the layout fits any width without it).",
        ),
    ] = False,
) -> None:
    """Summarize every team's answers in DIR: ranks, shared and divergent pathways, common gaps.

    Files that cannot be read are listed and skipped.
    """
    from .render import workshop as view
    from .workshop import load_folder, summarize

    if fmt is WorkshopFormat.table and output is not None:  # a file: the format of its name
        fmt = WorkshopFormat(format_of(REPORT_FORMATS, output) or "table")
    if output is not None:
        from .files import check_destination

        check_destination(output, force)
    from .loader import collector_paused

    rule_set = _rules(rules)
    with collector_paused():  # thousands of results, no cycles: 10,000 files 30% faster
        summary = summarize(*load_folder(directory, rule_set))
        if fmt is WorkshopFormat.json:
            from .render.data import to_json

            pretty = output is not None or sys.stdout.isatty()
            text = to_json(view.workshop_data(summary), pretty=pretty)
        elif fmt is WorkshopFormat.md:
            text = view.workshop_markdown(summary)
        elif fmt is WorkshopFormat.html:
            text = view.workshop_html(summary)
        elif plain or output is not None:
            text = view.plain_workshop(summary)
        else:
            from .render.terminal import make_console

            view.show_workshop(make_console(), summary, wide)
            return
    _deliver(text, output, force, "Summary")


@workshop_app.command("serve")
def workshop_serve(
    rules: RulesOption = None,
    room_dir: Annotated[
        Path, typer.Option("--dir", metavar="ROOM_DIR", help="The room's folder of answers files.")
    ] = Path("padtool-room"),
    host: Annotated[
        str,
        typer.Option(
            metavar="HOST", help="Address to listen on; others than 127.0.0.1 let the network in."
        ),
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option(metavar="PORT", min=0, max=65535, help="Port; 0 picks a free one.")
    ] = 8765,
    title: Annotated[str, typer.Option(metavar="TEXT", help="Title of the room's pages.")] = "",
    min_group: Annotated[
        int, typer.Option(metavar="N", min=1, help="Hide the summary until N teams are done.")
    ] = 3,
    print_json: Annotated[
        bool,
        typer.Option("--print-json", help="Print the addresses as one JSON line, for scripts."),
    ] = False,
) -> None:
    """Run a live room: teams answer in a browser, the trainer's page shows the room summary.

    Answers files already in ROOM_DIR are teams of the room: a restart continues it.
    """
    from .room.server import serve  # the web stack: only for this command

    serve(_rules(rules), room_dir, host, port, title, min_group, print_json, _today)


@_command("plan")
def plan(
    ctx: typer.Context,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            metavar="FILE",
            help="Answers file (YAML or JSON); with --output-dir, a folder of them.",
        ),
    ] = None,
    scenario: ScenarioOption = None,
    session: Annotated[
        Path | None,
        typer.Option("--session", metavar="FILE", help="The answers of an interview session."),
    ] = None,
    pathway: Annotated[
        str | None,
        typer.Option(
            "--pathway",
            metavar="ID",
            help="Plan this pathway or model (default: the first choice).",
        ),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(
            "--start", metavar="DATE", help="The plan's first day, YYYY-MM-DD (default: today)."
        ),
    ] = None,
    rules: RulesOption = None,
    fmt: Annotated[
        str | None,
        _format_option(PLAN_FORMATS, "Output format (default: from the --output name, else md)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", metavar="FILE", help="Write the plan to FILE.")
    ] = None,
    output_dir: Annotated[
        Path | None,
        typer.Option(
            "--output-dir",
            metavar="DIR",
            help="Write a plan for each answers file of the --answers folder (a workshop's"
            " teams) here, as NAME-plan.FORMAT.",
            file_okay=False,
        ),
    ] = None,
    force: ForceOption = False,
) -> None:
    """Draft a first-year action plan: tasks with owners and dates, agreements to sign, the
    data plan, funding, risks and a one-page brief, for the partners to edit and sign.

    Give one of --answers FILE, --scenario ID and --session FILE; or --answers DIR with
    --output-dir DIR for a plan per team.
    """
    if len([x for x in (answers, scenario, session) if x is not None]) != 1:
        raise _UsageError("Give one of --answers FILE, --scenario ID and --session FILE.", ctx=ctx)
    folder = answers if output_dir is not None else None
    if output_dir is not None and (folder is None or output is not None):
        raise _UsageError("--output-dir DIR goes with --answers DIR (and no --output).", ctx=ctx)
    first_day = _start_date(ctx, start)
    chosen = fmt or format_of(PLAN_FORMATS, output) or "md"
    if output is not None:
        from .files import check_destination

        check_destination(output, force)
    from .sessions import session_rule_folders

    rule_set = _rules(rules or session_rule_folders(session, err=True))
    if rule_set.plan is None:
        raise PadtoolError(
            f"{rule_set.location}: this rule set has no plan.yaml to draft plans from"
        )
    entry_id = _find_entry(rule_set, pathway).id if pathway is not None else None
    if folder is not None and output_dir is not None:
        from .team_plans import write_team_plans

        write_team_plans(rule_set, folder, output_dir, entry_id, first_day, chosen, force, _today())
        return
    from .engine import recommend as evaluate
    from .render.plan import plan_text

    result = evaluate(rule_set, _plan_answers(ctx, rule_set, answers, scenario, session))
    _deliver(plan_text(result, entry_id, first_day, chosen, _today()), output, force, "Plan")


def _start_date(ctx: typer.Context, start: str | None) -> date:
    from datetime import date

    try:
        return date.fromisoformat(start or _today())
    except ValueError:
        raise _UsageError(
            f"--start takes a date written YYYY-MM-DD, not '{start}'.", ctx=ctx
        ) from None


def _plan_answers(
    ctx: typer.Context,
    rule_set: RuleSet,
    answers: Path | None,
    scenario: str | None,
    session: Path | None,
) -> dict[str, AnswerValue]:
    if session is None:
        return _answer_set(rule_set, _source(ctx, answers, scenario))
    from .sessions import resume_answers

    values, _, warnings = resume_answers(session, rule_set)
    for warning in warnings:
        say(f"warning: {warning}", err=True)
    return values


class ValidateFormat(str, Enum):
    text = "text"
    json = "json"


def _check_scenarios(rule_set: RuleSet) -> int:
    """Check every training scenario of the rule set and its overlays (PadtoolError listing
    every problem); the number of scenario files. Same files, same code: same verdict."""
    from .rulecache import SCENARIO_MODULES, check_cached
    from .rulefiles import scenario_files

    layers = [Path(layer) for layer in rule_set.layers]
    files = scenario_files(layers)

    def check() -> None:
        from .scenarios import load_scenarios

        load_scenarios(rule_set)

    check_cached("scenarios", layers, files, SCENARIO_MODULES, check)
    return len(files)


@_command("validate")
def validate(
    directories: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[DIR]...",
            help="A rule-set folder and the overlays laid over it, in order; an overlay alone "
            "is checked over the bundled set (default: PADTOOL_RULES, else the bundled set).",
        ),
    ] = None,
    fmt: Annotated[
        ValidateFormat,
        typer.Option("--format", help="text, or json for editors and CI: errors and warnings."),
    ] = ValidateFormat.text,
) -> None:
    """Check a rule set and print every problem (exit code 2), then any warnings (exit code 0)."""
    from .lint import lint  # pure checks on the typed set: legal, but probably wrong

    if fmt is ValidateFormat.json:
        from .render.data import validation_data

        try:
            rule_set = _rules(directories)
            _check_scenarios(rule_set)
        except PadtoolError as error:  # the problems are this command's output, as data
            _print_json(validation_data(None, error.problems, []))
            raise typer.Exit(error.exit_code) from None
        _print_json(validation_data(rule_set, [], lint(rule_set)))
        return
    # Same files, same padtool: same verdict, so a cached valid set needs no second parse.
    rule_set = _rules(directories)
    scenarios = _check_scenarios(rule_set)
    overlays = "".join(f" + overlay '{o.name}' ({o.location})" for o in rule_set.overlays)
    say(
        f"{rule_set.location}{overlays}: rule set '{rule_set.name}' version {rule_set.version} "
        f"is valid: {len(rule_set.questions)} questions, {len(rule_set.entries)} entries, "
        f"{len(rule_set.providers)} providers, {len(rule_set.legal_checks)} legal checks, "
        f"{len(rule_set.funding)} funding items, {scenarios} training scenarios."
    )
    warnings = lint(rule_set)
    for warning in warnings:
        say(f"warning: {warning}")
    if warnings:
        say(f"{len(warnings)} warning{'' if len(warnings) == 1 else 's'}.")


class SchemaKind(str, Enum):
    ruleset = "ruleset"
    questions = "questions"
    entry = "entry"
    providers = "providers"
    resources = "resources"
    overlay = "overlay"
    legal = "legal"
    funding = "funding"
    plan = "plan"


@_command("init-overlay")
def init_overlay(
    folder: Annotated[
        Path,
        typer.Argument(metavar="DIR", help="Folder to write the overlay in (created if needed)."),
    ],
    name: Annotated[
        str | None,
        typer.Option(
            "--name", help="The overlay's name, shown in reports (default: the folder's name)."
        ),
    ] = None,
    force: ForceOption = False,
) -> None:
    """Write a commented starter overlay: local providers, questions and pathways laid over
    the bundled rule set without changing it."""
    from .sessions import invoked_as
    from .starter import write_overlay

    overlay_name = name if name is not None else folder.resolve().name
    written = write_overlay(folder, overlay_name, force)
    say(f"Wrote a starter overlay '{overlay_name}' in {folder} ({len(written)} files).")
    command = invoked_as()
    say(f"Edit its files (README.md explains them), then check them: {command} validate {folder}")
    say(f"Use it: {command} interview --rules {folder}  (or set PADTOOL_RULES={folder})")


@_command("schema")
def schema(
    kind: Annotated[
        SchemaKind | None,
        typer.Argument(
            metavar="[KIND]",
            help=f"{', '.join(k.value for k in list(SchemaKind)[:-1])} or "
            f"{list(SchemaKind)[-1].value} (default: all, keyed by kind).",
        ),
    ] = None,
) -> None:
    """Print the JSON Schema of the rule-set files, for editors and other tools."""
    import json

    from .rulefiles import bundled_rules_dir

    folder = bundled_rules_dir() / "schemas"
    kinds = [kind] if kind is not None else list(SchemaKind)
    try:
        found = {k.value: (folder / f"{k.value}.schema.json").read_text("utf-8") for k in kinds}
    except OSError as error:
        raise PadtoolError([Problem(str(folder), f"cannot be read: {error.strerror}")]) from None
    if kind is not None:
        sys.stdout.write(found[kind.value])
    else:
        data = {name: json.loads(text) for name, text in found.items()}
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


@sessions_app.command("list")
def sessions_list(rules: RulesOption = None, fmt: ListFormatOption = ListFormat.table) -> None:
    """List saved interview sessions, most recent first."""
    from .sessions import invoked_as, list_sessions, sessions_dir

    found, broken = list_sessions(_rules(rules).agency_question)
    for problem in broken:
        say(f"warning: {problem}; not a readable session", err=True)
    if not found and fmt is ListFormat.table:
        say(f"No {'readable ' if broken else ''}saved sessions in {sessions_dir()}")
        return
    _show(fmt, "sessions", found, folder=str(sessions_dir()), command=invoked_as())


@sessions_app.command("delete")
def sessions_delete(
    names: Annotated[
        list[str],
        typer.Argument(metavar="SESSION...", help="Session names (see `sessions list`) or files."),
    ],
) -> None:
    """Delete saved sessions: only session files in the sessions folder, never another file."""
    from .sessions import deletable_session

    paths = [deletable_session(name) for name in names]  # all checked before any is deleted
    for path in paths:
        path.unlink()
        say(f"Deleted {path}")


@scenarios_app.command("list")
def scenarios_list(rules: RulesOption = None, fmt: ListFormatOption = ListFormat.table) -> None:
    """List the training scenarios; every scenario file is checked on the way."""
    from .scenarios import load_scenarios, scenario_dirs

    rule_set = _rules(rules)
    location = " or ".join(str(d) for d in scenario_dirs(rule_set))
    _show(fmt, "scenarios", load_scenarios(rule_set), location=location)


@scenarios_app.command("show")
def scenarios_show(
    scenario_id: Annotated[str, typer.Argument(metavar="ID", help="Scenario id.")],
    rules: RulesOption = None,
    fmt: ListFormatOption = ListFormat.table,
    answers_only: Annotated[
        bool,
        typer.Option(
            "--answers-only",
            help="Print only its answers, as an answers file a team can edit and pass to "
            "--answers.",
        ),
    ] = False,
) -> None:
    """Show one scenario: its narrative, sources and answers, in words."""
    rule_set = _rules(rules)
    found = _scenario(rule_set, scenario_id)
    if answers_only:
        from .answers import dump_answers

        sys.stdout.write(dump_answers(rule_set, dict(found.answers)))
        return
    _show(fmt, "scenario", found, rule_set)


def _find_entry(rule_set: RuleSet, name: str) -> Entry:
    entry = rule_set.find_entry(name)
    if entry is None:
        names = [e.id for e in rule_set.entries] + [a for e in rule_set.entries for a in e.aliases]
        hint = did_you_mean(name.lower(), names)
        raise PadtoolError(
            f"no pathway or program model '{name}'{hint}; see: padtool pathways list"
        )
    return entry


def main() -> None:
    """Entry point: the one place that turns padtool errors into a message and an exit code."""
    try:
        app()
    except PadtoolError as error:
        try:
            code = report(error)
        except OSError:  # the terminal was closed (SIGHUP): nobody left to tell
            _silence_output()
            code = error.exit_code
        sys.exit(code)
    except KeyboardInterrupt:  # Ctrl-C outside a prompt, while results are worked out
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        # Output piped into `head` and the like: stop quietly, as Unix tools do.
        sys.stderr.close()
        sys.exit(1)


def _silence_output() -> None:
    """Point stdout and stderr at the null device, so flushing them at exit cannot fail and
    turn a clean exit code into Python's 120."""
    import contextlib

    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
