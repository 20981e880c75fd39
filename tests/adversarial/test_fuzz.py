"""Property-based fuzzing of the loaders and the engine (hypothesis).

Contracts:
  1. Reading any bytes or YAML-ish text as a YAML file, an answers file or a rule-set file either
     succeeds or raises padtool.errors.PadtoolError; any other exception is a bug. Each call
     takes well under a second.
  2. For any answers that respect the bundled questions (types, options, min/max, lengths),
     padtool.engine.recommend ranks every entry exactly once, scores each as the sum of the
     weights of its fit rules that hold minus the penalties of its unmet prerequisites, puts at
     most starting_set_size entries in the starting set, and names exactly one first choice
     whenever the set is not empty.

Running it longer. The CI profile ("padtool-ci", the default) runs at most 200 examples per
test, deterministically (derandomize=True), without a deadline and without writing an example
database, so a run takes seconds and a failure reproduces exactly. To search harder:

    HYPOTHESIS_PROFILE=padtool-long python -m pytest tests/adversarial/test_fuzz.py
    HYPOTHESIS_PROFILE=padtool-long python -m pytest tests/adversarial/test_fuzz.py \\
        --hypothesis-seed=12345 --hypothesis-show-statistics

"padtool-long" runs 20,000 examples per test with a random seed (pin one with
--hypothesis-seed to reproduce); PADTOOL_FUZZ_EXAMPLES=N overrides the number in either
profile. A failure prints the smallest input found, as a @reproduce_failure blob too.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from padtool.answers import check_answer, load_answers
from padtool.conditions import holds
from padtool.engine import clears, place, recommend, state
from padtool.errors import PadtoolError
from padtool.loader import load_rule_set
from padtool.model import Question, RuleSet
from padtool.yamlfile import read_mapping

from .support import MINIMAL, bundled, minimal

# Hypothesis keeps caches (constants, Unicode tables) in .hypothesis/ of the working directory;
# keep the checkout clean unless the user chose a place.
if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
    set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "padtool-hypothesis")

_COMMON: dict[str, Any] = {
    "deadline": None,
    "database": None,  # nothing written to .hypothesis/ in the working tree
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}
settings.register_profile("padtool-ci", max_examples=200, derandomize=True, **_COMMON)
settings.register_profile("padtool-long", max_examples=20_000, **_COMMON)
_PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "padtool-ci"))
_EXAMPLES = int(os.environ.get("PADTOOL_FUZZ_EXAMPLES", "0")) or _PROFILE.max_examples
FUZZ = settings(_PROFILE, max_examples=_EXAMPLES)

SLOW_CALL = 1.0  # seconds: no single file may take longer to accept or refuse


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    """One folder for the files the fuzzer writes (hypothesis reuses a test's fixtures)."""
    folder = Path(tempfile.mkdtemp(prefix="padtool-fuzz-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


# --- strategies -----------------------------------------------------------------------------

# Pieces that YAML, JSON and padtool's own rules give meaning to.
TOKENS = [
    *["agency", "challenges", "overdose_level", "officers", "prosecutor", "questions", "id"],
    *["agency_name", "sworn_officers", "name", "version", "when", "question", "includes"],
    *["overdoses", "weekly", "crisis", "text", "multi", "single", "confirm", "number"],
    *[":", ": ", "- ", "-", "[", "]", "{", "}", ",", ", ", "\n", "  ", "    ", "\t", " "],
    *["#", "# c\n", "&a ", "*a", "&b ", "*b", "<<: ", "? ", "|\n", ">-\n", "---\n", "...\n"],
    *["%YAML 1.1\n", "%TAG !p! tag:yaml.org,2002:python/\n", "!p!object/apply:os.system "],
    *["!!python/object/apply:os.system ", "!!python/name:os.system ", "!!binary ", "!!set "],
    *["!!str ", "!!int ", "!!float ", "!!bool ", "!!null ", "!!map ", "!!seq ", "!local "],
    *['"', "'", "\\", '"\\e[2J"', '"\\u202e"', '"\\x00"', '"\\ud800"', '"\\U0010ffff"'],
    *["yes", "no", "on", "off", "y", "n", "true", "false", "True", "null", "~", ""],
    *[".nan", ".NaN", ".inf", "-.inf", "NaN", "Infinity", "1e3", "1.5e3", "0x1F", "0o17"],
    *["012", "1:20", "2024-01-01", "1.10", "-0", "+1", "0", "40", "99999999999999999999"],
    *[
        "1" + "0" * 400,
        "1" + "0" * 5000,
        "\ufeff",
        "\x00",
        "\r\n",
        "\r",
        "\x85",
        "\u2028",
        "\x1b",
        "\x7f",
    ],
    *["ä", "😀", "\u200b", "\U0001f4a9" * 3, "x" * 300],
]

yamlish = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=4)), max_size=80).map(
    "".join
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text(max_size=30)
    | st.sampled_from(["overdoses", "weekly", "crisis", "rarely", "Testville PD"]),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=25,
)


