"""The typed rule set: questions, entries (pathways and program models) and providers."""

from collections.abc import Iterator
from typing import NamedTuple

from .conditions import UNKNOWN, AnswerValue, Condition
from .question_types import TYPES, QuestionType

ENTRY_KINDS = ("pathway", "program-model")
CHARGES = ("none", "held", "citation", "varies")
DONT_KNOW = "Don't know"  # the label of the UNKNOWN answer
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


class Origin(NamedTuple):
    """The local overlay a question, entry or provider comes from."""

    overlay: str  # the overlay's name, from its overlay.yaml
    replaces: bool  # it overrides a bundled (or earlier) one with the same id

    def label(self, capital: bool = False) -> str:
        """Where it comes from, in words for a report."""
        replacing = ", in place of the rule set's own" if self.replaces else ""
        return f"{'F' if capital else 'f'}rom the local overlay {self.overlay}{replacing}"


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
    integer: bool = False  # number questions: whole numbers only
    max_length: int = 200
    dont_know: bool = False  # "Don't know" is a valid answer
    multiline: bool = False  # text questions: prose that may run over several lines
    source: Source | None = None
    profile: str = ""  # a sentence for the report's profile, "{answer}" standing for the answer
    profile_no: str = ""  # confirm questions: the sentence when the answer is no
    file: str = ""
    line: int = 0
    origin: Origin | None = None
    # Option values no longer offered, each with what to answer instead: an older answers file
    # that gives one is told what became of it.
    removed: tuple[tuple[str, str], ...] = ()

    @property
    def kind(self) -> QuestionType:
        """What its type makes of it (see question_types)."""
        return TYPES[self.type]

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
        if answer == UNKNOWN and self.dont_know:
            return self.label(UNKNOWN) if self.options else DONT_KNOW.lower()
        if isinstance(answer, list):
            return ", ".join(self.label(v) for v in answer) or "none of these"
        if isinstance(answer, (int, float)) and float(answer).is_integer():
            return f"{int(answer):,}"  # "90,000 residents", as people write counts
        if self.kind.options and isinstance(answer, str):
            return self.label(answer)
        return str(answer)


class FitRule(NamedTuple):
    when: Condition
    weight: int
    reason: str


CLOSED_BY = ("agency", "partner", "law")  # who can close a gap


class Prerequisite(NamedTuple):
    """What an entry needs to run: a gap when its condition does not hold, a question to
    settle when a "Don't know" answer leaves it open."""

    when: Condition
    gap: str
    penalty: int
    closed_by: str = "agency"
    find_out: str = ""  # what to ask, and whom, when the answers leave it open
    blocks_launch: bool = False  # cannot be built soon: without it the entry is not yet ready
    resource: str = ""  # the shared resource it stands for, if any
    line: int = 0

    @property
    def buildable(self) -> bool:
        """Whether the jurisdiction can build it (with partners); a change of law is not."""
        return self.closed_by != "law"


class Resource(NamedTuple):
    """Something many entries need (a treatment partner, a prosecutor agreement, a data
    baseline), stated once: what having it means, and how to build it when it is missing."""

    id: str
    name: str
    have: Condition
    missing: str  # the gap, as a sentence
    build: str  # how to build it: a step
    closed_by: str = "partner"
    find_out: str = ""
    blocks_launch: bool = False
    providers: tuple[str, ...] = ()  # who can help build it, best first
    sources: tuple[Source, ...] = ()
    notes: tuple[str, ...] = ()
    file: str = ""
    line: int = 0
    origin: Origin | None = None


class Step(NamedTuple):
    """A first step or a partner, fitted to the answers: shown only `when` its condition holds;
    replaced by `instead` (or left out) when `unless` holds or the resource it `closes` exists."""

    text: str
    when: Condition | None = None
    unless: Condition | None = None
    instead: str = ""
    closes: str = ""  # a resource id: the step builds it, so it comes first while it is missing


class Example(NamedTuple):
    name: str
    place: str = ""
    year: str = ""
    source: Source | None = None


