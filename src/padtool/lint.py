"""Warnings about a valid rule set: things that are legal but probably wrong.

Pure checks on the typed rule set, so they run just as well on a set read from the cache. Each
warning names the file and, where the model keeps it, the line of what it is about.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

from .conditions import (
    UNKNOWN,
    Comparison,
    Condition,
    comparisons,
    referenced_questions,
)
from .errors import Problem
from .model import Entry, Provider, Question, RuleSet, Source
from .reach import Reach, starting_set_blockers

# Authoring notes that must not reach a report ("program name not found"): they belong in
# `notes:`, which no report shows.
_PLACEHOLDER_PHRASES = (
    *("not found", "not stated", "not in the sources", "seed documents", "seed document"),
    *("todo", "tbd", "fixme", "xxx"),
)
_PLACEHOLDER = re.compile(
    rf"\b(?:{'|'.join(_PLACEHOLDER_PHRASES)})\b|\(\s*unknown\b[^)]*\)|^\s*unknown\W*$",
    re.IGNORECASE,
)
# Every match holds one of these: when no text does, the regex is not run at all (trying each
# alternative at every position of two thousand texts was half of `validate`'s checks).
_PLACEHOLDER_WORDS = (*_PLACEHOLDER_PHRASES, "unknown")

# Operators whose value names option(s) of the question compared.
OPTION_OPERATORS = ("equals", "in", "includes", "includes_any", "includes_all")


def lint(rule_set: RuleSet) -> list[Problem]:
    """Every warning about the rule set: questions first, then entries, then providers."""
    conditions = list(rule_set.conditions())
    used = {c.question for condition in conditions for c in comparisons(condition)}
    # A question only legal checks or funding items use (the state, say) chooses what a report
    # says; an option none of them names is answered plainly ("no state-specific law for ...").
    knowledge_only = {
        c.question for condition in rule_set.knowledge_conditions() for c in comparisons(condition)
    } - used
    if rule_set.state_question:  # a state with nothing of its own is said so plainly
        knowledge_only.add(rule_set.state_question)
    used |= knowledge_only
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
            or question.kind.prose
            or bool(question.profile or question.profile_no)
        )
        if question.id not in used:
            if not exempt:
                warnings.append(warn("no condition uses this question"))
            continue  # one warning for an unused question, not one per option as well
        if question.kind.options and question.id not in knowledge_only:
            for option in question.options:
                # "Don't know" needs no rule: the engine reads it as uncertain everywhere.
                if option.value != UNKNOWN and option.value not in mentioned.get(
                    question.id, set()
                ):
                    warnings.append(warn(f"no condition mentions option '{option.value}'"))
        if question.source is not None:
            warnings.extend(warn(message) for message in _links([question.source.ref]))

    blocked = starting_set_blockers(rule_set, reach)
    for entry in rule_set.entries:
        warnings.extend(_entry_warnings(entry, rule_set.min_score))
        warnings.extend(_unreachable(entry, rule_set, reach, blocked.get(entry.id, ())))
        warnings.extend(_resource_contradictions(entry, rule_set, reach))

    for provider in rule_set.providers:
        warn = _located(provider.file, provider.line, f"provider {provider.id}")
        if not provider.serves and provider.archived is None:
            warnings.append(warn("serves no entry: an overlay disabled every entry it served"))
        warnings.extend(warn(message) for message in _contact_warnings(provider))
        refs = [provider.url, *(s.ref for s in provider.sources)]
        warnings.extend(warn(message) for message in _links(refs))
    knowledge = [("legal check", i) for i in rule_set.legal_checks]
    for kind, item in knowledge + [("funding item", i) for i in rule_set.funding]:
        warn = _located(item.file, item.line, f"{kind} {item.id}")
        if not item.applies_to:
            warnings.append(warn("applies to no entry: an overlay disabled every entry it named"))
        if item.when is not None and reach.never(item.when):
            never = "its 'when' condition can never be true: it is never shown"
            warnings.append(warn(never + _depends_on_never_asked(item.when, reach)))
        warnings.extend(warn(message) for message in _links([s.ref for s in item.sources]))
    warnings.extend(_placeholders(rule_set))
    warnings.extend(_unlisted_programs(rule_set))
    return list(dict.fromkeys(warnings))  # a link cited twice, say, is one warning


def _resource_contradictions(entry: Entry, rule_set: RuleSet, reach: Reach) -> Iterator[Problem]:
    """No report may say that a shared resource exists and that it is missing. A resource's
    `have` is what it means, defined once: reasons, steps (`closes`) and "What to build first"
    read it. So a prerequisite naming the resource must never show its gap while `have` holds,
    and a prerequisite restating `have` by hand must name the resource instead."""
    resources = {r.id: r for r in rule_set.resources}
    for prerequisite in entry.prerequisites:
        here = _located(entry.file, prerequisite.line, f"entry {entry.id}")
        named = resources.get(prerequisite.resource)
        if named is not None:
            if not reach.implies(named.have, prerequisite.when):
                yield here(
                    f"prerequisite names resource '{named.id}' but its 'when' can fail while the"
                    f" resource exists: from the same answers a report could say"
                    f" '{prerequisite.gap}' and elsewhere that '{named.name}' is there; drop the"
                    f" 'when', or make it hold whenever the resource's 'have' does"
                )
            continue
        for resource in rule_set.resources:
            if prerequisite.when == resource.have or prerequisite.gap == resource.missing:
                yield here(
                    f"prerequisite restates resource '{resource.id}': name it with"
                    f" 'resource: {resource.id}', so what it means is defined once"
                )


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
        # With no penalty a prerequisite only names the gap; the fit rule alone scores it. One
        # naming a shared resource is meant to count twice: a reason to choose the pathway
        # and something to build (pathways/README.md).
        if (
            prerequisite.penalty
            and not prerequisite.resource
            and prerequisite.when in fit_conditions
        ):
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
    never = [r for r in entry.requires if reach.never(r.when)]
    for requirement in never:
        yield Problem(
            entry.file,
            "its 'requires' condition can never be true: can never be recommended"
            + _depends_on_never_asked(requirement.when, reach),
            requirement.line or None,
            key=key,
        )
    if never:
        return
    if above and entry.max_score >= rule_set.min_score:
        verb = "fits" if len(above) == 1 else "fit"
        yield Problem(
            entry.file,
            f"can never reach the starting set of {rule_set.starting_set_size}: "
            f"{_and([e.id for e in above])} always {verb} better",
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


def _placeholders(rule_set: RuleSet) -> Iterator[Problem]:
    """Placeholder phrases in text a report or the terminal shows, at the line they are on."""
    shown = list(_shown_texts(rule_set))
    # casefold, not lower: it folds what re.IGNORECASE folds (the long s, the Kelvin sign)
    everything = "\n".join(text for *_, text in shown).casefold()
    if not any(word in everything for word in _PLACEHOLDER_WORDS):
        return
    for file, line, key, text in shown:
        found = _PLACEHOLDER.search(text)
        if found:
            window = text[max(0, found.start() - 40) : found.end()]
            yield Problem(
                file,
                f"placeholder '{found.group().strip()}' in text a report shows: "
                "fix it from the source, or move the remark to notes",
                _line_of(file, line, window) or _line_of(file, line, found.group()) or line or None,
                key=key,
            )


def _shown_texts(rule_set: RuleSet) -> Iterator[tuple[str, int, str, str]]:
    """(file, line where its item starts, key, text) of every text shown to users; notes and
    ids are not shown."""
    ruleset_file = f"{rule_set.location}/ruleset.yaml"
    for text in (rule_set.name, rule_set.disclaimer):
        yield ruleset_file, 1, "rule set", text
    for q in rule_set.questions:
        for text in (q.prompt, q.help, q.profile, q.profile_no, *(o.label for o in q.options)):
            yield q.file, q.line, f"question {q.id}", text
        yield from ((q.file, q.line, f"question {q.id}", t) for t in _titles([q.source]))
    for entry in rule_set.entries:
        yield from ((entry.file, 1, f"entry {entry.id}", t) for t in _entry_texts(entry))
    for provider in rule_set.providers:
        key = f"provider {provider.id}"
        yield from ((provider.file, provider.line, key, t) for t in _provider_texts(provider))
    for resource in rule_set.resources:
        key = f"resource {resource.id}"
        texts = (resource.name, resource.missing, resource.build, resource.find_out)
        yield from ((resource.file, resource.line, key, t) for t in texts)


def _entry_texts(entry: Entry) -> Iterator[str]:
    yield from (entry.name, entry.summary, entry.definition, entry.initiated_by)
    yield from (entry.charges_note, *entry.target_population)
    yield from (requirement.reason for requirement in entry.requires)
    yield from (rule.reason for rule in entry.fit)
    yield from (text for p in entry.prerequisites for text in (p.gap, p.find_out))
    for step in (*entry.first_steps, *entry.partners):
        yield from (step.text, step.instead)
    yield from entry.measures
    for example in entry.examples:
        yield from (example.name, example.place, example.year, *_titles([example.source]))
    yield from _titles(entry.sources)


def _provider_texts(provider: Provider) -> Iterator[str]:
    yield from (provider.name, provider.offers, provider.contact, provider.cost)
    yield from _titles(provider.sources)


def _titles(sources: Iterable[Source | None]) -> Iterator[str]:
    return (source.title for source in sources if source is not None)


def _line_of(file: str, start: int, fragment: str) -> int | None:
    """The first line from `start` on whose text holds `fragment` (ignoring case)."""
    wanted = fragment.lower()
    lines = _file_lines(file)
    return next((n for n in range(max(start, 1), len(lines) + 1) if wanted in lines[n - 1]), None)


@lru_cache(maxsize=64)
def _file_lines(file: str) -> tuple[str, ...]:
    """A rule file's lines in lower case; none when it cannot be read (a set from elsewhere)."""
    try:
        with open(file, encoding="utf-8-sig") as handle:
            return tuple(line.lower() for line in handle)
    except (OSError, UnicodeDecodeError):
        return ()


def _unlisted_programs(rule_set: RuleSet) -> Iterator[Problem]:
    """Every entry is an option of the programs-operating and -planning questions, so an agency
    can say that it runs or plans any of them."""
    for key, qid in (
        ("operating_question", rule_set.operating_question),
        ("planning_question", rule_set.planning_question),
    ):
        question = rule_set.question(qid) if qid else None
        if question is None:
            continue
        listed = {o.value for o in question.options}
        for entry in rule_set.entries:
            if entry.id not in listed:
                yield Problem(
                    question.file,
                    f"entry '{entry.id}' is not an option of {key} '{qid}': "
                    "an agency cannot say so of it",
                    question.line,
                    key=f"question {qid}",
                )
