"""The three-device fault run (``test_sync_devices.random_work``: random work offline on every
device, a flaky line, kill -9 after head office committed and during a pull, every device
alike field by field, each op once, every refusal a conflict, nothing at the other station)
on a PostgreSQL head office (CI provides one), whose row locks, not SQLite's file lock, keep a
device's batch and the relay's change-log seqs in order. ``test_sync_devices`` runs it on
SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pg_databases import BACKENDS
from tests.sync.faults.harness import FaultProxy, LiveHq, StationRig
from tests.sync.faults.test_sync_devices import devices, other, random_work  # noqa: F401

POSTGRESQL = [b for b in BACKENDS if b != "sqlite"]


@pytest.fixture(params=POSTGRESQL)
def live_hq(tmp_path: Path, fault_pg_url: str | None) -> Iterator[LiveHq]:
    hq = LiveHq(tmp_path / "hq.sqlite3", db_url=fault_pg_url).start()
    yield hq
    hq.stop()


@pytest.mark.slow
def test_three_devices_converge_on_a_postgresql_head_office(
        devices: list[StationRig], other: StationRig,  # noqa: F811
        live_hq: LiveHq, proxy: FaultProxy) -> None:
    random_work(devices, other, live_hq, proxy, seed=15, rounds=3)
