"""Result + rule set + start date -> a first-year action plan the partners can edit and sign.

Pure: no files, no printing, no prompts. Every plan renderer takes the Plan this module builds.

The rules, each stated here once:
- The plan is for one recommendation: the one asked for, else the first choice. With no
  starting set and none asked for, the build-first sequence is the plan.
- A task is in the plan when its `when` holds and its `unless` does not; one that `closes` a
  shared resource only while the recommendation has a gap on it (missing or still to find out),
  so no task asks for what the answers say exists. Each gap no task closes gets a task of its
  own, and each gap to find out a find-out task that opens the plan.
- Tasks come in phase order and, within a phase, after every task they depend on: find-out
  items first, then what must be built, then the rest in the rule set's order. A dependency
  left out of the plan holds nothing up. Each phase is shared out in equal steps, one a level
  of dependency, so a task starts when the tasks before it are due.
- Each gap is also a risk, with the task that closes it and the provider who helps: the first
  of the recommendation's ranked providers (the report's ranking) that the resource names.
"""

from __future__ import annotations

import heapq
from datetime import date, timedelta
from typing import NamedTuple

from .conditions import Answers
from .engine import BuildStep, Gap, Recommendation, Result, state
from .model import (
    Agreement,
    CostDriver,
    Entry,
    KnowledgeItem,
    PlanRules,
    PlanTask,
    Provider,
    Resource,
    Role,
    RuleSet,
    Source,
)

PLAN_SCHEMA_VERSION = 1
KINDS = ("find-out", "build", "task")  # the order tasks of one level come in
FALLBACK_OWNER = "program-manager"


class PlannedTask(NamedTuple):
    id: str
    title: str
    owner: Role
    produces: str
    done_when: str
    phase: str
    depends_on: tuple[str, ...]  # the tasks of this plan it waits for
    start: date
    due: date
    kind: str  # find-out | build | task
    milestone: bool = False
    providers: tuple[Provider, ...] = ()  # who can help, for what must be built
    sources: tuple[Source, ...] = ()
    closes: str = ""  # the resource it builds (or finds out about)
    gap: str = ""  # the gap it closes, when no resource stands for it


class Phase(NamedTuple):
    id: str
    name: str
    start: date
    end: date
    tasks: tuple[PlannedTask, ...]


class PlannedAgreement(NamedTuple):
    agreement: Agreement
    parties: tuple[Role, ...]
    in_place: bool  # the answers say it exists: check it settles these points


class MeasurePlan(NamedTuple):
    measure: str
    baseline: str
    recorded_by: Role
    review: str
    breakdowns: tuple[str, ...]


class Risk(NamedTuple):
    text: str
    kind: str  # missing | unknown
    mitigation: str  # the task that closes it
    provider: Provider | None


class Brief(NamedTuple):
    """The one page for elected officials and the public."""

    problem: tuple[str, ...]  # the reasons, in the agency's own answers
    pathway: str
    summary: str
    partners: tuple[str, ...]
    milestones: tuple[PlannedTask, ...]
    costs: tuple[str, ...]
    funding: tuple[str, ...]
    savings: str  # what the rule set says the entry saved elsewhere, or ''
    measures: tuple[str, ...]  # what will show what it saves


class Plan(NamedTuple):
    result: Result
    recommendation: Recommendation | None  # None: the plan builds what comes first
    start: date
    objective: str
    success: tuple[str, ...]
    readiness: str  # the recommendation's, or "nothing-yet"
    phases: tuple[Phase, ...]
    agreements: tuple[PlannedAgreement, ...]
    data_plan: tuple[MeasurePlan, ...]
    funding: tuple[KnowledgeItem, ...]
    cost_drivers: tuple[CostDriver, ...]
    risks: tuple[Risk, ...]
    brief: Brief

    @property
    def tasks(self) -> tuple[PlannedTask, ...]:
        return tuple(t for phase in self.phases for t in phase.tasks)

    @property
    def title(self) -> str:
        rec = self.recommendation
        return rec.name if rec is not None else "What to build first"


