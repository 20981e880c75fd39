"""The rule-set loader: the bundled set loads, and every kind of broken set is reported clearly."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from conftest import MINIMAL_RULES, PTACC_PATHWAYS, edited_minimal
from padtool.errors import PadtoolError
from padtool.loader import load_rule_set

PROGRAM_MODELS = {"co-responder", "civil-citation", "lead"}


def test_bundled_rule_set_has_the_framework_pathways_and_models(rule_set) -> None:
    kinds = {e.id: e.kind for e in rule_set.entries}
    assert {i for i, k in kinds.items() if k == "pathway"} >= set(PTACC_PATHWAYS)
    assert {i for i, k in kinds.items() if k == "program-model"} >= PROGRAM_MODELS
    for model_id in PROGRAM_MODELS:
        model = rule_set.find_entry(model_id)
        assert model.pathways and set(model.pathways) <= set(PTACC_PATHWAYS)


def test_former_pathway_names_are_aliases(rule_set) -> None:
    assert rule_set.find_entry("officer-prevention-referral").id == (
        "first-responder-officer-referral"
    )
    assert rule_set.find_entry("Officer-Intervention-Referral").id == "officer-intervention"


def test_every_entry_and_provider_cites_a_source(rule_set) -> None:
    assert all(entry.sources for entry in rule_set.entries)
    assert all(provider.sources for provider in rule_set.providers)
    assert all(provider.url.startswith(("https://", "http://")) for provider in rule_set.providers)


def test_every_entry_has_a_provider_and_first_steps(rule_set) -> None:
    for entry in rule_set.entries:
        assert entry.first_steps, entry.id
        assert any("all" not in p.serves for p in rule_set.providers_for(entry)), entry.id


def test_the_seeds_providers_are_all_listed(rule_set) -> None:
    names = " ".join(p.name for p in rule_set.providers).lower()
    for wanted in (
        "iacp",
        "tasc",
        "lead",
        "paari",
        "cit",
        "civil citation",
        "vera",
        "stepping up",
        "pretrial justice institute",
        "cossup",
        "diversion hub",
        "ptacc",
    ):
        assert wanted in names, wanted


def problems_of(directory: Path) -> list[str]:
    with pytest.raises(PadtoolError) as caught:
        load_rule_set(directory)
    return [str(p) for p in caught.value.problems]


def test_minimal_fixture_is_valid() -> None:
    assert [e.id for e in load_rule_set(MINIMAL_RULES).entries] == ["alpha", "beta"]


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "questions.yaml",
            "type: multi",
            "type: radio",
            "questions.yaml:9:11: questions[1].type: expected one of single, multi",
        ),
        (
            "questions.yaml",
            "    help: Full-time sworn staff.",
            "    helpp: Full-time sworn staff.",
            "unknown key (did you mean 'help'?)",
        ),
        (
            "entries/alpha.yaml",
            "includes: overdoses",
            "includes: overdose",
            "'overdose' is not an option of 'challenges' (did you mean 'overdoses'?)",
        ),
        (
            "entries/alpha.yaml",
            "question: officers",
            "question: officer",
            "'officer' is not a question (did you mean 'officers'?)",
        ),
        (
            "entries/alpha.yaml",
            "equals: true",
            "equals: yes",
            "'prosecutor' is a confirm question; 'yes' cannot be its answer",
        ),
        ("entries/alpha.yaml", "at_most: 10", "includes: 10", "includes needs a multi question"),
        (
            "questions.yaml",
            "      question: challenges\n      includes: overdoses",
            "      question: overdose_level\n      equals: weekly",
            "question 'overdose_level' cannot depend on its own answer",
        ),
        (
            "questions.yaml",
            "      question: challenges\n      includes: overdoses",
            "      question: officers\n      at_least: 1",
            "'officers' is not an earlier question",
        ),
        (
            "entries/beta.yaml",
            "pathways: [alpha]",
            "pathways: [alfa]",
            "'alfa' is not a framework pathway (did you mean 'alpha'?)",
        ),
        (
            "providers.yaml",
            "serves: [alpha]",
            "serves: [alpah]",
            "serves unknown entry 'alpah' (did you mean 'alpha'?)",
        ),
        ("entries/beta.yaml", "id: beta", "id: gamma", "must match the file name 'beta.yaml'"),
        ("entries/beta.yaml", "pathways: [alpha]\n", "", "must name its framework pathway"),
        (
            "questions.yaml",
            "    help: Pick all that apply.",
            "    help: Pick all that apply.\n    integer: true",
            "questions[1].integer: only number questions have integer",
        ),
        (
            "entries/beta.yaml",
            "name: Beta model",
            "name: Beta model\nshort_name: A label far too long",
            "short_name: is 20 characters; at most 14",
        ),
    ],
)
def test_broken_rule_sets_are_reported_with_file_line_and_key(
    tmp_path: Path, file: str, old: str, new: str, expected: str
) -> None:
    found = problems_of(edited_minimal(tmp_path, file, old, new))
    assert any(expected in p for p in found), found
    assert len(found) == 1, found  # one mistake, one message: no cascade
    assert all(p.startswith(str(tmp_path)) for p in found), found


def test_duplicate_key_is_an_error_not_last_wins(tmp_path: Path) -> None:
    found = problems_of(
        edited_minimal(tmp_path, "ruleset.yaml", "min_score: 1", "min_score: 1\nmin_score: 5")
    )
    assert any("ruleset.yaml:6:1: duplicate key 'min_score' (first on line 5)" in p for p in found)


def test_yaml_11_boolean_where_text_expected_is_an_error(tmp_path: Path) -> None:
    found = problems_of(
        edited_minimal(
            tmp_path,
            "questions.yaml",
            "help: The name printed on the report.",
            "help: The name\n    required: yes",
        )
    )
    assert any(
        "questions[0].required: expected true or false, found the text 'yes'" in p for p in found
    ), found


def test_unquoted_version_number_must_be_text(tmp_path: Path) -> None:
    found = problems_of(edited_minimal(tmp_path, "ruleset.yaml", 'version: "1.0"', "version: 1.10"))
    assert any(
        "version: expected text, found the number 1.1; put text in quotes" in p for p in found
    ), found


def test_every_problem_is_reported_in_one_run(tmp_path: Path) -> None:
    target = edited_minimal(tmp_path, "questions.yaml", "type: multi", "type: radio")
    (target / "providers.yaml").write_text(
        (target / "providers.yaml")
        .read_text()
        .replace("url: https://example.org/helper", "url: ftp://example.org")
    )
    found = problems_of(target)
    assert any("questions.yaml" in p for p in found)
    assert any("providers.yaml" in p and "https://" in p for p in found)


def test_python_tags_are_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    target = edited_minimal(
        tmp_path,
        "ruleset.yaml",
        "disclaimer: Test rule set.",
        f"disclaimer: !!python/object/apply:os.system ['touch {marker}']",
    )
    found = problems_of(target)
    assert any("unsupported tag '!!python/object/apply:os.system'" in p for p in found), found
    assert not marker.exists()


def test_alias_bomb_is_rejected_quickly(tmp_path: Path) -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    target = edited_minimal(
        tmp_path,
        "ruleset.yaml",
        "name: minimal test rule set",
        "name: minimal test rule set\n" + "\n".join(lines),
    )
    start = time.perf_counter()
    found = problems_of(target)
    assert time.perf_counter() - start < 1.0
    assert any("anchors and aliases" in p for p in found), found


def test_missing_directory_and_missing_file(tmp_path: Path) -> None:
    assert problems_of(tmp_path / "nowhere") == [
        f"{tmp_path / 'nowhere'}: rule-set directory not found"
    ]
    target = edited_minimal(tmp_path, "ruleset.yaml", "name", "name")
    (target / "providers.yaml").unlink()
    assert any(
        "providers.yaml: required rule-set file is missing" in p for p in problems_of(target)
    )


def test_a_syntax_error_in_questions_is_one_message_not_a_cascade(tmp_path: Path) -> None:
    found = problems_of(
        edited_minimal(tmp_path, "questions.yaml", "label: Overdoses", "label: Overdoses: weekly")
    )
    assert len(found) == 1, found
    assert (
        "questions.yaml:12:25: mapping values are not allowed in this context (text containing ': ' must be put in quotes)"
        in found[0]
    )


def test_short_names_label_every_bundled_entry_and_integer_counts_officers(rule_set) -> None:
    assert all(0 < len(e.short_name) <= 14 for e in rule_set.entries)
    assert len({e.short_name for e in rule_set.entries}) == len(rule_set.entries)
    assert rule_set.questions_by_id["sworn_officers"].integer


def test_weak_and_mirror_sources_are_replaced_or_marked(rule_set) -> None:
    """The 1988 Memphis CIT partners rest on NAMI, not a county parks page; Florida's 2024
    delinquency-citation law cites the Senate's bill page; what only a copy states says so."""
    refs = {e.id: [s.ref for s in e.sources] + list(e.notes) for e in rule_set.entries}
    cit = next(e for e in rule_set.entries if e.id == "crisis-intervention-team")
    assert not any("lancastercountyparks" in s.ref for s in cit.sources)
    assert any("nami.org" in s.ref and "ContentID=161353" in s.ref for s in cit.sources)
    assert any("NAMI Memphis" in n and "University of Tennessee" in n for n in cit.notes)
    citation = refs["civil-citation"]
    assert "https://flsenate.gov/Session/Bill/2024/1181" in citation
    assert any("unverified against the official statute" in n for n in citation)
    assert any("firearm" in n and "unverified" in n for n in citation)
