"""Fixtures of the fault suite: a live head office, a fault proxy in front, a station."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pg_databases import BACKENDS, fresh_database
from tests.sync.faults.harness import FaultProxy, LiveHq, StationRig, make_station


@pytest.fixture(scope="session")
def fault_pg_url() -> Iterator[str | None]:
    """A database of its own for this test session on the configured PostgreSQL server."""
    with fresh_database("rs_faults") as url:
        yield url


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
