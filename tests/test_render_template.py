"""Custom report templates: rendered in Jinja's sandbox, from a context escaped beforehand."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from conftest import MINIMAL_ANSWER_VALUES, MINIMAL_RULES, Run, write
from padtool.engine import recommend
from padtool.loader import load_rule_set
from padtool.render.markdown import render_report
from padtool.render.template import load_template

CUSTOM = """\
# Report for {{ agency }}

Logo: Testville seal
{% for rec in starting_set %}
- {{ rec.rank }}. {{ rec.name }} ({{ rec.score }})
{% endfor %}
"""


def test_custom_template_renders_through_the_cli(run: Run, tmp_path: Path) -> None:
    template = write(tmp_path / "custom.md.j2", "## Our agency's own heading\n\n" + CUSTOM)
    done = run(
        "recommend", "--scenario", "rural-overdoses", "--format", "md", "--template", str(template)
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("## Our agency's own heading\n\n# Report for ")
    assert "\n- 1. " in done.stdout
    html = run(
        "recommend",
        "--scenario",
        "rural-overdoses",
        "--format",
        "html",
        "--template",
        str(template),
    )
    assert html.returncode == 0, html.stderr
    assert "<h2>Our agency's own heading</h2>" in html.stdout


def test_bundled_template_is_the_default_report() -> None:
    result = recommend(load_rule_set(MINIMAL_RULES), MINIMAL_ANSWER_VALUES)
    assert render_report(result, "2026-11-25").startswith(
        "# Pre-arrest diversion pathways for Testville PD\n"
    )


@pytest.mark.parametrize(
    "agency",
    [
        "[click](https://evil.example)",
        "<script>alert(1)</script>",
        "| a | b |",
        "# heading",
        "**bold** `code`",
    ],
)
def test_hostile_agency_names_stay_escaped_in_a_custom_template(
    tmp_path: Path, agency: str
) -> None:
    template = load_template(
        write(tmp_path / "custom.md.j2", "Agency: {{ agency }}\n\n{{ agency }}\n")
    )
    result = recommend(load_rule_set(MINIMAL_RULES), {**MINIMAL_ANSWER_VALUES, "agency": agency})
    shown = render_report(result, "2026-11-25", template)
    rendered = MarkdownIt("commonmark").enable("table").render(shown)
    assert rendered == f"<p>Agency: {html.escape(agency)}</p>\n<p>{html.escape(agency)}</p>\n"


def test_template_for_json_output_is_a_usage_error(run: Run, tmp_path: Path) -> None:
    template = write(tmp_path / "custom.md.j2", CUSTOM)
    done = run(
        "recommend",
        "--scenario",
        "rural-overdoses",
        "--format",
        "json",
        "--template",
        str(template),
    )
    assert done.returncode == 2
    assert "--template applies to a Markdown or HTML report" in done.stderr


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("# Title\n\n{% if agency %}\nno end\n", 4, "syntax error"),
        ("# Title\n{{ agency | no_such_filter }}\n", 2, "No filter named 'no_such_filter'"),
        ("# Title\n\n\n{{ agnecy }}\n", 4, "'agnecy' is undefined"),
        ("# Title\n{{ ''.__class__.__mro__ }}\n", 2, "template sandbox"),
        ("{{ agency.__class__.__init__.__globals__ }}\n", 1, "template sandbox"),
        ("{{ 'x' * 100000000 }}\n", 1, "template limit: the result of *"),
    ],
)
def test_broken_template_is_a_clean_error_with_file_and_line(
    run: Run, tmp_path: Path, text: str, line: int, words: str
) -> None:
    template = write(tmp_path / "broken.md.j2", text)
    done = run(
        "recommend", "--scenario", "rural-overdoses", "--format", "md", "--template", str(template)
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert f"error: {template}:{line}: " in done.stderr
    assert words in done.stderr
    assert done.stdout == ""


def test_missing_template_file_is_a_clean_error(run: Run, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.md.j2"
    done = run(
        "recommend", "--scenario", "rural-overdoses", "--format", "md", "--template", str(missing)
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert f"error: {missing}: template file not found" in done.stderr


def test_template_must_be_small_utf8_text(run: Run, tmp_path: Path) -> None:
    big = write(tmp_path / "big.md.j2", "x" * 1_000_001)
    binary = tmp_path / "binary.md.j2"
    binary.write_bytes(b"# Title \xff\n")
    for path, words in ((big, "the limit is 1,000,000"), (binary, "not UTF-8")):
        done = run(
            "recommend", "--scenario", "rural-overdoses", "--format", "md", "--template", str(path)
        )
        assert done.returncode == 2
        assert "Traceback" not in done.stderr
        assert words in done.stderr
