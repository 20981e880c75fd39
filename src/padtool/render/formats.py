"""The file formats padtool writes, each named once: what `--format` offers, the file names
that ask for it, and the function that writes it, imported only when a file of it is written.

Adding a format is one line here and the function it names; the commands, their help and the
choice by file name follow from this table.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import NamedTuple


class Writer(NamedTuple):
    function: str  # "module:function" in padtool.render
    suffixes: tuple[str, ...]  # file names ending so ask for the format


# Each writes (result, today, template) to text: the report of one answer set.
REPORT_FORMATS = {
    "md": Writer("markdown:render_report", (".md", ".markdown")),
    "html": Writer("html:render_html_report", (".html", ".htm")),
    "json": Writer("data:render_json_report", (".json",)),
}
# Each writes (plan, today) to text: the action plan of the first choice.
PLAN_FORMATS = {
    "md": Writer("plan:render_plan_markdown", (".md", ".markdown")),
    "html": Writer("plan_html:render_plan_html", (".html", ".htm")),
    "json": Writer("plan:render_plan_json", (".json",)),
    "csv": Writer("plan:render_plan_csv", (".csv",)),
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
