"""Plain data (for --format json) built from the rule set and the engine's result."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..conditions import AllOf, AnyOf, Comparison, Condition, Not
from ..engine import BuildStep, Gap, Recommendation, Result, rank_providers
from ..errors import Problem
from ..model import Entry, KnowledgeItem, Origin, Provider, Question, RuleSet, Source, Step

if TYPE_CHECKING:  # imported by the commands that build them, not by every JSON command
    from ..compare import Comparison as RankingComparison
    from ..explain import Check, Explanation
    from ..scenarios import Scenario
    from ..sessions import SessionInfo
    from ..whatif import Change, Lever, Target, WhatIf
    from .template import ReportTemplate

SCHEMA_VERSION = 2


def render_json_report(result: Result, today: str, template: ReportTemplate | None = None) -> str:
    """The report as JSON, for scripts. A template lays out Markdown and HTML only; the
    command refuses one with JSON, so it is never given here."""
    return to_json(result_data(result, today))


def to_json(data: Any, pretty: bool = True) -> str:
    """JSON text; compact (and several times faster to write) when pretty is False."""
    if pretty:
        return json.dumps(data, indent=2, allow_nan=False) + "\n"
    # ASCII only: escape, bidi and C1 characters from a rule set arrive as \u escapes, inert.
    return json.dumps(data, allow_nan=False, separators=(",", ":")) + "\n"


def result_data(result: Result, today: str) -> dict[str, Any]:
    """Everything a script needs from one recommendation run, best entry first."""
    rule_set = result.rule_set
    return {
        "schema_version": SCHEMA_VERSION,
        "padtool_version": __version__,
        "rule_set": rule_set_data(rule_set),
        "date": today,
        "agency": result.agency,
        "build_first": [build_step_data(step) for step in result.build_first],
        "open_questions": list(result.open_questions),
        "agency_type_note": result.agency_type_note or None,
        "recommendations": [_recommendation(r) for r in result.recommendations],
        "answers": result.answers,
        "ignored_answers": list(result.ignored),
    }


def validation_data(
    rule_set: RuleSet | None, errors: list[Problem], warnings: list[Problem]
) -> dict[str, Any]:
    """`validate --format json`: the verdict, and every error and warning with its place."""
    counts = (
        {
            "questions": len(rule_set.questions),
            "entries": len(rule_set.entries),
            "providers": len(rule_set.providers),
            "legal_checks": len(rule_set.legal_checks),
            "funding": len(rule_set.funding),
        }
        if rule_set
        else None
    )
    return {
        "schema_version": SCHEMA_VERSION,
        "valid": rule_set is not None,
        "rule_set": {**rule_set_data(rule_set), "counts": counts} if rule_set else None,
        "errors": [problem_data(p) for p in errors],
        "warnings": [problem_data(p) for p in warnings],
    }


def problem_data(problem: Problem) -> dict[str, Any]:
    return {
        "file": problem.file,
        "line": problem.line,
        "column": problem.column,
        "key": problem.key,
        "message": problem.message,
    }


def rule_set_data(rule_set: RuleSet) -> dict[str, Any]:
    return {
        "name": rule_set.name,
        "version": rule_set.version,
        "overlays": [{"name": o.name, "description": o.description} for o in rule_set.overlays],
    }


def _recommendation(rec: Recommendation) -> dict[str, Any]:
    entry = rec.entry
    call_first, *others = rec.providers or (None,)
    return {
        "id": entry.id,
        "name": rec.name,
        "entry_name": entry.name,
        "kind": entry.kind,
        "pathway": rec.pathway.id if rec.pathway else None,
        "runs_as": rec.runs_as.id if rec.runs_as else None,
        "origin": origin_data(entry.origin),
        "rank": rec.rank,
        "score": rec.score,
        "points": rec.points,
        "max_score": entry.max_score,
        "fit": round(rec.fit, 3),
        "fit_level": rec.fit_level,
        "recommended": rec.recommended,
        "first_choice": rec.first_choice,
        "operating": rec.operating,
        "planning": rec.planning,
        "readiness": rec.readiness,
        "reasons": [
            {
                "text": r.text,
                "weight": r.weight,
                "answers": [{"question": e.question_id, "answer": e.answer} for e in r.evidence],
            }
            for r in rec.reasons
        ],
        "gaps": [gap_data(g) for g in rec.gaps],
        "open_questions": [g.text for g in rec.open_questions],
        "why_not": None if rec.recommended else rec.why_not,
        "first_steps": list(rec.steps),
        "partners": list(rec.partners),
        "measures": list(entry.measures),
        # Enough to get in touch; `padtool providers list --format json` has the rest.
        "call_first": _contact(call_first) if call_first else None,
        "providers": [_contact(p) for p in others if p is not None],
        "sources": [source_data(s) for s in entry.sources],
        "legal_checks": [knowledge_data(i) for i in rec.legal_checks],
        "legal_note": rec.legal_note or None,
        "funding": [{**knowledge_data(i), "as_of": i.as_of} for i in rec.funding],
    }


def knowledge_data(item: KnowledgeItem) -> dict[str, Any]:
    """A legal check or funding item as a report shows it."""
    return {
        "id": item.id,
        "title": item.title,
        "text": item.text,
        "sources": [source_data(s) for s in item.sources],
        "origin": origin_data(item.origin),
    }


def gap_data(gap: Gap) -> dict[str, Any]:
    return {
        "text": gap.text,
        "kind": gap.kind,
        "closed_by": gap.closed_by,
        "blocks_launch": gap.blocks_launch,
        "resource": gap.resource or None,
        "penalty": gap.penalty,
        "buildable": gap.buildable,
    }


def build_step_data(step: BuildStep) -> dict[str, Any]:
    return {
        "resource": step.resource.id,
        "name": step.resource.name,
        "text": step.text,
        "kind": step.kind,
        "closed_by": step.resource.closed_by,
        "needed_by": list(step.needed_by),
        "providers": [_contact(p) for p in step.providers],
    }


def _contact(provider: Provider) -> dict[str, Any]:
    return {
        "id": provider.id,
        "name": provider.name,
        "url": provider.url,
        "contact": provider.contact,
        "origin": origin_data(provider.origin),
    }


def origin_data(origin: Origin | None) -> dict[str, Any] | None:
    """None for the rule set's own; else the local overlay and whether it replaced one."""
    return None if origin is None else {"overlay": origin.overlay, "replaces": origin.replaces}


