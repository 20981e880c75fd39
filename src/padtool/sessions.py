"""Interview sessions: answers saved after every question, so an interview can be resumed.

A session file is an answers file with a header: `recommend --answers` reads it as it is.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from .answers import SESSION_KEY, answers_mapping, check_answers
from .conditions import AnswerValue
from .errors import PadtoolError, Problem, say
from .files import write_atomic
from .model import RuleSet
from .rulefiles import bundled_rules_dir, rules_from_environment
from .yamlfile import YamlMap, read_mapping


class SessionInfo(NamedTuple):
    path: Path
    agency: str
    updated: str
    answered: int
    finished: bool


def sessions_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path("padtool") / "sessions"


def new_session_path() -> Path:
    folder = sessions_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = folder / f"interview-{stamp}.yaml"
    suffix = 1
    while path.exists():
        suffix += 1
        path = folder / f"interview-{stamp}-{suffix}.yaml"
    return path


def save_session(
    path: Path, rule_set: RuleSet, answers: dict[str, AnswerValue], started: str, finished: bool
) -> None:
    """Write the session atomically: a crash mid-write leaves the previous version whole."""
    header: dict[str, object] = {
        "started": started,
        "updated": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "finished": finished,
        "rule_set": f"{rule_set.name} {rule_set.version}",
    }
    folders = _rule_folders(rule_set)
    if folders:
        header["rules"] = folders
    lines = [
        "# padtool interview session; `padtool interview --resume` continues it",
        f"{SESSION_KEY}:",
    ]
    lines += [f"  {key}: {json.dumps(value)}" for key, value in header.items()]
    lines.append("answers:" if answers else "answers: {}")
    for question in rule_set.questions:
        if question.id in answers:
            lines.append(f"  {question.id}: {json.dumps(answers[question.id], ensure_ascii=False)}")
    write_atomic(path, "\n".join(lines) + "\n", force=True)


def _rule_folders(rule_set: RuleSet) -> list[str]:
    """The folders to give --rules to load this rule set again; none for the bundled set."""
    folders = [Path(layer) for layer in rule_set.layers]
    if folders[0].resolve() == bundled_rules_dir().resolve():
        folders = folders[1:]  # the overlays alone go over the bundled set of any version
    return [str(folder.resolve()) for folder in folders]


def session_rules(path: Path) -> list[Path]:
    """The rule folders a session was started with (none: the bundled set)."""
    header = read_mapping(path, "session file").get(SESSION_KEY)
    folders = header.get("rules") if isinstance(header, dict) else None
    if not isinstance(folders, list):
        return []
    return [Path(folder) for folder in folders if isinstance(folder, str) and folder]


def session_started(data: YamlMap) -> str:
    header = data.get(SESSION_KEY)
    started = header.get("started") if isinstance(header, dict) else None
    return started if isinstance(started, str) else time.strftime("%Y-%m-%dT%H:%M:%S")


def _session_info(path: Path, agency_question: str) -> SessionInfo:
    """What `sessions list` shows of one file; a PadtoolError if it is no readable session."""
    data = read_mapping(path, "session file")
    header = data.get(SESSION_KEY)
    if not isinstance(header, dict):
        raise PadtoolError([Problem(str(path), f"not a padtool session (no '{SESSION_KEY}:')")])
    answers = answers_mapping(data)
    agency = answers.get(agency_question)
    return SessionInfo(
        path,
        agency if isinstance(agency, str) else "",
        str(header.get("updated", "")),
        len(answers),
        header.get("finished") is True,
    )


def list_sessions(agency_question: str) -> tuple[list[SessionInfo], list[Problem]]:
    """Saved sessions, most recently updated first, and what is wrong with each file that is
    no readable session (a corrupt file is named, never passed over in silence)."""
    folder = sessions_dir()
    found, broken = [], []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        try:
            found.append(_session_info(path, agency_question))
        except PadtoolError as error:
            broken.append(error.problems[0])
    return sorted(found, key=lambda s: s.updated, reverse=True), broken


def latest_unfinished(agency_question: str = "") -> Path:
    found, broken = list_sessions(agency_question)
    for session in found:
        if not session.finished:
            return session.path
    message = "no unfinished interview to resume; start one with: padtool interview"
    if broken:
        message = "no readable unfinished interview to resume; these files could not be read:"
    raise PadtoolError([Problem(str(sessions_dir()), message), *broken])


def resume_answers(path: Path, rule_set: RuleSet) -> tuple[dict[str, AnswerValue], str, list[str]]:
    """A session's answers that still fit the rule set, when it started, and a warning for
    each answer dropped (its question removed or changed since): those are asked again."""
    data = read_mapping(path, "session file")
    answers, _, problems = check_answers(answers_mapping(data), rule_set, complete=False)
    warnings = []
    for problem in problems:
        gone = rule_set.question(problem.key or "") is None
        why = "the question is no longer asked" if gone else f"{problem.message}; asked again"
        warnings.append(str(problem._replace(message=f"answer dropped: {why}")))
    return answers, session_started(data), warnings


def deletable_session(name: str) -> Path:
    """The session file `sessions delete NAME` may remove: one in the sessions folder, given by
    its name or by a path that leads there, that reads as a session and is not in use.

    Anything else is refused: padtool deletes only files it made.
    """
    folder = sessions_dir()
    given = Path(name)
    separators = [sep for sep in (os.sep, os.altsep) if sep]
    if not any(sep in name for sep in separators) and name not in (".", ".."):
        candidates = [folder / name, folder / f"{name}.yaml"]  # a name, as `sessions list` shows
        path = next((c for c in candidates if c.is_file() and not c.is_symlink()), None)
        if path is None:
            raise PadtoolError([Problem(name, f"no session of that name in {folder}")])
    else:
        try:
            resolved = given.resolve(strict=True)
        except (OSError, RuntimeError):
            raise PadtoolError([Problem(name, "no such session file")]) from None
        if resolved.parent != folder.resolve() or given.is_symlink():
            raise PadtoolError(
                [Problem(name, f"is not a session in {folder}; padtool deletes only its sessions")]
            )
        path = resolved
    if not path.is_file() or path.suffix != ".yaml":
        raise PadtoolError([Problem(name, "is not a padtool session file")])
    _session_info(path, "")  # refuses what does not read as a session
    holder = _holder(path)
    if holder:
        raise PadtoolError([Problem(name, f"is in use by padtool process {holder}")])
    return path


# --- one interview per session at a time ------------------------------------------------------


def _lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


def _holder(path: Path) -> str:
    """The process id holding the session's lock, or '' when none does."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - no flock on this system: no locking
        return ""
    try:
        fd = os.open(_lock_path(path), os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return ""
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
    finally:
        os.close(fd)
    return ""


@contextmanager
def session_lock(path: Path) -> Iterator[None]:
    """Own the session while the block runs: a second interview on it is refused, naming the
    process that has it. The lock is the kernel's (flock), so it dies with its process and a
    lock file a crashed padtool left behind is simply taken over."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - no flock on this system: no locking
        yield
        return
    lock = _lock_path(path)
    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        except OSError as error:
            problem = Problem(str(lock), f"cannot be created: {error.strerror}")
            raise PadtoolError([problem]) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise PadtoolError(
                [Problem(str(path), f"is open in another padtool interview (process {holder})")],
                hint="Finish or close that interview first, or use another --session FILE.",
            ) from None
        try:  # the holder before us may have removed the file we opened: lock the new one
            if os.fstat(fd).st_ino == os.stat(lock).st_ino:
                break
        except FileNotFoundError:
            pass
        os.close(fd)
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock)
        os.close(fd)


def invoked_as() -> str:
    """The command as the user typed it (padtool, .venv/bin/padtool, python -m padtool), so a
    hint printed for them to paste works as it is."""
    import shutil

    typed = sys.argv[0] if sys.argv and sys.argv[0] else "padtool"
    if Path(typed).name == "__main__.py":
        return f"{Path(sys.executable).name} -m padtool"
    on_path = shutil.which("padtool")
    if on_path and Path(on_path).resolve() == Path(typed).resolve():
        return "padtool"
    return typed


def session_rule_folders(session: Path | None, err: bool = False) -> list[Path]:
    """The rule folders a resumed session was started with, unless PADTOOL_RULES names some;
    saying so on stderr with err (where stdout is data)."""
    if session is None or rules_from_environment():
        return []
    folders = session_rules(session)
    if folders:
        say(
            f"Using the rules this session was started with: {' '.join(map(str, folders))}",
            err=err,
        )
    return folders
