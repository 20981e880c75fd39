"""Warnings about a valid rule set: things that are legal but probably wrong.

Pure checks on the typed rule set, so they run just as well on a set read from the cache. A
provider serving no entry is not checked here: the loader already rejects an empty `serves`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .conditions import AllOf, AnyOf, Comparison, Condition, Not
from .errors import Problem
from .model import Entry, RuleSet, Source

# Operators whose value names option(s) of the question compared.
OPTION_OPERATORS = ("equals", "in", "includes", "includes_any", "includes_all")


def lint(rule_set: RuleSet) -> list[Problem]:
    """Every warning about the rule set: questions first, then entries, then providers."""
    conditions = list(_all_conditions(rule_set))
    used = {c.question for condition in conditions for c in _comparisons(condition)}
    mentioned: dict[str, set[str]] = {}
    for condition in conditions:
        for comparison in _comparisons(condition):
            if comparison.operator in OPTION_OPERATORS:
                mentioned.setdefault(comparison.question, set()).update(_values(comparison))

    warnings: list[Problem] = []
    questions_file = str(Path(rule_set.location) / "questions.yaml")
    for question in rule_set.questions:
        key = f"question {question.id}"
        exempt = question.id == rule_set.agency_question or question.type == "text"
        if question.id not in used:
            if not exempt:
                warnings.append(Problem(questions_file, "no condition uses this question", key=key))
            continue  # one warning for an unused question, not one per option as well
        if question.type in ("single", "multi"):
            for option in question.options:
                if option.value not in mentioned.get(question.id, set()):
                    warnings.append(
                        Problem(
                            questions_file,
                            f"no condition mentions option '{option.value}'",
                            key=key,
                        )
                    )
        if question.source is not None:
            warnings.extend(_links(questions_file, key, [question.source.ref]))

    for entry in rule_set.entries:
        warnings.extend(_entry_warnings(entry, rule_set.min_score))

    providers_file = str(Path(rule_set.location) / "providers.yaml")
    for provider in rule_set.providers:
        refs = [provider.url, *(s.ref for s in provider.sources)]
        warnings.extend(_links(providers_file, f"provider {provider.id}", refs))
    return list(dict.fromkeys(warnings))  # a link cited twice, say, is one warning


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
                key=key,
            )
    sources: list[Source] = [*entry.sources]
    sources.extend(example.source for example in entry.examples if example.source is not None)
    yield from _links(entry.file, key, [s.ref for s in sources])


def _links(file: str, key: str, refs: list[str]) -> Iterator[Problem]:
    for ref in refs:
        if ref.lower().startswith("http://"):
            yield Problem(file, f"link is not https: {ref}", key=key)


def _all_conditions(rule_set: RuleSet) -> Iterator[Condition]:
    for question in rule_set.questions:
        if question.when is not None:
            yield question.when
    for entry in rule_set.entries:
        if entry.requires is not None:
            yield entry.requires.when
        yield from (rule.when for rule in entry.fit)
        yield from (prerequisite.when for prerequisite in entry.prerequisites)


def _comparisons(condition: Condition) -> Iterator[Comparison]:
    if isinstance(condition, Comparison):
        yield condition
    elif isinstance(condition, Not):
        yield from _comparisons(condition.condition)
    elif isinstance(condition, (AllOf, AnyOf)):
        for child in condition.conditions:
            yield from _comparisons(child)


def _values(comparison: Comparison) -> set[str]:
    value = comparison.value
    items = value if isinstance(value, (list, tuple)) else [value]
    return {item for item in items if isinstance(item, str)}