def plan_recommendation(result: Result, entry_id: str | None) -> Recommendation | None:
    """The recommendation a plan is for: the entry asked for, else the first choice; None
    when nothing is in the starting set and none is asked for."""
    if entry_id is not None:
        return next(r for r in result.recommendations if r.entry.id == entry_id)
    return next((r for r in result.recommendations if r.first_choice), None)


def build_plan(result: Result, start: date, entry_id: str | None = None) -> Plan:
    """The first-year plan for one recommendation (see the module's rules). The rule set must
    have plan data (RuleSet.plan)."""
    rules = result.rule_set.plan
    if rules is None:
        raise ValueError("the rule set has no plan data")
    rec = plan_recommendation(result, entry_id)
    drafts = _drafts(result, rules, rec)
    phases = _schedule(rules, drafts, start)
    tasks = [t for p in phases for t in p.tasks]
    entries = _entries(result, rec)
    funding = tuple(dict.fromkeys(f for r in entries for f in r.funding))
    drivers = tuple(
        d for d in rules.cost_drivers if any(d.applies_to_entry(r.entry) for r in entries)
    )
    data_plan = _data_plan(result, rules, rec)
    return Plan(
        result=result,
        recommendation=rec,
        start=start,
        objective=_objective(result, rec, phases),
        success=tuple(m.measure for m in data_plan) or _built(result),
        readiness=rec.readiness if rec is not None else "nothing-yet",
        phases=phases,
        agreements=_agreements(result, rules, entries),
        data_plan=data_plan,
        funding=funding,
        cost_drivers=drivers,
        risks=_risks(result, rec, tasks),
        brief=_brief(result, rules, rec, tasks, drivers, funding, data_plan),
    )


def opening_tasks(result: Result, count: int) -> tuple[str, ...]:
    """The titles of the first tasks of the first choice's plan (or the build-first plan);
    none when the rule set has no plan data. Which tasks come first does not depend on dates."""
    if result.rule_set.plan is None:
        return ()
    plan = build_plan(result, date(2000, 1, 1))
    return tuple(t.title for t in plan.tasks[:count])


class _Draft(NamedTuple):
    """A task chosen for the plan, before it has dates."""

    task: PlanTask
    kind: str
    providers: tuple[Provider, ...] = ()
    gap: str = ""


def _drafts(result: Result, rules: PlanRules, rec: Recommendation | None) -> list[_Draft]:
    rule_set, answers = result.rule_set, result.answers
    gaps = _gaps(result, rec)
    by_resource = {g.resource: g for g in gaps if g.resource}
    written = [*rules.tasks, *(rules.entry_tasks.get(rec.entry.id, ()) if rec else ())]
    chosen = [
        t
        for t in written
        if _fits(t, answers) and (t.closes in by_resource if t.closes else rec is not None)
    ]
    closing = {t.closes for t in chosen if t.closes}
    finding = [_find_out(rules, rule_set, g, written) for g in gaps if g.kind == "unknown"]
    building = [
        _gap_task(rules, rule_set, g, n)
        for n, g in enumerate(gaps, 1)
        if g.kind == "missing" and g.resource not in closing and g.buildable
    ]
    found_out = {d.task.closes: d.task.id for d in finding if d.task.closes}
    drafts = finding + building
    for task in chosen:
        wait = (found_out[task.closes],) if task.closes in found_out else ()
        task = task._replace(depends_on=(*wait, *task.depends_on))
        resource = rule_set.resource(task.closes) if task.closes else None
        drafts.append(
            _Draft(task, "build" if task.closes else "task", _helpers(rule_set, resource, rec))
        )
    if rec is None:  # only what the build-first tasks wait for
        drafts = _with_what_they_wait_for(drafts, written, answers)
    unique: dict[str, _Draft] = {}  # two gaps may ask for the same task: it is planned once
    for draft in drafts:
        unique.setdefault(draft.task.id, draft)
    return list(unique.values())


