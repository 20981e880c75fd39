"""Why an entry scored what it did: its gate, every fit rule and prerequisite, step by step.

Pure: no files, no printing. Rank, score and the why-not line come from `engine.recommend`, so
an explanation can never disagree with the report it explains.
"""

from __future__ import annotations

from typing import NamedTuple

from .conditions import (
    AllOf,
    Answers,
    AnswerValue,
    Comparison,
    Condition,
    Not,
    comparisons,
    evaluate,
)
from .engine import Recommendation, Result, applicable_answers, fill_answers, recommend, state
from .model import Entry, FitRule, Question, RuleSet

HELD, NOT_HELD, OPEN = "held", "not held", "open (Don't know)"


class Check(NamedTuple):
    """One condition of the entry checked against the answers."""

    value: bool | None  # None: a "Don't know" answer leaves it open (engine.state)
    wanted: str  # the condition in words
    answers: tuple[str, ...]  # the answers it compared, "prompt: answer"
    # the answers worth quoting beside a reason: a list answer that lacks what the condition
    # wants is left out, since the reason already says what the answers do not show
    quoted: tuple[str, ...]

    @property
    def state(self) -> str:
        return OPEN if self.value is None else HELD if self.value else NOT_HELD

    @property
    def holds(self) -> bool:
        return self.value is True


class GateCheck(NamedTuple):
    check: Check
    reason: str  # what the engine says when the gate does not hold


class RuleCheck(NamedTuple):
    check: Check
    weight: int
    reason: str

    @property
    def points(self) -> int:
        return self.weight if self.check.holds else 0


class PrerequisiteCheck(NamedTuple):
    check: Check
    gap: str
    penalty: int
    buildable: bool

    @property
    def met(self) -> bool:
        return self.check.holds

    @property
    def points(self) -> int:
        return -self.penalty if self.check.value is False else 0


class Explanation(NamedTuple):
    result: Result
    recommendation: Recommendation
    gates: tuple[GateCheck, ...]  # the entry's `requires` clauses
    rules: tuple[RuleCheck, ...]  # in file order
    prerequisites: tuple[PrerequisiteCheck, ...]  # in file order

    @property
    def entry(self) -> Entry:
        return self.recommendation.entry

    @property
    def score(self) -> int:
        return sum(r.points for r in self.rules) + sum(p.points for p in self.prerequisites)

    @property
    def steps(self) -> str:
        """The score as a sum, e.g. "+3 +2 -2 = 3"; "0 = 0" when nothing counted."""
        terms = [f"{r.weight:+d}" for r in self.rules if r.check.holds]
        terms += [f"-{p.penalty}" for p in self.prerequisites if p.points]
        return f"{' '.join(terms) or '0'} = {self.score}"


def explain(rule_set: RuleSet, entry: Entry, answers: Answers) -> Explanation:
    """Check every condition of one entry against the answers, and where it ranked."""
    result = recommend(rule_set, answers)
    recommendation = next(r for r in result.recommendations if r.entry.id == entry.id)
    kept = applicable_answers(rule_set, answers)  # what the engine scored

    def check(condition: Condition) -> Check:
        verdict = evaluate(condition, kept)
        value = state(condition, kept)
        said = tuple(_said(rule_set, qid, answer) for qid, answer in verdict.facts)
        quoted = tuple(
            _said(rule_set, qid, answer)
            for qid, answer in verdict.facts
            if value is not False or not isinstance(answer, list)
        )
        return Check(value, describe(condition, rule_set), said, quoted)

    def reason(rule: FitRule) -> str:
        return _fill_wanted(rule_set, fill_answers(rule_set, rule.reason, kept), rule.when)

    return Explanation(
        result,
        recommendation,
        tuple(GateCheck(check(r.when), r.reason) for r in entry.requires),
        tuple(RuleCheck(check(r.when), r.weight, reason(r)) for r in entry.fit),
        tuple(
            PrerequisiteCheck(check(p.when), p.gap, p.penalty, p.buildable)
            for p in entry.prerequisites
        ),
    )


def _fill_wanted(rule_set: RuleSet, text: str, condition: Condition) -> str:
    """A reason's {question_id} left open by an unanswered question, filled with what the
    condition wants of it: "crisis calls {crisis_call_volume}" reads "crisis calls several
    times a day or daily" under what would count for the entry."""
    for comparison in comparisons(condition):
        placeholder = "{" + comparison.question + "}"
        values = comparison.value if isinstance(comparison.value, list) else [comparison.value]
        if placeholder not in text or comparison.operator == "answered":
            continue
        words = " or ".join(
            fill_answers(rule_set, placeholder, {comparison.question: v}) for v in values
        )
        if comparison.operator in ("at_least", "at_most"):
            words = f"{comparison.operator.replace('_', ' ')} {words}"
        text = text.replace(placeholder, words)
    return text


def describe(condition: Condition, rule_set: RuleSet, by_id: bool = False) -> str:
    """A condition in plain words, with question prompts (or ids, where the ids are shown
    beside it) and option labels."""
    if isinstance(condition, Comparison):
        question = rule_set.question(condition.question)
        prompt = question.prompt if question and not by_id else condition.question
        return f"{prompt}: {_wanted(condition, question)}"
    if isinstance(condition, Not):
        return f"not ({describe(condition.condition, rule_set, by_id)})"
    word = "all of" if isinstance(condition, AllOf) else "any of"
    parts = "; ".join(describe(c, rule_set, by_id) for c in condition.conditions)
    return f"{word} ({parts})"


def _wanted(comparison: Comparison, question: Question | None) -> str:
    operator, value = comparison.operator, comparison.value
    if operator == "answered":
        return "is answered" if value else "is not answered"
    if operator in ("at_least", "at_most"):
        return f"{operator.replace('_', ' ')} {_words(question, value)}"
    if isinstance(value, list):
        listed = ", ".join(_words(question, v) for v in value)
        phrase = {"in": "is one of", "includes_any": "includes any of"}
        return f"{phrase.get(operator, 'includes all of')}: {listed}"
    return f"{'includes' if operator == 'includes' else 'is'} {_words(question, value)}"


def _words(question: Question | None, value: AnswerValue) -> str:
    if question is None:
        return str(value)
    if isinstance(value, str) and question.kind.options:
        return question.label(value)
    return question.describe(value)


def _said(rule_set: RuleSet, question_id: str, value: AnswerValue | None) -> str:
    question = rule_set.question(question_id)
    prompt = question.prompt if question else question_id
    if value is None:
        return f"{prompt}: (no answer)"
    return f"{prompt}: {_words(question, value)}"
