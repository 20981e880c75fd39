"""Report templates: Jinja2 in a sandbox, with errors reported as padtool errors.

Autoescaping is off (Markdown is not HTML): the context handed to a template is already
escaped for Markdown (see render/markdown.py), so a template cannot forget to escape.
"""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from functools import lru_cache, wraps
from pathlib import Path
from string import Formatter
from types import FrameType
from typing import Any, cast

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from ..errors import PadtoolError, Problem
from ..files import read_user_file

MAX_TEMPLATE_BYTES = 1_000_000
BUNDLED_NAME = "report.md.j2"

# What one template may make. The bundled report is about 30 kB; these leave room for any real
# layout while keeping a hostile one to seconds and tens of megabytes.
MAX_REPORT_CHARS = 10_000_000  # of the rendered report
MAX_RESULT_ITEMS = 1_000_000  # of a string or list one expression, filter or call builds
MAX_WIDTH = 10_000  # a width, padding, precision or count given to a filter or format
MAX_INT_BITS = 100_000  # of a number one operation makes (about 30,000 digits)
TIME_LIMIT = 5.0  # seconds of rendering
MEMORY_BUDGET = 512 * 2**20  # bytes of address space rendering may add, where it can be capped

# Filters whose number arguments are sizes to build, not data to show.
_SIZED_FILTERS = {"center", "indent", "wordwrap", "truncate", "batch", "slice", "replace"}
# printf-style conversions: %(name)-08.3f and the like; * takes the number from the arguments.
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?[a-zA-Z%]")


class TemplateLimit(SecurityError):
    """A template asked for more than a report needs: too big, too wide or too slow."""


def _check_width(number: Any, what: str) -> None:
    if isinstance(number, int) and not isinstance(number, bool) and abs(number) > MAX_WIDTH:
        raise TemplateLimit(f"{what} {number:,} is larger than the limit of {MAX_WIDTH:,}")


def _check_size(size: int, what: str) -> None:
    if size > MAX_RESULT_ITEMS:
        raise TemplateLimit(f"{what} would be {size:,} long; the limit is {MAX_RESULT_ITEMS:,}")


def _check_result(value: Any, what: str) -> Any:
    if isinstance(value, (str, list, tuple)):
        _check_size(len(value), what)
    return value


def _check_percent(text: str, arguments: Any) -> None:
    """Refuse a %-format whose widths or precisions would build a huge string."""
    for spec in _PERCENT_SPEC.finditer(text):
        for part in spec.groups():
            if part == "*":
                values = arguments if isinstance(arguments, tuple) else (arguments,)
                for value in values:
                    _check_width(value, "a % format width")
            elif part:
                _check_width(int(part), "a % format width")


def _check_format(text: str, args: Any, kwargs: Any) -> None:
    """Refuse a str.format whose field widths or precisions would build a huge string."""
    for _, _, spec, _ in Formatter().parse(text):
        if not spec:
            continue
        for digits in re.findall(r"\d+", spec):
            _check_width(int(digits), "a format width")
        if "{" in spec:  # the width comes from an argument
            for value in (*args, *kwargs.values()):
                _check_width(value, "a format width")


def _check_int_bits(bits: int, operator: str) -> None:
    if bits > MAX_INT_BITS:
        raise TemplateLimit(
            f"the number {operator} makes would have more than {MAX_INT_BITS:,} bits"
        )


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    passes_environment = hasattr(function, "jinja_pass_arg")

    @wraps(function)  # keeps jinja_pass_arg, so Jinja still hands it the same first arguments
    def bounded(*args: Any, **kwargs: Any) -> Any:
        value_at = 1 if passes_environment else 0
        value, extra = args[value_at] if len(args) > value_at else None, args[value_at + 1 :]
        if name in _SIZED_FILTERS:
            for number in (*extra, *kwargs.values()):
                _check_width(number, f"the {name} filter's argument")
        if name == "format" and isinstance(value, str):
            _check_percent(value, tuple(extra) or tuple(kwargs.values()))
        if name == "replace" and isinstance(value, str) and len(extra) >= 2:
            old, new = str(extra[0]), str(extra[1])
            _check_size(
                len(value) + (value.count(old) if old else len(value) + 1) * len(new), "replace"
            )
        return _check_result(function(*args, **kwargs), f"the result of the {name} filter")

    return bounded


