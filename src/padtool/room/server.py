"""Starting the room: bind the address, say how to join (URL, code, QR), serve until stopped.

The port is bound before anything is printed, so a port in use is one readable error (exit 2)
and `--port 0` shows the port the system chose. Ctrl-C and SIGTERM stop the server gracefully:
requests under way finish (each answer is saved before its page answers), event streams end.
"""

from __future__ import annotations

import ipaddress
import json
import signal
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from ..errors import EXIT_BAD_INPUT, EXIT_INTERRUPTED, PadtoolError, Problem, say
from ..model import RuleSet
from .state import Room

if TYPE_CHECKING:
    from .app import Settings

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def serve(
    rule_set: RuleSet,
    directory: Path,
    host: str,
    port: int,
    title: str,
    min_group: int,
    print_json: bool,
    today: Callable[[], str],
) -> None:
    listening = _bind(host, port)  # first: a port in use leaves the room's folder untouched
    try:
        room = Room.open(directory, rule_set, title, min_group)
    except BaseException:
        listening.close()
        raise
    # uvicorn stops gracefully, then raises the signal again: here it ends the command with
    # the shell's 128 + signal (143 for SIGTERM; Ctrl-C ends as KeyboardInterrupt, 130).
    previous = signal.signal(signal.SIGTERM, _stopped)
    try:
        _run(room, listening, _announced(room, listening, host, print_json, today))
    except _Stopped as stop:
        say(f"The room stopped; every answer is saved in {room.directory}", err=True)
        sys.exit(stop.exit_code)
    except KeyboardInterrupt:  # Ctrl-C in the trainer's terminal, even while it starts
        say(f"The room stopped; every answer is saved in {room.directory}", err=True)
        sys.exit(EXIT_INTERRUPTED)
    finally:
        signal.signal(signal.SIGTERM, previous)
        listening.close()
        room.save_state()


def _announced(
    room: Room, listening: socket.socket, host: str, print_json: bool, today: Callable[[], str]
) -> Settings:
    """Say where the room is (as JSON for scripts); the app's settings for that address."""
    from .app import Settings

    shown_host = _shown_host(host)
    base = f"http://{_url_host(shown_host)}:{listening.getsockname()[1]}/"
    urls = {
        "participant_url": base,
        "join_code": room.join_code,
        "trainer_url": f"{base}room?key={room.trainer_key}",
    }
    if print_json:
        sys.stdout.write(json.dumps(urls) + "\n")
        sys.stdout.flush()
    else:
        _announce(room, urls, host)
    return Settings(base, today)


def _run(room: Room, listening: socket.socket, settings: Settings) -> None:
    import uvicorn

    from .app import create_app

    config = uvicorn.Config(
        create_app(room, settings),
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=5,
        lifespan="off",
    )

    class Server(uvicorn.Server):
        """Tells the room's event streams to end as soon as a stop is asked: uvicorn would
        otherwise wait for every open stream before it stops."""

        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            settings.stopping.set()
            super().handle_exit(sig, frame)

    Server(config).run(sockets=[listening])


class _Stopped(Exception):
    def __init__(self, exit_code: int) -> None:
        super().__init__(exit_code)
        self.exit_code = exit_code


def _stopped(signum: int, frame: FrameType | None) -> None:
    raise _Stopped(128 + signum)


def _bind(host: str, port: int) -> socket.socket:
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        listening = socket.socket(family, socket.SOCK_STREAM)
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind((host, port))
        listening.listen(128)
    except OSError as error:
        raise PadtoolError(
            [Problem(None, f"cannot listen on {host} port {port}: {error.strerror}")],
            EXIT_BAD_INPUT,
        ) from None
    listening.setblocking(False)
    return listening


def _shown_host(host: str) -> str:
    """The address to give participants: for 0.0.0.0 (every interface), this machine's
    address on the network it would reach others through."""
    if host not in ("0.0.0.0", "::"):
        return host
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.254.254.254", 1))  # no packet is sent: this only picks a route
            return str(probe.getsockname()[0])
        except OSError:
            return "127.0.0.1"


def _url_host(host: str) -> str:
    try:
        return f"[{host}]" if ipaddress.ip_address(host).version == 6 else host
    except ValueError:
        return host


def _announce(room: Room, urls: dict[str, str], host: str) -> None:
    import segno

    say(f"Live room: {len(room.teams)} teams so far, answers saved in {room.directory}")
    if host not in LOCAL_HOSTS:
        say(
            f"warning: listening on {host}: anyone on this network who has the join code can "
            "join and answer",
            err=True,
        )
    say(f"Participants open: {urls['participant_url']}")
    say(f"Join code: {room.join_code}")
    if sys.stdout.isatty():
        segno.make(f"{urls['participant_url']}?code={room.join_code}", error="m").terminal(
            compact=True
        )
    say(f"Trainer (keep this link to yourself): {urls['trainer_url']}")
    say("Press Ctrl-C to stop; every answer is already saved.")
