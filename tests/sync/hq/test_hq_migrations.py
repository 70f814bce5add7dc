"""Head office's schema migrations, on SQLite and PostgreSQL: an empty database upgraded is the
models exactly (``compare_metadata`` finds nothing; the reflected schema equals create_all's);
a database made by create_all before migrations (every deployed head office) is recognised
and stamped without losing a row; an older one gains what it lacks; a newer or foreign one is
refused untouched; the server and every command refuse a database behind until ``migrate``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text

from sync.hq import migrations
from sync.hq.__main__ import main
from sync.hq.admin import DispatchInput, HqAdmin
from sync.hq.db import HqDatabase
from sync.hq.models import HqBase, HqConflict, HqMeta, HqNotice, HqOrder, HqStation
from tests.pg_databases import BACKENDS, fresh_database


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of its own on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'hq.sqlite3'}"
        return
    with fresh_database("rs_hqmig") as pg:
        assert pg is not None
        yield pg


def _schema(engine: Engine) -> dict[str, Any]:
    """Everything reflection sees of head office's tables (column order aside)."""
    found = inspect(engine)
    out: dict[str, Any] = {}
    for table in sorted(found.get_table_names()):
        if table == migrations.VERSION_TABLE:
            continue
        out[table] = {
            "columns": sorted((c["name"], str(c["type"]), c["nullable"], str(c.get("default")))
                              for c in found.get_columns(table)),
            "pk": (found.get_pk_constraint(table)["name"],
                   found.get_pk_constraint(table)["constrained_columns"]),
            "fks": sorted((f["name"], tuple(f["constrained_columns"]), f["referred_table"],
                           tuple(f["referred_columns"])) for f in found.get_foreign_keys(table)),
            "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                              for i in found.get_indexes(table)),
            "uniques": sorted((u["name"], tuple(u["column_names"]))
                              for u in found.get_unique_constraints(table)),
        }
    return out


def _create_all_schema(url: str) -> dict[str, Any]:
    """The schema as ``HqBase.metadata.create_all`` makes it, in a scratch database."""
    db = HqDatabase.open(url, create=False)
    try:
        HqBase.metadata.create_all(db.engine)
        return _schema(db.engine)
    finally:
        HqBase.metadata.drop_all(db.engine)
        db.dispose()


def _legacy(url: str) -> HqDatabase:
    """A head office as deployed before migrations: create_all's tables and counters."""
    db = HqDatabase.open(url, create=False)
    HqBase.metadata.create_all(db.engine)
    db._seed()
    return db


def _revision(db: HqDatabase) -> str | None:
    with db.engine.connect() as conn:
        return migrations.current_revision(conn)


def _state(db: HqDatabase) -> str:
    with db.engine.connect() as conn:
        return migrations.state(conn)


def test_schema_head_is_alembic_head() -> None:
    assert migrations.head_revision() == migrations.SCHEMA_HEAD


def test_an_empty_database_upgraded_is_the_models_exactly(url: str) -> None:
    expected = _create_all_schema(url)
    db = HqDatabase.open(url)  # an empty database: the migrations create the schema
    try:
        assert _revision(db) == migrations.SCHEMA_HEAD
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(
                conn, opts={"compare_type": True, "version_table": migrations.VERSION_TABLE}),
                HqBase.metadata)
        assert diff == []
        assert _schema(db.engine) == expected
        with db.read() as s:
            keys = set(s.scalars(select(HqMeta.key)))
        assert {"last_hq_seq", "pruned_through", "hq_id"} <= keys
    finally:
        db.dispose()


