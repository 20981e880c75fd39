"""Hostile answers files, through the real CLI: `padtool recommend --answers FILE`.

Every case runs against the minimal rule set (tests/fixtures/minimal, copied to rules/). Most
start from conftest.MINIMAL_ANSWERS and change one line, so the line numbers are those of it:
agency 1, challenges 2, overdose_level 3, officers 4, prosecutor 5.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MINIMAL_ANSWERS

from .conftest import PadtoolRunner
from .support import (
    MARKER,
    Case,
    answers_with,
    assert_clean_error,
    assert_no_traceback,
    assert_unchanged,
    billion_laughs,
    deep_block_mapping,
    deep_block_sequence,
    deep_flow,
    limit_memory,
    put,
    snapshot,
    sparse_file,
    unreadable,
)

RULES = ("--rules", "rules")
JSON_ANSWERS = (
    '{"agency": "Testville PD", "challenges": ["overdoses"], "overdose_level": "weekly", '
    '"officers": OFFICERS, "prosecutor": false}'
)


def bad_answers(
    case_id: str,
    content: str | bytes,
    message: str,
    line: int | None = None,
    key: str | None = None,
    *,
    name: str = "answers.yaml",
    bug: str = "",
    max_stderr: int = 5000,
) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=bug)] if bug else []
    case = Case(put(name, content), name, message, line, key, max_stderr)
    return pytest.param(case, id=case_id, marks=marks)


def json_answers(officers: str) -> str:
    return JSON_ANSWERS.replace("OFFICERS", officers)


CASES = [
    # --- YAML tags that would build Python objects
    bad_answers(
        "tag-apply-os-system-top-level",
        '!!python/object/apply:os.system ["touch @MARKER@"]\n',
        "unsupported tag",
        1,
    ),
    bad_answers(
        "tag-apply-os-system-as-answer",
        answers_with("agency", '!!python/object/apply:os.system ["touch @MARKER@"]'),
        "unsupported tag",
        1,
    ),
    bad_answers(
        "tag-python-name",
        answers_with("officers", "!!python/name:os.system"),
        "unsupported tag",
        4,
    ),
    bad_answers(
        "tag-object-new",
        answers_with("prosecutor", '!!python/object/new:os.system ["touch @MARKER@"]'),
        "unsupported tag",
        5,
    ),
    bad_answers("tag-set", answers_with("challenges", "!!set {overdoses: null}"), "tag", 2),
    bad_answers("tag-binary", answers_with("agency", "!!binary aGVsbG8="), "tag", 1),
    bad_answers("tag-timestamp", answers_with("agency", "!!timestamp 2024-01-01"), "tag", 1),
    # --- anchors, aliases, merge keys
    bad_answers(
        "alias-to-a-scalar",
        answers_with("agency", "&name Testville PD") + "agency_again: *name\n",
        "alias",
        1,
    ),
    bad_answers(
        "merge-key",
        MINIMAL_ANSWERS + "<<: {officers: 5}\n",
        "merge key",
        6,
    ),
    bad_answers(
        "lone-anchor",
        answers_with("agency", "&name Testville PD"),
        "anchor",
        1,
    ),
    # --- duplicate keys
    bad_answers(
        "duplicate-key-yaml",
        MINIMAL_ANSWERS + "agency: Other PD\n",
        r"duplicate key 'agency' \(first on line 1\)",
        6,
    ),
    bad_answers(
        "duplicate-key-json",
        '{"agency": "A PD", "challenges": [],\n "officers": 4, "agency": "B PD"}',
        r"duplicate key 'agency' \(first on line 1\)",
        2,
        name="answers.json",
    ),
    # --- YAML 1.1 booleans: only true/false are booleans
    *[
        bad_answers(
            f"yaml-1.1-boolean-{word}",
            answers_with("prosecutor", word),
            "expected true or false",
            5,
            "prosecutor",
        )
        for word in ("yes", "no", "on", "off", "NO", "y")
    ],
    # --- characters and encodings
    bad_answers(
        "tab-indentation",
        "agency: Testville PD\nchallenges:\n\t- overdoses\n",
        "tab",
        3,
    ),
    bad_answers(
        "latin-1-bytes",
        answers_with("agency", "Pr\xe4sidium").encode("latin-1"),
        r"not UTF-8 \(byte 0xe4 at offset 10\)",
        1,
    ),
    bad_answers("utf-16-file", MINIMAL_ANSWERS.encode("utf-16"), "not UTF-8", 1),
    bad_answers("nul-byte", answers_with("agency", "Test\x00ville").encode(), "not allowed", 1),
    bad_answers("raw-escape-byte", answers_with("agency", "\x1b[2J PD"), "not allowed", 1),
    # --- shape of the document
    bad_answers("empty-file", b"", "empty"),
    bad_answers("comment-only-file", "# agency: Testville PD\n#\n", "empty"),
    bad_answers("top-level-list", "- agency: Testville PD\n", "must be a mapping", 1),
    bad_answers("top-level-scalar", "Testville PD\n", "must be a mapping", 1),
    bad_answers("json-array", '[{"agency": "Testville PD"}]', "must be a mapping", 1),
    bad_answers("two-documents", MINIMAL_ANSWERS + "---\nagency: B\n", "more than one", 6),
    bad_answers("key-is-a-number", MINIMAL_ANSWERS + "1: one\n", "keys must be text", 6),
    bad_answers("key-is-null", MINIMAL_ANSWERS + "~: one\n", "keys must be text", 6),
    bad_answers("key-is-a-list", MINIMAL_ANSWERS + "? [a, b]\n: one\n", "keys must be text", 6),
    # --- nesting
    bad_answers("deep-flow-500", deep_flow(500), "nesting|deep"),
    bad_answers("deep-flow-1000", deep_flow(1000), "nesting|deep", 1),
    bad_answers("deep-flow-100000", deep_flow(100_000), "nesting|deep", 1),
    bad_answers("deep-json-5000", '{"agency": ' + "[" * 5000 + "]" * 5000 + "}", "nesting|deep"),
    bad_answers("deep-block-sequence-1000", deep_block_sequence(1000), "nesting|deep", 2),
    bad_answers("deep-block-mapping-1000", deep_block_mapping(1000), "nesting|deep"),
    # --- answers that do not fit their question
    bad_answers(
        "unknown-question", MINIMAL_ANSWERS + "deputies: 4\n", "unknown question", 6, "deputies"
    ),
    bad_answers(
        "unknown-option",
        answers_with("overdose_level", "daily"),
        "'daily' is not an option; expected one of weekly, rarely",
        3,
        "overdose_level",
    ),
    bad_answers(
        "misspelt-option",
        answers_with("overdose_level", "weakly"),
        r"did you mean 'weekly'\?",
        3,
        "overdose_level",
    ),
    bad_answers(
        "unknown-multi-option",
        answers_with("challenges", "[overdoses, burglary]"),
        "'burglary' is not an option",
        2,
        "challenges",
    ),
    bad_answers(
        "multi-option-twice",
        answers_with("challenges", "[overdoses, overdoses]"),
        "more than once",
        2,
        "challenges",
    ),
    bad_answers("number-where-text", answers_with("agency", "12"), "expected text", 1, "agency"),
    bad_answers(
        "quoted-number", answers_with("officers", '"40"'), "expected a number", 4, "officers"
    ),
    bad_answers("word-where-number", answers_with("officers", "forty"), "expected a number", 4),
    bad_answers("boolean-where-number", answers_with("officers", "true"), "expected a number", 4),
    bad_answers(
        "list-where-one-option",
        answers_with("overdose_level", "[weekly]"),
        "expected one option value",
        3,
    ),
    bad_answers("text-where-list", answers_with("challenges", "overdoses"), "expected a list", 2),
    bad_answers("mapping-where-text", answers_with("agency", "{name: X}"), "expected text", 1),
    bad_answers("blank-text", answers_with("agency", '"   "'), "must not be empty", 1, "agency"),
    # --- NaN, infinity, negative and huge counts
    *[
        bad_answers(f"yaml-{word}", answers_with("officers", word), "finite", 4, "officers")
        for word in (".nan", ".NaN", ".inf", "-.inf")
    ],
    *[
        bad_answers(
            f"json-{word}",
            json_answers(word),
            "number",
            1,
            "officers",
            name="answers.json",
        )
        for word in ("NaN", "Infinity", "-Infinity")
    ],
    bad_answers(
        "negative-count", answers_with("officers", "-5"), "at least 0, found -5", 4, "officers"
    ),
    bad_answers(
        "count-1e308", answers_with("officers", "1.0e308"), "at most 100000", 4, "officers"
    ),
    bad_answers(
        "count-1e400-float-overflow",
        answers_with("officers", "1.0e400"),
        "finite",
        4,
        "officers",
    ),
    bad_answers(
        "count-10-to-the-400",
        answers_with("officers", "1" + "0" * 400),
        "at most 100000",
        4,
        "officers",
    ),
    bad_answers(
        "count-10-to-the-5000",
        answers_with("officers", "1" + "0" * 5000),
        "officers|number|int",
        4,
    ),
    # --- big answers
    bad_answers(
        "text-answer-of-1-mb",
        answers_with("agency", "x" * 1_048_576),
        r"1,048,\d{3} bytes; the limit is 1,000,000",
    ),
    bad_answers(
        "text-answer-of-900-kb",
        answers_with("agency", "x" * 900_000),
        "900,000 characters long; the limit is 200",
        1,
        "agency",
    ),
    bad_answers(
        "list-of-10000-same-options",
        answers_with("challenges", "[" + ", ".join(["overdoses"] * 10_000) + "]"),
        "more than once",
        2,
        "challenges",
    ),
    bad_answers(
        "list-of-10000-unknown-options",
        answers_with("challenges", "[" + ", ".join(f"x{i}" for i in range(10_000)) + "]"),
        "'x0' is not an option",
        2,
        "challenges",
    ),
    bad_answers(
        "36000-unknown-questions",
        "".join(f"unknown_question_{i}: x\n" for i in range(36_000)),
        "36000 problems found",
        max_stderr=5_000_000,
    ),
    # --- control characters and terminal escapes in free text (YAML escapes make them)
    *[
        bad_answers(
            f"control-in-text-{name}",
            answers_with("agency", f'"Testville {escape} PD"'),
            "control characters",
            1,
            "agency",
        )
        for name, escape in [
            ("ansi-csi", "\\e[2J\\e[31m"),
            ("osc-8-hyperlink", "\\e]8;;https://evil.example\\e\\\\click\\e]8;;\\e\\\\"),
            ("c1-csi", "\\x9b2J"),
            ("bell", "\\a"),
            ("bidi-override", "\\u202e"),
            ("zero-width", "\\u200b"),
        ]
    ],
    # A one-line answer is told that the line break is the problem (a prose one accepts it).
    bad_answers(
        "newline-in-one-line-text",
        answers_with("agency", '"Testville \\n# heading PD"'),
        "contains a line break; this answer must be one line",
        1,
        "agency",
    ),
]


@pytest.mark.parametrize("case", CASES)
def test_hostile_answers_file_is_a_clean_error(folder: Path, cli, case: Case) -> None:
    case.setup(folder)
    before = snapshot(folder)
    result = cli("recommend", "--answers", case.file, *RULES)
    assert_clean_error(
        result,
        file=case.file,
        line=case.line,
        key=case.key,
        message=case.message,
        max_stderr=case.max_stderr,
    )
    assert "\x1b" not in result.stderr and "\x9b" not in result.stderr
    assert_unchanged(folder, before)
    assert not (folder / MARKER).exists()


RESUME_CASES = [
    bad_answers(
        "tag-apply-os-system",
        answers_with("agency", '!!python/object/apply:os.system ["touch @MARKER@"]'),
        "unsupported tag",
        1,
    ),
    bad_answers("alias", billion_laughs(), "alias"),
    bad_answers("duplicate-key", MINIMAL_ANSWERS + "agency: B\n", "duplicate key", 6),
    bad_answers("deep-flow", deep_flow(2000), "nesting|deep", 1),
    bad_answers("control", answers_with("agency", '"\\e[2J"'), "control characters", 1),
]


@pytest.mark.parametrize("option", [("--answers",), ("--resume", "--session")])
@pytest.mark.parametrize("case", RESUME_CASES)
def test_hostile_file_given_to_interview(
    folder: Path, cli, case: Case, option: tuple[str, ...]
) -> None:
    """`interview --answers` and `--resume --session` read the same files: refused up front."""
    case.setup(folder)
    before = snapshot(folder)
    result = cli("interview", *option, case.file, *RULES)
    assert_clean_error(result, file=case.file, line=case.line, message=case.message)
    assert_unchanged(folder, before)
    assert not (folder / MARKER).exists()


def test_alias_bomb_answers_file_is_refused_fast_and_small(
    folder: Path, padtool: PadtoolRunner
) -> None:
    (folder / "answers.yaml").write_text(billion_laughs())
    result = padtool("recommend", "--answers", "answers.yaml", *RULES)
    assert_clean_error(result, file="answers.yaml", line=1, message="alias")
    assert result.elapsed < 1.0


def test_the_memory_limit_would_stop_an_expanded_bomb(folder: Path) -> None:
    """Control: the limit the bomb cases run under is enforced here, and the bomb is real:
    loading it with PyYAML's own safe loader and serialising it dies of MemoryError."""
    (folder / "bomb.yaml").write_text(billion_laughs())
    naive = "import json, yaml; json.dumps(yaml.safe_load(open('bomb.yaml')))"
    for code in ("bytearray(200 * 2**20)", naive):
        done = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            cwd=folder,
            preexec_fn=limit_memory,
            timeout=60,
        )
        assert done.returncode != 0 and "MemoryError" in done.stderr, (code, done.stderr[-500:])


