"""The HTML report: one self-contained page in which typed text stays text."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pexpect
import pytest

from conftest import MINIMAL_ANSWER_VALUES, MINIMAL_RULES, Run, print_to_pdf
from padtool.engine import recommend
from padtool.loader import load_rule_set
from padtool.render.html import markdown_renderer, render_html_report

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "![t](http://tracker.example/p.png)",
]


class Page(HTMLParser):
    """Every start tag with its attributes, and the text of the title."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.title = ""
        self._in_title = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def named(self, *names: str) -> list[dict[str, str]]:
        return [attrs for tag, attrs in self.tags if tag in names]


def html_for(agency: str) -> str:
    rule_set = load_rule_set(MINIMAL_RULES)
    return render_html_report(
        recommend(rule_set, {**MINIMAL_ANSWER_VALUES, "agency": agency}), "2026-11-25"
    )


def test_renderer_passes_no_raw_html() -> None:
    assert markdown_renderer().options["html"] is False


def test_only_web_and_mail_links_are_allowed() -> None:
    md = markdown_renderer()
    assert md.validateLink("https://example.org/") and md.validateLink("mailto:a@example.org")
    for url in ("javascript:alert(1)", "JavaScript:x", "data:text/html,x", "file:///etc/passwd"):
        assert not md.validateLink(url), url


def test_page_is_self_contained_and_printable() -> None:
    text = html_for("Testville PD")
    page = Page(text)
    assert page.named("meta")[0] == {"charset": "utf-8"}
    assert page.title == "Pre-arrest diversion pathways for Testville PD"
    assert not page.named("script", "link", "img", "iframe", "object", "embed")
    assert "@media print" in text and "border" in text
    assert "url(" not in text and "@import" not in text
    links = [a["href"] for a in page.named("a")]
    assert "https://example.org/helper" in links and "https://example.org/alpha" in links
    assert all(link.startswith("https://") for link in links)
    assert not page.named("table")  # the back matter is lists, which print in two columns
    sections = [attrs.get("class") for attrs in page.named("section")]
    assert sections[0] == "front"  # the first page prints by itself
    assert sections == ["front", "back"]  # the back matter flows in one set of columns
    back = text[text.index('<section class="back">') :]
    for title in ("Other pathways considered", "Who can help", "Sources", "Appendix: your answers"):
        assert f"<h2>{title}</h2>" in back, title


@pytest.mark.parametrize("agency", HOSTILE)
def test_hostile_agency_name_stays_text(agency: str) -> None:
    text = html_for(agency)
    page = Page(text)
    assert not page.named("script", "img")
    for tag, attrs in page.tags:
        assert not [name for name in attrs if name.lower().startswith("on")], tag
        assert not attrs.get("href", "").lower().strip().startswith("javascript:"), tag
        assert not attrs.get("src"), tag
    assert page.title == f"Pre-arrest diversion pathways for {agency}"  # shown as typed
    headings = ("h1", "h2", "h3", "h4", "h5", "h6")
    assert len(page.named(*headings)) == len(Page(html_for("Plain name")).named(*headings))


def test_recommend_writes_html_to_stdout_and_to_a_file(run: Run, tmp_path: Path) -> None:
    shown = run("recommend", "--scenario", "rural-overdoses", "--format", "html")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("<!DOCTYPE html>")
    written = run(
        "recommend", "--scenario", "rural-overdoses", "--format", "html", "--output", "r.html"
    )
    assert written.returncode == 0, written.stderr
    assert (tmp_path / "r.html").read_text(encoding="utf-8") == shown.stdout


def test_html_report_prints_to_pdf_in_chromium(tmp_path: Path) -> None:
    page = tmp_path / "r.html"
    page.write_text(html_for("Testville PD"), encoding="utf-8")
    assert print_to_pdf(page, tmp_path).startswith(b"%PDF")


def test_interview_writes_an_html_report(tmp_path: Path) -> None:
    from test_end_to_end import ENTER, answer_minimal_up_to_officers, spawn

    child = spawn(tmp_path, "--rules", str(MINIMAL_RULES), "--output", "r.html", "--format", "html")
    answer_minimal_up_to_officers(child)
    child.send("40" + ENTER)
    child.expect("Question 5 of 5")
    child.send("n")
    child.expect("Anything to change")
    child.send(ENTER)
    child.expect("Report written to r.html")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    page = Page((tmp_path / "r.html").read_text(encoding="utf-8"))
    assert page.title == "Pre-arrest diversion pathways for Testville PD"
    assert len(page.named("h2")) == len(Page(html_for("Testville PD")).named("h2"))
