"""Writing files people keep: checked up front, atomic, never overwriting without --force."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from .errors import PadtoolError, Problem


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
    if path.exists() and not force:
        raise PadtoolError([Problem(name, "already exists; use --force to replace it")])
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
