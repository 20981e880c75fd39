"""A workshop summary for the room: terminal (rich or plain text), Markdown, HTML and JSON.

Every format carries the same sections: the teams' ranks, how often each entry was chosen,
shared and divergent entries (with the answers that drive them), common gaps, broken files.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..workshop import FIRST_MARK, SET_MARK, Divergent, Driver, Summary, Team
from .data import rule_set_data
from .text import clean, md_text, md_user

if TYPE_CHECKING:
    from rich.console import Console

SCHEMA_VERSION = 1
BAR = "█"
BAR_WIDTH = 30
LEGEND = (
    "Each cell is the pathway's rank for that team (1 fits best); "
    f"{FIRST_MARK} marks the team's first choice, {SET_MARK} the rest of its starting set."
)
MAX_TEAM_COLUMNS = 8  # in HTML and Markdown: more teams than this and the teams become rows
NAME_COLUMN = 26  # the terminal's pathway-name column, when the screen has room for it


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def _header(summary: Summary) -> list[str]:
    title = f"Workshop summary: {_plural(len(summary.teams), 'team')}"
    if summary.broken:
        title += f", {_plural(len(summary.broken), 'file')} not read"
    lines = [title]
    if summary.rule_set is not None:
        lines.append(f"Rule set {summary.rule_set.name} {summary.rule_set.version}")
    return lines


def _count(n: int, total: int) -> str:
    return f"{n} of {total} team{'s' if total != 1 else ''}"


def _chart_line(n: int, first: int, total: int) -> str:
    return f"{_count(n, total)} in the starting set, {first} as first choice"


def _teams_who(count: int, of: int) -> str:
    """'the one team', 'no team', 'both teams', 'all 6 teams', 'none of the 6 teams', '1 of
    the 3 teams'."""
    if of == 1:
        return "the one team" if count else "no team"
    if count == of:
        return "both teams" if of == 2 else f"all {of} teams"
    if count == 0:
        return f"none of the {of} teams"
    return f"{count} of the {of} teams"


def _driver_line(d: Driver, item: Divergent) -> str:
    # Teams do not choose a pathway: it is in their starting set, or not.
    return (
        f"{d.question.prompt.rstrip('?')}: {d.answer}. Answered so by "
        f"{_teams_who(d.with_count, item.teams_with)} with it in the starting set and by "
        f"{_teams_who(d.without_count, item.teams_without)} without it."
    )


def _shared_line(summary: Summary) -> list[str]:
    total = len(summary.teams)
    return [f"{t.entry.name}: {_count(t.in_set, total)}" for t in summary.shared]


def _bar(n: int, total: int, width: int = BAR_WIDTH) -> str:
    return BAR * round(width * n / total) if total else ""


def _short_legend(summary: Summary) -> list[tuple[str, str]]:
    """(short label, full name) for every entry whose column label is not its name."""
    return [(e.short_label, e.name) for e in summary.entries if e.short_label != e.name]


def _teams_are_columns(summary: Summary) -> bool:
    """HTML and Markdown: a few teams are columns under their full names; a big room is rows,
    with the pathways' short labels as columns, so the page never grows sideways."""
    return len(summary.teams) <= MAX_TEAM_COLUMNS


# JSON


def workshop_data(summary: Summary) -> dict[str, Any]:
    rule_set = summary.rule_set
    entries = summary.entries
    return {
        "schema_version": SCHEMA_VERSION,
        "padtool_version": __version__,
        "rule_set": rule_set_data(rule_set) if rule_set else None,
        "team_count": len(summary.teams),
        "teams": [
            {
                "team": team.name,
                "first_choice": team.first_choice.id if team.first_choice else None,
                "starting_set": [e.id for e in team.starting_set],
                "ranks": {e.id: c.rank for e, c in zip(entries, team.cells, strict=True)},
            }
            for team in summary.teams
        ],
        "entries": [
            {
                "id": t.entry.id,
                "name": t.entry.name,
                "short_name": t.entry.short_label,
                "in_starting_set": t.in_set,
                "first_choice": t.first_choice,
            }
            for t in summary.tallies
        ],
        "shared": [t.entry.id for t in summary.shared],
        "divergent": [
            {
                "id": item.entry.id,
                "name": item.entry.name,
                "teams_with": item.teams_with,
                "teams_without": item.teams_without,
                "drivers": [
                    {
                        "question": d.question.id,
                        "prompt": d.question.prompt,
                        "answer": d.answer,
                        "teams_with": d.with_count,
                        "teams_without": d.without_count,
                        "share_with": round(d.with_share, 4),
                        "share_without": round(d.without_share, 4),
                    }
                    for d in item.drivers
                ],
            }
            for item in summary.divergent
        ],
        "common_gaps": [{"gap": g.text, "teams": g.teams} for g in summary.gaps],
        "priorities": [
            {"text": p.text, "kind": p.kind, "teams": p.teams} for p in summary.priorities
        ],
        "broken_files": [{"file": b.file, "error": b.error} for b in summary.broken],
    }


