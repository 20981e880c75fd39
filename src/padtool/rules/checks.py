"""Checks across files: the names items of one file give to items of another."""

from __future__ import annotations

from ..conditions import UNKNOWN
from ..errors import Problem, did_you_mean
from ..model import Entry, Provider, Resource
from .questions import Index


def check_cross_references(
    entries: list[Entry],
    providers: list[Provider],
    unreadable: set[str],
    disabled: dict[str, str],
    problems: list[Problem],
) -> None:
    names: dict[str, Entry] = {}
    for entry in entries:
        for name in (entry.id, *entry.aliases):
            if name in names:
                problems.append(
                    Problem(
                        entry.file,
                        f"'{name}' already names entry '{names[name].id}' ({names[name].file})",
                        key="id",
                    )
                )
            names[name] = entry
    pathways = {e.id for e in entries if e.kind == "pathway"}
    for entry in entries:
        for pathway in entry.pathways:
            if pathway in disabled:
                message = f"pathway '{pathway}' is disabled by {disabled[pathway]}"
            elif pathway not in pathways and pathway not in unreadable:
                message = f"'{pathway}' is not a framework pathway{did_you_mean(pathway, pathways)}"
            else:
                continue
            problems.append(Problem(entry.file, message, key="pathways"))
    _check_replacements(providers, problems)
    ids = {e.id for e in entries} | {"all"}
    for provider in providers:
        for served in provider.serves:
            if served not in ids and served not in unreadable:
                problems.append(
                    Problem(
                        provider.file,
                        f"provider '{provider.id}' serves unknown entry "
                        f"'{served}'{did_you_mean(served, ids)}",
                        provider.line,
                        key="serves",
                    )
                )


def _check_replacements(providers: list[Provider], problems: list[Problem]) -> None:
    """An archived provider's replaced_by names another provider that is still running."""
    by_id = {p.id: p for p in providers}
    for provider in providers:
        wanted = provider.archived.replaced_by if provider.archived else ""
        if not wanted:
            continue
        successor = by_id.get(wanted)
        if successor is None or successor.id == provider.id:
            message = (
                f"replaced_by names no other provider: '{wanted}'{did_you_mean(wanted, by_id)}"
            )
        elif successor.archived is not None:
            message = (
                f"replaced_by names '{wanted}', which is archived too: name the one running now"
            )
        else:
            continue
        problems.append(Problem(provider.file, message, provider.line, key="archived.replaced_by"))


def check_resource_providers(
    resources: list[Resource], providers: list[Provider], problems: list[Problem]
) -> None:
    known = {p.id for p in providers}
    for resource in resources:
        for name in resource.providers:
            if name not in known:
                problems.append(
                    Problem(
                        resource.file,
                        f"resource '{resource.id}' names unknown provider "
                        f"'{name}'{did_you_mean(name, known)}",
                        resource.line,
                        key="providers",
                    )
                )


def check_operating_question(
    key: str, name: str, questions: Index, entries: list[Entry], problems: list[Problem]
) -> None:
    """The programs-operating (or -planning) question lists entries by id, so the engine can
    tell them."""
    question = questions.get(name)
    if question is None:
        return
    ids = {e.id for e in entries}
    if question.type != "multi":
        problems.append(
            Problem(
                question.file,
                f"{key} '{name}' must be a multi question",
                question.line,
                key="type",
            )
        )
    for option in question.options:
        if option.value not in ids and option.value != UNKNOWN:
            problems.append(
                Problem(
                    question.file,
                    f"option '{option.value}' of '{name}' is not an entry id"
                    f"{did_you_mean(option.value, ids)}",
                    question.line,
                    key="options",
                )
            )