class Requirement(NamedTuple):
    """What must hold for an entry to be recommended at all, and what to say when it does not."""

    when: Condition
    reason: str
    line: int = 0


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
    requires: tuple[Requirement, ...] = ()  # every one must hold (or be open) to recommend it
    target_population: tuple[str, ...] = ()
    fit: tuple[FitRule, ...] = ()
    prerequisites: tuple[Prerequisite, ...] = ()
    first_steps: tuple[Step, ...] = ()
    partners: tuple[Step, ...] = ()
    measures: tuple[str, ...] = ()
    examples: tuple[Example, ...] = ()
    sources: tuple[Source, ...] = ()
    notes: tuple[str, ...] = ()
    origin: Origin | None = None
    short_name: str = ""  # for narrow columns; explained in a legend where used

    @property
    def short_label(self) -> str:
        """The label for a narrow column: the short name, else the name."""
        return self.short_name or self.name

    @property
    def max_score(self) -> int:
        return sum(rule.weight for rule in self.fit if rule.weight > 0)

    @property
    def pathway(self) -> str:
        """The one framework pathway this entry is or runs as; '' for a model spanning several."""
        if self.kind == "pathway":
            return self.id
        return self.pathways[0] if len(self.pathways) == 1 else ""


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
    states: tuple[str, ...] = ()  # state ids its help is limited to; () for every state

    def serves_state(self, state: str | None) -> bool:
        """Whether its help reaches an agency in this state (any state when none is answered)."""
        return not self.states or state is None or state in self.states

    def serves_entry(self, entry: Entry) -> bool:
        return "all" in self.serves or entry.id in self.serves


class KnowledgeItem(NamedTuple):
    """A legal check to settle with counsel, or a way programs are paid for: what it says, the
    entries it concerns ("all" for every entry) and, optionally, the answers it holds for."""

    id: str
    title: str
    text: str
    applies_to: tuple[str, ...]
    sources: tuple[Source, ...]
    when: Condition | None = None
    as_of: str = ""  # funding: the date or year the fact holds for
    notes: tuple[str, ...] = ()
    file: str = ""
    line: int = 0
    origin: Origin | None = None

    def applies_to_entry(self, entry: Entry) -> bool:
        return "all" in self.applies_to or entry.id in self.applies_to


class Overlay(NamedTuple):
    """A folder of local additions and changes laid over a rule set."""

    name: str
    location: str
    description: str = ""


class Role(NamedTuple):
    """Who owns a task in an action plan: a chief, a prosecutor, a treatment provider..."""

    id: str
    name: str


class PlanPhase(NamedTuple):
    """A stretch of the plan's year, ending `until_day` days after the start."""

    id: str
    name: str
    until_day: int


class PlanTask(NamedTuple):
    """One task of an action plan, fitted to the answers as a step is (`when`, `unless`);
    one that `closes` a shared resource is in a plan only while the entry lacks it."""

    id: str
    title: str
    owner: str  # a Role id
    produces: str
    done_when: str
    phase: str  # a PlanPhase id
    depends_on: tuple[str, ...] = ()
    when: Condition | None = None
    unless: Condition | None = None
    closes: str = ""  # a resource id
    milestone: bool = False
    sources: tuple[Source, ...] = ()
    file: str = ""
    line: int = 0


class Agreement(NamedTuple):
    """A memorandum or written policy a plan needs, as the points it must settle; when the
    resource it stands for (`have`) exists, the plan asks to check the one in place."""

    id: str
    title: str
    parties: tuple[str, ...]  # Role ids
    points: tuple[str, ...]
    applies_to: tuple[str, ...]  # entry ids, or "all"
    sources: tuple[Source, ...]
    have: str = ""  # a resource id
    when: Condition | None = None

    def applies_to_entry(self, entry: Entry) -> bool:
        return "all" in self.applies_to or entry.id in self.applies_to


class Recorder(NamedTuple):
    role: str
    when: Condition | None = None


