"""Strict, safe YAML reading that remembers where every key and value came from.

Rule files and answers files are edited by hand and passed around by email, so this reader is
stricter than YAML: only true/false are booleans, dates and zero-padded numbers stay text,
duplicate keys, anchors, aliases, merge keys and tags that build objects are errors.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from .errors import PadtoolError, Problem
from .files import read_user_file

MAX_FILE_BYTES = 1_000_000

try:  # libyaml parses several times faster; resolving tags and building values stay ours.
    from yaml.cyaml import CParser as _BaseParser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _BaseParser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


Position = tuple[int, int]


class YamlMap(dict[str, Any]):
    """A mapping that knows the line and column of itself, each key and each value.

    Positions are worked out from the parsed node only when asked for: they are needed for
    error messages, and computing them up front cost more than parsing large rule sets.
    """

    node: yaml.MappingNode | None = None
    file: str = ""

    @property
    def position(self) -> Position:
        return _mark(self.node) if self.node else (0, 0)

    @cached_property
    def key_positions(self) -> dict[str, Position]:
        return {k.value: _mark(k) for k, _ in self.node.value} if self.node else {}

    @cached_property
    def value_positions(self) -> dict[str, Position]:
        return {k.value: _mark(v) for k, v in self.node.value} if self.node else {}


class YamlList(list[Any]):
    """A sequence that knows the line and column of itself and each item."""

    node: yaml.SequenceNode | None = None

    @property
    def position(self) -> Position:
        return _mark(self.node) if self.node else (0, 0)

    @cached_property
    def item_positions(self) -> list[Position]:
        return [_mark(child) for child in self.node.value] if self.node else []


def _mark(node: yaml.Node) -> Position:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
# YAML 1.2 core schema, narrowed: what a person types as text stays text.
_IMPLICIT: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
for _tag, _pattern, _first in [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?(?:0|[1-9][0-9]*)[eE][-+]?[0-9]+"  # 4e1, as JSON writes it
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
]:
    for _char in _first:
        _IMPLICIT.setdefault(_char, []).append((_tag, re.compile(_pattern)))


class _Composer(_BaseParser):
    """Parses YAML into nodes (libyaml where available); tags and values are ours."""

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, pattern in _IMPLICIT.get(value[:1], ()):
                    if pattern.match(value):
                        return tag
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


def _float(text: str) -> float:
    # YAML spells infinity and not-a-number .inf and .nan; the loader rejects both later.
    return float(text.lower().replace(".inf", "inf").replace(".nan", "nan"))


_BOOL = "tag:yaml.org,2002:bool"
_SCALARS: dict[str, Any] = {
    "tag:yaml.org,2002:str": str,
    "tag:yaml.org,2002:int": int,
    "tag:yaml.org,2002:float": _float,
    _BOOL: lambda text: text.lower() == "true",
    "tag:yaml.org,2002:null": lambda text: None,
}


class _Builder:
    """Turns a node graph into YamlMap, YamlList and plain scalars, refusing what we ban."""

    def __init__(self) -> None:
        self.seen: set[int] = set()

    def build(self, node: yaml.Node) -> Any:
        # A node met twice was reached through an alias: refuse before expansion can explode.
        if id(node) in self.seen:
            raise _error("anchors and aliases (&name, *name) are not allowed", node)
        self.seen.add(id(node))
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag == _MAP:
            return self._mapping(node)
        if tag == _SEQ:
            return self._sequence(node)
        convert = _SCALARS.get(tag)
        if convert is None or not isinstance(node, yaml.ScalarNode):
            raise _error(f"unsupported tag '{_short_tag(tag)}'", node)
        if tag == _BOOL and node.value.lower() not in ("true", "false"):
            raise _error(f"unsupported tag '{_short_tag(tag)}'", node)
        try:
            return convert(node.value)
        except ValueError:
            shown = node.value if len(node.value) <= 40 else node.value[:37] + "..."
            raise _error(f"'{shown}' is not a valid {_short_tag(tag)}", node) from None

    def _mapping(self, node: yaml.Node) -> YamlMap:
        if not isinstance(node, yaml.MappingNode):
            raise _error("expected a mapping", node)
        data = YamlMap()
        data.node = node
        first: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if key_node.value == "<<" and key_node.tag == _STR and not key_node.style:
                raise _error("merge keys (<<) are not allowed", key_node)
            key = self.build(key_node)
            if not isinstance(key, str):
                raise _error(f"keys must be text, found {key!r}", key_node)
            if key in first:
                line = first[key].start_mark.line + 1
                raise _error(f"duplicate key '{key}' (first on line {line})", key_node)
            first[key] = key_node
            data[key] = self.build(value_node)
        return data

    def _sequence(self, node: yaml.Node) -> YamlList:
        if not isinstance(node, yaml.SequenceNode):
            raise _error("expected a list", node)
        data = YamlList(self.build(child) for child in node.value)
        data.node = node
        return data


def _refuse_anchors(text: str) -> None:
    parser = _Composer(text)
    try:
        while parser.check_event():
            event: Any = parser.get_event()
            if getattr(event, "anchor", None):
                raise yaml.MarkedYAMLError(
                    problem=f"anchors and aliases (&{event.anchor}) are not allowed; write it out",
                    problem_mark=event.start_mark,
                )
    finally:
        parser.dispose()


def _error(message: str, node: yaml.Node) -> yaml.MarkedYAMLError:
    return yaml.MarkedYAMLError(problem=message, problem_mark=node.start_mark)


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _plain_syntax_error(error: yaml.MarkedYAMLError) -> tuple[Any, str]:
    """Where a YAML syntax error is and what it is, in words a program manager reads: the
    parser's own words otherwise ("while parsing a block mapping did not find expected key")."""
    context, problem = error.context or "", error.problem or ""
    start, found = error.context_mark, error.problem_mark or error.context_mark
    opened = f" at line {start.line + 1}" if start is not None else ""
    if "quoted scalar" in context and start is not None:
        return start, "a quote opened here is never closed"
    if "simple key" in context and "':'" in problem and start is not None:
        return start, "expected 'key: value' here: a colon and a space after the key"
    if "flow sequence" in context or "flow mapping" in context:
        kind, close = ("list", "[]") if "sequence" in context else ("mapping", "{}")
        return found, (
            f"a {kind} opened with '{close[0]}'{opened} is not closed with '{close[1]}', "
            "or lacks a comma"
        )
    if "block mapping" in context and "expected key" in problem:
        return found, (
            "this line does not continue the keys above it: check its indentation, a quote "
            "left open above, or text after a closing quote"
        )
    return found, " ".join(filter(None, [context, problem])) or str(error)


