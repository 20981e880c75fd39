"""Warnings from `padtool validate`: legal but probably wrong things in a valid rule set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from conftest import MINIMAL_RULES, Run, edited_minimal
from padtool.lint import lint
from padtool.loader import load_rule_set
from padtool.model import RuleSet

VALIDATION_SCHEMA = Path(__file__).parents[1] / "src/padtool/schemas/validation.schema.json"
UNUSED_RARELY = "question overdose_level: no condition mentions option 'rarely'"
RARELY_AT = "questions.yaml:15"  # the line of the question, so an editor can jump there


def warnings_of(run: Run, directory: Path) -> list[str]:
    result = run("validate", str(directory))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "is valid" in lines[0]
    warnings = [line for line in lines[1:] if line.startswith("warning: ")]
    count = len(warnings)
    if count:
        assert lines[1:] == [*warnings, f"{count} warning{'' if count == 1 else 's'}."]
    else:
        assert lines[1:] == []
    return warnings


def test_minimal_fixture_warns_only_about_one_unused_option(run: Run) -> None:
    assert warnings_of(run, MINIMAL_RULES) == [
        f"warning: {MINIMAL_RULES / RARELY_AT}: {UNUSED_RARELY}"
    ]


def test_no_warning_leaves_the_valid_line_alone(run: Run, tmp_path: Path) -> None:
    rules = edited_minimal(tmp_path, "entries/alpha.yaml", "equals: weekly", "in: [weekly, rarely]")
    assert warnings_of(run, rules) == []
    assert run("validate", str(rules)).stdout.count("\n") == 1


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (  # 1. a question no condition uses
            "entries/alpha.yaml",
            "  - when:\n      question: officers\n      at_most: 10\n    weight: -1\n"
            "    reason: A very small agency.\n",
            "",
            "questions.yaml:27: question officers: no condition uses this question",
        ),
        (  # 2. an option no condition mentions
            "entries/beta.yaml",
            "includes: crisis",
            "answered: true",
            "questions.yaml:6: question challenges: no condition mentions option 'crisis'",
        ),
        (  # 3. fit rules that can never reach min_score
            "ruleset.yaml",
            "min_score: 1",
            "min_score: 3",
            "entries/beta.yaml: entry beta: its fit rules add up to at most 2, below the rule "
            "set's min_score 3: can never be recommended",
        ),
        (  # 4. a prerequisite that repeats a fit rule
            "entries/alpha.yaml",
            "prerequisites:\n",
            "  - when:\n      question: prosecutor\n      equals: true\n    weight: 1\n"
            "    reason: The prosecutor agrees.\nprerequisites:\n",
            "entries/alpha.yaml:30: entry alpha: prerequisite identical to a fit rule: "
            "the same answer is counted twice",
        ),
        (  # 4. ... but one with no penalty only names the gap: the answer counts once
            "entries/alpha.yaml",
            "prerequisites:\n  - when:\n      question: prosecutor\n      equals: true\n"
            "    gap: No prosecutor agreement.\n    penalty: 2\n",
            "  - when:\n      question: prosecutor\n      equals: true\n    weight: 1\n"
            "    reason: The prosecutor agrees.\nprerequisites:\n  - when:\n"
            "      question: prosecutor\n      equals: true\n"
            "    gap: No prosecutor agreement.\n    penalty: 0\n",
            None,
        ),
        (  # 6. a provider link that is not https
            "providers.yaml",
            "url: https://example.org/helper",
            "url: http://example.org/helper",
            "providers.yaml:2: provider helper: link is not https: http://example.org/helper",
        ),
        (  # 6. a provider source that is not https
            "providers.yaml",
            "sources: [https://example.org/everyone]",
            "sources: [http://example.org/everyone]",
            "providers.yaml:12: provider everyone: link is not https: http://example.org/everyone",
        ),
        (  # 6. an entry source that is not https
            "entries/beta.yaml",
            "https://example.org/beta",
            "http://example.org/beta",
            "entries/beta.yaml: entry beta: link is not https: http://example.org/beta",
        ),
        (  # 7. a placeholder in an entry's text, at its line
            "entries/beta.yaml",
            "summary: Responds to crisis calls.",
            "summary: Responds to crisis calls (program name not found).",
            "entries/beta.yaml:5: entry beta: placeholder 'not found' in text a report shows: "
            "fix it from the source, or move the remark to notes",
        ),
        (  # 7. ... in a source's title
            "entries/beta.yaml",
            "sources: [seeds/example.txt,",
            'sources: [{url: seeds/example.txt, title: "A study (seed document)"},',
            "entries/beta.yaml:15: entry beta: placeholder 'seed document' in text a report "
            "shows: fix it from the source, or move the remark to notes",
        ),
        (  # 7. ... in a provider's contact
            "providers.yaml",
            "contact: Use the web form.",
            "contact: TODO",
            "providers.yaml:7: provider helper: placeholder 'TODO' in text a report shows: "
            "fix it from the source, or move the remark to notes",
        ),
        (  # 7. ... in a question's help
            "questions.yaml",
            "help: Full-time sworn staff.",
            "help: Full-time sworn staff (unknown for part-timers).",
            "questions.yaml:29: question officers: placeholder '(unknown for part-timers)' in "
            "text a report shows: fix it from the source, or move the remark to notes",
        ),
        (  # 7. a remark in notes, which no report shows, is not a placeholder
            "entries/beta.yaml",
            "sources: [seeds/example.txt,",
            "notes: [The program name was not found; cost not stated.]\nsources: [seeds/example.txt,",
            None,
        ),
    ],
)
def test_each_warning(
    run: Run, tmp_path: Path, file: str, old: str, new: str, expected: str | None
) -> None:
    rules = edited_minimal(tmp_path, file, old, new)
    minimal = f"warning: {rules / RARELY_AT}: {UNUSED_RARELY}"
    found = [w for w in warnings_of(run, rules) if w != minimal]
    assert found == ([f"warning: {rules}/{expected}"] if expected else [])


def test_the_agency_question_and_text_questions_need_no_condition(run: Run, tmp_path: Path) -> None:
    rules = edited_minimal(tmp_path, "ruleset.yaml", "", "")
    text = (rules / "questions.yaml").read_text()
    (rules / "questions.yaml").write_text(
        text + "  - id: notes\n    prompt: Notes?\n    help: Anything else.\n    type: text\n"
    )
    assert warnings_of(run, rules) == [f"warning: {rules / RARELY_AT}: {UNUSED_RARELY}"]


def test_an_unused_question_is_one_warning_not_one_per_option(tmp_path: Path) -> None:
    rules = edited_minimal(tmp_path, "ruleset.yaml", "", "")
    text = (rules / "questions.yaml").read_text()
    (rules / "questions.yaml").write_text(
        text + "  - id: size\n    prompt: Size?\n    help: Pick one.\n    type: single\n"
        "    options:\n      - value: small\n        label: Small\n"
    )
    found = [(p.key, p.message) for p in lint(load_rule_set(rules))]
    assert found == [
        ("question overdose_level", "no condition mentions option 'rarely'"),
        ("question size", "no condition uses this question"),
    ]


def test_the_same_warning_is_given_once(tmp_path: Path) -> None:
    rules = edited_minimal(
        tmp_path,
        "entries/beta.yaml",
        "sources: [seeds/example.txt, https://example.org/beta]",
        "sources: [http://example.org/beta, http://example.org/beta]",
    )
    messages = [p.message for p in lint(load_rule_set(rules))]
    assert messages.count("link is not https: http://example.org/beta") == 1


def test_a_question_that_only_feeds_the_report_profile_is_used(run: Run, tmp_path: Path) -> None:
    unused = (
        "  - when:\n      question: officers\n      at_most: 10\n    weight: -1\n"
        "    reason: A very small agency.\n"
    )
    rules = edited_minimal(tmp_path, "entries/alpha.yaml", unused, "")
    questions = rules / "questions.yaml"
    text = questions.read_text(encoding="utf-8")
    questions.write_text(
        text.replace(
            "    min: 0\n", '    min: 0\n    profile: "It has {answer} sworn officers."\n'
        ),
        encoding="utf-8",
    )
    assert warnings_of(run, rules) == [f"warning: {rules / RARELY_AT}: {UNUSED_RARELY}"]


def test_validate_gives_errors_and_warnings_as_json(run: Run, tmp_path: Path) -> None:
    ok = run("validate", str(MINIMAL_RULES), "--format", "json")
    assert ok.returncode == 0, ok.stderr
    data = json.loads(ok.stdout)
    assert data["valid"] is True and data["errors"] == []
    assert data["rule_set"]["counts"] == {
        "questions": 5,
        "entries": 2,
        "providers": 2,
        "legal_checks": 0,
        "funding": 0,
    }
    assert data["warnings"] == [
        {
            "file": str(MINIMAL_RULES / "questions.yaml"),
            "line": 15,
            "column": None,
            "key": "question overdose_level",
            "message": "no condition mentions option 'rarely'",
        }
    ]
    schema = Draft202012Validator(json.loads(VALIDATION_SCHEMA.read_text(encoding="utf-8")))
    assert list(schema.iter_errors(data)) == []
    rules = edited_minimal(tmp_path, "questions.yaml", "type: number", "type: integer")
    broken = run("validate", str(rules), "--format", "json")
    assert broken.returncode == 2
    assert broken.stderr == ""  # the problems are the output, on stdout as data
    data = json.loads(broken.stdout)
    assert data["valid"] is False and data["rule_set"] is None and data["warnings"] == []
    found = [(e["file"], e["line"], e["column"], e["key"]) for e in data["errors"]]
    questions = str(rules / "questions.yaml")
    assert found == [
        (questions, 30, 11, "questions[3].type"),
        (questions, 31, 10, "questions[3].min"),
    ]
    assert data["errors"][0]["message"].startswith("expected one of single, multi, confirm")
    assert list(schema.iter_errors(data)) == []


def test_an_entry_missing_from_the_programs_run_question_is_a_warning(
    run: Run, rules_copy: Path
) -> None:
    questions = rules_copy / "questions.yaml"
    text = questions.read_text(encoding="utf-8")
    option = (
        "      - value: situation-table\n"
        "        label: A situation table (Hub) where agencies meet on people at acute risk\n"
    )
    assert option in text
    questions.write_text(text.replace(option, "", 1), encoding="utf-8")  # from programs_operating
    line = text[: text.index("  - id: programs_operating")].count("\n") + 1
    assert (
        f"warning: {questions}:{line}: question programs_operating: entry 'situation-table' is "
        "not an option of operating_question 'programs_operating': an agency cannot say so of it"
    ) in warnings_of(run, rules_copy)


AGREEMENT = """\
resources:
  - id: prosecutor-agreement
    name: A prosecutor agreement
    have: {question: prosecutor, equals: true}
    missing: No prosecutor agreement.
    build: Sign one.
    sources: [https://example.org/agreement]
"""


def test_a_report_can_never_say_a_resource_is_both_there_and_missing(
    run: Run, tmp_path: Path
) -> None:
    """A prerequisite naming a resource, but with a 'when' of its own that can fail while the
    resource exists, and one restating the resource by hand, are both named by file and line."""
    rules = edited_minimal(
        tmp_path,
        "entries/beta.yaml",
        "sources: [seeds",
        "prerequisites:\n"
        "  - resource: prosecutor-agreement\n"
        "    when: {question: officers, at_least: 10}\n"
        "sources: [seeds",
    )
    (rules / "resources.yaml").write_text(AGREEMENT, encoding="utf-8")
    beta = (rules / "entries/beta.yaml").read_text(encoding="utf-8")
    line = beta[: beta.index("  - resource: prosecutor-agreement")].count("\n") + 1
    warnings = warnings_of(run, rules)
    assert (
        f"warning: {rules / 'entries/beta.yaml'}:{line}: entry beta: prerequisite names resource"
        " 'prosecutor-agreement' but its 'when' can fail while the resource exists: from the same"
        " answers a report could say 'No prosecutor agreement.' and elsewhere that 'A prosecutor"
        " agreement' is there; drop the 'when', or make it hold whenever the resource's 'have'"
        " does"
    ) in warnings
    # alpha's hand-written prerequisite says exactly what the resource says.
    alpha = (rules / "entries/alpha.yaml").read_text(encoding="utf-8")
    line = alpha[: alpha.index("prerequisites:\n")].count("\n") + 2
    assert (
        f"warning: {rules / 'entries/alpha.yaml'}:{line}: entry alpha: prerequisite restates resource"
        " 'prosecutor-agreement': name it with 'resource: prosecutor-agreement', so what it means"
        " is defined once"
    ) in warnings


def test_a_prerequisite_that_holds_whenever_its_resource_does_is_fine(
    run: Run, tmp_path: Path
) -> None:
    rules = edited_minimal(
        tmp_path,
        "entries/alpha.yaml",
        "  - when:\n      question: prosecutor\n      equals: true\n    gap: No prosecutor agreement.\n",
        "  - resource: prosecutor-agreement\n"
        "    when: {any: [{question: prosecutor, equals: true}, {question: officers, at_least: 500}]}\n"
        "    gap: No prosecutor agreement, and too few officers to go without one.\n",
    )
    (rules / "resources.yaml").write_text(AGREEMENT, encoding="utf-8")
    assert not [w for w in warnings_of(run, rules) if "resource" in w]


def test_no_bundled_report_can_say_a_resource_is_both_there_and_missing() -> None:
    warnings = [w.message for w in lint(load_rule_set())]
    assert not [w for w in warnings if "resource" in w and "prerequisite" in w]


def test_a_shared_resource_may_count_for_a_pathway_and_as_its_gap(rule_set: RuleSet) -> None:
    """Having the resource is a reason to choose the pathway, lacking it a gap to build: the
    deliberate double count is not warned about; the same repeat without a resource is."""
    repeats = [
        (entry.file, p.line, bool(p.resource))
        for entry in rule_set.entries
        for p in entry.prerequisites
        if p.penalty and any(p.when == rule.when for rule in entry.fit)
    ]
    assert any(named for *_, named in repeats) and not all(named for *_, named in repeats)
    warned = {(w.file, w.line) for w in lint(rule_set) if "identical to a fit rule" in w.message}
    assert warned == {(file, line) for file, line, named in repeats if not named}
