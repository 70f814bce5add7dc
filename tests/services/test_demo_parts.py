"""``repair-station demo`` fills the parts area the way daily use would: a catalogue that fits
the demo's products, stock received from head office, parts on repairs (some returned),
old parts and their shipments (one shipped and inspected by head office, one being packed),
counter sales with one voided, a posted and an open count, an order waiting for parts, a
re-order in draft; and the stock never went below zero."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from app.bootstrap import Services, build_services
from app.domain.enums import OrderStatus
from app.domain.parts import (
    CountStatus,
    MovementKind,
    OldPartStatus,
    PartsOrderStatus,
    ShipmentStatus,
)
from app.paths import DataPaths
from app.services.demo_catalogue import CATALOGUE
from app.services.demo_data import WalkingClock, generate
from app.services.demo_parts import CARRIER
from app.services.order_queries import OrderFilter
from app.services.sales import SaleSummary
from app.store import migrate
from app.store.database import Database
from app.store.models import OldPart, Part, Product, ServiceOrder, StockMovement


@pytest.fixture
def demo(demo_station: Services) -> Services:
    """The session's demo station (tests/services/conftest.py): these tests only read it."""
    return demo_station


def _movements(services: Services) -> list[StockMovement]:
    with services.db.read() as s:
        rows = list(s.scalars(select(StockMovement)
                              .order_by(StockMovement.created_at, StockMovement.id)))
        s.expunge_all()
    return rows


def test_catalogue_fits_the_demo_products(demo: Services) -> None:
    parts = demo.catalogue.search(limit=1000)
    assert 60 <= len(parts) == len(CATALOGUE) <= 120
    by_no = {p.part_no: p for p in parts}
    compressor = by_no["KT-0010-1035"]
    assert compressor.return_required and compressor.warranty_months == 60
    assert by_no["KT-7001-0032"].unit == "千克"
    assert all(p.location and p.retail_price_fen > p.station_price_fen > 0 for p in parts)
    assert sum(p.low_stock_threshold > 0 for p in parts) >= 60
    # every part issued onto an order fits the product the order is for
    with demo.db.read() as s:
        issued = s.execute(
            select(Part.part_no, Part.models, Product.model)
            .join(StockMovement, StockMovement.part_id == Part.id)
            .join(ServiceOrder, ServiceOrder.id == StockMovement.order_id)
            .join(Product, Product.id == ServiceOrder.product_id)
            .where(StockMovement.kind == MovementKind.ISSUED.value)).all()
    assert issued
    assert all(model in models.split(",") for _no, models, model in issued), issued


def test_every_kind_of_movement_and_stock_never_below_zero(demo: Services) -> None:
    rows = _movements(demo)
    kinds = Counter(MovementKind(m.kind) for m in rows)
    assert set(kinds) == set(MovementKind), kinds
    assert kinds[MovementKind.ISSUED] >= 10
    assert kinds[MovementKind.SALE_VOIDED] >= 1
    balance: Counter[str] = Counter()
    old: Counter[str] = Counter()
    for m in rows:  # in time order: no moment with less than nothing on the shelf
        (balance if MovementKind(m.kind).sellable else old)[m.part_id] += m.quantity
        assert balance[m.part_id] >= 0 and old[m.part_id] >= 0, m
    issued_orders = {m.order_id for m in rows if m.kind == MovementKind.ISSUED.value}
    assert len(issued_orders) >= 10
    low = demo.stock.stock_list(low=True, limit=1000)
    assert len(low) >= 2


