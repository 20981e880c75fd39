"""Rule-set files -> typed RuleSet, checking everything and reporting every problem at once."""

from __future__ import annotations

import errno
import gc
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from .addresses import looks_like_web_address, web_address_problem
from .conditions import (
    COMPARISONS,
    LARGEST_NUMBER,
    UNKNOWN,
    AllOf,
    AnyOf,
    Comparison,
    Condition,
    Not,
    is_number,
)
from .errors import PadtoolError, Problem, did_you_mean
from .files import present
from .model import (
    AGENCY_TYPE_QUESTION,
    CHARGES,
    CLOSED_BY,
    CONTACT_TYPES,
    DONT_KNOW,
    ENTRY_KINDS,
    QUESTION_TYPES,
    Archived,
    Entry,
    Example,
    FitRule,
    KnowledgeItem,
    Option,
    Origin,
    Overlay,
    Prerequisite,
    Provider,
    Question,
    Requirement,
    Resource,
    RuleSet,
    Source,
    Step,
)
from .rulefiles import OVERLAY_FILE, RULE_SET_FILE, entry_files, rule_layers
from .yamlfile import YamlList, YamlMap, read_mapping

ANSWER = "{answer}"  # the placeholder of a question's profile sentence
_NUMBER_RANGE = f" (no larger than {LARGEST_NUMBER:,} either way)"
_OVERLAY_KEYS = {"override", "disabled"}  # read when the layers are merged
# The keys of each kind of mapping in the rule files: (required, optional). The JSON Schemas in
# pathways/schemas/ describe the same keys; a test keeps the two in step.
KEYS: dict[str, tuple[set[str], set[str]]] = {
    "ruleset": (
        {"name", "version", "agency_question"},
        {"starting_set_size", "min_score", "min_fit", "strong_fit", "gap_penalty", "disclaimer"}
        | {"agency_type_question", "operating_question", "state_question"},
    ),
    "overlay": ({"name"}, {"description"}),
    "question": (
        {"id", "prompt", "type"},
        {"help", "options", "when", "required", "min", "max", "max_length", "source", "profile"}
        | {"profile_no", "dont_know", "integer", "multiline"}
        | _OVERLAY_KEYS,
    ),
    "option": ({"value", "label"}, {"aliases"}),
    "entry": (
        {"id", "name", "kind", "summary", "definition", "initiated_by", "charges", "fit"}
        | {"sources"},
        {"pathways", "aliases", "requires", "charges_note", "target_population", "short_name"}
        | {"prerequisites", "first_steps", "partners", "measures", "examples", "notes"}
        | {"plan"}  # read by plan_rules
        | _OVERLAY_KEYS,
    ),
    "requires": ({"when", "reason"}, set()),
    "fit": ({"when", "weight", "reason"}, set()),
    "prerequisite": (
        set(),
        {"when", "gap", "penalty", "buildable", "closed_by", "find_out", "blocks_launch"}
        | {"resource"},
    ),
    "step": ({"text"}, {"when", "unless", "instead", "closes"}),
    "resource": (
        {"id", "name", "have", "missing", "build", "sources"},
        {"closed_by", "find_out", "blocks_launch", "providers", "notes"} | _OVERLAY_KEYS,
    ),
    "example": ({"name"}, {"place", "year", "source"}),
    "provider": (
        {"id", "name", "offers", "url", "sources", "checked", "checked_source"},
        {"serves", "contact", "cost", "notes", "contact_type", "no_cost", "agency_types"}
        | {"archived"}
        | _OVERLAY_KEYS,
    ),
    "legal_check": (
        {"id", "title", "text", "applies_to", "sources"},
        {"when", "notes"} | _OVERLAY_KEYS,
    ),
    "funding_item": (
        {"id", "title", "text", "applies_to", "sources", "as_of"},
        {"when", "notes"} | _OVERLAY_KEYS,
    ),
    "archived": ({"ended", "note"}, {"replaced_by"}),
    "source": ({"url"}, {"title"}),
}
# The optional list files of legal checks and funding items, by kind: (file name, top-level
# key, what an item is called in messages).
KNOWLEDGE_FILES = {
    "legal_check": ("legal.yaml", "checks", "legal check"),
    "funding_item": ("funding.yaml", "funding", "funding item"),
}
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
YEAR_OR_DAY = re.compile(r"^\d{4}(-\d{2}-\d{2})?$")
MAX_CONDITION_DEPTH = 12
SHORT_NAME_LENGTH = 14  # an entry's column label in the workshop view


def load_rule_set(*directories: Path) -> RuleSet:
    """Load and validate a rule set and the overlays laid over it (see rulefiles.rule_layers);
    raise PadtoolError listing every problem."""
    with collector_paused():
        return _load(rule_layers(directories))


@contextmanager
def collector_paused() -> Iterator[None]:
    # Parsing makes no reference cycles but hundreds of thousands of objects, each allocation
    # burst waking the cycle collector to walk them all: pausing it makes large sets 4x faster.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Item(NamedTuple):
    """One question, entry or provider as written, before the layers are merged."""

    id: str
    data: Any
    file: str
    path: str
    position: tuple[int, int]
    layer: int  # 0 for the rule set, 1.. for the overlays in order
    origin: Origin | None


class _Index(dict[str, Question]):
    """The questions conditions may name, and what a condition naming another is told."""

    def __init__(self, unreadable: bool = False, disabled: dict[str, str] | None = None) -> None:
        super().__init__()
        # A questions file already reported as broken: references to its questions are not
        # checked, so one syntax error does not bring a hundred follow-on messages.
        self.unreadable = unreadable
        self.disabled = disabled or {}
        # Shared resources a condition may name with {resource: id}: it stands for their `have`.
        self.resources: dict[str, Resource] = {}


