"""Answers + rule set -> ranked recommendations with reasons, gaps, readiness, steps and providers.

Pure: no files, no printing, no prompts. Every renderer takes the Result this module builds.

The rules, each stated here once (`reach`, `explain` and `whatif` call them):
- An entry's fit is the share of its positive points it scores; a "Don't know" answer adds and
  costs nothing: the rule it leaves open becomes a question to settle.
- A `requires` clause that fails keeps an entry out; one a "Don't know" leaves open does not.
- A framework pathway and its single-pathway program models share one place. A model that fits
  clearly takes it ("Officer Intervention, run as LEAD"); otherwise the pathway itself does.
- The starting set is the best-fitting places that clear `min_fit` (and `min_score`), are not
  `not-yet`, and are not already run by the agency, up to `starting_set_size`; a place the
  agency is planning (`planning_question`) comes before the others, as the work under way.
- Readiness: `not-yet` when a missing prerequisite blocks launch or needs a change of law;
  `build-first` when anything is missing or still to settle; otherwise `ready`.
- When nothing in the starting set is ready, `build_first` lists what to build, in the order of
  the rule set's resources, drawn from the gaps of the best-fitting entries.
"""

import re
from collections.abc import Mapping
from typing import NamedTuple

from .conditions import (
    Answers,
    AnswerValue,
    Condition,
    comparisons,
    evaluate,
    holds,
    is_dont_know,
    value_of,
)
from .knowledge import items_for, state_note
from .model import Entry, KnowledgeItem, Prerequisite, Provider, Question, Resource, RuleSet, Step

READINESS = ("ready", "build-first", "not-yet")
FIT_LEVELS = ("strong", "moderate", "weak")
_PLACEHOLDER = re.compile(r"\{([a-z0-9][a-z0-9_-]*)\}")


class Evidence(NamedTuple):
    """One answer a conclusion rests on, in the words the user saw."""

    question_id: str
    prompt: str
    answer: str
    typed_by_user: bool  # free text, not an option label from the rule set

    @property
    def statement(self) -> str:
        """The answer, with its question when a bare "yes" or "12" would say nothing."""
        if self.answer in ("yes", "no") or self.answer.replace(".", "", 1).isdigit():
            return f"{self.prompt.rstrip('?')}: {self.answer}"
        return self.answer


class Reason(NamedTuple):
    text: str
    weight: int  # below 0: a reason against the entry
    evidence: tuple[Evidence, ...]


class Gap(NamedTuple):
    """A prerequisite the answers show missing, or leave open ("Don't know")."""

    text: str  # the gap, or for an open one what to find out
    penalty: int
    kind: str  # "missing" | "unknown"
    closed_by: str  # "agency" | "partner" | "law"
    blocks_launch: bool
    resource: str  # the shared resource it stands for, or ''

    @property
    def buildable(self) -> bool:
        return self.closed_by != "law"


class Recommendation(NamedTuple):
    entry: Entry  # what is shown: a program model when the pathway runs as one
    pathway: Entry | None  # the framework pathway it belongs to; None for a multi-pathway model
    rank: int
    score: int
    fit: float  # the share of the entry's positive points it scores, 0 to 1
    fit_level: str  # strong | moderate | weak
    reasons: tuple[Reason, ...]  # fit rules that held, strongest first (against ones last)
    gaps: tuple[Gap, ...]  # missing ones first, then those to find out
    readiness: str  # ready | build-first | not-yet
    steps: tuple[str, ...]  # first steps fitted to the answers, those closing gaps first
    partners: tuple[str, ...]
    providers: tuple[Provider, ...]  # ranked for this agency; the first is the one to call
    recommended: bool  # in the starting set
    first_choice: bool
    why_not: str  # for entries outside the starting set: one line on why
    operating: bool = False  # the agency already runs it
    planning: bool = False  # the agency is planning it (or another entry of its place)
    legal_checks: tuple[KnowledgeItem, ...] = ()  # what to settle with counsel
    funding: tuple[KnowledgeItem, ...] = ()  # how others pay for it
    legal_note: str = ""  # what the rule set knows of the state's own law, if it asks the state

    @property
    def name(self) -> str:
        """The pathway and, when it runs as one, the program model: words people use."""
        pathway = self.pathway
        if pathway is None or pathway.id == self.entry.id or not self.recommended:
            return self.entry.name
        return f"{pathway.name}, run as {self.entry.name}"

    @property
    def runs_as(self) -> Entry | None:
        return self.entry if self.entry.kind == "program-model" else None

    @property
    def supporting(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.weight > 0)

    @property
    def against(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.weight < 0)

    @property
    def missing(self) -> tuple[Gap, ...]:
        return tuple(g for g in self.gaps if g.kind == "missing")

    @property
    def open_questions(self) -> tuple[Gap, ...]:
        return tuple(g for g in self.gaps if g.kind == "unknown")

    @property
    def call_first(self) -> Provider | None:
        return self.providers[0] if self.providers else None

    @property
    def points(self) -> int:
        """The score as shown to people: never below zero."""
        return max(self.score, 0)


