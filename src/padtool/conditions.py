"""The condition language of the rule set: data, evaluated against answers, never code.

Evaluation is three-valued: a comparison on a question with no answer is unknown (None), so an
interview can tell "cannot apply" from "might apply once more is answered". Anything that asks
whether a condition *holds* treats unknown as not holding.

A "Don't know" answer (UNKNOWN, alone or among the options of a multi answer) is unknown too:
a comparison it cannot settle is None, never False, so that "Don't know" is never read as "no".
Only a comparison that names UNKNOWN itself compares it as a plain value.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import NamedTuple

AnswerValue = str | int | float | bool | list[str]
UNKNOWN = "unknown"  # the answer "Don't know"
Answers = Mapping[str, AnswerValue]

# Operators that compare one answer with a value given in the rule set.
COMPARISONS = (
    "equals",
    "in",
    "includes",
    "includes_any",
    "includes_all",
    "at_least",
    "at_most",
    "answered",
)


LARGEST_NUMBER = 10**15  # far beyond any count a jurisdiction reports; floats stay exact


def is_number(value: object) -> bool:
    """A finite int or float no larger than LARGEST_NUMBER; booleans are not numbers here."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    # Compare before any float conversion: an int like 10**400 has no float value at all.
    return -LARGEST_NUMBER <= value <= LARGEST_NUMBER


class Comparison(NamedTuple):
    """One answer compared with a value: `{question: Q, <operator>: value}`."""

    question: str
    operator: str
    value: AnswerValue


class AllOf(NamedTuple):
    conditions: tuple[Condition, ...]


class AnyOf(NamedTuple):
    conditions: tuple[Condition, ...]


class Not(NamedTuple):
    condition: Condition


Condition = Comparison | AllOf | AnyOf | Not


class Verdict(NamedTuple):
    """Whether a condition holds (None: unknown) and the answers that decided it.

    Each fact is (question id, the part of the answer that mattered): for includes on a multi
    answer only the options it matched, so a reason can quote exactly what the user said.
    """

    value: bool | None
    facts: tuple[tuple[str, AnswerValue | None], ...]

    @property
    def holds(self) -> bool:
        return self.value is True


def evaluate(condition: Condition, answers: Answers) -> Verdict:
    """Evaluate a condition against answers, naming the questions that decided the outcome."""
    if isinstance(condition, Comparison):
        return Verdict(
            compare(condition, answers), ((condition.question, _relevant(condition, answers)),)
        )
    if isinstance(condition, Not):
        inner = evaluate(condition.condition, answers)
        return Verdict(None if inner.value is None else not inner.value, inner.facts)
    verdicts = [evaluate(child, answers) for child in condition.conditions]
    decisive = isinstance(condition, AnyOf)  # the value that settles the group by itself
    settling = [v for v in verdicts if v.value is decisive]
    if settling:
        return Verdict(decisive, _facts(settling))
    if any(v.value is None for v in verdicts):
        return Verdict(None, _facts([v for v in verdicts if v.value is None]))
    return Verdict(not decisive, _facts(verdicts))


def value_of(condition: Condition, answers: Answers) -> bool | None:
    """`evaluate(condition, answers).value`, without collecting the facts behind it: what the
    engine asks of most conditions, many times for each answer set."""
    if isinstance(condition, Comparison):
        return compare(condition, answers)
    if isinstance(condition, Not):
        inner = value_of(condition.condition, answers)
        return None if inner is None else not inner
    decisive = isinstance(condition, AnyOf)  # the value that settles the group by itself
    unknown = False
    for child in condition.conditions:
        value = value_of(child, answers)
        if value is decisive:
            return decisive
        unknown = unknown or value is None
    return None if unknown else not decisive


def holds(condition: Condition | None, answers: Answers) -> bool:
    """True when the condition is absent or definitely holds."""
    return condition is None or value_of(condition, answers) is True


def may_hold(condition: Condition | None, answers: Answers) -> bool:
    """True unless the answers given so far already rule the condition out."""
    return condition is None or value_of(condition, answers) is not False


def referenced_questions(condition: Condition) -> set[str]:
    """Every question id the condition mentions."""
    return {comparison.question for comparison in comparisons(condition)}


def comparisons(condition: Condition) -> Iterator[Comparison]:
    """Every comparison in the condition, however deeply grouped."""
    if isinstance(condition, Comparison):
        yield condition
    elif isinstance(condition, Not):
        yield from comparisons(condition.condition)
    else:
        for child in condition.conditions:
            yield from comparisons(child)


def _facts(verdicts: list[Verdict]) -> tuple[tuple[str, AnswerValue | None], ...]:
    merged: dict[str, AnswerValue | None] = {}
    for question, value in (fact for v in verdicts for fact in v.facts):
        previous = merged.get(question)
        if isinstance(previous, list) and isinstance(value, list):
            value = previous + [v for v in value if v not in previous]
        merged[question] = value
    return tuple(merged.items())


def _relevant(comparison: Comparison, answers: Answers) -> AnswerValue | None:
    answer = answers.get(comparison.question)
    if not isinstance(answer, list) or not comparison.operator.startswith("includes"):
        return answer
    wanted = comparison.value if isinstance(comparison.value, list) else [comparison.value]
    matched = [value for value in answer if value in wanted]
    return matched or answer


def compare(comparison: Comparison, answers: Answers) -> bool | None:
    """One comparison against the answers: None when its question has no answer, or when a
    "Don't know" answer leaves it open."""
    answer = answers.get(comparison.question)
    operator, expected = comparison.operator, comparison.value
    if operator == "answered":
        return (answer is not None) is expected
    if answer is None:
        return None
    if UNKNOWN in _listed(expected):
        return _compare_known(operator, expected, answer)
    if answer == UNKNOWN:
        return None
    found = _compare_known(operator, expected, answer)
    if found is False and isinstance(answer, list) and UNKNOWN in answer:
        return None  # the options not chosen are not known to be absent
    return found


def is_dont_know(answer: AnswerValue | None) -> bool:
    """Whether the answer is, or includes, "Don't know"."""
    return answer == UNKNOWN or (isinstance(answer, list) and UNKNOWN in answer)


def _listed(value: AnswerValue) -> list[AnswerValue]:
    return list(value) if isinstance(value, list) else [value]


def _compare_known(operator: str, expected: AnswerValue, answer: AnswerValue) -> bool:
    if operator == "equals":
        return bool(answer == expected)
    if operator == "in":
        return answer in expected  # type: ignore[operator]
    chosen = answer if isinstance(answer, list) else [answer]
    if operator == "includes":
        return expected in chosen
    if operator == "includes_any":
        return any(value in chosen for value in expected)  # type: ignore[union-attr]
    if operator == "includes_all":
        return all(value in chosen for value in expected)  # type: ignore[union-attr]
    if isinstance(answer, bool) or not isinstance(answer, (int, float)):
        return False
    if operator == "at_least":
        return answer >= expected  # type: ignore[operator]
    return answer <= expected  # type: ignore[operator]
