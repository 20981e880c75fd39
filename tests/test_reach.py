"""`padtool validate` warnings about what can never happen: a question never asked, an entry
whose `requires` never holds, an entry that can never reach the starting set."""

from __future__ import annotations

import random
import re
from itertools import product
from pathlib import Path

import pytest

from conftest import Run, edited_minimal
from padtool.conditions import (
    UNKNOWN,
    AllOf,
    AnswerValue,
    AnyOf,
    Comparison,
    Condition,
    Not,
    evaluate,
    holds,
    value_of,
)
from padtool.engine import applicable_answers, place, recommend
from padtool.lint import lint
from padtool.loader import load_rule_set
from padtool.model import Entry, FitRule, Prerequisite, Requirement, RuleSet
from padtool.reach import BOTH, Reach, starting_set_blockers

UNUSED_RARELY = "question overdose_level: no condition mentions option 'rarely'"
NEVER_ASKED = "its 'when' condition can never be true: the question is never asked"
NEVER_REQUIRED = "its 'requires' condition can never be true: can never be recommended"
NEW_WARNINGS = ("can never be true", "can never reach the starting set")


def edited(tmp_path: Path, file: str, *edits: tuple[str, str]) -> Path:
    """The minimal rule set with several texts replaced in one file."""
    (old, new), *rest = edits
    rules = edited_minimal(tmp_path, file, old, new)
    path = rules / file
    for old, new in rest:
        text = path.read_text(encoding="utf-8")
        assert old in text, f"fixture lacks {old!r}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return rules


def new_warnings(run: Run, rules: Path) -> list[str]:
    """The warnings `padtool validate` prints, but the minimal fixture's own one."""
    result = run("validate", str(rules))
    assert result.returncode == 0, result.stderr
    assert "is valid" in result.stdout.splitlines()[0]
    warnings = [line for line in result.stdout.splitlines() if line.startswith("warning: ")]
    # Edits move lines about; test_lint.py checks the line numbers, these tests what is found.
    unlocated = [re.sub(r"^(warning: [^:]+\.yaml):\d+:", r"\1:", w) for w in warnings]
    return [w for w in unlocated if w != f"warning: {rules / 'questions.yaml'}: {UNUSED_RARELY}"]


CONTRADICTION = [
    "all:",
    "  - {question: challenges, includes: crisis}",
    "  - not: {question: challenges, includes: crisis}",
]


def when(question: str, condition: str) -> tuple[str, str]:
    """An edit giving a question of the minimal set (one without a `when`) this condition."""
    anchor = {"officers": "    type: number\n", "prosecutor": "    type: confirm\n"}[question]
    return anchor, anchor + "    when:\n" + "".join(f"      {line}\n" for line in condition)


# A question that is never asked --------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "condition"),
    [
        (  # one single answer cannot be two options
            "officers",
            [
                "all:",
                "  - {question: overdose_level, equals: weekly}",
                "  - {question: overdose_level, equals: rarely}",
            ],
        ),
        (  # a number cannot be 10 or more and 5 or less
            "prosecutor",
            [
                "all:",
                "  - {question: officers, at_least: 10}",
                "  - {question: officers, at_most: 5}",
            ],
        ),
        (  # a multi answer cannot both include and not include an option
            "officers",
            [
                "all:",
                "  - {question: challenges, includes: crisis}",
                "  - not: {question: challenges, includes_any: [crisis]}",
            ],
        ),
        (  # a required question that is asked is answered
            "prosecutor",
            ["{question: officers, answered: false}"],
        ),
        (  # overdose_level is asked only when challenges includes overdoses
            "officers",
            [
                "all:",
                "  - {question: overdose_level, answered: true}",
                "  - not: {question: challenges, includes: overdoses}",
            ],
        ),
    ],
)
def test_a_question_never_asked(
    run: Run, tmp_path: Path, question: str, condition: list[str]
) -> None:
    rules = edited(tmp_path, "questions.yaml", when(question, condition))
    assert new_warnings(run, rules) == [
        f"warning: {rules / 'questions.yaml'}: question {question}: {NEVER_ASKED}"
    ]


