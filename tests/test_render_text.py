"""md_text: any text renders as itself in Markdown, and plain prose keeps no needless backslash.

Checked with markdown-it (CommonMark with tables and strikethrough, as on GitHub) in each place
a template puts text: a paragraph of its own, the middle of a sentence, a list item, a table
cell, bold text and a link's text.
"""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from padtool.render.text import clean, md_text

PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])

# Each place text goes, with the tokens a one-word text gives there (its shape).
PLACES = {
    "paragraph": "{}",
    "sentence": "Before {} after.",
    "list item": "- {}",
    "numbered item": "1. {}",
    "table cell": "| Question | Answer |\n| --- | --- |\n| Name | {} |",
    "bold": "start with **{}**: because",
    "link text": "**[{}](https://example.org/)**: offers",
}


def shape(markdown: str) -> list[tuple[str, list[str]]]:
    """Block tokens and each inline token's children, text runs merged."""
    found = []
    for token in PARSER.parse(markdown):
        children = [child.type for child in token.children or []]
        merged = [
            t
            for i, t in enumerate(children)
            if not (t == "text" and children[i - 1 : i] == ["text"])
        ]
        found.append((token.type, merged))
    return found


def visible_text(markdown: str) -> str:
    """The text a reader sees in the one cell, item or paragraph holding the value."""
    inline = [t for t in PARSER.parse(markdown) if t.type == "inline"]
    return "".join(_text(child) for child in inline[-1].children or [])


def _text(token: Token) -> str:
    return token.content if token.type in ("text", "code_inline") else ""


def check(text: str, place: str) -> None:
    template = PLACES[place]
    escaped = md_text(text)
    assert "\n" not in escaped
    assert shape(template.format(escaped)) == shape(template.format("word")), (place, escaped)
    shown = visible_text(template.format(escaped))
    assert shown == visible_text(template.format("word")).replace("word", clean(text)), escaped


MARKDOWN_CHARACTERS = list("*_`[]()<>&#!\\|~-+=.:;/'\"\n\t 1aZé")
TEXT = st.one_of(
    st.text(st.sampled_from(MARKDOWN_CHARACTERS), max_size=30),
    st.lists(
        st.sampled_from([*MARKDOWN_CHARACTERS, "&amp;", "&#60;", "1. ", "- ", "http://"]),
        max_size=12,
    ).map("".join),
    st.text(max_size=30),
)


@pytest.mark.parametrize("place", PLACES)
@settings(max_examples=400, deadline=None)
@given(text=TEXT)
def test_any_text_renders_as_itself_and_adds_no_element(place: str, text: str) -> None:
    assume(clean(text))  # an empty value leaves an empty cell or item, which is the template's
    check(text, place)


HAND_PICKED = [
    "# Fake heading",
    "###### six",
    "> quoted",
    "- item",
    "+ item",
    "* item",
    "1. item",
    "2026) item",
    "---",
    "===",
    "--",
    "* * *",
    "___",
    "~~~",
    "```",
    "`code`",
    "**bold** and *em*",
    "_em_ and __strong__",
    "a*b*c",
    "[klick](javascript:alert(1))",
    "![x](http://tracker.example/p.png)",
    "[ref]: https://evil.example",
    "[^1] footnote",
    "[ ] not a checkbox",
    "<https://phish.example>",
    "<script>alert(1)</script>",
    "<!-- hidden -->",
    "&lt;script&gt; &amp; &#60; &#x3C;",
    "A | B |---|---|",
    "~~strike~~",
    "ends with a backslash \\",
    "\\# not a heading \\*",
    "line\nbreak\r\n# heading after newline",
    "trailing spaces  \nnext",
]


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("text", HAND_PICKED)
def test_markdown_in_text_stays_text(text: str, place: str) -> None:
    check(text, place)


@pytest.mark.parametrize(
    "text",
    [
        "Cedar Fork County Sheriff's Office",
        "Sample jurisdiction; not a real agency.",
        "Medications for opioid use disorder (buprenorphine, methadone...)",
        "a follow-up visit within days",
        "Police-prosecutor partnerships, at least 20% in CIT",
        "R&D, 2 * 3 = 6, a < b, x > y, snake_case_name",
        'Chief\'s "quoted" {curly} $5 100% ^caret #5 priority!',
        "The station is open 24/7: call 855-252-8822.",
    ],
)
def test_plain_prose_keeps_no_backslash(text: str) -> None:
    assert md_text(text) == text
