"""Entries (pathways and program models) with their rules, prerequisites and steps, and the
shared resources prerequisites name."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..conditions import Condition
from ..errors import Problem, did_you_mean
from ..model import (
    CHARGES,
    CLOSED_BY,
    ENTRY_KINDS,
    Entry,
    Example,
    FitRule,
    Prerequisite,
    Requirement,
    Resource,
    Step,
)
from ..yamlfile import YamlList
from .fields import Fields, Item, kind_of, read_source
from .questions import Index, optional_condition, read_condition
from .schema import KEYS

SHORT_NAME_LENGTH = 14  # an entry's column label in the workshop view


def read_entry(
    item: Item, questions: Index, gap_penalty: int, problems: list[Problem]
) -> Entry | None:
    file = item.file
    fields = Fields(item.data, file, "", problems)
    fields.allow(*KEYS["entry"])
    entry_id = fields.identifier()
    if entry_id and entry_id != item.id:
        fields.problem("id", f"id '{entry_id}' must match the file name '{Path(file).name}'")
    kind = fields.choice("kind", ENTRY_KINDS)
    if kind == "program-model" and not fields.data.get("pathways"):
        fields.problem(None, "a program model must name its framework pathway(s) in 'pathways'")

    if not (entry_id and kind):
        return None
    return Entry(
        id=entry_id,
        name=fields.text("name"),
        kind=kind,
        summary=fields.text("summary"),
        definition=fields.text("definition"),
        initiated_by=fields.text("initiated_by"),
        charges=fields.choice("charges", CHARGES),
        charges_note=fields.text("charges_note"),
        file=file,
        pathways=fields.texts("pathways"),
        aliases=tuple(a.lower() for a in fields.texts("aliases")),
        target_population=fields.texts("target_population"),
        requires=_requirements(fields, questions),
        fit=_fit_rules(fields, questions),
        prerequisites=_prerequisites(fields, questions, gap_penalty),
        first_steps=_steps(fields, "first_steps", questions),
        partners=_steps(fields, "partners", questions),
        measures=fields.texts("measures"),
        examples=tuple(_examples(fields)),
        sources=fields.sources("sources", required=True),
        notes=fields.texts("notes"),
        origin=item.origin,
        short_name=_short_name(fields),
    )


def _short_name(fields: Fields) -> str:
    short = fields.text("short_name")
    if len(short) > SHORT_NAME_LENGTH:
        fields.problem("short_name", f"is {len(short)} characters; at most {SHORT_NAME_LENGTH}")
        return ""
    return short


def _rule(
    fields: Fields, item: Any, path: str, position: tuple[int, int], questions: Index
) -> tuple[Fields, Condition | None]:
    """A rule mapping with its parsed `when` condition (None if missing or broken)."""
    rule = Fields(item, fields.file, path, fields.problems, position)
    if not rule.ok or "when" not in rule.data:
        return rule, None
    when = read_condition(
        rule.data["when"],
        rule.position("when"),
        rule.key_path("when"),
        fields.file,
        questions,
        fields.problems,
    )
    return rule, when


def _requirements(fields: Fields, questions: Index) -> tuple[Requirement, ...]:
    """`requires`: one {when, reason} or a list of them, each failing one named on its own."""
    if "requires" not in fields.data:
        return ()
    data = fields.data["requires"]
    if isinstance(data, YamlList):
        listed = fields.items("requires", required=True)
    else:
        listed = [(data, fields.key_path("requires"), fields.position("requires"))]
    found = []
    for item, path, position in listed:
        rule, when = _rule(fields, item, path, position, questions)
        rule.allow(*KEYS["requires"])
        reason = rule.text("reason")
        if when and reason:
            found.append(Requirement(when, reason, position[0]))
    return tuple(found)


def _fit_rules(fields: Fields, questions: Index) -> tuple[FitRule, ...]:
    fit = []
    for item, path, position in fields.items("fit", required=True):
        rule, when = _rule(fields, item, path, position, questions)
        rule.allow(*KEYS["fit"])
        weight, reason = rule.integer("weight", 0), rule.text("reason")
        if rule.ok and weight == 0 and "weight" in rule.data:
            rule.problem("weight", "a weight of 0 never changes the score")
        for name in re.findall(r"\{([a-z0-9][a-z0-9_-]*)\}", reason):
            if name not in questions and not questions.unreadable:
                rule.problem(
                    "reason", f"'{{{name}}}' names no question{did_you_mean(name, questions)}"
                )
        if when and weight and reason:
            fit.append(FitRule(when, weight, reason))
    return tuple(fit)


def _prerequisites(fields: Fields, questions: Index, gap_penalty: int) -> tuple[Prerequisite, ...]:
    """Each prerequisite states its own condition and gap, or names a shared resource whose
    condition, gap and builder it takes (any of them may still be given to say it otherwise)."""
    found = []
    for item, path, position in fields.items("prerequisites"):
        rule, when = _rule(fields, item, path, position, questions)
        if not rule.ok:
            continue
        rule.allow(*KEYS["prerequisite"])
        resource = _named_resource(rule, questions)
        if resource is None and "resource" not in rule.data:
            for key in ("when", "gap"):
                if key not in rule.data:
                    rule.problem(None, f"missing required key '{key}' (or name a 'resource')")
        when = when or (resource.have if resource else None)
        gap = rule.text("gap") or (resource.missing if resource else "")
        if not (when and gap):
            continue
        found.append(
            Prerequisite(
                when=when,
                gap=gap,
                penalty=rule.integer("penalty", gap_penalty, minimum=0),
                closed_by=_closed_by(rule, resource),
                find_out=rule.text("find_out") or (resource.find_out if resource else ""),
                blocks_launch=rule.boolean(
                    "blocks_launch", resource.blocks_launch if resource else False
                ),
                resource=resource.id if resource else "",
                line=position[0],
            )
        )
    return tuple(found)


def _named_resource(rule: Fields, questions: Index) -> Resource | None:
    if "resource" not in rule.data:
        return None
    name = rule.identifier("resource")
    resource = questions.resources.get(name)
    if resource is None and name:
        found = questions.resources
        rule.problem("resource", f"no resource '{name}'{did_you_mean(name, found)}")
    return resource


def _closed_by(rule: Fields, resource: Resource | None) -> str:
    """Who can close the gap; the older `buildable: false` means a change of law."""
    if "buildable" in rule.data and "closed_by" in rule.data:
        rule.problem("buildable", "give closed_by or buildable, not both")
    if "buildable" in rule.data:
        return "agency" if rule.boolean("buildable", True) else "law"
    return rule.choice("closed_by", CLOSED_BY, resource.closed_by if resource else "agency")


def _steps(fields: Fields, key: str, questions: Index) -> tuple[Step, ...]:
    """First steps or partners: plain text, or text with the conditions that fit it."""
    found = []
    for item, path, position in fields.items(key):
        if isinstance(item, str) and item.strip():
            found.append(Step(item.strip()))
            continue
        step = Fields(item, fields.file, path, fields.problems, position)
        if not step.ok:
            continue
        step.allow(*KEYS["step"])
        when, unless = (
            read_condition(
                step.data[k],
                step.position(k),
                step.key_path(k),
                fields.file,
                questions,
                fields.problems,
            )
            if k in step.data
            else None
            for k in ("when", "unless")
        )
        closes = named_resource_key(step, "closes", questions)
        instead = step.text("instead")
        if instead and unless is None and not closes:
            step.problem("instead", "instead needs 'unless' or 'closes': when would it be shown?")
        text = step.text("text")
        if text:
            found.append(Step(text, when, unless, instead, closes))
    return tuple(found)


def named_resource_key(fields: Fields, key: str, questions: Index) -> str:
    if key not in fields.data:
        return ""
    name = fields.identifier(key)
    if name and name not in questions.resources:
        found = questions.resources
        fields.problem(key, f"no resource '{name}'{did_you_mean(name, found)}")
        return ""
    return name


def _examples(fields: Fields) -> list[Example]:
    found = []
    for item, path, position in fields.items("examples"):
        example = Fields(item, fields.file, path, fields.problems, position)
        example.allow(*KEYS["example"])
        year = example.data.get("year", "")
        if year != "" and (isinstance(year, bool) or not isinstance(year, (int, str))):
            example.problem("year", f"expected a year, found {kind_of(year)}")
            year = ""
        source = None
        if "source" in example.data:
            source = read_source(
                example.data["source"],
                fields.file,
                example.key_path("source"),
                example.position("source"),
                fields.problems,
            )
        name = example.text("name")
        if name:
            found.append(Example(name, example.text("place"), str(year), source))
    return found


def read_resources(items: list[Item], questions: Index, problems: list[Problem]) -> list[Resource]:
    """The shared resources in build order; each is registered for conditions once read."""
    for item in items:
        fields = Fields(item.data, item.file, item.path, problems, item.position)
        if not fields.ok:
            continue
        fields.allow(*KEYS["resource"])
        resource_id = fields.identifier()
        have = optional_condition(fields, "have", questions)
        if resource_id in questions.resources:
            fields.problem("id", f"duplicate resource id '{resource_id}'")
            continue
        if not (resource_id and have):
            continue
        questions.resources[resource_id] = Resource(
            id=resource_id,
            name=fields.text("name"),
            have=have,
            missing=fields.text("missing"),
            build=fields.text("build"),
            closed_by=fields.choice("closed_by", CLOSED_BY, "partner"),
            find_out=fields.text("find_out"),
            blocks_launch=fields.boolean("blocks_launch", False),
            providers=fields.texts("providers"),
            sources=fields.sources("sources", required=True),
            notes=fields.texts("notes"),
            file=item.file,
            line=item.position[0],
            origin=item.origin,
        )
    return list(questions.resources.values())