def test_a_question_that_depends_on_one_never_asked(run: Run, tmp_path: Path) -> None:
    rules = edited(
        tmp_path,
        "questions.yaml",
        when("officers", CONTRADICTION),
        when("prosecutor", ["{question: officers, at_least: 3}"]),
    )
    file = rules / "questions.yaml"
    assert new_warnings(run, rules) == [
        f"warning: {file}: question officers: {NEVER_ASKED}",
        f"warning: {file}: question prosecutor: {NEVER_ASKED} (it depends on 'officers', "
        "which is never asked)",
    ]


@pytest.mark.parametrize(
    ("question", "condition"),
    [
        # exactly at the threshold both ways
        (
            "prosecutor",
            [
                "all:",
                "  - {question: officers, at_least: 5}",
                "  - {question: officers, at_most: 5}",
            ],
        ),
        # strictly between two thresholds, neither of them
        (
            "prosecutor",
            [
                "all:",
                "  - {question: officers, at_least: 5}",
                "  - {question: officers, at_most: 6}",
                "  - not: {question: officers, in: [5, 6]}",
            ],
        ),
        # the top of the question's range
        ("prosecutor", ["{question: officers, at_least: 100000}"]),
        # overdose_level has no answer when it is not asked
        ("officers", ["{question: overdose_level, answered: false}"]),
        # the one option no condition names, and a multi answer with one option but not another
        (
            "officers",
            [
                "all:",
                "  - not: {question: overdose_level, equals: weekly}",
                "  - {question: challenges, includes: overdoses}",
            ],
        ),
        (
            "officers",
            [
                "all:",
                "  - {question: challenges, includes: overdoses}",
                "  - not: {question: challenges, includes: crisis}",
            ],
        ),
        # the empty multi answer
        ("officers", ["{not: {question: challenges, includes_any: [overdoses, crisis]}}"]),
        # text: some other agency name
        ("officers", ["{not: {question: agency, in: [Testville PD, Other PD]}}"]),
    ],
)
def test_an_unusual_but_possible_condition_is_no_warning(
    run: Run, tmp_path: Path, question: str, condition: list[str]
) -> None:
    rules = edited(tmp_path, "questions.yaml", when(question, condition))
    assert new_warnings(run, rules) == []


def test_an_optional_question_may_be_unanswered(run: Run, tmp_path: Path) -> None:
    condition = ["{question: officers, answered: false}"]
    required = edited(tmp_path / "a", "questions.yaml", when("prosecutor", condition))
    assert len(new_warnings(run, required)) == 1
    optional = edited(
        tmp_path / "b",
        "questions.yaml",
        when("prosecutor", condition),
        ("    max: 100000\n", "    max: 100000\n    required: false\n"),
    )
    assert new_warnings(run, optional) == []


# An entry whose `requires` never holds ---------------------------------------------------------


def requires(condition: str) -> tuple[str, str]:
    return "fit:\n", f"requires:\n  when: {condition}\n  reason: Not for you.\nfit:\n"


def test_a_requires_that_never_holds(run: Run, tmp_path: Path) -> None:
    condition = (
        "{all: [{question: prosecutor, equals: true}, {question: prosecutor, equals: false}]}"
    )
    rules = edited(tmp_path, "entries/beta.yaml", requires(condition))
    assert new_warnings(run, rules) == [
        f"warning: {rules / 'entries/beta.yaml'}: entry beta: {NEVER_REQUIRED}"
    ]


def test_a_requires_on_a_question_never_asked(run: Run, tmp_path: Path) -> None:
    condition = "{question: overdose_level, equals: weekly}"
    rules = edited(tmp_path, "entries/beta.yaml", requires(condition))
    questions = rules / "questions.yaml"
    old = "      question: challenges\n      includes: overdoses\n"
    assert old in questions.read_text()
    contradiction = "".join(f"      {line}\n" for line in CONTRADICTION)
    questions.write_text(questions.read_text().replace(old, contradiction))
    assert new_warnings(run, rules) == [
        f"warning: {questions}: question overdose_level: {NEVER_ASKED}",
        f"warning: {rules / 'entries/beta.yaml'}: entry beta: {NEVER_REQUIRED} "
        "(it depends on 'overdose_level', which is never asked)",
    ]


