"""The action plan as one self-contained HTML page, with its timeline as an inline SVG.

The text is the Markdown plan rendered by the report's safe renderer (no raw HTML, links to web
and mail addresses only); the timeline is drawn here, every text in it escaped. No script, no
image file, nothing loaded: the page prints as it shows, the timeline on one page.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date

from ..plan import Phase, Plan, PlannedTask
from .html import html_page, markdown_renderer
from .plan import plan_title, render_plan_markdown

# The drawing's units: the page scales it to its width.
WIDTH = 1000
LABEL = 190  # the owners' column
TOP = 46  # phase names and months above the bars
ROW = 16
BAR = 11
# Owners' bars in turn, told apart by position and label too (never by color alone).
COLORS = ("#1a4d8f", "#8f4d1a", "#2e7d32", "#6a1b9a", "#00695c", "#ad1457", "#5d4037")

_CSS = """
figure.timeline { margin: 1rem 0; }
figure.timeline svg { width: 100%; height: auto; display: block; }
figure.timeline figcaption { font-size: 0.85rem; color: #333; }
@media print {
  figure.timeline { break-inside: avoid; page-break-inside: avoid; max-height: 24cm; }
  figure.timeline svg { max-height: 22cm; }
}
"""


def render_plan_html(plan: Plan, today: str) -> str:
    """The plan page: the timeline before the tasks, which it numbers as the list does."""
    body = markdown_renderer().render(render_plan_markdown(plan, today))
    at = body.find("<h2>Tasks</h2>")
    body = body[:at] + timeline_svg(plan) + body[at:] if at >= 0 else body
    brief_ends = body.find("<h2>Objective</h2>")
    if brief_ends >= 0:  # the brief prints on a page of its own, to hand on by itself
        body = f'<section class="front">{body[:brief_ends]}</section>{body[brief_ends:]}'
    return html_page(plan_title(plan), body, _CSS)


def timeline_svg(plan: Plan) -> str:
    """The phases as bands and every task as a bar, grouped by owner, in a <figure>."""
    tasks = list(plan.tasks)
    owners = list(dict.fromkeys(t.owner.name for t in tasks))
    rows = [t for owner in owners for t in tasks if t.owner.name == owner]
    numbers = {t.id: n for n, t in enumerate(tasks, 1)}
    first, last = plan.phases[0].start, plan.phases[-1].end
    days = (last - first).days + 1
    height = TOP + ROW * max(len(rows), 1) + 8

    def x(day: date) -> float:
        return LABEL + (WIDTH - LABEL - 30) * (day - first).days / days

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img"'
        f' aria-labelledby="timeline-title" font-family="system-ui, Arial, sans-serif"'
        ' font-size="10">',
        '<title id="timeline-title">Timeline: the tasks by owner, phase by phase</title>',
    ]
    parts += [_band(p, x, height, i) for i, p in enumerate(plan.phases)]
    parts += _months(first, last, x, height)
    shown: set[str] = set()
    for row, task in enumerate(rows):
        y = TOP + row * ROW
        color = COLORS[owners.index(task.owner.name) % len(COLORS)]
        if task.owner.name not in shown:
            shown.add(task.owner.name)
            if row:
                parts.append(
                    f'<line x1="0" y1="{y - 2.5}" x2="{WIDTH}" y2="{y - 2.5}" stroke="#bbb"'
                    ' stroke-width="0.5"/>'
                )
            parts.append(
                f'<text x="4" y="{y + BAR - 1}" font-weight="bold">{_e(task.owner.name)}</text>'
            )
        parts.append(_bar(task, numbers[task.id], x, y, color))
    parts.append("</svg>")
    caption = (
        "<figcaption>Each bar is a task, from its start to its due date, in the rows of its "
        "owner; the number is the task's number in the list below, * a milestone.</figcaption>"
    )
    return f'<figure class="timeline">{"".join(parts)}{caption}</figure>\n'


def _band(phase: Phase, x: Callable[[date], float], height: int, index: int) -> str:
    left, right = x(phase.start), x(phase.end)
    shade = "#f1f1f1" if index % 2 == 0 else "#fafafa"
    return (
        f'<rect x="{left:.1f}" y="0" width="{right - left:.1f}" height="{height}"'
        f' fill="{shade}" stroke="#999" stroke-width="0.5"/>'
        f'<text x="{left + 4:.1f}" y="14" font-weight="bold">{_e(phase.name)}</text>'
    )


def _months(first: date, last: date, x: Callable[[date], float], height: int) -> list[str]:
    """A tick and a label at the first of each month."""
    found = []
    day = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    while day <= last:
        left = x(day)
        found.append(
            f'<line x1="{left:.1f}" y1="22" x2="{left:.1f}" y2="{height}" stroke="#ccc"'
            ' stroke-width="0.5"/>'
        )
        if left < WIDTH - 50:  # a label that fits
            found.append(f'<text x="{left + 2:.1f}" y="32" fill="#555">{day:%b %Y}</text>')
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return found


def _bar(task: PlannedTask, number: int, x: Callable[[date], float], y: int, color: str) -> str:
    left = x(task.start)
    right = x(task.due) + 1
    title = f"{number}. {task.title} ({task.owner.name}, {task.start} to {task.due})"
    mark = " *" if task.milestone else ""
    return (
        f"<g><title>{_e(title)}</title>"
        f'<rect x="{left:.1f}" y="{y}" width="{max(right - left, 2):.1f}" height="{BAR}"'
        f' fill="{color}" rx="2"/>'
        f'<text x="{right + 3:.1f}" y="{y + BAR - 1}">{number}{mark}</text></g>'
    )


def _e(text: str) -> str:
    return html.escape(text, quote=True)
