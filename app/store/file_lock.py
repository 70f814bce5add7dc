"""An advisory lock on a file, held by one process at a time (``fcntl.flock`` on POSIX,
``msvcrt.locking`` on Windows). The operating system drops it when the process ends, even by
``kill -9``, so a crash never leaves the station locked.

Used for ``backups/.lock`` (one backup or prune at a time) and ``running.lock`` in the data
folder (the window holds it while it runs; ``restore`` refuses while it is held).
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType


class LockHeld(Exception):
    """Another process holds the lock."""


class FileLock:
    def __init__(self, path: Path, blocking: bool = True) -> None:
        self.path = Path(path)
        self.blocking = blocking
        self._fd: int | None = None

    def acquire(self) -> FileLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _lock(fd, self.blocking)
        except OSError:
            os.close(fd)
            raise LockHeld(str(self.path)) from None
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            _unlock(self._fd)
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> FileLock:
        return self.acquire()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt
    import time

    def _lock(fd: int, blocking: bool) -> None:
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
                return
            except OSError:
                if not blocking:
                    raise
                time.sleep(0.05)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _lock(fd: int, blocking: bool) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX if blocking else fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def is_held(path: Path) -> bool:
    """Whether another process holds the lock at ``path`` right now."""
    if not Path(path).exists():
        return False
    try:
        FileLock(path, blocking=False).acquire().release()
    except LockHeld:
        return True
    return False
