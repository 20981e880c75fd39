"""The form of a web address in the rule set: a reader must be able to open every link.

The rule: `https://` (or `http://`), then a host name of dot-separated parts made of letters,
digits and hyphens, with at least one dot and none at its end (`ojp.gov./x` is a typo), an
optional port, then any path; no spaces or control characters anywhere. Whether the page exists
is not checked here (that needs the network).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def looks_like_web_address(ref: str) -> bool:
    """Whether a source is meant as a web address rather than a document file:
    it names a scheme (`https:`, `ftp:`) or starts with a host (`www.x.org`, `ojp.gov/x`)."""
    first = ref.split("/", 1)[0]
    return (
        bool(_SCHEME.match(ref)) or ref.lower().startswith("www.") or ("." in first and "/" in ref)
    )


def web_address_problem(url: str) -> str:
    """What is wrong with the form of a web address, or "" when nothing is."""
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        return f"web address contains a space or control character: '{url}'"
    if not _SCHEME.match(url):
        return f"web address has no https:// in front: '{url}'"
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("https", "http"):
        return f"web address must start with https:// (or http://), found '{parts.scheme}:'"
    host = parts.hostname or ""
    if not host:
        return f"web address has no host name: '{url}'"
    if host.endswith("."):
        return f"web address host '{host}' ends with a dot: '{url}'"
    if "." not in host:
        return f"web address host '{host}' has no dot: '{url}'"
    if any(not part or not part.replace("-", "").isalnum() for part in host.split(".")):
        return f"web address host '{host}' is not a host name: '{url}'"
    try:
        parts.port  # noqa: B018 - reading it checks it
    except ValueError:
        return f"web address has an invalid port: '{url}'"
    return ""