class _Generator(CodeGenerator):
    """Compiles `a ~ b` into a call that checks the joined length before joining."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.checked_concat((")
        for argument in node.nodes:
            self.visit(argument, frame)
            self.write(", ")
        self.write("))")


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, which also refuses to build huge strings, lists or numbers.

    Jinja's own sandbox stops attribute access, includes and endless recursion; a template
    can still ask for a billion-character string in one call. Every way of building text or
    numbers a template has (operators, ~, filters, str methods, format) is checked here before
    it runs; the output, the time and (where it can be capped) the memory are bounded as well.
    """

    code_generator_class = _Generator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.filters = {name: _bounded_filter(name, f) for name, f in self.filters.items()}

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int):
                    _check_size(len(seq) * times, "the result of *")
            if _is_int(left) and _is_int(right):
                _check_int_bits(left.bit_length() + right.bit_length(), "*")
        elif operator == "**":
            # Floats overflow quickly on their own; integers grow without end.
            if _is_int(left) and _is_int(right) and abs(left) > 1 and right > 0:
                _check_int_bits(left.bit_length() * right, "**")
        elif operator == "+":
            if isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
                _check_size(len(left) + len(right), "the result of +")
        elif operator == "%" and isinstance(left, str):
            _check_percent(left, right)
        return _check_result(super().call_binop(context, operator, left, right), operator)

    def checked_concat(self, values: tuple[Any, ...]) -> str:
        texts = [str(value) for value in values]
        _check_size(sum(map(len, texts)), "the result of ~")
        return "".join(texts)

    def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        if isinstance(getattr(obj, "__self__", None), str):  # a str method: center, join...
            for number in (*args, *kwargs.values()):
                _check_width(number, f"the argument of {obj.__name__}")
            if obj.__name__ == "join" and args:
                items = [str(item) for item in args[0]]
                _check_size(sum(map(len, items)) + len(items) * len(obj.__self__), "join")
                args = (items, *args[1:])
        result = super().call(context, obj, *args, **kwargs)
        return _check_result(result, "the result of a call")

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        text = value.__self__

        def bounded(*args: Any, **kwargs: Any) -> str:
            _check_format(text, args, kwargs)
            formatted = wrapped(*args, **kwargs)
            _check_size(len(formatted), "the result of format")
            return formatted

        return bounded


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _environment() -> SandboxedEnvironment:
    return _Sandbox(
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@contextmanager
def _bounded_run() -> Iterator[None]:
    """Stop rendering after TIME_LIMIT seconds, and cap the memory it may add, where the
    system allows both (a Unix main thread); the per-operation checks hold everywhere."""
    timer = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if timer:

        def out_of_time(signum: int, frame: FrameType | None) -> None:
            raise TemplateLimit(f"rendering took longer than {TIME_LIMIT:g} seconds")

        previous = signal.signal(signal.SIGALRM, out_of_time)
        signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT)
    memory = _cap_memory()
    try:
        yield
    finally:
        if timer:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        if memory is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, memory)


def _cap_memory() -> tuple[int, int] | None:
    """Lower the address-space limit to what the process uses now plus MEMORY_BUDGET; the old
    limits, to restore, or None where there is no such cap (or no way to measure use)."""
    try:
        import resource

        with open("/proc/self/statm", "rb") as statm:
            used = int(statm.read().split()[0]) * resource.getpagesize()
        old = resource.getrlimit(resource.RLIMIT_AS)
        cap = used + MEMORY_BUDGET
        if old[0] != resource.RLIM_INFINITY and old[0] <= cap:
            return None  # already capped lower: nothing to add
        resource.setrlimit(resource.RLIMIT_AS, (cap, old[1]))
    except (ImportError, OSError, ValueError):
        return None
    return old


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
            with _bounded_run():
                return self._collect(context)
        except MemoryError as error:
            message = "template limit: rendering ran out of memory"
            raise PadtoolError([Problem(self.name, message, self._line(error))]) from None
        except Exception as error:  # anything a template can do wrong, e.g. 1 / 0
            raise PadtoolError([Problem(self.name, _message(error), self._line(error))]) from None

    def _collect(self, context: dict[str, Any]) -> str:
        """The rendered text, stopped inside the template (so at its line) once too long."""
        pieces: list[str] = []
        size = 0
        stream = cast(Generator[str, None, None], self._template.generate(context))
        for piece in stream:
            size += len(piece)
            if size > MAX_REPORT_CHARS:
                limit = f"the report would be longer than {MAX_REPORT_CHARS:,} characters"
                stream.throw(TemplateLimit(limit))
            pieces.append(piece)
        return "".join(pieces)

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
        if isinstance(error, TemplateLimit):
            kind = "limit"
        elif isinstance(error, SecurityError):
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
