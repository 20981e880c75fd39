"""The action plan as Markdown (a Jinja2 layout), JSON for scripts and CSV for spreadsheets.

Like the report, every text value a layout gets is already escaped for Markdown; the CSV is
written by the csv module, so a comma, quote or line break in rule-set text stays in its cell.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..engine import Result
from ..model import Provider, Role
from ..plan import PLAN_SCHEMA_VERSION, Plan, PlannedTask, build_plan
from .formats import PLAN_FORMATS, write
from .markdown import READINESS_WORDS, _call, _knowledge, _SourceList
from .text import clean, md_text, md_user

if TYPE_CHECKING:
    from .template import ReportTemplate

PLAN_TEMPLATE = "plan.md.j2"
READINESS_WORDS_PLAN = {**READINESS_WORDS, "nothing-yet": "nothing in the starting set yet"}
CSV_COLUMNS = ("id", "phase", "task", "owner", "start", "due", "depends_on", "done_when")
KIND_WORDS = {"find-out": "find out", "build": "build first", "task": ""}


@lru_cache(maxsize=1)
def plan_template() -> ReportTemplate:
    """The plan layout shipped with padtool."""
    from .template import ReportTemplate

    path = Path(__file__).resolve().parent.parent / "templates" / PLAN_TEMPLATE
    return ReportTemplate(path.read_text(encoding="utf-8"), PLAN_TEMPLATE)


def render_plan_markdown(plan: Plan, today: str) -> str:
    """The plan as Markdown; sources numbered in the order a reader meets them."""
    layout = plan_template()
    first = _SourceList()
    marked = layout.render(plan_context(plan, today, first))
    return layout.render(plan_context(plan, today, _SourceList(first.reading_order(marked))))


def plan_title(plan: Plan) -> str:
    agency = clean(plan.result.agency) or "your jurisdiction"
    return f"Action plan: {clean(plan.title)} for {agency}"


def plan_context(plan: Plan, today: str, sources: _SourceList) -> dict[str, Any]:
    """The plan's data as plain values for the layout; text escaped for Markdown."""
    numbers = {t.id: n for n, t in enumerate(plan.tasks, 1)}
    rule_set = plan.result.rule_set
    return {
        "title": md_text(plan_title(plan)),
        "agency": md_user(plan.result.agency) if plan.result.agency else "",
        "today": md_text(today),
        "start": plan.start.isoformat(),
        "padtool_version": md_text(__version__),
        "rule_set": md_text(f"{rule_set.name} {rule_set.version}"),
        "disclaimer": md_text(rule_set.disclaimer),
        "objective": md_text(plan.objective),
        "success": [md_text(s) for s in plan.success],
        "readiness": md_text(READINESS_WORDS_PLAN[plan.readiness]),
        "ready": plan.readiness == "ready",
        "brief": _brief(plan, numbers),
        "phases": [
            {
                "name": md_text(p.name),
                "start": p.start.isoformat(),
                "end": p.end.isoformat(),
                "tasks": [_task(t, numbers, sources) for t in p.tasks],
            }
            for p in plan.phases
        ],
        "agreements": [
            {
                "title": md_text(a.agreement.title),
                "parties": [md_text(r.name) for r in a.parties],
                "in_place": a.in_place,
                "points": [md_text(p) for p in a.agreement.points],
                "cites": " ".join(sources.cite_all(a.agreement.sources)),
            }
            for a in plan.agreements
        ],
        "data_plan": [
            {
                "measure": md_text(m.measure),
                "baseline": md_text(m.baseline),
                "recorded_by": md_text(m.recorded_by.name),
                "review": md_text(m.review),
                "breakdowns": md_text(", ".join(m.breakdowns)),
            }
            for m in plan.data_plan
        ],
        "data_cites": " ".join(sources.cite_all(_data_sources(plan))),
        "funding": [_knowledge(item, sources) for item in plan.funding],
        "costs": [md_text(d.text) for d in plan.cost_drivers],
        "risks": [
            {
                "text": md_text(r.text),
                "open": r.kind == "unknown",
                "mitigation": md_text(r.mitigation),
                "helper": _call(r.provider) if r.provider else "",
            }
            for r in plan.risks
        ],
        "sources": sources.entries(),
    }


def _data_sources(plan: Plan) -> tuple[Any, ...]:
    rules = plan.result.rule_set.plan
    return rules.data_plan.sources if rules is not None and plan.data_plan else ()


def _task(task: PlannedTask, numbers: dict[str, int], sources: _SourceList) -> dict[str, Any]:
    return {
        "number": numbers[task.id],
        "title": md_text(task.title),
        "kind": KIND_WORDS[task.kind],
        "owner": md_text(task.owner.name),
        "start": task.start.isoformat(),
        "due": task.due.isoformat(),
        "after": [str(numbers[d]) for d in task.depends_on],
        "produces": md_text(task.produces),
        "done_when": md_text(task.done_when),
        "milestone": task.milestone,
        "helper": _call(task.providers[0]) if task.providers else "",
        "cites": " ".join(sources.cite_all(task.sources)),
    }