class BuildStep(NamedTuple):
    """One thing to build (or find out) before any pathway can start."""

    resource: Resource
    kind: str  # "missing" | "unknown"
    needed_by: tuple[str, ...]  # the names of the entries it holds back
    providers: tuple[Provider, ...]

    @property
    def text(self) -> str:
        if self.kind == "unknown" and self.resource.find_out:
            return self.resource.find_out
        return self.resource.build


class Result(NamedTuple):
    rule_set: RuleSet
    answers: dict[str, AnswerValue]  # the answers that applied, in question order
    ignored: tuple[str, ...]  # answered questions whose condition did not hold
    recommendations: tuple[Recommendation, ...]  # best first
    build_first: tuple[BuildStep, ...] = ()  # empty when something in the starting set is ready
    agency_type_note: str = ""  # what the rule set does (or does not) know of this kind of agency

    @property
    def starting_set(self) -> tuple[Recommendation, ...]:
        return tuple(r for r in self.recommendations if r.recommended)

    @property
    def next_in_line(self) -> tuple[Recommendation, ...]:
        """The entries outside the starting set for a place it does not hold yet, best first:
        what to add next. A pathway whose program model is in the set (or another model of
        it) is another way to run what is already there."""
        held = {place(r.entry) for r in self.starting_set}
        return tuple(
            r for r in self.recommendations if not r.recommended and place(r.entry) not in held
        )

    @property
    def operating(self) -> tuple[Recommendation, ...]:
        return tuple(r for r in self.recommendations if r.operating)

    @property
    def agency(self) -> str:
        value = self.answers.get(self.rule_set.agency_question)
        return value if isinstance(value, str) else ""

    @property
    def open_questions(self) -> tuple[str, ...]:
        """What to settle, across the starting set (or the entries build_first draws on)."""
        shown = self.starting_set or self.recommendations[:3]
        return tuple(dict.fromkeys(g.text for r in shown for g in r.open_questions))


def applicable_questions(rule_set: RuleSet, answers: Answers) -> list[Question]:
    """The questions whose conditions hold given these answers, in order."""
    kept = applicable_answers(rule_set, answers)
    return [q for q in rule_set.questions if holds(q.when, kept)]


def applicable_answers(rule_set: RuleSet, answers: Answers) -> dict[str, AnswerValue]:
    """The answers to questions that apply, dropping those whose condition does not hold."""
    kept: dict[str, AnswerValue] = {}
    for question in rule_set.questions:
        if question.id in answers and holds(question.when, kept):
            kept[question.id] = answers[question.id]
    return kept


def state(condition: Condition, answers: Answers) -> bool | None:
    """True or False, or None when a "Don't know" answer leaves the condition open.

    A question not asked (or skipped) is no answer: what rests on it does not hold.
    """
    value = value_of(condition, answers)
    if value is None:  # open or unanswered: the facts behind it tell which
        facts = evaluate(condition, answers).facts
        return None if any(is_dont_know(answers.get(qid)) for qid, _ in facts) else False
    return value


def fit_share(score: int, max_score: int) -> float:
    """The share of its positive points an entry scores, from 0 to 1."""
    return max(score, 0) / max_score if max_score > 0 else 0.0