def _fits(task: PlanTask, answers: Answers) -> bool:
    if task.when is not None and state(task.when, answers) is not True:
        return False
    return task.unless is None or state(task.unless, answers) is not True


def _gaps(result: Result, rec: Recommendation | None) -> tuple[Gap, ...]:
    """The gaps the plan closes: the recommendation's, or those of the build-first steps."""
    if rec is not None:
        return rec.gaps
    return tuple(_build_gap(step) for step in result.build_first)


def _build_gap(step: BuildStep) -> Gap:
    r = step.resource
    text = step.text if step.kind == "unknown" else r.missing
    return Gap(text, 0, step.kind, r.closed_by, r.blocks_launch, r.id)


def _find_out(rules: PlanRules, rule_set: RuleSet, gap: Gap, written: list[PlanTask]) -> _Draft:
    closer = next((t for t in written if gap.resource and t.closes == gap.resource), None)
    owner = closer.owner if closer else rules.gap_owners.get(gap.closed_by, FALLBACK_OWNER)
    task = PlanTask(
        id=f"find-out-{gap.resource}" if gap.resource else f"find-out-{_slug(gap.text)}",
        title=gap.text,
        owner=owner,
        produces="An answer the planning group can act on.",
        done_when="The answer is known and the plan is updated with it.",
        phase=rules.phases[0].id,
        closes=gap.resource,
    )
    resource = rule_set.resource(gap.resource) if gap.resource else None
    return _Draft(
        task, "find-out", _helpers(rule_set, resource, None), "" if resource else gap.text
    )


def _gap_task(rules: PlanRules, rule_set: RuleSet, gap: Gap, number: int) -> _Draft:
    """A task for a gap no written task closes: the resource's build step, or the gap itself."""
    resource = rule_set.resource(gap.resource) if gap.resource else None
    task = PlanTask(
        id=f"build-{gap.resource}" if gap.resource else f"close-gap-{number}",
        title=resource.build if resource else f"Close this gap: {gap.text}",
        owner=rules.gap_owners.get(gap.closed_by, FALLBACK_OWNER),
        produces=f"In place: {resource.name}." if resource else "What the gap names, in place.",
        done_when="The planning group agrees the gap is closed.",
        phase=rules.phases[0].id,
        closes=gap.resource,
    )
    return _Draft(task, "build", _helpers(rule_set, resource, None), "" if resource else gap.text)


def _slug(text: str) -> str:
    """A task id from a gap's words: 'Find out whether a ...' -> 'whether-a-...'."""
    words = "".join(c if c.isalnum() else " " for c in text.lower()).split()
    if words[:2] == ["find", "out"]:
        words = words[2:]
    return "-".join(words[:6])


def _helpers(
    rule_set: RuleSet, resource: Resource | None, rec: Recommendation | None
) -> tuple[Provider, ...]:
    """Who helps build a resource: those the resource names, in the recommendation's ranking
    (the report's) when there is one, else in the resource's own order."""
    if resource is None:
        return ()
    named = [p for name in resource.providers for p in rule_set.providers if p.id == name]
    named = [p for p in named if p.archived is None]
    if rec is not None:
        ranked = [p for p in rec.providers if p in named]
        return tuple(ranked or named)
    return tuple(named)


def _with_what_they_wait_for(
    drafts: list[_Draft], written: list[PlanTask], answers: Answers
) -> list[_Draft]:
    """The drafts and, transitively, the written tasks they depend on (when these fit)."""
    by_id = {t.id: t for t in written if _fits(t, answers) and not t.closes}
    have = {d.task.id for d in drafts}
    wanted = [w for d in drafts for w in d.task.depends_on]
    added: list[_Draft] = []
    while wanted:
        task_id = wanted.pop()
        if task_id in have or task_id not in by_id:
            continue
        have.add(task_id)
        added.append(_Draft(by_id[task_id], "task"))
        wanted.extend(by_id[task_id].depends_on)
    order = {t.id: i for i, t in enumerate(written)}
    added.sort(key=lambda d: order[d.task.id])
    return added + drafts


