"""Report templates: Jinja2 in a sandbox, with errors reported as padtool errors.

Autoescaping is off (Markdown is not HTML): the context handed to a template is already
escaped for Markdown (see render/markdown.py), so a template cannot forget to escape.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from ..errors import PadtoolError, Problem
from ..files import read_user_file

MAX_TEMPLATE_BYTES = 1_000_000
BUNDLED_NAME = "report.md.j2"


MAX_RESULT_ITEMS = 1_000_000  # of a string or list made by * in a template


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, which also refuses to build huge strings, lists or numbers."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if (
                    isinstance(seq, (str, list, tuple))
                    and isinstance(times, int)
                    and len(seq) * times > MAX_RESULT_ITEMS
                ):
                    raise SecurityError("the result of * would be too large")
        elif (
            isinstance(left, (int, float))
            and isinstance(right, (int, float))
            and abs(right) > 1000
            and abs(left) > 1
        ):
            raise SecurityError("the result of ** would be too large")
        return super().call_binop(context, operator, left, right)


def _environment() -> SandboxedEnvironment:
    return _Sandbox(
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


class ReportTemplate:
    """A compiled report template and the file name its errors are reported against."""

    def __init__(self, source: str, name: str) -> None:
        self.name = name
        try:
            self._template = _environment().from_string(source)
        except jinja2.TemplateSyntaxError as error:
            raise PadtoolError([Problem(name, _message(error), error.lineno)]) from None
        except jinja2.TemplateError as error:
            raise PadtoolError([Problem(name, _message(error))]) from None
        # Runtime errors are located by this name in the traceback Jinja rewrites.
        self._template.filename = name

    def render(self, context: dict[str, Any]) -> str:
        try:
            return self._template.render(context)
        except Exception as error:  # anything a template can do wrong, e.g. 1 / 0
            raise PadtoolError([Problem(self.name, _message(error), self._line(error))]) from None

    def _line(self, error: BaseException) -> int | None:
        line = None
        traceback = error.__traceback__
        while traceback is not None:
            if traceback.tb_frame.f_code.co_filename == self.name:
                line = traceback.tb_lineno
            traceback = traceback.tb_next
        return line


def _message(error: BaseException) -> str:
    if isinstance(error, jinja2.TemplateError):
        detail = error.message or ""
        if isinstance(error, SecurityError):
            kind = "sandbox"
        elif isinstance(error, jinja2.UndefinedError):
            kind = "undefined variable"
        elif isinstance(error, jinja2.TemplateSyntaxError):
            kind = "syntax error"
        else:
            kind = "error"
    else:
        kind, detail = type(error).__name__, str(error)
    return f"template {kind}: {detail}" if detail else f"template {kind}"


def load_template(path: Path) -> ReportTemplate:
    """The user's template FILE: UTF-8 text of at most 1 MB, compiled now to report errors early."""
    name = str(path)
    data = read_user_file(path, "template file", MAX_TEMPLATE_BYTES)
    try:
        source = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise PadtoolError(
            [Problem(name, f"template is not UTF-8 text (byte {error.start + 1})")]
        ) from None
    return ReportTemplate(source.removeprefix("\ufeff"), name)


@lru_cache(maxsize=1)
def bundled_template() -> ReportTemplate:
    """The report layout shipped with padtool."""
    path = Path(__file__).resolve().parent.parent / "templates" / BUNDLED_NAME
    return ReportTemplate(path.read_text(encoding="utf-8"), BUNDLED_NAME)