def fit_level(rule_set: RuleSet, share: float) -> str:
    if share >= rule_set.strong_fit:
        return "strong"
    return "moderate" if share >= rule_set.min_fit else "weak"


def clears(rule_set: RuleSet, score: int, max_score: int) -> bool:
    """Whether a score is a clear enough fit for the starting set."""
    return score >= rule_set.min_score and fit_share(score, max_score) >= rule_set.min_fit


def place(entry: Entry) -> str:
    """The starting-set place an entry competes for: its pathway, or its own for a model
    spanning several pathways (a way of delivering them, not one of them)."""
    return entry.pathway or entry.id


def recommend(rule_set: RuleSet, answers: Answers) -> Result:
    """Score every entry for these answers; rank the starting set first, then the rest."""
    kept = applicable_answers(rule_set, answers)
    operating = _listed(rule_set.operating_question, kept)
    # Running a model of a pathway is running the pathway; running the pathway leaves its
    # models open as other ways to run it.
    running = operating | {
        e.pathway for e in rule_set.entries if e.kind == "program-model" and e.id in operating
    }
    planned = {
        place(e) for e in rule_set.entries if e.id in _listed(rule_set.planning_question, kept)
    }
    entries = {e.id: e for e in rule_set.entries}
    assessed = [
        _assess(rule_set, entry, kept, entries, entry.id in running, place(entry) in planned)
        for entry in rule_set.entries
    ]
    chosen = _representatives(rule_set, assessed)
    ranked = sorted(chosen.values(), key=_strength)
    picked: list[_Assessment] = []
    for candidate in ranked:
        if len(picked) < rule_set.starting_set_size and candidate.can_start(rule_set):
            picked.append(candidate)
    rest = sorted((a for a in assessed if a not in picked), key=_strength)
    by_id = {a.entry.id: a for a in assessed}
    recommendations = tuple(
        _with_knowledge(
            rule_set,
            _recommendation(rule_set, a, rank, a in picked, rank == 1 and a in picked, kept),
            kept,
        )._replace(why_not="" if a in picked else _why_not(rule_set, a, picked, chosen, by_id))
        for rank, a in enumerate([*picked, *rest], start=1)
    )
    starting = [r for r in recommendations if r.recommended]
    needs_building = not any(r.readiness == "ready" for r in starting)
    best = {a.entry.id for a in [a for a in ranked if a.score > 0][: rule_set.starting_set_size]}
    drawn = starting or [r for r in recommendations if r.entry.id in best]
    build_first = _build_first(rule_set, drawn, kept) if needs_building else ()
    ignored = tuple(qid for qid in answers if qid not in kept)
    note = _agency_type_note(rule_set, kept, starting)
    return Result(rule_set, kept, ignored, recommendations, build_first, note)


def _with_knowledge(rule_set: RuleSet, rec: Recommendation, answers: Answers) -> Recommendation:
    """The recommendation with the legal checks and funding items of its entry."""
    checks = items_for(rule_set.legal_checks, rec.entry, answers)
    return rec._replace(
        legal_checks=checks,
        funding=items_for(rule_set.funding, rec.entry, answers),
        legal_note=state_note(rule_set, checks, answers),
    )


class _Assessment(NamedTuple):
    entry: Entry
    pathway: Entry | None
    score: int
    reasons: tuple[Reason, ...]
    gaps: tuple[Gap, ...]
    failed: tuple[str, ...]  # the reasons of the `requires` clauses that do not hold
    operating: bool
    planning: bool

    @property
    def fit(self) -> float:
        return fit_share(self.score, self.entry.max_score)

    @property
    def readiness(self) -> str:
        return readiness(self.gaps)

    @property
    def missing(self) -> tuple[Gap, ...]:
        return tuple(g for g in self.gaps if g.kind == "missing")

    def can_start(self, rule_set: RuleSet) -> bool:
        return (
            not self.failed
            and not self.operating
            and self.readiness != "not-yet"
            and clears(rule_set, self.score, self.entry.max_score)
        )


