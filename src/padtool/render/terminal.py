"""The terminal view (rich). Every dynamic string goes through Text, never through markup."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..engine import Reason, Recommendation, Result, rank_providers
from ..model import Entry, Origin, Provider, Question, RuleSet, Step
from .text import clean

if TYPE_CHECKING:
    from ..compare import Comparison, EntryMove
    from ..explain import Check, Explanation
    from ..scenarios import Scenario
    from ..sessions import SessionInfo
    from ..whatif import Change, Lever, Target, WhatIf


def make_console(stderr: bool = False) -> Console:
    # rich honours NO_COLOR and drops styling when the output is not a terminal.
    return Console(stderr=stderr, highlight=False, emoji=False, markup=False)


def _t(text: str, style: str = "") -> Text:
    return Text(clean(text), style=style)


READINESS_WORDS = {
    "ready": "ready to start",
    "build-first": "start after building what is listed",
    "not-yet": "not yet",
}
CLOSED_BY_WORDS = {"agency": "your agency", "partner": "a partner", "law": "a change of law"}
MORE_PROVIDERS = 3  # shown after the one to call first; `providers list` has the rest


def fit_words(rec: Recommendation) -> str:
    """Fit as people say it: "strong fit (9 of 11 points)"; never a negative number."""
    return f"{rec.fit_level} fit ({rec.points} of {rec.entry.max_score} points)"


def show_result(console: Console, result: Result) -> None:
    agency = result.agency or "your jurisdiction"
    console.print(_t(f"Pre-arrest diversion pathways for {agency}", "bold"))
    console.print(_t(_rule_set_line(result.rule_set), "dim"))
    if result.agency_type_note:
        console.print(_t(result.agency_type_note, "dim"))
    if result.build_first:
        console.print(_build_first_panel(result))
    if not result.starting_set:
        console.print(_t("No pathway fits your answers clearly enough to start with yet."))
    for rec in result.starting_set:
        console.print(_recommendation_panel(rec))
    if result.open_questions:
        console.print(Group(*_block("Questions to settle", result.open_questions, "?")))
    others = [r for r in result.recommendations if not r.recommended]
    if others:
        table = Table(title="Other pathways considered", title_justify="left", expand=False)
        for column in ("Rank", "Pathway", "Fit", "Why not now"):
            table.add_column(column, justify="right" if column == "Rank" else "left")
        for rec in others:
            name = _t(rec.name + (" (local)" if rec.entry.origin else ""))
            table.add_row(str(rec.rank), name, _t(fit_words(rec)), _t(rec.why_not))
        console.print(table)
    for qid in result.ignored:
        console.print(_t(f"Note: answer to '{qid}' ignored; the question does not apply.", "dim"))


def _build_first_panel(result: Result) -> Panel:
    lines = []
    for number, step in enumerate(result.build_first, start=1):
        line = f"{number}. {step.resource.name}: {step.text}"
        line += f" (needed by {', '.join(step.needed_by)})"
        if step.providers:
            line += f" Who can help: {_provider_line(step.providers[0])}"
        lines.append(line)
    intro = (
        "Nothing below is ready to launch yet. Build these first, in this order; each "
        "readies the pathways named after it."
    )
    body = Text(clean(intro) + "\n")
    for line in lines:
        body.append(Text(f"\n{clean(line)}"))
    return Panel(body, title=_t("What to build first", "bold"), title_align="left")


def show_summary(console: Console, result: Result) -> None:
    """The results in a few lines, for the end of the interview: what to build first when
    nothing is ready, the starting set with its fit and readiness, and the one provider to
    call. The report holds the rest."""
    agency = result.agency or "your jurisdiction"
    console.print(_t(f"Pre-arrest diversion pathways for {agency}", "bold"))
    if result.build_first:
        steps = "; ".join(f"{n}. {s.resource.name}" for n, s in enumerate(result.build_first, 1))
        console.print(_t(f"Build first: {steps}."))
    if not result.starting_set:
        console.print(_t("No pathway fits your answers clearly enough to start with yet."))
    for rec in result.starting_set:
        title = f"{rec.rank}. {rec.name}" + (" (first choice)" if rec.first_choice else "")
        missing = len(rec.missing)
        gaps = f"{missing} thing{'s' if missing != 1 else ''} still missing" if missing else ""
        detail = "; ".join(filter(None, [fit_words(rec), READINESS_WORDS[rec.readiness], gaps]))
        console.print(_t(title, "bold"))
        console.print(Padding(_t(f"{rec.entry.summary} ({detail})"), (0, 0, 0, 3)))
    first = result.starting_set[0] if result.starting_set else None
    if first is not None and first.call_first is not None:
        console.print(_t(f"Call first: {_provider_line(first.call_first)}"))
    others = [r.entry.name for r in result.next_in_line[:3]]
    if others:
        console.print(_t(f"Next in line: {', '.join(others)}."))
    console.print(
        _t(
            "The report gives the reasons, what is missing, first steps and who can help.",
            "dim",
        )
    )


def _recommendation_panel(rec: Recommendation) -> Panel:
    entry = rec.entry
    parts: list[RenderableType] = [_t(entry.summary, "italic")]
    if entry.origin:
        parts.append(_t(entry.origin.label(capital=True), "dim"))
    parts += _block("Why it fits", [_reason_line(r) for r in rec.supporting], "+")
    parts += _block("Against it", [_reason_line(r) for r in rec.against], "-")
    parts += _block(
        "Still missing",
        [f"{g.text} (closed by {CLOSED_BY_WORDS[g.closed_by]})" for g in rec.missing],
        "[ ]",
    )
    parts += _block("To find out", [g.text for g in rec.open_questions], "?")
    parts += _block("First steps", list(rec.steps), "-")
    if rec.call_first:
        parts += _block("Call first", [_provider_line(rec.call_first)], "*")
        more = [
            p.name + (f" ({p.origin.label()})" if p.origin else "")
            for p in rec.providers[1 : 1 + MORE_PROVIDERS]
        ]
        parts += _block("Also", ["; ".join(more)] if more else [], "-")
    # Titles only here: the Markdown and HTML reports give each item's text and sources.
    counsel = [c.title for c in rec.legal_checks] + ([rec.legal_note] if rec.legal_note else [])
    parts += _block("Check with counsel", counsel, "-")
    funding = [f"{f.title} (as of {f.as_of})" if f.as_of else f.title for f in rec.funding]
    parts += _block("How others pay for it", funding, "-")
    title = f"{rec.rank}. {rec.name}" + ("  (first choice)" if rec.first_choice else "")
    subtitle = f"{fit_words(rec)}; {READINESS_WORDS[rec.readiness]}"
    return Panel(
        Group(*parts),
        title=_t(title, "bold"),
        title_align="left",
        subtitle=_t(subtitle),
        subtitle_align="right",
    )


def _reason_line(reason: Reason) -> str:
    said = "; ".join(e.statement for e in reason.evidence)
    return reason.text + (f" (you answered: {said})" if said else "")


def _provider_line(provider: Provider) -> str:
    contact = f" Contact: {provider.contact}" if provider.contact else ""
    local = f" ({provider.origin.label()})" if provider.origin else ""
    return f"{provider.name} <{provider.url}>{contact}{local}"


def _rule_set_line(rule_set: RuleSet) -> str:
    line = f"Rule set {rule_set.name} {rule_set.version}"
    if rule_set.overlays:
        line += " with the local overlay(s) " + ", ".join(o.name for o in rule_set.overlays)
    return line


def _rules(title: str, rows: list[tuple[str, str]]) -> list[RenderableType]:
    """Rules with their points in a column of their own, so wrapped lines hang under the text."""
    if not rows:
        return []
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column()
    for points, text in rows:
        grid.add_row(points or "-", "\n".join(clean(line) for line in text.splitlines()))
    return [Text(f"\n{title}", style="bold"), grid]


def _block(title: str, items: Iterable[str], bullet: str) -> list[RenderableType]:
    items = list(items)
    if not items:
        return []
    body = Text()
    body.append(Text(f"\n{title}\n", style="bold"))
    for item in items:
        body.append(Text(f"{bullet} {clean(item)}\n"))
    body.rstrip()
    return [body]


def show_questions(console: Console, rule_set: RuleSet) -> None:
    """The questionnaire in asking order: each question's id and type, prompt and option
    labels, and when it is asked, in words (ids and values: --format json). The id heads its
    question rather than having a column, which the longest id would make wide."""
    from ..explain import describe

    table = Table(title=f"Questionnaire: {clean(rule_set.name)}", title_justify="left", expand=True)
    table.add_column("#", justify="right")
    table.add_column("Id (type), question and options", ratio=3)
    table.add_column("Asked when", ratio=2, min_width=20)
    for number, question in enumerate(rule_set.questions, 1):
        when = describe(question.when, rule_set, by_id=True) if question.when else "always"
        cell = Text(question.id, style="bold")
        cell.append(Text(f" ({question.type})\n", style="dim"))
        cell.append(_question_cell(question))
        table.add_row(str(number), cell, _t(when))
    console.print(table)


def _with_origin(name: str, origin: Origin | None) -> Text:
    """A name in a table, marked when a local overlay added or replaced it."""
    text = _t(name)
    if origin:
        text.append(Text("\n" + clean(origin.label(capital=True)), style="dim"))
    return text


def _question_cell(question: Question) -> Text:
    text = _with_origin(question.prompt, question.origin)
    if question.options:
        text.append(Text("\n" + "; ".join(clean(o.label) for o in question.options), "dim"))
    return text


def show_pathways(console: Console, rule_set: RuleSet) -> None:
    table = Table(title="Pathways and program models", title_justify="left")
    table.add_column("Id", no_wrap=True)  # ids are typed back: keep whole
    table.add_column("Name and what it is")  # the prose wraps at word boundaries
    for entry in rule_set.entries:
        kind = "pathway" if entry.kind == "pathway" else "model of " + ", ".join(entry.pathways)
        cell = _with_origin(entry.name, entry.origin)
        cell.stylize("bold", 0, len(clean(entry.name)))
        cell.append(Text(f" ({clean(kind)})", style="dim"))
        cell.append(Text("\n" + clean(entry.summary)))
        table.add_row(entry.id, cell)
    console.print(table)


def show_entry(console: Console, entry: Entry, rule_set: RuleSet) -> None:
    parts: list[RenderableType] = [_t(entry.definition)]
    if entry.origin:
        parts.append(_t(entry.origin.label(capital=True), "dim"))
    facts = [
        f"Kind: {entry.kind}" + (f" ({', '.join(entry.pathways)})" if entry.pathways else ""),
        f"Who starts the contact: {entry.initiated_by}",
        f"Charges: {entry.charges_note or entry.charges}",
    ]
    if entry.aliases:
        facts.append(f"Also called: {', '.join(entry.aliases)}")
    parts += _block("Facts", facts, "-")
    parts += _block("Target population", entry.target_population, "-")
    # The rules in plain words: question prompts and option labels, as `explain` shows them.
    from ..explain import describe

    gates = [("", f"{describe(r.when, rule_set)}\notherwise: {r.reason}") for r in entry.requires]
    parts += _rules("Recommended only when", gates)
    parts += _rules(
        "Fit rules (points added when the condition holds)",
        [(f"{r.weight:+d}", f"when {describe(r.when, rule_set)}\n{r.reason}") for r in entry.fit],
    )
    parts += _rules(
        "Prerequisites (points taken off, and the gap shown, when the condition does not hold)",
        [
            (
                f"-{p.penalty}",
                f"needs {describe(p.when, rule_set)}\ngap: {p.gap}"
                + f" (closed by {CLOSED_BY_WORDS[p.closed_by]})",
            )
            for p in entry.prerequisites
        ],
    )
    parts += _block("First steps", [_step_line(x, rule_set) for x in entry.first_steps], "-")
    parts += _block("Partners", [_step_line(x, rule_set) for x in entry.partners], "-")
    parts += _block("What to measure", entry.measures, "-")
    parts += _block(
        "Examples",
        [f"{x.name} ({x.place} {x.year})".replace(" ()", "") for x in entry.examples],
        "-",
    )
    providers = rank_providers(rule_set, entry, {})
    parts += _block("Providers", [_provider_line(p) for p in providers], "-")
    parts += _block("Sources", [s.ref for s in entry.sources], "-")
    parts += _block("Notes", entry.notes, "-")
    console.print(
        Panel(Group(*parts), title=_t(f"{entry.name} [{entry.id}]", "bold"), title_align="left")
    )


def _step_line(step: Step, rule_set: RuleSet) -> str:
    """A step with the conditions that fit it, in words."""
    from ..explain import describe

    line = step.text
    if step.when is not None:
        line += f" (only when {describe(step.when, rule_set)})"
    if step.unless is not None:
        line += f" (unless {describe(step.unless, rule_set)})"
    if step.closes:
        line += f" (builds {step.closes}; left out when it exists)"
    if step.instead:
        line += f"; otherwise: {step.instead}"
    return line


def show_providers(console: Console, providers: Iterable[Provider]) -> None:
    """One block a provider rather than a table: a web address on a line of its own is never
    broken across lines, and no column is given to the id."""
    console.print(_t("Technical-assistance providers", "bold"))
    for provider in providers:
        heading = Text("\n")
        heading.append(_t(provider.name, "bold"))
        heading.append(Text(f"  [{clean(provider.id)}]", style="dim"))
        console.print(heading)
        lines = [_t(provider.offers), _t(provider.url)]
        if provider.contact:
            lines.append(_t(f"Contact: {provider.contact}"))
        if provider.origin:
            lines.append(_t(provider.origin.label(capital=True), "dim"))
        console.print(Padding(Group(*lines), (0, 0, 0, 2)))


def show_sessions(
    console: Console, sessions: Iterable[SessionInfo], folder: str, command: str
) -> None:
    """Saved sessions; a name is never cut, since `sessions delete` takes it back."""
    table = Table(title=f"Sessions in {clean(folder)}", title_justify="left")
    table.add_column("Session (last saved)", no_wrap=True)
    table.add_column("Agency")
    table.add_column("Answers", justify="right")
    table.add_column("Status")
    for session in sessions:
        name = Text(clean(session.path.stem))
        name.append(Text("\n" + clean(session.updated.replace("T", " ")), style="dim"))
        status = "finished" if session.finished else "unfinished"
        table.add_row(name, _t(session.agency), str(session.answered), status)
    console.print(table)
    console.print(
        _t(
            f"Continue the latest unfinished one: {command} interview --resume "
            f"(or add --session NAME). Remove one: {command} sessions delete NAME",
            "dim",
        )
    )


# A scenario that expects no starting set: nothing is ready, the report says what to build first.
_NOTHING_YET = "nothing to start yet, only what to build first"


def show_scenarios(console: Console, scenarios: Iterable[Scenario], location: str) -> None:
    scenarios = list(scenarios)
    if not scenarios:
        console.print(_t(f"No scenarios in {location}"))
        return
    table = Table(title="Training scenarios", title_justify="left")
    # Ids are typed back on the command line: never cut them short, wrap the prose instead;
    # the expected pathway ids share the title's column, so they wrap between ids, not in one.
    table.add_column("Id", no_wrap=True)
    table.add_column("Title")
    for scenario in scenarios:
        cell = _t(scenario.title)
        expected = clean(", ".join(scenario.expected))
        said = (
            f"Expected in the starting set: {expected}" if expected else f"Expected: {_NOTHING_YET}"
        )
        cell.append(Text(f"\n{said}", style="dim"))
        table.add_row(_t(scenario.id), cell)
    console.print(table)


def show_scenario(console: Console, scenario: Scenario, rule_set: RuleSet) -> None:
    # The title goes in the body, where it wraps: a panel's title line is cut at its width.
    parts: list[RenderableType] = [_t(scenario.title, "bold"), _t(scenario.narrative)]
    parts += _block("Expected in the starting set", scenario.expected, "-") or [
        Text(f"\nExpected: {_NOTHING_YET}", style="bold")
    ]
    parts += _block("Sources", scenario.sources, "-")
    console.print(
        Panel(
            Group(*parts),
            title=_t(scenario.id, "bold"),
            title_align="left",
        )
    )
    table = Table(title="Answers", title_justify="left")
    for column in ("Question", "Answer"):
        table.add_column(column, no_wrap=column == "Id")  # ids are typed back: keep whole
    for question in rule_set.questions:
        if question.id in scenario.answers:
            table.add_row(_t(question.prompt), _t(question.describe(scenario.answers[question.id])))
    console.print(table)


def show_whatif(console: Console, found: WhatIf) -> None:
    result = found.result
    console.print(
        _t(f"What would change the advice for {result.agency or 'your jurisdiction'}", "bold")
    )
    console.print(
        _t(
            f"Each pathway below was ranked again for {found.tried} single changes of your "
            "answers. Resources you could build are listed apart from facts about your "
            "jurisdiction: the facts only explain the advice, and your answers to them should "
            "stay as they are.",
            "dim",
        )
    )
    for target in found.targets:
        console.print(_whatif_panel(target))


def _whatif_panel(target: Target) -> Panel:
    # The title goes inside the panel: a border title is cut at the screen's edge.
    now = target.now
    where = "in your starting set" if now.recommended else "next in line, not in your set"
    parts: list[RenderableType] = [
        _t(f"{now.rank}. {now.entry.name} ({where}, score {now.score})", "bold")
    ]
    if not target.levers:
        parts.append(
            _t(
                "No single change of an answer, and no pair of the most promising ones, "
                + ("takes it out of the set." if now.recommended else "brings it into the set.")
            )
        )
        return Panel(Group(*parts))
    built = [lever for lever in target.levers if lever.buildable]
    facts = [lever for lever in target.levers if not lever.buildable]
    if built:
        parts += [_t("Resources you could build", "underline"), _lever_grid(target, built)]
    if facts:
        heading = "If your jurisdiction were different (facts, not choices)"
        parts += [_t(heading, "underline"), _lever_grid(target, facts)]
    return Panel(Group(*parts))


def _lever_grid(target: Target, levers: list[Lever]) -> Table:
    """One bullet a lever, its outcome indented under it; wrapped lines hang under the text."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for lever in levers:
        if lever.buildable:
            changes = " and ".join(_built_words(c) for c in lever.changes)
        else:
            changes = _facts_words(lever.changes)
        grid.add_row("-", _t(f"{changes[0].upper()}{changes[1:]}:"))
        grid.add_row("", _t(_lever_outcome(target, lever)))
    return grid


