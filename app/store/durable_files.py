"""Files that must survive a power cut or a kill: syncing a file and its folder to disk, and
wiping a plain copy of personal data before deleting it. Shared by the backups, the vault and
the encryption of a plain store."""

from __future__ import annotations

import os
from pathlib import Path


def fsync_dir(folder: Path) -> None:
    """A rename (or a new file) in ``folder`` reaches the disk (POSIX; NTFS journals it)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_file(path: Path) -> None:
    with path.open("rb+") as f:
        os.fsync(f.fileno())


def wipe(path: Path) -> None:
    """Zeros over a plain file nobody else links to, then gone: its pages would otherwise stay
    readable on the disk until reused. Its SQLite side files go too."""
    try:
        size = path.stat().st_size
        with path.open("r+b") as f:
            block = b"\0" * (1 << 20)
            for _ in range(0, size, len(block)):
                f.write(block)
            f.flush()
            os.fsync(f.fileno())
    except FileNotFoundError:
        return
    path.unlink(missing_ok=True)
    for extra in ("-wal", "-shm", "-journal"):
        path.with_name(path.name + extra).unlink(missing_ok=True)
