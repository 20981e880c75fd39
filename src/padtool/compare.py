"""Two answer sets side by side: which answers differ, and how the ranking moved.

Pure: no files, no printing. The renderers take the Comparison this module builds.
"""

from __future__ import annotations

from typing import NamedTuple

from .conditions import Answers, AnswerValue
from .engine import Recommendation, Result, applicable_questions, recommend
from .model import Entry, Question, RuleSet

NOT_ANSWERED = "(not answered)"
DOES_NOT_APPLY = "(does not apply)"


class AnswerDifference(NamedTuple):
    """One question answered differently, with both answers in the words the user saw."""

    question: Question
    a: AnswerValue | None  # None: not answered, or the question does not apply
    b: AnswerValue | None
    a_words: str
    b_words: str


class EntryMove(NamedTuple):
    """Where one entry stands under A and under B."""

    entry: Entry
    a: Recommendation
    b: Recommendation

    @property
    def rank_change(self) -> int:
        """Places gained from A to B: positive when the entry moved up the ranking."""
        return self.a.rank - self.b.rank

    @property
    def movement(self) -> str:
        change = self.rank_change
        if change > 0:
            return f"up {change}"
        if change < 0:
            return f"down {-change}"
        return "same rank"

    @property
    def set_change(self) -> str:
        """entered, left, stayed (in the starting set both times) or out (neither time)."""
        return {
            (False, True): "entered",
            (True, False): "left",
            (True, True): "stayed",
            (False, False): "out",
        }[(self.a.recommended, self.b.recommended)]


class Comparison(NamedTuple):
    label_a: str
    label_b: str
    a: Result
    b: Result
    answers: tuple[AnswerDifference, ...]  # in questionnaire order
    entries: tuple[EntryMove, ...]  # in B's ranking order

    @property
    def first_choice_a(self) -> Recommendation | None:
        return _first_choice(self.a)

    @property
    def first_choice_b(self) -> Recommendation | None:
        return _first_choice(self.b)

    @property
    def first_choice_changed(self) -> bool:
        first_a, first_b = self.first_choice_a, self.first_choice_b
        return (first_a.entry.id if first_a else None) != (first_b.entry.id if first_b else None)


def compare(
    rule_set: RuleSet, answers_a: Answers, answers_b: Answers, labels: tuple[str, str] = ("A", "B")
) -> Comparison:
    """Recommend for both answer sets and line the two results up."""
    result_a, result_b = recommend(rule_set, answers_a), recommend(rule_set, answers_b)
    by_id = {r.entry.id: r for r in result_a.recommendations}
    moves = tuple(EntryMove(r.entry, by_id[r.entry.id], r) for r in result_b.recommendations)
    return Comparison(
        labels[0], labels[1], result_a, result_b, _differences(rule_set, result_a, result_b), moves
    )


def _differences(rule_set: RuleSet, a: Result, b: Result) -> tuple[AnswerDifference, ...]:
    asked_a = {q.id for q in applicable_questions(rule_set, a.answers)}
    asked_b = {q.id for q in applicable_questions(rule_set, b.answers)}
    found = []
    for question in rule_set.questions:
        value_a, value_b = a.answers.get(question.id), b.answers.get(question.id)
        if _same(value_a, value_b):
            continue
        found.append(
            AnswerDifference(
                question,
                value_a,
                value_b,
                _words(question, value_a, question.id in asked_a),
                _words(question, value_b, question.id in asked_b),
            )
        )
    return tuple(found)


def _same(a: AnswerValue | None, b: AnswerValue | None) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return sorted(a) == sorted(b)  # the order options were ticked in means nothing
    if _numeric(a) and _numeric(b):
        return a == b  # 60 and 60.0 are the same count
    return type(a) is type(b) and a == b


def _numeric(value: AnswerValue | None) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _words(question: Question, value: AnswerValue | None, asked: bool) -> str:
    if value is None:
        return NOT_ANSWERED if asked else DOES_NOT_APPLY
    return question.describe(value)


def _first_choice(result: Result) -> Recommendation | None:
    return next((r for r in result.recommendations if r.first_choice), None)