def _built_words(change: Change) -> str:
    """A resource built: the option added, or the new answer with the one it replaces."""
    question = change.question
    if change.kind == "add":
        return question.label(str(change.value))
    now = "no answer" if change.before is None else question.describe(change.before)
    return f"“{question.prompt}” answered {question.describe(change.value)} (now: {now})"


def _facts_words(changes: tuple[Change, ...]) -> str:
    """Facts put the other way; two options of one question said in one clause."""
    first = changes[0]
    same = {(c.question.id, c.kind) for c in changes} == {(first.question.id, first.kind)}
    if len(changes) == 2 and same and first.kind in ("add", "remove"):
        a, b = (first.question.label(str(c.value)) for c in changes)
        asked = f"if the answer to “{first.question.prompt}”"
        if first.kind == "add":
            return f"{asked} also included {a} and {b}"
        return f"{asked} included neither {a} nor {b}"
    return " and ".join(_fact_words(c) for c in changes)


def _fact_words(change: Change) -> str:
    """A fact put the other way: never an instruction to answer differently."""
    asked = f"if the answer to “{change.question.prompt}”"
    label = change.question.label(str(change.value))
    if change.kind == "add":
        return f"{asked} also included {label}"
    if change.kind == "remove":
        return f"{asked} did not include {label}"
    question = change.question
    now = "no answer" if change.before is None else question.describe(change.before)
    return f"{asked} were {question.describe(change.value)} (it is {now})"


