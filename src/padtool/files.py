"""The user's files: read through one opener, written checked up front and atomically.

Reading refuses what is not a regular file before a byte is read (a named pipe would wait
forever for a writer, a device never ends); writing never replaces an existing file without
--force, and never replaces anything but a regular file, even with it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

from .errors import PadtoolError, Problem


def _a(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _broken_link(path: Path) -> str:
    try:
        os.stat(path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "is a loop of symbolic links"
    return "is a symbolic link to nothing"


def present(path: Path) -> bool:
    """Whether there is anything at path, a broken or looping link included: such a name is
    the user's mistake to report, not a file to treat as absent."""
    return os.path.lexists(path)


def read_user_file(path: Path, what: str, limit: int, pipes: bool = False) -> bytes:
    """The bytes of a file padtool was given to read, at most limit of them.

    Only a regular file is opened; with pipes, also a pipe that something writes to (as
    `--answers /dev/stdin` is). Raises PadtoolError naming the file and what is wrong.
    """
    name = str(path)
    try:
        data, size = _read(path, what, limit, pipes)
    except FileNotFoundError:
        if os.path.islink(path):
            link = "is a symbolic link to a file that does not exist"
            raise PadtoolError([Problem(name, link)]) from None
        raise PadtoolError([Problem(name, f"{what} not found")]) from None
    except PermissionError:
        raise PadtoolError([Problem(name, f"{what} cannot be read (permission denied)")]) from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise PadtoolError([Problem(name, "is a loop of symbolic links")]) from None
        raise PadtoolError([Problem(name, f"{what} cannot be read: {error.strerror}")]) from None
    if len(data) > limit:
        raise PadtoolError([Problem(name, f"{what} is {size:,} bytes; the limit is {limit:,}")])
    return data


def _read(path: Path, what: str, limit: int, pipes: bool) -> tuple[bytes, int]:
    _refuse_special(path, os.stat(path).st_mode, what, pipes)
    # O_NONBLOCK: opening a named pipe would otherwise wait for a writer, which may never come.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode  # what was opened, should the name have changed since
        _refuse_special(path, mode, what, pipes)
        first = b""
        if stat.S_ISFIFO(mode):
            try:
                first = os.read(fd, limit + 1)
            except BlockingIOError:
                pass  # a writer, nothing written yet: wait for it
            else:
                if not first:
                    raise PadtoolError([Problem(str(path), "is a pipe with nothing written to it")])
            os.set_blocking(fd, True)
        # Read one byte past the limit rather than trust the size: files can grow meanwhile.
        data = first + handle.read(limit + 1 - len(first))
        return data, max(len(data), os.fstat(fd).st_size)


def _refuse_special(path: Path, mode: int, what: str, pipes: bool) -> None:
    if stat.S_ISREG(mode) or (pipes and stat.S_ISFIFO(mode)):
        return
    raise PadtoolError([Problem(str(path), f"is {_kind(mode)}, not {_a(what)}")])


def check_destination(path: Path, force: bool) -> None:
    """Fail now, before any work, if the file could not be written later."""
    try:
        _check_destination(path, force)
    except OSError as error:  # a name too long, a loop of links...: the system's own words
        raise PadtoolError([Problem(str(path), f"cannot be written: {error.strerror}")]) from None


def _check_destination(path: Path, force: bool) -> None:
    name = str(path)
    if path.is_dir():
        raise PadtoolError([Problem(name, "is a directory; give a file name")])
    if path.exists() and not stat.S_ISREG(path.stat().st_mode):
        # Replacing /dev/full or a pipe someone reads is never what a report is for.
        raise PadtoolError(
            [Problem(name, f"is {_kind(path.stat().st_mode)}; padtool writes only regular files")]
        )
    if present(path) and not force:
        raise PadtoolError([Problem(name, "already exists; use --force to replace it")])
    if present(path) and not path.exists():  # --force: still not a link that leads nowhere
        raise PadtoolError(
            [Problem(name, f"{_broken_link(path)}; padtool writes only regular files")]
        )
    parent = path.parent
    if not parent.is_dir():
        raise PadtoolError([Problem(name, f"folder '{parent}' does not exist")])
    if not os.access(parent, os.W_OK):
        raise PadtoolError([Problem(name, f"folder '{parent}' is not writable")])


def _publish_new(temporary: str, path: Path) -> None:
    """Move the finished temporary file to path, failing if path exists, without a race."""
    try:
        os.link(temporary, path)  # fails if the file appeared meanwhile
    except FileExistsError:
        raise
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS):
            raise
        # No hard links here (FAT, some network shares): claim the name first, then replace it.
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
        os.replace(temporary, path)


def write_atomic(path: Path, text: str, force: bool) -> None:
    """Write text to path so that readers see the old file or the whole new one, never half.

    Without force, an existing file is left untouched, even one that appeared since the check.
    """
    import tempfile  # only when writing: reading answers should not pay for it

    check_destination(path, force)
    temporary = ""
    try:
        # A short temporary name: the final name may already be as long as the system allows.
        fd, temporary = tempfile.mkstemp(prefix=".padtool-", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        if force:
            os.replace(temporary, path)
        else:
            _publish_new(temporary, path)
    except FileExistsError:
        raise PadtoolError(
            [Problem(str(path), "already exists; use --force to replace it")]
        ) from None
    except OSError as error:
        raise PadtoolError(
            [Problem(str(path), f"could not be written: {error.strerror}")]
        ) from None
    finally:
        if temporary:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