def _write(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


def _only_padtool_errors(call, *args: Any) -> Any:
    """Call; return its value, or None when it raised PadtoolError. Anything else fails."""
    start = time.monotonic()
    try:
        return call(*args)
    except PadtoolError as error:
        assert error.problems, "a PadtoolError must say what is wrong"
        for problem in error.problems:
            assert str(problem)
        return None
    finally:
        assert time.monotonic() - start < SLOW_CALL


# --- 1. loaders: nothing but PadtoolError ---------------------------------------------------


@FUZZ
@given(content=st.binary(max_size=2000))
def test_read_mapping_random_bytes(scratch: Path, content: bytes) -> None:
    _only_padtool_errors(read_mapping, _write(scratch, "bytes.yaml", content))


@FUZZ
@given(text=yamlish, bom=st.booleans())
def test_read_mapping_yamlish_text(scratch: Path, text: str, bom: bool) -> None:
    content = ("\ufeff" if bom else "") + text
    path = _write(scratch, "text.yaml", content.encode("utf-8", "surrogatepass"))
    data = _only_padtool_errors(read_mapping, path)
    if data is not None:  # what it accepts is plain data with text keys only
        assert isinstance(data, dict)
        assert all(isinstance(key, str) for key in data)
        json.dumps(data, allow_nan=True, default=str)


@FUZZ
@given(content=st.binary(max_size=2000))
def test_load_answers_random_bytes(scratch: Path, content: bytes) -> None:
    _only_padtool_errors(load_answers, _write(scratch, "a.yaml", content), minimal())


@FUZZ
@given(text=yamlish, complete=st.booleans())
def test_load_answers_yamlish_text(scratch: Path, text: str, complete: bool) -> None:
    path = _write(scratch, "a.yaml", text.encode("utf-8", "surrogatepass"))
    for rules in (minimal(), bundled()):
        _only_padtool_errors(load_answers, path, rules, complete)


def _answer_keys(rules: RuleSet) -> st.SearchStrategy[str]:
    return st.sampled_from([q.id for q in rules.questions]) | st.text(max_size=12)


@FUZZ
@given(data=st.data(), as_json=st.booleans())
def test_load_answers_structured(scratch: Path, data: st.DataObject, as_json: bool) -> None:
    """Well-formed files with arbitrary values: checked, and what passes is usable."""
    rule_set = bundled()
    answers = data.draw(st.dictionaries(_answer_keys(rule_set), json_values, max_size=25))
    if as_json:
        content = json.dumps(answers, allow_nan=True)
    else:
        content = yaml.safe_dump(answers, allow_unicode=True)
    path = _write(scratch, "a.json" if as_json else "a.yaml", content.encode("utf-8"))
    loaded = _only_padtool_errors(load_answers, path, rule_set, data.draw(st.booleans()))
    if loaded is None:
        return
    values, _notes = loaded
    for qid, value in values.items():
        question = rule_set.question(qid)
        assert question is not None
        assert check_answer(question, value) == ""
    recommend(rule_set, values)  # accepted answers never break the engine


@FUZZ
@given(
    number=st.integers(min_value=-(10**500), max_value=10**500)
    | st.floats()
    | st.decimals(allow_nan=True).map(str)
)
def test_number_answers_of_any_magnitude(scratch: Path, number: object) -> None:
    text = f"agency: T\nchallenges: []\nofficers: {number}\nprosecutor: true\n"
    _only_padtool_errors(load_answers, _write(scratch, "n.yaml", text.encode()), minimal())


RULE_FILES = ["ruleset.yaml", "questions.yaml", "providers.yaml", "entries/alpha.yaml"]


@FUZZ
@given(
    file=st.sampled_from(RULE_FILES),
    where=st.floats(min_value=0, max_value=1),
    insert=yamlish,
    cut=st.integers(min_value=0, max_value=20),
)
def test_load_rule_set_with_a_mangled_file(
    scratch: Path, file: str, where: float, insert: str, cut: int
) -> None:
    """Splice YAML-ish junk into one file of a valid rule set: a clean error or a valid set."""
    folder = scratch / "rules"
    if not folder.exists():
        shutil.copytree(MINIMAL, folder)
    original = (MINIMAL / file).read_text(encoding="utf-8")
    at = int(where * len(original))
    mangled = original[:at] + insert + original[at + cut :]
    (folder / file).write_bytes(mangled.encode("utf-8", "surrogatepass"))
    try:
        _only_padtool_errors(load_rule_set, folder)
    finally:
        (folder / file).write_text(original, encoding="utf-8")


# --- 2. the engine: ranking and scores ------------------------------------------------------


def _value(question: Question) -> st.SearchStrategy[Any]:
    values = [option.value for option in question.options]
    if question.type == "single":
        return st.sampled_from(values)
    if question.type == "multi":
        return st.lists(st.sampled_from(values), unique=True)
    if question.type == "confirm":
        return st.booleans()
    if question.type == "number":
        low = question.min if question.min is not None else -1e9
        high = question.max if question.max is not None else 1e9
        whole = st.integers(math.ceil(low), math.floor(high))
        if question.integer:  # a count: only whole numbers are valid answers
            return whole
        return whole | st.floats(low, high, allow_nan=False, allow_infinity=False)
    # Printable text, as padtool accepts it (see test_answers_file.py for the no-break space).
    alphabet = st.characters(categories=["L", "N", "P", "S"], include_characters=" ")
    return st.text(alphabet, min_size=1, max_size=question.max_length).filter(str.strip)


@st.composite
def answer_sets(draw: st.DrawFn, rules: RuleSet) -> dict[str, Any]:
    """Answers to any subset of the questions, each of the right type and in range."""
    return {
        question.id: draw(_value(question))
        for question in rules.questions
        if draw(st.integers(0, 9)) > 1  # most questions answered, some skipped
    }


def _applicable(rules: RuleSet, answers: dict[str, Any]) -> dict[str, Any]:
    """Answers whose question's `when` holds, in question order (when may name earlier ones)."""
    kept: dict[str, Any] = {}
    for question in rules.questions:
        if question.id in answers and holds(question.when, kept):
            kept[question.id] = answers[question.id]
    return kept


@FUZZ
@given(data=st.data())
def test_recommend_ranks_and_scores_consistently(data: st.DataObject) -> None:
    rule_set = bundled()
    answers = data.draw(answer_sets(rule_set))
    for question in rule_set.questions:  # the generator respects every question
        if question.id in answers:
            assert check_answer(question, answers[question.id]) == "", question.id
    result = recommend(rule_set, answers)
    kept = _applicable(rule_set, answers)
    assert dict(result.answers) == kept

    ranking = result.recommendations
    assert sorted(r.entry.id for r in ranking) == sorted(e.id for e in rule_set.entries)
    assert [r.rank for r in ranking] == list(range(1, len(rule_set.entries) + 1))

    for rec in ranking:
        entry = rec.entry
        # A "Don't know" leaves a prerequisite open: a question to settle, not a penalty.
        expected = sum(rule.weight for rule in entry.fit if holds(rule.when, kept)) - sum(
            prerequisite.penalty
            for prerequisite in entry.prerequisites
            if state(prerequisite.when, kept) is False
        )
        assert rec.score == expected, entry.id
        assert len(rec.gaps) == sum(state(p.when, kept) is not True for p in entry.prerequisites)
        assert 0 <= rec.fit <= 1 and rec.points >= 0

    chosen = [r for r in ranking if r.recommended]
    assert len(chosen) <= rule_set.starting_set_size
    assert ranking[: len(chosen)] == tuple(chosen)  # the starting set comes first
    first = [r for r in ranking if r.first_choice]
    assert len(first) == (1 if chosen else 0)
    if chosen:
        assert first[0] is chosen[0] and first[0].rank == 1

    for rec in chosen:
        assert all(state(r.when, kept) is not False for r in rec.entry.requires)
        assert clears(rule_set, rec.score, rec.entry.max_score)
        assert rec.readiness != "not-yet" and not rec.operating
    # Best fit first, after the places the agency is planning (the work under way).
    order = [(not r.planning, -r.fit) for r in chosen]
    assert order == sorted(order)
    assert len({place(r.entry) for r in chosen}) == len(chosen)  # one place each
    assert all(r.why_not for r in ranking if not r.recommended)
    # Nothing ready in the starting set: the report says what to build first.
    if chosen and not any(r.readiness == "ready" for r in chosen):
        assert result.build_first or not any(g.resource for r in chosen for g in r.gaps)

    # An entry that could start, in a place the set leaves empty, is out only because the set
    # is full.
    taken = {place(r.entry) for r in chosen}
    for rec in ranking[len(chosen) :]:
        startable = (
            all(state(r.when, kept) is not False for r in rec.entry.requires)
            and clears(rule_set, rec.score, rec.entry.max_score)
            and rec.readiness != "not-yet"
            and not rec.operating
        )
        if startable and place(rec.entry) not in taken:
            assert len(chosen) == rule_set.starting_set_size, rec.entry.id


@FUZZ
@given(data=st.data())
def test_recommend_ignores_answers_to_questions_that_do_not_apply(data: st.DataObject) -> None:
    rule_set = bundled()
    answers = data.draw(answer_sets(rule_set))
    kept = _applicable(rule_set, answers)
    assume(kept != answers)
    with_extra, without = recommend(rule_set, answers), recommend(rule_set, kept)
    assert [(r.entry.id, r.score, r.recommended) for r in with_extra.recommendations] == [
        (r.entry.id, r.score, r.recommended) for r in without.recommendations
    ]
    assert set(with_extra.ignored) == set(answers) - set(kept)
