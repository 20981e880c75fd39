"""A cache of validated rule sets, keyed by the files' exact content.

Parsing and validating the YAML is most of the time `recommend` spends on its own; a rule set
already validated is read back from JSON instead. The cache holds data only: decoding builds
nothing but the rule set's own value types, and any doubt about a cache file means it is
ignored and the YAML is loaded and validated again.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import __version__, conditions, model
from .errors import PadtoolError
from .model import RuleSet
from .rulefiles import entry_files
from .yamlfile import MAX_FILE_BYTES

# Every value type a rule set is built of: the only types a cache file may name.
_TYPES: dict[str, Any] = {
    cls.__name__: cls
    for cls in (
        *(conditions.AllOf, conditions.AnyOf, conditions.Comparison, conditions.Not),
        model.Archived,
        *(model.Entry, model.Example, model.FitRule, model.KnowledgeItem, model.Option),
        *(model.Origin, model.Overlay),
        *(model.Prerequisite, model.Provider, model.Question, model.Requirement, model.RuleSet),
        *(model.Resource, model.Source, model.Step),
        *(model.Agreement, model.CostDriver, model.DataPlan, model.PlanPhase, model.PlanRules),
        *(model.PlanTask, model.Recorder, model.Role),
    )
}

# The fields of every cached type: a cache written by a padtool whose model differed (same
# version number, another build) is never decoded into the wrong fields.
_SHAPE = ";".join(f"{name}:{','.join(cls._fields)}" for name, cls in _TYPES.items())

# The modules padtool.loader is made of, besides every module of padtool.rules: a cache made by
# other reading or checking code (an edited checkout, the same version built again) is not read.
# A test keeps this list equal to what the loader imports.
READER_MODULES = (
    *("__init__", "addresses", "conditions", "errors", "files", "loader", "model"),
    *("question_types", "rulefiles", "yamlfile"),
)


# The modules that read and check training scenarios, besides the reader's. A test keeps this
# list equal to what padtool.scenarios imports.
SCENARIO_MODULES = ("answers", "engine", "knowledge", "scenarios")


def load_cached(layers: list[Path], load: Callable[..., RuleSet]) -> RuleSet:
    """The rule set of these folders (a rule set and its overlays), from the cache when their
    files are unchanged; else load(*layers)."""
    if os.environ.get("PADTOOL_NO_CACHE"):
        return load(*layers)
    try:
        key = "\n".join(
            [__version__, _SHAPE, _code_key(), *(_key(directory) for directory in layers)]
        )
    except (OSError, ValueError, RuntimeError):  # RuntimeError: resolve() met a loop of links
        return load(*layers)  # unreadable or unusual files: the loader says what is wrong
    cache_file = _cache_dir() / f"rules-{zlib.crc32(key.encode()):08x}.json"
    try:
        return _decode(cache_file.read_text(encoding="utf-8"), key)
    except (OSError, ValueError, TypeError, KeyError, RecursionError):
        pass  # no usable cache: load the YAML, which reports any problem properly
    rule_set = load(*layers)
    _store(cache_file, _encode(key, rule_set), "rules-*.json")
    return rule_set


def check_cached(
    kind: str,
    layers: list[Path],
    files: list[Path],
    modules: tuple[str, ...],
    check: Callable[[], object],
) -> None:
    """Run check(), unless it passed before on exactly these files, the rule set's (layers)
    and files, with exactly this code: the reader's and these modules of padtool. A check that
    passes is recorded by its key alone; one that fails raises as usual and records nothing."""
    if os.environ.get("PADTOOL_NO_CACHE"):
        check()
        return
    package = Path(__file__).parent
    try:
        key = "\n".join(
            [
                __version__,
                _code_key(),
                *(f"{zlib.crc32((package / f'{name}.py').read_bytes()):08x}" for name in modules),
                *(_key(directory) for directory in layers),
                *(_file_key(path, str(path.resolve())) for path in files),
            ]
        )
    except (OSError, ValueError, RuntimeError):
        check()
        return
    record = _cache_dir() / f"{kind}-{zlib.crc32(key.encode()):08x}.ok"
    try:
        if record.read_text(encoding="utf-8") == key:
            return
    except (OSError, ValueError):
        pass
    check()
    _store(record, key, f"{kind}-*.ok")


def _store(cache_file: Path, text: str, kind: str, keep: int = 20) -> None:
    """Write a cache file, then keep only the newest few of its kind (a glob): every edit of
    a rule set leaves one behind. A read-only home only costs speed."""
    from .files import write_atomic

    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(cache_file, text, force=True)
        files = sorted(cache_file.parent.glob(kind), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[keep:]:
            old.unlink(missing_ok=True)
    except (OSError, PadtoolError):
        pass


def _key(directory: Path) -> str:
    """What the cached set must have been made from: every file's name, size, modification
    time and a CRC of its content. (hashlib would cost more to import than the cache saves.)"""
    files = sorted(directory.glob("*.yaml")) + entry_files(directory)
    named = [_file_key(path, str(path.relative_to(directory))) for path in files]
    return "\n".join([str(directory.resolve()), *named])


def _file_key(path: Path, name: str) -> str:
    status = path.stat()
    if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_FILE_BYTES:
        raise ValueError(f"{path} is not a rule file to hash")
    crc = zlib.crc32(path.read_bytes())
    return f"{name}:{status.st_size}:{status.st_mtime_ns}:{crc}"


def reader_files() -> list[Path]:
    """The source files of the code that reads and checks rule files."""
    package = Path(__file__).parent
    modules = [package / f"{name}.py" for name in READER_MODULES]
    return modules + sorted((package / "rules").glob("*.py"))


def _code_key() -> str:
    return ",".join(f"{zlib.crc32(path.read_bytes()):08x}" for path in reader_files())


def _cache_dir() -> Path:
    # platformdirs would cost more to import than the cache saves; these are its defaults.
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
        return base / "padtool" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "padtool"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "padtool"


def _encode(key: str, value: RuleSet) -> str:
    def plain(item: Any) -> Any:
        if isinstance(item, tuple) and hasattr(item, "_fields"):
            return {"t": type(item).__name__, "v": [plain(x) for x in item]}
        if isinstance(item, tuple):
            return {"l": [plain(x) for x in item]}
        if isinstance(item, dict):  # as pairs: a key of the data can never look like a marker
            return {"d": [[k, plain(v)] for k, v in item.items()]}
        if isinstance(item, list):
            return [plain(x) for x in item]
        return item

    # The index of questions by id is rebuilt on reading: written out, it was every question
    # a second time, a tenth of the file and of the time to read it.
    stored = value._replace(questions_by_id={})
    return json.dumps(
        {"key": key, "rule_set": plain(stored)}, separators=(",", ":"), allow_nan=False
    )


def _decode(text: str, key: str) -> RuleSet:
    def rebuild(item: dict[str, Any]) -> Any:
        if "t" in item:
            return _TYPES[item["t"]](*item["v"])
        if "l" in item:
            return tuple(item["l"])
        if "d" in item:
            return dict(item["d"])
        return item  # the outer {"key", "rule_set"}

    if not text.startswith(f'{{"key":{json.dumps(key)},'):
        raise ValueError("made from other files")  # checked before decoding anything
    rule_set = json.loads(text, object_hook=rebuild)["rule_set"]
    if not isinstance(rule_set, RuleSet):
        raise ValueError("not a rule set")
    return rule_set._replace(questions_by_id={q.id: q for q in rule_set.questions})
