"""BackupService, what the settings page calls: back up now (clerk and manager; the
technician is refused), the last backup, the daily rule (none in a day, or none since today's
hour), no backup while a sync runs, the folder and hour checked and kept in backup.json; and a
zero-length database with nothing to lose starts afresh instead of blocking the station."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.bootstrap import DatabaseDamaged, open_services
from app.domain.errors import RuleViolation
from app.services.backups import BackupService, read_settings
from app.services.errors import PermissionDenied
from app.store import backups as store

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_back_up_now_and_the_last_backup(services, station) -> None:
    assert services.backups.last_backup() is None
    made = services.backups.backup_now(station["clerk"])
    assert made.kind == "manual" and made.station_code == "BJ001"
    assert services.backups.last_backup() == made
    assert [b.path for b in services.backups.backups()] == [made.path]
    with pytest.raises(PermissionDenied):
        services.backups.backup_now(station["tech"])
    assert len(services.backups.backups()) == 1


def test_no_backup_while_a_sync_runs(services, station) -> None:
    lock = services.backups.sync_lock
    assert lock is services.sync._running  # the sync's own run lock
    with lock:
        with pytest.raises(RuleViolation):
            services.backups.backup_now(station["manager"])
        assert services.backups.run_daily() is None
    assert services.backups.backups() == []
    assert services.backups.run_daily() is not None


def test_the_daily_rule(services, station) -> None:
    now = {"t": datetime(2026, 6, 1, 1, 0, tzinfo=UTC)}  # 09:00 in Shanghai
    svc = BackupService(services.paths, clock=lambda: now["t"], tz=SHANGHAI,
                        key=services.db.key)
    svc.configure(station["manager"], "", 12)
    assert svc.daily_due()  # none yet
    assert svc.run_daily() is not None
    now["t"] += timedelta(hours=2)  # 11:00: made today, the hour not yet come
    assert not svc.daily_due() and svc.run_daily() is None
    now["t"] += timedelta(hours=2)  # 13:00: the hour came after the last backup
    assert svc.daily_due()
    svc.run_daily()
    now["t"] += timedelta(hours=8)  # 21:00: made after today's hour
    assert not svc.daily_due()
    now["t"] += timedelta(hours=16)  # 13:00 the next day
    assert svc.daily_due()
    assert [b.kind for b in svc.backups()] == ["daily", "daily"]


def test_configure_checks_and_keeps_the_folder_and_hour(services, station,
                                                       tmp_path: Path) -> None:
    boss = station["manager"]
    with pytest.raises(PermissionDenied):
        services.backups.configure(station["clerk"], "", 3)
    for hour in (-1, 24, 1.5, True):
        with pytest.raises(RuleViolation) as err:
            services.backups.configure(boss, "", hour)  # type: ignore[arg-type]
        assert err.value.field == "hour"
    with pytest.raises(RuleViolation) as err:
        services.backups.configure(boss, "relative/dir", 3)
    assert err.value.field == "folder"
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(RuleViolation) as err:
        services.backups.configure(boss, str(blocker / "sub"), 3)
    assert err.value.field == "folder"
    assert read_settings(services.paths).hour == 12  # nothing stored by a refusal
    elsewhere = tmp_path / "备份盘"
    settings = services.backups.configure(boss, f"  {elsewhere}  ", 3)
    assert settings.folder == elsewhere and settings.hour == 3
    made = services.backups.backup_now(boss)
    assert made.path.parent == elsewhere
    assert read_settings(services.paths) == settings


def test_an_empty_database_with_nothing_to_lose_starts_afresh(tmp_path: Path) -> None:
    root = tmp_path / "st"
    open_services(root).close()
    database = root / "station.sqlite3"
    database.write_bytes(b"")
    for side in ("-wal", "-shm"):
        Path(str(database) + side).unlink(missing_ok=True)
    fresh = open_services(root)
    try:
        assert fresh.users.needs_setup()
    finally:
        fresh.close()
    assert list((root / "backups").glob("replaced-*.sqlite3"))


def test_an_empty_database_with_a_backup_is_offered_the_backup(tmp_path: Path) -> None:
    root = tmp_path / "st"
    services = open_services(root)
    store.make_backup(services.paths.database, services.paths.backups, None, "daily",
                      key=services.db.key)
    services.close()
    (root / "station.sqlite3").write_bytes(b"")
    for side in ("-wal", "-shm"):
        Path(str(root / "station.sqlite3") + side).unlink(missing_ok=True)
    with pytest.raises(DatabaseDamaged) as err:
        open_services(root)
    assert err.value.problem.kind == "empty"
