"""A joining device's pages written many rows at a time (``app.services.relay_bulk``) hold
exactly what the one-by-one relay applier would: every relayed entity of a filled station,
as head office's station-state download hands it (the latest payload of each row, in
``RELAY_ORDER``), written in bulk on an empty device, gives the same ``station_state`` as
the station itself; a page written again (a kill before its position was stored) changes
nothing; the search finds the downloaded customers and orders."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.bootstrap import Services
from app.services import relay_bulk
from app.services.order_queries import OrderFilter
from app.services.station_state import station_state
from app.store.models import CustomerSearchDoc, OrderSearchDoc, OutboxOp, ServiceOrder
from sync import protocol as p
from sync.entities import RELAY_ORDER, relayed
from tests.conftest import PASSWORD
from tests.services.permission_world import NOW, World, build_world, open_copy
from tests.services.test_relay_apply import (
    _enrich,
    copy_hq_data,
    empty_device,
    journal_shaped_rows,
)


def _download(a: Services) -> list[p.Change]:
    """The station's records as head office holds them: each row's latest payload."""
    latest: dict[tuple[str, str], p.Change] = {}
    with a.db.read() as s:
        for o in s.scalars(select(OutboxOp).order_by(OutboxOp.seq)):
            if relayed(o.entity) and o.entity != "customer_erasure":
                latest[(o.entity, o.entity_id)] = p.Change(
                    0, o.entity, o.entity_id, "upsert" if o.op != "event" else "event",
                    json.loads(o.payload), op_id="state", device=0)
    return sorted(latest.values(), key=lambda c: RELAY_ORDER.index(c.entity))


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(tmp_path_factory.mktemp("bulk-world"))


@pytest.fixture(scope="module")
def joined(tmp_path_factory: pytest.TempPathFactory,
           world: World) -> Iterator[tuple[Services, Services, list[p.Change]]]:
    root: Path = tmp_path_factory.mktemp("bulk")
    a = open_copy(world, root / "a")
    b = empty_device(root / "b")
    try:
        _enrich(a, world)
        journal_shaped_rows(a)
        copy_hq_data(a, b)
        changes = _download(a)
        with b.db.write() as s:
            relay_bulk.apply_many(s, changes, NOW)
        yield a, b, changes
    finally:
        a.close()
        b.close()


def _state(svc: Services) -> dict:
    with svc.db.read() as s:
        return station_state(s)


def test_bulk_pages_hold_what_the_station_holds(
        joined: tuple[Services, Services, list[p.Change]]) -> None:
    a, b, changes = joined
    assert len({c.entity for c in changes}) >= 15  # nearly every entity is in the download
    ours, theirs = _state(a), _state(b)
    for entity in ours:
        assert theirs[entity] == ours[entity], entity


def test_a_page_written_again_changes_nothing(
        joined: tuple[Services, Services, list[p.Change]]) -> None:
    _a, b, changes = joined
    before = _state(b)
    with b.db.write() as s:
        relay_bulk.apply_many(s, changes[: len(changes) // 2], NOW)
        outbox = s.scalar(select(func.count()).select_from(OutboxOp))
    assert _state(b) == before
    assert outbox == 0  # nothing of it is this device's change


def test_the_downloaded_rows_have_the_station_s_search_documents(
        joined: tuple[Services, Services, list[p.Change]]) -> None:
    a, b, _changes = joined

    def docs(svc: Services) -> tuple[list, list]:
        with svc.db.read() as s:
            orders = sorted(s.execute(select(OrderSearchDoc.order_id, OrderSearchDoc.codes,
                                             OrderSearchDoc.names, OrderSearchDoc.words)))
            customers = sorted(s.execute(select(CustomerSearchDoc.customer_id,
                                                CustomerSearchDoc.codes,
                                                CustomerSearchDoc.names)))
        return orders, customers

    assert docs(b) == docs(a) and docs(a)[0] and docs(a)[1]
    boss = b.users.login("boss", PASSWORD)
    with a.db.read() as s:
        numbers = list(s.scalars(select(ServiceOrder.number)))
    for number in numbers:
        assert number in {r.number for r in b.orders.search(OrderFilter(text=number),
                                                             viewer=boss)}


def test_orders_written_in_bulk_get_their_documents_in_the_same_page(
        world: World, tmp_path: Path) -> None:
    a = open_copy(world, tmp_path / "a")
    c = empty_device(tmp_path / "c")
    try:
        copy_hq_data(a, c)
        page = [ch for ch in _download(a)
                if ch.entity in ("user", "customer", "product", "service_order")]
        with c.db.write() as s:
            relay_bulk.apply_many(s, page, NOW)
        with c.db.read() as s:
            orders = s.scalar(select(func.count()).select_from(ServiceOrder))
            docs = s.scalar(select(func.count()).select_from(OrderSearchDoc))
            people = s.scalar(select(func.count()).select_from(CustomerSearchDoc))
        assert orders and docs == orders and people
    finally:
        a.close()
        c.close()
