"""The station's backups as the window and the settings page see them.

``BackupService.backup_now(actor)`` (clerk and manager), ``run_daily()`` (the automatic one:
on start and then at most once a day, at or after the configured hour), ``backups()``,
``last_backup()``, ``settings()`` and ``configure(actor, folder, hour)`` (manager). Restoring
is not here: it needs the window closed, so it is ``repair-station restore`` or the start-up
recovery dialog (``app.store.backups.restore``). Every backup is encrypted with the store's key
(``key``, the one ``Database.key`` holds), its manifest naming it by ``key_id``.

Where and when live in ``backup.json`` in the data folder (``{"folder": "", "hour": 12}``;
an empty folder means the data folder's ``backups/``): not in the database, because the
start-up must find the backups when the database is damaged, and not in the window's
``settings.json``, which only the GUI thread writes. No backup runs while a sync does (the
sync's own lock is taken for the backup's length), so a backup never holds half a sync's
bookkeeping, and none runs while a migration does (migrations run before any service exists).
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from pathlib import Path

from app.domain.errors import RuleViolation
from app.domain.permissions import Permission
from app.paths import DataPaths
from app.services.context import Actor
from app.store import backups as store
from app.store.base import utcnow
from app.store.store_key import StoreKey

log = logging.getLogger(__name__)

SETTINGS_FILE = "backup.json"
DEFAULT_HOUR = 12


@dataclass(frozen=True)
class BackupSettings:
    folder: Path  # where backups go (resolved)
    custom_folder: str  # what was configured ("" = the data folder's backups/)
    hour: int  # local hour of the day from which the daily backup is due (0-23)


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: datetime  # UTC
    kind: str  # daily | manual | before-migration | before-restore
    station_code: str
    schema_revision: str | None
    database_bytes: int
    attachments: int
    attachment_bytes: int
    key_id: str | None = None  # the key it is encrypted with (None: a plain backup)


def read_settings(paths: DataPaths) -> BackupSettings:
    """The backup folder and hour of the station in ``paths`` (defaults when unset/unreadable)."""
    try:
        data = json.loads((paths.root / SETTINGS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    data = data if isinstance(data, dict) else {}
    custom = data.get("folder") if isinstance(data.get("folder"), str) else ""
    hour = data.get("hour")
    hour = hour if isinstance(hour, int) and 0 <= hour <= 23 else DEFAULT_HOUR
    folder = Path(custom) if custom else paths.backups
    return BackupSettings(folder, custom, hour)


def _info(backup: store.Backup) -> BackupInfo:
    m = backup.manifest
    return BackupInfo(backup.path, m.created, m.kind, m.station_code, m.schema_revision,
                      m.database_bytes, m.attachments, m.attachment_bytes, m.key_id)


class BackupService:
    def __init__(self, paths: DataPaths, sync_lock: threading.Lock | None = None,
                 clock: Callable[[], datetime] = utcnow, tz: tzinfo | None = None,
                 key: StoreKey | None = None) -> None:
        self.paths = paths
        #: the store's key: every backup is encrypted with it (None: a plain store)
        self.key = key
        #: the sync's run lock: held for a backup's length (no backup during a sync)
        self.sync_lock = sync_lock or threading.Lock()
        self.clock = clock
        self.tz = tz

    # -- reading ----------------------------------------------------------------------------
    def settings(self) -> BackupSettings:
        return read_settings(self.paths)

    def backups(self) -> list[BackupInfo]:
        """Every backup in the folder, newest first."""
        return [_info(b) for b in store.list_backups(self.settings().folder)]

    def last_backup(self) -> BackupInfo | None:
        """The newest backup of any kind (what the settings page shows)."""
        found = store.list_backups(self.settings().folder)
        return _info(found[0]) if found else None

    def daily_due(self, now: datetime | None = None) -> bool:
        """Due when no daily/manual backup is younger than a day, or none was made since
        today's backup hour came (local time)."""
        now = now or self.clock()
        settings = self.settings()
        ordinary = [b for b in store.list_backups(settings.folder)
                    if b.manifest.kind in store.ORDINARY]
        if not ordinary:
            return True
        newest = ordinary[0].manifest.created
        if now - newest >= timedelta(days=1):
            return True
        local = now.astimezone(self.tz)
        hour_today = datetime.combine(local.date(), time(settings.hour), local.tzinfo)
        return local >= hour_today > newest.astimezone(local.tzinfo)

    # -- writing ----------------------------------------------------------------------------
    def backup_now(self, actor: Actor) -> BackupInfo:
        """A manual backup now (then the retention rule is applied)."""
        actor.require(Permission.BACKUP_MAKE)
        made = self._make("manual")
        if made is None:
            raise RuleViolation("A sync is running; try the backup again when it has finished.")
        return made

    def run_daily(self) -> BackupInfo | None:
        """The automatic backup when it is due and no sync runs; None when nothing was done."""
        if not self.daily_due():
            return None
        return self._make("daily")

    def _make(self, kind: str) -> BackupInfo | None:
        if not self.sync_lock.acquire(blocking=False):
            return None
        try:
            folder = self.settings().folder
            backup = store.make_backup(self.paths.database, folder, self.paths.attachments,
                                       kind, self.clock(), key=self.key)
            store.prune(folder, self.clock())
        finally:
            self.sync_lock.release()
        log.info("backup %s made in %s", kind, backup.path)
        return _info(backup)

    def configure(self, actor: Actor, folder: str, hour: int) -> BackupSettings:
        """Sets the backup folder ("" = the data folder's ``backups/``) and the daily hour."""
        actor.require(Permission.BACKUP_SETTINGS)
        if isinstance(hour, bool) or not isinstance(hour, int) or not 0 <= hour <= 23:
            raise RuleViolation("The backup hour must be a whole hour from 0 to 23.",
                                field="hour")
        folder = folder.strip()
        if folder:
            target = Path(folder)
            if not target.is_absolute():
                raise RuleViolation("The backup folder must be a full path (for example "
                                    "D:\\备份).", field="folder")
            try:
                target.mkdir(parents=True, exist_ok=True)
                probe = target / ".write-test"
                probe.write_bytes(b"")
                probe.unlink()
            except OSError as exc:
                raise RuleViolation("The backup folder {folder} cannot be written: {error}",
                                    field="folder", folder=folder, error=str(exc)) from None
        path = self.paths.root / SETTINGS_FILE
        partial = path.with_suffix(".tmp")
        partial.write_text(json.dumps({"folder": folder, "hour": hour}, ensure_ascii=False),
                           encoding="utf-8")
        os.replace(partial, path)
        return self.settings()


__all__ = ["BackupInfo", "BackupService", "BackupSettings", "read_settings"]
