"""Backups of the station (issue 13 item 2): made through the online API while writes go on,
listed newest first, kept by the retention rule, checked before a restore, restored exactly
(photos too), the replaced database kept aside; each kind of damage found at start-up."""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.bootstrap import DatabaseDamaged, open_services
from app.domain.enums import OrderSource, OrderType, ServiceMode
from app.services.customers import CustomerInput
from app.services.orders import NewOrder
from app.store import backups as store
from app.store.backup_checks import BackupProblem, check_candidate, health_check
from app.store.models import OutboxOp, ServiceOrder
from tests.station_files import station_connect


def _order(services, actor, i: int):  # type: ignore[no-untyped-def]
    phone = f"139{i:08d}"
    return services.orders.create(actor, NewOrder(
        OrderType.REPAIR, OrderSource.PHONE, ServiceMode.ON_SITE, f"不制冷 {i}", phone,
        customer=CustomerInput(f"客户{i}", (phone,), "北京")))


def _photo(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (32, 24), "#a37").save(path, "JPEG")
    return path


def _rows(db: Path) -> dict[str, list[tuple]]:
    conn = station_connect(db)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
                for t in ("service_orders", "customers", "attachments", "audit_log")}
    finally:
        conn.close()


# -- retention ------------------------------------------------------------------------------------


def test_retention_keeps_14_newest_one_per_month_for_a_year_and_recent_special_ones() -> None:
    now = datetime(2026, 12, 31, 12, tzinfo=UTC)
    daily = [(now - timedelta(days=d), "daily") for d in range(400)]
    special = [(now - timedelta(days=10), "before-migration"),
               (now - timedelta(days=200), "before-migration"),
               (now - timedelta(days=300), "before-restore"),
               (now - timedelta(days=400), "before-restore")]
    entries = daily + special
    keep = {entries[i] for i in store.retained(entries, now)}
    newest14 = set(daily[:14])
    assert newest14 <= keep
    # the newest of each of the last 12 calendar months (December 2026 back to January 2026)
    months = {(e[0].year, e[0].month) for e in keep if e[1] == "daily"}
    assert months == {(2026, m) for m in range(1, 13)}
    for year, month in months - {(2026, 12)}:
        newest = max(d for d, _ in daily if (d.year, d.month) == (year, month))
        assert (newest, "daily") in keep
    assert len([e for e in keep if e[1] == "daily"]) == 14 + 11
    # before-migration: the one within 90 days; before-restore: only the newest (older than 90)
    assert special[0] in keep and special[1] not in keep
    assert special[2] in keep and special[3] not in keep


def test_prune_deletes_what_the_rule_drops(tmp_path: Path, services, station) -> None:
    start = datetime(2026, 1, 1, 3, tzinfo=UTC)
    folder = tmp_path / "b"
    for d in range(20):
        store.make_backup(services.paths.database, folder, services.paths.attachments, "daily",
                          start + timedelta(days=d), key=services.db.key)
    store.make_backup(services.paths.database, folder, None, "before-migration", start,
                      key=services.db.key)
    gone = store.prune(folder, start + timedelta(days=20))
    left = store.list_backups(folder)
    assert len(gone) == 6 and all(not p.exists() for p in gone)
    created = [b.manifest.created for b in left]
    assert created == sorted(created, reverse=True)
    daily = [b.manifest.created for b in left if b.manifest.kind == "daily"]
    assert len(daily) == 14 and min(daily) == start + timedelta(days=6)
    assert [b.manifest.kind for b in left].count("before-migration") == 1


# -- making and restoring ---------------------------------------------------------------------------


def test_backup_has_manifest_photos_and_passes_integrity_check(services, station,
                                                                tmp_path: Path) -> None:
    order = _order(services, station["clerk"], 1)
    services.orders.attach_photo(station["clerk"], order.id, _photo(tmp_path / "p.jpg"))
    made = services.backups.backup_now(station["clerk"])
    backup = store.list_backups(services.paths.backups)[0]
    assert backup.path == made.path and made.kind == "manual"
    m = backup.manifest
    assert m.station_code == "BJ001" and m.schema_revision is not None
    assert m.attachments == 1 and m.outbox_seq > 0 and m.database_bytes > 0
    assert m.key_id == services.db.key.key_id
    check_candidate(backup.database, services.db.key)
    (photo,) = list((backup.path / "attachments").glob("*/*"))
    live = services.paths.attachments / photo.relative_to(backup.path / "attachments")
    assert photo.read_bytes() == live.read_bytes()
    assert services.backups.last_backup().path == made.path
    # the next backup links the unchanged photo instead of copying it
    second = store.make_backup(services.paths.database, services.paths.backups,
                               services.paths.attachments, "daily", key=services.db.key)
    again = second.path / photo.relative_to(backup.path)
    assert os.stat(again).st_ino == os.stat(photo).st_ino