def _load(layers: list[Path]) -> RuleSet:
    problems: list[Problem] = []
    for directory in layers:
        _check_directory(directory, problems)
    if problems:
        raise PadtoolError(problems)
    base = layers[0]
    meta = _read(base / RULE_SET_FILE, problems, _MISSING_RULE_SET)
    if meta is not None and present(base / OVERLAY_FILE):
        problems.append(
            Problem(
                str(base / OVERLAY_FILE),
                f"a folder is a rule set ({RULE_SET_FILE}) or an overlay ({OVERLAY_FILE}), "
                "not both: remove one",
            )
        )
    overlays = [_overlay(directory, problems) for directory in layers[1:]]
    origins: list[Origin | None] = [None, *(Origin(o.name, False) for o in overlays)]

    question_items, dropped_questions, unreadable_questions = _layered_list(
        "question", layers, origins, problems
    )
    index = _Index(unreadable_questions, dropped_questions)
    questions = _questions(question_items, index, problems)
    settings = _settings(meta, index, problems) if meta is not None else None
    gap_penalty = settings["gap_penalty"] if settings else 1
    resource_items, _, _ = _layered_list(
        "resource", layers, origins, problems, ("resources.yaml", "resources")
    )
    resources = _resources(resource_items, index, problems)

    entry_layers = [_entry_items(d, i, origins[i], problems) for i, d in enumerate(layers)]
    entry_items, dropped_entries = _merge("entry", entry_layers, problems)
    entries = [
        e
        for item in entry_items
        for e in [_entry(item, index, gap_penalty, problems)]
        if e is not None
    ]
    provider_items, _, _ = _layered_list("provider", layers, origins, problems)
    # A provider serving an entry an overlay disabled goes on serving the others.
    providers = [
        p._replace(serves=tuple(s for s in p.serves if s not in dropped_entries))
        for p in _providers(provider_items, index, problems)
    ]
    # An entry file already reported as broken is not reported again by every reference to it.
    unreadable = {item.id for layer in entry_layers for item in layer} - {e.id for e in entries}
    _check_cross_references(
        entries, providers, unreadable - set(dropped_entries), dropped_entries, problems
    )
    _check_resource_providers(resources, providers, problems)
    if settings is not None:
        _check_operating_question(settings["operating_question"], index, entries, problems)
    known = {e.id for e in entries} | unreadable | set(dropped_entries)
    knowledge = {
        kind: _knowledge(kind, layers, origins, index, known, dropped_entries, problems)
        for kind in KNOWLEDGE_FILES
    }
    from .plan_rules import read_plan  # it reads with this module's helpers

    plan = read_plan(layers, index, entry_items, known, problems)
    if problems or settings is None:
        raise PadtoolError(problems)
    return RuleSet(
        plan=plan,
        questions=tuple(questions),
        entries=tuple(entries),
        providers=tuple(providers),
        location=str(base),
        questions_by_id=dict(index),
        overlays=tuple(overlays),
        resources=tuple(resources),
        legal_checks=knowledge["legal_check"],
        funding=knowledge["funding_item"],
        **settings,
    )


_MISSING_RULE_SET = (
    "required rule-set file is missing (a rule set has ruleset.yaml; an overlay has overlay.yaml)"
)
_UNREADABLE = YamlMap()  # stands for a file already reported as broken


def _check_directory(directory: Path, problems: list[Problem]) -> None:
    try:
        if not directory.is_dir():
            problems.append(Problem(str(directory), f"rule-set directory {_absent(directory)}"))
    except OSError as error:
        problems.append(Problem(str(directory), f"cannot be read: {error.strerror}"))