def test_a_requires_that_can_hold_is_no_warning(run: Run, tmp_path: Path) -> None:
    condition = "{any: [{question: prosecutor, equals: true}, {question: officers, at_most: 0}]}"
    rules = edited(tmp_path, "entries/beta.yaml", requires(condition))
    assert new_warnings(run, rules) == []


# An entry that can never reach the starting set ------------------------------------------------


def add_entry(
    rules: Path, entry_id: str, weight: int, extra: str = "", kind: str = "pathway"
) -> None:
    """An entry whose fit rule always holds: prosecutor is a required yes/no question."""
    (rules / "entries" / f"{entry_id}.yaml").write_text(
        f"id: {entry_id}\nname: {entry_id.title()}\nkind: {kind}\nsummary: S.\ndefinition: D.\n"
        f"initiated_by: I.\ncharges: none\n{extra}"
        f"fit:\n  - when: {{question: prosecutor, in: [true, false]}}\n    weight: {weight}\n"
        f"    reason: Always.\nsources: [https://example.org/{entry_id}]\n",
        encoding="utf-8",
    )


def with_entries(tmp_path: Path, size: int, *entries: tuple[str, int, str, str]) -> Path:
    rules = edited(tmp_path, "ruleset.yaml", ("starting_set_size: 1", f"starting_set_size: {size}"))
    for entry_id, weight, extra, kind in entries:
        add_entry(rules, entry_id, weight, extra, kind)
    return rules


def starting_sets(rule_set: RuleSet) -> list[set[str]]:
    """The starting set for every combination of a spread of answers to the minimal set."""
    found = []
    for challenges, level, officers, prosecutor in product(
        ([], ["overdoses"], ["crisis"], ["overdoses", "crisis"]),
        ("weekly", "rarely"),
        (5, 40),
        (True, False),
    ):
        answers: dict[str, AnswerValue] = {
            "agency": "PD",
            "challenges": challenges,
            "overdose_level": level,
            "officers": officers,
            "prosecutor": prosecutor,
        }
        found.append({r.entry.id for r in recommend(rule_set, answers).starting_set})
    return found


def blocked(rules: Path) -> set[str]:
    """Entries warned about as never reaching the starting set, checked against the engine."""
    rule_set = load_rule_set(rules)
    warned = {
        p.key.removeprefix("entry ")
        for p in lint(rule_set)
        if "can never reach the starting set" in p.message and p.key
    }
    reached = set().union(*starting_sets(rule_set))
    assert not warned & reached
    return warned


# A second rule alpha can never have (fewer than no officers): its best fit is half of its
# points, so an entry that always fits fully is always above it.
HALF_FIT = (
    "fit:\n  - when:\n      question: officers\n      at_most: -1\n"
    "    weight: 3\n    reason: Never.\n"
)


def halve_alpha(rules: Path) -> Path:
    alpha = rules / "entries" / "alpha.yaml"
    text = alpha.read_text()
    assert "fit:\n" in text
    alpha.write_text(text.replace("fit:\n", HALF_FIT, 1))
    return rules


def test_an_entry_always_outscored(run: Run, tmp_path: Path) -> None:
    rules = halve_alpha(with_entries(tmp_path, 1, ("gamma", 5, "", "pathway")))
    assert new_warnings(run, rules) == [
        f"warning: {rules / 'entries/alpha.yaml'}: entry alpha: can never reach the starting set "
        "of 1: gamma always fits better",
    ]
    assert blocked(rules) == {"alpha"}  # beta can fit fully: a tie is not "always better"


def test_two_entries_always_above_fill_a_set_of_two(run: Run, tmp_path: Path) -> None:
    model = "pathways: [gamma, alpha]\n"  # several pathways: a way to deliver them, its own place
    rules = halve_alpha(
        with_entries(tmp_path, 2, ("gamma", 5, "", "pathway"), ("delta", 4, model, "program-model"))
    )
    assert (
        "entry alpha: can never reach the starting set of 2: delta and gamma always fit better"
        in ("\n".join(new_warnings(run, rules)))
    )
    assert blocked(rules) == {"alpha"}