def test_opening_order_and_draft_reorder(demo: Services) -> None:
    orders = demo.parts_orders.list_orders()
    statuses = Counter(o.status for o in orders)
    assert statuses[PartsOrderStatus.DRAFT] == 1
    assert statuses[PartsOrderStatus.RECEIVED] >= 1
    opening = demo.parts_orders.detail(orders[-1].id)
    assert opening.status is PartsOrderStatus.RECEIVED
    assert opening.confirmed_at and opening.shipped_at and opening.hq_note
    assert any(line.confirmed_quantity < line.quantity for line in opening.lines)
    receipts = {m.created_at for m in _movements(demo) if m.parts_order_id == opening.id}
    assert len(receipts) == 2  # a partial receipt, then the rest
    draft = demo.parts_orders.detail(next(o.id for o in orders
                                          if o.status is PartsOrderStatus.DRAFT))
    assert len(draft.lines) >= 2 and not draft.submitted_at
    # drafted from the suggestion: with it on order, the stock suggests nothing more of them
    assert not {line.part_no for line in draft.lines} & {
        x.part_no for x in demo.parts_orders.suggest()}


def test_old_parts_shipments_sales_counts_and_waiting(demo: Services) -> None:
    olds = demo.old_parts.old_parts()
    assert olds and all(demo.catalogue.get(o.part_id).return_required for o in olds)
    shipments = demo.old_parts.shipments()
    assert Counter(x.status for x in shipments) == {ShipmentStatus.RECEIVED: 1,
                                                     ShipmentStatus.OPEN: 1}
    # shipped with the courier, then signed for and inspected by head office (by "sync")
    shipped = next(x for x in shipments if x.status is ShipmentStatus.RECEIVED)
    assert shipped.carrier.startswith(CARRIER) and shipped.shipped_at and shipped.parts
    assert all(o.status is OldPartStatus.INSPECTED and o.inspection_result
               for o in shipped.parts)
    assert any(m.kind == MovementKind.OLD_SHIPPED.value and m.reference == shipped.number
               for m in _movements(demo))
    with demo.db.read() as s:
        assert s.scalar(select(OldPart.id).where(
            OldPart.status == OldPartStatus.PACKED.value).limit(1))
    all_sales = _sales(demo)
    assert len(all_sales) >= 8
    assert sum(x.voided for x in all_sales) == 1
    assert len({x.payment_method for x in all_sales}) >= 2
    voided = next(x for x in all_sales if x.voided)
    assert demo.sales.detail(voided.id).void_reason
    counts = Counter(c.status for c in demo.counts.counts())
    assert counts == {CountStatus.POSTED: 1, CountStatus.OPEN: 1}
    posted = next(c for c in demo.counts.counts() if c.status is CountStatus.POSTED)
    differences = [x for x in demo.counts.detail(posted.id).lines if x.difference]
    assert 1 <= len(differences) <= 5
    waiting = [line for order in demo.orders.search(
                   OrderFilter(status=OrderStatus.WAITING_PARTS), limit=100)
               for line in demo.order_parts.lines(order.id) if line.reserved]
    assert waiting


def _sales(services: Services) -> list[SaleSummary]:
    first = min(m.created_at for m in _movements(services)).astimezone().date()
    last = max(m.created_at for m in _movements(services)).astimezone().date()
    return services.sales.sales_between(first, last)


def _run(folder: Path, start: datetime) -> list[tuple[str, str, int, str]]:
    paths = DataPaths(folder).ensure()
    db = Database.open(paths.database, synchronous="OFF")
    try:
        migrate.upgrade(db.engine, paths.database, paths.backups)
        clock = WalkingClock(start)
        services = build_services(paths, db, clock)
        generate(services, clock, customers=12, orders=40, seed=3)
        with db.read() as s:
            rows = s.execute(select(StockMovement.kind, Part.part_no, StockMovement.quantity,
                                    StockMovement.reason)
                             .join(Part, Part.id == StockMovement.part_id)).all()
    finally:
        db.dispose()
    # (an old part's tag, the reason of its shipment, holds the local date: that may move)
    return sorted((kind, no, qty, "" if reason.startswith("OP-") else reason)
                  for kind, no, qty, reason in rows)


def test_a_seed_gives_the_same_parts_whatever_the_hour(tmp_path: Path) -> None:
    morning = _run(tmp_path / "a", datetime(2026, 3, 1, 2, 30, tzinfo=UTC))
    evening = _run(tmp_path / "b", datetime(2026, 3, 1, 19, 5, tzinfo=UTC))
    assert morning and morning == evening
