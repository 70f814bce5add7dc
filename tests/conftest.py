"""Shared fixtures: Qt runs offscreen; a fresh station data folder per test."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# the stations' keys go to a folder of this run, never the user's own configuration folder
# (a keyring on a developer's PC is left alone too: the file seal is what every test uses)
os.environ.setdefault("REPAIR_STATION_KEY_DIR", __import__("tempfile").mkdtemp(prefix="rs-keys-"))
os.environ.setdefault("REPAIR_STATION_KEY_FILE_ONLY", "1")

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.bootstrap import Services, open_services
from app.domain.enums import Role
from app.i18n import set_language
from app.services.context import Actor
from app.services.users import NewStation, NewUser

PASSWORD = "correct-horse"


class ManualClock:
    """A clock tests move by hand."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime(2026, 6, 1, 2, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(autouse=True)
def _chinese_by_default() -> Iterator[None]:
    set_language("zh_CN")
    yield
    set_language("zh_CN")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def services(tmp_path: Path, clock: ManualClock) -> Iterator[Services]:
    svc = open_services(tmp_path / "station", clock=clock)
    yield svc
    svc.close()


@pytest.fixture
def station(services: Services) -> dict[str, Actor]:
    """A set-up station with one user per role, logged in."""
    services.users.set_up_station(
        NewStation("BJ001", "北京海淀维修站", "北京市海淀区中关村大街1号", "010-62345678"),
        NewUser("boss", "张站长", Role.MANAGER, PASSWORD),
    )
    boss = services.users.login("boss", PASSWORD)
    services.users.create_user(boss, NewUser("clerk", "李信息", Role.CLERK, PASSWORD))
    services.users.create_user(boss, NewUser("tech", "王师傅", Role.TECHNICIAN, PASSWORD))
    services.users.create_user(boss, NewUser("tech2", "赵师傅", Role.TECHNICIAN, PASSWORD))
    return {
        "manager": boss,
        "clerk": services.users.login("clerk", PASSWORD),
        "tech": services.users.login("tech", PASSWORD),
        "tech2": services.users.login("tech2", PASSWORD),
    }
