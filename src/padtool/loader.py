"""Rule-set files -> typed RuleSet, checking everything and reporting every problem at once.

This module finds the files of a rule set and its overlays, lays the overlays over the rule set
and reads its settings; the modules of padtool.rules read each kind of item.
"""

from __future__ import annotations

import errno
import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .errors import PadtoolError, Problem, did_you_mean
from .files import present
from .model import Origin, Overlay, PlanRules, RuleSet
from .rulefiles import OVERLAY_FILE, RULE_SET_FILE, entry_files, rule_layers
from .rules.checks import check_cross_references, check_operating_question, check_resource_providers
from .rules.entries import read_entry, read_resources
from .rules.fields import Fields, Item, file_of
from .rules.plan import PLAN_FILE, read_plan
from .rules.providers import KNOWLEDGE_FILES, read_knowledge, read_providers
from .rules.questions import Index, read_questions
from .rules.schema import KEYS
from .yamlfile import YamlMap, read_mapping

_MISSING_RULE_SET = (
    "required rule-set file is missing (a rule set has ruleset.yaml; an overlay has overlay.yaml)"
)
_UNREADABLE = YamlMap()  # stands for a file already reported as broken


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
    index = Index(unreadable_questions, dropped_questions)
    questions = read_questions(question_items, index, problems)
    settings = _settings(meta, index, problems) if meta is not None else None
    gap_penalty = settings["gap_penalty"] if settings else 1
    resource_items, _, _ = _layered_list(
        "resource", layers, origins, problems, ("resources.yaml", "resources")
    )
    resources = read_resources(resource_items, index, problems)

    entry_layers = [_entry_items(d, i, origins[i], problems) for i, d in enumerate(layers)]
    entry_items, dropped_entries = _merge("entry", entry_layers, problems)
    entries = [
        e
        for item in entry_items
        for e in [read_entry(item, index, gap_penalty, problems)]
        if e is not None
    ]
    provider_items, _, _ = _layered_list("provider", layers, origins, problems)
    # A provider serving an entry an overlay disabled goes on serving the others.
    providers = [
        p._replace(serves=tuple(s for s in p.serves if s not in dropped_entries))
        for p in read_providers(provider_items, index, problems, _state_ids(settings, index))
    ]
    # An entry file already reported as broken is not reported again by every reference to it.
    unreadable = {item.id for layer in entry_layers for item in layer} - {e.id for e in entries}
    check_cross_references(
        entries, providers, unreadable - set(dropped_entries), dropped_entries, problems
    )
    check_resource_providers(resources, providers, problems)
    if settings is not None:
        for key in ("operating_question", "planning_question"):
            check_operating_question(key, settings[key], index, entries, problems)
    known = {e.id for e in entries} | unreadable | set(dropped_entries)
    knowledge = {
        kind: read_knowledge(
            kind,
            _knowledge_items(kind, layers, origins, problems),
            index,
            known,
            dropped_entries,
            problems,
        )
        for kind in KNOWLEDGE_FILES
    }
    plan = _plan(layers, index, entry_items, known, problems)
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


def _knowledge_items(
    kind: str, layers: list[Path], origins: list[Origin | None], problems: list[Problem]
) -> list[Item]:
    """The legal checks or funding items of every layer, merged."""
    name, key, word = KNOWLEDGE_FILES[kind]
    return _layered_list(word, layers, origins, problems, (name, key))[0]


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


def _plan(
    layers: list[Path],
    questions: Index,
    entry_items: list[Item],
    entry_ids: set[str],
    problems: list[Problem],
) -> PlanRules | None:
    """The plan data (None when the rule set has no plan.yaml): plan.yaml is the rule set's
    own; an overlay changes plans through its entries' `plan` sections."""
    for overlay in layers[1:]:
        if (overlay / PLAN_FILE).exists():
            problems.append(
                Problem(
                    str(overlay / PLAN_FILE),
                    f"an overlay has no {PLAN_FILE}: give your tasks in an entry's 'plan'",
                )
            )
    doc = _read_optional(layers[0] / PLAN_FILE, False, problems)
    if doc is None or doc is _UNREADABLE:
        return None
    return read_plan(doc, questions, entry_items, entry_ids, problems)


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
    fields = Fields(doc, file_of(doc), "", problems)
    fields.allow(*KEYS["overlay"])
    return Overlay(fields.text("name", directory.name), str(directory), fields.text("description"))


