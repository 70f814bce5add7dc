"""Report ``sla`` on a small hand-made station: response, arrival and clearing times (average,
90th percentile, share within the promise), an order with no arrival left out, a time exactly
at the promise, by type and by period, the filters and an empty range."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from app.bootstrap import Services, open_services
from app.domain.enums import OrderType
from app.domain.report_tables import ReportQuery
from app.domain.sla import Promise
from app.services.context import SYSTEM
from app.services.station_reports import StationReportService
from app.services.warranty_policy import DEMO_POLICY_CSV, store_policy
from app.store.models import Customer, Product, ServiceOrder, User
from sync.policy_csv import parse

SHANGHAI = timezone(timedelta(hours=8))
NOV = ReportQuery(date(2026, 11, 1), date(2026, 11, 30))
M = timedelta(minutes=1)


def _order(s, number: str, called: datetime, kind: OrderType, customer: Customer, *,
           mode: str = "on_site", responded: int | None = None, arrived: int | None = None,
           cleared: int | None = None, technician: str | None = None,
           product: Product | None = None) -> None:
    """``responded`` and ``arrived`` minutes after the call, ``cleared`` after the arrival."""
    arrived_at = called + arrived * M if arrived is not None else None
    s.add(ServiceOrder(
        number=number, order_type=kind.value, source="phone", service_mode=mode,
        status="closed", customer_id=customer.id, called_at=called, technician_id=technician,
        product_id=product.id if product else None,
        responded_at=called + responded * M if responded is not None else None,
        arrived_at=arrived_at,
        cleared_at=arrived_at + cleared * M if cleared is not None and arrived_at else None))


@pytest.fixture()
def station(tmp_path: Path) -> Services:
    svc = open_services(tmp_path / "data")
    with svc.db.write() as s:
        c = Customer(name="张三")
        tech = User(id="t1", username="wang", display_name="王工", role="technician",
                    password_hash="x")
        s.add_all([c, tech])
        s.flush()
        store_policy(s, SYSTEM, parse(DEMO_POLICY_CSV.encode()), source="file", revision=0,
                     now=datetime(2026, 10, 1, tzinfo=UTC))
        fridge = Product(customer_id=c.id, model="BCD-200", serial_no="F1")
        s.add(fridge)
        s.flush()
        day10 = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
        day12 = datetime(2026, 11, 12, 2, 0, tzinfo=UTC)
        _order(s, "S1", day10, OrderType.REPAIR, c, responded=10, arrived=120, cleared=180,
               technician="t1")
        # exactly at every promise: 30 min, 24 h; cleared in 25 h (late)
        _order(s, "S2", day10 + 60 * M, OrderType.REPAIR, c, responded=30, arrived=1440,
               cleared=1500)
        # no arrival: left out of the arrival and clearing figures
        _order(s, "S3", day12, OrderType.INSTALL, c, responded=45)
        # a workshop order: no arrival figure, but a clearing time
        _order(s, "S4", day12, OrderType.REPAIR, c, mode="workshop", responded=20, arrived=60,
               cleared=30, product=fridge)
        _order(s, "S5", day12 + timedelta(days=1), OrderType.ENQUIRY, c)
        # 1 Dec 00:30 in Shanghai: outside November
        _order(s, "S6", datetime(2026, 11, 30, 16, 30, tzinfo=UTC), OrderType.REPAIR, c,
               responded=1)
    yield svc
    svc.close()


def _run(svc: Services, query: ReportQuery = NOV):
    return StationReportService(svc.db, tz=SHANGHAI).run(SYSTEM, "sla", query)


def _overall(result) -> dict:
    t = result.table("overall")
    return {row[0]: row[1:] for row in t.rows}


def test_overall_times_and_shares(station: Services) -> None:
    o = _overall(_run(station))
    # orders, average, p90, promise, within, share
    assert o[Promise.RESPOND] == (4, pytest.approx(26.25), 45.0, 30.0, 3, 0.75)
    assert o[Promise.ARRIVE] == (2, pytest.approx(780.0), 1440.0, 1440.0, 2, 1.0)
    assert o[Promise.CLEAR] == (3, pytest.approx(570.0), 1500.0, 1440.0, 2,
                                pytest.approx(2 / 3))


def test_by_type_and_totals(station: Services) -> None:
    r = _run(station)
    t = r.table("by_type")
    rows = {row[0]: dict(zip([c.key for c in t.columns], row, strict=True)) for row in t.rows}
    repair = rows[OrderType.REPAIR]
    assert repair["orders"] == 3
    assert repair["response_average"] == pytest.approx(20.0) and repair["response_p90"] == 30.0
    assert repair["response_share"] == 1.0
    assert repair["arrival_average"] == pytest.approx(780.0)
    assert rows[OrderType.INSTALL]["response_share"] == 0.0
    assert rows[OrderType.INSTALL]["arrival_average"] is None
    enquiry = rows[OrderType.ENQUIRY]
    assert enquiry["orders"] == 1 and enquiry["response_average"] is None
    assert rows[OrderType.COMPLAINT]["orders"] == 0
    assert t.totals is not None and t.totals[0] == "Total" and t.totals[1] == 5
    assert t.totals[t.column("clearing_p90")] == 1500.0


def test_by_day_follows_local_days(station: Services) -> None:
    t = _run(station).table("by_period")
    assert len(t.rows) == 30 and t.rows[0][0] == date(2026, 11, 1)
    rows = {row[0]: row for row in t.rows}
    day10 = rows[date(2026, 11, 10)]
    assert day10[t.column("orders")] == 2 and day10[t.column("response_share")] == 1.0
    assert rows[date(2026, 11, 12)][t.column("response_average")] == pytest.approx(32.5)
    assert rows[date(2026, 11, 13)][t.column("orders")] == 1
    assert rows[date(2026, 11, 13)][t.column("response_share")] is None


def test_long_ranges_go_by_week_and_by_month(station: Services) -> None:
    weeks = _run(station, ReportQuery(date(2026, 10, 1), date(2026, 12, 31))).table("by_period")
    starts = [row[0] for row in weeks.rows]
    assert starts[0] == date(2026, 9, 28) and all(d.weekday() == 0 for d in starts)
    counts = {row[0]: row[1] for row in weeks.rows}
    assert counts[date(2026, 11, 9)] == 5 and counts[date(2026, 11, 30)] == 1
    months = _run(station, ReportQuery(date(2026, 1, 1), date(2026, 12, 31))).table("by_period")
    assert [row[0] for row in months.rows] == [date(2026, m, 1) for m in range(1, 13)]
    by_month = {row[0]: row[1] for row in months.rows}
    assert by_month[date(2026, 11, 1)] == 5 and by_month[date(2026, 12, 1)] == 1


def test_filters(station: Services) -> None:
    o = _overall(_run(station, ReportQuery(NOV.start, NOV.end, technician_id="t1")))
    assert o[Promise.RESPOND][:3] == (1, 10.0, 10.0)
    o = _overall(_run(station, ReportQuery(NOV.start, NOV.end, order_type="install")))
    assert o[Promise.RESPOND][:3] == (1, 45.0, 45.0)
    assert o[Promise.ARRIVE] == (0, None, None, 1440.0, 0, None)
    o = _overall(_run(station, ReportQuery(NOV.start, NOV.end, source="walk_in")))
    assert o[Promise.RESPOND][0] == 0
    o = _overall(_run(station, ReportQuery(NOV.start, NOV.end, category="冰箱")))
    assert o[Promise.RESPOND][:3] == (1, 20.0, 20.0)
    assert o[Promise.ARRIVE][0] == 0  # a workshop order has no arrival figure
    assert o[Promise.CLEAR][:3] == (1, 30.0, 30.0)


def test_an_empty_range_has_no_figures(station: Services) -> None:
    r = _run(station, ReportQuery(date(2025, 1, 1), date(2025, 1, 31)))
    for row in r.table("overall").rows:
        assert row[1] == 0 and row[2] is None and row[3] is None and row[6] is None
    totals = r.table("by_type").totals
    assert totals is not None and totals[1] == 0 and all(v is None for v in totals[2:])
