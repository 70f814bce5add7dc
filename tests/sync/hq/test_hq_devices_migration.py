"""Migration 0003 (several devices per station) on a head office that has stations: each
becomes its own device 1 with the station's token and high-water mark, its received ops are
device 1's, and the station's token keeps working (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from sync import protocol as p
from sync.hq import migrations
from sync.hq.api import create_app
from sync.hq.auth import token_hash
from sync.hq.db import HqDatabase
from sync.hq.models import HqDevice, HqReceivedOp
from tests.pg_databases import BACKENDS, fresh_database


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'hq.sqlite3'}"
        return
    with fresh_database("rs_hqdev") as pg:
        assert pg is not None
        yield pg


def test_every_station_becomes_its_own_device_1(url: str) -> None:
    db = HqDatabase.open(url, create=False)
    try:
        with db.engine.begin() as conn:
            command.upgrade(migrations.config(conn), "0002")
        with db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO hq_stations (code, name, token_hash, revoked, created_at, "
                "pulled_seq) VALUES ('BJ001', '站', :h, :no, '2026-06-01 02:00:00', 7)"),
                {"h": token_hash("old-token"), "no": False})
            sid = conn.execute(text("SELECT id FROM hq_stations")).scalar()
            conn.execute(text("INSERT INTO hq_high_water (station_id, high_water) "
                              "VALUES (:s, 12)"), {"s": sid})
            conn.execute(text(
                "INSERT INTO hq_received_ops (station_id, op_id, seq, entity, entity_id, op, "
                "action, username, station_time, status, reason, received_at) VALUES "
                "(:s, 'op-1', 12, 'customer', 'c1', 'upsert', '', '', '', 'applied', '', "
                "'2026-06-01 02:00:00')"), {"s": sid})
        db.create_all()
        with db.read() as s:
            (device,) = s.scalars(select(HqDevice)).all()
            assert (device.station_id, device.number, device.name, device.tag,
                    device.high_water, device.pulled_seq, device.revoked) == (
                sid, 1, "1号机", "", 12, 7, False)
            assert device.token_hash == token_hash("old-token")
            assert s.scalar(select(HqReceivedOp.device_id)) == device.id
        client = TestClient(create_app(db=db))
        r = client.get(p.DEVICE_PATH, headers=p.auth_headers("old-token"))
        assert r.status_code == 200 and r.json()["device"]["high_water"] == 12
    finally:
        db.dispose()