def _lever_outcome(target: Target, lever: Lever) -> str:
    name = target.now.entry.name
    others = ", ".join(e.name for e in lever.swapped)
    if target.moves == "in":
        outcome = f"then {name} would come in at rank {lever.rank}"
        return outcome + (f", in place of {others}." if others else ".")
    if lever.rank > target.now.rank:
        outcome = f"then {name} would drop to rank {lever.rank}"
    else:  # still ranked as high, but no longer startable
        outcome = f"then {name} would leave your starting set"
    return outcome + (f"; {others} would take its place." if others else ".")


_SET_WORDS = {
    "entered": "new in set",
    "left": "left set",
    "stayed": "stays in set",
    "out": "not in set",
}


def show_comparison(console: Console, comparison: Comparison) -> None:
    a, b = comparison.a, comparison.b
    console.print(_t("Comparing two answer sets", "bold"))
    console.print(_t(f"A: {comparison.label_a} ({a.agency or 'no agency name'})"))
    console.print(_t(f"B: {comparison.label_b} ({b.agency or 'no agency name'})"))
    first_a, first_b = comparison.first_choice_a, comparison.first_choice_b
    name_a = first_a.entry.name if first_a else "none"
    name_b = first_b.entry.name if first_b else "none"
    if comparison.first_choice_changed:
        console.print(_t(f"First choice changes: A {name_a}; B {name_b}."))
    else:
        console.print(_t(f"First choice in both: {name_a}."))
    if comparison.answers:
        answers = Table(title="Answers that differ", title_justify="left")
        for column in ("Question", "A", "B"):
            answers.add_column(column)
        for difference in comparison.answers:
            answers.add_row(
                _t(difference.question.prompt), _t(difference.a_words), _t(difference.b_words)
            )
        console.print(answers)
    else:
        console.print(_t("The two answer sets are the same."))
    ranking = Table(title="How the ranking moved (in B's order)", title_justify="left")
    for column in ("Pathway", "A rank", "A score", "B rank", "B score", "Move", "Starting set"):
        ranking.add_column(column, justify="right" if column[:2] in ("A ", "B ") else "left")
    for move in comparison.entries:
        ranking.add_row(
            _pathway_cell(move),
            str(move.a.rank),
            str(move.a.score),
            str(move.b.rank),
            str(move.b.score),
            move.movement,
            _SET_WORDS[move.set_change],
        )
    console.print(ranking)


