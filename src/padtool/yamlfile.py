"""Strict, safe YAML reading that remembers where every key and value came from.

Rule files and answers files are edited by hand and passed around by email, so this reader is
stricter than YAML: only true/false are booleans, dates and zero-padded numbers stay text,
duplicate keys, anchors, aliases, merge keys and tags that build objects are errors.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .errors import PadtoolError, Problem

MAX_FILE_BYTES = 1_000_000

try:  # libyaml parses several times faster; its constructor and resolver stay ours.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

Position = tuple[int, int]


class YamlMap(dict[str, Any]):
    """A mapping that knows the line and column of itself, each key and each value."""

    position: Position = (0, 0)
    file: str = ""
    key_positions: dict[str, Position]
    value_positions: dict[str, Position]


class YamlList(list[Any]):
    """A sequence that knows the line and column of itself and each item."""

    position: Position = (0, 0)
    item_positions: list[Position]


def _mark(node: yaml.Node) -> Position:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _StrictLoader(_BaseLoader):
    # Empty tables of our own: nothing inherited from PyYAML's resolvers or constructors.
    yaml_implicit_resolvers = {}  # noqa: RUF012
    yaml_constructors = {}  # noqa: RUF012
    yaml_multi_constructors = {}  # noqa: RUF012

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # A node met twice was reached through an alias: refuse before expansion can explode.
        if node in self.constructed_objects or node in self.recursive_objects:
            raise yaml.constructor.ConstructorError(
                None, None, "anchors and aliases (&name, *name) are not allowed", node.start_mark
            )
        return super().construct_object(node, deep)


def _construct_map(loader: _StrictLoader, node: yaml.MappingNode) -> Any:
    data = YamlMap()
    data.position = _mark(node)
    data.key_positions = {}
    data.value_positions = {}
    yield data
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise yaml.constructor.ConstructorError(
                None, None, "merge keys (<<) are not allowed", key_node.start_mark
            )
        key = loader.construct_object(key_node)
        if not isinstance(key, str):
            raise yaml.constructor.ConstructorError(
                None, None, f"keys must be text, found {key!r}", key_node.start_mark
            )
        if key in data:
            first = data.key_positions[key][0]
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}' (first on line {first})", key_node.start_mark
            )
        data[key] = loader.construct_object(value_node)
        data.key_positions[key] = _mark(key_node)
        data.value_positions[key] = _mark(value_node)


def _construct_seq(loader: _StrictLoader, node: yaml.SequenceNode) -> Any:
    data = YamlList()
    data.position = _mark(node)
    data.item_positions = [_mark(child) for child in node.value]
    yield data
    data.extend(loader.construct_object(child) for child in node.value)


def _refuse_tag(loader: _StrictLoader, node: yaml.Node) -> Any:
    raise yaml.constructor.ConstructorError(
        None, None, f"unsupported tag '{_short_tag(node.tag)}'", node.start_mark
    )


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


_SafeConstructor = yaml.constructor.SafeConstructor
for _tag, _constructor in {
    "tag:yaml.org,2002:null": _SafeConstructor.construct_yaml_null,
    "tag:yaml.org,2002:bool": _SafeConstructor.construct_yaml_bool,
    "tag:yaml.org,2002:int": _SafeConstructor.construct_yaml_int,
    "tag:yaml.org,2002:float": _SafeConstructor.construct_yaml_float,
    "tag:yaml.org,2002:str": _SafeConstructor.construct_yaml_str,
    "tag:yaml.org,2002:map": _construct_map,
    "tag:yaml.org,2002:seq": _construct_seq,
    None: _refuse_tag,
}.items():
    _StrictLoader.add_constructor(_tag, _constructor)  # type: ignore[arg-type]

# YAML 1.2 core schema, narrowed: what a person types as text stays text.
for _tag, _pattern, _first in [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
]:
    _StrictLoader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))


def read_mapping(path: Path, what: str = "file") -> YamlMap:
    """Read one YAML (or JSON) document whose top level must be a mapping.

    Raises PadtoolError naming the file, line and column of the first problem.
    """
    text = _read_text(path, what)
    name = str(path)
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # a strict subclass of SafeLoader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        message = " ".join(filter(None, [error.context, error.problem])) or str(error)
        if "expected a single document" in message:
            message = "expected a single YAML document, found more than one (---)"
        elif "cannot start any token" in message and text.count("\t"):
            message += " (a tab? YAML is indented with spaces only)"
        raise PadtoolError([Problem(name, message, line, column)]) from None
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        message = f"character {error.character!r} is not allowed in YAML"
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


def _read_text(path: Path, what: str) -> str:
    name = str(path)
    try:
        if path.is_dir():
            raise PadtoolError([Problem(name, f"is a directory; expected a {what}")])
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise PadtoolError(
                [Problem(name, f"{what} is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")]
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PadtoolError([Problem(name, f"{what} not found")]) from None
    except PermissionError:
        raise PadtoolError([Problem(name, f"{what} cannot be read (permission denied)")]) from None
    except OSError as error:
        raise PadtoolError([Problem(name, f"{what} cannot be read: {error.strerror}")]) from None
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
