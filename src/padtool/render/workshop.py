"""A workshop summary for the room: terminal (rich or plain text), Markdown, HTML and JSON.

Every format carries the same sections: the teams' ranks, how often each entry was chosen,
shared and divergent entries (with the answers that drive them), common gaps, broken files.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..workshop import Divergent, Driver, Summary
from .data import rule_set_data
from .text import clean, md_text, md_user

if TYPE_CHECKING:
    from rich.console import Console

SCHEMA_VERSION = 1
BAR = "█"
BAR_WIDTH = 30
LEGEND = (
    "Each cell is the entry's rank for that team; 'first' marks the first choice, "
    "'set' the rest of the starting set."
)


def _header(summary: Summary) -> list[str]:
    teams = len(summary.teams)
    lines = [f"Workshop summary: {teams} team{'s' if teams != 1 else ''}"]
    if summary.rule_set is not None:
        lines.append(f"Rule set {summary.rule_set.name} {summary.rule_set.version}")
    return lines


def _count(n: int, total: int) -> str:
    return f"{n} of {total} team{'s' if total != 1 else ''}"


def _chart_line(n: int, first: int, total: int) -> str:
    return f"{_count(n, total)} in the starting set, {first} as first choice"


def _driver_line(d: Driver, item: Divergent) -> str:
    return (
        f"{d.question.prompt.rstrip('?')}: {d.answer} "
        f"({d.with_count} of {item.teams_with} with it, "
        f"{d.without_count} of {item.teams_without} without)"
    )


def _shared_line(summary: Summary) -> list[str]:
    total = len(summary.teams)
    return [f"{t.entry.name}: {_count(t.in_set, total)}" for t in summary.shared]


def _bar(n: int, total: int, width: int = BAR_WIDTH) -> str:
    return BAR * round(width * n / total) if total else ""


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
        "broken_files": [{"file": b.file, "error": b.error} for b in summary.broken],
    }


# Plain text: for screen readers and printing; no box drawing, no color, no bars.


def plain_workshop(summary: Summary) -> str:
    total = len(summary.teams)
    lines = _header(summary)
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
        lines += ["", "Entries across teams"]
        lines += [
            f"- {t.entry.name}: {_chart_line(t.in_set, t.first_choice, total)}"
            for t in summary.tallies
        ]
        lines += ["", "Shared (in the starting set of at least half the teams)"]
        lines += [f"- {line}" for line in _shared_line(summary)] or ["- none"]
        lines += ["", "Divergent (in the starting set of some teams, not others)"]
        for item in summary.divergent:
            lines.append(f"- {item.entry.name}: {_count(item.teams_with, total)}")
            lines += [f"  - {_driver_line(d, item)}" for d in item.drivers]
        if not summary.divergent:
            lines.append("- none")
        lines += ["", "Gaps most teams share"]
        lines += [f"- {g.text} ({_count(g.teams, total)})" for g in summary.gaps] or ["- none"]
    else:
        lines += ["", "No answers file could be read."]
    if summary.broken:
        lines += ["", "Files not read"]
        lines += [f"- {b.file}: {b.error}" for b in summary.broken]
    return "\n".join(_plain_line(line) for line in lines) + "\n"


def _plain_line(line: str) -> str:
    indent = len(line) - len(line.lstrip(" "))
    return " " * indent + clean(line)


# Terminal (rich)


def show_workshop(console: Console, summary: Summary, wide: bool = False) -> None:
    """The summary for a terminal; wide stretches the table and the bars across the screen,
    for a projector."""
    from rich.table import Table
    from rich.text import Text

    def t(text: str, style: str = "") -> Text:
        return Text(clean(text), style=style)

    total = len(summary.teams)
    title, *rest = _header(summary)
    console.print(t(title, "bold"))
    for line in rest:
        console.print(t(line, "dim"))
    if not total:
        console.print(t("No answers file could be read."))
    else:
        table = Table(title="Rank of each entry for each team", title_justify="left", expand=wide)
        table.add_column("Entry")
        for team in summary.teams:
            table.add_column(t(team.name), justify="right")
        for index, entry in enumerate(summary.entries):
            table.add_row(
                t(entry.name),
                *(
                    t(team.cells[index].label, "bold" if team.cells[index].in_set else "")
                    for team in summary.teams
                ),
            )
        console.print(table)
        console.print(t(LEGEND, "dim"))
        console.print(t("\nEntries across teams (starting set)", "bold"))
        width = max(len(clean(e.name)) for e in summary.entries)
        # The room reads the bars from afar: in wide mode they take what the labels leave.
        bar_width = max(BAR_WIDTH, console.width - width - 30) if wide else BAR_WIDTH
        for tally in summary.tallies:
            bar = Text(clean(tally.entry.name).ljust(width) + "  ")
            bar.append(_bar(tally.in_set, total, bar_width), style="cyan")
            bar.append(f" {tally.in_set}", style="bold")
            bar.append(f" ({tally.first_choice} first choice)")
            console.print(bar)
        console.print(t("\nShared (in the starting set of at least half the teams)", "bold"))
        for line in _shared_line(summary) or ["none"]:
            console.print(t(f"- {line}"))
        console.print(t("\nDivergent (in the starting set of some teams, not others)", "bold"))
        for item in summary.divergent:
            console.print(t(f"- {item.entry.name}: {_count(item.teams_with, total)}"))
            for d in item.drivers:
                console.print(Text("    driven by: " + clean(_driver_line(d, item))))
        if not summary.divergent:
            console.print(t("- none"))
        console.print(t("\nGaps most teams share (the training need in the room)", "bold"))
        for gap in summary.gaps:
            console.print(t(f"- {gap.text} ({_count(gap.teams, total)})"))
        if not summary.gaps:
            console.print(t("- none"))
    if summary.broken:
        console.print(t("\nFiles not read", "bold"))
        for broken in summary.broken:
            console.print(t(f"- {broken.file}: {broken.error}"))


# Markdown


def workshop_markdown(summary: Summary) -> str:
    total = len(summary.teams)
    title, *rest = _header(summary)
    out = [f"# {md_text(title)}", ""]
    out += [f"{md_text(line)}  " for line in rest]
    if not total:
        out += ["", "No answers file could be read."]
    else:
        out += ["", "## Rank of each entry for each team", "", md_text(LEGEND), ""]
        out.append("| Team | " + " | ".join(md_text(e.name) for e in summary.entries) + " |")
        out.append("| --- |" + " ---: |" * len(summary.entries))
        for team in summary.teams:
            out.append(
                f"| {md_user(team.name)} | " + " | ".join(c.label for c in team.cells) + " |"
            )
        out += ["", "## Entries across teams", ""]
        out += ["| Entry | Starting set | First choice | |", "| --- | ---: | ---: | --- |"]
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
        out += ["", "## Gaps most teams share", ""]
        out += [f"- {md_text(g.text)} ({_count(g.teams, total)})" for g in summary.gaps] or [
            "- none"
        ]
    if summary.broken:
        out += ["", "## Files not read", ""]
        out += [f"- {md_user(b.file)}: {md_user(b.error)}" for b in summary.broken]
    return "\n".join(out) + "\n"


# HTML: one self-contained page, inline CSS, an inline SVG chart, no script.

_CSS = """
body { font-family: system-ui, sans-serif; max-width: 72rem; margin: 2rem auto; padding: 0 1rem;
  color: #111; background: #fff; line-height: 1.4; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #999; padding: 0.25rem 0.5rem; vertical-align: top; }
td.rank { text-align: right; white-space: nowrap; }
td.set { font-weight: bold; background: #e8f0fe; }
.wrap { overflow-x: auto; }
svg text { font-size: 13px; fill: #111; }
svg rect { fill: #2f5d9e; }
"""


def _h(text: str) -> str:
    return html.escape(clean(text), quote=True)


def workshop_html(summary: Summary) -> str:
    total = len(summary.teams)
    title, *rest = _header(summary)
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
        f"<h1>{_h(title)}</h1>",
    ]
    out += [f"<p>{_h(line)}</p>" for line in rest]
    if not total:
        out.append("<p>No answers file could be read.</p>")
    else:
        out += ["<h2>Rank of each entry for each team</h2>", f"<p>{_h(LEGEND)}</p>"]
        out.append('<div class="wrap"><table>')
        out.append(
            '<thead><tr><th scope="col">Team</th>'
            + "".join(f'<th scope="col">{_h(e.name)}</th>' for e in summary.entries)
            + "</tr></thead><tbody>"
        )
        for team in summary.teams:
            cells = "".join(
                f'<td class="rank{" set" if c.in_set else ""}">{_h(c.label)}</td>'
                for c in team.cells
            )
            out.append(f'<tr><th scope="row">{_h(team.name)}</th>{cells}</tr>')
        out.append("</tbody></table></div>")
        out += ["<h2>Entries across teams</h2>", _svg_chart(summary)]
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
        out.append("<h2>Gaps most teams share</h2>")
        out.append(
            _html_list([f"{_h(g.text)} ({_h(_count(g.teams, total))})" for g in summary.gaps])
        )
    if summary.broken:
        out.append("<h2>Files not read</h2>")
        out.append(_html_list([f"{_h(b.file)}: {_h(b.error)}" for b in summary.broken]))
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def _html_list(items: list[str]) -> str:
    if not items:
        return "<p>none</p>"
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def _svg_chart(summary: Summary) -> str:
    total = len(summary.teams)
    label_width, bar_width, row = 330, 360, 24
    height = row * len(summary.tallies) + 8
    width = label_width + bar_width + 140
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_h("Teams with each entry in their starting set")}">',
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
            f"{tally.in_set} ({tally.first_choice} first)</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts)