def _pathway_cell(move: EntryMove) -> Text:
    text = _t(move.entry.name)
    first = [side for side, rec in (("A", move.a), ("B", move.b)) if rec.first_choice]
    if first:
        where = "A and B" if len(first) == 2 else first[0]
        text.append(Text(f"\nfirst choice in {where}", "italic"))
    return text


def show_explanation(console: Console, found: Explanation, trace: bool = False) -> None:
    """Why one entry scored what it did, in sentences: what counted for and against it, what
    is missing, the score and the rank; with trace, the rule-by-rule trace instead."""
    if trace:
        show_trace(console, found)
        return
    entry, rec = found.entry, found.recommendation
    agency = found.result.agency or "your jurisdiction"
    console.print(_t(f"Why {entry.name} scored what it did for {agency}", "bold"))
    if entry.origin:
        console.print(_t(f"{entry.origin.label(capital=True)} ({entry.file})", "dim"))
    for gate in found.gates:
        if gate.check.value is False and gate.reason not in rec.why_not:
            console.print(_t(f"It is not recommended for your answers: {gate.reason}"))
    console.print(_t(_standing_sentence(found)))
    rules = found.rules
    groups = [
        ("What counts for it", [r for r in rules if r.check.holds and r.weight > 0]),
        ("What counts against it", [r for r in rules if r.check.holds and r.weight < 0]),
        (
            "What would count for it, but your answers do not show it",
            [r for r in rules if r.check.value is False and r.weight > 0],
        ),
        (
            'Not known yet: it depends on an answer of "Don\'t know"',
            [r for r in rules if r.check.value is None],
        ),
    ]
    for title, group in groups:
        rows = [(f"{r.weight:+d}", _with_answers(r.reason, r.check)) for r in group]
        for renderable in _rules(title, rows):
            console.print(renderable)
    missing = [
        (
            f"-{p.penalty}" if p.penalty else "0",
            p.gap + (" You could build this." if p.buildable else ""),
        )
        for p in found.prerequisites
        if not p.met
    ]
    for renderable in _rules("What is missing (and what it takes off the score)", missing):
        console.print(renderable)
    console.print(_t(f"\n{_score_sentence(found)}", "bold"))
    console.print(_t("For the rule-by-rule trace: add --trace.", "dim"))


