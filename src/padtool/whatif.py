"""What if one or two answers were different? The levers that move an entry into or out of the
starting set.

Pure: no files, no printing. Every candidate change comes from the rule set itself: for each
question that applies, every other option of a single-choice question, the other value of a
yes/no question, adding or removing one option of a multi-choice question, and for a number
question the thresholds its `at_least`/`at_most` conditions name. Text questions are skipped.
Each candidate is run through the engine once and every target entry is read off the result.

A change is "a resource you could build" for an entry when it touches a question that one of
the entry's `buildable` prerequisites refers to, breaks none of those prerequisites that held,
and builds: it adds an option (a service, a partner) to a multi-choice question, or it gives
another answer that meets one of those prerequisites that was unmet. Taking an option away,
or a new answer that meets none of them ("Don't know"), is a change but not a resource.
"""

from __future__ import annotations

from itertools import combinations
from typing import NamedTuple

from .conditions import Answers, AnswerValue, comparisons, holds
from .conditions import referenced_questions as referenced
from .engine import Recommendation, Result, applicable_answers, applicable_questions, recommend
from .model import Entry, Question, RuleSet

OUTSIDE = 3  # entries just outside the starting set that are looked at
MOST_LEVERS = 3  # single changes reported per entry
PAIR_POOL = 15  # best single changes (by score gain) combined in pairs when none flips alone


class Change(NamedTuple):
    """One answer changed: `set` a new answer, or `add`/`remove` one option of a multi answer."""

    question: Question
    kind: str  # set | add | remove
    value: AnswerValue  # the new answer (set) or the option added or removed
    before: AnswerValue | None  # None: not answered

    def apply(self, answers: Answers) -> dict[str, AnswerValue]:
        changed = dict(answers)
        qid = self.question.id
        if self.kind == "set":
            changed[qid] = self.value
            return changed
        current = answers.get(qid)
        chosen = list(current) if isinstance(current, list) else []
        if self.kind == "add":
            chosen.append(str(self.value))
        else:
            chosen = [v for v in chosen if v != self.value]
        changed[qid] = chosen
        return changed

    @property
    def words(self) -> str:
        """The change in the user's words: the prompt, the new answer and the current one."""
        question = self.question
        now = "not answered" if self.before is None else question.describe(self.before)
        if self.kind == "set":
            return f"{question.prompt.rstrip('?')}: {question.describe(self.value)} (now: {now})"
        verb = "add" if self.kind == "add" else "remove"  # the rest of the answer stays
        return f"{question.prompt.rstrip('?')}: {verb} {question.label(str(self.value))}"


class Lever(NamedTuple):
    """One or two changes that move an entry into (or out of) the starting set."""

    changes: tuple[Change, ...]
    rank: int  # the entry's rank after the changes
    score: int  # its score after the changes
    buildable: bool  # every change is a resource the jurisdiction could build
    # What takes its place: the entries that join the starting set as it leaves, or that
    # leave as it joins.
    swapped: tuple[Entry, ...] = ()

    @property
    def words(self) -> str:
        if len(self.changes) == 1:
            return self.changes[0].words
        return "two changes: " + " and ".join(c.words for c in self.changes)


class Target(NamedTuple):
    """An entry in the starting set, or just outside it, and the levers that flip it."""

    now: Recommendation
    levers: tuple[Lever, ...]  # best first; empty when no single change or pair flips it

    @property
    def moves(self) -> str:
        """`in` when the levers bring the entry into the starting set, `out` when they drop it."""
        return "out" if self.now.recommended else "in"


class WhatIf(NamedTuple):
    result: Result  # the answers as given
    targets: tuple[Target, ...]  # the starting set, then the entries just outside it
    tried: int  # single changes tried


def what_if(rule_set: RuleSet, answers: Answers) -> WhatIf:
    """The smallest answer changes that move each target entry into or out of the set."""
    result = recommend(rule_set, answers)
    base = result.answers
    outside = [r for r in result.recommendations if not r.recommended][:OUTSIDE]
    targets = [*result.starting_set, *outside]
    changes = candidate_changes(rule_set, base)
    runs = [_standing(recommend(rule_set, change.apply(base))) for change in changes]
    found = []
    for now in targets:
        levers = _levers(rule_set, base, now, changes, runs, _standing(result))
        found.append(Target(now, levers))
    return WhatIf(result, tuple(found), len(changes))


