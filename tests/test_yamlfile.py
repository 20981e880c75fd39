"""The strict YAML reader: a syntax error is placed where it is made and said in plain words."""

from __future__ import annotations

from pathlib import Path

import pytest

from padtool.errors import PadtoolError
from padtool.yamlfile import read_mapping


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('a: 1\nb: "open\nc: 2\nd: 3\n', 2, "a quote opened here is never closed"),
        (
            "a: 1\nsetting:rural\nb: 2\n",
            2,  # the parser notices on line 3
            "expected 'key: value' here: a colon and a space after the key",
        ),
        (
            "a: [1, 2\nb: 3\n",
            2,
            "a list opened with '[' at line 1 is not closed with ']', or lacks a comma",
        ),
        (
            "a: {x: 1\nb: 3\n",
            2,
            "a mapping opened with '{' at line 1 is not closed with '}', or lacks a comma",
        ),
        (
            "a:\n  b: 1\n c: 2\n",
            3,
            "this line does not continue the keys above it: check its indentation",
        ),
    ],
    ids=["open-quote", "no-space-after-colon", "open-list", "open-mapping", "indentation"],
)
def test_a_syntax_error_is_said_in_plain_words_where_it_is(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PadtoolError) as raised:
        read_mapping(path)
    [problem] = raised.value.problems
    assert (problem.file, problem.line) == (str(path), line)
    assert problem.message.startswith(message)
    assert "while parsing" not in problem.message and "while scanning" not in problem.message