def test_a_pathway_and_its_own_model_take_one_place(tmp_path: Path) -> None:
    model = "pathways: [gamma]\n"
    rules = halve_alpha(
        with_entries(tmp_path, 2, ("gamma", 5, "", "pathway"), ("delta", 4, model, "program-model"))
    )
    assert blocked(rules) == set()
    # The model fits clearly, so it stands for its pathway's one place.
    assert {"delta", "alpha"} in starting_sets(load_rule_set(rules))


@pytest.mark.parametrize(
    ("weight", "extra", "expected"),
    [
        (3, "", {"alpha"}),  # always a full fit: above alpha's best half
        (5, "requires:\n  when: {question: prosecutor, equals: true}\n  reason: R.\n", set()),
        (5, "requires:\n  when: {question: prosecutor, answered: true}\n  reason: R.\n", {"alpha"}),
        (
            5,
            "prerequisites:\n  - when: {question: officers, at_least: 10}\n    gap: G.\n    penalty: 2\n",
            {"alpha"},  # 3 of 5 when the prerequisite is unmet: still above alpha's half
        ),
        (
            5,
            "prerequisites:\n  - when: {question: officers, at_least: 10}\n    gap: G.\n    penalty: 3\n",
            set(),  # 2 of 5 when unmet: below alpha's best
        ),
        (
            5,
            "prerequisites:\n  - when: {question: officers, at_least: 10}\n    gap: G.\n"
            "    penalty: 0\n    blocks_launch: true\n",
            set(),  # not yet when unmet: it does not always take a place
        ),
    ],
)
def test_only_what_always_fits_better_blocks(
    tmp_path: Path, weight: int, extra: str, expected: set[str]
) -> None:
    rules = halve_alpha(with_entries(tmp_path, 1, ("gamma", weight, extra, "pathway")))
    assert blocked(rules) == expected


def test_random_entries_never_block_a_reachable_one(tmp_path: Path) -> None:
    """Random fit rules, gates and prerequisites: a blocked entry never reaches the set."""
    base = load_rule_set(edited_minimal(tmp_path, "ruleset.yaml", "", ""))
    rng = random.Random(7)
    warned = 0
    for _ in range(150):
        entries = tuple(random_entry(rng, base, index) for index in range(5))
        rule_set = base._replace(entries=entries, starting_set_size=rng.choice((1, 2)))
        found = starting_set_blockers(rule_set, Reach(rule_set))
        warned += len(found)
        reached = set().union(*starting_sets(rule_set))
        assert not set(found) & reached, (found, reached)
    assert warned > 5, warned  # the check is not vacuous


# The search itself --------------------------------------------------------------------------


def random_condition(rng: random.Random, depth: int = 0) -> Condition:
    if depth < 2 and rng.random() < 0.4:
        children = tuple(random_condition(rng, depth + 1) for _ in range(rng.choice((1, 2, 3))))
        group = rng.choice((AllOf, AnyOf, Not))
        return Not(condition=children[0]) if group is Not else group(conditions=children)
    question, operator, value = rng.choice(COMPARISONS)
    return Comparison(question=question, operator=operator, value=value)


COMPARISONS: list[tuple[str, str, AnswerValue]] = [
    ("challenges", "includes", "overdoses"),
    ("challenges", "includes", "crisis"),
    ("challenges", "includes_all", ["overdoses", "crisis"]),
    ("challenges", "includes_any", ["overdoses", "crisis"]),
    ("challenges", "answered", True),
    ("overdose_level", "equals", "weekly"),
    ("overdose_level", "in", ["rarely"]),
    ("overdose_level", "answered", False),
    ("officers", "at_least", 10),
    ("officers", "at_most", 5),
    ("officers", "at_most", 10),
    ("officers", "equals", 7.5),
    ("prosecutor", "equals", True),
    ("prosecutor", "in", [True, False]),
    ("prosecutor", "answered", True),
    ("agency", "equals", "PD"),
]