def test_alias_bomb_as_json_answers(folder: Path, padtool: PadtoolRunner) -> None:
    """JSON has no aliases, but a .json file is read as YAML: the bomb must not work there."""
    (folder / "answers.json").write_text(billion_laughs())
    result = padtool("recommend", "--answers", "answers.json", *RULES, "--format", "json")
    assert_clean_error(result, file="answers.json", message="alias")
    assert result.elapsed < 1.0


def test_50_mb_answers_file_is_refused_by_size_without_reading_it(
    folder: Path, padtool: PadtoolRunner
) -> None:
    sparse_file(folder / "answers.yaml", 50_000_000)
    before = snapshot(folder)
    result = padtool("recommend", "--answers", "answers.yaml", *RULES)
    assert_clean_error(result, file="answers.yaml", message="50,000,000 bytes")
    assert result.elapsed < 1.0
    assert_unchanged(folder, before)


def test_endless_device_as_answers_file_is_refused(folder: Path, padtool: PadtoolRunner) -> None:
    result = padtool("recommend", "--answers", "/dev/zero", *RULES, timeout=30)
    assert_clean_error(result, file="/dev/zero", message="is a device, not an answers file")
    assert result.elapsed < 5.0


def test_answers_from_a_pipe_are_accepted(folder: Path, padtool: PadtoolRunner) -> None:
    """`--answers <(generate)`: a pipe has no size to check, and must still be read."""
    read_end, write_end = os.pipe()
    os.write(write_end, MINIMAL_ANSWERS.encode())
    os.close(write_end)
    try:
        result = padtool(
            "recommend",
            "--answers",
            f"/dev/fd/{read_end}",
            *RULES,
            "--format",
            "json",
            pass_fds=[read_end],
        )
    finally:
        os.close(read_end)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["agency"] == "Testville PD"