# Plain text: for screen readers and printing; no box drawing, no color, no bars.


def plain_workshop(summary: Summary) -> str:
    total = len(summary.teams)
    lines = _header(summary)
    lines += _plain_broken(summary)
    if total:
        lines += ["", "Teams", LEGEND]
        for team in summary.teams:
            ranks = "; ".join(
                f"{e.name} {c.label}"
                for e, c in sorted(
                    zip(summary.entries, team.cells, strict=True), key=lambda pair: pair[1].rank
                )
            )
            lines.append(f"- {team.name}: {ranks}")
        lines += ["", "Pathways across teams"]
        lines += [
            f"- {t.entry.name}: {_chart_line(t.in_set, t.first_choice, total)}"
            for t in summary.tallies
        ]
        lines += ["", "Shared (in the starting set of at least half the teams)"]
        lines += [f"- {line}" for line in _shared_line(summary)] or ["- none"]
        lines += ["", "Divergent (in the starting set of some teams, not others)"]
        for item in summary.divergent:
            lines.append(f"- {item.entry.name}: {_count(item.teams_with, total)}")
            lines += [f"  - driven by: {_driver_line(d, item)}" for d in item.drivers]
        if not summary.divergent:
            lines.append("- none")
        lines += ["", GAPS_HEADING]
        lines += [f"- {g.text} ({_count(g.teams, total)})" for g in summary.gaps] or ["- none"]
        lines += ["", PRIORITIES_HEADING]
        lines += _priority_lines(summary) or ["- none"]
    else:
        lines += ["", "No answers file could be read."]
    return "\n".join(_plain_line(line) for line in lines) + "\n"


GAPS_HEADING = "Gaps most teams share (more than half the teams)"
PRIORITIES_HEADING = (
    "Priorities to vote on (first tasks of at least half the teams' plans, shared gaps)"
)
PRIORITY_KINDS = {"task": "first task", "gap": "gap"}


def _priority_items(summary: Summary, escape: Callable[[str], str] = str) -> list[str]:
    total = len(summary.teams)
    return [
        f"{escape(p.text)} ({PRIORITY_KINDS[p.kind]}, {_count(p.teams, total)})"
        for p in summary.priorities
    ]


def _priority_lines(summary: Summary, escape: Callable[[str], str] = str) -> list[str]:
    """The priorities, numbered so the room can vote by number."""
    return [f"{n}. {item}" for n, item in enumerate(_priority_items(summary, escape), 1)]


def _plain_broken(summary: Summary) -> list[str]:
    if not summary.broken:
        return []
    return ["", "Files not read", *(f"- {b.file}: {b.error}" for b in summary.broken)]


def _plain_line(line: str) -> str:
    indent = len(line) - len(line.lstrip(" "))
    return " " * indent + clean(line)


# Terminal (rich). Nothing is cut: a column is never narrower than its longest word, and the
# rank table is laid out to fit the screen (teams as columns, split over several tables when
# there are many, or teams as rows under the pathways' short labels on a wide screen).


