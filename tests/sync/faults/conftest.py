"""Fixtures of the fault suite: a live head office, a fault proxy in front, a station."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.sync.faults.harness import FaultProxy, LiveHq, StationRig, make_station

PG_ENV = "REPAIR_STATION_TEST_PG"
#: SQLite always; PostgreSQL too where CI provides a server (REPAIR_STATION_TEST_PG)
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get(PG_ENV) else [])


@pytest.fixture(scope="session")
def fault_pg_url() -> Iterator[str | None]:
    """A database of the fault suite's own on the configured PostgreSQL server."""
    base = os.environ.get(PG_ENV)
    if not base:
        yield None
        return
    name = f"rs_faults_{secrets.token_hex(6)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(base).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name})
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def any_hq(request: pytest.FixtureRequest, tmp_path: Path,
           fault_pg_url: str | None) -> Iterator[LiveHq]:
    """The live head office on each configured database backend."""
    url = fault_pg_url if request.param == "postgresql" else None
    hq = LiveHq(tmp_path / "hq.sqlite3", db_url=url).start()
    yield hq
    hq.stop()


@pytest.fixture
def live_hq(tmp_path: Path) -> Iterator[LiveHq]:
    hq = LiveHq(tmp_path / "hq.sqlite3").start()
    yield hq
    hq.stop()


@pytest.fixture
def proxy(live_hq: LiveHq) -> Iterator[FaultProxy]:
    proxy = FaultProxy(live_hq.port)
    yield proxy
    proxy.close()


@pytest.fixture
def rig(tmp_path: Path, live_hq: LiveHq, proxy: FaultProxy) -> Iterator[StationRig]:
    station = make_station(tmp_path / "st1", "BJ001", live_hq, proxy.url)
    yield station
    station.close()
