"""Interview sessions: answers saved after every question, so an interview can be resumed.

A session file is an answers file with a header: `recommend --answers` reads it as it is.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import NamedTuple

from .answers import SESSION_KEY
from .conditions import AnswerValue
from .errors import PadtoolError, Problem
from .files import write_atomic
from .model import RuleSet
from .rulefiles import bundled_rules_dir
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
    folders = [Path(rule_set.location), *(Path(o.location) for o in rule_set.overlays)]
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


def list_sessions(agency_question: str) -> list[SessionInfo]:
    """Saved sessions, most recently updated first; unreadable files are skipped."""
    folder = sessions_dir()
    found = []
    for path in folder.glob("*.yaml") if folder.is_dir() else []:
        try:
            data = read_mapping(path, "session file")
        except PadtoolError:
            continue
        header = data.get(SESSION_KEY)
        answers = data.get("answers")
        if not isinstance(header, dict) or not isinstance(answers, dict):
            continue
        agency = answers.get(agency_question)
        found.append(
            SessionInfo(
                path,
                agency if isinstance(agency, str) else "",
                str(header.get("updated", "")),
                len(answers),
                header.get("finished") is True,
            )
        )
    return sorted(found, key=lambda s: s.updated, reverse=True)


def latest_unfinished(agency_question: str = "") -> Path:
    for session in list_sessions(agency_question):
        if not session.finished:
            return session.path
    raise PadtoolError(
        [
            Problem(
                str(sessions_dir()),
                "no unfinished interview to resume; start one with: padtool interview",
            )
        ]
    )


def find_session(name: str) -> Path:
    """A session by file path or by its name in the sessions folder."""
    candidates = [Path(name), sessions_dir() / name, sessions_dir() / f"{name}.yaml"]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise PadtoolError([Problem(name, "no such session; see: padtool sessions list")])
