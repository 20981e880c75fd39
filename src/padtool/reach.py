"""Which conditions can hold, and which entries can reach the starting set. Pure.

A condition is decided by trying every answer set over a few representative answers to the
questions it mentions, and to the questions their own `when`s mention, asked in the engine's
order: a question whose `when` does not hold has no answer, as in `engine.applicable_answers`.
Two answers that every comparison involved treats alike are interchangeable, so one of each kind
is enough: a single question's options the conditions name plus one other, yes and no, the
subsets of the options a multi question's conditions name (only `includes*` and `answered` can
test a multi answer, so the other options change nothing; options named by the same comparisons
count alike, so of each such group it matters only whether none, one or all are chosen), each
number threshold, the ends of the question's range and a point between each two, each text
compared plus one other. No answer is a possibility only for an optional question: a required
one that is asked must be answered. Answer sets beyond `CAP` are not tried, and then nothing is
concluded.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise, product
from math import prod

from .conditions import (
    LARGEST_NUMBER,
    UNKNOWN,
    AllOf,
    AnswerValue,
    AnyOf,
    Comparison,
    Condition,
    Not,
    comparisons,
    is_number,
    referenced_questions,
    value_of,
)
from .engine import clears, fit_share, place
from .model import Entry, Question, RuleSet

CAP = 200_000  # answer sets tried for one condition; beyond it the condition may do anything
BOTH = frozenset((True, False))

Domain = list[AnswerValue | None]  # None: no answer


class _TooMany(Exception):
    pass


class Reach:
    """Which outcomes each condition can have, over every answer set; remembered per condition."""

    def __init__(self, rule_set: RuleSet, cap: int = CAP) -> None:
        self.rule_set = rule_set
        self.cap = cap
        self._known: dict[str, frozenset[bool]] = {}
        self._order = {q.id: index for index, q in enumerate(rule_set.questions)}

    def outcomes(self, condition: Condition) -> frozenset[bool]:
        """True if some answers make it hold, False if some do not; both when undecided."""
        key = repr(condition)  # conditions hold lists, so they cannot be keys themselves
        if key not in self._known:
            asked = [self.rule_set.questions[i] for i in sorted(self._closure(condition))]
            self._known[key] = _outcomes(condition, asked, self.cap)
        return self._known[key]

    def _closure(self, condition: Condition) -> set[int]:
        """The questions the condition depends on, directly or through their `when`."""
        wanted = {self._order[q] for q in referenced_questions(condition) if q in self._order}
        pending = list(wanted)
        while pending:
            when = self.rule_set.questions[pending.pop()].when
            if when is not None:
                new = {self._order[q] for q in referenced_questions(when) if q in self._order}
                pending.extend(new - wanted)
                wanted |= new
        return wanted

    def never(self, condition: Condition) -> bool:
        return True not in self.outcomes(condition)

    def always(self, condition: Condition) -> bool:
        return False not in self.outcomes(condition)

    def implies(self, first: Condition, second: Condition) -> bool:
        """Whether second is never false where first holds. It may be unknown there: a
        condition on a question that is not asked is neither true nor false."""
        return _implied_by_form(first, second) or self.never(AllOf((first, Not(second))))

    def never_asked(self, question_id: str) -> bool:
        question = self.rule_set.question(question_id)
        return question is not None and question.when is not None and self.never(question.when)


def _implied_by_form(first: Condition, second: Condition) -> bool:
    """An implication the conditions' form shows, with no search: first is second, one of its
    alternatives or all of its parts, or has it among its own parts. A rule set's usual case,
    a prerequisite that accepts the resource or something else, costs nothing to check."""
    if first == second:
        return True
    if isinstance(second, AnyOf) and any(_implied_by_form(first, c) for c in second.conditions):
        return True
    if isinstance(second, AllOf) and all(_implied_by_form(first, c) for c in second.conditions):
        return True
    return isinstance(first, AllOf) and any(_implied_by_form(c, second) for c in first.conditions)


def _outcomes(condition: Condition, asked: list[Question], cap: int) -> frozenset[bool]:
    """The outcomes of the condition over every answer set to these questions (in order)."""
    involved = [condition, *(q.when for q in asked if q.when is not None)]
    compared: dict[str, list[Comparison]] = {}
    for comparison in (c for each in involved for c in comparisons(each)):
        compared.setdefault(comparison.question, []).append(comparison)
    try:
        domains = [_domain(q, compared.get(q.id, []), cap) for q in asked]
        if prod(len(d) for d in domains) > cap:
            return BOTH
    except _TooMany:
        return BOTH
    found: set[bool] = set()
    _search(condition, asked, domains, {}, found)
    return frozenset(found)


def _search(
    condition: Condition,
    questions: Sequence[Question],
    domains: Sequence[Domain],
    kept: dict[str, AnswerValue],
    found: set[bool],
) -> bool:
    """Collect the condition's outcomes into found; True once both are seen."""
    if not questions:
        found.add(value_of(condition, kept) is True)
        return len(found) == 2
    question, rest, rest_domains = questions[0], questions[1:], domains[1:]
    if question.when is not None and value_of(question.when, kept) is not True:
        # not asked: no answer, whatever was given (engine.applicable_answers)
        return _search(condition, rest, rest_domains, kept, found)
    for answer in domains[0]:
        if answer is not None:
            kept[question.id] = answer
        done = _search(condition, rest, rest_domains, kept, found)
        kept.pop(question.id, None)
        if done:
            return True
    return False


