"""The live room's state: its teams, their answers and the trainer's controls, kept in a folder.

Every answer goes at once to ROOM_DIR/<team>.yaml, atomically and in the answers-file format, so
`workshop summary ROOM_DIR`, `recommend --answers` and every other command read the room's
folder as it is. The room's own file (STATE_FILE, read by no other command) keeps what an
answers file cannot say: the join code and trainer key, the team names as typed, who skipped
what, who has seen their results, and whether the room is closed or its summary revealed.
Answers files already in the folder are teams of the room, so a restarted server continues it.

No web code here: the pages (app.py) call these methods and nothing else changes the room.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import secrets
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..answers import dump_answers, load_answers
from ..conditions import AnswerValue
from ..engine import Result, applicable_answers, applicable_questions, recommend
from ..errors import PadtoolError, Problem
from ..files import write_atomic
from ..model import Question, RuleSet
from ..render.text import clean
from ..workshop import Summary, answer_files, summarize, team_name

STATE_FILE = ".padtool-room"  # no answers-file suffix: `workshop summary` passes it by
MAX_TEAMS = 200
MAX_NAME = 60  # characters of a team name as shown
MAX_SLUG = 40  # characters of its file name, before .yaml
JOIN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I/L to misread off a screen
JOIN_LENGTH = 6
# Names Windows refuses for a file, whatever the suffix: the export may be unpacked there.
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(10)}


class RoomError(Exception):
    """What a participant or the trainer asked for cannot be done; status is the HTTP status."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class Team:
    slug: str  # the file name's stem: letters, digits and dashes only
    name: str  # as the team typed it, cleaned
    path: Path
    answers: dict[str, AnswerValue] = field(default_factory=dict)
    skipped: set[str] = field(default_factory=set)
    done: bool = False  # has seen its results since its last change
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)
    # Worked out once per change: the trainer's page reads them for every team, in a worker
    # thread; generation counts changes, so a result worked out meanwhile is not kept.
    generation: int = 0
    _kept: dict[str, AnswerValue] | None = field(default=None, repr=False, compare=False)
    _complete: bool | None = field(default=None, repr=False, compare=False)
    _result: Result | None = field(default=None, repr=False, compare=False)

    def forget(self) -> None:
        """Drop what was worked out from the answers: they changed."""
        self.generation += 1
        self._kept = self._complete = self._result = None

    def status(self) -> str:
        if self.done:
            return "done"
        return "answering" if self.answers else "joined"


def team_slug(name: str) -> str:
    """A team name as a file name: the letters and digits of any script, lower case, words
    joined by dashes, so '../x' is 'x' and '<script>' is 'script'; '' when nothing is left."""
    words = re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", name).casefold())
    slug = "-".join(words)[:MAX_SLUG].strip("-")
    return f"{slug}-team" if slug in _RESERVED else slug


def display_name(name: str) -> str:
    return clean(name)[:MAX_NAME].strip()


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_LENGTH))


def normal_code(typed: str) -> str:
    """A join code as typed on a phone: case, spaces and dashes do not matter."""
    return re.sub(r"[\s-]", "", typed).upper()


