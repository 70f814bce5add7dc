"""Another device's transaction cut by a pull page's boundary (its rows may name each other in
any order): the engine holds the page back and applies it with the next one, so nothing is
refused that the next page completes; a change naming a row that never comes becomes a
visible conflict and the rest of its page still applies; the careful retry of a page applies
a row named before it is made."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.bootstrap import Services
from app.domain.enums import OrderSource, OrderType, ServiceMode
from app.services.context import Actor
from app.services.customers import CustomerInput
from app.services.orders import NewOrder
from app.services.sync_store import StationSyncStore
from app.store.models import Customer, OutboxOp, ServiceOrder, SyncConflict, User
from sync import protocol as p
from sync.client import ClientConfig, DanglingReferences, SyncEngine
from tests.services.permission_world import NOW
from tests.services.test_relay_apply import empty_device


@pytest.fixture
def made(services: Services, station: dict[str, Actor]) -> list[p.Change]:
    """The station's users, then a customer, her product and her order made at another
    device, as relayed changes."""
    boss = station["manager"]
    services.orders.create(boss, NewOrder(
        OrderType.REPAIR, OrderSource.PHONE, ServiceMode.ON_SITE, "洗衣机不脱水",
        "13900001111", customer=CustomerInput("王五", ("13900001111",), "北京市朝阳区")))
    with services.db.read() as s:
        ops = list(s.scalars(select(OutboxOp).where(OutboxOp.entity.in_(
            ("user", "customer", "product", "service_order"))).order_by(OutboxOp.seq)))
        return [p.Change(100 + i, o.entity, o.entity_id, o.op, json.loads(o.payload),
                         op_id=o.op_id, device=2) for i, o in enumerate(ops)]


@pytest.fixture
def device(tmp_path: Path) -> Iterator[Services]:
    svc = empty_device(tmp_path / "b")
    yield svc
    svc.close()


def _count(svc: Services, model: Any) -> int:
    with svc.db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def _order_first(made: list[p.Change]) -> list[p.Change]:
    """The users, then the order before the customer and product it names."""
    rank = {"user": 0, "service_order": 1}
    return sorted(made, key=lambda c: rank.get(c.entity, 2))


def test_a_page_naming_rows_of_the_next_one_waits_for_it(made: list[p.Change],
                                                        device: Services) -> None:
    store = StationSyncStore(device.db, device.bus, lambda: NOW)
    cut = _order_first(made)
    first = [c for c in cut if c.entity in ("user", "service_order")]
    with pytest.raises(DanglingReferences):
        store.apply_page(first, 101, False, can_wait=True)
    assert _count(device, ServiceOrder) == 0 and store.pull_cursor() == 0  # nothing stored
    store.apply_page(cut, 110, False, can_wait=True)  # together with the next page
    assert _count(device, ServiceOrder) == 1 and _count(device, SyncConflict) == 0
    assert store.pull_cursor() == 110


def test_the_careful_retry_applies_a_row_named_before_it_is_made(made: list[p.Change],
                                                                device: Services) -> None:
    store = StationSyncStore(device.db, device.bus, lambda: NOW)
    broken = p.Change(200, "customer", "not-json-date", "upsert",
                      {"id": "x" * 36, "name": "坏", "created_at": "not a date"},
                      op_id="op-bad", device=2)
    store.apply_page([*_order_first(made), broken], 120, False)  # the last page
    assert _count(device, ServiceOrder) == 1 and _count(device, Customer) == 1
    with device.db.read() as s:
        kinds = list(s.scalars(select(SyncConflict.kind)))
    assert kinds == ["unreadable_change"]  # only the bad row, visible
    assert store.pull_cursor() == 120


def test_a_row_that_never_comes_is_a_conflict_and_the_page_goes_on(
        made: list[p.Change], device: Services) -> None:
    store = StationSyncStore(device.db, device.bus, lambda: NOW)
    page = [c for c in made if c.entity in ("user", "service_order")]
    store.apply_page(page, 130, False, can_wait=False)
    assert _count(device, ServiceOrder) == 0  # its customer never came
    with device.db.read() as s:
        conflict = s.scalars(select(SyncConflict)).one()
        assert s.scalar(select(func.count()).select_from(User)) >= 1  # the rest applied
    assert conflict.entity == "service_order" and "FOREIGN KEY" in conflict.local_summary
    assert store.pull_cursor() == 130


class _Pages:
    """A head office whose pull answers the given pages in turn."""

    def __init__(self, pages: list[list[p.Change]]) -> None:
        self.pages = pages
        self.config = ClientConfig("http://127.0.0.1:1", "token")
        self.config.page_limit = 1

    def pull(self, since: int, limit: int) -> Any:
        index = next((i for i, page in enumerate(self.pages)
                      if page and page[-1].hq_seq > since), len(self.pages))
        page = self.pages[index] if index < len(self.pages) else []
        more = index + 1 < len(self.pages)
        return type("Answer", (), {"status": 200, "data": p.PullPage(
            tuple(page), page[-1].hq_seq if page else since, more).to_json()})()

    def raise_for(self, answer: Any, expected: tuple[int, ...] = (200,)) -> None:
        assert answer.status in expected


def test_the_engine_holds_a_cut_page_back_and_applies_it_with_the_next(
        made: list[p.Change], device: Services) -> None:
    store = StationSyncStore(device.db, device.bus, lambda: NOW)
    cut = _order_first(made)
    cut = [replace(c, hq_seq=300 + i) for i, c in enumerate(cut)]  # in head office's order
    first = [c for c in cut if c.entity in ("user", "service_order")]
    rest = [c for c in cut if c not in first]
    engine = SyncEngine(_Pages([first, rest]), store, "BJ001")  # type: ignore[arg-type]
    report = engine.pull()
    assert report.pulled_changes == len(cut)
    assert _count(device, ServiceOrder) == 1 and _count(device, SyncConflict) == 0
    assert store.pull_cursor() == cut[-1].hq_seq
