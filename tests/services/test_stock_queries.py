"""Reading the stock: the stock list with on-hand, reserved, available and value, searched
and paged; the low-stock list; a part's history newest first with a running balance that
pages on exactly; the whole stock's value; the figures always equal the ledger's own sums."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.domain.parts import MovementKind, part_id
from app.services import stock_ledger as ledger
from app.services.context import SYSTEM
from app.services.errors import NotFound
from app.store.models import Part, StockReservation
from tests.services.helpers import new_order

PARTS = [("GR-CAP-35", "启动电容", "KFR-35GW", 3000), ("GR-COMP-01", "压缩机", "KFR-35GW", 96000),
         ("MD-PUMP-08", "排水泵", "XQG80", 6660), ("MD-BELT-02", "皮带", "XQB60", 1200)]


@pytest.fixture
def stocked(services, station, clock):
    with services.db.write() as s:
        for no, name, models, price in PARTS:
            s.add(Part(id=part_id(no), part_no=no, name=name, models=models, unit="个",
                       retail_price_fen=price * 2, station_price_fen=price))
    return services


def post(services, clock, part_no: str, kind: MovementKind, quantity: int,
         reference: str = "") -> None:
    clock.now += timedelta(minutes=1)
    with services.db.write() as s:
        ledger.post(s, SYSTEM, part=s.get(Part, part_id(part_no)), kind=kind,
                    quantity=quantity, now=clock(), reference=reference)


def reserve(services, station, clock, part_no: str, quantity: int) -> None:
    order = new_order(services, station["clerk"], serial=f"SN{quantity}{part_no}")
    with services.db.write() as s:
        s.add(StockReservation(part_id=part_id(part_no), order_id=order.id, quantity=quantity))


def test_stock_list_shows_on_hand_reserved_available_and_value(stocked, station,
                                                               clock) -> None:
    services = stocked
    post(services, clock, "GR-CAP-35", MovementKind.RECEIVED, 10)
    post(services, clock, "GR-CAP-35", MovementKind.SOLD, -3)
    post(services, clock, "GR-CAP-35", MovementKind.OLD_COLLECTED, 2)  # never sellable
    post(services, clock, "MD-PUMP-08", MovementKind.RECEIVED, 1)
    reserve(services, station, clock, "GR-CAP-35", 4)
    rows = services.stock.stock_list()
    # the compressor and the belt were never moved: not part of the station's stock
    assert [r.part_no for r in rows] == ["GR-CAP-35", "MD-PUMP-08"]
    cap = rows[0]
    assert (cap.on_hand, cap.reserved, cap.available, cap.value_fen) == (7, 4, 3, 21000)
    assert [r.part_no for r in services.stock.stock_list(held=False)] == [
        "GR-CAP-35", "GR-COMP-01", "MD-BELT-02", "MD-PUMP-08"]
    level = services.stock.level(part_id("GR-CAP-35"))
    assert (level.on_hand, level.reserved, level.old_on_hand, level.available) == (7, 4, 2, 3)
    assert services.stock.on_hand(part_id("GR-CAP-35")) == 7
    with services.db.read() as s:  # the same figure as the ledger's own
        assert ledger.on_hand(s, part_id("GR-CAP-35")) == 7
        assert ledger.reserved(s, part_id("GR-CAP-35")) == 4
    value = services.stock.value()
    assert (value.parts, value.units, value.value_fen) == (2, 8, 7 * 3000 + 6660)
    with pytest.raises(NotFound):
        services.stock.level(part_id("NO-SUCH"))


def test_stock_list_search_and_paging(stocked, station, clock) -> None:
    services = stocked
    for no, *_ in PARTS:
        post(services, clock, no, MovementKind.RECEIVED, 2)
    assert [r.part_no for r in services.stock.stock_list("md-")] == ["MD-BELT-02",
                                                                     "MD-PUMP-08"]
    assert [r.part_no for r in services.stock.stock_list("压缩")] == ["GR-COMP-01"]
    assert [r.part_no for r in services.stock.stock_list("xqb")] == ["MD-BELT-02"]
    assert services.stock.stock_list("_") == []  # LIKE's wildcards are plain characters
    first = services.stock.stock_list(limit=3)
    rest = services.stock.stock_list(after=first[-1].part_no, limit=3)
    assert [r.part_no for r in first + rest] == sorted(no for no, *_ in PARTS)


def test_low_stock_list(stocked, station, clock) -> None:
    services = stocked
    boss = station["manager"]
    post(services, clock, "GR-CAP-35", MovementKind.RECEIVED, 10)
    post(services, clock, "GR-COMP-01", MovementKind.RECEIVED, 2)
    post(services, clock, "MD-PUMP-08", MovementKind.RECEIVED, 6)
    services.catalogue.set_setting(boss, part_id("GR-CAP-35"), location="A1",
                                   low_stock_threshold=5)
    services.catalogue.set_setting(boss, part_id("GR-COMP-01"), location="A2",
                                   low_stock_threshold=2)  # at the threshold: low
    services.catalogue.set_setting(boss, part_id("MD-PUMP-08"), location="B1",
                                   low_stock_threshold=5)
    services.catalogue.set_setting(boss, part_id("MD-BELT-02"), location="B2",
                                   low_stock_threshold=0)  # no threshold: never low
    assert [r.part_no for r in services.stock.stock_list(low=True)] == ["GR-COMP-01"]
    reserve(services, station, clock, "MD-PUMP-08", 1)  # available 5 <= 5
    post(services, clock, "GR-CAP-35", MovementKind.ISSUED, -4)  # 6 > 5: not yet
    low = services.stock.stock_list(low=True)
    assert [(r.part_no, r.location, r.available) for r in low] == [
        ("GR-COMP-01", "A2", 2), ("MD-PUMP-08", "B1", 5)]
    assert all(r.low for r in low)
    assert [r.part_no for r in services.stock.stock_list("md", low=True)] == ["MD-PUMP-08"]
    # a part with a setting but no movement is part of the stock list (0 on hand)
    assert "MD-BELT-02" in [r.part_no for r in services.stock.stock_list()]


def test_history_runs_the_balance_newest_first_and_pages_exactly(stocked, station,
                                                                  clock) -> None:
    services = stocked
    moves = [(MovementKind.RECEIVED, 10), (MovementKind.ISSUED, -2),
             (MovementKind.RETURNED, 1), (MovementKind.OLD_COLLECTED, 1),
             (MovementKind.SOLD, -4), (MovementKind.SALE_VOIDED, 4),
             (MovementKind.COUNT_ADJUSTMENT, -1), (MovementKind.OLD_SHIPPED, -1),
             (MovementKind.RECEIVED, 5)]
    for i, (kind, qty) in enumerate(moves):
        post(services, clock, "GR-CAP-35", kind, qty, reference=f"REF-{i}")
    post(services, clock, "MD-PUMP-08", MovementKind.RECEIVED, 99)  # another part's
    pid = part_id("GR-CAP-35")
    rows = services.stock.history(pid)
    assert [r.reference for r in rows] == [f"REF-{i}" for i in reversed(range(len(moves)))]
    expected, balance, old = [], 0, 0
    for kind, qty in moves:
        if kind.sellable:
            balance += qty
        else:
            old += qty
        expected.append((balance, old))
    assert [(r.balance, r.old_balance) for r in rows] == list(reversed(expected))
    assert rows[0].balance == services.stock.on_hand(pid) == 13
    paged, after = [], None
    while True:
        page = services.stock.history(pid, after=after, limit=4)
        paged += page
        if len(page) < 4:
            break
        after = page[-1].cursor
    assert paged == rows
    assert services.stock.history(part_id("MD-BELT-02")) == []


def test_text_sqlite_cannot_store_is_refused_with_its_field(stocked) -> None:
    from app.domain.errors import RuleViolation

    for call in (lambda: stocked.stock.on_hand("x\ud800"),
                 lambda: stocked.stock.history("x\ud800"),
                 lambda: stocked.stock.stock_list("电\ud800")):
        with pytest.raises(RuleViolation) as caught:
            call()
        assert caught.value.field in ("part_id", "text")
