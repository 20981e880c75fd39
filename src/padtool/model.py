"""The typed rule set: questions, entries (pathways and program models) and providers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from .conditions import AnswerValue, Condition

QUESTION_TYPES = ("single", "multi", "confirm", "number", "text")
ENTRY_KINDS = ("pathway", "program-model")
CHARGES = ("none", "held", "citation", "varies")
# How to get help from a provider, most direct first as the sources give it.
CONTACT_TYPES = ("request-form", "phone", "email", "mentor-site", "website")
# The question whose options a provider's agency_types name.
AGENCY_TYPE_QUESTION = "agency_type"


class Source(NamedTuple):
    """Where a fact comes from: a web address or a seed document, with an optional title."""

    ref: str
    title: str = ""

    @property
    def is_url(self) -> bool:
        return self.ref.startswith(("https://", "http://"))


class Option(NamedTuple):
    value: str
    label: str
    aliases: tuple[str, ...] = ()  # former values that answers files may still use


class Question(NamedTuple):
    id: str
    prompt: str
    help: str
    type: str
    options: tuple[Option, ...] = ()
    when: Condition | None = None
    required: bool = True
    min: float | None = None
    max: float | None = None
    max_length: int = 200
    source: Source | None = None
    profile: str = ""  # a sentence for the report's profile, "{answer}" standing for the answer
    profile_no: str = ""  # confirm questions: the sentence when the answer is no
    file: str = ""
    line: int = 0
    origin: Origin | None = None

    def current_value(self, value: str) -> str:
        """The option value a former value (an alias) now stands for; other values unchanged."""
        return next((o.value for o in self.options if value in o.aliases), value)

    def label(self, value: str) -> str:
        """The label shown for an option value (the value itself if unknown)."""
        return next((o.label for o in self.options if o.value == value), value)

    def describe(self, answer: AnswerValue) -> str:
        """An answer in the words the user saw."""
        if isinstance(answer, bool):
            return "yes" if answer else "no"
        if isinstance(answer, list):
            return ", ".join(self.label(v) for v in answer) or "none of these"
        if isinstance(answer, float) and answer.is_integer():
            return str(int(answer))
        if self.type == "single" and isinstance(answer, str):
            return self.label(answer)
        return str(answer)


class FitRule(NamedTuple):
    when: Condition
    weight: int
    reason: str


class Prerequisite(NamedTuple):
    when: Condition
    gap: str
    penalty: int
    buildable: bool = True
    line: int = 0


class Example(NamedTuple):
    name: str
    place: str = ""
    year: str = ""
    source: Source | None = None


class Entry(NamedTuple):
    """A recommendable entry: a PTACC/TASC framework pathway or a program model."""

    id: str
    name: str
    kind: str
    summary: str
    definition: str
    initiated_by: str
    charges: str
    charges_note: str
    file: str
    pathways: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    requires: Requirement | None = None
    target_population: tuple[str, ...] = ()
    fit: tuple[FitRule, ...] = ()
    prerequisites: tuple[Prerequisite, ...] = ()
    first_steps: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()
    examples: tuple[Example, ...] = ()
    sources: tuple[Source, ...] = ()
    notes: tuple[str, ...] = ()
    origin: Origin | None = None

    @property
    def max_score(self) -> int:
        return sum(rule.weight for rule in self.fit if rule.weight > 0)


class Archived(NamedTuple):
    """An ended program: kept for the record, never recommended."""

    ended: str  # YYYY or YYYY-MM-DD
    note: str
    replaced_by: str = ""  # the id of the provider that took over, if any


class Provider(NamedTuple):
    """A technical-assistance provider and the entries it serves ("all" for every entry)."""

    id: str
    name: str
    offers: str
    serves: tuple[str, ...]
    url: str
    contact: str = ""
    cost: str = ""
    sources: tuple[Source, ...] = ()
    notes: tuple[str, ...] = ()
    file: str = ""
    line: int = 0
    origin: Origin | None = None
    checked: str = ""  # YYYY-MM-DD: when the contact details were last checked
    checked_source: Source | None = None  # where they were checked
    contact_type: str = ""  # one of CONTACT_TYPES, or "" when the sources do not say
    no_cost: bool | None = None  # None when the sources do not say
    agency_types: tuple[str, ...] = ()  # agency_type values it serves specially
    archived: Archived | None = None

    def serves_entry(self, entry: Entry) -> bool:
        return "all" in self.serves or entry.id in self.serves


class Requirement(NamedTuple):
    """What must hold for an entry to be recommended at all, and what to say when it does not."""

    when: Condition
    reason: str
    line: int = 0


class Origin(NamedTuple):
    """The local overlay a question, entry or provider comes from."""

    overlay: str  # the overlay's name, from its overlay.yaml
    replaces: bool  # it overrides a bundled (or earlier) one with the same id

    def label(self, capital: bool = False) -> str:
        """Where it comes from, in words for a report."""
        replacing = ", in place of the rule set's own" if self.replaces else ""
        return f"{'F' if capital else 'f'}rom the local overlay {self.overlay}{replacing}"


class Overlay(NamedTuple):
    """A folder of local additions and changes laid over a rule set."""

    name: str
    location: str
    description: str = ""


class RuleSet(NamedTuple):
    name: str
    version: str
    starting_set_size: int
    min_score: int
    distinct_starting_set: bool
    gap_penalty: int
    agency_question: str
    disclaimer: str
    questions: tuple[Question, ...]
    entries: tuple[Entry, ...]
    providers: tuple[Provider, ...]
    location: str
    questions_by_id: dict[str, Question]
    overlays: tuple[Overlay, ...] = ()

    def question(self, question_id: str) -> Question | None:
        return self.questions_by_id.get(question_id)

    def find_entry(self, name: str) -> Entry | None:
        """An entry by id or alias, ignoring case."""
        wanted = name.strip().lower()
        return next((e for e in self.entries if wanted == e.id or wanted in e.aliases), None)

    def conditions(self) -> Iterator[Condition]:
        """Every condition of the rule set: questions' `when`, then each entry's."""
        yield from (q.when for q in self.questions if q.when is not None)
        for entry in self.entries:
            if entry.requires is not None:
                yield entry.requires.when
            yield from (rule.when for rule in entry.fit)
            yield from (prerequisite.when for prerequisite in entry.prerequisites)

    def providers_for(self, entry: Entry) -> tuple[Provider, ...]:
        """Providers serving this entry, the specific ones before the pathway-neutral ones."""
        return tuple(
            sorted(
                (p for p in self.providers if p.serves_entry(entry)),
                key=lambda p: "all" in p.serves,
            )
        )