def test_a_create_all_head_office_is_recognised_and_stamped_without_loss(
        url: str, capsys: pytest.CaptureFixture[str]) -> None:
    db = _legacy(url)
    admin = HqAdmin(db)
    token = admin.add_station("BJ001", "北京海淀维修站")
    sent = admin.dispatch("BJ001", [DispatchInput("张三", "13800138000", "北京市海淀区1号",
                                                  "不制冷", "repair", "on_site", "", "", "",
                                                  12, "")])
    admin.notice("停电通知", "周六停电")
    with db.read() as s:
        before = {t.name: s.execute(select(t)).all() for t in HqBase.metadata.sorted_tables}
    assert _state(db) == "unstamped"

    # not used as it is: the server and every command say to migrate first
    with pytest.raises(migrations.HqSchemaBehind):
        HqDatabase.open(url)
    assert main(["--lang", "en", "--db", url, "stations"]) == 1
    err = capsys.readouterr().err
    assert "migrate" in err and migrations.SCHEMA_HEAD in err
    assert main(["--lang", "zh_CN", "--db", url, "stations"]) == 1
    assert "运行迁移" in capsys.readouterr().err

    assert main(["--lang", "en", "--db", url, "migrate"]) == 0
    assert "recognised" in capsys.readouterr().out
    assert _revision(db) == migrations.SCHEMA_HEAD
    with db.read() as s:
        after = {t.name: s.execute(select(t)).all() for t in HqBase.metadata.sorted_tables}
        assert s.scalar(select(HqStation.code)) == "BJ001"
        assert s.scalar(select(HqOrder.number)) == sent[0].number
        assert s.scalar(select(HqNotice.title)) == "停电通知"
    assert after == before
    db.dispose()
    assert _schema(HqDatabase.open(url).engine) == _create_all_schema_beside(url)
    assert main(["--lang", "en", "--db", url, "migrate"]) == 0
    assert "nothing to do" in capsys.readouterr().out
    # the station keeps its token
    reopened = HqDatabase.open(url)
    try:
        from sync.hq.auth import token_hash

        with reopened.read() as s:
            assert s.scalar(select(HqStation.token_hash)) == token_hash(token)
    finally:
        reopened.dispose()


def _create_all_schema_beside(url: str) -> dict[str, Any]:
    """create_all's schema, made in a second scratch database of the same backend."""
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        return _create_all_schema(f"sqlite:///{path.with_name('scratch.sqlite3')}")
    with fresh_database("rs_hqmig") as pg:
        assert pg is not None
        return _create_all_schema(pg)


def test_an_older_head_office_gains_the_tables_and_the_clash_it_lacks(url: str) -> None:
    db = _legacy(url)
    station_id = None
    with db.write() as s:
        s.add(HqStation(code="BJ001", name="站", token_hash="x" * 64))
        s.flush()
        station_id = s.scalar(select(HqStation.id))
    stamp = "DATETIME" if db.is_sqlite else "TIMESTAMP WITHOUT TIME ZONE"
    key = "INTEGER" if db.is_sqlite else "BIGINT"  # the models' int on each backend
    with db.engine.begin() as conn:
        # tables added later, and conflicts from before one record per clash
        for name in ("hq_conflict_settlements", "hq_claim_decisions", "hq_claim_batches",
                     "hq_parts", "hq_warranty_policies", "hq_conflicts"):
            conn.execute(text(f"DROP TABLE {name}"))
        conn.execute(text(
            f"CREATE TABLE hq_conflicts (id VARCHAR(36) NOT NULL, station_id {key} NOT NULL, "
            "kind VARCHAR(32) NOT NULL, subject_entity VARCHAR(32) NOT NULL, subject_id "
            "VARCHAR(36) NOT NULL, detail TEXT NOT NULL, found_by VARCHAR(8) NOT NULL, "
            f"resolved BOOLEAN NOT NULL, created_at {stamp} NOT NULL, "
            "CONSTRAINT pk_hq_conflicts PRIMARY KEY (id), "
            "CONSTRAINT uq_hq_conflicts_station_id UNIQUE (station_id, kind, subject_id), "
            "CONSTRAINT fk_hq_conflicts_station_id_hq_stations FOREIGN KEY(station_id) "
            "REFERENCES hq_stations (id))"))
        conn.execute(text(
            "INSERT INTO hq_conflicts VALUES ('c1', :st, 'stale_hq_edit', 'service_order', "
            "'o1', 'old one', 'station', false, '2026-06-01 02:00:00')"), {"st": station_id})
    db.create_all()  # what ``migrate`` does
    assert _revision(db) == migrations.SCHEMA_HEAD
    found = inspect(db.engine)
    assert {"hq_conflict_settlements", "hq_claim_batches", "hq_parts"} <= set(
        found.get_table_names())
    with db.read() as s:
        assert [(c.id, c.clash, c.detail) for c in s.scalars(select(HqConflict))] == [
            ("c1", 0, "old one")]
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(
            conn, opts={"compare_type": True, "version_table": migrations.VERSION_TABLE}),
            HqBase.metadata)
    # the rebuilt (SQLite) or altered (PostgreSQL) conflicts table is the model's
    assert diff == []
    assert _schema(db.engine) == _create_all_schema_beside(url)
    db.dispose()