def test_backup_during_writes_restores_to_a_consistent_state(services, station) -> None:
    stop = threading.Event()
    made: list[int] = []

    def write() -> None:
        i = 100
        while not stop.is_set():
            _order(services, station["clerk"], i)
            made.append(i)
            i += 1

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while len(made) < 5:
            pass
        backups = [store.make_backup(services.paths.database, services.paths.backups,
                                     services.paths.attachments, "manual", key=services.db.key)
                   for _ in range(3)]
    finally:
        stop.set()
        writer.join()
    for backup in backups:
        conn = station_connect(backup.database)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
            orders = set(conn.execute("SELECT id FROM service_orders").fetchall())
            ops = set(conn.execute("SELECT entity_id FROM outbox WHERE entity = "
                                   "'service_order'").fetchall())
            assert orders == ops  # each order whole with its outbox row, or not at all
            seq = conn.execute("SELECT max(seq) FROM outbox").fetchone()[0]
            assert backup.manifest.outbox_seq >= seq
        finally:
            conn.close()


def test_restore_gives_back_exactly_the_backup_and_keeps_the_replaced_db(
        services, station, tmp_path: Path, clock) -> None:
    order = _order(services, station["clerk"], 1)
    services.orders.attach_photo(station["clerk"], order.id, _photo(tmp_path / "p.jpg"))
    backup = store.make_backup(services.paths.database, services.paths.backups,
                               services.paths.attachments, "manual", key=services.db.key)
    expected = _rows(backup.database)
    _order(services, station["clerk"], 2)
    paths, key = services.paths, services.db.key
    services.close()
    with station_connect(paths.database) as conn:
        before = conn.execute("SELECT count(*) FROM service_orders").fetchone()[0]
        last_seq = conn.execute("SELECT max(seq) FROM outbox").fetchone()[0]
    import shutil
    shutil.rmtree(paths.attachments)
    done = store.restore(backup.path, paths.database, paths.backups, paths.attachments,
                         key=key)
    assert done.key == key
    assert _rows(paths.database) == expected
    assert done.attachments_added == 1 and any(paths.attachments.glob("*/*"))
    assert done.replaced is not None and done.replaced.name.startswith("replaced-")
    with station_connect(done.replaced) as conn:  # the replaced database, whole, aside
        assert conn.execute("SELECT count(*) FROM service_orders").fetchone()[0] == before
    assert not Path(str(paths.database) + "-wal").exists() or \
        Path(str(paths.database) + "-wal").stat().st_size == 0
    assert done.before_restore is not None and done.before_restore.manifest.kind == \
        "before-restore"
    assert done.outbox_seq_floor == last_seq
    reopened = open_services(paths.root, clock=clock)
    try:
        with reopened.db.read() as s:
            assert s.scalar(select(func.count()).select_from(ServiceOrder)) == 1
        new = _order(reopened, reopened.users.login("clerk", "correct-horse"), 3)
        with reopened.db.read() as s:
            seq = s.scalar(select(OutboxOp.seq).where(OutboxOp.entity_id == new.id,
                                                      OutboxOp.entity == "service_order"))
        assert seq > last_seq  # never a number the replaced database already used
        # the day's order number is not issued again either
        assert new.number.endswith("0003")
    finally:
        reopened.close()
    assert [b.manifest.kind for b in store.list_backups(paths.backups)].count(
        "before-restore") == 1


def test_a_zip_from_backup_to_restores_too(services, station, tmp_path: Path) -> None:
    order = _order(services, station["clerk"], 1)
    services.orders.attach_photo(station["clerk"], order.id, _photo(tmp_path / "p.jpg"))
    backup = store.make_backup(services.paths.database, services.paths.backups,
                               services.paths.attachments, "manual", key=services.db.key)
    archive = store.export_zip(backup, tmp_path / "out" / "station.zip")
    expected = _rows(backup.database)
    paths, key = services.paths, services.db.key
    services.close()
    paths.database.unlink()
    done = store.restore(archive, paths.database, paths.backups, paths.attachments, key=key)
    assert done.replaced is None and done.before_restore is None
    assert _rows(paths.database) == expected