def test_endless_pipe_as_answers_file_is_refused(folder: Path, padtool: PadtoolRunner) -> None:
    """`--answers <(yes)`: a pipe that never ends is cut off at the size limit, not read whole."""
    writer = subprocess.Popen(["yes", "agency: Testville PD"], stdout=subprocess.PIPE)
    assert writer.stdout is not None
    try:
        fd = writer.stdout.fileno()
        result = padtool(
            "recommend", "--answers", f"/dev/fd/{fd}", *RULES, pass_fds=[fd], timeout=30
        )
    finally:
        writer.kill()
        writer.wait()
        writer.stdout.close()
    assert_clean_error(result, file=f"/dev/fd/{fd}", message="limit|large|long")
    assert result.elapsed < 5.0


@pytest.mark.parametrize(
    ("argument", "named", "message"),
    [
        pytest.param("rules", "rules", "is a directory", id="directory"),
        pytest.param("missing.yaml", "missing.yaml", "not found", id="missing"),
        pytest.param("nowhere/answers.yaml", "nowhere/answers.yaml", "not found", id="no-folder"),
        pytest.param("", ".", "is a directory", id="empty-argument"),
        pytest.param("a" * 300, "a" * 300, "too long", id="name-too-long"),
    ],
)
def test_answers_path_that_is_not_a_file(
    folder: Path, cli, argument: str, named: str, message: str
) -> None:
    before = snapshot(folder)
    result = cli("recommend", "--answers", argument, *RULES)
    assert_clean_error(result, file=named, message=message)
    assert_unchanged(folder, before)