def show_workshop(console: Console, summary: Summary, wide: bool = False) -> None:
    """The summary for a terminal of console.width columns; wide stretches the tables and the
    bars across the whole screen, for a projector."""
    from rich.padding import Padding
    from rich.text import Text

    def t(text: str, style: str = "") -> Text:
        return Text(clean(text), style=style)

    total = len(summary.teams)
    title, *rest = _header(summary)
    console.print(t(title, "bold"))
    for line in rest:
        console.print(t(line, "dim"))
    if summary.broken:
        console.print(t("\nFiles not read", "bold"))
        for broken in summary.broken:
            console.print(t(f"- {broken.file}: {broken.error}"))
    if not total:
        console.print(t("No answers file could be read."))
        return
    console.print()
    for renderable in _rank_tables(summary, console.width, wide):
        console.print(renderable)
    console.print(t(LEGEND, "dim"))
    console.print(t("\nHow many teams have each pathway in their starting set", "bold"))
    console.print(_chart(summary, console.width, wide))
    console.print(t("\nShared (in the starting set of at least half the teams)", "bold"))
    for line in _shared_line(summary) or ["none"]:
        console.print(t(f"- {line}"))
    console.print(t("\nDivergent (in the starting set of some teams, not others)", "bold"))
    for item in summary.divergent:
        console.print(t(f"- {item.entry.name}: {_count(item.teams_with, total)}"))
        for d in item.drivers:
            console.print(Padding(t(f"driven by: {_driver_line(d, item)}"), (0, 0, 0, 4)))
    if not summary.divergent:
        console.print(t("- none"))
    console.print(t(f"\n{GAPS_HEADING}", "bold"))
    for gap in summary.gaps:
        console.print(t(f"- {gap.text} ({_count(gap.teams, total)})"))
    if not summary.gaps:
        console.print(t("- none"))
    console.print(t(f"\n{PRIORITIES_HEADING}", "bold"))
    for line in _priority_lines(summary) or ["- none"]:
        console.print(t(line))


def _longest_word(texts: list[str]) -> int:
    return max((len(word) for text in texts for word in clean(text).split()), default=1)


def _cell_width(summary: Summary) -> int:
    return max(len(c.label) for team in summary.teams for c in team.cells)


