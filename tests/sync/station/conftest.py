"""Fixtures for station-side sync tests: a set-up station, a fake head office, a SyncService."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.bootstrap import Services
from app.services.context import Actor
from app.services.sync_service import SyncService
from app.services.sync_token import FileTokenStore
from tests.sync.station.fake_hq import FakeAdapter, FakeHq, fake_transport_factory

TOKEN = "tok-BJ001-secret"


@pytest.fixture
def hq() -> FakeHq:
    hq = FakeHq()
    hq.add_station("BJ001", TOKEN)
    return hq


@pytest.fixture
def adapters() -> list[FakeAdapter]:
    return []


@pytest.fixture
def sync(services: Services, station: dict[str, Actor], hq: FakeHq, adapters: list[FakeAdapter],
         tmp_path: Path, clock) -> SyncService:  # type: ignore[no-untyped-def]
    svc = SyncService(services.db, services.bus, FileTokenStore(services.paths.root), clock,
                      fake_transport_factory(hq, adapters))
    svc.register(station["manager"], "https://hq.example.com", "BJ001", TOKEN)
    return svc
