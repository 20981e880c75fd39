"""A real `padtool workshop serve` in a subprocess, on 127.0.0.1 and a free port, for the tests
and the benchmark that need a server a browser (or many clients) can reach."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

PADTOOL = Path(sys.executable).with_name("padtool")


class RoomServer:
    def __init__(self, directory: Path, *options: str, cache: Path | None = None) -> None:
        environment = {**os.environ, "NO_COLOR": "1"}
        if cache is not None:
            environment["XDG_CACHE_HOME"] = str(cache)
        command = [str(PADTOOL), "workshop", "serve", "--dir", str(directory)]
        self.process = subprocess.Popen(
            [*command, "--port", "0", "--print-json", *options],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            self.process.wait(10)
            raise RuntimeError(f"the room did not start: {self.process.stderr.read()}")  # type: ignore[union-attr]
        self.urls: dict[str, str] = json.loads(line)
        self.url = self.urls["participant_url"].rstrip("/")

    def stop(self, how: int = signal.SIGTERM, timeout: float = 20) -> int:
        if self.process.poll() is None:
            self.process.send_signal(how)
        return self.process.wait(timeout)

    def __enter__(self) -> RoomServer:
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, page[:300]
    return found.group(1)
