"""Warnings about a valid rule set: things that are legal but probably wrong.

Pure checks on the typed rule set, so they run just as well on a set read from the cache. Each
warning names the file and, where the model keeps it, the line of what it is about.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from .conditions import Comparison, Condition, comparisons, referenced_questions
from .errors import Problem
from .model import Entry, Provider, Question, RuleSet, Source
from .reach import Reach, starting_set_blockers

# Operators whose value names option(s) of the question compared.
OPTION_OPERATORS = ("equals", "in", "includes", "includes_any", "includes_all")


def lint(rule_set: RuleSet) -> list[Problem]:
    """Every warning about the rule set: questions first, then entries, then providers."""
    conditions = list(rule_set.conditions())
    used = {c.question for condition in conditions for c in comparisons(condition)}
    mentioned: dict[str, set[str]] = {}
    for condition in conditions:
        for comparison in comparisons(condition):
            if comparison.operator in OPTION_OPERATORS:
                mentioned.setdefault(comparison.question, set()).update(_values(comparison))

    warnings: list[Problem] = []
    reach = Reach(rule_set)
    for question in rule_set.questions:
        warn = _located(question.file, question.line, f"question {question.id}")
        warnings.extend(warn(message) for message in _never_asked(question, reach))
        # The agency's name titles the report, text is free notes, and a question with a
        # profile sentence describes the jurisdiction in the report: each has a use of its own.
        exempt = (
            question.id == rule_set.agency_question
            or question.type == "text"
            or bool(question.profile or question.profile_no)
        )
        if question.id not in used:
            if not exempt:
                warnings.append(warn("no condition uses this question"))
            continue  # one warning for an unused question, not one per option as well
        if question.type in ("single", "multi"):
            for option in question.options:
                if option.value not in mentioned.get(question.id, set()):
                    warnings.append(warn(f"no condition mentions option '{option.value}'"))
        if question.source is not None:
            warnings.extend(warn(message) for message in _links([question.source.ref]))

    blocked = starting_set_blockers(rule_set, reach)
    for entry in rule_set.entries:
        warnings.extend(_entry_warnings(entry, rule_set.min_score))
        warnings.extend(_unreachable(entry, rule_set, reach, blocked.get(entry.id, ())))

    for provider in rule_set.providers:
        warn = _located(provider.file, provider.line, f"provider {provider.id}")
        if not provider.serves and provider.archived is None:
            warnings.append(warn("serves no entry: an overlay disabled every entry it served"))
        warnings.extend(warn(message) for message in _contact_warnings(provider))
        refs = [provider.url, *(s.ref for s in provider.sources)]
        warnings.extend(warn(message) for message in _links(refs))
    return list(dict.fromkeys(warnings))  # a link cited twice, say, is one warning


def _located(file: str, line: int, key: str) -> Callable[[str], Problem]:
    """A maker of warnings about one question, entry or provider, at its line when known."""
    return lambda message: Problem(file, message, line or None, key=key)


def _entry_warnings(entry: Entry, min_score: int) -> Iterator[Problem]:
    key = f"entry {entry.id}"
    if entry.max_score < min_score:
        yield Problem(
            entry.file,
            f"its fit rules add up to at most {entry.max_score}, below the rule set's "
            f"min_score {min_score}: can never be recommended",
            key=key,
        )
    fit_conditions = [rule.when for rule in entry.fit]
    for prerequisite in entry.prerequisites:
        if prerequisite.when in fit_conditions:
            yield Problem(
                entry.file,
                "prerequisite identical to a fit rule: the same answer is counted twice",
                prerequisite.line or None,
                key=key,
            )
    sources: list[Source] = [*entry.sources]
    sources.extend(example.source for example in entry.examples if example.source is not None)
    yield from (Problem(entry.file, m, key=key) for m in _links([s.ref for s in sources]))


def _never_asked(question: Question, reach: Reach) -> Iterator[str]:
    if question.when is not None and reach.never(question.when):
        yield "its 'when' condition can never be true: the question is never asked" + (
            _depends_on_never_asked(question.when, reach)
        )


def _unreachable(
    entry: Entry, rule_set: RuleSet, reach: Reach, above: tuple[Entry, ...]
) -> Iterator[Problem]:
    """A `requires` that never holds, or a starting set always filled by higher scores."""
    key = f"entry {entry.id}"
    if entry.requires is not None and reach.never(entry.requires.when):
        yield Problem(
            entry.file,
            "its 'requires' condition can never be true: can never be recommended"
            + _depends_on_never_asked(entry.requires.when, reach),
            entry.requires.line or None,
            key=key,
        )
    elif above and entry.max_score >= rule_set.min_score:
        verb = "scores" if len(above) == 1 else "score"
        yield Problem(
            entry.file,
            f"can never reach the starting set of {rule_set.starting_set_size}: "
            f"{_and([e.id for e in above])} always {verb} higher",
            key=key,
        )


def _depends_on_never_asked(condition: Condition, reach: Reach) -> str:
    names = [f"'{q}'" for q in sorted(referenced_questions(condition)) if reach.never_asked(q)]
    if not names:
        return ""
    return f" (it depends on {_and(names)}, which {'is' if len(names) == 1 else 'are'} never asked)"


def _and(names: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _contact_warnings(provider: Provider) -> Iterator[str]:
    """A contact_type the contact text does not bear out."""
    contact = provider.contact
    if provider.contact_type == "email" and "@" not in contact:
        yield "contact_type is email, but the contact gives no e-mail address"
    if provider.contact_type == "phone" and sum(c.isdigit() for c in contact) < 7:
        yield "contact_type is phone, but the contact gives no phone number"


def _links(refs: list[str]) -> Iterator[str]:
    for ref in refs:
        if ref.lower().startswith("http://"):
            yield f"link is not https: {ref}"


def _values(comparison: Comparison) -> set[str]:
    value = comparison.value
    items = value if isinstance(value, (list, tuple)) else [value]
    return {item for item in items if isinstance(item, str)}
