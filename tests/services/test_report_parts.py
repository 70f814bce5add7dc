"""Report ``parts`` on a small hand-made ledger: consumption net of returns and voided sales,
old parts never stock, the stock value now and at the range's ends, turnover, slow movers
(never issued, issued long ago, received lately), the filters and an empty range."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from app.bootstrap import Services, open_services
from app.domain.report_tables import ReportQuery
from app.services.context import SYSTEM
from app.services.station_reports import StationReportService
from app.services.warranty_policy import DEMO_POLICY_CSV, store_policy
from app.store.models import Part, Product, ServiceOrder, StockMovement
from sync.policy_csv import parse
from tests.services.report_world import SHANGHAI, customer_and_technicians

NOV = ReportQuery(date(2026, 11, 1), date(2026, 11, 30))
NOW = datetime(2026, 12, 5, 4, tzinfo=UTC)


def _at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 4, tzinfo=UTC)


@pytest.fixture()
def station(tmp_path: Path) -> Services:
    svc = open_services(tmp_path / "data")
    with svc.db.write() as s:
        c = customer_and_technicians(s)
        store_policy(s, SYSTEM, parse(DEMO_POLICY_CSV.encode()), source="file", revision=0,
                     now=datetime(2026, 1, 1, tzinfo=UTC))
        aircon = Product(customer_id=c.id, model="KFR-35GW", serial_no="K1")
        s.add(aircon)
        s.flush()
        o1 = ServiceOrder(number="P1", order_type="repair", source="phone",
                          service_mode="on_site", status="closed", customer_id=c.id,
                          called_at=_at(2026, 11, 4), technician_id="t1", product_id=aircon.id)
        o2 = ServiceOrder(number="P2", order_type="repair", source="phone",
                          service_mode="on_site", status="closed", customer_id=c.id,
                          called_at=_at(2026, 7, 30), technician_id="t2")
        prices = {"A": 1000, "B": 500, "C": 200, "D": 300}
        s.add_all([o1, o2, *(Part(id=k, part_no=f"KT-{k}", name=f"配件{k}",
                                  station_price_fen=v) for k, v in prices.items())])
        s.flush()

        def move(part: str, kind: str, qty: int, at: datetime, order=None) -> None:
            s.add(StockMovement(part_id=part, kind=kind, quantity=qty, created_at=at,
                                order_id=order.id if order else None))

        move("A", "received", 10, _at(2026, 9, 1))
        move("A", "issued", -2, _at(2026, 11, 5), o1)
        move("A", "returned", 1, _at(2026, 11, 6), o1)
        move("A", "sold", -3, _at(2026, 11, 10))
        move("A", "sale_voided", 1, _at(2026, 11, 11))
        move("A", "old_collected", 1, _at(2026, 11, 12), o1)  # an old part: never stock
        move("A", "issued", -1, _at(2026, 12, 2), o1)
        move("B", "received", 4, _at(2026, 1, 1))  # never issued
        move("C", "received", 5, _at(2026, 7, 1))
        move("C", "issued", -1, _at(2026, 8, 1), o2)  # last issued long ago
        move("D", "received", 2, _at(2026, 11, 20))  # new, not yet issued: not slow
        # 1 Dec 00:30 in Shanghai: after the range
        move("D", "sold", -1, datetime(2026, 11, 30, 16, 30, tzinfo=UTC))
        move("D", "received", 1, datetime(2026, 11, 30, 16, 31, tzinfo=UTC))
    yield svc
    svc.close()


def _run(svc: Services, query: ReportQuery = NOV):
    return StationReportService(svc.db, clock=lambda: NOW, tz=SHANGHAI).run(
        SYSTEM, "parts", query)


def test_consumption_net_of_returns_and_voids(station: Services) -> None:
    t = _run(station).table("consumption")
    assert t.rows == (("KT-A", "配件A", 1, 2, 3, 3000),)
    assert t.totals == ("Total", None, 1, 2, 3, 3000)


def test_stock_value_and_turnover(station: Services) -> None:
    (row,) = _run(station).table("stock").rows
    # parts, units, now, start, end, average, consumption, turnover
    assert row[:7] == (4, 16, 9400, 12800, 10400, 11600, 3000)
    assert row[7] == pytest.approx(3000 / 11600)


def test_slow_movers(station: Services) -> None:
    t = _run(station).table("slow_movers")
    assert t.rows == (("KT-B", "配件B", 4, 2000, None, 338),
                      ("KT-C", "配件C", 4, 800, date(2026, 8, 1), 126))
    assert t.totals == ("Total", None, 8, 2800, None, None)


def test_filters_narrow_consumption_only(station: Services) -> None:
    r = _run(station, ReportQuery(NOV.start, NOV.end, technician_id="t1"))
    assert r.table("consumption").rows == (("KT-A", "配件A", 1, 0, 1, 1000),)
    assert r.table("stock").rows[0][2] == 9400
    assert len(r.table("slow_movers").rows) == 2
    r = _run(station, ReportQuery(NOV.start, NOV.end, category="空调", order_type="repair"))
    assert r.table("consumption").rows == (("KT-A", "配件A", 1, 0, 1, 1000),)
    r = _run(station, ReportQuery(NOV.start, NOV.end, category="冰箱"))
    assert r.table("consumption").rows == ()
    r = _run(station, ReportQuery(NOV.start, NOV.end, technician_id="t2"))
    assert r.table("consumption").rows == ()
    assert r.table("consumption").totals == ("Total", None, 0, 0, 0, 0)


def test_an_empty_range(station: Services) -> None:
    r = _run(station, ReportQuery(date(2025, 1, 1), date(2025, 1, 31)))
    assert r.table("consumption").rows == ()
    (row,) = r.table("stock").rows
    assert row[3:] == (0, 0, 0, 0, None)
