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

Backups are encrypted with the station's key. A backup of another key (another station's, or
this PC's data folder is new) opens only with its station's recovery key
(``restore_file(..., recovery_key=…)``); the restore then seals that key on this PC, so the
restored store opens. A recovery key that does not open the backup changes nothing.
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
from app.store.key_seal import KeySeal, KeySealBroken, default_key_seal
from app.store.store_key import StoreKey

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
    #: a newer backup (or the only one) encrypted with a key this PC does not hold: it is
    #: restored with its station's recovery key (``restore_offered(offer, recovery_text)``)
    foreign: BackupInfo | None = None


#: a recovery key that is valid but does not open the backup offered
WRONG_RECOVERY_KEY = ("This recovery key belongs to another station: it does not open the "
                      "backup {path}. Nothing was changed.")


def station_key(paths: DataPaths, seal: KeySeal | None = None) -> StoreKey | None:
    """The key this PC keeps for the station in ``paths`` (None: none, or a damaged entry)."""
    try:
        return (seal or default_key_seal(paths.root)).load()
    except KeySealBroken:
        return None


def recovery_offer(paths: DataPaths, problem: BackupProblem,
                   key: StoreKey | None = None) -> RecoveryOffer:
    """The newest backup this PC's key (``key``, else the sealed one) opens."""
    folder = read_settings(paths).folder
    foreign: list[store.Backup] = []

    def bad(backup: store.Backup, found: BackupProblem) -> None:
        if found.kind == "wrong_key" and not foreign:
            foreign.append(backup)

    good = store.newest_good(folder, bad, key=key or station_key(paths))
    return RecoveryOffer(paths, problem, _backup_info(good) if good else None,
                         _backup_info(foreign[0]) if foreign else None)


def _backup_info(b: store.Backup) -> BackupInfo:
    m = b.manifest
    return BackupInfo(b.path, m.created, m.kind, m.station_code, m.schema_revision,
                      m.database_bytes, m.attachments, m.attachment_bytes, m.key_id)


def local_time(moment: datetime, tz: tzinfo | None = None) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def offer_lines(offer: RecoveryOffer, tz: tzinfo | None = None) -> list[str]:
    """The explanation, one paragraph a line, in the current language."""
    lines = [tr("The station data cannot be opened: {problem}",
                problem=tr(offer.problem.template, **offer.problem.params))]
    if offer.backup is None and offer.foreign is not None:
        lines.append(tr("The newest backup, from {time} (station {station}), is encrypted with "
                        "a key this PC does not hold. Enter that station's recovery key (the "
                        "printed sheet) to restore it.",
                        time=local_time(offer.foreign.created_at, tz),
                        station=offer.foreign.station_code or "-"))
        return lines
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


def restore_offered(offer: RecoveryOffer, recovery_text: str | None = None) -> RestoreResult:
    """Restores the offered backup (the caller checked there is one); with ``recovery_text``,
    the backup of another key (``offer.foreign``) with that recovery key (``RecoveryKeyInvalid``
    when mistyped, a ``BackupProblem`` when it is another station's: nothing is replaced)."""
    if recovery_text is not None and offer.foreign is not None:
        return restore_file(offer.paths, offer.foreign.path,
                            recovery_key=StoreKey.from_recovery_text(recovery_text))
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


def needs_recovery_key(paths: DataPaths, path: Path, seal: KeySeal | None = None) -> bool:
    """True when the backup at ``path`` is encrypted with another key than this PC's (or this
    PC holds none): restoring it asks for its station's recovery key."""
    try:
        with store.open_candidate(path, station_key(paths, seal)):
            return False
    except BackupProblem as exc:
        return exc.kind == "wrong_key"


def restore_file(paths: DataPaths, path: Path, wait_s: float = 0, *,
                 recovery_key: StoreKey | None = None,
                 seal: KeySeal | None = None) -> RestoreResult:
    """Restores ``path`` into the station, holding the running lock so no window starts
    meanwhile. A window (another process) holding it is asked to close and waited for up to
    ``wait_s`` seconds; ``WindowRunning`` when it is still open. A backup of another key needs
    ``recovery_key`` (``StoreKey.from_recovery_text``); one that does not open it raises a
    ``BackupProblem`` (kind ``wrong_recovery_key``) before anything is replaced. The restored
    store's key is sealed on this PC (``seal``, default ``default_key_seal``)."""
    seal = seal or default_key_seal(paths.root)
    key = station_key(paths, seal)
    if recovery_key is not None:
        try:
            with store.open_candidate(path, recovery_key):
                pass
        except BackupProblem as exc:
            if exc.kind != "wrong_key":
                raise
            raise BackupProblem("wrong_recovery_key", WRONG_RECOVERY_KEY, path=path) from None
    lock = _take_running_lock(paths, wait_s)
    try:
        done = store.restore(path, paths.database, read_settings(paths).folder,
                             paths.attachments, key=key, backup_key=recovery_key)
        if done.key is not None and (key is None or done.key.key_id != key.key_id):
            seal.save(done.key)
            log.info("restored a backup of key %s: sealed on this PC", done.key.key_id)
        return done
    finally:
        lock.release()


__all__ = ["CLOSE_REQUEST", "EXIT_DAMAGED", "RUNNING_LOCK", "RecoveryOffer", "RestoreResult",
           "WRONG_RECOVERY_KEY", "WindowRunning", "clear_close_request", "close_requested",
           "hold_window_lock", "needs_recovery_key", "offer_lines", "recovery_offer",
           "request_window_close", "restore_file", "restore_offered",
           "set_aside_if_nothing_to_lose", "station_key"]
