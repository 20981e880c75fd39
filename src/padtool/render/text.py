"""Making text safe to show: in a terminal, in Markdown, in a table cell."""

from __future__ import annotations

import re
import unicodedata

# Bidi overrides and zero-width characters can make text read differently than it is.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_ALL_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# Enough to keep trusted rule-set prose inert inline while leaving it readable in raw form.
_MARKUP = re.compile(r"([\\`*_\[\]<>|#~&!{}])")


def clean(text: str) -> str:
    """One line of printable text: control, escape, bidi and zero-width characters removed."""
    text = _INVISIBLE.sub("", text)
    text = "".join(
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or unicodedata.category(ch) != "Cc"
    )
    return " ".join(text.split())


def md_user(text: str) -> str:
    """Free text typed by a user, escaped so it renders as literal text in any Markdown."""
    return _ALL_PUNCTUATION.sub(r"\\\1", clean(text))


def md_text(text: str) -> str:
    """Rule-set prose, inert in Markdown (no links, emphasis, HTML or table breaks)."""
    return _MARKUP.sub(r"\\\1", clean(text))


def md_url(url: str) -> str:
    """A web address safe inside a Markdown link destination."""
    safe = clean(url)
    for char, code in (("(", "%28"), (")", "%29"), (" ", "%20"), ("<", "%3C"), (">", "%3E")):
        safe = safe.replace(char, code)
    return safe