def _rank_tables(summary: Summary, width: int, wide: bool) -> list[Any]:
    """The rank tables that fit width columns: teams as rows under short labels when they fit,
    else the pathways as rows and numbered teams as columns, as many tables as it takes."""
    cell = _cell_width(summary)
    labels = [e.short_label for e in summary.entries]
    team_words = _longest_word([team.name for team in summary.teams])
    # rich's heavy box: one border plus two padding characters per column, one border more
    label_columns = sum(max(_longest_word([label]), cell) + 3 for label in labels)
    if 1 + max(team_words, 12) + 3 + label_columns <= width:
        return [_teams_as_rows(summary, cell, wide), *_short_label_legend(summary)]
    number = max(len(str(len(summary.teams))), cell)
    name_width = max(_longest_word([e.name for e in summary.entries]), NAME_COLUMN)
    if name_width + 3 + number + 4 > width:  # a very narrow screen: names wrap word by word
        name_width = _longest_word([e.name for e in summary.entries])
    per_table = max(1, (width - 1 - (name_width + 3)) // (number + 3))
    numbered = list(enumerate(summary.teams, 1))
    tables_needed = -(-len(numbered) // per_table)
    per_table = -(-len(numbered) // tables_needed)  # the same number of teams in each table
    chunks = [numbered[i : i + per_table] for i in range(0, len(numbered), per_table)]
    tables: list[Any] = [_team_legend(summary)]
    tables += [_pathways_as_rows(summary, chunk, number, len(chunks) > 1, wide) for chunk in chunks]
    return tables


def _teams_as_rows(summary: Summary, cell: int, wide: bool) -> Any:
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Rank of each pathway for each team", title_justify="left", expand=wide)
    table.add_column("Team", min_width=_longest_word([t.name for t in summary.teams]))
    for entry in summary.entries:
        minimum = max(_longest_word([entry.short_label]), cell)
        table.add_column(Text(clean(entry.short_label)), justify="right", min_width=minimum)
    for team in summary.teams:
        table.add_row(Text(clean(team.name)), *_rank_cells(team))
    return table


def _pathways_as_rows(
    summary: Summary, chunk: list[tuple[int, Team]], number: int, split: bool, wide: bool
) -> Any:
    from rich.table import Table
    from rich.text import Text

    title = "Rank of each pathway for each team"
    if split:
        title += f" (teams {chunk[0][0]} to {chunk[-1][0]})"
    table = Table(title=title, title_justify="left", expand=wide)
    table.add_column("Pathway", min_width=_longest_word([e.name for e in summary.entries]))
    for index, _ in chunk:
        table.add_column(str(index), justify="right", min_width=number)
    for row, entry in enumerate(summary.entries):
        cells = [_rank_cells(team)[row] for _, team in chunk]
        table.add_row(Text(clean(entry.name)), *cells)
    return table


def _rank_cells(team: Team) -> list[Any]:
    from rich.text import Text

    return [Text(c.label, style="bold" if c.in_set else "") for c in team.cells]


def _team_legend(summary: Summary) -> Any:
    from rich.table import Table
    from rich.text import Text

    legend = Table.grid(padding=(0, 2))
    legend.title = Text("Teams, numbered as in the table")
    legend.title_justify = "left"
    legend.add_column(justify="right")
    legend.add_column()
    for index, team in enumerate(summary.teams, 1):
        legend.add_row(str(index), Text(clean(team.name)))
    return legend


def _short_label_legend(summary: Summary) -> list[Any]:
    from rich.table import Table
    from rich.text import Text

    pairs = _short_legend(summary)
    if not pairs:
        return []
    legend = Table.grid(padding=(0, 2))
    legend.add_column()
    legend.add_column()
    for short, name in pairs:
        legend.add_row(Text(clean(short), style="bold"), Text(clean(name)))
    return [legend]


def _chart(summary: Summary, width: int, wide: bool) -> Any:
    """One line a pathway: its name, a bar of the teams with it in their starting set, and
    the count in words; wide gives the bars what the names and counts leave."""
    from rich.table import Table
    from rich.text import Text

    total = len(summary.teams)
    names = [clean(t.entry.name) for t in summary.tallies]
    counts = [f"{t.in_set} of {total} ({t.first_choice} first choice)" for t in summary.tallies]
    count_width = max(len(c) for c in counts)
    room_for_names = max(NAME_COLUMN, _longest_word(names), width - count_width - BAR_WIDTH - 4)
    name_width = min(max(len(n) for n in names), room_for_names)
    room = width - name_width - count_width - 4
    bar_width = max(1, room if wide else min(BAR_WIDTH, room))
    chart = Table.grid(padding=(0, 1))
    chart.add_column(width=name_width)
    chart.add_column(width=bar_width, no_wrap=True)
    chart.add_column()
    for tally, name, count in zip(summary.tallies, names, counts, strict=True):
        chart.add_row(
            Text(name),
            Text(_bar(tally.in_set, total, bar_width), style="cyan"),
            Text(count),
        )
    return chart


# Markdown


def workshop_markdown(summary: Summary) -> str:
    total = len(summary.teams)
    title, *rest = _header(summary)
    out = [f"# {md_text(title)}", ""]
    out += [f"{md_text(line)}  " for line in rest]
    if summary.broken:
        out += ["", "## Files not read", ""]
        out += [f"- {md_user(b.file)}: {md_user(b.error)}" for b in summary.broken]
    if not total:
        out += ["", "No answers file could be read."]
        return "\n".join(out) + "\n"
    out += ["", "## Rank of each pathway for each team", "", md_text(LEGEND), ""]
    out += _markdown_ranks(summary)
    out += ["", "## How many teams have each pathway in their starting set", ""]
    out += ["| Pathway | Starting set | First choice | |", "| --- | ---: | ---: | --- |"]
    for tally in summary.tallies:
        bar = _bar(tally.in_set, total)
        out.append(
            f"| {md_text(tally.entry.name)} | {tally.in_set} of {total} "
            f"| {tally.first_choice} | {bar} |"
        )
    out += ["", "## Shared", "", "In the starting set of at least half the teams.", ""]
    out += [f"- {md_text(line)}" for line in _shared_line(summary)] or ["- none"]
    out += ["", "## Divergent", "", "In the starting set of some teams, not others.", ""]
    for item in summary.divergent:
        out.append(f"- **{md_text(item.entry.name)}**: {_count(item.teams_with, total)}")
        out += [f"  - driven by: {md_text(_driver_line(d, item))}" for d in item.drivers]
    if not summary.divergent:
        out.append("- none")
    out += ["", f"## {GAPS_HEADING}", ""]
    out += [f"- {md_text(g.text)} ({_count(g.teams, total)})" for g in summary.gaps] or ["- none"]
    out += ["", f"## {md_text(PRIORITIES_HEADING)}", ""]
    out += _priority_lines(summary, md_text) or ["- none"]
    return "\n".join(out) + "\n"


def _markdown_ranks(summary: Summary) -> list[str]:
    if _teams_are_columns(summary):
        out = ["| Pathway | " + " | ".join(md_user(t.name) for t in summary.teams) + " |"]
        out.append("| --- |" + " ---: |" * len(summary.teams))
        for row, entry in enumerate(summary.entries):
            cells = " | ".join(team.cells[row].label for team in summary.teams)
            out.append(f"| {md_text(entry.name)} | {cells} |")
        return out
    out = ["| Team | " + " | ".join(md_text(e.short_label) for e in summary.entries) + " |"]
    out.append("| --- |" + " ---: |" * len(summary.entries))
    for team in summary.teams:
        out.append(f"| {md_user(team.name)} | " + " | ".join(c.label for c in team.cells) + " |")
    legend = [f"- {md_text(short)}: {md_text(name)}" for short, name in _short_legend(summary)]
    return out + (["", *legend] if legend else [])


# HTML: one self-contained page, inline CSS, an inline SVG chart, no script. It fills the
# screen (a 1280x720 projector shows every pathway) and prints on one landscape page width.

_CSS = """
body { font-family: system-ui, sans-serif; margin: 1rem 1.5rem; color: #111; background: #fff;
  line-height: 1.35; }
h1 { font-size: 1.6rem; margin: 0.5rem 0; }
h2 { font-size: 1.2rem; margin: 1.2rem 0 0.4rem; }
table { border-collapse: collapse; margin: 0.5rem 0; }
th, td { border: 1px solid #999; padding: 0.2rem 0.4rem; vertical-align: top; }
table.ranks { font-size: 0.85rem; }
table.ranks th, table.ranks td { padding: 0.15rem 0.25rem; }
table.ranks thead th { overflow-wrap: anywhere; hyphens: auto; }
table.ranks th[scope="row"] { text-align: left; font-weight: normal; }
td.rank { text-align: right; white-space: nowrap; }
td.set { font-weight: bold; background: #e8f0fe; }
td.first { font-weight: bold; background: #c6dafc; outline: 2px solid #111; outline-offset: -2px; }
dl.legend { display: grid; grid-template-columns: max-content auto; gap: 0 1rem; }
dl.legend dt { font-weight: bold; }
dl.legend dd { margin: 0; }
svg { max-width: 100%; height: auto; }
svg text { font-size: 13px; fill: #111; }
svg rect { fill: #2f5d9e; }
@media print {
  @page { size: landscape; margin: 1cm; }
  body { margin: 0; font-size: 10pt; }
  table.ranks { font-size: 9pt; width: 100%; }
  h2 { break-after: avoid; page-break-after: avoid; }
  tr, li { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  td.set, td.first { background: none; }
}
"""


def _h(text: str) -> str:
    return html.escape(clean(text), quote=True)


def workshop_html(summary: Summary) -> str:
    title = _header(summary)[0]
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_h(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        workshop_html_body(summary),
        "</body>",
        "</html>",
    ]
    return "\n".join(out) + "\n"


def workshop_html_style() -> str:
    """The summary's CSS, for a page that sets workshop_html_body inside its own."""
    return _CSS


def workshop_html_body(summary: Summary, heading: int = 1) -> str:
    """The summary's content as HTML, its title a heading of the given level (the sections
    one level below), to set inside a page: the whole page, or the live room's."""
    total = len(summary.teams)
    title, *rest = _header(summary)
    out = [f"<h1>{_h(title)}</h1>"]
    out += [f"<p>{_h(line)}</p>" for line in rest]
    if summary.broken:
        out.append("<h2>Files not read</h2>")
        out.append(_html_list([f"{_h(b.file)}: {_h(b.error)}" for b in summary.broken]))
    if not total:
        out.append("<p>No answers file could be read.</p>")
    else:
        out += ["<h2>Rank of each pathway for each team</h2>", f"<p>{_h(LEGEND)}</p>"]
        out += _html_ranks(summary)
        out += ["<h2>How many teams have each pathway in their starting set</h2>"]
        out.append(_svg_chart(summary))
        out += ["<h2>Shared</h2>", "<p>In the starting set of at least half the teams.</p>"]
        out.append(_html_list([_h(line) for line in _shared_line(summary)]))
        out += ["<h2>Divergent</h2>", "<p>In the starting set of some teams, not others.</p>"]
        items = []
        for item in summary.divergent:
            drivers = _html_list([f"driven by: {_h(_driver_line(d, item))}" for d in item.drivers])
            items.append(
                f"<strong>{_h(item.entry.name)}</strong>: {_h(_count(item.teams_with, total))}"
                + (drivers if item.drivers else "")
            )
        out.append(_html_list(items))
        out.append(f"<h2>{_h(GAPS_HEADING)}</h2>")
        out.append(
            _html_list([f"{_h(g.text)} ({_h(_count(g.teams, total))})" for g in summary.gaps])
        )
        out.append(f"<h2>{_h(PRIORITIES_HEADING)}</h2>")
        rows = _priority_items(summary, _h)
        out.append(f"<ol>{''.join(f'<li>{r}</li>' for r in rows)}</ol>" if rows else _html_list([]))
    text = "\n".join(out)
    if heading != 1:  # h1 -> h<heading>, h2 -> h<heading + 1>
        text = re.sub(r"<(/?)h([12])>", lambda m: f"<{m[1]}h{int(m[2]) + heading - 1}>", text)
    return text


def _html_cell(label: str, in_set: bool, first: bool) -> str:
    kind = " first" if first else " set" if in_set else ""
    return f'<td class="rank{kind}">{_h(label)}</td>'


def _html_ranks(summary: Summary) -> list[str]:
    out = ['<table class="ranks">']
    if _teams_are_columns(summary):
        out.append(
            '<thead><tr><th scope="col">Pathway</th>'
            + "".join(f'<th scope="col">{_h(t.name)}</th>' for t in summary.teams)
            + "</tr></thead><tbody>"
        )
        for row, entry in enumerate(summary.entries):
            cells = "".join(
                _html_cell(c.label, c.in_set, c.first_choice)
                for c in (team.cells[row] for team in summary.teams)
            )
            out.append(f'<tr><th scope="row">{_h(entry.name)}</th>{cells}</tr>')
        out.append("</tbody></table>")
        return out
    out.append(
        '<thead><tr><th scope="col">Team</th>'
        + "".join(
            f'<th scope="col"><abbr title="{_h(e.name)}">{_h(e.short_label)}</abbr></th>'
            for e in summary.entries
        )
        + "</tr></thead><tbody>"
    )
    for team in summary.teams:
        cells = "".join(_html_cell(c.label, c.in_set, c.first_choice) for c in team.cells)
        out.append(f'<tr><th scope="row">{_h(team.name)}</th>{cells}</tr>')
    out.append("</tbody></table>")
    pairs = _short_legend(summary)
    if pairs:
        out.append('<dl class="legend">')
        out += [f"<dt>{_h(short)}</dt><dd>{_h(name)}</dd>" for short, name in pairs]
        out.append("</dl>")
    return out


def _html_list(items: list[str]) -> str:
    if not items:
        return "<p>none</p>"
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def _svg_chart(summary: Summary) -> str:
    total = len(summary.teams)
    label_width, bar_width, row = 330, 360, 24
    height = row * len(summary.tallies) + 8
    width = label_width + bar_width + 180
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_h("Teams with each pathway in their starting set")}">',
    ]
    for index, tally in enumerate(summary.tallies):
        y = 4 + index * row
        length = round(bar_width * tally.in_set / total) if total else 0
        words = f"{tally.entry.name}: {_chart_line(tally.in_set, tally.first_choice, total)}"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end">'
            f"{_h(tally.entry.name)}</text>"
        )
        parts.append(
            f'<rect x="{label_width}" y="{y + 3}" width="{length}" height="{row - 6}">'
            f"<title>{_h(words)}</title></rect>"
        )
        parts.append(
            f'<text x="{label_width + length + 6}" y="{y + 16}">'
            f"{tally.in_set} of {total} ({tally.first_choice} first choice)</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts)