def _with_answers(reason: str, check: Check) -> str:
    unanswered = [a.removesuffix(_NO_ANSWER) for a in check.quoted if a.endswith(_NO_ANSWER)]
    answered = [a for a in check.quoted if not a.endswith(_NO_ANSWER)]
    if answered:
        reason += f" (you answered: {'; '.join(answered)})"
    if unanswered:
        reason += f" (not answered: {'; '.join(unanswered)})"
    return reason


_NO_ANSWER = ": (no answer)"  # how explain quotes a question with no answer


def _standing_sentence(found: Explanation) -> str:
    rec = found.recommendation
    where = f"It ranks {rec.rank} of {len(found.result.recommendations)}"
    if rec.first_choice:
        return where + ": your first choice."
    if rec.recommended:
        return where + ", in your starting set."
    return where + f", not in your starting set. Why not: {rec.why_not}"


def _score_sentence(found: Explanation) -> str:
    gained = sum(r.points for r in found.rules)
    lost = sum(-p.points for p in found.prerequisites)
    possible = found.entry.max_score
    # Shown as people read a fit: never below zero (the report says "0 of 10 points").
    shown = max(found.score, 0)
    if not lost:
        return f"Score: {shown} of {possible} possible."
    below_zero = f": {found.score}, shown as 0" if found.score < 0 else ""
    return (
        f"Score: {shown} of {possible} possible ({gained} from the answers, "
        f"less {lost} for what is missing{below_zero})."
    )


