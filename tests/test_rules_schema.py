"""The JSON Schemas of the rule-set files (pathways/schemas/) agree with the loader.

The loader is hand-written and so are the schemas editors use to check files as people type:
these tests keep the two in step. Every bundled file must pass its schema, and every broken
file below must be rejected by both the schema and the loader.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from conftest import MINIMAL_RULES, Run, edited_minimal
from padtool.errors import PadtoolError
from padtool.loader import load_rule_set
from padtool.rulefiles import bundled_rules_dir
from padtool.rules.schema import KEYS

SCHEMAS = bundled_rules_dir() / "schemas"
KINDS = (
    "ruleset",
    "questions",
    "entry",
    "providers",
    "resources",
    "overlay",
    "legal",
    "funding",
    "plan",
)


class _Yaml12Loader(yaml.SafeLoader):
    """yaml.safe_load with YAML 1.2 booleans and no dates, as padtool and editors read YAML:
    `label: No` is the text 'No', not false (PyYAML follows YAML 1.1 there)."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def _load_yaml(path: Path) -> Any:
    return yaml.load(path.read_text("utf-8"), Loader=_Yaml12Loader)  # a SafeLoader subclass


def _schema(kind: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SCHEMAS / f"{kind}.schema.json").read_text("utf-8"))
    return data


def _kind_of(relative: str) -> str:
    return "entry" if relative.startswith("entries/") else relative.removesuffix(".yaml")


def _errors(kind: str, data: Any) -> list[str]:
    return [e.message for e in Draft202012Validator(_schema(kind)).iter_errors(data)]


def _rule_files(directory: Path) -> list[str]:
    names = ["ruleset.yaml", "questions.yaml", "providers.yaml"]
    names += [
        n
        for n in ("resources.yaml", "legal.yaml", "funding.yaml", "plan.yaml")
        if (directory / n).exists()
    ]
    return names + sorted(f"entries/{p.name}" for p in (directory / "entries").glob("*.yaml"))


@pytest.mark.parametrize("kind", KINDS)
def test_each_schema_is_a_valid_draft_2020_12_schema(kind: str) -> None:
    Draft202012Validator.check_schema(_schema(kind))


def test_the_shared_definitions_are_the_same_in_every_schema() -> None:
    first = _schema(KINDS[0])["$defs"]
    for kind in KINDS[1:]:
        definitions = _schema(kind)["$defs"]
        assert definitions == {name: first[name] for name in definitions}, kind


@pytest.mark.parametrize("relative", _rule_files(bundled_rules_dir()))
def test_every_bundled_rule_file_passes_its_schema(relative: str) -> None:
    path = bundled_rules_dir() / relative
    assert _errors(_kind_of(relative), _load_yaml(path)) == []


@pytest.mark.parametrize("relative", _rule_files(bundled_rules_dir()))
def test_every_bundled_rule_file_names_its_schema_on_the_first_line(relative: str) -> None:
    path = bundled_rules_dir() / relative
    first = path.read_text("utf-8").splitlines()[0]
    target = first.removeprefix("# yaml-language-server: $schema=")
    assert target != first
    assert (path.parent / target).resolve() == (
        SCHEMAS / f"{_kind_of(relative)}.schema.json"
    ).resolve()


def test_the_minimal_fixture_passes_the_schemas() -> None:
    for relative in _rule_files(MINIMAL_RULES):
        assert _errors(_kind_of(relative), _load_yaml(MINIMAL_RULES / relative)) == [], relative