def random_entry(rng: random.Random, base: RuleSet, index: int) -> Entry:
    kind, pathways = "pathway", ()
    if index >= 2 and rng.random() < 0.5:
        kind, pathways = "program-model", rng.choice(((f"e{index - 2}",), ("e0", "e1")))
    gate = () if rng.random() < 0.5 else (Requirement(when=random_condition(rng), reason="R."),)
    always: Condition = Comparison(question="prosecutor", operator="in", value=[True, False])
    fit = tuple(
        FitRule(
            when=always if rng.random() < 0.4 else random_condition(rng),
            weight=rng.randint(-2, 5),
            reason="F.",
        )
        for _ in range(rng.randint(1, 3))
    )
    prerequisites = tuple(
        Prerequisite(
            when=random_condition(rng),
            gap="G.",
            penalty=rng.randint(0, 2),
            closed_by=rng.choice(("agency", "partner", "law")),
            blocks_launch=rng.random() < 0.3,
        )
        for _ in range(rng.randint(0, 2))
    )
    template = base.entries[0]
    return template._replace(
        id=f"e{index}",
        kind=kind,
        pathways=pathways,
        requires=gate,
        fit=fit,
        prerequisites=prerequisites,
    )


ANSWER_GRID = {
    "challenges": [None, [], ["overdoses"], ["crisis"], ["crisis", "overdoses"]],
    "overdose_level": [None, "weekly", "rarely"],
    "officers": [None, 0, 3, 5, 6, 7.5, 9, 10, 10.5, 11, 99999, 100000],
    "prosecutor": [None, True, False],
    "agency": [None, "PD", "Other"],
}


@pytest.mark.parametrize("optional", [False, True])
def test_the_search_agrees_with_the_engine_on_many_answers(tmp_path: Path, optional: bool) -> None:
    """Random conditions: the outcomes found match those over a dense grid of real answers."""
    rules = edited_minimal(tmp_path, "ruleset.yaml", "", "")
    if optional:  # then no answer is possible for every question
        questions = rules / "questions.yaml"
        text = questions.read_text().replace("    help:", "    required: false\n    help:")
        questions.write_text(text)
    rule_set = load_rule_set(rules)
    grid = [
        applicable_answers(
            rule_set, {q: a for q, a in zip(ANSWER_GRID, values, strict=True) if a is not None}
        )
        for values in product(*(v if optional else v[1:] for v in ANSWER_GRID.values()))
    ]
    rng = random.Random(3)
    reach = Reach(rule_set)
    decided = 0
    for _ in range(300):
        condition = random_condition(rng)
        seen = frozenset(holds(condition, answers) for answers in grid)
        assert reach.outcomes(condition) == seen, condition
        decided += seen != BOTH
    assert decided > 5


def test_an_implication_is_what_the_answers_show(tmp_path: Path) -> None:
    """implies() answers from the conditions' form when it can, never differently from trying
    every answer set: where the first holds, the second is never false (unknown, when it asks
    what was not asked, is not false). A prerequisite's usual shape, the resource or more,
    is seen in its form."""
    rule_set = load_rule_set(edited_minimal(tmp_path, "ruleset.yaml", "", ""))
    grid = [
        applicable_answers(
            rule_set, {q: a for q, a in zip(ANSWER_GRID, values, strict=True) if a is not None}
        )
        for values in product(*(v[1:] for v in ANSWER_GRID.values()))
    ]
    rng = random.Random(11)
    reach = Reach(rule_set)
    implied = 0
    for _ in range(300):
        first = random_condition(rng)
        second = rng.choice((random_condition(rng), AnyOf((random_condition(rng), first))))
        truth = all(value_of(second, a) is not False for a in grid if holds(first, a))
        assert reach.implies(first, second) == truth, (first, second)
        implied += truth
    assert implied > 50
    crisis = Comparison(question="challenges", operator="includes", value="crisis")
    overdoses = Comparison(question="challenges", operator="includes", value="overdoses")
    assert reach.implies(crisis, AnyOf((overdoses, crisis)))
    assert reach.implies(AllOf((crisis, overdoses)), overdoses)
    assert not reach.implies(crisis, AllOf((crisis, overdoses)))


MANY = ["overdoses", "crisis", "homeless", "repeat", UNKNOWN]