def source_data(source: Source) -> dict[str, str]:
    return {"ref": source.ref, "title": source.title}


def provider_data(provider: Provider) -> dict[str, Any]:
    return {
        "id": provider.id,
        "name": provider.name,
        "offers": provider.offers,
        "serves": list(provider.serves),
        "url": provider.url,
        "contact": provider.contact,
        "cost": provider.cost,
        "sources": [source_data(s) for s in provider.sources],
        "notes": list(provider.notes),
        "origin": origin_data(provider.origin),
        "checked": provider.checked,
        "checked_source": source_data(provider.checked_source) if provider.checked_source else None,
        "contact_type": provider.contact_type or None,
        "no_cost": provider.no_cost,
        "agency_types": list(provider.agency_types),
        "states": list(provider.states),
        "archived": provider.archived._asdict() if provider.archived else None,
    }


def questions_data(rule_set: RuleSet) -> list[dict[str, Any]]:
    """`padtool questions`: the questionnaire as data."""
    return [question_data(q) for q in rule_set.questions]


def pathways_data(rule_set: RuleSet) -> list[dict[str, Any]]:
    """`pathways list`: every entry in full."""
    return [entry_data(e, rule_set) for e in rule_set.entries]


def providers_data(providers: Iterable[Provider]) -> list[dict[str, Any]]:
    return [provider_data(p) for p in providers]