def test_unreadable_answers_file(folder: Path, padtool: PadtoolRunner) -> None:
    preexec = unreadable(folder / "answers.yaml")
    result = padtool("recommend", "--answers", "answers.yaml", *RULES, preexec=preexec)
    assert_clean_error(result, file="answers.yaml", message="not readable|permission denied")


# --- what must be accepted, and read exactly as written --------------------------------------


def _recommend_json(cli, name: str) -> dict:
    result = cli("recommend", "--answers", name, *RULES, "--format", "json")
    assert_no_traceback(result)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


ACCEPTED = [
    pytest.param("answers.yaml", b"\xef\xbb\xbf" + MINIMAL_ANSWERS.encode(), id="utf-8-bom"),
    pytest.param("answers.yaml", MINIMAL_ANSWERS.replace("\n", "\r\n").encode(), id="crlf"),
    pytest.param(
        "answers.yaml",
        b"\xef\xbb\xbf" + MINIMAL_ANSWERS.replace("\n", "\r\n").encode(),
        id="bom-and-crlf",
    ),
    pytest.param("answers.json", json_answers("40").encode(), id="json"),
    pytest.param(
        "answers.json", b"\xef\xbb\xbf" + json_answers("40.0").encode() + b"\r\n", id="json-bom"
    ),
    pytest.param(
        "answers.json",
        json_answers("4e1").encode(),
        id="json-exponent",
    ),
]


