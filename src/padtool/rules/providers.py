"""Technical-assistance providers, and the legal checks and funding items."""

from __future__ import annotations

from ..addresses import web_address_problem
from ..errors import Problem, did_you_mean
from ..model import AGENCY_TYPE_QUESTION, CONTACT_TYPES, Archived, KnowledgeItem, Provider, Source
from .fields import DAY, YEAR_OR_DAY, Fields, Item, read_date, read_source
from .questions import Index, optional_condition
from .schema import KEYS

# The optional list files of legal checks and funding items, by kind: (file name, top-level
# key, what an item is called in messages).
KNOWLEDGE_FILES = {
    "legal_check": ("legal.yaml", "checks", "legal check"),
    "funding_item": ("funding.yaml", "funding", "funding item"),
}


def read_providers(
    items: list[Item], questions: Index, problems: list[Problem], state_ids: set[str] | None
) -> list[Provider]:
    found: dict[str, Provider] = {}
    for item in items:
        fields = Fields(item.data, item.file, item.path, problems, item.position)
        fields.allow(*KEYS["provider"])
        provider_id = fields.identifier()
        url = fields.text("url")
        if url and (problem := web_address_problem(url)):
            fields.problem("url", problem)
        archived = _archived(fields)
        if provider_id in found:
            fields.problem("id", f"duplicate provider id '{provider_id}'")
        elif provider_id:
            found[provider_id] = Provider(
                id=provider_id,
                name=fields.text("name"),
                offers=fields.text("offers"),
                serves=_served(fields, archived),
                url=url,
                contact=fields.text("contact"),
                cost=fields.text("cost"),
                sources=fields.sources("sources", required=True),
                notes=fields.texts("notes"),
                file=item.file,
                line=item.position[0],
                origin=item.origin,
                checked=read_date(fields, "checked", DAY, "YYYY-MM-DD"),
                checked_source=_checked_source(fields),
                contact_type=fields.choice("contact_type", CONTACT_TYPES),
                no_cost=fields.boolean("no_cost", True) if "no_cost" in fields.data else None,
                agency_types=_agency_types(fields, questions),
                states=_provider_states(fields, state_ids),
                archived=archived,
            )
    return list(found.values())


def _provider_states(fields: Fields, state_ids: set[str] | None) -> tuple[str, ...]:
    """The states a provider's help is limited to, each an option of the state question."""
    named = fields.texts("states")
    if not named or state_ids is None:
        return named
    if not state_ids:
        fields.problem(
            "states",
            "states name options of the question set as state_question in ruleset.yaml,"
            " which this rule set does not have",
        )
        return ()
    for value in named:
        if value not in state_ids:
            fields.problem(
                "states",
                f"'{value}' is not a state of the state question{did_you_mean(value, state_ids)}",
            )
    return tuple(v for v in named if v in state_ids)


def _served(fields: Fields, archived: Archived | None) -> tuple[str, ...]:
    """The entries a provider serves; an archived one serves none, as it is never recommended."""
    if archived is None:
        if fields.ok and "serves" not in fields.data:
            fields.problem(None, "missing required key 'serves'")
        return fields.texts("serves", required=True)
    if fields.data.get("serves"):
        fields.problem(
            "serves",
            "an archived provider is never recommended, so it serves no entry: remove "
            "'serves' (say in its note or notes what it used to offer)",
            at_key=True,
        )
    return ()


def _checked_source(fields: Fields) -> Source | None:
    if "checked_source" not in fields.data:
        return None  # already reported as a missing required key
    return read_source(
        fields.data["checked_source"],
        fields.file,
        fields.key_path("checked_source"),
        fields.position("checked_source"),
        fields.problems,
    )


def _agency_types(fields: Fields, questions: Index) -> tuple[str, ...]:
    """The agency_type values a provider serves specially, each an option of that question."""
    named = fields.texts("agency_types")
    if not named or questions.unreadable:
        return named
    question = questions.get(AGENCY_TYPE_QUESTION)
    values = {o.value for o in question.options} if question is not None else set()
    if question is None:
        fields.problem(
            "agency_types",
            f"agency_types name options of the question '{AGENCY_TYPE_QUESTION}',"
            " which this rule set does not have",
        )
        return ()
    for value in named:
        if value not in values:
            fields.problem(
                "agency_types",
                f"'{value}' is not an option of '{AGENCY_TYPE_QUESTION}'"
                f"{did_you_mean(value, values)}",
            )
    return tuple(v for v in named if v in values)


def _archived(fields: Fields) -> Archived | None:
    if "archived" not in fields.data:
        return None
    archived = Fields(
        fields.data["archived"],
        fields.file,
        fields.key_path("archived"),
        fields.problems,
        fields.position("archived"),
    )
    if not archived.ok:
        return None
    archived.allow(*KEYS["archived"])
    when = read_date(archived, "ended", YEAR_OR_DAY, "YYYY or YYYY-MM-DD")
    note = archived.text("note")
    replaced_by = archived.identifier("replaced_by") if "replaced_by" in archived.data else ""
    return Archived(when, note, replaced_by) if when and note else None


def read_knowledge(
    kind: str,
    items: list[Item],
    questions: Index,
    entry_ids: set[str],
    dropped_entries: dict[str, str],
    problems: list[Problem],
) -> tuple[KnowledgeItem, ...]:
    """The legal checks or funding items of every layer, checked."""
    word = KNOWLEDGE_FILES[kind][2]
    found: dict[str, KnowledgeItem] = {}
    for item in items:
        parsed = _knowledge_item(kind, item, questions, entry_ids, problems)
        if parsed is None:
            continue
        if parsed.id in found:
            Fields(item.data, item.file, item.path, problems, item.position).problem(
                "id", f"duplicate {word} id '{parsed.id}'"
            )
            continue
        # An item about an entry an overlay disabled goes on applying to the others.
        applies = tuple(a for a in parsed.applies_to if a not in dropped_entries)
        found[parsed.id] = parsed._replace(applies_to=applies)
    return tuple(found.values())


def _knowledge_item(
    kind: str, item: Item, questions: Index, entry_ids: set[str], problems: list[Problem]
) -> KnowledgeItem | None:
    fields = Fields(item.data, item.file, item.path, problems, item.position)
    if not fields.ok:
        return None
    fields.allow(*KEYS[kind])
    item_id = fields.identifier()
    when = optional_condition(fields, "when", questions)
    applies_to = fields.texts("applies_to", required=True)
    known = entry_ids | {"all"}
    for served in applies_to:
        if served not in known:
            fields.problem("applies_to", f"unknown entry '{served}'{did_you_mean(served, known)}")
    if not item_id:
        return None
    return KnowledgeItem(
        id=item_id,
        title=fields.text("title"),
        text=fields.text("text"),
        applies_to=applies_to,
        sources=fields.sources("sources", required=True),
        when=when,
        as_of=_as_of(fields),
        notes=fields.texts("notes"),
        file=item.file,
        line=item.position[0],
        origin=item.origin,
    )


def _as_of(fields: Fields) -> str:
    """A funding item's date or year, as text: `as_of: 2025` is a year, not a number."""
    value = fields.data.get("as_of")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return fields.text("as_of") if "as_of" in fields.data else ""
