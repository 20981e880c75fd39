"""The file formats padtool writes, each named once: what `--format` offers, the file names
that ask for it, and the function that writes it, imported only when a file of it is written.

Adding a format is one line here and the function it names; the commands, their help, the
choice by file name and what the interview offers follow from this table.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import NamedTuple


class Writer(NamedTuple):
    function: str  # "module:function" in padtool.render
    suffixes: tuple[str, ...]  # file names ending so ask for the format; the first is the default
    name: str  # what the interview calls the format
    use: str = ""  # what a file of it is for, where the name does not say
    for_scripts: bool = False  # the interview offers it only when --format asks for it

    def offer(self) -> str:
        """The format as the interview offers it: "HTML, to print or save as PDF (.html)"."""
        use = f", {self.use}" if self.use else ""
        return f"{self.name}{use} ({self.suffixes[0]})"


MARKDOWN = (".md", ".markdown")
HTML = (".html", ".htm")
PRINTABLE = "to print or save as PDF"


# Each writes (result, today, template) to text: the report of one answer set.
REPORT_FORMATS = {
    "md": Writer("markdown:render_report", MARKDOWN, "Markdown"),
    "html": Writer("html:render_html_report", HTML, "HTML", PRINTABLE),
    "json": Writer("data:render_json_report", (".json",), "JSON", "for scripts", for_scripts=True),
}
# Each writes (plan, today) to text: the action plan of the first choice.
PLAN_FORMATS = {
    "md": Writer("plan:render_plan_markdown", MARKDOWN, "Markdown"),
    "html": Writer("plan_html:render_plan_html", HTML, "HTML", PRINTABLE),
    "json": Writer("plan:render_plan_json", (".json",), "JSON", "for scripts", for_scripts=True),
    "csv": Writer("plan:render_plan_csv", (".csv",), "CSV", "for a spreadsheet"),
}


def write(formats: dict[str, Writer], fmt: str, *args: object) -> str:
    """The text of one format, from the function the table names for it."""
    module, function = formats[fmt].function.split(":")
    writer = getattr(import_module(f"padtool.render.{module}"), function)
    text: str = writer(*args)
    return text


def format_of(formats: dict[str, Writer], path: Path | None) -> str:
    """The format a file's name asks for ('' when its suffix names none)."""
    suffix = path.suffix.lower() if path is not None else ""
    return next((name for name, w in formats.items() if suffix and suffix in w.suffixes), "")
