"""The table of question types: each type's record names what the other modules need of it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import edited_minimal
from padtool import interview
from padtool.errors import PadtoolError
from padtool.loader import load_rule_set
from padtool.question_types import NAMES, TYPES
from padtool.rulefiles import bundled_rules_dir


@pytest.mark.parametrize("name", NAMES)
def test_every_type_is_asked_by_a_function_of_the_interview(name: str) -> None:
    kind = TYPES[name]
    assert callable(getattr(interview, kind.prompt))
    if kind.prompt == "ask_typed":
        assert kind.parse is not None and kind.parse_problem


@pytest.mark.parametrize("name", NAMES)
def test_every_type_has_a_form_in_the_live_room(name: str) -> None:
    """The room's question page draws a question with the fields.html macro named as its type:
    a type without one would fail on the page of its first question, in the middle of a room."""
    from padtool.room.pages import environment

    fields = environment().get_template("fields.html").module
    assert callable(getattr(fields, name, None)), f"templates/room/fields.html has no {name} macro"


def test_the_questions_schema_lists_the_types_of_the_table() -> None:
    schema = json.loads((bundled_rules_dir() / "schemas" / "questions.schema.json").read_text())
    question = schema["properties"]["questions"]["items"]
    assert question["properties"]["type"]["enum"] == list(NAMES)


def test_a_key_of_another_type_is_named_with_the_type_that_has_it(tmp_path: Path) -> None:
    rules = edited_minimal(tmp_path, "questions.yaml", "type: text", "type: text\n    min: 3")
    with pytest.raises(PadtoolError) as raised:
        load_rule_set(rules)
    assert "only number questions have min and max" in str(raised.value)
