"""Which question comes next, how far along the user is, and reading a typed number.

Pure: the terminal interview and the live room's browser pages both walk the questionnaire
through these, so both ask the same questions in the same order.
"""

from __future__ import annotations

from collections.abc import Collection

from .conditions import Answers, may_hold
from .engine import applicable_answers, applicable_questions
from .model import Question, RuleSet


def first_open(rule_set: RuleSet, answers: Answers, skipped: Collection[str]) -> int:
    """The position of the first applicable question neither answered nor skipped (the
    number of applicable questions when none is left)."""
    questions = applicable_questions(rule_set, answers)
    return next(
        (i for i, q in enumerate(questions) if q.id not in answers and q.id not in skipped),
        len(questions),
    )


def passed_over(rule_set: RuleSet, answers: Answers) -> set[str]:
    """The optional questions with no answer before the last one answered. The interview asks
    in order and a session keeps answers only, so a resumed session had skipped these: they
    are not asked again."""
    questions = applicable_questions(rule_set, answers)
    answered = [i for i, q in enumerate(questions) if q.id in answers]
    if not answered:
        return set()
    return {q.id for q in questions[: answered[-1]] if q.id not in answers and not q.required}


def progress(rule_set: RuleSet, answers: Answers, current: Question) -> tuple[int, int]:
    """ "Question N of M": M counts the questions that can still apply to the answers so far,
    so it shrinks (or grows) as answers rule questions out (or in); total_note says so."""
    kept = applicable_answers(rule_set, answers)
    possible = [q for q in rule_set.questions if may_hold(q.when, kept)]
    return possible.index(current) + 1, len(possible)


def total_note(before: int, now: int) -> str:
    """What changed in the number of questions since the last one, in words ('' if nothing)."""
    if not before or before == now:
        return ""
    change = before - now if before > now else now - before
    questions = "question" if change == 1 else "questions"
    if now < before:
        return f"(your answers ruled out {change} {questions})"
    return f"(your answers brought in {change} more {questions})"