def _domain(question: Question, compared: list[Comparison], cap: int) -> Domain:
    """One answer of each kind the comparisons tell apart, and no answer if that is allowed."""
    named = [v for c in compared if c.operator != "answered" for v in _listed(c.value)]
    answers: Domain = [] if question.required else [None]
    kind = question.kind
    if kind.choices:
        return [*answers, *kind.choices]
    if kind.numeric:
        return [*answers, *_numbers(question, named)]
    if kind.many:
        return [*answers, *_subsets(question, compared, cap)]
    if kind.options:
        values = [o.value for o in question.options]
        return [*answers, *_other([v for v in values if v in named], values)]
    texts = list(dict.fromkeys(v for v in named if isinstance(v, str)))
    other = "other"
    while other in texts:
        other += "+"
    return [*answers, *texts, other]


def _listed(value: AnswerValue) -> list[AnswerValue]:
    return list(value) if isinstance(value, list) else [value]


def _other(named: list[str], values: list[str]) -> list[str]:
    """The options named, then one option not named (they all behave alike), if any."""
    return named + [v for v in values if v not in named][:1]


def _subsets(question: Question, compared: list[Comparison], cap: int) -> list[AnswerValue]:
    """One answer of each kind to a multi question. Options that the same comparisons name are
    alike: includes_any sees whether one of them is chosen, includes_all whether all are. So of
    each group only none, one or (where includes_all names it) all are tried. "Don't know"
    leaves open a comparison that does not name it, so it is a group of its own, named or
    not. Options no comparison names change nothing."""
    named = [(c.operator, set(_listed(c.value))) for c in compared if c.operator != "answered"]
    anywhere = {UNKNOWN}.union(*(values for _, values in named))
    groups: dict[tuple[bool, ...], list[str]] = {}
    for value in (o.value for o in question.options if o.value in anywhere):
        named_by = tuple(value in values for _, values in named)
        groups.setdefault((*named_by, value == UNKNOWN), []).append(value)
    choices = []
    for key, members in groups.items():
        every = len(members) > 1 and any(
            operator == "includes_all" and held
            for (operator, _), held in zip(named, key, strict=False)  # key ends with UNKNOWN's
        )
        choices.append([[], members[:1], *([members] if every else [])])
    if prod(len(c) for c in choices) > cap:
        raise _TooMany
    return [[v for part in parts for v in part] for parts in product(*choices)]


