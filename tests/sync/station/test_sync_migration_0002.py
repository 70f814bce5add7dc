"""Migration 0002 (sync tables) upgrades a 0001 database holding data: backup first, data intact."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import text

from app.store import migrate
from app.store.database import Database
from tests.station_files import station_connect


def _make_0001(db_path: Path) -> None:
    db = Database.open(db_path)
    try:
        config = migrate._config()
        with db.engine.connect() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "0001")
            conn.commit()
        with db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO customers (id, name, address, notes, revision, created_at, "
                "updated_at) VALUES ('c1', '王五', '北京', '', 1, '2026-01-01 00:00:00', "
                "'2026-01-01 00:00:00')"))
            for i in range(3):
                conn.execute(text(
                    "INSERT INTO outbox (op_id, entity, entity_id, op, payload, base_revision, "
                    "action, username, schema_version, created_at) VALUES "
                    f"('op{i}', 'customer', 'c1', 'upsert', '{{}}', 0, 'create', 'boss', 1, "
                    "'2026-01-01 00:00:00')"))
    finally:
        db.dispose()


def test_upgrade_from_0001_backs_up_and_keeps_data(tmp_path: Path) -> None:
    db_path = tmp_path / "station.sqlite3"
    _make_0001(db_path)
    db = Database.open(db_path)
    try:
        assert migrate.current_revision(db.engine) == "0001"
        backup = migrate.upgrade(db.engine, db_path, tmp_path / "backups")
        assert migrate.current_revision(db.engine) == migrate.head_revision()
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT name FROM customers")).scalars().all() == ["王五"]
            assert conn.execute(text("SELECT seq FROM outbox ORDER BY seq")).scalars().all() == [
                1, 2, 3]
            tables = set(conn.execute(
                text("SELECT name FROM sqlite_master WHERE type='table'")).scalars())
            assert {"sync_registration", "sync_state", "sync_conflicts", "notices",
                    "hq_order_links"} <= tables
    finally:
        db.dispose()
    assert backup is not None
    old = station_connect(backup)
    try:
        assert old.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert old.execute("SELECT count(*) FROM outbox").fetchone() == (3,)
    finally:
        old.close()