def _layered_list(
    kind: str,
    layers: list[Path],
    origins: list[Origin | None],
    problems: list[Problem],
    file_and_key: tuple[str, str] | None = None,
) -> tuple[list[Item], dict[str, str], bool]:
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
) -> list[Item]:
    """The items of a list file, each with the layer it comes from."""
    if doc is None or doc is _UNREADABLE:
        return []
    file = file_of(doc)
    top = Fields(doc, file, "", problems)
    top.allow({key}, set())
    return [
        Item(_raw_id(item), item, file, path, position, layer, origin)
        for item, path, position in top.items(key, required=required and layer == 0)
    ]


def _entry_items(
    directory: Path, layer: int, origin: Origin | None, problems: list[Problem]
) -> list[Item]:
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
        Item(path.stem, doc, str(path), "", (1, 1), layer, origin)
        for path in files
        for doc in [_read(path, problems)]
        if doc is not None
    ]


def _raw_id(item: Any) -> str:
    value = item.get("id") if isinstance(item, YamlMap) else None
    return value.strip() if isinstance(value, str) else ""


def _merge(
    kind: str, layers: list[list[Item]], problems: list[Problem]
) -> tuple[list[Item], dict[str, str]]:
    """The items left once each overlay has added, replaced and disabled its own, and the ids
    disabled (with the file that disabled each)."""
    slots: list[Item | None] = []
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


def _overlay_action(kind: str, item: Item, problems: list[Problem]) -> str:
    """What an item does to an earlier one: "", "override", "disabled", or "skip" if unclear."""
    flags = [
        k for k in ("override", "disabled") if isinstance(item.data, YamlMap) and k in item.data
    ]
    if not flags:
        return ""
    fields = Fields(item.data, item.file, item.path, problems, item.position)
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
    item: Item,
    action: str,
    where: dict[str, int],
    disabled: dict[str, str],
    problems: list[Problem],
) -> None:
    fields = Fields(item.data, item.file, item.path, problems, item.position)
    verb = "override" if action == "override" else "disable"
    if item.id in disabled:
        message = f"{kind} '{item.id}' is already disabled by {disabled[item.id]}"
    else:
        hint = did_you_mean(item.id, where)
        message = f"no {kind} '{item.id}' in the folders before this overlay to {verb}{hint}"
    fields.problem("id" if "id" in fields.data else None, message)


def _clash(kind: str, item: Item, earlier: Item, problems: list[Problem]) -> None:
    line, column = earlier.position
    fields = Fields(item.data, item.file, item.path, problems, item.position)
    fields.problem(
        "id" if "id" in fields.data else None,
        f"{kind} '{item.id}' is already defined in {earlier.file}:{line}:{column}; add "
        "'override: true' to replace it or 'disabled: true' to remove it",
    )


def _settings(meta: YamlMap, questions: Index, problems: list[Problem]) -> dict[str, Any]:
    file = file_of(meta)
    fields = Fields(meta, file, "", problems)
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
        "planning_question": _named_question(fields, "planning_question", questions),
        "disclaimer": fields.text("disclaimer"),
        "state_question": state_question,
    }


def _state_ids(settings: dict[str, Any] | None, questions: Index) -> set[str] | None:
    """The state ids providers' `states` may name: the options of the rule set's state question;
    None when they cannot be known (ruleset.yaml or the questions are already reported broken)."""
    if settings is None or questions.unreadable:
        return None
    question = questions.get(settings["state_question"])
    return {o.value for o in question.options} if question is not None else set()


def _share(fields: Fields, key: str, default: float) -> float:
    """A share of an entry's points, from 0 to 1."""
    value = fields.number(key)
    if value is None:
        return default
    if not 0 <= value <= 1:
        fields.problem(key, f"expected a share from 0 to 1 (0.4 is 40%), found {value}")
        return default
    return float(value)


def _named_question(fields: Fields, key: str, questions: Index, qtype: str = "") -> str:
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