# (file, text to replace, replacement): one edit to a copy of tests/fixtures/minimal.
BROKEN = {
    "unknown key": ("ruleset.yaml", "min_score: 1", "min_score: 1\nmin_scroe: 2"),
    "wrong question type": ("questions.yaml", "type: number", "type: integer"),
    "missing required key": ("providers.yaml", "    offers: Help with alpha.\n", ""),
    "required: yes": ("questions.yaml", "type: confirm", "type: confirm\n    required: yes"),
    "two operators": (
        "questions.yaml",
        "includes: overdoses",
        "includes: overdoses\n      equals: overdoses",
    ),
    "bad id": ("questions.yaml", "id: officers", "id: Officers"),
    "provider url not text": (
        "providers.yaml",
        "url: https://example.org/helper",
        "url: [https://example.org/helper]",
    ),
    "unknown entry kind": ("entries/alpha.yaml", "kind: pathway", "kind: path-way"),
    "options on a number question": (
        "questions.yaml",
        "    max: 100000\n",
        "    max: 100000\n    options:\n      - value: many\n        label: Many\n",
    ),
    "empty text": ("ruleset.yaml", 'version: "1.0"', 'version: ""'),
    "provider without a checked date": ("providers.yaml", '    checked: "2026-11-20"\n', ""),
    "archived provider that still serves": (
        "providers.yaml",
        "    serves: [alpha]\n",
        "    serves: [alpha]\n    archived: {ended: 2019, note: Closed.}\n",
    ),
    "unknown contact type": ("providers.yaml", "contact_type: website", "contact_type: fax"),
    "program model without pathways": (
        "entries/alpha.yaml",
        "kind: pathway",
        "kind: program-model",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_file_is_rejected_by_both_schema_and_loader(case: str, tmp_path: Path) -> None:
    relative, old, new = BROKEN[case]
    rules = edited_minimal(tmp_path, relative, old, new)
    path = rules / relative

    assert _errors(_kind_of(relative), _load_yaml(path)) != []
    with pytest.raises(PadtoolError):
        load_rule_set(rules)


def test_schema_command_prints_the_shipped_file(run: Run) -> None:
    done = run("schema", "questions")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == _schema("questions")


def test_the_starter_overlay_passes_the_schemas(run: Run, tmp_path: Path) -> None:
    assert run("init-overlay", "county").returncode == 0
    folder = tmp_path / "county"
    for relative in ("overlay.yaml", "providers.yaml", "questions.yaml"):
        assert _errors(_kind_of(relative), _load_yaml(folder / relative)) == [], relative
    example = _load_yaml(folder / "examples" / "local-program.yaml")
    assert _errors("entry", example) == []


# (file, text): one file of an overlay over tests/fixtures/minimal.
BROKEN_OVERLAYS = {
    "disabled with more than its id": (
        "providers.yaml",
        "providers:\n  - id: helper\n    disabled: true\n    name: Helper\n",
    ),
    "override: false": ("entries/beta.yaml", "id: beta\noverride: false\n"),
    "no name": ("overlay.yaml", "description: A county.\n"),
}


@pytest.mark.parametrize("case", list(BROKEN_OVERLAYS))
def test_a_broken_overlay_file_is_rejected_by_both(case: str, tmp_path: Path) -> None:
    relative, text = BROKEN_OVERLAYS[case]
    folder = tmp_path / "overlay"
    (folder / "entries").mkdir(parents=True)
    (folder / "overlay.yaml").write_text("name: County\n", encoding="utf-8")
    (folder / relative).write_text(text, encoding="utf-8")

    assert _errors(_kind_of(relative), _load_yaml(folder / relative)) != []
    with pytest.raises(PadtoolError):
        load_rule_set(MINIMAL_RULES, folder)


def test_schema_command_prints_all_of_them_keyed_by_kind(run: Run) -> None:
    done = run("schema")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {kind: _schema(kind) for kind in KINDS}


def test_schema_help_names_every_kind_the_command_prints(run: Run) -> None:
    shown = " ".join(run("schema", "--help").stdout.split())
    listed = shown.split("[KIND]")[-1].split("(default")[0]
    assert set(re.split(r",\s*|\s+or\s+", listed.strip())) == set(KINDS)


def _required(schema_object: dict[str, Any]) -> set[str]:
    """The keys a mapping must have; for a kind an overlay may disable, when it is not."""
    found = schema_object.get("required", schema_object.get("else", {}).get("required", []))
    return set(found)


# Where each kind of mapping the loader reads is described, as a path into a schema.
SCHEMA_OBJECTS: dict[str, tuple[str, tuple[str | int, ...]]] = {
    "ruleset": ("ruleset", ()),
    "overlay": ("overlay", ()),
    "question": ("questions", ("properties", "questions", "items")),
    "option": ("questions", ("properties", "questions", "items", "properties", "options", "items")),
    "removed_option": (
        "questions",
        ("properties", "questions", "items", "properties", "removed_options", "items"),
    ),
    "entry": ("entry", ()),
    "requires": ("entry", ("properties", "requires", "oneOf", 0)),
    "fit": ("entry", ("properties", "fit", "items")),
    "prerequisite": ("entry", ("properties", "prerequisites", "items")),
    "step": ("entry", ("properties", "first_steps", "items", "oneOf", 1)),
    "resource": ("resources", ("properties", "resources", "items")),
    "example": ("entry", ("properties", "examples", "items")),
    "provider": ("providers", ("properties", "providers", "items")),
    "legal_check": ("legal", ("properties", "checks", "items")),
    "funding_item": ("funding", ("properties", "funding", "items")),
    "archived": ("providers", ("properties", "providers", "items", "properties", "archived")),
    "source": ("entry", ("$defs", "source", "oneOf", 1)),
}


@pytest.mark.parametrize("kind", sorted(KEYS))
def test_schema_and_loader_allow_and_require_the_same_keys(kind: str) -> None:
    schema_name, path = SCHEMA_OBJECTS[kind]
    found: Any = _schema(schema_name)
    for step in path:
        found = found[step]
    required, optional = KEYS[kind]
    assert set(found["properties"]) == required | optional
    assert _required(found) == required
    assert found["additionalProperties"] is False