def read_mapping(path: Path, what: str = "file", regular_only: bool = True) -> YamlMap:
    """Read one YAML (or JSON) document whose top level must be a mapping.

    With regular_only=False a pipe something writes to may be read too (at most MAX_FILE_BYTES).
    Raises PadtoolError naming the file, line and column of the first problem.
    """
    text = _read_text(path, what, regular_only)
    name = str(path)
    try:
        composer = _Composer(text)
        try:
            node = composer.get_single_node()
        finally:
            composer.dispose()
        if "&" in text:  # nodes do not say whether they carried an anchor; events do
            _refuse_anchors(text)
        data = None if node is None else _Builder().build(node)
    except yaml.MarkedYAMLError as error:
        mark, message = _plain_syntax_error(error)
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        if "expected a single document" in message:
            message = "expected a single YAML document, found more than one (---)"
        elif "mapping values are not allowed" in message:
            message += " (text containing ': ' must be put in quotes)"
        elif "cannot start any token" in message and text.count("\t"):
            message += " (a tab? YAML is indented with spaces only)"
        raise PadtoolError([Problem(name, message, line, column)]) from None
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        code = error.character if isinstance(error.character, int) else ord(error.character)
        message = f"character U+{code:04X} is not allowed in YAML"
        raise PadtoolError([Problem(name, message, line)]) from None
    except yaml.YAMLError as error:
        raise PadtoolError([Problem(name, f"not valid YAML: {error}")]) from None
    except RecursionError:
        raise PadtoolError([Problem(name, "nesting too deep")]) from None
    if data is None:
        raise PadtoolError([Problem(name, f"{what} is empty; expected a mapping of keys")])
    if not isinstance(data, YamlMap):
        kind = "a list" if isinstance(data, list) else f"the value {data!r}"[:60]
        message = f"top level must be a mapping of keys, found {kind}"
        raise PadtoolError([Problem(name, message, 1, 1)])
    data.file = name
    return data


def _read_text(path: Path, what: str, regular_only: bool) -> str:
    name = str(path)
    raw = read_user_file(path, what, MAX_FILE_BYTES, pipes=not regular_only)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise PadtoolError(
            [
                Problem(
                    name,
                    f"not UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start})",
                    line,
                    column,
                )
            ]
        ) from None