def _brief(plan: Plan, numbers: dict[str, int]) -> dict[str, Any]:
    brief = plan.brief
    return {
        "problem": [md_text(p) for p in brief.problem],
        "pathway": md_text(brief.pathway),
        "summary": md_text(brief.summary),
        "partners": [md_text(p) for p in brief.partners],
        "milestones": [
            {"title": md_text(t.title), "due": t.due.isoformat()} for t in brief.milestones
        ],
        "costs": [md_text(c) for c in brief.costs],
        "funding": [md_text(f) for f in brief.funding],
        "savings": md_text(brief.savings),
        "measures": [md_text(m) for m in brief.measures],
        "first_tasks": [md_text(t.title) for t in plan.tasks[:3]],
    }


def plan_data(plan: Plan, today: str) -> dict[str, Any]:
    """The plan for scripts: described by schemas/plan.schema.json, versioned."""
    rec = plan.recommendation
    return {
        "schema_version": PLAN_SCHEMA_VERSION,
        "generated": today,
        "padtool_version": __version__,
        "rule_set": {"name": plan.result.rule_set.name, "version": plan.result.rule_set.version},
        "agency": plan.result.agency,
        "start": plan.start.isoformat(),
        "pathway": (
            {"id": rec.entry.id, "name": rec.name, "readiness": rec.readiness} if rec else None
        ),
        "readiness": plan.readiness,
        "objective": plan.objective,
        "success": list(plan.success),
        "phases": [
            {
                "id": p.id,
                "name": p.name,
                "start": p.start.isoformat(),
                "end": p.end.isoformat(),
                "tasks": [_task_data(t) for t in p.tasks],
            }
            for p in plan.phases
        ],
        "agreements": [
            {
                "id": a.agreement.id,
                "title": a.agreement.title,
                "parties": [_role(r) for r in a.parties],
                "status": "in-place" if a.in_place else "to-sign",
                "points": list(a.agreement.points),
                "sources": [s.ref for s in a.agreement.sources],
            }
            for a in plan.agreements
        ],
        "data_plan": [
            {
                "measure": m.measure,
                "baseline": m.baseline,
                "recorded_by": _role(m.recorded_by),
                "review": m.review,
                "breakdowns": list(m.breakdowns),
            }
            for m in plan.data_plan
        ],
        "funding": [
            {"id": f.id, "title": f.title, "text": f.text, "as_of": f.as_of or None}
            | {"sources": [s.ref for s in f.sources]}
            for f in plan.funding
        ],
        "cost_drivers": [{"id": d.id, "text": d.text} for d in plan.cost_drivers],
        "risks": [
            {
                "text": r.text,
                "kind": r.kind,
                "mitigation": r.mitigation,
                "provider": _provider(r.provider) if r.provider else None,
            }
            for r in plan.risks
        ],
        "brief": {
            "problem": list(plan.brief.problem),
            "pathway": plan.brief.pathway,
            "partners": list(plan.brief.partners),
            "milestones": [{"task": t.id, "due": t.due.isoformat()} for t in plan.brief.milestones],
            "costs": list(plan.brief.costs),
            "funding": list(plan.brief.funding),
            "savings": plan.brief.savings or None,
        },
    }


def _role(role: Role) -> dict[str, str]:
    return {"id": role.id, "name": role.name}


def _provider(provider: Provider) -> dict[str, str]:
    return {"id": provider.id, "name": provider.name, "url": provider.url}


def _task_data(task: PlannedTask) -> dict[str, Any]:
    return {
        "id": task.id,
        "title": task.title,
        "kind": task.kind,
        "owner": task.owner.id,
        "owner_name": task.owner.name,
        "produces": task.produces,
        "depends_on": list(task.depends_on),
        "start": task.start.isoformat(),
        "due": task.due.isoformat(),
        "done_when": task.done_when,
        "milestone": task.milestone,
        "providers": [_provider(p) for p in task.providers],
    }


def render_plan_json(plan: Plan, today: str) -> str:
    from .data import to_json

    return to_json(plan_data(plan, today))


def render_plan_csv(plan: Plan, today: str) -> str:
    """One row a task, for a spreadsheet or a project tool: depends_on lists task ids. Rows of
    tasks have no place for the day the plan was drafted: today is not written."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    names = {p.id: p.name for p in plan.phases}
    for task in plan.tasks:
        writer.writerow(
            [
                task.id,
                names[task.phase],
                _cell(task.title),
                _cell(task.owner.name),
                task.start.isoformat(),
                task.due.isoformat(),
                "; ".join(task.depends_on),
                _cell(task.done_when),
            ]
        )
    return out.getvalue()


def _cell(text: str) -> str:
    """Text a spreadsheet shows as text: one that starts like a formula gets a quote mark."""
    text = clean(text)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def plan_text(result: Result, entry_id: str | None, start: date, fmt: str, today: str) -> str:
    """The action plan of a result (its first choice, or entry_id) in one of PLAN_FORMATS."""
    return write(PLAN_FORMATS, fmt, build_plan(result, start, entry_id), today)