@pytest.mark.parametrize(("name", "content"), ACCEPTED)
def test_equivalent_answers_files_give_the_same_result(
    folder: Path, cli, name: str, content: bytes
) -> None:
    expected = _recommend_json(cli, "answers.yaml")
    (folder / name).write_bytes(content)
    got = _recommend_json(cli, name)
    assert got["answers"] == {**expected["answers"], "officers": got["answers"]["officers"]}
    assert got["answers"]["officers"] == 40
    assert got["recommendations"] == expected["recommendations"]


@pytest.mark.parametrize(
    ("raw", "agency"),
    [
        pytest.param("no", "no", id="no"),
        pytest.param("Yes", "Yes", id="yes"),
        pytest.param("off", "off", id="off"),
        pytest.param("!!str 12", "12", id="explicit-str-tag"),
        pytest.param("012", "012", id="leading-zero"),
        pytest.param("1:20", "1:20", id="sexagesimal"),
        pytest.param("2024-01-01", "2024-01-01", id="date"),
        pytest.param("1.10", None, id="decimal"),
    ],
)
def test_yaml_1_1_words_are_text_answers(folder: Path, cli, raw: str, agency: str | None) -> None:
    (folder / "answers.yaml").write_text(answers_with("agency", raw))
    result = cli("recommend", "--answers", "answers.yaml", *RULES, "--format", "json")
    assert_no_traceback(result)
    if agency is None:  # a number: refused, never turned into "1.1" text silently
        assert_clean_error(result, file="answers.yaml", line=1, key="agency")
        return
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["agency"] == agency


def test_no_break_space_in_a_name_is_not_a_control_character(folder: Path, cli) -> None:
    (folder / "answers.yaml").write_text(answers_with("agency", "Springfield\u00a0Police"))
    result = cli("recommend", "--answers", "answers.yaml", *RULES, "--format", "json")
    assert_no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["agency"] in ("Springfield\u00a0Police", "Springfield Police")