def show_trace(console: Console, found: Explanation) -> None:
    """One entry's gate, fit rules and prerequisites against the answers, then its score."""
    entry, rec = found.entry, found.recommendation
    agency = found.result.agency or "your jurisdiction"
    console.print(_t(f"Explain: {entry.name} [{entry.id}] for {agency}", "bold"))
    if entry.origin:
        console.print(_t(f"{entry.origin.label(capital=True)} ({entry.file})", "dim"))
    if not found.gates:
        console.print(_t("Requires: nothing; this entry is always considered."))
    for gate in found.gates:
        check = gate.check
        console.print(_t(f"Requires: {check.state}. Wanted: {check.wanted}"))
        if check.answers:
            console.print(_t(f"Your answers: {'; '.join(check.answers)}", "dim"))
        if check.value is False:
            console.print(_t(f"So it is not recommended: {gate.reason}"))

    rules = Table(title="Fit rules", title_justify="left", expand=False)
    for column in ("Held", "Weight", "Rule", "Your answers"):
        rules.add_column(column, justify="right" if column == "Weight" else "left")
    for rule in found.rules:
        rules.add_row(
            _state(rule.check, rule.check.state),
            f"{rule.weight:+d}",
            _rule_cell(rule.reason, rule.check),
            _lines(rule.check.answers),
        )
    console.print(rules)

    if found.prerequisites:
        needs = Table(title="Prerequisites", title_justify="left", expand=False)
        for column in ("Met", "Penalty if unmet", "Gap when unmet", "Your answers"):
            needs.add_column(column, justify="right" if column.startswith("Penalty") else "left")
        for need in found.prerequisites:
            state = "met" if need.met else "not met"
            if need.check.value is None:
                state = "to find out (Don't know)"
            gap = need.gap + (" (a resource you could build)" if need.buildable else "")
            needs.add_row(
                _state(need.check, state),
                f"-{need.penalty}",
                _rule_cell(gap, need.check),
                _lines(need.check.answers),
            )
        console.print(needs)

    console.print(_t(f"Score: {found.steps} (of {entry.max_score} possible)", "bold"))
    where = f"Rank {rec.rank} of {len(found.result.recommendations)}: "
    if rec.first_choice:
        where += "in the starting set, first choice."
    elif rec.recommended:
        where += "in the starting set."
    else:
        where += f"not in the starting set. Why not: {rec.why_not}"
    console.print(_t(where))


def _state(check: Check, words: str) -> Text:
    # The words carry the meaning; color only repeats it.
    style = "green" if check.holds else "yellow" if check.value is None else "red"
    return _t(words, style)


def _rule_cell(text: str, check: Check) -> Text:
    cell = _t(text)
    cell.append("\n")
    cell.append(_t(f"wanted: {check.wanted}", "dim"))
    return cell


def _lines(lines: Iterable[str]) -> Text:
    return Text("\n").join(_t(line) for line in lines)
