"""The field reader: one mapping's keys read as typed values, each problem located."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any, NamedTuple

from ..addresses import looks_like_web_address, web_address_problem
from ..conditions import LARGEST_NUMBER, is_number
from ..errors import Problem, did_you_mean
from ..model import Origin, Source
from ..yamlfile import YamlList, YamlMap
from .schema import KEYS

NUMBER_RANGE = f" (no larger than {LARGEST_NUMBER:,} either way)"
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
YEAR_OR_DAY = re.compile(r"^\d{4}(-\d{2}-\d{2})?$")


class Item(NamedTuple):
    """One question, entry or provider as written, before the layers are merged."""

    id: str
    data: Any
    file: str
    path: str
    position: tuple[int, int]
    layer: int  # 0 for the rule set, 1.. for the overlays in order
    origin: Origin | None


class Fields:
    """Reads the keys of one mapping, recording a located problem for anything wrong."""

    def __init__(
        self,
        data: Any,
        file: str,
        path: str,
        problems: list[Problem],
        position: tuple[int, int] | None = None,
    ) -> None:
        self.file, self.path, self.problems = file, path, problems
        self.ok = isinstance(data, YamlMap)
        self.data: YamlMap = data if self.ok else YamlMap()
        if not self.ok:
            line, column = position or (None, None)
            self.problems.append(
                Problem(
                    file,
                    f"expected a mapping of keys, found {kind_of(data)}",
                    line,
                    column,
                    path or None,
                )
            )

    def key_path(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def problem(self, key: str | None, message: str, at_key: bool = False) -> None:
        if key is None or key not in self.data:
            line, column = self.data.position if self.ok else (None, None)
        else:
            positions = self.data.key_positions if at_key else self.data.value_positions
            line, column = positions[key]
        self.problems.append(
            Problem(
                self.file, message, line, column, self.key_path(key) if key else self.path or None
            )
        )

    def position(self, key: str) -> tuple[int, int]:
        return self.data.value_positions.get(key, self.data.position)

    def allow(self, required: set[str], optional: set[str]) -> None:
        if not self.ok:
            return
        for key in self.data:
            if key not in required and key not in optional:
                known = sorted(required | optional)
                self.problem(key, f"unknown key{did_you_mean(key, known)}", at_key=True)
        if not required.issubset(self.data):
            for key in sorted(required - set(self.data)):
                self.problem(None, f"missing required key '{key}'")

    def text(self, key: str, default: str = "") -> str:
        value = self.data.get(key, default)
        if value is None or (isinstance(value, str) and not value.strip() and key in self.data):
            self.problem(key, "must not be empty")
            return default
        if not isinstance(value, str):
            self.problem(key, f"expected text, found {kind_of(value)}{_quote_hint(value)}")
            return default
        return value.strip()

    def integer(self, key: str, default: int, minimum: int | None = None) -> int:
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(key, f"expected a whole number, found {kind_of(value)}")
            return default
        if minimum is not None and value < minimum:
            self.problem(key, f"must be at least {minimum}, found {value}")
            return default
        return value

    def number(self, key: str) -> float | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not is_number(value):
            self.problem(
                key,
                f"expected a finite number{NUMBER_RANGE}, found {kind_of(value)}",
            )
            return None
        return float(value)

    def boolean(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            self.problem(key, f"expected true or false, found {kind_of(value)}")
            return default
        return value

    def choice(self, key: str, allowed: tuple[str, ...], default: str = "") -> str:
        value = self.text(key, default)
        if value and value not in allowed:
            self.problem(
                key,
                f"expected one of {', '.join(allowed)}, found '{value}'"
                f"{did_you_mean(value, allowed)}",
            )
            return default
        return value

    def identifier(self, key: str = "id") -> str:
        value = self.text(key)
        if value and not ID_PATTERN.match(value):
            self.problem(
                key,
                f"'{value}' is not a valid id: use lower-case letters, digits, "
                "'-' and '_', starting with a letter or digit",
            )
            return ""
        return value

    def items(self, key: str, required: bool = False) -> list[tuple[Any, str, tuple[int, int]]]:
        """The items of a list value with their key paths and positions."""
        if key not in self.data:
            return []
        value = self.data[key]
        if not isinstance(value, YamlList):
            self.problem(key, f"expected a list, found {kind_of(value)}")
            return []
        if required and not value:
            self.problem(key, "must list at least one item")
        return [
            (item, f"{self.key_path(key)}[{i}]", value.item_positions[i])
            for i, item in enumerate(value)
        ]

    def texts(self, key: str, required: bool = False) -> tuple[str, ...]:
        found = []
        for item, path, (line, column) in self.items(key, required):
            if isinstance(item, str) and item.strip():
                found.append(item.strip())
            else:
                self.problems.append(
                    Problem(
                        self.file,
                        f"expected text, found {kind_of(item)}{_quote_hint(item)}",
                        line,
                        column,
                        path,
                    )
                )
        return tuple(found)

    def sources(self, key: str, required: bool = False) -> tuple[Source, ...]:
        return tuple(
            s
            for item, path, pos in self.items(key, required)
            for s in [read_source(item, self.file, path, pos, self.problems)]
            if s
        )


def read_source(
    item: Any, file: str, path: str, position: tuple[int, int], problems: list[Problem]
) -> Source | None:
    if isinstance(item, str) and item.strip():
        if problem := _source_problem(item.strip()):
            problems.append(Problem(file, problem, *position, path))
        return Source(item.strip())
    fields = Fields(item, file, path, problems, position)
    fields.allow(*KEYS["source"])
    ref = fields.text("url")
    if problem := _source_problem(ref):
        fields.problem("url", problem)
    return Source(ref, fields.text("title")) if ref else None


def _source_problem(ref: str) -> str:
    """A source meant as a web address must be a well-formed one (a document file is a path)."""
    return web_address_problem(ref) if looks_like_web_address(ref) else ""


def read_date(fields: Fields, key: str, pattern: re.Pattern[str], form: str) -> str:
    """A date in the given form ('' when absent), checked to exist; a bare year may be a number."""
    raw = fields.data.get(key)
    is_year = isinstance(raw, int) and not isinstance(raw, bool)
    value = str(raw) if is_year else fields.text(key)
    if not value:
        return ""
    day = value if len(value) == len("YYYY-MM-DD") else f"{value}-01-01"
    try:
        valid = bool(pattern.match(value)) and bool(date.fromisoformat(day))
    except ValueError:
        valid = False
    if not valid:
        fields.problem(key, f"expected a date written {form}, found '{value}'")
        return ""
    return value


def file_of(doc: YamlMap) -> str:
    return getattr(doc, "file", "")


def kind_of(value: Any) -> str:
    kinds: dict[type, Callable[[Any], str]] = {
        bool: lambda v: f"{str(v).lower()} (a boolean)",
        int: lambda v: f"the number {v}",
        float: lambda v: f"the number {v}",
        str: lambda v: f"the text '{v[:40]}'",
        YamlList: lambda v: "a list",
        YamlMap: lambda v: "a mapping",
        type(None): lambda v: "nothing (empty value)",
    }
    return kinds.get(type(value), lambda v: type(v).__name__)(value)


def _quote_hint(value: Any) -> str:
    if isinstance(value, (bool, int, float)):
        return "; put text in quotes"
    if isinstance(value, YamlMap) and len(value) == 1:
        return " (text containing ': ' must be put in quotes)"
    return ""
