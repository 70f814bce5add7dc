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


class _Template:
    """A station folder made once per worker and copied for each test that asks for it: a
    fresh store costs its eleven migrations, and a set-up station four password hashes per
    user on top (the slow KDF is the point of it), which hundreds of tests would each pay."""

    def __init__(self, folder: Path, actors: dict[str, Actor] | None) -> None:
        self.folder = folder
        self.actors = actors


_TEMPLATES: dict[tuple[bool, datetime], _Template] = {}
_TEMPLATE_ROOT: list[Path] = []


def _set_up(svc: Services) -> dict[str, Actor]:
    svc.users.set_up_station(
        NewStation("BJ001", "北京海淀维修站", "北京市海淀区中关村大街1号", "010-62345678"),
        NewUser("boss", "张站长", Role.MANAGER, PASSWORD),
    )
    boss = svc.users.login("boss", PASSWORD)
    svc.users.create_user(boss, NewUser("clerk", "李信息", Role.CLERK, PASSWORD))
    svc.users.create_user(boss, NewUser("tech", "王师傅", Role.TECHNICIAN, PASSWORD))
    svc.users.create_user(boss, NewUser("tech2", "赵师傅", Role.TECHNICIAN, PASSWORD))
    return {
        "manager": boss,
        "clerk": svc.users.login("clerk", PASSWORD),
        "tech": svc.users.login("tech", PASSWORD),
        "tech2": svc.users.login("tech2", PASSWORD),
    }


def _template(with_station: bool, clock: ManualClock) -> _Template:
    key = (with_station, clock.now)
    if key not in _TEMPLATES:
        if not _TEMPLATE_ROOT:
            _TEMPLATE_ROOT.append(Path(__import__("tempfile").mkdtemp(prefix="rs-templates-")))
        folder = _TEMPLATE_ROOT[0] / f"t{len(_TEMPLATES)}"
        svc = open_services(folder, clock=ManualClock(clock.now))
        try:
            actors = _set_up(svc) if with_station else None
        finally:
            svc.close()
        _TEMPLATES[key] = _Template(folder, actors)
    return _TEMPLATES[key]


def _uses_our_station(request: pytest.FixtureRequest) -> bool:
    """The test asks for this file's ``station`` fixture (not a module's own)."""
    defs = request.node._fixtureinfo.name2fixturedefs.get("station")
    return bool(defs) and defs[-1].func.__module__ == __name__


@pytest.fixture
def services(tmp_path: Path, clock: ManualClock,
             request: pytest.FixtureRequest) -> Iterator[Services]:
    template = _template(_uses_our_station(request), clock)
    folder = tmp_path / "station"
    __import__("shutil").copytree(template.folder, folder)
    svc = open_services(folder, clock=clock)
    svc._test_actors = template.actors  # type: ignore[attr-defined]
    yield svc
    svc.close()


@pytest.fixture
def station(services: Services) -> dict[str, Actor]:
    """A set-up station with one user per role, logged in."""
    actors = getattr(services, "_test_actors", None)
    if actors is None:  # a services fixture of the test's own
        return _set_up(services)
    return dict(actors)
