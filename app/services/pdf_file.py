"""Writing a file the user named (``print -o FILE``, 另存为PDF, a batch's folder): the one
place that decides what may be replaced and how.

The target must be a regular file or not exist yet. A symbolic link (even a dangling one), a
named pipe, a device, a socket or a folder is refused before anything is rendered: writing
through a link or into ``/dev/sda`` is never what a clerk meant, and opening a FIFO would
hang. The bytes go to a temporary file in the target's folder, are flushed to disk and then
renamed over the target, so a reader sees the old file or the new one, never half of one;
on any failure the temporary file is removed. A new file gets ``0666 & ~umask`` like any
file the user makes (``tempfile.mkstemp`` would give 0600); a replaced file keeps its mode.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from app.domain.errors import RuleViolation

#: hidden, and recognisable if a crash ever leaves one behind
TEMP_PREFIX = ".print-"
TEMP_SUFFIX = ".pdf"  # the viewer folder's pruning (*.pdf) sweeps up a leftover
_CREATE = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
           | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))


class UnsafeTarget(RuleViolation):
    """The file name given for the output is not a regular file that may be replaced."""


def check_target(target: Path) -> os.stat_result | None:
    """The target's status when it is a regular file, ``None`` when nothing is there yet;
    raises ``UnsafeTarget`` for anything else. Never follows a link, never opens the target."""
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return None
    mode, path = info.st_mode, str(target)
    if stat.S_ISREG(mode):
        return info
    if stat.S_ISLNK(mode):
        raise UnsafeTarget("{path} is a symbolic link; the PDF is not written through it. "
                           "Choose another file name.", field="output", path=path)
    if stat.S_ISDIR(mode):
        raise UnsafeTarget("{path} is a folder; give the name of the PDF file to write.",
                           field="output", path=path)
    if stat.S_ISFIFO(mode):
        raise UnsafeTarget("{path} is a named pipe (FIFO), not a file; the PDF is not "
                           "written into it. Choose another file name.", field="output",
                           path=path)
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise UnsafeTarget("{path} is a device, not a file; the PDF is not written to it. "
                           "Choose another file name.", field="output", path=path)
    raise UnsafeTarget("{path} is not a regular file; the PDF is not written there. "
                       "Choose another file name.", field="output", path=path)


def write_file(target: Path | str, write: Callable[[BinaryIO], object]) -> Path:
    """Calls ``write(stream)`` and puts what it wrote at ``target``, whole or not at all.

    The target's folder is made if missing. Raises ``UnsafeTarget`` (a ``RuleViolation``:
    its message reaches the user) for a target that is not a regular file, ``OSError`` when
    the folder cannot be written."""
    target = Path(target)
    check_target(target)  # before rendering: a refusal costs nothing and leaves nothing
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = _create_temp(target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
            out.flush()
            # again, just before the rename: the target may have changed while rendering
            existing = check_target(target)
            if existing is not None:
                _chmod(out.fileno(), temp, stat.S_IMODE(existing.st_mode) & 0o777)
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return target


def _create_temp(folder: Path) -> tuple[int, Path]:
    """A new file of ours in ``folder``, created with mode 0666 so the umask decides."""
    for _ in range(100):
        temp = folder / f"{TEMP_PREFIX}{secrets.token_hex(8)}{TEMP_SUFFIX}"
        try:
            return os.open(temp, _CREATE, 0o666), temp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary file name in {folder}")


def _chmod(handle: int, path: Path, mode: int) -> None:
    if hasattr(os, "fchmod"):
        os.fchmod(handle, mode)
    else:  # Windows before Python 3.13
        os.chmod(path, mode)