def candidate_changes(rule_set: RuleSet, answers: Answers) -> list[Change]:
    """Every single-answer change worth trying, in questionnaire order."""
    kept = applicable_answers(rule_set, answers)
    thresholds = _thresholds(rule_set)
    changes: list[Change] = []
    for question in applicable_questions(rule_set, kept):
        before = kept.get(question.id)
        kind = question.kind
        if kind.many:  # each option is a lever of its own
            chosen = before if isinstance(before, list) else []
            for option in question.options:
                change = "remove" if option.value in chosen else "add"
                changes.append(Change(question, change, option.value, before))
            continue
        if kind.options:
            values: list[AnswerValue] = [o.value for o in question.options if o.value != before]
        elif kind.choices:
            values = [v for v in kind.choices if before is None or v is not before]
        elif kind.numeric:
            values = [n for n in thresholds.get(question.id, []) if _allowed(question, n, before)]
        else:
            continue  # prose: a name or a note, never a lever
        changes.extend(Change(question, "set", value, before) for value in values)
    return changes


_Standing = dict[str, Recommendation]


def _standing(result: Result) -> _Standing:
    return {r.entry.id: r for r in result.recommendations}


def _levers(
    rule_set: RuleSet,
    base: Answers,
    now: Recommendation,
    changes: list[Change],
    runs: list[_Standing],
    before: _Standing,
) -> tuple[Lever, ...]:
    entry = now.entry
    singles = [
        Lever(
            (change,),
            after.rank,
            after.score,
            _buildable(entry, change, base),
            _swapped(entry, before, run),
        )
        for change, run in zip(changes, runs, strict=True)
        for after in [run[entry.id]]
        if _flips(now, after)
    ]
    if singles:
        return tuple(sorted(singles, key=lambda lever: _order(now, lever))[:MOST_LEVERS])
    # No single change flips it: combine the changes that move it furthest the right way.
    sign = 1 if not now.recommended else -1
    gains = sorted(
        range(len(changes)),
        key=lambda i: (
            -sign * (runs[i][entry.id].score - now.score),
            sign * (runs[i][entry.id].rank - now.rank),
            i,
        ),
    )
    pool = [i for i in gains if sign * (runs[i][entry.id].score - now.score) > 0][:PAIR_POOL]
    pairs = []
    for i, j in combinations(sorted(pool), 2):
        first, second = changes[i], changes[j]
        if first.question.id == second.question.id and "set" in (first.kind, second.kind):
            continue  # one answer cannot take two new values
        standing = _standing(recommend(rule_set, second.apply(first.apply(base))))
        after = standing[entry.id]
        if _flips(now, after):
            built = _buildable(entry, first, base) and _buildable(entry, second, base)
            swapped = _swapped(entry, before, standing)
            pairs.append(Lever((first, second), after.rank, after.score, built, swapped))
    return tuple(sorted(pairs, key=lambda lever: _order(now, lever))[:1])


def _flips(now: Recommendation, after: Recommendation) -> bool:
    """Whether the change moves the entry into or out of the starting set. A change of whether
    the agency already runs it (or its program model) moves it by definition: the starting
    set is what to start. That is no lever to show."""
    return after.recommended != now.recommended and after.operating == now.operating


def _swapped(entry: Entry, before: _Standing, after: _Standing) -> tuple[Entry, ...]:
    """The other entries whose place in the starting set changes the other way round."""
    moved_in = after[entry.id].recommended
    return tuple(
        r.entry
        for r in sorted(after.values(), key=lambda r: r.rank)
        if r.entry.id != entry.id
        and before[r.entry.id].recommended == moved_in
        and r.recommended != moved_in
    )


def _order(now: Recommendation, lever: Lever) -> tuple[bool, int]:
    """Resources it could build first; then the best new rank (moving in) or the furthest drop."""
    return (not lever.buildable, lever.rank if not now.recommended else -lever.rank)


def _buildable(entry: Entry, change: Change, base: Answers) -> bool:
    prerequisites = [
        p for p in entry.prerequisites if p.buildable and change.question.id in referenced(p.when)
    ]
    if not prerequisites or change.kind == "remove":
        return False
    after = change.apply(base)
    if any(holds(p.when, base) and not holds(p.when, after) for p in prerequisites):
        return False
    # Adding an option (a service, a partner) builds; another answer must meet a prerequisite.
    return change.kind == "add" or any(
        holds(p.when, after) and not holds(p.when, base) for p in prerequisites
    )


def _thresholds(rule_set: RuleSet) -> dict[str, list[float]]:
    """For each number question, answers on both sides of every threshold its conditions name."""
    found: dict[str, list[float]] = {}
    for comparison in (c for condition in rule_set.conditions() for c in comparisons(condition)):
        limit = comparison.value
        if comparison.operator not in ("at_least", "at_most") or not _number(limit):
            continue
        assert isinstance(limit, int | float)
        other = limit - 1 if comparison.operator == "at_least" else limit + 1
        values = found.setdefault(comparison.question, [])
        values += [v for v in (limit, other) if v not in values]
    return {qid: sorted(values) for qid, values in found.items()}


def _allowed(question: Question, value: float, before: AnswerValue | None) -> bool:
    if value == before:
        return False
    if question.min is not None and value < question.min:
        return False
    return question.max is None or value <= question.max


def _number(value: AnswerValue) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