class DataPlan(NamedTuple):
    """How every measure is tracked: the baseline to pull, who records, how often it is
    reviewed and the breakdowns it is reported by."""

    breakdowns: tuple[str, ...]
    baseline: str
    review: str
    recorders: tuple[Recorder, ...]  # the first whose condition holds records
    sources: tuple[Source, ...] = ()


class CostDriver(NamedTuple):
    id: str
    text: str
    applies_to: tuple[str, ...]
    sources: tuple[Source, ...] = ()

    def applies_to_entry(self, entry: Entry) -> bool:
        return "all" in self.applies_to or entry.id in self.applies_to


class PlanRules(NamedTuple):
    """The rule set's action-plan data (plan.yaml, and each entry's `plan` tasks)."""

    roles: tuple[Role, ...]
    phases: tuple[PlanPhase, ...]
    tasks: tuple[PlanTask, ...]  # in every plan
    entry_tasks: dict[str, tuple[PlanTask, ...]]  # by entry id
    agreements: tuple[Agreement, ...]
    data_plan: DataPlan
    cost_drivers: tuple[CostDriver, ...]
    gap_owners: dict[str, str]  # closed_by -> Role id, for gaps no resource stands for
    savings: dict[str, str]  # by entry id: what the entry has saved elsewhere, in plain words
    file: str = ""

    def role(self, role_id: str) -> Role:
        return next((r for r in self.roles if r.id == role_id), Role(role_id, role_id))


class RuleSet(NamedTuple):
    name: str
    version: str
    starting_set_size: int
    min_score: int
    min_fit: float  # the share of its points an entry needs to enter the starting set
    strong_fit: float  # the share from which a fit is called strong
    gap_penalty: int
    agency_question: str
    agency_type_question: str
    operating_question: str  # the programs the agency already runs, by entry id
    disclaimer: str
    questions: tuple[Question, ...]
    entries: tuple[Entry, ...]
    providers: tuple[Provider, ...]
    location: str
    questions_by_id: dict[str, Question]
    overlays: tuple[Overlay, ...] = ()
    resources: tuple[Resource, ...] = ()
    legal_checks: tuple[KnowledgeItem, ...] = ()
    funding: tuple[KnowledgeItem, ...] = ()
    state_question: str = ""  # the question whose answer is the jurisdiction's state, if any
    planning_question: str = ""  # the programs the agency is planning, by entry id
    plan: PlanRules | None = None  # the action-plan data, when the rule set has plan.yaml

    def question(self, question_id: str) -> Question | None:
        return self.questions_by_id.get(question_id)

    @property
    def layers(self) -> list[str]:
        """The folders it was loaded from: the rule set, then each overlay, in order."""
        return [self.location, *(overlay.location for overlay in self.overlays)]

    def find_entry(self, name: str) -> Entry | None:
        """An entry by id or alias, ignoring case."""
        wanted = name.strip().lower()
        return next((e for e in self.entries if wanted == e.id or wanted in e.aliases), None)

    def conditions(self) -> Iterator[Condition]:
        """Every condition of the rule set: questions' `when`, then each entry's."""
        yield from (q.when for q in self.questions if q.when is not None)
        yield from (resource.have for resource in self.resources)
        for entry in self.entries:
            yield from (requirement.when for requirement in entry.requires)
            yield from (rule.when for rule in entry.fit)
            yield from (prerequisite.when for prerequisite in entry.prerequisites)
            for step in (*entry.first_steps, *entry.partners):
                yield from (c for c in (step.when, step.unless) if c is not None)

    def resource(self, resource_id: str) -> Resource | None:
        return next((r for r in self.resources if r.id == resource_id), None)

    def knowledge_conditions(self) -> Iterator[Condition]:
        """The `when` of every legal check and funding item: they choose what a report says,
        not how entries score."""
        for item in (*self.legal_checks, *self.funding):
            if item.when is not None:
                yield item.when

    def providers_for(self, entry: Entry) -> tuple[Provider, ...]:
        """Providers serving this entry, the specific ones before the pathway-neutral ones."""
        return tuple(
            sorted(
                (p for p in self.providers if p.serves_entry(entry)),
                key=lambda p: "all" in p.serves,
            )
        )
