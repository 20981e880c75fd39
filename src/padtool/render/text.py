"""Making text safe to show: in a terminal, in Markdown, in a table cell."""

from __future__ import annotations

import re
import unicodedata

# Bidi overrides and zero-width characters can make text read differently than it is.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")

# What would open a block if the text began a line (or a list item): a heading, a block quote,
# a list item, a thematic break, a setext underline or a code fence. Group 1 is the character
# to escape when it is not the first one (the "." or ")" of an ordered-list marker).
_BLOCK_START = re.compile(
    r"#{1,6}(?:\s|$)|>|[-+*](?:\s|$)|\d{1,9}([.)])(?:\s|$)"
    r"|([-*_])(?:\s*\2){2,}\s*$|=+\s*$|-+\s*$|~~~"
)
# Always escaped: code spans, link brackets, table cells, GitHub's strikethrough.
_ALWAYS = frozenset("`[]|~")
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_EMPHASIS_RUN = re.compile(r"\*+|_+")
# After "<": a tag, a comment, a declaration, a processing instruction or an autolink's scheme.
_OPENS_HTML = re.compile(r"[A-Za-z/!?]")
_ENTITY = re.compile(r"#?[0-9A-Za-z]+;")


def clean(text: str) -> str:
    """One line of printable text: control, escape, bidi and zero-width characters removed."""
    text = _INVISIBLE.sub("", text)
    text = "".join(
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or unicodedata.category(ch) != "Cc"
    )
    return " ".join(text.split())


def md_text(text: str) -> str:
    """Text that renders as itself in Markdown, wherever a template puts it: on its own line,
    in a list item, a table cell, emphasis or a link's text.

    Only what could form a construct is escaped (CommonMark's rules, plus GitHub's tables and
    strikethrough), so "Sheriff's Office." stays as it is. The text's ends count as unknown
    neighbours: its start may begin a line, its end may touch the template's own markup.
    """
    text = clean(text)
    marks = _inline_marks(text)
    block = _BLOCK_START.match(text)
    if block:
        marks.add(block.start(1) if block.group(1) else 0)
    return "".join(f"\\{ch}" if i in marks else ch for i, ch in enumerate(text))


def md_user(text: str) -> str:
    """Free text typed by a user; md_text leaves no construct to form, so the rules are the same."""
    return md_text(text)


def _inline_marks(text: str) -> set[int]:
    """Positions of the characters that could start or end an inline construct."""
    marks = {i for i, ch in enumerate(text) if ch in _ALWAYS}
    for i, ch in enumerate(text):
        end = i + 1 == len(text)
        if (
            (ch == "\\" and (end or text[i + 1] in _ASCII_PUNCTUATION))
            or (ch == "<" and (end or _OPENS_HTML.match(text, i + 1)))
            or (ch == "&" and (end or _ENTITY.match(text, i + 1)))
        ):
            marks.add(i)
    for run in _EMPHASIS_RUN.finditer(text):
        before = text[run.start() - 1] if run.start() else ""
        after = text[run.end()] if run.end() < len(text) else ""
        if _may_be_delimiter(run.group()[0], before, after):
            marks.update(range(run.start(), run.end()))
    return marks


def _may_be_delimiter(char: str, before: str, after: str) -> bool:
    """Whether a run of * or _ could open or close emphasis (an end of the text could be
    anything). A * run between spaces cannot, nor can a _ run inside a word (snake_case)."""
    if char == "*":
        return not (before.isspace() and after.isspace())
    return not (before.isalnum() and after.isalnum())


def md_url(url: str) -> str:
    """A web address safe inside a Markdown link destination."""
    safe = clean(url)
    for char, code in (("(", "%28"), (")", "%29"), (" ", "%20"), ("<", "%3C"), (">", "%3E")):
        safe = safe.replace(char, code)
    return safe
