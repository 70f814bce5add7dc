"""Head office keeps one conflict record per clash (issue 8, case 4), and a database from
before that rule is upgraded in place when head office starts."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, text

from sync.hq.apply import record_conflict
from sync.hq.db import HqDatabase
from sync.hq.models import HqConflict, HqStation

NOW = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)
ORDER = "5f0c1a52-8d7e-4c1b-9a55-0f6a1d2b3c4d"


def _station(db: HqDatabase) -> int:
    with db.write() as s:
        st = HqStation(code="BJ001", name="BJ001", token_hash="x" * 64, revoked=False)
        s.add(st)
        s.flush()
        return st.id


def test_two_clashes_on_one_order_are_two_records_and_each_once(hq_db: HqDatabase) -> None:
    station_id = _station(hq_db)
    with hq_db.write() as s:
        for clash in (41, 42, 41):
            record_conflict(s, station_id, "stale_hq_edit", "service_order", ORDER,
                            f"edit {clash}", "station", NOW, clash=clash)
    with hq_db.read() as s:
        assert sorted(s.scalars(select(HqConflict.clash))) == [41, 42]


def test_a_database_with_one_conflict_per_subject_is_upgraded(hq_db: HqDatabase) -> None:
    station_id = _station(hq_db)
    stamp = "TIMESTAMP WITH TIME ZONE" if not hq_db.is_sqlite else "DATETIME"
    with hq_db.engine.begin() as conn:
        # head office's settlements refer to the conflicts: the old schema had neither
        conn.execute(text("DROP TABLE IF EXISTS hq_conflict_settlements"))
        # a database that old was made by create_all, before head office had migrations
        conn.execute(text("DROP TABLE hq_alembic_version"))
        conn.execute(text("DROP TABLE hq_conflicts"))
        conn.execute(text(
            "CREATE TABLE hq_conflicts (id VARCHAR(36) NOT NULL, station_id INTEGER NOT NULL "
            "REFERENCES hq_stations (id), kind VARCHAR(32) NOT NULL, subject_entity VARCHAR(32) "
            "NOT NULL, subject_id VARCHAR(36) NOT NULL, detail TEXT NOT NULL, found_by "
            f"VARCHAR(8) NOT NULL, resolved BOOLEAN NOT NULL, created_at {stamp} NOT NULL, "
            "CONSTRAINT pk_hq_conflicts PRIMARY KEY (id), "
            "CONSTRAINT uq_hq_conflicts_station_id UNIQUE (station_id, kind, subject_id))"))
        conn.execute(text(
            "INSERT INTO hq_conflicts VALUES ('c1', :st, 'stale_hq_edit', 'service_order', "
            ":order, 'old one', 'station', false, :now)"),
            {"st": station_id, "order": ORDER, "now": NOW})
    hq_db.create_all()
    hq_db.create_all()  # a second start changes nothing
    with hq_db.write() as s:
        assert record_conflict(s, station_id, "stale_hq_edit", "service_order", ORDER,
                               "a later edit", "station", NOW, clash=57)
    with hq_db.read() as s:
        rows = sorted((c.clash, c.detail) for c in s.scalars(select(HqConflict)))
    assert rows == [(0, "old one"), (57, "a later edit")]