def test_alike_options_of_a_multi_question_are_tried_once_each_way(tmp_path: Path) -> None:
    """Options that the same comparisons name are tried as none, one or all of them, and
    "Don't know" on its own: the outcomes still match those of every subset of the options."""
    extra = "".join(f"      - value: {v}\n        label: {v.title()}\n" for v in MANY[2:])
    rule_set = load_rule_set(
        edited_minimal(
            tmp_path,
            "questions.yaml",
            "        label: Crisis calls\n",
            f"        label: Crisis calls\n{extra}",
        )
    )
    every_subset = [
        [v for v, chosen in zip(MANY, mask, strict=True) if chosen]
        for mask in product((0, 1), repeat=5)
    ]
    grid = [applicable_answers(rule_set, {"challenges": s}) for s in every_subset]
    rng = random.Random(5)

    def comparison() -> Condition:
        operator = rng.choice(("includes", "includes_any", "includes_all", "answered"))
        if operator == "answered":
            return Comparison(question="challenges", operator=operator, value=rng.random() < 0.5)
        if operator == "includes":
            return Comparison(question="challenges", operator=operator, value=rng.choice(MANY))
        return Comparison(
            question="challenges", operator=operator, value=rng.sample(MANY, rng.randint(1, 4))
        )

    def condition(depth: int = 0) -> Condition:
        if depth < 2 and rng.random() < 0.5:
            parts = tuple(condition(depth + 1) for _ in range(rng.choice((1, 2, 3))))
            group = rng.choice((AllOf, AnyOf, Not))
            return Not(condition=parts[0]) if group is Not else group(conditions=parts)
        return comparison()

    reach = Reach(rule_set)
    decided = 0
    for _ in range(400):
        tried = condition()
        seen = frozenset(holds(tried, answers) for answers in grid)
        assert reach.outcomes(tried) == seen, tried
        decided += seen != BOTH
    assert decided > 20, decided
    # Every known answer either includes overdoses or not; "Don't know" alone leaves it open.
    either = Comparison(question="challenges", operator="includes", value="overdoses")
    assert reach.outcomes(AnyOf((either, Not(either)))) == BOTH
    # ... also where a comparison names it beside another option
    beside = Comparison(question="challenges", operator="includes_any", value=["homeless", UNKNOWN])
    both_ways = AllOf((AnyOf((either, Not(either))), AnyOf((beside, Not(beside)))))
    assert reach.outcomes(both_ways) == BOTH


def test_above_the_cap_nothing_is_concluded(tmp_path: Path) -> None:
    rule_set = load_rule_set(edited_minimal(tmp_path, "ruleset.yaml", "", ""))
    never = AllOf(
        conditions=(
            Comparison(question="officers", operator="at_least", value=10),
            Comparison(question="officers", operator="at_most", value=5),
        )
    )
    assert Reach(rule_set).outcomes(never) == frozenset({False})
    assert Reach(rule_set, cap=3).outcomes(never) == BOTH


# The bundled rule set ------------------------------------------------------------------------


def test_the_bundled_rule_set_has_none_of_these_warnings(run: Run) -> None:
    result = run("validate")
    assert result.returncode == 0, result.stderr
    assert "warning: " in result.stdout  # it has other warnings
    assert not [line for line in result.stdout.splitlines() if any(w in line for w in NEW_WARNINGS)]


def test_a_model_shares_its_pathways_place(rule_set: RuleSet) -> None:
    places = {e.id: place(e) for e in rule_set.entries}
    assert places["lead"] == places["civil-citation"] == "officer-intervention"
    assert places["co-responder"] == "co-responder"  # spans several pathways: a place of its own


def test_the_value_without_facts_is_the_value_of_evaluate() -> None:
    # value_of serves the engine's holds/state and the lint's search: it must never differ
    rng = random.Random(5)
    grid = list(product(*ANSWER_GRID.values()))
    for _ in range(300):
        condition = random_condition(rng)
        for values in rng.sample(grid, 20):
            answers = {q: a for q, a in zip(ANSWER_GRID, values, strict=True) if a is not None}
            assert value_of(condition, answers) == evaluate(condition, answers).value