class Room:
    """A room's teams and controls; open() reads it from its folder, every change writes it."""

    def __init__(
        self,
        directory: Path,
        rule_set: RuleSet,
        title: str = "",
        min_group: int = 3,
        max_teams: int = MAX_TEAMS,
    ) -> None:
        self.directory = directory
        self.rule_set = rule_set
        self.title = title
        self.min_group = min_group
        self.max_teams = max_teams
        self.join_code = new_join_code()
        self.trainer_key = secrets.token_urlsafe(18)
        self.secret = secrets.token_hex(32)
        self.closed = False
        self.revealed = False
        self.teams: dict[str, Team] = {}
        self.broken: list[tuple[str, str]] = []
        self.version = 0  # counts changes: the trainer's page updates when it moves
        self._state_lock = threading.Lock()
        self._summary: tuple[int, Summary] | None = None

    @classmethod
    def open(
        cls,
        directory: Path,
        rule_set: RuleSet,
        title: str = "",
        min_group: int = 3,
        max_teams: int = MAX_TEAMS,
    ) -> Room:
        """The room in directory (made if missing): its saved state, and every answers file
        in it as a team."""
        room = cls(directory, rule_set, title, min_group, max_teams)
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise PadtoolError(
                [Problem(str(directory), f"cannot be used: {error.strerror}")]
            ) from None
        saved = room._read_state()
        for path in answer_files(directory):
            room._add_file(path, saved.get(path.stem, {}))
        for slug, data in saved.items():  # joined, nothing answered yet
            if slug not in room.teams and slug == team_slug(slug):
                room.teams[slug] = Team(slug, str(data.get("name", slug)), room._path(slug))
        room.save_state()
        return room

    def _path(self, slug: str) -> Path:
        return self.directory / f"{slug}.yaml"

    def _add_file(self, path: Path, saved: dict[str, Any]) -> None:
        if path.stem in self.teams:
            self.broken.append((path.name, "another file has this team's name; not read"))
            return
        try:
            answers, _ = load_answers(path, self.rule_set, complete=False, pipes=False)
        except PadtoolError as error:
            self.broken.append((path.name, str(error.problems[0])))
            return
        team = Team(path.stem, str(saved.get("name", "")), path, answers)
        team.skipped = {q for q in saved.get("skipped", []) if isinstance(q, str)}
        team.done = bool(saved.get("done", not saved and self.complete(team)))
        team.name = team.name or team_name(self.result(team), path)
        self.teams[team.slug] = team

    # -- the state file --------------------------------------------------------------------

    def _state_path(self) -> Path:
        return self.directory / STATE_FILE

    def _read_state(self) -> dict[str, dict[str, Any]]:
        path = self._state_path()
        if not path.exists():
            return {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            self.join_code = str(data["join_code"])
            self.trainer_key = str(data["trainer_key"])
            self.secret = str(data["secret"])
            self.closed = bool(data.get("closed", False))
            self.revealed = bool(data.get("revealed", False))
            teams = data.get("teams", {})
            if not isinstance(teams, dict):
                raise TypeError
        except (OSError, ValueError, KeyError, TypeError):
            message = "is not a padtool room's state file; move it away to start a new room"
            raise PadtoolError([Problem(str(path), message)]) from None
        return {str(k): v for k, v in teams.items() if isinstance(v, dict)}

    def save_state(self) -> None:
        """Write the room's own file, readable by its owner only: it holds the trainer key."""
        with self._state_lock:
            data = {
                "padtool_room": 1,
                "join_code": self.join_code,
                "trainer_key": self.trainer_key,
                "secret": self.secret,
                "closed": self.closed,
                "revealed": self.revealed,
                "teams": {
                    t.slug: {"name": t.name, "skipped": sorted(t.skipped), "done": t.done}
                    for t in self.teams.values()
                },
            }
            path = self._state_path()
            write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n", True)
            os.chmod(path, 0o600)

    # -- teams ------------------------------------------------------------------------------

    def check_code(self, typed: str) -> bool:
        return hmac.compare_digest(normal_code(typed).encode(), self.join_code.encode())

    def check_key(self, typed: str) -> bool:
        return hmac.compare_digest(typed.encode(), self.trainer_key.encode())

    def join(self, typed_name: str) -> Team:
        """A new team; RoomError when the name is empty or taken, or the room closed or full."""
        self.refuse_if_closed()
        name, slug = display_name(typed_name), team_slug(typed_name)
        if not name or not slug:
            raise RoomError("Give your team a name, with at least one letter or digit.")
        if slug in self.teams or os.path.lexists(self._path(slug)):
            raise RoomError(
                f"A team called {name} has joined already. Choose another name, or ask the "
                "trainer for your team's link to continue on this device.",
                409,
            )
        if len(self.teams) >= self.max_teams:
            raise RoomError(f"The room is full ({self.max_teams} teams).", 403)
        team = Team(slug, name, self._path(slug))
        self.teams[slug] = team
        self.changed()
        return team

    def token(self, team: Team) -> str:
        """The team's key to its answers, kept in its browser: the same after a restart."""
        digest = hmac.new(self.secret.encode(), team.slug.encode(), hashlib.sha256)
        name = base64.urlsafe_b64encode(team.slug.encode()).decode().rstrip("=")
        return f"{name}.{digest.hexdigest()[:32]}"  # ASCII: it goes in a cookie

    def team_by_token(self, token: str) -> Team | None:
        name = token.rpartition(".")[0]
        try:
            slug = base64.urlsafe_b64decode(name + "=" * (-len(name) % 4)).decode()
        except ValueError:  # binascii.Error and UnicodeDecodeError are ValueErrors
            return None
        team = self.teams.get(slug)
        if team is None or not hmac.compare_digest(self.token(team).encode(), token.encode()):
            return None
        return team

    def refuse_if_closed(self) -> None:
        if self.closed:
            raise RoomError("The trainer has closed the room: answers can no longer change.", 403)

    def questions(self, team: Team) -> list[Question]:
        return applicable_questions(self.rule_set, team.answers)

    def answer(self, team: Team, question: Question, value: AnswerValue | None) -> None:
        """Record an answer (None: the question is skipped); save() writes it."""
        self.refuse_if_closed()
        if value is None:
            team.skipped.add(question.id)
            team.answers.pop(question.id, None)
        else:
            team.skipped.discard(question.id)
            team.answers[question.id] = value
        team.done = False
        team.forget()
        self.changed()

    def finish(self, team: Team) -> None:
        """The team has reviewed its answers and sees its results."""
        if not team.done:
            team.done = True
            self.changed()

    def save(self, team: Team) -> None:
        """Write the team's answers file with its answers as they are now. Safe to call from
        several threads: the last write carries the latest answers."""
        with team.lock:
            kept = applicable_answers(self.rule_set, dict(team.answers))
            write_atomic(team.path, dump_answers(self.rule_set, kept), True)

    def kept(self, team: Team) -> dict[str, AnswerValue]:
        """The team's answers to the questions that apply (the others are set aside)."""
        kept, generation = team._kept, team.generation
        if kept is None:
            kept = applicable_answers(self.rule_set, dict(team.answers))
            if generation == team.generation:
                team._kept = kept
        return kept

    def complete(self, team: Team) -> bool:
        """Whether every required question that applies has an answer."""
        complete, generation = team._complete, team.generation
        if complete is None:
            kept = self.kept(team)
            questions = applicable_questions(self.rule_set, kept)
            complete = all(q.id in kept for q in questions if q.required)
            if generation == team.generation:
                team._complete = complete
        return complete

    def result(self, team: Team) -> Result:
        result, generation = team._result, team.generation
        if result is None:
            result = recommend(self.rule_set, self.kept(team))
            if generation == team.generation:
                team._result = result
        return result

    # -- the trainer's controls -------------------------------------------------------------

    def changed(self) -> None:
        self.version += 1

    def set_revealed(self, revealed: bool) -> None:
        self.revealed = revealed
        self.changed()

    def close(self) -> None:
        self.closed = True
        self.changed()

    def summarized(self) -> list[Team]:
        """The teams in the room's summary: those whose answers are complete, in name order."""
        teams = list(self.teams.values())  # a copy: teams may join meanwhile
        return sorted((t for t in teams if self.complete(t)), key=lambda t: t.slug)

    def summary(self) -> Summary:
        """The room's summary, as `workshop summary` would show the folder's complete files
        (worked out once per change of the room)."""
        cached, version = self._summary, self.version
        if cached is None or cached[0] != version:
            teams = [(team_name(self.result(t), t.path), self.result(t)) for t in self.summarized()]
            cached = self._summary = (version, summarize(teams, self.broken))
        return cached[1]

    def counts(self) -> dict[str, int]:
        found = {"joined": 0, "answering": 0, "done": 0}
        for team in list(self.teams.values()):  # a copy: teams may join meanwhile
            found[team.status()] += 1
        return found

    def export(self, today: str) -> bytes:
        """One zip: every answers file, every complete team's report (Markdown and HTML), and
        the room's summary; not the room's own file, which holds the keys."""
        import io
        import zipfile

        from ..render.html import render_html_report
        from ..render.markdown import render_report
        from ..render.workshop import workshop_html, workshop_markdown

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in answer_files(self.directory):
                archive.writestr(f"answers/{path.name}", path.read_bytes())
            for team in self.summarized():
                result = self.result(team)
                archive.writestr(f"reports/{team.slug}.md", render_report(result, today))
                archive.writestr(f"reports/{team.slug}.html", render_html_report(result, today))
            summary = self.summary()
            archive.writestr("summary.md", workshop_markdown(summary))
            archive.writestr("summary.html", workshop_html(summary))
        return buffer.getvalue()