def _numbers(question: Question, named: list[AnswerValue]) -> list[AnswerValue]:
    """Every threshold within the question's range, its ends, and a point between each two."""
    low = float(-LARGEST_NUMBER if question.min is None else question.min)
    high = float(LARGEST_NUMBER if question.max is None else question.max)
    thresholds = [float(v) for v in named if isinstance(v, (int, float)) and is_number(v)]
    points = sorted({low, high, *(t for t in thresholds if low <= t <= high)})
    middles = [(a + b) / 2 for a, b in pairwise(points)]
    between = [m for m, a, b in zip(middles, points, points[1:], strict=False) if a < m < b]
    return sorted({*points, *between})


# Scores and the starting set -------------------------------------------------------------------


def score_bounds(entry: Entry, reach: Reach) -> tuple[int, int]:
    """The lowest and highest score the entry can have, each term bounded on its own."""
    terms = [(rule.when, rule.weight, 0) for rule in entry.fit]
    terms += [(p.when, 0, -p.penalty) for p in entry.prerequisites]
    low = high = 0
    for condition, if_holds, if_not in terms:
        if if_holds == if_not:
            possible = [if_holds]
        else:
            outcomes = reach.outcomes(condition)
            possible = [v for o, v in ((True, if_holds), (False, if_not)) if o in outcomes]
        low, high = low + min(possible), high + max(possible)
    return low, high


def starting_set_blockers(rule_set: RuleSet, reach: Reach) -> dict[str, tuple[Entry, ...]]:
    """Entries that can never reach the starting set, each with the entries always above it
    (surest first).

    A place (a pathway with its single-pathway models, or a model spanning several) is surely
    above an entry when every member of it always fits better than the entry can, and one of
    its members can always start (see `_surely_starts`): whichever member stands for the place
    then takes a place in the set before the entry's turn (`engine.recommend`).
    """
    size = rule_set.starting_set_size
    places: dict[str, list[Entry]] = {}
    for entry in rule_set.entries:
        places.setdefault(place(entry), []).append(entry)
    shares = {e.id: _share_bounds(e, reach) for e in rule_set.entries}
    blocked: dict[str, tuple[Entry, ...]] = {}
    for entry in rule_set.entries:
        best = shares[entry.id][1]
        above = [
            members
            for name, members in places.items()
            if name != place(entry)
            and all(shares[m.id][0] > best for m in members)
            and any(_surely_starts(m, rule_set, reach) for m in members)
        ]
        if len(above) >= size:
            blocked[entry.id] = tuple(m for members in above for m in members)
    return blocked


def _share_bounds(entry: Entry, reach: Reach) -> tuple[float, float]:
    low, high = score_bounds(entry, reach)
    return fit_share(low, entry.max_score), fit_share(high, entry.max_score)


def _surely_starts(entry: Entry, rule_set: RuleSet, reach: Reach) -> bool:
    """Always eligible, always a clear fit, never held back by a missing blocker, and never
    one the agency could say it already runs."""
    low = score_bounds(entry, reach)[0]
    blockers = [p for p in entry.prerequisites if p.blocks_launch or not p.buildable]
    return (
        all(reach.always(r.when) for r in entry.requires)
        and clears(rule_set, low, entry.max_score)
        and all(reach.always(p.when) for p in blockers)
        and not _could_run(entry, rule_set)
    )


def _could_run(entry: Entry, rule_set: RuleSet) -> bool:
    """Whether the agency could answer that it already runs the entry (or, for a pathway, one
    of its models), which keeps it out of the starting set."""
    question = rule_set.question(rule_set.operating_question)
    if question is None:
        return False
    named = {o.value for o in question.options}
    models = {e.id for e in rule_set.entries if e.kind == "program-model"}
    return entry.id in named or (
        entry.kind == "pathway"
        and any(e.pathway == entry.id and e.id in named & models for e in rule_set.entries)
    )
