"""Questions, their options, and the conditions that name them."""

from __future__ import annotations

from typing import Any

from ..conditions import COMPARISONS, UNKNOWN, AllOf, AnyOf, Comparison, Condition, Not, is_number
from ..errors import Problem, did_you_mean
from ..model import DONT_KNOW, Option, Question, Resource
from ..question_types import NAMES, TYPES, QuestionType, question_type
from .fields import ID_PATTERN, NUMBER_RANGE, Fields, Item, kind_of, read_source
from .schema import KEYS

ANSWER = "{answer}"  # the placeholder of a question's profile sentence
MAX_CONDITION_DEPTH = 12


class Index(dict[str, Question]):
    """The questions conditions may name, and what a condition naming another is told."""

    def __init__(self, unreadable: bool = False, disabled: dict[str, str] | None = None) -> None:
        super().__init__()
        # A questions file already reported as broken: references to its questions are not
        # checked, so one syntax error does not bring a hundred follow-on messages.
        self.unreadable = unreadable
        self.disabled = disabled or {}
        # Shared resources a condition may name with {resource: id}: it stands for their `have`.
        self.resources: dict[str, Resource] = {}


def read_questions(items: list[Item], index: Index, problems: list[Problem]) -> list[Question]:
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


def _question(item: Item, earlier: Index, problems: list[Problem]) -> Question | None:
    file = item.file
    fields = Fields(item.data, file, item.path, problems, item.position)
    if not fields.ok:
        return None
    fields.allow(*KEYS["question"])
    qid = fields.identifier()
    qtype = fields.choice("type", NAMES)
    kind = question_type(qtype)
    dont_know = _dont_know(fields, kind)
    options = _options(fields, kind, dont_know)
    when = None
    if "when" in fields.data:
        # A question may only depend on questions asked before it: no cycles, a stable order.
        when = read_condition(
            fields.data["when"],
            fields.position("when"),
            fields.key_path("when"),
            file,
            earlier,
            problems,
            asking=qid,
        )
    low, high = fields.number("min"), fields.number("max")
    _check_type_keys(fields, question_type(qtype))
    if low is not None and high is not None and low > high:
        fields.problem("max", f"max ({high}) is below min ({low})")
    source = None
    if "source" in fields.data:
        source = read_source(
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
        removed=_removed_options(fields, options),
        **_profile_sentences(fields, kind),
    )


def _check_type_keys(fields: Fields, kind: QuestionType | None) -> None:
    """Keys only some types have (min, max_length...), given to a question of another type."""
    for owner in TYPES.values():
        if owner is kind:
            continue
        for group in owner.keys:
            given = [key for key in group if key in fields.data]
            if given:
                fields.problem(given[0], f"only {owner.label} questions have {' and '.join(group)}")


def _profile_sentences(fields: Fields, kind: QuestionType | None) -> dict[str, str]:
    profile, profile_no = fields.text("profile"), fields.text("profile_no")
    if profile and kind is not None and kind.profile_has_answer and ANSWER not in profile:
        fields.problem("profile", f"write {ANSWER} where the answer goes")
    return {"profile": profile, "profile_no": profile_no}


def _dont_know(fields: Fields, kind: QuestionType | None) -> bool:
    offered = fields.boolean("dont_know", False)
    if offered and kind is not None and not kind.dont_know:
        offering = _listing([t.name for t in TYPES.values() if t.dont_know])
        fields.problem("dont_know", f"only {offering} questions offer Don't know")
        return False
    return offered


def _listing(names: list[str]) -> str:
    """ "a, b and c" """
    return f"{', '.join(names[:-1])} and {names[-1]}" if len(names) > 1 else "".join(names)


def _options(fields: Fields, kind: QuestionType | None, dont_know: bool) -> tuple[Option, ...]:
    if kind is None:
        return ()  # the type is already reported; options cannot be judged without it
    if not kind.options:
        if "options" in fields.data:
            fields.problem("options", f"{kind.name} question cannot have options")
        return ()
    if "options" not in fields.data:
        fields.problem(None, f"missing required key 'options' for a {kind.name} question")
        return ()
    options: dict[str, Option] = {}
    owners: dict[str, str] = {}  # each value and alias -> its option: an answer names one only
    for item, path, position in fields.items("options", required=True):
        option = Fields(item, fields.file, path, fields.problems, position)
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


def _option_aliases(option: Fields, value: str, owners: dict[str, str]) -> tuple[str, ...]:
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


def _removed_options(fields: Fields, options: tuple[Option, ...]) -> tuple[tuple[str, str], ...]:
    """Former option values no answer may give any more, each with what to answer instead."""
    if "removed_options" in fields.data and not options:
        fields.problem("removed_options", "only questions with options can have removed options")
        return ()
    current = {name for o in options for name in (o.value, *o.aliases)}
    removed: dict[str, str] = {}
    for item, path, position in fields.items("removed_options"):
        entry = Fields(item, fields.file, path, fields.problems, position)
        entry.allow(*KEYS["removed_option"])
        value, instead = entry.identifier("value"), entry.text("instead")
        if value in current:
            entry.problem("value", f"'{value}' is still an option or an alias of one")
        elif value in removed:
            entry.problem("value", f"duplicate removed option '{value}'")
        elif value and instead:
            removed[value] = instead
    return tuple(removed.items())


def read_condition(
    data: Any,
    position: tuple[int, int],
    path: str,
    file: str,
    questions: Index,
    problems: list[Problem],
    asking: str = "",
    depth: int = 0,
) -> Condition | None:
    fields = Fields(data, file, path, problems, position)
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


def optional_condition(fields: Fields, key: str, questions: Index) -> Condition | None:
    """The condition under an optional key of a mapping (None when absent or broken)."""
    if key not in fields.data:
        return None
    return read_condition(
        fields.data[key],
        fields.position(key),
        fields.key_path(key),
        fields.file,
        questions,
        fields.problems,
    )


def _resource_condition(fields: Fields, questions: Index) -> Condition | None:
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


def _group(fields: Fields, key: str, questions: Index, asking: str, depth: int) -> Condition | None:
    def parse(item: Any, path: str, position: tuple[int, int]) -> Condition | None:
        return read_condition(
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
    kind = question_type(question.type)
    if kind is None:
        return ""  # the question's own type is already reported
    if operator == "answered":
        return "" if isinstance(value, bool) else "answered takes true or false"
    if operator == "in" and not (isinstance(value, list) and value):
        return "in takes a non-empty list of values"
    if operator not in kind.comparisons:
        takers = [t.name for t in TYPES.values() if operator in t.comparisons]
        if len(takers) == 1:
            return f"{operator} needs a {takers[0]} question; '{question.id}' is {kind.name}"
        return f"{operator} cannot test a {kind.name} question; {kind.comparison_hint}"
    if operator in ("at_least", "at_most"):
        if not is_number(value):
            return f"{operator} takes a finite number{NUMBER_RANGE}, found {kind_of(value)}"
        return ""
    wanted = value if operator in ("in", "includes_any", "includes_all") else [value]
    if not isinstance(wanted, list) or not wanted:
        return "expected a non-empty list of option values"
    return next((found for item in wanted if (found := kind.value_problem(question, item))), "")