def question_data(question: Question) -> dict[str, Any]:
    return {
        "id": question.id,
        "prompt": question.prompt,
        "help": question.help,
        "type": question.type,
        "options": [{"value": o.value, "label": o.label} for o in question.options],
        "when": condition_data(question.when) if question.when else None,
        "required": question.required,
        "min": question.min,
        "max": question.max,
        "origin": origin_data(question.origin),
    }


def condition_data(condition: Condition) -> dict[str, Any]:
    """A condition in the same shape as the YAML it was written in."""
    if isinstance(condition, Comparison):
        return {"question": condition.question, condition.operator: condition.value}
    if isinstance(condition, Not):
        return {"not": condition_data(condition.condition)}
    key = "all" if isinstance(condition, AllOf) else "any"
    assert isinstance(condition, (AllOf, AnyOf))
    return {key: [condition_data(c) for c in condition.conditions]}


def entry_data(entry: Entry, rule_set: RuleSet) -> dict[str, Any]:
    return {
        "id": entry.id,
        "name": entry.name,
        "kind": entry.kind,
        "origin": origin_data(entry.origin),
        "pathways": list(entry.pathways),
        "aliases": list(entry.aliases),
        "summary": entry.summary,
        "definition": entry.definition,
        "initiated_by": entry.initiated_by,
        "charges": entry.charges,
        "charges_note": entry.charges_note,
        "target_population": list(entry.target_population),
        "requires": [{"when": condition_data(r.when), "reason": r.reason} for r in entry.requires],
        "fit": [
            {"when": condition_data(r.when), "weight": r.weight, "reason": r.reason}
            for r in entry.fit
        ],
        "prerequisites": [
            {
                "when": condition_data(p.when),
                "gap": p.gap,
                "penalty": p.penalty,
                "closed_by": p.closed_by,
                "blocks_launch": p.blocks_launch,
                "find_out": p.find_out or None,
                "resource": p.resource or None,
                "buildable": p.buildable,
            }
            for p in entry.prerequisites
        ],
        "first_steps": [step_data(s) for s in entry.first_steps],
        "partners": [step_data(s) for s in entry.partners],
        "measures": list(entry.measures),
        "examples": [
            {
                "name": x.name,
                "place": x.place,
                "year": x.year,
                "source": source_data(x.source) if x.source else None,
            }
            for x in entry.examples
        ],
        "providers": [p.id for p in rank_providers(rule_set, entry, {})],
        "sources": [source_data(s) for s in entry.sources],
        "notes": list(entry.notes),
    }


def step_data(step: Step) -> dict[str, Any]:
    """A first step or partner with the conditions that fit it to the answers."""
    return {
        "text": step.text,
        "when": condition_data(step.when) if step.when else None,
        "unless": condition_data(step.unless) if step.unless else None,
        "instead": step.instead or None,
        "closes": step.closes or None,
    }


def scenarios_data(scenarios: Iterable[Scenario]) -> list[dict[str, Any]]:
    return [scenario_summary(s) for s in scenarios]


def scenario_summary(scenario: Scenario) -> dict[str, Any]:
    """One line of `scenarios list`."""
    return {"id": scenario.id, "title": scenario.title, "expected": list(scenario.expected)}


def scenario_data(scenario: Scenario, rule_set: RuleSet) -> dict[str, Any]:
    """A scenario in full, its answers both as stored and in the words the user sees."""
    return {
        **scenario_summary(scenario),
        "narrative": scenario.narrative,
        "sources": list(scenario.sources),
        "answers": [
            {
                "question": q.id,
                "prompt": q.prompt,
                "value": scenario.answers[q.id],
                "answer": q.describe(scenario.answers[q.id]),
            }
            for q in rule_set.questions
            if q.id in scenario.answers
        ],
    }


