"""The published JSON schema of `recommend --format json` describes what padtool writes.

Every object in the schema forbids keys it does not list, so a key added to the output fails
these tests until it is documented in src/padtool/schemas/result.schema.json.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from conftest import MINIMAL_ANSWERS, MINIMAL_RULES, Run, write
from padtool.loader import load_rule_set
from padtool.render.data import SCHEMA_VERSION
from padtool.scenarios import load_scenarios

SCHEMA_FILE = Path(__file__).parents[1] / "src" / "padtool" / "schemas" / "result.schema.json"
MINIMAL = str(MINIMAL_RULES)
SCENARIOS = [s.id for s in load_scenarios(load_rule_set())]


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def recommend_json(run: Run, *args: str) -> dict[str, Any]:
    done = run("recommend", *args, "--format", "json")
    assert done.returncode == 0, done.stderr
    data: dict[str, Any] = json.loads(done.stdout)
    return data


def errors(validator: Draft202012Validator, data: object) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]


def test_schema_is_shipped_inside_the_package() -> None:
    import padtool

    installed = Path(padtool.__file__).parent / "schemas" / "result.schema.json"
    assert installed.read_bytes() == SCHEMA_FILE.read_bytes()


def test_schema_version_is_pinned(validator: Draft202012Validator) -> None:
    assert validator.schema["properties"]["schema_version"]["const"] == SCHEMA_VERSION


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_bundled_scenario_matches_the_schema(
    run: Run, validator: Draft202012Validator, scenario: str
) -> None:
    data = recommend_json(run, "--scenario", scenario)
    assert errors(validator, data) == []
    assert data["recommendations"] and data["agency"]


def test_numbers_booleans_and_ignored_answers_match_the_schema(
    run: Run, validator: Draft202012Validator, tmp_path: Path
) -> None:
    answers = write(tmp_path / "a.yaml", MINIMAL_ANSWERS)
    data = recommend_json(run, "--answers", str(answers), "--rules", MINIMAL)
    assert errors(validator, data) == []
    assert data["answers"]["officers"] == 40 and data["answers"]["prosecutor"] is False


def test_every_object_forbids_undocumented_keys(validator: Draft202012Validator) -> None:
    def objects(node: object) -> list[dict[str, Any]]:
        if isinstance(node, dict):
            found = [node] if node.get("type") == "object" else []
            return found + [o for value in node.values() for o in objects(value)]
        if isinstance(node, list):
            return [o for value in node for o in objects(value)]
        return []

    for node in objects(validator.schema):
        if "properties" in node:
            assert node.get("additionalProperties") is False, node.get("required")
            assert sorted(node["required"]) == sorted(node["properties"])


def test_new_recommendation_key_must_be_documented(
    run: Run, validator: Draft202012Validator
) -> None:
    data = recommend_json(run, "--scenario", SCENARIOS[0])
    changed = copy.deepcopy(data)
    changed["recommendations"][0]["undocumented"] = 1
    assert any("undocumented" in e for e in errors(validator, changed))
    removed = copy.deepcopy(data)
    del removed["recommendations"][0]["why_not"]
    assert any("why_not" in e for e in errors(validator, removed))