def readiness(gaps: tuple[Gap, ...]) -> str:
    """Where an entry stands given its gaps (see the module's rules)."""
    if any(g.kind == "missing" and (g.blocks_launch or not g.buildable) for g in gaps):
        return "not-yet"
    return "build-first" if gaps else "ready"


def _strength(a: _Assessment) -> tuple[bool, float, int, int]:
    # sorted() is stable: file order breaks ties
    return (not a.planning, -a.fit, -a.score, len(a.gaps))


def _listed(question_id: str, answers: Answers) -> set[str]:
    """The entry ids a programs-operating or -planning answer names."""
    value = answers.get(question_id) if question_id else None
    return set(value) if isinstance(value, list) else set()


def _assess(
    rule_set: RuleSet,
    entry: Entry,
    answers: Answers,
    entries: Mapping[str, Entry],
    runs: bool,
    plans: bool,
) -> _Assessment:
    reasons = []
    for rule in entry.fit:
        verdict = evaluate(rule.when, answers)
        if verdict.holds:
            text = fill_answers(rule_set, rule.reason, answers)
            reasons.append(Reason(text, rule.weight, _evidence(rule_set, verdict.facts)))
    gaps = [g for p in entry.prerequisites for g in _gap(rule_set, p, answers)]
    gaps.sort(key=lambda g: g.kind != "missing")
    score = sum(r.weight for r in reasons) - sum(g.penalty for g in gaps)
    reasons.sort(key=lambda r: -r.weight)
    failed = tuple(r.reason for r in entry.requires if state(r.when, answers) is False)
    pathway = entries.get(entry.pathway) if entry.pathway else None
    return _Assessment(entry, pathway, score, tuple(reasons), tuple(gaps), failed, runs, plans)


def _gap(rule_set: RuleSet, prerequisite: Prerequisite, answers: Answers) -> list[Gap]:
    found = state(prerequisite.when, answers)
    if found is True:
        return []
    if found is None:
        text = prerequisite.find_out or _find_out(rule_set, prerequisite.when, answers)
        kind, penalty = "unknown", 0
    else:
        text, kind, penalty = prerequisite.gap, "missing", prerequisite.penalty
    p = prerequisite
    return [Gap(text, penalty, kind, p.closed_by, p.blocks_launch, p.resource)]


def _find_out(rule_set: RuleSet, condition: Condition, answers: Answers) -> str:
    """What to ask when no find_out is written: the questions answered "Don't know"."""
    facts = evaluate(condition, answers).facts
    prompts = [
        q.prompt
        for qid, _ in facts
        if is_dont_know(answers.get(qid)) and (q := rule_set.question(qid)) is not None
    ]
    return "Find out: " + " ".join(prompts) if prompts else ""


def _representatives(rule_set: RuleSet, assessed: list[_Assessment]) -> dict[str, _Assessment]:
    """For each place, the entry that stands for it: a clearly fitting program model before
    its pathway, as the model is the concrete program an agency can visit, copy and fund."""

    def preference(a: _Assessment) -> tuple[bool, bool, bool, float, int]:
        clear = clears(rule_set, a.score, a.entry.max_score)
        startable = clear and a.readiness != "not-yet"
        return (startable, clear, a.entry.kind == "program-model", a.fit, a.score)

    places: dict[str, list[_Assessment]] = {}
    for a in assessed:
        places.setdefault(place(a.entry), []).append(a)
    chosen = {}
    for where, members in places.items():
        eligible = [a for a in members if not a.failed and not a.operating]
        if eligible:
            chosen[where] = max(eligible, key=preference)
    return chosen


def _recommendation(
    rule_set: RuleSet,
    a: _Assessment,
    rank: int,
    recommended: bool,
    first: bool,
    answers: Answers,
) -> Recommendation:
    open_ = {g.resource for g in a.gaps if g.resource}
    return Recommendation(
        entry=a.entry,
        pathway=a.pathway,
        rank=rank,
        score=a.score,
        fit=a.fit,
        fit_level=fit_level(rule_set, a.fit),
        reasons=a.reasons,
        gaps=a.gaps,
        readiness=a.readiness,
        steps=fitted(rule_set, a.entry.first_steps, answers, open_),
        partners=fitted(rule_set, a.entry.partners, answers, open_),
        providers=rank_providers(rule_set, a.entry, answers),
        recommended=recommended,
        first_choice=first,
        why_not="",
        operating=a.operating,
        planning=a.planning,
    )