def whatif_data(found: WhatIf) -> dict[str, Any]:
    """For the starting set and the entries just outside it, the answer changes that flip them."""
    rule_set = found.result.rule_set

    def change(c: Change) -> dict[str, Any]:
        return {
            "question": c.question.id,
            "prompt": c.question.prompt,
            "change": c.kind,
            "value": c.value,
            "now": c.before,
            "words": c.words,
        }

    def lever(x: Lever) -> dict[str, Any]:
        return {
            "changes": [change(c) for c in x.changes],
            "words": x.words,
            "rank": x.rank,
            "score": x.score,
            "buildable": x.buildable,
        }

    def target(t: Target) -> dict[str, Any]:
        return {
            "id": t.now.entry.id,
            "name": t.now.entry.name,
            "rank": t.now.rank,
            "score": t.now.score,
            "recommended": t.now.recommended,
            "moves": t.moves,
            "levers": [lever(x) for x in t.levers],
        }

    return {
        "schema_version": SCHEMA_VERSION,
        "padtool_version": __version__,
        "rule_set": rule_set_data(rule_set),
        "agency": found.result.agency,
        "starting_set": [r.entry.id for r in found.result.starting_set],
        "changes_tried": found.tried,
        "entries": [target(t) for t in found.targets],
    }


def comparison_data(comparison: RankingComparison) -> dict[str, Any]:
    """Two answer sets side by side: the answers that differ and how every entry moved."""
    rule_set = comparison.a.rule_set

    def side(label: str, result: Result, first: Recommendation | None) -> dict[str, Any]:
        return {
            "label": label,
            "agency": result.agency,
            "first_choice": first.entry.id if first else None,
            "starting_set": [r.entry.id for r in result.starting_set],
        }

    def standing(rec: Recommendation) -> dict[str, Any]:
        return {
            "rank": rec.rank,
            "score": rec.score,
            "recommended": rec.recommended,
            "first_choice": rec.first_choice,
        }

    return {
        "schema_version": SCHEMA_VERSION,
        "padtool_version": __version__,
        "rule_set": rule_set_data(rule_set),
        "a": side(comparison.label_a, comparison.a, comparison.first_choice_a),
        "b": side(comparison.label_b, comparison.b, comparison.first_choice_b),
        "first_choice_changed": comparison.first_choice_changed,
        "answers": [
            {
                "question": d.question.id,
                "prompt": d.question.prompt,
                "a": d.a_words,
                "b": d.b_words,
                "a_value": d.a,
                "b_value": d.b,
            }
            for d in comparison.answers
        ],
        "entries": [
            {
                "id": m.entry.id,
                "name": m.entry.name,
                "a": standing(m.a),
                "b": standing(m.b),
                "rank_change": m.rank_change,
                "movement": m.movement,
                "starting_set": m.set_change,
            }
            for m in comparison.entries
        ],
    }


def sessions_data(sessions: Iterable[SessionInfo]) -> list[dict[str, Any]]:
    return [{**s._asdict(), "path": str(s.path)} for s in sessions]


def explanation_data(found: Explanation) -> dict[str, Any]:
    """One entry's gate, fit rules and prerequisites checked against the answers, and its score."""
    rule_set, rec = found.result.rule_set, found.recommendation

    def check(c: Check) -> dict[str, Any]:
        return {"state": c.state, "holds": c.value, "wanted": c.wanted, "answers": list(c.answers)}

    return {
        "schema_version": SCHEMA_VERSION,
        "padtool_version": __version__,
        "rule_set": rule_set_data(rule_set),
        "agency": found.result.agency,
        "id": found.entry.id,
        "name": found.entry.name,
        "requires": [{**check(g.check), "reason": g.reason} for g in found.gates],
        "fit": [
            {**check(r.check), "weight": r.weight, "reason": r.reason, "points": r.points}
            for r in found.rules
        ],
        "prerequisites": [
            {
                **check(p.check),
                "met": p.met,
                "gap": p.gap,
                "penalty": p.penalty,
                "buildable": p.buildable,
                "points": p.points,
            }
            for p in found.prerequisites
        ],
        "score": found.score,
        "max_score": found.entry.max_score,
        "steps": found.steps,
        "rank": rec.rank,
        "of": len(found.result.recommendations),
        "recommended": rec.recommended,
        "first_choice": rec.first_choice,
        "why_not": None if rec.recommended else rec.why_not,
        "starting_set": [r.entry.id for r in found.result.starting_set],
    }
