"""The Markdown report: what it contains, and that typed text cannot change its structure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from conftest import MARKDOWN_ATTACKS, MINIMAL_ANSWER_VALUES, MINIMAL_RULES, Run, write
from padtool.engine import recommend
from padtool.loader import load_rule_set
from padtool.render.markdown import render_report
from padtool.render.template import load_template
from padtool.render.text import clean, md_user
from padtool.scenarios import load_scenarios

BUNDLED = Path(__file__).parents[1] / "pathways"


def report_for(agency: str) -> str:
    rule_set = load_rule_set(MINIMAL_RULES)
    return render_report(
        recommend(rule_set, {**MINIMAL_ANSWER_VALUES, "agency": agency}), "2026-11-25"
    )


def tokens(markdown: str) -> list[str]:
    return [t.type for t in MarkdownIt("commonmark").enable("table").parse(markdown)]


def test_report_has_every_section_a_partner_needs() -> None:
    report = report_for("Testville PD")
    for heading in (
        "# Pre-arrest diversion pathways for Testville PD",
        "## At a glance",
        "## Summary",
        "## 1. Alpha pathway (first choice)",
        "### Why it fits",
        "### What is still missing",
        "### First steps",
        "### Partners to bring to the table",
        "### What to measure from day one",
        "### Who to call",
        "## Other pathways considered",
        "## Who can help",
        "## Sources",
        "## Appendix: your answers",
    ):
        assert f"\n{heading}\n" in f"\n{report}", heading
    assert "Prepared 2026-11-25" in report
    assert "version 1.0" in report  # the rule-set version that produced it
    assert "- [ ] No prosecutor agreement. (closed by your agency)" in report
    assert "- **Readiness:** start after building what is listed." in report
    assert (
        "- **Call first:** **Helper Org** <https://example.org/helper>: Use the web form." in report
    )
    assert "**[Helper Org](https://example.org/helper)**" in report  # in Who can help, once
    assert report.count("Help with alpha.") == 1
    assert (
        "- **2. Beta model**, weak fit (0 of 2 points): In your starting set as Alpha pathway "
        "itself, which fits your answers better."
    ) in report
    assert "1. <https://example.org/alpha>" in report
    assert "example.org/beta" not in report  # only the sources of what the report shows


HOSTILE = [
    *MARKDOWN_ATTACKS,
    "A | B\n|---|---|",
    "https://autolink.example www.autolink.example",
    "line\nbreak\r\n# heading after newline",
    "\x1b[2J\x1b[31mred\x07 bell \u202eoverride\u200b",
]


@pytest.mark.parametrize("agency", HOSTILE)
def test_typed_text_cannot_change_the_report_structure(agency: str) -> None:
    baseline = tokens(report_for("Plain name"))
    hostile = report_for(agency)
    assert tokens(hostile) == baseline
    rendered = MarkdownIt("commonmark").enable("table").render(hostile)
    assert "<script" not in rendered and "<img" not in rendered
    assert 'href="javascript' not in rendered and '<a href="https://phish' not in rendered
    assert "\x1b" not in hostile and "\u202e" not in hostile


def test_escaped_text_reads_as_typed() -> None:
    rendered = MarkdownIt("commonmark").render(md_user("Chief's <b>county</b> | 50% *"))
    assert rendered == "<p>Chief's &lt;b&gt;county&lt;/b&gt; | 50% *</p>\n"


def test_clean_removes_controls_and_folds_lines() -> None:
    assert clean("a\x1b[2Jb\nc\u200bd\u202e") == "a[2Jb cd"


def test_profile_sentences_describe_the_jurisdiction_in_plain_words(tmp_path: Path) -> None:
    import shutil

    rules = tmp_path / "rules"
    shutil.copytree(MINIMAL_RULES, rules)
    questions = rules / "questions.yaml"
    questions.write_text(
        questions.read_text()
        .replace(
            "    help: Full-time sworn staff.",
            '    help: Full-time sworn staff.\n    profile: "It has about {answer} officers."',
        )
        .replace(
            "    help: An agreement in writing counts.",
            "    help: An agreement in writing counts.\n"
            '    profile: "The prosecutor holds charges."\n'
            '    profile_no: "The prosecutor does not hold charges yet."',
        )
    )
    report = render_report(recommend(load_rule_set(rules), MINIMAL_ANSWER_VALUES), "2026-11-25")
    assert (
        "## Your jurisdiction\n\nIt has about 40 officers. "
        "The prosecutor does not hold charges yet.\n"
    ) in report
    assert "## Your jurisdiction" not in report_for("Testville PD")  # no profile sentences


def test_a_dont_know_answer_is_not_written_as_a_fact(rule_set) -> None:
    """'The agency knows the places where outreach could find people' is the yes sentence:
    an agency that answered Don't know must not read it about itself."""
    scenario = next(s for s in load_scenarios(rule_set) if s.id == "downtown-homelessness")
    sentence = "The agency knows the places where outreach could find people who need help."
    known = render_report(recommend(rule_set, dict(scenario.answers)), "2026-12-04")
    assert scenario.answers["hot_spots"] is True and sentence in known
    unsure = {**scenario.answers, "hot_spots": "unknown"}
    report = render_report(recommend(rule_set, unsure), "2026-12-04")
    assert sentence not in report
    assert "## Your jurisdiction" in report  # the other sentences stay


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "    help: Full-time sworn staff.",
            '    help: x\n    profile: "Many officers."',
            "questions[3].profile: write {answer} where the answer goes",
        ),
        (
            "    help: Full-time sworn staff.",
            '    help: x\n    profile_no: "None."',
            "only confirm (yes/no) questions have profile_no",
        ),
    ],
)
def test_profile_sentences_are_checked(tmp_path: Path, old: str, new: str, message: str) -> None:
    import shutil

    from padtool.errors import PadtoolError

    rules = tmp_path / "rules"
    shutil.copytree(MINIMAL_RULES, rules)
    questions = rules / "questions.yaml"
    questions.write_text(questions.read_text().replace(old, new))
    with pytest.raises(PadtoolError) as caught:
        load_rule_set(rules)
    assert any(message in str(p) for p in caught.value.problems), caught.value.problems