def fitted(
    rule_set: RuleSet, steps: tuple[Step, ...], answers: Answers, open_: set[str]
) -> tuple[str, ...]:
    """The steps that fit the answers: those closing an open gap first, none asking for what
    the answers say exists (its `instead`, if any, takes its place)."""
    found: list[tuple[int, str]] = []
    for step in steps:
        if step.when is not None and state(step.when, answers) is not True:
            continue
        resource = rule_set.resource(step.closes) if step.closes else None
        had = resource is not None and state(resource.have, answers) is True
        if had or (step.unless is not None and state(step.unless, answers) is True):
            if step.instead:
                found.append((1, fill_answers(rule_set, step.instead, answers)))
            continue
        found.append((0 if step.closes in open_ else 1, fill_answers(rule_set, step.text, answers)))
    found.sort(key=lambda pair: pair[0])
    return tuple(text for _, text in found)


def rank_providers(rule_set: RuleSet, entry: Entry, answers: Answers) -> tuple[Provider, ...]:
    """The providers serving this entry, the one to call first at the top: those serving this
    kind of agency first, then those specific to the entry or its pathway before general ones,
    direct help (a request form, a phone, an e-mail, a mentor site) before a website, and
    no-cost help before the rest. Those limited to the agency's state come right after its kind;
    those limited to other states, and ended programs, are never among them (limited to a state
    when the state is not answered, they come last)."""
    served = {entry.id, entry.pathway} - {""}
    agency_type = (
        answers.get(rule_set.agency_type_question) if rule_set.agency_type_question else None
    )
    state = _state(rule_set, answers)
    serving = [
        p
        for p in rule_set.providers
        if p.archived is None
        and ("all" in p.serves or served & set(p.serves))
        and p.serves_state(state)
    ]

    def rank(p: Provider) -> tuple[bool, bool, int, bool, bool, bool]:
        return (
            bool(p.states) and state is None,
            agency_type not in p.agency_types,
            0 if p.states else 1,
            "all" in p.serves and not served & set(p.serves),
            p.contact_type in ("", "website"),
            p.no_cost is not True,
        )

    return tuple(sorted(serving, key=rank))  # stable: file order breaks ties


def _state(rule_set: RuleSet, answers: Answers) -> str | None:
    """The agency's state as answered, or None."""
    value = answers.get(rule_set.state_question) if rule_set.state_question else None
    return value if isinstance(value, str) else None


def _why_not(
    rule_set: RuleSet,
    a: _Assessment,
    picked: list[_Assessment],
    chosen: dict[str, _Assessment],
    by_id: dict[str, _Assessment],
) -> str:
    """The one deciding reason an entry is outside the starting set."""
    if a.operating:
        return "You already run it; the starting set adds what could come next."
    if a.failed:
        return " ".join(a.failed)
    stand_in = chosen[place(a.entry)]  # a is eligible, so its place has one
    if stand_in is not a:
        through = _standing_in(a, stand_in)
        if stand_in in picked:
            return f"In your starting set {through}."
        return f"Weighed {through}. {_why_not(rule_set, stand_in, picked, chosen, by_id)}"
    points = f"{max(a.score, 0)} of {a.entry.max_score} points"
    if a.readiness == "not-yet":
        blocking = next(g for g in a.missing if g.blocks_launch or not g.buildable)
        return f"Not yet: {blocking.text}"
    if not clears(rule_set, a.score, a.entry.max_score):
        return f"A weak fit ({points}): {_deciding(a)}"
    level = fit_level(rule_set, a.fit)
    return (
        f"A {level} fit ({points}), below the {len(picked)} in your starting set; "
        "add it once they run."
    )


