"""The window's Qt fixtures (warnings fail the test, task runner, contexts) for sync's UI tests,
plus a station registered with an in-memory head office."""

from __future__ import annotations

import pytest

from app.services.sync_service import SyncService
from app.services.sync_token import FileTokenStore
from tests.sync.station.fake_hq import FakeHq, fake_transport_factory
from tests.ui.conftest import ctx_for, fail_on_qt_warnings, runner  # noqa: F401

TOKEN = "tok-ui-secret"


@pytest.fixture
def hq() -> FakeHq:
    hq = FakeHq()
    hq.add_station("BJ001", TOKEN)
    return hq


@pytest.fixture
def fake_sync(services, station, hq, clock) -> SyncService:  # type: ignore[no-untyped-def]
    """The services' sync talking to ``hq`` (not registered yet)."""
    services.sync = SyncService(services.db, services.bus, FileTokenStore(services.paths.root),
                                clock, fake_transport_factory(hq))
    return services.sync
