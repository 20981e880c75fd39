"""padtool's one error type, and the one place that prints it and picks the exit code."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import NamedTuple

EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130
MAX_SHOWN = 100  # a file of garbage should not bury the terminal under its messages


class Problem(NamedTuple):
    """One thing wrong with an input, located as precisely as the input allows."""

    file: str | None
    message: str
    line: int | None = None
    column: int | None = None
    key: str | None = None

    def __str__(self) -> str:
        if self.file is None:
            return self.message
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        key = f" {self.key}:" if self.key else ""
        return f"{where}:{key} {self.message}"


class PadtoolError(Exception):
    """Bad input or a failed action, reported to the user without a traceback. A stop the
    user asked for (Ctrl-C) ends the same way but is not called an error (mistake=False)."""

    def __init__(
        self,
        problems: list[Problem] | str,
        exit_code: int = EXIT_BAD_INPUT,
        hint: str = "",
        mistake: bool = True,
    ) -> None:
        self.problems = [Problem(None, problems)] if isinstance(problems, str) else problems
        self.exit_code = exit_code
        self.hint = hint
        self.mistake = mistake
        super().__init__(self.render())

    def render(self) -> str:
        prefix = "error: " if self.mistake else ""
        lines = [f"{prefix}{problem}" for problem in self.problems[:MAX_SHOWN]]
        if len(self.problems) > MAX_SHOWN:
            lines.append(f"... and {len(self.problems) - MAX_SHOWN} more.")
        if len(self.problems) > 1:
            lines.append(f"{len(self.problems)} problems found.")
        if self.hint:
            lines.append(self.hint)
        return "\n".join(lines)


def did_you_mean(word: str, choices: Iterable[object]) -> str:
    """' (did you mean 'x'?)' for the closest choice, or '' when none is close."""
    import difflib  # only needed when something is wrong

    matches = difflib.get_close_matches(word, [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""


def report(error: PadtoolError) -> int:
    """Print the error to stderr and return the exit code to use."""
    say(error.render(), err=True)
    return error.exit_code


def say(text: str, err: bool = False) -> None:
    """Print a message that may quote file names or rule-set text, made safe for a terminal."""
    print(printable(text), file=sys.stderr if err else sys.stdout)


def printable(text: str) -> str:
    """Text with control, escape and bidi characters shown as escapes instead of obeyed."""
    return "".join(ch if ch in "\n\t" or ch.isprintable() else repr(ch)[1:-1] for ch in text)
