"""Which legal checks and funding items concern an entry, for these answers. Pure.

The rule set's `legal.yaml` and `funding.yaml` say what a jurisdiction must settle with counsel
and how programs like an entry are paid for; an item is shown for an entry it applies to when
its `when` (if any) holds, as any other condition: an unanswered question never makes it hold.
"""

from __future__ import annotations

from .conditions import Answers, holds, referenced_questions
from .model import Entry, KnowledgeItem, RuleSet


def items_for(
    items: tuple[KnowledgeItem, ...], entry: Entry, answers: Answers
) -> tuple[KnowledgeItem, ...]:
    """The items that apply to this entry and hold for these answers, in file order."""
    return tuple(i for i in items if i.applies_to_entry(entry) and holds(i.when, answers))


def state_note(rule_set: RuleSet, checks: tuple[KnowledgeItem, ...], answers: Answers) -> str:
    """What to say about state law beside an entry's legal checks: '' when one of them is about
    the state answered, or when the rule set has no state question."""
    qid = rule_set.state_question
    question = rule_set.question(qid) if qid else None
    if question is None:
        return ""
    state = answers.get(qid)
    if not isinstance(state, str):
        return "Add your state to see state-specific law."
    if any(c.when is not None and qid in referenced_questions(c.when) for c in checks):
        return ""
    return f"padtool has no state-specific law for {question.label(state)}."