# --- sources: numbered in the order the report cites them ---------------------------------------

CITATION = re.compile(r"(?<!\\)\[([0-9]+)\]")  # text brackets are always escaped
REVERSED = """\
{% for rec in starting_set | reverse %}
## {{ rec.name }}

Sources: {{ rec.citations | join(" ") }}

{% for example in rec.examples %}
- {{ example }}
{% endfor %}
{% endfor %}

{% for source in sources %}
{{ source.number }}. {{ source.text }}
{% endfor %}
"""


def assert_numbered_in_reading_order(report: str) -> None:
    if "\n## Sources\n" in report:
        body, _, listed = report.partition("\n## Sources\n")
        listed = listed.removeprefix("\n1. ")
    elif CITATION.findall(report):
        body, _, listed = report.rpartition("\n1. ")  # the list of sources starts at its item 1
    else:
        body, listed = report, ""  # nothing cited, so no list of sources
    cited = [int(n) for n in CITATION.findall(body)]
    first_seen = list(dict.fromkeys(cited))
    assert first_seen == list(range(1, len(first_seen) + 1)), first_seen
    assert len(re.findall(r"^[0-9]+\. ", "1. " + listed, re.MULTILINE) if listed else []) == len(
        first_seen
    )
    for line in re.findall(r"^Sources: .*$", body, re.MULTILINE):
        numbers = [int(n) for n in CITATION.findall(line)]
        assert numbers == sorted(set(numbers)), line


@pytest.mark.parametrize("scenario", [s.id for s in load_scenarios(load_rule_set(BUNDLED))])
def test_sources_are_numbered_as_the_report_cites_them(scenario: str, rule_set) -> None:
    answers = next(s for s in load_scenarios(rule_set) if s.id == scenario).answers
    assert_numbered_in_reading_order(render_report(recommend(rule_set, answers), "2026-11-25"))


def test_numbering_follows_a_custom_layout_too(tmp_path: Path, rule_set) -> None:
    """A template that prints the pathways in reverse, each Sources line above its examples."""
    answers = next(s for s in load_scenarios(rule_set) if s.id == "downtown-homelessness").answers
    template = load_template(write(tmp_path / "reversed.md.j2", REVERSED))
    report = render_report(recommend(rule_set, dict(answers)), "2026-11-25", template)
    assert report.index("## First Responder") < report.index("## Active Outreach")
    assert_numbered_in_reading_order(report)


def test_profile_keeps_a_state_capitalised_and_groups_thousands(run: Run) -> None:
    done = run("recommend", "--scenario", "downtown-homelessness", "--format", "md")
    assert done.returncode == 0, done.stderr
    profile = done.stdout.split("## Your jurisdiction", 1)[1].split("\n## ", 1)[0]
    assert "It serves about 90,000 residents." in profile
    assert "The agency is in Illinois." in profile
    assert "The area it serves is urban." in profile  # a common noun still continues in lower case
