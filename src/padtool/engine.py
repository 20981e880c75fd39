"""Answers + rule set -> ranked recommendations with reasons, gaps, first steps and providers.

Pure: no files, no printing, no prompts. Every renderer takes the Result this module builds.
"""

from __future__ import annotations

from typing import NamedTuple

from .conditions import Answers, AnswerValue, evaluate, holds
from .knowledge import items_for, state_note
from .model import Entry, KnowledgeItem, Provider, Question, RuleSet


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
    why_not: str  # for entries outside the starting set: one line on why
    legal_checks: tuple[KnowledgeItem, ...] = ()  # what to settle with counsel
    funding: tuple[KnowledgeItem, ...] = ()  # how others pay for it
    legal_note: str = ""  # what the rule set knows of the state's own law, if it asks the state


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
    """Score every entry for these answers; rank the starting set first, then the rest."""
    kept = applicable_answers(rule_set, answers)
    assessed = [_assess(rule_set, entry, kept) for entry in rule_set.entries]
    by_score = sorted(assessed, key=lambda a: (-a.score, len(a.gaps)))  # stable: file order
    picked: list[_Assessment] = []
    why_not: dict[str, str] = {}
    for candidate in by_score:
        reason = _why_not_picked(rule_set, candidate, picked)
        if reason:
            why_not[candidate.entry.id] = reason
        else:
            picked.append(candidate)
    ranked = picked + [a for a in by_score if a not in picked]
    recommendations = tuple(
        _with_knowledge(
            rule_set,
            Recommendation(
                entry=a.entry,
                rank=rank,
                score=a.score,
                reasons=a.reasons,
                gaps=a.gaps,
                providers=rule_set.providers_for(a.entry),
                recommended=a in picked,
                first_choice=rank == 1 and a in picked,
                why_not=why_not.get(a.entry.id, ""),
            ),
            kept,
        )
        for rank, a in enumerate(ranked, start=1)
    )
    ignored = tuple(qid for qid in answers if qid not in kept)
    return Result(rule_set, kept, ignored, recommendations)


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
    score: int
    reasons: tuple[Reason, ...]
    gaps: tuple[Gap, ...]
    unmet_requirement: str  # the entry's requires.reason when it does not hold


def _assess(rule_set: RuleSet, entry: Entry, answers: Answers) -> _Assessment:
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
    requirement = entry.requires
    unmet = requirement.reason if requirement and not holds(requirement.when, answers) else ""
    return _Assessment(entry, score, tuple(reasons), gaps, unmet)


def _why_not_picked(rule_set: RuleSet, candidate: _Assessment, picked: list[_Assessment]) -> str:
    """Why the candidate stays out of the starting set, or '' to pick it."""
    if candidate.unmet_requirement:
        return candidate.unmet_requirement
    if candidate.score < rule_set.min_score:
        against = [r for r in candidate.reasons if r.weight < 0]
        if against:
            return min(against, key=lambda r: r.weight).text
        if not any(r.weight > 0 for r in candidate.reasons):
            return "None of its fit conditions matched your answers."
        return candidate.gaps[0].text if candidate.gaps else "Its fit score is too low."
    if rule_set.distinct_starting_set:
        for chosen in picked:
            if _same_pathway(candidate.entry, chosen.entry):
                return f"Same pathway as {chosen.entry.name}, already in your starting set."
    if len(picked) >= rule_set.starting_set_size:
        return "Other pathways fit your answers better."
    return ""


def _same_pathway(a: Entry, b: Entry) -> bool:
    # A model that spans several pathways (a co-responder team, say) is a way of delivering
    # them, not one of them: only a single-pathway model is that pathway.
    return a.pathways == (b.id,) or b.pathways == (a.id,)


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
