"""Answers + rule set -> ranked recommendations with reasons, gaps, first steps and providers.

Pure: no files, no printing, no prompts. Every renderer takes the Result this module builds.
"""

from __future__ import annotations

from typing import NamedTuple

from .conditions import Answers, AnswerValue, evaluate, holds
from .model import Entry, Provider, Question, RuleSet


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
    weight: int
    evidence: tuple[Evidence, ...]


class Gap(NamedTuple):
    text: str
    penalty: int
    buildable: bool


class Recommendation(NamedTuple):
    entry: Entry
    rank: int
    score: int
    reasons: tuple[Reason, ...]  # fit rules that held, strongest first (negative ones last)
    gaps: tuple[Gap, ...]
    providers: tuple[Provider, ...]
    recommended: bool  # in the starting set
    first_choice: bool

    @property
    def why_not(self) -> str:
        """One line on why an entry outside the starting set is not recommended now."""
        against = [r for r in self.reasons if r.weight < 0]
        if against:
            return against[0].text
        if not any(r.weight > 0 for r in self.reasons):
            return "None of its fit conditions matched your answers."
        if self.gaps:
            return self.gaps[0].text
        return "Other pathways fit your answers better."


class Result(NamedTuple):
    rule_set: RuleSet
    answers: dict[str, AnswerValue]  # the answers that applied, in question order
    ignored: tuple[str, ...]  # answered questions whose condition did not hold
    recommendations: tuple[Recommendation, ...]  # best first

    @property
    def starting_set(self) -> tuple[Recommendation, ...]:
        return tuple(r for r in self.recommendations if r.recommended)

    @property
    def agency(self) -> str:
        value = self.answers.get(self.rule_set.agency_question)
        return value if isinstance(value, str) else ""


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


def recommend(rule_set: RuleSet, answers: Answers) -> Result:
    """Score and rank every entry for these answers."""
    kept = applicable_answers(rule_set, answers)
    scored = [_score(rule_set, entry, kept) for entry in rule_set.entries]
    order = sorted(range(len(scored)), key=lambda i: (-scored[i][0], len(scored[i][2]), i))
    picked = [i for i in order if scored[i][0] >= rule_set.min_score]
    picked = picked[: rule_set.starting_set_size]
    recommendations = tuple(
        Recommendation(
            entry=rule_set.entries[i],
            rank=rank,
            score=scored[i][0],
            reasons=scored[i][1],
            gaps=scored[i][2],
            providers=rule_set.providers_for(rule_set.entries[i]),
            recommended=i in picked,
            first_choice=bool(picked) and i == picked[0],
        )
        for rank, i in enumerate(order, start=1)
    )
    ignored = tuple(qid for qid in answers if qid not in kept)
    return Result(rule_set, kept, ignored, recommendations)


def _score(
    rule_set: RuleSet, entry: Entry, answers: Answers
) -> tuple[int, tuple[Reason, ...], tuple[Gap, ...]]:
    reasons = []
    for rule in entry.fit:
        verdict = evaluate(rule.when, answers)
        if verdict.holds:
            reasons.append(Reason(rule.reason, rule.weight, _evidence(rule_set, verdict.facts)))
    gaps = tuple(
        Gap(p.gap, p.penalty, p.buildable)
        for p in entry.prerequisites
        if not holds(p.when, answers)
    )
    score = sum(r.weight for r in reasons) - sum(g.penalty for g in gaps)
    reasons.sort(key=lambda r: -r.weight)
    return score, tuple(reasons), gaps


def _evidence(
    rule_set: RuleSet, facts: tuple[tuple[str, AnswerValue | None], ...]
) -> tuple[Evidence, ...]:
    found = []
    for qid, value in facts:
        question = rule_set.question(qid)
        if question is not None and value is not None:
            found.append(
                Evidence(qid, question.prompt, question.describe(value), question.type == "text")
            )
    return tuple(found)