def test_a_newer_database_is_refused_untouched(url: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    HqDatabase.open(url).dispose()
    db = HqDatabase.open(url, create=False)
    with db.engine.begin() as conn:
        conn.execute(text(f"UPDATE {migrations.VERSION_TABLE} SET version_num = '9999'"))
    schema = _schema(db.engine)
    with pytest.raises(migrations.HqSchemaTooNew):
        HqDatabase.open(url)
    assert main(["--lang", "en", "--db", url, "migrate"]) == 1
    assert "newer than this program" in capsys.readouterr().err
    assert main(["--lang", "zh_CN", "--db", url, "stations"]) == 1
    assert "比本程序更新" in capsys.readouterr().err
    assert _revision(db) == "9999" and _schema(db.engine) == schema
    db.dispose()


def test_a_foreign_table_of_the_same_name_is_refused_untouched(url: str) -> None:
    db = HqDatabase.open(url, create=False)
    with db.engine.begin() as conn:
        conn.execute(text("CREATE TABLE hq_stations (id INTEGER PRIMARY KEY, label TEXT)"))
    with pytest.raises(migrations.HqSchemaUnknown) as refused:
        db.create_all()
    assert "hq_stations" in str(refused.value) and "code" in str(refused.value)
    assert set(inspect(db.engine).get_table_names()) == {"hq_stations"}  # rolled back whole
    db.dispose()


def test_head_office_keeps_its_own_version_table(url: str) -> None:
    db = HqDatabase.open(url, create=False)
    with db.engine.begin() as conn:  # a station's stamp in the same database
        conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
        conn.execute(text("INSERT INTO alembic_version VALUES ('0009')"))
    db.create_all()
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0009"
        assert migrations.current_revision(conn) == migrations.SCHEMA_HEAD
    db.dispose()


def test_serve_refuses_a_database_behind_before_listening(
        url: str, capsys: pytest.CaptureFixture[str]) -> None:
    _legacy(url).dispose()
    assert main(["--lang", "en", "serve", "--db", url, "--port", "1"]) == 1
    assert "repair-station-hq --db URL migrate" in capsys.readouterr().err


def test_two_starts_at_once_create_the_schema_once(url: str) -> None:
    """Two commands (or server workers) opening a new database at the same moment: the
    migration lock makes one create the schema and the other find it there."""
    import threading

    opened: list[HqDatabase] = []
    failed: list[BaseException] = []
    start = threading.Barrier(2)

    def open_it() -> None:
        start.wait()
        try:
            opened.append(HqDatabase.open(url))
        except BaseException as exc:
            failed.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert failed == [] and len(opened) == 2
    with opened[0].read() as s:
        assert len(list(s.scalars(select(HqMeta.key).where(HqMeta.key == "hq_id")))) == 1
    assert _revision(opened[0]) == migrations.SCHEMA_HEAD
    for db in opened:
        db.dispose()


def test_database_errors_never_carry_the_values(tmp_path) -> None:
    """A failed statement's error text names no parameter (a customer's name or phone would
    reach the operator's log)."""
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    from sync.hq.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'hq.sqlite3'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (name TEXT UNIQUE)"))
        conn.execute(text("INSERT INTO t VALUES (:n)"), {"n": "张三 13912345678"})
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (:n)"), {"n": "张三 13912345678"})
    except IntegrityError as exc:
        assert "13912345678" not in str(exc) and "张三" not in str(exc)
    else:
        raise AssertionError("the duplicate was stored")
    finally:
        engine.dispose()