def _absent(path: Path) -> str:
    """Why path is no directory: a broken or looping link is named as such, not as missing."""
    try:
        os.stat(path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "is a loop of symbolic links"
        return "is a symbolic link to nothing" if present(path) else "not found"
    return "is not a directory"


def _read(
    path: Path, problems: list[Problem], missing: str = "required rule-set file is missing"
) -> YamlMap | None:
    if not present(path):
        problems.append(Problem(str(path), missing))
        return None
    try:
        return read_mapping(path, "rule file")
    except PadtoolError as error:
        problems.extend(error.problems)
        return None


def _read_optional(path: Path, required: bool, problems: list[Problem]) -> YamlMap | None:
    """A file every rule set has and an overlay may have: None when an overlay has none."""
    if not required and not present(path):
        return None
    doc = _read(path, problems)
    return _UNREADABLE if doc is None else doc


def _overlay(directory: Path, problems: list[Problem]) -> Overlay:
    if present(directory / RULE_SET_FILE):
        problems.append(
            Problem(
                str(directory / RULE_SET_FILE),
                "a complete rule set can only be the first folder; every folder after it is "
                f"an overlay, with {OVERLAY_FILE} instead (padtool init-overlay DIR writes one)",
            )
        )
    doc = _read(
        directory / OVERLAY_FILE,
        problems,
        f"missing {OVERLAY_FILE}: every folder after the first is an overlay and names itself "
        "there (padtool init-overlay DIR writes one)",
    )
    if doc is None:
        return Overlay(directory.name, str(directory))
    fields = _Fields(doc, _file_of(doc), "", problems)
    fields.allow(*KEYS["overlay"])
    return Overlay(fields.text("name", directory.name), str(directory), fields.text("description"))


def _layered_list(
    kind: str,
    layers: list[Path],
    origins: list[Origin | None],
    problems: list[Problem],
    file_and_key: tuple[str, str] | None = None,
) -> tuple[list[_Item], dict[str, str], bool]:
    """The items of one list file (questions, providers, legal checks...) of every layer,
    merged; the ids disabled; and whether a file of them was already reported as unreadable.
    A file named in file_and_key is optional in every layer, and may list nothing."""
    # questions.yaml lists 'questions', providers.yaml 'providers'
    name, key = file_and_key or (f"{kind}s.yaml", f"{kind}s")
    required = file_and_key is None
    docs = [_read_optional(d / name, required and i == 0, problems) for i, d in enumerate(layers)]
    listed = [_listed(doc, key, i, origins[i], problems, required) for i, doc in enumerate(docs)]
    items, disabled = _merge(kind, listed, problems)
    return items, disabled, any(doc is _UNREADABLE for doc in docs)


def _listed(
    doc: YamlMap | None,
    key: str,
    layer: int,
    origin: Origin | None,
    problems: list[Problem],
    required: bool = True,
) -> list[_Item]:
    """The items of a list file, each with the layer it comes from."""
    if doc is None or doc is _UNREADABLE:
        return []
    file = _file_of(doc)
    top = _Fields(doc, file, "", problems)
    top.allow({key}, set())
    return [
        _Item(_raw_id(item), item, file, path, position, layer, origin)
        for item, path, position in top.items(key, required=required and layer == 0)
    ]


def _entry_items(
    directory: Path, layer: int, origin: Origin | None, problems: list[Problem]
) -> list[_Item]:
    files = entry_files(directory)
    folder = directory / "entries"
    if present(folder) and not folder.is_dir():  # a file, or a link to nothing or to itself
        problems.append(Problem(str(folder), f"entries folder {_absent(folder)}"))
    elif layer == 0 and not folder.is_dir():
        problems.append(Problem(str(folder), "required folder of entry files is missing"))
    elif layer == 0 and not files:
        problems.append(
            Problem(str(directory / "entries"), "no entry files (*.yaml or *.yml) found")
        )
    # An entry's id is its file name: that is what an overlay's file must repeat to replace it.
    return [
        _Item(path.stem, doc, str(path), "", (1, 1), layer, origin)
        for path in files
        for doc in [_read(path, problems)]
        if doc is not None
    ]


def _raw_id(item: Any) -> str:
    value = item.get("id") if isinstance(item, YamlMap) else None
    return value.strip() if isinstance(value, str) else ""


def _merge(
    kind: str, layers: list[list[_Item]], problems: list[Problem]
) -> tuple[list[_Item], dict[str, str]]:
    """The items left once each overlay has added, replaced and disabled its own, and the ids
    disabled (with the file that disabled each)."""
    slots: list[_Item | None] = []
    where: dict[str, int] = {}  # id -> its slot
    disabled: dict[str, str] = {}
    for item in (item for layer in layers for item in layer):
        action = _overlay_action(kind, item, problems)
        slot = where.get(item.id) if item.id else None
        earlier = slots[slot] if slot is not None else None
        if action == "skip":
            continue
        if earlier is None or earlier.layer == item.layer:
            if action in ("override", "disabled"):
                _nothing_to_change(kind, item, action, where, disabled, problems)
                continue
            where.setdefault(item.id, len(slots))  # a same-file duplicate is parsed and reported
            slots.append(item)
        elif action == "override":
            assert slot is not None and item.origin is not None
            slots[slot] = item._replace(origin=item.origin._replace(replaces=True))
        elif action == "disabled":
            assert slot is not None
            slots[slot] = None
            del where[item.id]
            disabled[item.id] = item.file
        else:
            _clash(kind, item, earlier, problems)
    return [item for item in slots if item is not None], disabled


def _overlay_action(kind: str, item: _Item, problems: list[Problem]) -> str:
    """What an item does to an earlier one: "", "override", "disabled", or "skip" if unclear."""
    flags = [
        k for k in ("override", "disabled") if isinstance(item.data, YamlMap) and k in item.data
    ]
    if not flags:
        return ""
    fields = _Fields(item.data, item.file, item.path, problems, item.position)
    flag = flags[0]
    if item.origin is None:
        fields.problem(
            flag, f"'{flag}' belongs in an overlay; here, edit or delete the {kind}", at_key=True
        )
        return ""
    if len(flags) == 2:
        fields.problem("disabled", "give override or disabled, not both", at_key=True)
        return "skip"
    if item.data[flag] is not True:
        fields.problem(flag, f"write '{flag}: true', or leave the key out")
        return ""
    if flag == "disabled":
        extra = [k for k in item.data if k not in ("id", "disabled")]
        for key in extra:
            fields.problem(
                key, f"a disabled {kind} needs only 'id' and 'disabled: true'", at_key=True
            )
    # Which one to replace or remove is known by the id alone (an entry's: its file name).
    if not item.id or (flag == "disabled" and _raw_id(item.data) != item.id):
        as_file = f" ('{item.id}', as its file name)" if item.id else ""
        fields.problem("id" if "id" in item.data else None, f"'{flag}' needs the id{as_file}")
        return "skip"
    return flag


def _nothing_to_change(
    kind: str,
    item: _Item,
    action: str,
    where: dict[str, int],
    disabled: dict[str, str],
    problems: list[Problem],
) -> None:
    fields = _Fields(item.data, item.file, item.path, problems, item.position)
    verb = "override" if action == "override" else "disable"
    if item.id in disabled:
        message = f"{kind} '{item.id}' is already disabled by {disabled[item.id]}"
    else:
        hint = did_you_mean(item.id, where)
        message = f"no {kind} '{item.id}' in the folders before this overlay to {verb}{hint}"
    fields.problem("id" if "id" in fields.data else None, message)


def _clash(kind: str, item: _Item, earlier: _Item, problems: list[Problem]) -> None:
    line, column = earlier.position
    fields = _Fields(item.data, item.file, item.path, problems, item.position)
    fields.problem(
        "id" if "id" in fields.data else None,
        f"{kind} '{item.id}' is already defined in {earlier.file}:{line}:{column}; add "
        "'override: true' to replace it or 'disabled: true' to remove it",
    )


class _Fields:
    """Reads the keys of one mapping, recording a located problem for anything wrong."""

    def __init__(
        self,
        data: Any,
        file: str,
        path: str,
        problems: list[Problem],
        position: tuple[int, int] | None = None,
    ) -> None:
        self.file, self.path, self.problems = file, path, problems
        self.ok = isinstance(data, YamlMap)
        self.data: YamlMap = data if self.ok else YamlMap()
        if not self.ok:
            line, column = position or (None, None)
            self.problems.append(
                Problem(
                    file,
                    f"expected a mapping of keys, found {_kind(data)}",
                    line,
                    column,
                    path or None,
                )
            )

    def key_path(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def problem(self, key: str | None, message: str, at_key: bool = False) -> None:
        if key is None or key not in self.data:
            line, column = self.data.position if self.ok else (None, None)
        else:
            positions = self.data.key_positions if at_key else self.data.value_positions
            line, column = positions[key]
        self.problems.append(
            Problem(
                self.file, message, line, column, self.key_path(key) if key else self.path or None
            )
        )

    def position(self, key: str) -> tuple[int, int]:
        return self.data.value_positions.get(key, self.data.position)

    def allow(self, required: set[str], optional: set[str]) -> None:
        if not self.ok:
            return
        for key in self.data:
            if key not in required and key not in optional:
                known = sorted(required | optional)
                self.problem(key, f"unknown key{did_you_mean(key, known)}", at_key=True)
        if not required.issubset(self.data):
            for key in sorted(required - set(self.data)):
                self.problem(None, f"missing required key '{key}'")

    def text(self, key: str, default: str = "") -> str:
        value = self.data.get(key, default)
        if value is None or (isinstance(value, str) and not value.strip() and key in self.data):
            self.problem(key, "must not be empty")
            return default
        if not isinstance(value, str):
            self.problem(key, f"expected text, found {_kind(value)}{_quote_hint(value)}")
            return default
        return value.strip()

    def integer(self, key: str, default: int, minimum: int | None = None) -> int:
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(key, f"expected a whole number, found {_kind(value)}")
            return default
        if minimum is not None and value < minimum:
            self.problem(key, f"must be at least {minimum}, found {value}")
            return default
        return value

    def number(self, key: str) -> float | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not is_number(value):
            self.problem(
                key,
                f"expected a finite number{_NUMBER_RANGE}, found {_kind(value)}",
            )
            return None
        return float(value)

    def boolean(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            self.problem(key, f"expected true or false, found {_kind(value)}")
            return default
        return value

    def choice(self, key: str, allowed: tuple[str, ...], default: str = "") -> str:
        value = self.text(key, default)
        if value and value not in allowed:
            self.problem(
                key,
                f"expected one of {', '.join(allowed)}, found '{value}'"
                f"{did_you_mean(value, allowed)}",
            )
            return default
        return value

    def identifier(self, key: str = "id") -> str:
        value = self.text(key)
        if value and not ID_PATTERN.match(value):
            self.problem(
                key,
                f"'{value}' is not a valid id: use lower-case letters, digits, "
                "'-' and '_', starting with a letter or digit",
            )
            return ""
        return value

    def items(self, key: str, required: bool = False) -> list[tuple[Any, str, tuple[int, int]]]:
        """The items of a list value with their key paths and positions."""
        if key not in self.data:
            return []
        value = self.data[key]
        if not isinstance(value, YamlList):
            self.problem(key, f"expected a list, found {_kind(value)}")
            return []
        if required and not value:
            self.problem(key, "must list at least one item")
        return [
            (item, f"{self.key_path(key)}[{i}]", value.item_positions[i])
            for i, item in enumerate(value)
        ]

    def texts(self, key: str, required: bool = False) -> tuple[str, ...]:
        found = []
        for item, path, (line, column) in self.items(key, required):
            if isinstance(item, str) and item.strip():
                found.append(item.strip())
            else:
                self.problems.append(
                    Problem(
                        self.file,
                        f"expected text, found {_kind(item)}{_quote_hint(item)}",
                        line,
                        column,
                        path,
                    )
                )
        return tuple(found)

    def sources(self, key: str, required: bool = False) -> tuple[Source, ...]:
        return tuple(
            s
            for item, path, pos in self.items(key, required)
            for s in [_source(item, self.file, path, pos, self.problems)]
            if s
        )


def _source(
    item: Any, file: str, path: str, position: tuple[int, int], problems: list[Problem]
) -> Source | None:
    if isinstance(item, str) and item.strip():
        if problem := _source_problem(item.strip()):
            problems.append(Problem(file, problem, *position, path))
        return Source(item.strip())
    fields = _Fields(item, file, path, problems, position)
    fields.allow(*KEYS["source"])
    ref = fields.text("url")
    if problem := _source_problem(ref):
        fields.problem("url", problem)
    return Source(ref, fields.text("title")) if ref else None


def _source_problem(ref: str) -> str:
    """A source meant as a web address must be a well-formed one (a document file is a path)."""
    return web_address_problem(ref) if looks_like_web_address(ref) else ""


def _settings(meta: YamlMap, questions: _Index, problems: list[Problem]) -> dict[str, Any]:
    file = _file_of(meta)
    fields = _Fields(meta, file, "", problems)
    fields.allow(*KEYS["ruleset"])
    agency_question = _named_question(fields, "agency_question", questions, "text")
    min_fit, strong_fit = _share(fields, "min_fit", 0.4), _share(fields, "strong_fit", 0.7)
    if strong_fit < min_fit:
        fields.problem("strong_fit", f"strong_fit ({strong_fit}) is below min_fit ({min_fit})")
    state_question = _named_question(fields, "state_question", questions, "single")
    return {
        "name": fields.text("name"),
        "version": fields.text("version"),
        "starting_set_size": fields.integer("starting_set_size", 3, minimum=1),
        "min_score": fields.integer("min_score", 1),
        "min_fit": min_fit,
        "strong_fit": strong_fit,
        "gap_penalty": fields.integer("gap_penalty", 1, minimum=0),
        "agency_question": agency_question,
        "agency_type_question": _named_question(fields, "agency_type_question", questions),
        "operating_question": _named_question(fields, "operating_question", questions),
        "disclaimer": fields.text("disclaimer"),
        "state_question": state_question,
    }


def _share(fields: _Fields, key: str, default: float) -> float:
    """A share of an entry's points, from 0 to 1."""
    value = fields.number(key)
    if value is None:
        return default
    if not 0 <= value <= 1:
        fields.problem(key, f"expected a share from 0 to 1 (0.4 is 40%), found {value}")
        return default
    return float(value)


def _named_question(fields: _Fields, key: str, questions: _Index, qtype: str = "") -> str:
    """A setting naming a question, checked to exist (and to be of qtype, when given)."""
    if key not in fields.data:
        return ""
    name = fields.identifier(key)
    if name and questions and name not in questions and not questions.unreadable:
        fields.problem(key, f"no question '{name}'{did_you_mean(name, questions)}")
        return ""
    if qtype and name in questions and questions[name].type != qtype:
        fields.problem(key, f"question '{name}' must be of type {qtype}")
    return name


def _questions(items: list[_Item], index: _Index, problems: list[Problem]) -> list[Question]:
    """The questions in asking order; each is added to index once read, as conditions of later
    questions may name it."""
    for item in items:
        question = _question(item, index, problems)
        if question is None:
            continue
        if question.id in index:
            problems.append(
                Problem(
                    item.file, f"duplicate question id '{question.id}'", *item.position, item.path
                )
            )
            continue
        index[question.id] = question
    return list(index.values())


def _question(item: _Item, earlier: _Index, problems: list[Problem]) -> Question | None:
    file = item.file
    fields = _Fields(item.data, file, item.path, problems, item.position)
    if not fields.ok:
        return None
    fields.allow(*KEYS["question"])
    qid = fields.identifier()
    qtype = fields.choice("type", QUESTION_TYPES)
    dont_know = _dont_know(fields, qtype)
    options = _options(fields, qtype, dont_know)
    when = None
    if "when" in fields.data:
        # A question may only depend on questions asked before it: no cycles, a stable order.
        when = _condition(
            fields.data["when"],
            fields.position("when"),
            fields.key_path("when"),
            file,
            earlier,
            problems,
            asking=qid,
        )
    low, high = fields.number("min"), fields.number("max")
    if qtype != "number" and ("min" in fields.data or "max" in fields.data):
        key = "min" if "min" in fields.data else "max"
        fields.problem(key, "only number questions have min and max")
    if low is not None and high is not None and low > high:
        fields.problem("max", f"max ({high}) is below min ({low})")
    if "integer" in fields.data and qtype != "number":
        fields.problem("integer", "only number questions have integer")
    for key in ("max_length", "multiline"):
        if key in fields.data and qtype != "text":
            fields.problem(key, f"only text questions have {key}")
    source = None
    if "source" in fields.data:
        source = _source(
            fields.data["source"],
            file,
            fields.key_path("source"),
            fields.position("source"),
            problems,
        )
    if not qid:
        return None
    # A question with a bad type is still registered, so conditions naming it do not cascade.
    return Question(
        id=qid,
        prompt=fields.text("prompt"),
        help=fields.text("help"),
        type=qtype,
        options=options,
        when=when,
        required=fields.boolean("required", True),
        min=low,
        max=high,
        integer=fields.boolean("integer", False),
        max_length=fields.integer("max_length", 200, minimum=1),
        dont_know=dont_know or any(o.value == UNKNOWN for o in options),
        multiline=fields.boolean("multiline", False),
        source=source,
        file=file,
        line=item.position[0],
        origin=item.origin,
        **_profile_sentences(fields, qtype),
    )


def _profile_sentences(fields: _Fields, qtype: str) -> dict[str, str]:
    profile, profile_no = fields.text("profile"), fields.text("profile_no")
    if profile_no and qtype != "confirm":
        fields.problem("profile_no", "only confirm (yes/no) questions have profile_no")
    if profile and qtype not in ("confirm", "") and ANSWER not in profile:
        fields.problem("profile", f"write {ANSWER} where the answer goes")
    return {"profile": profile, "profile_no": profile_no}


def _dont_know(fields: _Fields, qtype: str) -> bool:
    offered = fields.boolean("dont_know", False)
    if offered and qtype in ("number", "text"):
        fields.problem("dont_know", "only single, multi and confirm questions offer Don't know")
        return False
    return offered


def _options(fields: _Fields, qtype: str, dont_know: bool) -> tuple[Option, ...]:
    if not qtype:
        return ()  # the type is already reported; options cannot be judged without it
    if qtype not in ("single", "multi"):
        if "options" in fields.data:
            fields.problem("options", f"{qtype or 'this'} question cannot have options")
        return ()
    if "options" not in fields.data:
        fields.problem(None, f"missing required key 'options' for a {qtype} question")
        return ()
    options: dict[str, Option] = {}
    owners: dict[str, str] = {}  # each value and alias -> its option: an answer names one only
    for item, path, position in fields.items("options", required=True):
        option = _Fields(item, fields.file, path, fields.problems, position)
        option.allow(*KEYS["option"])
        value = option.identifier("value")
        if value in options:
            option.problem("value", f"duplicate option value '{value}'")
        elif value in owners:
            option.problem("value", f"'{value}' is already an alias of option '{owners[value]}'")
        elif value:
            aliases = _option_aliases(option, value, owners)
            options[value] = Option(value, option.text("label"), aliases)
            owners.update(dict.fromkeys((value, *aliases), value))
    if dont_know and UNKNOWN not in options:
        options[UNKNOWN] = Option(UNKNOWN, DONT_KNOW)
    return tuple(options.values())


def _option_aliases(option: _Fields, value: str, owners: dict[str, str]) -> tuple[str, ...]:
    """An option's former values, each a valid id that names no other option."""
    aliases = option.texts("aliases")
    for alias in aliases:
        if not ID_PATTERN.match(alias):
            option.problem("aliases", f"'{alias}' is not a valid option value")
        elif alias == value or alias in owners:
            option.problem(
                "aliases", f"'{alias}' already names option '{owners.get(alias, value)}'"
            )
    return aliases


def _condition(
    data: Any,
    position: tuple[int, int],
    path: str,
    file: str,
    questions: _Index,
    problems: list[Problem],
    asking: str = "",
    depth: int = 0,
) -> Condition | None:
    fields = _Fields(data, file, path, problems, position)
    if not fields.ok:
        return None
    if depth > MAX_CONDITION_DEPTH:
        fields.problem(None, f"condition nested more than {MAX_CONDITION_DEPTH} levels deep")
        return None
    groups = [k for k in ("all", "any", "not") if k in fields.data]
    if groups:
        fields.allow({groups[0]}, set())
        return _group(fields, groups[0], questions, asking, depth)
    if "resource" in fields.data and not asking:
        return _resource_condition(fields, questions)
    operators = [k for k in fields.data if k in COMPARISONS]
    fields.allow({"question"}, set(COMPARISONS))
    if len(operators) != 1:
        fields.problem(
            None,
            "a condition needs 'question' and exactly one of: "
            + ", ".join(COMPARISONS)
            + "; or one of all, any, not",
        )
        return None
    qid = fields.text("question")
    if qid == asking:
        fields.problem("question", f"question '{qid}' cannot depend on its own answer")
        return None
    question = questions.get(qid)
    if question is None:
        if qid in questions.disabled:
            fields.problem("question", f"question '{qid}' is disabled by {questions.disabled[qid]}")
        elif qid and not questions.unreadable:
            where = "an earlier question" if asking else "a question"
            fields.problem("question", f"'{qid}' is not {where}{did_you_mean(qid, questions)}")
        return None
    operator = operators[0]
    value = fields.data[operator]
    message = _comparison_problem(question, operator, value)
    if message:
        fields.problem(operator, message)
        return None
    return Comparison(qid, operator, value)


def _resource_condition(fields: _Fields, questions: _Index) -> Condition | None:
    """`{resource: id}`: the resource's own `have` condition, so it is stated once."""
    fields.allow({"resource"}, set())
    name = fields.identifier("resource")
    resource = questions.resources.get(name)
    if resource is None:
        if name:
            found = questions.resources
            fields.problem("resource", f"no resource '{name}'{did_you_mean(name, found)}")
        return None
    return resource.have


def _group(
    fields: _Fields, key: str, questions: _Index, asking: str, depth: int
) -> Condition | None:
    def parse(item: Any, path: str, position: tuple[int, int]) -> Condition | None:
        return _condition(
            item, position, path, fields.file, questions, fields.problems, asking, depth + 1
        )

    if key == "not":
        inner = parse(fields.data["not"], fields.key_path("not"), fields.position("not"))
        return Not(inner) if inner else None
    children = [parse(*entry) for entry in fields.items(key, required=True)]
    if not children or any(c is None for c in children):
        return None
    found = tuple(c for c in children if c is not None)
    return AllOf(found) if key == "all" else AnyOf(found)


def _comparison_problem(question: Question, operator: str, value: Any) -> str:
    """Why this comparison cannot work for this question, or '' when it can."""
    qtype = question.type
    if not qtype:
        return ""  # the question's own type is already reported
    values = {o.value for o in question.options}
    if operator == "answered":
        return "" if isinstance(value, bool) else "answered takes true or false"
    if operator in ("at_least", "at_most"):
        if qtype != "number":
            return f"{operator} needs a number question; '{question.id}' is {qtype}"
        if not is_number(value):
            return f"{operator} takes a finite number{_NUMBER_RANGE}, found {_kind(value)}"
        return ""
    if operator.startswith("includes"):
        if qtype != "multi":
            return f"{operator} needs a multi question; '{question.id}' is {qtype}"
        wanted = value if operator != "includes" else [value]
        return _unknown_values(question, wanted, values)
    wanted = value if operator == "in" else [value]
    if operator == "in" and not (isinstance(value, list) and value):
        return "in takes a non-empty list of values"
    if qtype in ("single", "multi"):
        if qtype == "multi":
            return f"{operator} cannot test a multi question; use includes or includes_any"
        return _unknown_values(question, wanted, values)
    expected_types: dict[str, type | tuple[type, ...]] = {
        "confirm": bool,
        "number": (int, float),
        "text": str,
    }
    expected_type = expected_types[qtype]
    for item in wanted:
        if not isinstance(item, expected_type) or (qtype == "number" and isinstance(item, bool)):
            return f"'{question.id}' is a {qtype} question; {item!r} cannot be its answer"
    return ""


def _unknown_values(question: Question, wanted: Any, values: set[str]) -> str:
    if not isinstance(wanted, list) or not wanted:
        return "expected a non-empty list of option values"
    for item in wanted:
        if item not in values:
            return f"'{item}' is not an option of '{question.id}'{did_you_mean(str(item), values)}"
    return ""


def _entry(
    item: _Item, questions: _Index, gap_penalty: int, problems: list[Problem]
) -> Entry | None:
    file = item.file
    fields = _Fields(item.data, file, "", problems)
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


def _short_name(fields: _Fields) -> str:
    short = fields.text("short_name")
    if len(short) > SHORT_NAME_LENGTH:
        fields.problem("short_name", f"is {len(short)} characters; at most {SHORT_NAME_LENGTH}")
        return ""
    return short


def _rule(
    fields: _Fields, item: Any, path: str, position: tuple[int, int], questions: _Index
) -> tuple[_Fields, Condition | None]:
    """A rule mapping with its parsed `when` condition (None if missing or broken)."""
    rule = _Fields(item, fields.file, path, fields.problems, position)
    if not rule.ok or "when" not in rule.data:
        return rule, None
    when = _condition(
        rule.data["when"],
        rule.position("when"),
        rule.key_path("when"),
        fields.file,
        questions,
        fields.problems,
    )
    return rule, when


def _requirements(fields: _Fields, questions: _Index) -> tuple[Requirement, ...]:
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


def _fit_rules(fields: _Fields, questions: _Index) -> tuple[FitRule, ...]:
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


def _prerequisites(
    fields: _Fields, questions: _Index, gap_penalty: int
) -> tuple[Prerequisite, ...]:
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


def _named_resource(rule: _Fields, questions: _Index) -> Resource | None:
    if "resource" not in rule.data:
        return None
    name = rule.identifier("resource")
    resource = questions.resources.get(name)
    if resource is None and name:
        found = questions.resources
        rule.problem("resource", f"no resource '{name}'{did_you_mean(name, found)}")
    return resource


def _closed_by(rule: _Fields, resource: Resource | None) -> str:
    """Who can close the gap; the older `buildable: false` means a change of law."""
    if "buildable" in rule.data and "closed_by" in rule.data:
        rule.problem("buildable", "give closed_by or buildable, not both")
    if "buildable" in rule.data:
        return "agency" if rule.boolean("buildable", True) else "law"
    return rule.choice("closed_by", CLOSED_BY, resource.closed_by if resource else "agency")


def _steps(fields: _Fields, key: str, questions: _Index) -> tuple[Step, ...]:
    """First steps or partners: plain text, or text with the conditions that fit it."""
    found = []
    for item, path, position in fields.items(key):
        if isinstance(item, str) and item.strip():
            found.append(Step(item.strip()))
            continue
        step = _Fields(item, fields.file, path, fields.problems, position)
        if not step.ok:
            continue
        step.allow(*KEYS["step"])
        when, unless = (
            _condition(
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
        closes = _named_resource_key(step, "closes", questions)
        instead = step.text("instead")
        if instead and unless is None and not closes:
            step.problem("instead", "instead needs 'unless' or 'closes': when would it be shown?")
        text = step.text("text")
        if text:
            found.append(Step(text, when, unless, instead, closes))
    return tuple(found)


def _named_resource_key(fields: _Fields, key: str, questions: _Index) -> str:
    if key not in fields.data:
        return ""
    name = fields.identifier(key)
    if name and name not in questions.resources:
        found = questions.resources
        fields.problem(key, f"no resource '{name}'{did_you_mean(name, found)}")
        return ""
    return name


def _optional_condition(fields: _Fields, key: str, questions: _Index) -> Condition | None:
    """The condition under an optional key of a mapping (None when absent or broken)."""
    if key not in fields.data:
        return None
    return _condition(
        fields.data[key],
        fields.position(key),
        fields.key_path(key),
        fields.file,
        questions,
        fields.problems,
    )


def _resources(items: list[_Item], questions: _Index, problems: list[Problem]) -> list[Resource]:
    """The shared resources in build order; each is registered for conditions once read."""
    for item in items:
        fields = _Fields(item.data, item.file, item.path, problems, item.position)
        if not fields.ok:
            continue
        fields.allow(*KEYS["resource"])
        resource_id = fields.identifier()
        have = _optional_condition(fields, "have", questions)
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


def _check_resource_providers(
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


def _check_operating_question(
    name: str, questions: _Index, entries: list[Entry], problems: list[Problem]
) -> None:
    """The programs-operating question lists entries by id, so the engine can tell them."""
    question = questions.get(name)
    if question is None:
        return
    ids = {e.id for e in entries}
    if question.type != "multi":
        problems.append(
            Problem(
                question.file,
                f"operating_question '{name}' must be a multi question",
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


def _examples(fields: _Fields) -> list[Example]:
    found = []
    for item, path, position in fields.items("examples"):
        example = _Fields(item, fields.file, path, fields.problems, position)
        example.allow(*KEYS["example"])
        year = example.data.get("year", "")
        if year != "" and (isinstance(year, bool) or not isinstance(year, (int, str))):
            example.problem("year", f"expected a year, found {_kind(year)}")
            year = ""
        source = None
        if "source" in example.data:
            source = _source(
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


def _providers(items: list[_Item], questions: _Index, problems: list[Problem]) -> list[Provider]:
    found: dict[str, Provider] = {}
    for item in items:
        fields = _Fields(item.data, item.file, item.path, problems, item.position)
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
                checked=_date(fields, "checked", DAY, "YYYY-MM-DD"),
                checked_source=_checked_source(fields),
                contact_type=fields.choice("contact_type", CONTACT_TYPES),
                no_cost=fields.boolean("no_cost", True) if "no_cost" in fields.data else None,
                agency_types=_agency_types(fields, questions),
                archived=archived,
            )
    return list(found.values())


def _knowledge(
    kind: str,
    layers: list[Path],
    origins: list[Origin | None],
    questions: _Index,
    entry_ids: set[str],
    dropped_entries: dict[str, str],
    problems: list[Problem],
) -> tuple[KnowledgeItem, ...]:
    """The legal checks or funding items of every layer, merged and checked."""
    name, key, word = KNOWLEDGE_FILES[kind]
    items, _, _ = _layered_list(word, layers, origins, problems, (name, key))
    found: dict[str, KnowledgeItem] = {}
    for item in items:
        parsed = _knowledge_item(kind, item, questions, entry_ids, problems)
        if parsed is None:
            continue
        if parsed.id in found:
            _Fields(item.data, item.file, item.path, problems, item.position).problem(
                "id", f"duplicate {word} id '{parsed.id}'"
            )
            continue
        # An item about an entry an overlay disabled goes on applying to the others.
        applies = tuple(a for a in parsed.applies_to if a not in dropped_entries)
        found[parsed.id] = parsed._replace(applies_to=applies)
    return tuple(found.values())


def _knowledge_item(
    kind: str, item: _Item, questions: _Index, entry_ids: set[str], problems: list[Problem]
) -> KnowledgeItem | None:
    fields = _Fields(item.data, item.file, item.path, problems, item.position)
    if not fields.ok:
        return None
    fields.allow(*KEYS[kind])
    item_id = fields.identifier()
    when = _optional_condition(fields, "when", questions)
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


def _as_of(fields: _Fields) -> str:
    """A funding item's date or year, as text: `as_of: 2025` is a year, not a number."""
    value = fields.data.get("as_of")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return fields.text("as_of") if "as_of" in fields.data else ""


def _served(fields: _Fields, archived: Archived | None) -> tuple[str, ...]:
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


def _date(fields: _Fields, key: str, pattern: re.Pattern[str], form: str) -> str:
    """A date in the given form ('' when absent), checked to exist; a bare year may be a number."""
    raw = fields.data.get(key)
    is_year = isinstance(raw, int) and not isinstance(raw, bool)
    value = str(raw) if is_year else fields.text(key)
    if not value:
        return ""
    day = value if len(value) == len("YYYY-MM-DD") else f"{value}-01-01"
    try:
        valid = bool(pattern.match(value)) and bool(date.fromisoformat(day))
    except ValueError:
        valid = False
    if not valid:
        fields.problem(key, f"expected a date written {form}, found '{value}'")
        return ""
    return value


def _checked_source(fields: _Fields) -> Source | None:
    if "checked_source" not in fields.data:
        return None  # already reported as a missing required key
    return _source(
        fields.data["checked_source"],
        fields.file,
        fields.key_path("checked_source"),
        fields.position("checked_source"),
        fields.problems,
    )


def _agency_types(fields: _Fields, questions: _Index) -> tuple[str, ...]:
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


def _archived(fields: _Fields) -> Archived | None:
    if "archived" not in fields.data:
        return None
    archived = _Fields(
        fields.data["archived"],
        fields.file,
        fields.key_path("archived"),
        fields.problems,
        fields.position("archived"),
    )
    if not archived.ok:
        return None
    archived.allow(*KEYS["archived"])
    when = _date(archived, "ended", YEAR_OR_DAY, "YYYY or YYYY-MM-DD")
    note = archived.text("note")
    replaced_by = archived.identifier("replaced_by") if "replaced_by" in archived.data else ""
    return Archived(when, note, replaced_by) if when and note else None


def _check_cross_references(
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


def _file_of(doc: YamlMap) -> str:
    return getattr(doc, "file", "")


def _kind(value: Any) -> str:
    kinds: dict[type, Callable[[Any], str]] = {
        bool: lambda v: f"{str(v).lower()} (a boolean)",
        int: lambda v: f"the number {v}",
        float: lambda v: f"the number {v}",
        str: lambda v: f"the text '{v[:40]}'",
        YamlList: lambda v: "a list",
        YamlMap: lambda v: "a mapping",
        type(None): lambda v: "nothing (empty value)",
    }
    return kinds.get(type(value), lambda v: type(v).__name__)(value)


def _quote_hint(value: Any) -> str:
    if isinstance(value, (bool, int, float)):
        return "; put text in quotes"
    if isinstance(value, YamlMap) and len(value) == 1:
        return " (text containing ': ' must be put in quotes)"
    return ""
