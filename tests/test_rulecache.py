"""The rule-set cache: read back only when made from the same files by the same code, and
then the very rule set the loader would build."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import MINIMAL_RULES
from padtool.model import RuleSet
from padtool.rulefiles import bundled_rules_dir

Load = Callable[..., RuleSet]


@pytest.fixture
def counted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[object], Load]:
    """The rule-set loader, counting its calls, with the cache on and in a folder of its own."""
    from padtool.loader import load_rule_set

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("PADTOOL_NO_CACHE", raising=False)
    loads: list[object] = []

    def load(*layers: Path) -> RuleSet:
        loads.append(layers)
        return load_rule_set(*layers)

    return loads, load


def test_a_cache_written_for_another_model_is_not_read(
    counted: tuple[list[object], Load], monkeypatch: pytest.MonkeyPatch
) -> None:
    from padtool import rulecache

    loads, load = counted

    rulecache.load_cached([MINIMAL_RULES], load)
    rulecache.load_cached([MINIMAL_RULES], load)
    assert len(loads) == 1  # the second came from the cache
    # Same version, same files, but a model with other fields: the old cache must not be used.
    monkeypatch.setattr(rulecache, "_SHAPE", rulecache._SHAPE.replace(",line,", ",row,"))
    rule_set = rulecache.load_cached([MINIMAL_RULES], load)
    assert len(loads) == 2
    assert rule_set.questions[1].line == 6


def test_a_cache_written_by_other_loader_code_is_not_read(
    counted: tuple[list[object], Load], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from padtool import rulecache

    loads, load = counted
    reader = tmp_path / "fields.py"
    reader.write_text("# the field reader\n")
    monkeypatch.setattr(rulecache, "reader_files", lambda: [reader])

    rulecache.load_cached([MINIMAL_RULES], load)
    rulecache.load_cached([MINIMAL_RULES], load)
    assert len(loads) == 1  # the second came from the cache
    reader.write_text("# the field reader, changed\n")  # same rule files, other code
    rulecache.load_cached([MINIMAL_RULES], load)
    assert len(loads) == 2


def _padtool_files_imported_by(module: str) -> set[Path]:
    """The source files of padtool's modules that importing module brings in, in a fresh
    interpreter."""
    probe = (
        f"import sys, {module}\n"
        "print('\\n'.join(m.__file__ for n, m in sys.modules.items() if n.startswith('padtool')))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return {Path(line).resolve() for line in done.stdout.split()}


def test_the_cache_key_covers_every_module_the_loader_is_made_of() -> None:
    from padtool import rulecache

    keyed = {path.resolve() for path in rulecache.reader_files()}
    assert _padtool_files_imported_by("padtool.loader") - keyed == set()


def test_a_rule_set_read_from_the_cache_is_the_one_the_loader_built(
    counted: tuple[list[object], Load],
) -> None:
    from padtool import rulecache

    loads, load = counted
    fresh = rulecache.load_cached([bundled_rules_dir()], load)
    cached = rulecache.load_cached([bundled_rules_dir()], load)
    assert len(loads) == 1  # the second came from the cache
    assert cached == fresh
    # the index by id, rebuilt on reading, points at the very questions of the list
    assert cached.question("agency_name") is cached.questions[0]
    assert set(cached.questions_by_id) == {q.id for q in cached.questions}


def test_a_check_that_passed_on_the_same_files_is_not_run_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from padtool import rulecache
    from padtool.errors import PadtoolError

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("PADTOOL_NO_CACHE", raising=False)
    checked = tmp_path / "scenario.yaml"
    checked.write_text("id: one\n")
    runs: list[str] = []

    def check() -> None:
        runs.append(checked.read_text())
        if "broken" in runs[-1]:
            raise PadtoolError("broken")

    def validate() -> None:
        rulecache.check_cached("probe", [MINIMAL_RULES], [checked], ("scenarios",), check)

    validate()
    validate()
    assert len(runs) == 1  # passed on these very files: not run again
    checked.write_text("id: broken\n")
    for _ in range(2):  # a failing check is never recorded as passed
        with pytest.raises(PadtoolError):
            validate()
    assert len(runs) == 3


def test_the_scenario_check_is_keyed_by_every_module_it_is_made_of() -> None:
    from padtool import rulecache

    package = Path(rulecache.__file__).parent
    keyed = {path.resolve() for path in rulecache.reader_files()} | {
        (package / f"{name}.py").resolve() for name in rulecache.SCENARIO_MODULES
    }
    assert _padtool_files_imported_by("padtool.scenarios") - keyed == set()