def _standing_in(a: _Assessment, stand_in: _Assessment) -> str:
    """How the entry that holds a place relates to one it stands for: "through its program
    model X, which fits your answers better"."""
    if stand_in.fit > a.fit:
        fits = "fits your answers better"
    elif stand_in.fit == a.fit:
        fits = "fits your answers as well"
    else:  # a program model is weighed for its pathway: the program people can visit and copy
        fits = "is the concrete program to weigh"
    name = stand_in.entry.name
    if stand_in.pathway is None or stand_in.pathway.id == stand_in.entry.id:
        return f"as {name} itself, which {fits}"
    if stand_in.pathway.id == a.entry.id:
        return f"through its program model {name}, which {fits}"
    return f"through {name}, another way to run {stand_in.pathway.name}, which {fits}"


def _deciding(a: _Assessment) -> str:
    against = [r for r in a.reasons if r.weight < 0]
    if against:
        return min(against, key=lambda r: r.weight).text
    if a.missing:
        return a.missing[0].text
    if not any(r.weight > 0 for r in a.reasons):
        return "none of its fit conditions matched your answers."
    return "few of its fit conditions matched your answers."


def _display_name(a: _Assessment) -> str:
    if a.pathway is None or a.pathway.id == a.entry.id:
        return a.entry.name
    return f"{a.pathway.name}, run as {a.entry.name}"


def _build_first(
    rule_set: RuleSet, drawn: list[Recommendation], answers: Answers
) -> tuple[BuildStep, ...]:
    """What the best-fitting entries are missing or must settle, in the resources' order."""
    steps = []
    for resource in rule_set.resources:
        holding = [r for r in drawn if any(g.resource == resource.id for g in r.gaps)]
        if not holding:
            continue
        kinds = {g.kind for r in holding for g in r.gaps if g.resource == resource.id}
        kind = "missing" if "missing" in kinds else "unknown"
        state = _state(rule_set, answers)
        providers = tuple(
            p
            for name in resource.providers
            for p in rule_set.providers
            if p.id == name and p.serves_state(state)
        )
        steps.append(BuildStep(resource, kind, tuple(r.name for r in holding), providers))
    return tuple(steps)


def _agency_type_note(rule_set: RuleSet, answers: Answers, starting: list[Recommendation]) -> str:
    """Whether the advice has anything specific for this kind of agency: said plainly."""
    question = rule_set.question(rule_set.agency_type_question)
    value = answers.get(rule_set.agency_type_question)
    if question is None or not isinstance(value, str):
        return ""
    label = question.label(value)
    specific = any(
        _mentions(step, rule_set.agency_type_question, value)
        for r in starting
        for step in (*r.entry.first_steps, *r.entry.partners)
    )
    helpers = [p.name for r in starting for p in r.providers[:1] if value in p.agency_types]
    if specific or helpers:
        found = ["steps and partners marked for it"] if specific else []
        found += [f"{name}, which serves this kind of agency" for name in dict.fromkeys(helpers)]
        return f"For this kind of agency ({label}) the advice includes: {'; '.join(found)}."
    return (
        f"The rule set has nothing specific for this kind of agency ({label}): the steps, "
        "partners and providers below are the general ones."
    )


def _mentions(step: Step, question_id: str, value: str) -> bool:
    """Whether the step is fitted to this answer of the question."""
    conditions = [c for c in (step.when, step.unless) if c is not None]
    return any(
        c.question == question_id and value in (c.value if isinstance(c.value, list) else [c.value])
        for condition in conditions
        for c in comparisons(condition)
    )


def fill_answers(rule_set: RuleSet, text: str, answers: Answers) -> str:
    """A rule-set sentence with each {question_id} replaced by the answer in words."""

    def answer(match: re.Match[str]) -> str:
        question = rule_set.question(match.group(1))
        value = answers.get(match.group(1))
        if question is None or value is None:
            return match.group(0)
        return question.kind.in_sentence(question, value)

    return _PLACEHOLDER.sub(answer, text)


def _evidence(
    rule_set: RuleSet, facts: tuple[tuple[str, AnswerValue | None], ...]
) -> tuple[Evidence, ...]:
    found = []
    for qid, value in facts:
        question = rule_set.question(qid)
        if question is not None and value is not None:
            found.append(
                Evidence(qid, question.prompt, question.describe(value), question.kind.prose)
            )
    return tuple(found)