def _schedule(rules: PlanRules, drafts: list[_Draft], start: date) -> tuple[Phase, ...]:
    """The drafts in order of work, dated phase by phase."""
    planned = {d.task.id for d in drafts}
    drafts = [
        d._replace(
            task=d.task._replace(depends_on=tuple(w for w in d.task.depends_on if w in planned))
        )
        for d in drafts
    ]
    ordered = _in_order(rules, drafts)
    phases = []
    begins = start
    for phase in rules.phases:
        ends = start + timedelta(days=phase.until_day - 1)
        members = [d for d in ordered if d.task.phase == phase.id]
        levels = _levels(members)
        # by level: still after every dependency, and in the order of their dates
        members.sort(key=lambda d: levels[d.task.id])
        steps = max(levels.values(), default=0) + 1
        span = (ends - begins).days + 1
        dated = []
        for d in members:
            level = levels[d.task.id]
            first = begins + timedelta(days=span * level // steps)
            due = begins + timedelta(days=span * (level + 1) // steps - 1)
            dated.append(_planned(rules, d, first, due))
        phases.append(Phase(phase.id, phase.name, begins, ends, tuple(dated)))
        begins = ends + timedelta(days=1)
    return tuple(phases)


def _in_order(rules: PlanRules, drafts: list[_Draft]) -> list[_Draft]:
    """A topological order: phase first, then find-out, build, the rest, in written order."""
    phase_rank = {p.id: i for i, p in enumerate(rules.phases)}
    by_id = {d.task.id: d for d in drafts}
    waiting = {d.task.id: len(d.task.depends_on) for d in drafts}
    after: dict[str, list[str]] = {}
    for d in drafts:
        for wanted in d.task.depends_on:
            after.setdefault(wanted, []).append(d.task.id)

    def key(i: int, d: _Draft) -> tuple[int, int, int]:
        return (phase_rank.get(d.task.phase, 0), KINDS.index(d.kind), i)

    index = {d.task.id: i for i, d in enumerate(drafts)}
    ready = [(key(index[t], by_id[t]), t) for t, n in waiting.items() if n == 0]
    heapq.heapify(ready)
    ordered = []
    while ready:
        _, task_id = heapq.heappop(ready)
        ordered.append(by_id[task_id])
        for follower in after.get(task_id, []):
            waiting[follower] -= 1
            if waiting[follower] == 0:
                heapq.heappush(ready, (key(index[follower], by_id[follower]), follower))
    return ordered


def _levels(members: list[_Draft]) -> dict[str, int]:
    """Each task's level in its phase: the longest chain of its dependencies in that phase.
    Members come in order of work, so each dependency's level is known before its own."""
    levels: dict[str, int] = {}
    for d in members:
        inside = [levels[w] + 1 for w in d.task.depends_on if w in levels]
        levels[d.task.id] = max(inside, default=0)
    return levels


def _planned(rules: PlanRules, d: _Draft, first: date, due: date) -> PlannedTask:
    t = d.task
    return PlannedTask(
        id=t.id,
        title=t.title,
        owner=rules.role(t.owner),
        produces=t.produces,
        done_when=t.done_when,
        phase=t.phase,
        depends_on=t.depends_on,
        start=first,
        due=due,
        kind=d.kind,
        milestone=t.milestone,
        providers=d.providers,
        sources=t.sources,
        closes=t.closes,
        gap=d.gap,
    )


def _entries(result: Result, rec: Recommendation | None) -> list[Recommendation]:
    """The recommendations the plan serves: its own, or those the build-first steps ready."""
    if rec is not None:
        return [rec]
    names = {name for step in result.build_first for name in step.needed_by}
    return [r for r in result.recommendations if r.name in names]


def _objective(result: Result, rec: Recommendation | None, phases: tuple[Phase, ...]) -> str:
    agency = result.agency or "The agency"
    launch = phases[1].end if len(phases) > 1 else phases[-1].end
    if rec is None:
        built = ", ".join(s.resource.name.lower() for s in result.build_first)
        by = phases[-1].end.isoformat()
        return f"By {by}, {agency} has built what a first pathway needs: {built}."
    return f"By {launch.isoformat()}, {agency} runs {rec.name}: {rec.entry.summary}"


def _built(result: Result) -> tuple[str, ...]:
    return tuple(f"In place: {step.resource.name}." for step in result.build_first)


def _agreements(
    result: Result, rules: PlanRules, entries: list[Recommendation]
) -> tuple[PlannedAgreement, ...]:
    answers, rule_set = result.answers, result.rule_set
    found = []
    for agreement in rules.agreements:
        if not any(agreement.applies_to_entry(r.entry) for r in entries):
            continue
        if agreement.when is not None and state(agreement.when, answers) is not True:
            continue
        resource = rule_set.resource(agreement.have) if agreement.have else None
        in_place = resource is not None and state(resource.have, answers) is True
        parties = tuple(rules.role(p) for p in agreement.parties)
        found.append(PlannedAgreement(agreement, parties, in_place))
    return tuple(found)


def _data_plan(
    result: Result, rules: PlanRules, rec: Recommendation | None
) -> tuple[MeasurePlan, ...]:
    if rec is None:
        return ()
    plan = rules.data_plan
    recorder = next(
        (r.role for r in plan.recorders if r.when is None or state(r.when, result.answers) is True),
        FALLBACK_OWNER,
    )
    role = rules.role(recorder)
    return tuple(
        MeasurePlan(m, plan.baseline, role, plan.review, plan.breakdowns)
        for m in rec.entry.measures
    )


def _risks(
    result: Result, rec: Recommendation | None, tasks: list[PlannedTask]
) -> tuple[Risk, ...]:
    risks = []
    for gap in _gaps(result, rec):
        task = _closing_task(gap, tasks)
        if not gap.buildable:
            mitigation = (
                "Only a change of law closes it: settle with counsel what the law allows now."
            )
        else:
            mitigation = task.title if task else ""
        helpers = task.providers if task else ()
        provider = helpers[0] if helpers else (rec.call_first if rec else None)
        risks.append(Risk(gap.text, gap.kind, mitigation, provider))
    return tuple(risks)


def _closing_task(gap: Gap, tasks: list[PlannedTask]) -> PlannedTask | None:
    """The task that closes a gap: what builds its resource (or finds it out), else its own."""
    if gap.resource:
        closing = [t for t in tasks if t.closes == gap.resource]
        return next((t for t in closing if t.kind == "build"), closing[0] if closing else None)
    return next((t for t in tasks if t.gap == gap.text), None)


def _brief(
    result: Result,
    rules: PlanRules,
    rec: Recommendation | None,
    tasks: list[PlannedTask],
    drivers: tuple[CostDriver, ...],
    funding: tuple[KnowledgeItem, ...],
    data_plan: tuple[MeasurePlan, ...],
) -> Brief:
    entry: Entry | None = rec.entry if rec else None
    return Brief(
        problem=tuple(r.text for r in (rec.supporting if rec else ())[:3]),
        pathway=rec.name if rec else "",
        summary=entry.summary if entry else "",
        partners=rec.partners if rec else (),
        milestones=tuple(t for t in tasks if t.milestone),
        costs=tuple(d.text for d in drivers),
        funding=tuple(f.title for f in funding),
        savings=rules.savings.get(entry.id, "") if entry else "",
        measures=tuple(m.measure for m in data_plan),
    )
