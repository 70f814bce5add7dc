"""Migrations: an empty database, every previous version with data (backup first), and a
database from a newer program refused untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text

from app.bootstrap import open_services
from app.store import migrate
from app.store.database import make_engine
from app.store.migrate import DatabaseTooNew
from tests.station_files import station_connect


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(migrate._config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def test_empty_database_reaches_head_without_backup(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "new.sqlite3")
    assert migrate.upgrade(engine, tmp_path / "new.sqlite3", tmp_path / "backups") is None
    assert migrate.current_revision(engine) == migrate.head_revision()
    assert not (tmp_path / "backups").exists()
    engine.dispose()


@pytest.mark.parametrize("old", _revisions()[:-1] or ["base-only"])
def test_previous_version_with_data_is_backed_up_then_upgraded(tmp_path: Path, old: str) -> None:
    db_path = tmp_path / "old.sqlite3"
    engine = make_engine(db_path)
    if old == "base-only":
        # a single-revision history: the previous version of a 0001 database is itself
        migrate.upgrade(engine, None, None)
    else:
        config = migrate._config()
        with engine.connect() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, old)
            conn.commit()
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO station (id, code, name, address, phone, revision, created_at,"
            " updated_at) VALUES ('s1', 'BJ9', '老站', '', '', 1, '2025-01-01', '2025-01-01')"
        ))
    backup = migrate.upgrade(engine, db_path, tmp_path / "backups")
    if old != "base-only":
        assert backup is not None and Path(backup).exists()
        with station_connect(backup) as conn:
            assert conn.execute("select name from station").fetchone() == ("老站",)
    assert migrate.current_revision(engine) == migrate.head_revision()
    with engine.connect() as conn:
        assert conn.execute(text("select name from station")).scalar_one() == "老站"
    engine.dispose()


def test_newer_database_is_refused_and_untouched(tmp_path: Path) -> None:
    data = tmp_path / "station"
    open_services(data).close()
    db_file = data / "station.sqlite3"
    with station_connect(db_file) as conn:
        conn.execute("update alembic_version set version_num = '9999_future'")
    before = db_file.read_bytes()
    with pytest.raises(DatabaseTooNew) as err:
        open_services(data)
    assert "9999_future" in str(err.value)
    assert db_file.read_bytes() == before


def test_the_program_knows_its_newest_revision() -> None:
    assert migrate.SCHEMA_HEAD == migrate.head_revision() == _revisions()[-1]


def test_the_migrations_build_exactly_the_models(tmp_path: Path) -> None:
    """Nothing a model declares is missing from (or different in) the migrated schema."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from app.store.models import Base
    from app.store.models.search import is_fts_table

    def declared(obj, name, type_, reflected, compare_to) -> bool:
        # the FTS5 tables (and their shadow tables) are SQLite's, made by migration 0009
        return not (type_ == "table" and name and is_fts_table(name))

    engine = make_engine(tmp_path / "head.sqlite3")
    migrate.upgrade(engine, None, None)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": declared})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == []


def test_a_table_rebuild_keeps_its_children_rows(tmp_path: Path) -> None:
    """0012 rebuilds ``customers``: with foreign keys really off during the migration, the
    phones (ON DELETE CASCADE) survive the rebuild of their parent table."""
    from alembic import command

    engine = make_engine(tmp_path / "s.sqlite3")
    config = migrate._config()
    with engine.connect() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0011")
        conn.commit()
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO customers (id, revision, created_at, updated_at, name, address, notes) "
            "VALUES ('c1', 1, '2026-01-01', '2026-01-01', '老客户', '', '')")
        conn.exec_driver_sql("INSERT INTO customer_phones (customer_id, number, digits, "
                             "position) VALUES ('c1', '13800000000', '13800000000', 0)")
    migrate.upgrade(engine, None, None)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM customer_phones").scalar() == 1
        assert conn.exec_driver_sql("SELECT email, notify_opt_out FROM customers").one() == (
            "", 0)
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()
