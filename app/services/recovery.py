"""What the start-up offers when the station database is damaged: the newest good backup, its
date and what restoring it loses, in words the window's dialog and the headless commands both
show; and the restore itself. Qt-free.

What a restore loses and what comes back: the changes made at this station after the backup
are gone from this computer. What of them had been sent stays at head office (it is not sent
back to the station). Head office's own changes (dispatched orders, edits, cancellations,
notices) come again on the next sync, because the restored pull position is older and every
pulled change is applied idempotently. The restored outbox numbers start above anything the
lost database can have sent (``app.store.backups._seq_floor``), so head office takes every new
change as new.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from app.i18n import tr
from app.paths import DataPaths
from app.services.backups import BackupInfo, read_settings
from app.store import backups as store
from app.store.backup_checks import BackupProblem
from app.store.backups import RestoreResult
from app.store.file_lock import FileLock, LockHeld

log = logging.getLogger(__name__)

#: a window holds this in the data folder while it runs; a restore refuses while it is held
RUNNING_LOCK = "running.lock"
#: a command-line restore leaves this file in the data folder to ask a running window to close
CLOSE_REQUEST = "close-request"
#: the exit code of a headless command that found the station database damaged
EXIT_DAMAGED = 3


@dataclass(frozen=True)
class RecoveryOffer:
    paths: DataPaths
    problem: BackupProblem
    backup: BackupInfo | None  # the newest backup that passes the restore checks


def recovery_offer(paths: DataPaths, problem: BackupProblem) -> RecoveryOffer:
    folder = read_settings(paths).folder
    good = store.newest_good(folder)
    info = None
    if good is not None:
        m = good.manifest
        info = BackupInfo(good.path, m.created, m.kind, m.station_code, m.schema_revision,
                          m.database_bytes, m.attachments, m.attachment_bytes)
    return RecoveryOffer(paths, problem, info)


def local_time(moment: datetime, tz: tzinfo | None = None) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def offer_lines(offer: RecoveryOffer, tz: tzinfo | None = None) -> list[str]:
    """The explanation, one paragraph a line, in the current language."""
    lines = [tr("The station data cannot be opened: {problem}",
                problem=tr(offer.problem.template, **offer.problem.params))]
    if offer.backup is None:
        lines.append(tr("No usable backup was found in {folder}. The damaged file is left as "
                        "it is; ask your dealer or head office for help.",
                        folder=read_settings(offer.paths).folder))
        return lines
    b = offer.backup
    lines.append(tr("The newest good backup is from {time} (station {station}).",
                    time=local_time(b.created_at, tz), station=b.station_code or "-"))
    lines.append(tr("Restoring it loses what was entered on this computer after {time}. "
                    "Changes already sent to head office stay there; head office's "
                    "dispatches, edits and notices come again at the next sync.",
                    time=local_time(b.created_at, tz)))
    lines.append(tr("The damaged file is kept in the backup folder (replaced-….sqlite3)."))
    return lines


def set_aside_if_nothing_to_lose(paths: DataPaths, problem: BackupProblem) -> bool:
    """A zero-length database (a first start cut off before anything was written) with no
    backup and no write-ahead log holds nothing: it is moved to the backup folder and the
    station starts afresh. True when it was; anything else is for the recovery offer."""
    wal = Path(str(paths.database) + "-wal")
    if problem.kind != "empty" or (wal.exists() and wal.stat().st_size > 0):
        return False
    folder = read_settings(paths).folder
    if store.list_backups(folder):
        return False
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    os.replace(paths.database, folder / f"replaced-{stamp}.sqlite3")
    wal.unlink(missing_ok=True)
    Path(str(paths.database) + "-shm").unlink(missing_ok=True)
    return True


class WindowRunning(Exception):
    """A window holds the station (``running.lock``)."""


def restore_offered(offer: RecoveryOffer) -> RestoreResult:
    """Restores the offered backup (the caller checked there is one)."""
    assert offer.backup is not None
    return restore_file(offer.paths, offer.backup.path)


def hold_window_lock(paths: DataPaths) -> FileLock:
    """The running lock, taken for a window's life (``release()`` when it closes). A second
    window on the same station gets an unheld lock (logged): the first one still guards it."""
    lock = FileLock(paths.root / RUNNING_LOCK, blocking=False)
    try:
        lock.acquire()
    except LockHeld:
        log.warning("another window already runs on %s", paths.root)
    return lock


def request_window_close(paths: DataPaths) -> None:
    """Asks a running window to close (it looks for the file every few seconds)."""
    (paths.root / CLOSE_REQUEST).write_text("restore", encoding="utf-8")


def close_requested(paths: DataPaths) -> bool:
    return (paths.root / CLOSE_REQUEST).exists()


def clear_close_request(paths: DataPaths) -> None:
    (paths.root / CLOSE_REQUEST).unlink(missing_ok=True)


def _take_running_lock(paths: DataPaths, wait_s: float) -> FileLock:
    lock = FileLock(paths.root / RUNNING_LOCK, blocking=False)
    try:
        return lock.acquire()
    except LockHeld:
        if wait_s <= 0:
            raise WindowRunning(str(paths.root)) from None
    request_window_close(paths)
    deadline = time.monotonic() + wait_s
    try:
        while True:
            time.sleep(0.2)
            try:
                return lock.acquire()
            except LockHeld:
                if time.monotonic() > deadline:
                    raise WindowRunning(str(paths.root)) from None
    finally:
        clear_close_request(paths)


def restore_file(paths: DataPaths, path: Path, wait_s: float = 0) -> RestoreResult:
    """Restores ``path`` into the station, holding the running lock so no window starts
    meanwhile. A window (another process) holding it is asked to close and waited for up to
    ``wait_s`` seconds; ``WindowRunning`` when it is still open."""
    lock = _take_running_lock(paths, wait_s)
    try:
        return store.restore(path, paths.database, read_settings(paths).folder,
                             paths.attachments)
    finally:
        lock.release()


__all__ = ["CLOSE_REQUEST", "EXIT_DAMAGED", "RUNNING_LOCK", "RecoveryOffer", "RestoreResult",
           "WindowRunning", "clear_close_request", "close_requested", "hold_window_lock",
           "offer_lines", "recovery_offer", "request_window_close", "restore_file",
           "restore_offered", "set_aside_if_nothing_to_lose"]
