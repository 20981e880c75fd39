"""Hostile rule sets, through the real CLI: `padtool validate DIR` and `recommend --rules DIR`.

Every case starts from a copy of tests/fixtures/minimal in rules/ and breaks one thing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import PadtoolRunner
from .support import (
    MARKER,
    Case,
    assert_clean_error,
    assert_no_traceback,
    assert_unchanged,
    billion_laughs,
    deep_block_mapping,
    deep_block_sequence,
    deep_flow,
    edit,
    put,
    snapshot,
    sparse_file,
    steps,
    unreadable,
)

Q = "rules/questions.yaml"
R = "rules/ruleset.yaml"
A = "rules/entries/alpha.yaml"
P = "rules/providers.yaml"
HUGE = "1" + "0" * 400  # 10**400: a valid YAML int, far beyond any float

COMMANDS = {
    "validate": ("validate", "rules"),
    "recommend": ("recommend", "--answers", "answers.yaml", "--rules", "rules", "--format", "json"),
}


def bad_rules(case_id: str, case: Case, bug: str = "") -> object:
    """A case; with `bug`, a known padtool bug: strict xfail, so a fix shows up as XPASS."""
    marks = [pytest.mark.xfail(strict=True, reason=bug)] if bug else []
    return pytest.param(case, id=case_id, marks=marks)


# (case id, web address as YAML, what the message says)
BAD_URLS = [
    ("host-trailing-dot", "https://ojp.gov./ncjrs/x", "ends with a dot"),
    ("empty-host", "https:///helper", "no host name"),
    ("space", '"https://example.org/a b"', "space"),
    ("no-scheme", "example.org/helper", "no https://"),
    ("www-no-scheme", "www.example.org", "no https://"),
    ("ftp-scheme", "ftp://example.org/helper", "must start with https://"),
    ("javascript-scheme", '"javascript:alert(1)"', "must start with https://"),
    ("host-without-dot", "https://intranet/helper", "has no dot"),
    ("empty-host-part", "https://example..org/", "not a host name"),
]
# (case id, file, text replaced, replacement with {} for the address, line, key)
URL_PLACES = [
    ("provider", P, "url: https://example.org/helper", "url: {}", 6, "providers[0].url"),
    ("provider-source", P, "[https://example.org/helper]", "[{}]", 8, "providers[0].sources[0]"),
    ("entry-source", A, "[https://example.org/alpha]", "[{}]", 33, "sources[0]"),
    (
        "titled-source",
        A,
        "[https://example.org/alpha]",
        "[{{url: {}, title: T}}]",
        33,
        "sources[0].url",
    ),
]

CASES = [
    # --- YAML tags that would build Python objects (CVE-2017-18342, CVE-2020-1747/14343)
    bad_rules(
        "tag-apply-os-system-top-level",
        Case(
            put(Q, '!!python/object/apply:os.system ["touch @MARKER@"]\n'),
            Q,
            "unsupported tag",
            line=1,
        ),
    ),
    bad_rules(
        "tag-python-name",
        Case(edit(R, "name: minimal test rule set", "name: !!python/name:os.system"), R, "tag", 2),
    ),
    bad_rules(
        "tag-object-new",
        Case(
            edit(
                A,
                "summary: Responds to overdoses.",
                'summary: !!python/object/new:os.system ["touch @MARKER@"]',
            ),
            A,
            "unsupported tag",
            5,
        ),
    ),
    bad_rules(
        "tag-directive-aliasing-python",
        Case(
            put(
                R,
                "%TAG !p! tag:yaml.org,2002:python/\n---\n"
                'name: !p!object/apply:os.system ["touch @MARKER@"]\n',
            ),
            R,
            "unsupported tag",
            3,
        ),
    ),
    bad_rules(
        "tag-local-custom",
        Case(edit(R, 'version: "1.0"', "version: !vault 1.0"), R, "unsupported tag", 3),
    ),
    # --- anchors, aliases, merge keys
    bad_rules(
        "alias-to-a-scalar",
        Case(
            edit(A, "summary: Responds to overdoses.", "summary: &s Responds.\nnotes: [*s]"),
            A,
            "alias",
            5,
        ),
    ),
    bad_rules(
        "merge-key",
        Case(
            edit(
                Q,
                "  - id: prosecutor\n",
                "  - id: prosecutor\n    <<: {required: false}\n",
            ),
            Q,
            "merge key",
            34,
        ),
    ),
    bad_rules(
        "lone-anchor",
        Case(edit(R, "name: minimal", "name: &n minimal"), R, "anchor", 2),
    ),
    # --- duplicate keys and ids
    bad_rules(
        "duplicate-top-level-key",
        Case(
            put(Q, "questions:\n  - {id: a, prompt: A?, type: text}\nquestions: []\n"),
            Q,
            r"duplicate key 'questions' \(first on line 1\)",
            3,
        ),
    ),
    bad_rules(
        "duplicate-key-in-entry",
        Case(edit(A, "    weight: 3\n", "    weight: 3\n    weight: 30\n"), A, "duplicate key", 18),
    ),
    bad_rules(
        "duplicate-question-id",
        Case(
            edit(Q, "  - id: officers", "  - id: agency"),
            Q,
            "duplicate question id 'agency'",
            27,
            "questions[3]",
        ),
    ),
    # --- YAML 1.1 booleans and other implicit types where the loader expects something else
    bad_rules(
        "yes-as-boolean",
        Case(
            edit(Q, "    type: confirm\n", "    type: confirm\n    required: yes\n"),
            Q,
            "expected true or false",
            37,
            "questions[4].required",
        ),
    ),
    bad_rules(
        "on-as-boolean",
        Case(
            edit(Q, "    type: confirm\n", "    type: confirm\n    dont_know: on\n"),
            Q,
            "expected true or false",
            37,
            "questions[4].dont_know",
        ),
    ),
    bad_rules(
        "on-as-key-stays-text",
        Case(edit(R, "min_score: 1", "min_score: 1\non: 1"), R, "unknown key", 6, "on"),
    ),
    bad_rules(
        "version-1.10-is-not-silently-1.1",
        Case(edit(R, 'version: "1.0"', "version: 1.10"), R, "expected text", 3, "version"),
    ),
    # --- characters and encodings
    bad_rules(
        "tab-indentation",
        Case(edit(R, "min_score: 1", "min_score:\n\t1"), R, "tab", 6),
    ),
    bad_rules(
        "latin-1-bytes",
        Case(
            put(R, "name: Pr\xe4sidium\nversion: '1'\n".encode("latin-1")),
            R,
            r"not UTF-8 \(byte 0xe4 at offset 8\)",
            1,
        ),
    ),
    bad_rules(
        "utf-16-file",
        Case(put(R, "name: x\n".encode("utf-16")), R, "not UTF-8", 1),
    ),
    bad_rules(
        "nul-byte",
        Case(put(R, b"name: a\nversion: b\x00c\n"), R, "not allowed", 2),
    ),
    # --- shape of the document
    bad_rules("empty-file", Case(put(Q, b""), Q, "empty")),
    bad_rules("comment-only-file", Case(put(Q, "# nothing here\n\n# at all\n"), Q, "empty")),
    bad_rules("top-level-list", Case(put(Q, "- id: agency\n"), Q, "must be a mapping", 1)),
    bad_rules("top-level-scalar", Case(put(Q, "questions\n"), Q, "must be a mapping", 1)),
    bad_rules(
        "two-documents",
        Case(put(R, "name: a\n---\nname: b\n"), R, "more than one", 2),
    ),
    bad_rules(
        "key-is-not-text",
        Case(edit(R, "min_score: 1", "min_score: 1\n1: one"), R, "keys must be text", 6),
    ),
    # --- nesting
    bad_rules("deep-flow-500", Case(put(Q, deep_flow(500, "questions")), Q, "nesting|deep")),
    bad_rules("deep-flow-1000", Case(put(Q, deep_flow(1000, "questions")), Q, "nesting|deep", 1)),
    bad_rules(
        "deep-flow-100000", Case(put(Q, deep_flow(100_000, "questions")), Q, "nesting|deep", 1)
    ),
    bad_rules(
        "deep-block-sequence-1000",
        Case(put(Q, deep_block_sequence(1000, "questions")), Q, "nesting|deep", 2),
    ),
    bad_rules(
        "deep-block-mapping-1000",
        Case(put(Q, deep_block_mapping(1000, "questions")), Q, "nesting|deep"),
    ),
    bad_rules(
        "condition-nested-200-levels",
        Case(
            edit(
                A,
                "      question: officers\n      at_most: 10\n",
                "      " + "{not: " * 200 + "{question: officers, at_most: 10}" + "}" * 200 + "\n",
            ),
            A,
            "nested more than",
            20,
        ),
    ),
    # --- files and folders that are not what they should be
    bad_rules(
        "file-is-a-directory",
        Case(lambda f: ((f / Q).unlink(), (f / Q).mkdir()), Q, "is a directory"),
    ),
    bad_rules("file-missing", Case(lambda f: (f / Q).unlink(), Q, "missing")),
    bad_rules(
        "entry-file-is-a-directory",
        Case(lambda f: (f / "rules/entries/gamma.yaml").mkdir(), "rules/entries/gamma.yaml", "dir"),
    ),
    bad_rules(
        "entries-folder-missing",
        Case(
            steps(
                lambda f: [p.unlink() for p in (f / "rules/entries").iterdir()],
                lambda f: (f / "rules/entries").rmdir(),
                edit(P, "serves: [alpha]", "serves: [all]"),
            ),
            "rules/entries",
            "entr",
        ),
    ),
    bad_rules(
        "entries-is-a-file",
        Case(
            steps(
                lambda f: [p.unlink() for p in (f / "rules/entries").iterdir()],
                lambda f: (f / "rules/entries").rmdir(),
                lambda f: (f / "rules/entries").write_text("alpha\n"),
                edit(P, "serves: [alpha]", "serves: [all]"),
            ),
            "rules/entries",
            "entr",
        ),
    ),
    # --- conditions naming what does not exist, or themselves
    bad_rules(
        "condition-unknown-question",
        Case(
            edit(A, "question: officers", "question: deputies"),
            A,
            "'deputies' is not a question",
            20,
            "fit[1].when.question",
        ),
    ),
    bad_rules(
        "condition-unknown-option",
        Case(
            edit(A, "equals: weekly", "equals: monthly"),
            A,
            "'monthly' is not an option of 'overdose_level'",
            16,
            "fit[0].when.all[1].equals",
        ),
    ),
    bad_rules(
        "condition-unknown-multi-option",
        Case(
            edit(A, "includes: overdoses", "includes_any: [overdoses, burglary]"),
            A,
            "'burglary' is not an option of 'challenges'",
            14,
        ),
    ),
    bad_rules(
        "when-references-itself",
        Case(
            edit(Q, "      question: challenges\n", "      question: overdose_level\n"),
            Q,
            "cannot depend on its own answer",
            20,
            "questions[2].when.question",
        ),
    ),
    bad_rules(
        "when-references-a-later-question",
        Case(
            edit(Q, "      question: challenges\n", "      question: prosecutor\n"),
            Q,
            "'prosecutor' is not an earlier question",
            20,
        ),
    ),
    bad_rules(
        "when-cycle-between-two-questions",
        Case(
            steps(
                edit(
                    Q,
                    "    type: multi\n",
                    "    type: multi\n    when: {question: overdose_level, answered: true}\n",
                ),
            ),
            Q,
            "'overdose_level' is not an earlier question",
            10,
            "questions[1].when.question",
        ),
    ),
    # --- numbers where text belongs and the reverse; NaN, infinity, negative, huge
    bad_rules(
        "number-where-text",
        Case(edit(R, "name: minimal test rule set", "name: 12"), R, "expected text", 2, "name"),
    ),
    bad_rules(
        "text-where-number",
        Case(edit(A, "weight: 3", 'weight: "3"'), A, "whole number", 17, "fit[0].weight"),
    ),
    bad_rules(
        "text-where-threshold",
        Case(edit(A, "at_most: 10", "at_most: ten"), A, "finite number", 21),
    ),
    bad_rules(
        "nan-threshold",
        Case(edit(A, "at_most: 10", "at_most: .nan"), A, "finite number", 21),
    ),
    bad_rules(
        "infinite-minimum",
        Case(edit(Q, "min: 0", "min: -.inf"), Q, "finite number", 31, "questions[3].min"),
    ),
    bad_rules(
        "nan-weight",
        Case(edit(A, "weight: 3", "weight: .NaN"), A, "whole number", 17),
    ),
    bad_rules(
        "negative-starting-set-size",
        Case(
            edit(R, "starting_set_size: 1", "starting_set_size: -1"),
            R,
            "at least 1",
            4,
            "starting_set_size",
        ),
    ),
    bad_rules(
        "negative-penalty",
        Case(edit(A, "penalty: 2", "penalty: -2"), A, "at least 0", 29, "prerequisites[0].penalty"),
    ),
    bad_rules(
        "huge-threshold-10e400",
        Case(edit(A, "at_most: 10", f"at_most: {HUGE}"), A, "number", 21),
    ),
    bad_rules(
        "huge-question-minimum-10e400",
        Case(edit(Q, "min: 0", f"min: {HUGE}"), Q, "number", 31),
    ),
    # --- web addresses a reader could not open: provider urls and sources alike
    *(
        bad_rules(
            f"{where}-url-{case_id}",
            Case(edit(file, old, new.format(url)), file, message, line=line, key=key),
        )
        for case_id, url, message in BAD_URLS
        for where, file, old, new, line, key in URL_PLACES
    ),
    bad_rules(
        "just-over-the-size-limit",
        Case(put(Q, "questions: []\n" + ("#" * 79 + "\n") * 12_500), Q, "limit"),
    ),
]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", CASES)
def test_hostile_rule_set_is_a_clean_error(folder: Path, cli, case: Case, command: str) -> None:
    case.setup(folder)
    before = snapshot(folder)
    result = cli(*COMMANDS[command])
    assert_clean_error(
        result,
        file=case.file,
        line=case.line,
        key=case.key,
        message=case.message,
        max_stderr=case.max_stderr,
    )
    assert_unchanged(folder, before)
    assert not (folder / MARKER).exists()


def test_python_tag_in_any_rule_file_runs_nothing(folder: Path, cli) -> None:
    payload = f'!!python/object/apply:os.system ["touch {folder / MARKER}"]'
    for name in ("ruleset.yaml", "questions.yaml", "providers.yaml", "entries/alpha.yaml"):
        (folder / "rules" / name).write_text(f"key: {payload}\n")
    result = cli("validate", "rules")
    assert_clean_error(result, file="rules/entries/alpha.yaml", line=1, message="unsupported tag")
    assert result.stderr.count("unsupported tag") == 4  # every file is read, none is executed
    assert not (folder / MARKER).exists()


@pytest.mark.parametrize("command", COMMANDS)
def test_alias_bomb_in_a_rule_file_is_refused_fast_and_small(
    folder: Path, padtool: PadtoolRunner, command: str
) -> None:
    (folder / "rules" / "questions.yaml").write_text(billion_laughs())
    result = padtool(*COMMANDS[command])
    assert_clean_error(result, file=Q, message="alias")
    assert result.elapsed < 1.0


@pytest.mark.parametrize("command", COMMANDS)
def test_50_mb_rule_file_is_refused_by_size_without_reading_it(
    folder: Path, padtool: PadtoolRunner, command: str
) -> None:
    sparse_file(folder / "rules" / "questions.yaml", 50_000_000)
    result = padtool(*COMMANDS[command])  # reading it whole would not fit in the memory limit
    assert_clean_error(result, file=Q, message="50,000,000 bytes")
    assert result.elapsed < 1.0


def test_unreadable_rule_file_is_a_clean_error(folder: Path, padtool: PadtoolRunner) -> None:
    preexec = unreadable(folder / "rules" / "questions.yaml")
    result = padtool("validate", "rules", preexec=preexec)
    assert_clean_error(result, file=Q, message="permission denied")


@pytest.mark.parametrize(
    ("args", "named", "message"),
    [
        pytest.param(("validate", "nowhere"), "nowhere", "not found", id="validate-missing-dir"),
        pytest.param(("validate", "answers.yaml"), "answers.yaml", "not a directory", id="file"),
        pytest.param(
            ("recommend", "--answers", "answers.yaml", "--rules", "nowhere"),
            "nowhere",
            "not found",
            id="rules-missing-dir",
        ),
        pytest.param(
            ("recommend", "--answers", "answers.yaml", "--rules", "answers.yaml"),
            "answers.yaml",
            "is a file",
            id="rules-is-a-file",
        ),
    ],
)
def test_rule_set_folder_that_is_not_one(
    folder: Path, cli, args: tuple[str, ...], named: str, message: str
) -> None:
    before = snapshot(folder)
    assert_clean_error(cli(*args), file=named, message=message)
    assert_unchanged(folder, before)


@pytest.mark.parametrize("command", ["validate", "--rules"])
def test_rule_set_folder_name_too_long_is_a_clean_error(folder: Path, cli, command: str) -> None:
    name = "d" * 300
    args = (
        ("validate", name)
        if command == "validate"
        else ("recommend", "--answers", "answers.yaml", "--rules", name)
    )
    assert_clean_error(cli(*args), file=name, message="too long|not found")


# --- what must be accepted, and read exactly as written --------------------------------------


def _questions_json(cli) -> object:
    result = cli("questions", "--rules", "rules", "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda text: b"\xef\xbb\xbf" + text.encode(), id="utf-8-bom"),
        pytest.param(lambda text: text.replace("\n", "\r\n").encode(), id="crlf"),
        pytest.param(
            lambda text: b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode(), id="bom-and-crlf"
        ),
    ],
)
def test_bom_and_crlf_rule_files_read_the_same(folder: Path, cli, encode) -> None:
    expected = _questions_json(cli)
    for path in (folder / "rules").rglob("*.yaml"):
        path.write_bytes(encode(path.read_text(encoding="utf-8")))
    result = cli("validate", "rules")
    assert result.returncode == 0, result.stderr
    assert_no_traceback(result)
    assert _questions_json(cli) == expected


def test_yaml_1_1_words_stay_text_where_text_is_expected(folder: Path, cli) -> None:
    edit(R, "name: minimal test rule set", "name: NO")(folder)
    edit(A, "partners: [EMS]", "partners: [yes, 'off', on]")(folder)
    edit(
        A,
        "first_steps: [Call a meeting.]",
        "first_steps: [Call a meeting.]\nexamples:\n"
        "  - {name: Pilot, place: '012', year: 2024-01-01}",
    )(folder)
    result = cli("validate", "rules")
    assert result.returncode == 0, result.stderr
    assert "rule set 'NO'" in result.stdout
    shown = cli("pathways", "show", "alpha", "--rules", "rules", "--format", "json")
    data = json.loads(shown.stdout)
    assert [p["text"] for p in data["partners"]] == ["yes", "off", "on"]
    assert data["examples"][0]["year"] == "2024-01-01"
    assert data["examples"][0]["place"] == "012"


def test_unreadable_really_blocks_reading(tmp_path: Path) -> None:
    """The permission case proves something only if the file is really unreadable to padtool."""
    path = tmp_path / "locked.yaml"
    path.write_text("a: 1\n")
    probe = [sys.executable, "-c", f"open({str(path)!r}).read()"]
    done = subprocess.run(
        probe, capture_output=True, text=True, preexec_fn=unreadable(path), timeout=60
    )
    assert "PermissionError" in done.stderr


# --- the rule-set cache: reading files before they are checked, and a damaged cache ----------


@pytest.mark.parametrize("command", COMMANDS)
def test_1_gib_rule_file_is_refused_without_reading_it(
    folder: Path, padtool: PadtoolRunner, command: str
) -> None:
    sparse_file(folder / "rules" / "questions.yaml", 2**30)
    before = snapshot(folder)
    result = padtool(*COMMANDS[command])
    assert_clean_error(result, file=Q, message="1,073,741,824 bytes")
    assert result.elapsed < 2.0
    assert_unchanged(folder, before)


@pytest.mark.parametrize("command", COMMANDS)
def test_device_file_in_the_rule_set_is_refused(
    folder: Path, padtool: PadtoolRunner, command: str
) -> None:
    (folder / "rules" / "entries" / "zero.yaml").symlink_to("/dev/zero")
    result = padtool(*COMMANDS[command], timeout=30)
    assert_clean_error(result, file="rules/entries/zero.yaml")
    assert result.elapsed < 5.0


def test_cache_does_not_hide_a_later_break(folder: Path, cli) -> None:
    assert cli(*COMMANDS["recommend"]).returncode == 0  # the valid rule set is now cached
    edit(
        A,
        "summary: Responds to overdoses.",
        'summary: !!python/object/apply:os.system ["touch @MARKER@"]',
    )(folder)
    for args in COMMANDS.values():
        assert_clean_error(cli(*args), file=A, line=5, message="unsupported tag")
    assert not (folder / MARKER).exists()


DAMAGE = {
    "garbage": b"\x00\xff\xfe not json",
    "empty": b"",
    "truncated": None,  # the real cache file cut in half
    "deep-nesting": b"[" * 100_000 + b"]" * 100_000,
    "not-a-rule-set": b'{"t": "Source", "v": ["https://example.org"]}',
    "unknown-type": b'{"t": "system", "v": ["touch PWNED"]}',
    "huge-number": b"1" + b"0" * 5000,
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_damaged_cache_falls_back_to_the_rule_files(folder: Path, cli, damage: str) -> None:
    first = cli(*COMMANDS["recommend"])
    assert first.returncode == 0, first.stderr
    cached = sorted((folder / "cache").rglob("*.json"))
    assert cached, "no cache file was written; this test needs updating"
    for path in cached:
        content = DAMAGE[damage]
        path.write_bytes(
            path.read_bytes()[: path.stat().st_size // 2] if content is None else content
        )
    again = cli(*COMMANDS["recommend"])
    assert_no_traceback(again)
    assert again.returncode == 0, again.stderr
    assert again.stdout == first.stdout
    assert not (folder / MARKER).exists()


@pytest.mark.parametrize("where", ["cache-folder-is-a-file", "cache-file-is-a-folder"])
def test_unusable_cache_location_costs_nothing_but_speed(folder: Path, cli, where: str) -> None:
    if where == "cache-folder-is-a-file":
        (folder / "cache").write_text("not a folder\n")
    else:
        assert cli(*COMMANDS["recommend"]).returncode == 0
        for path in (folder / "cache").rglob("*.json"):
            path.unlink()
            path.mkdir()
    before = snapshot(folder)
    result = cli(*COMMANDS["recommend"])
    assert_no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["agency"] == "Testville PD"
    assert snapshot(folder) == before


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda path: os.mkfifo(path), id="named-pipe"),
        pytest.param(lambda path: path.symlink_to(path.name), id="symlink-loop"),
        pytest.param(lambda path: path.symlink_to("nowhere.yaml"), id="dangling-symlink"),
    ],
)
@pytest.mark.parametrize("command", COMMANDS)
def test_entry_file_that_is_not_a_regular_file(
    folder: Path, padtool: PadtoolRunner, make, command: str
) -> None:
    """Never blocks on a pipe nobody writes to, never follows a loop: a clean error, fast."""
    make(folder / "rules" / "entries" / "gamma.yaml")
    before = snapshot(folder)
    result = padtool(*COMMANDS[command], timeout=20)
    assert_clean_error(result, file="rules/entries/gamma.yaml")
    assert result.elapsed < 5.0
    assert_unchanged(folder, before)
