"""The report as one self-contained HTML page, rendered from the Markdown report.

Raw HTML in the Markdown is never passed through, links may only point to http, https and
mailto addresses, and the page loads nothing: inline CSS, no script, no image.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from markdown_it import MarkdownIt

from ..engine import Result
from .markdown import render_report
from .template import ReportTemplate
from .text import clean

_ALLOWED_SCHEMES = ("http:", "https:", "mailto:")

_CSS = """
body { font-family: Georgia, "Times New Roman", serif; font-size: 1.05rem; line-height: 1.5;
  max-width: 48rem; margin: 2rem auto; padding: 0 1rem; color: #111; background: #fff; }
h1, h2, h3 { font-family: system-ui, "Helvetica Neue", Arial, sans-serif; line-height: 1.25; }
h1 { font-size: 1.7rem; }
h2 { font-size: 1.35rem; margin-top: 2rem; border-bottom: 1px solid #999; }
h3 { font-size: 1.1rem; }
a { color: #1a4d8f; overflow-wrap: anywhere; }
blockquote { margin: 1rem 0; padding: 0.25rem 1rem; border-left: 4px solid #999; color: #333; }
table { border-collapse: collapse; margin: 1rem 0; width: 100%; }
th, td { border: 1px solid #666; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #eee; }
@media print {
  @page { margin: 1cm 1.2cm; }
  body { font-size: 9pt; line-height: 1.3; max-width: none; margin: 0; padding: 0; }
  h2 { font-size: 13pt; } h3 { font-size: 11pt; margin: 0.8rem 0 0.3rem; }
  ul, ol { margin: 0.3rem 0; padding-left: 1.4rem; }
  /* the reference lists at the back: small type in two columns */
  section.back { font-size: 7.5pt; columns: 2; column-gap: 1.2rem; }
  section.back h2 { font-size: 10pt; margin-top: 0.8rem; }
  /* the first page (at a glance, summary, profile) can be handed on by itself */
  section.front { break-after: page; page-break-after: always; }
  a { color: #000; text-decoration: underline; }
  /* paper has no hover: print where each link goes */
  a[href]::after { content: " (" attr(href) ")"; font-size: 0.9em; overflow-wrap: anywhere; }
  a.bare::after { content: none; }  /* the link text is its address already */
  /* a heading stays with what follows it, never alone at the foot of a page */
  h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; break-inside: avoid; }
  h2 { margin-top: 1.5rem; }
  /* short blocks stay whole; a long table may break between rows, so no page is left
     nearly empty waiting for it */
  tr, blockquote, li { break-inside: avoid; page-break-inside: avoid; }
  p, li { orphans: 3; widows: 3; }
  thead { display: table-header-group; }
  th { background: none; }
}
"""


class _SafeMarkdown(MarkdownIt):
    """CommonMark plus tables, no raw HTML, no images, links to web and mail addresses only."""

    def validateLink(self, url: str) -> bool:
        return url.strip().lower().startswith(_ALLOWED_SCHEMES)


@lru_cache(maxsize=1)
def markdown_renderer() -> MarkdownIt:
    """The one markdown-it instance the HTML report uses ("js-default": html off, tables on)."""
    md = _SafeMarkdown("js-default", {"html": False, "linkify": False})
    md.enable("table")
    md.disable("image")
    return md


_NUMBERED = re.compile(r"[0-9]+\. ")  # a recommended pathway's heading
_BARE_LINK = re.compile(r'<a href="([^"]*)">\1</a>')
_BACK_SECTIONS = (  # lists in two columns
    "Other pathways considered",
    "Check with counsel",
    "How others pay for it",
    "Who can help",
    "Sources",
    "Appendix: your answers",
)


def _print_layout(body: str) -> str:
    """Marks what print lays out on its own: links whose text is their address (no address
    printed twice), the first page, and the reference sections (small type; lists in two
    columns)."""
    body = _BARE_LINK.sub(lambda m: f'<a class="bare" href="{m.group(1)}">{m.group(1)}</a>', body)
    parts = re.split(r"(?=<h2>)", body)
    titles = [part[4 : part.find("</h2>")] if part.startswith("<h2>") else "" for part in parts]
    back = [i for i, title in enumerate(titles) if title in _BACK_SECTIONS]
    if back:  # one flow of columns, so no section leaves a column half empty
        parts[back[0] : back[-1] + 1] = [
            f'<section class="back">{"".join(parts[back[0] : back[-1] + 1])}</section>'
        ]
    pathways = [i for i, title in enumerate(titles) if _NUMBERED.match(title)]
    if pathways:  # the first page, up to the first pathway, stands alone
        front = pathways[0]
        parts[:front] = [f'<section class="front">{"".join(parts[:front])}</section>']
    return "".join(parts)


def report_title(result: Result) -> str:
    return f"Pre-arrest diversion pathways for {clean(result.agency) or 'your jurisdiction'}"


def render_html_body(result: Result, today: str, template: ReportTemplate | None = None) -> str:
    """The report's content as HTML, to set inside a page (the live room's results page)."""
    return _print_layout(markdown_renderer().render(render_report(result, today, template)))


def render_html_report(result: Result, today: str, template: ReportTemplate | None = None) -> str:
    """The Markdown report (laid out by template, default the bundled one) as an HTML page."""
    return html_page(report_title(result), render_html_body(result, today, template))


def html_page(title: str, body: str, css: str = "") -> str:
    """A self-contained page: the report's style (and css after it), the body as given."""
    return (
        "\n".join(
            [
                "<!DOCTYPE html>",
                '<html lang="en">',
                "<head>",
                '<meta charset="utf-8">',
                '<meta name="viewport" content="width=device-width, initial-scale=1">',
                f"<title>{html.escape(title, quote=True)}</title>",
                f"<style>{_CSS}{css}</style>",
                "</head>",
                "<body>",
                body.rstrip("\n"),
                "</body>",
                "</html>",
            ]
        )
        + "\n"
    )