def test_a_newer_schema_backup_is_refused(services, station, tmp_path: Path) -> None:
    backup = store.make_backup(services.paths.database, services.paths.backups,
                               services.paths.attachments, "manual", key=services.db.key)
    with station_connect(backup.database) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    before = services.paths.database.read_bytes()
    with pytest.raises(BackupProblem) as err:
        store.restore(backup.path, services.paths.database, services.paths.backups,
                      services.paths.attachments, key=services.db.key)
    assert err.value.kind == "too_new"
    assert services.paths.database.read_bytes() == before


def test_not_a_station_database_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    with station_connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(BackupProblem) as err:
        check_candidate(other)
    assert err.value.kind == "not_station"


def test_a_half_made_backup_is_never_listed(services, station) -> None:
    folder = services.paths.backups
    (folder / ".tmp-20260101T000000000000Z-daily").mkdir(parents=True)
    (folder / "20260101T000000000000Z-daily").mkdir()  # no manifest: not complete
    assert store.list_backups(folder) == []
    store.make_backup(services.paths.database, folder, None, "daily", key=services.db.key)
    assert not any(folder.glob(".tmp-*"))
    assert len(store.list_backups(folder)) == 1


# -- damage found at start-up ---------------------------------------------------------------------


def _damage(db: Path, kind: str) -> None:
    data = db.read_bytes()
    if kind == "empty":
        db.write_bytes(b"")
    elif kind == "not_sqlite":
        db.write_bytes("这不是数据库".encode() * 200)
    elif kind == "truncated":
        db.write_bytes(data[: len(data) // 2])
    elif kind == "random_page":
        page = int.from_bytes(data[16:18], "big") if data.startswith(b"SQLite") else 4096
        import random
        rnd = random.Random(7)
        blob = bytearray(data)
        for n in (2, 3, 5):  # b-tree pages of the schema's tables
            start = page * n
            blob[start:start + page] = bytes(rnd.randrange(256) for _ in range(page))
        db.write_bytes(bytes(blob))


@pytest.mark.parametrize("kind", ["empty", "not_sqlite", "truncated", "random_page"])
def test_each_kind_of_damage_is_found_at_start_up(services, station, kind: str) -> None:
    for i in range(30):
        _order(services, station["clerk"], i)
    services.backups.backup_now(station["clerk"])
    paths, key = services.paths, services.db.key
    services.close()
    with station_connect(paths.database) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _damage(paths.database, kind)
    found = health_check(paths.database, key)
    assert found is not None
    assert found.kind in {"empty": {"empty"}, "not_sqlite": {"not_sqlite"},
                          "truncated": {"truncated", "damaged"},
                          "random_page": {"damaged"}}[kind]
    with pytest.raises(DatabaseDamaged):
        open_services(paths.root)
    good = store.newest_good(paths.backups, key=key)
    assert good is not None and good.manifest.kind == "manual"


def test_a_restore_cut_off_before_its_rename_is_finished(services, station) -> None:
    backup = store.make_backup(services.paths.database, services.paths.backups, None, "manual",
                               key=services.db.key)
    paths, key = services.paths, services.db.key
    services.close()
    pending = paths.database.with_name(paths.database.name + ".restoring")
    pending.write_bytes(backup.database.read_bytes())
    paths.database.rename(paths.backups / "replaced-x.sqlite3")
    for side in ("-wal", "-shm"):
        Path(str(paths.database) + side).unlink(missing_ok=True)
    assert health_check(paths.database, key) is None
    assert paths.database.exists() and not pending.exists()


def test_a_large_database_has_its_core_tables_checked_at_start_up(services, station) -> None:
    """Above FULL_CHECK_BYTES the start-up checks the header and the core tables only (every
    page is checked each day by the daily backup); a damaged core table is still found."""
    paths, key = services.paths, services.db.key
    services.close()
    with station_connect(paths.database) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'users'").fetchone()
    assert health_check(paths.database, key, full_check_bytes=0) is None
    data = bytearray(paths.database.read_bytes())
    page = int.from_bytes(data[16:18], "big") if data.startswith(b"SQLite") else 4096
    start = (root[0] - 1) * page
    data[start:start + page] = b"\xa5" * page
    paths.database.write_bytes(bytes(data))
    found = health_check(paths.database, key, full_check_bytes=0)
    assert found is not None and found.kind == "damaged"
