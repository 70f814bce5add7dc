"""Report ``technicians`` on a small hand-made station: per technician the orders, those
cleared, average times (an order with no arrival left out), repeat rate and average score,
the unassigned row, totals as the station's figures, the filters and an empty range."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from app.bootstrap import Services, open_services
from app.domain.report_tables import NoOne, ReportQuery
from app.services.context import SYSTEM
from app.services.station_reports import StationReportService
from app.store.models import Product, ReturnVisit, ServiceOrder
from tests.services.report_world import SHANGHAI, customer_and_technicians

NOV = ReportQuery(date(2026, 11, 1), date(2026, 11, 30))
M = timedelta(minutes=1)
LATER = datetime(2027, 6, 1, tzinfo=UTC)


@pytest.fixture()
def station(tmp_path: Path) -> Services:
    svc = open_services(tmp_path / "data")
    with svc.db.write() as s:
        c = customer_and_technicians(s)
        p1 = Product(customer_id=c.id, model="KFR-35GW", serial_no="SN1")
        p2 = Product(customer_id=c.id, model="BCD-200", serial_no="SN2")
        s.add_all([p1, p2])
        s.flush()

        def order(number: str, day: int, kind: str, tech: str | None,
                  product: Product | None = None, responded: int | None = None,
                  arrived: int | None = None, cleared: int | None = None,
                  scores: tuple | None = None) -> None:
            called = datetime(2026, 11, day, 2, tzinfo=UTC)
            arrived_at = called + arrived * M if arrived is not None else None
            o = ServiceOrder(
                number=number, order_type=kind, source="phone", service_mode="on_site",
                status="closed", customer_id=c.id, technician_id=tech,
                product_id=product.id if product else None, called_at=called,
                responded_at=called + responded * M if responded is not None else None,
                arrived_at=arrived_at,
                cleared_at=arrived_at + cleared * M if cleared is not None else None)
            s.add(o)
            s.flush()
            if scores:
                s.add(ReturnVisit(order_id=o.id, status="done", speed_score=scores[0],
                                  attitude_score=scores[1], quality_score=scores[2],
                                  price_score=scores[3]))

        order("T1", 2, "repair", "t1", p1, 10, 60, 120, (5, 5, 4, 4))
        order("T2", 3, "install", "t1", responded=20)  # no arrival
        order("T3", 20, "repair", "t2", p1, responded=30)  # T1 comes back
        order("T4", 5, "repair", "t2", p2, 40, 120, 60, (3, 3, 3, None))
        order("T5", 6, "enquiry", None)
    yield svc
    svc.close()


def _run(svc: Services, query: ReportQuery = NOV):
    return StationReportService(svc.db, clock=lambda: LATER, tz=SHANGHAI).run(
        SYSTEM, "technicians", query)


def test_figures_per_technician(station: Services) -> None:
    t = _run(station).table("by_technician")
    # orders, cleared, response, arrival, clearing, first orders, repeat rate, score, scores
    assert t.rows == (
        ("李工", 2, 1, 35.0, 120.0, 60.0, 1, 0.0, 3.0, 3),
        ("王工", 2, 1, 15.0, 60.0, 120.0, 1, 1.0, 4.5, 4),
        (NoOne.TECHNICIAN, 1, 0, None, None, None, 0, None, None, 0),
    )
    assert t.totals == ("Total", 5, 2, 25.0, 90.0, 90.0, 2, 0.5, pytest.approx(27 / 7), 7)


def test_filters(station: Services) -> None:
    t = _run(station, ReportQuery(NOV.start, NOV.end, technician_id="t2")).table("by_technician")
    assert [row[0] for row in t.rows] == ["李工"] and t.totals[1] == 2
    t = _run(station, ReportQuery(NOV.start, NOV.end, order_type="install")).table(
        "by_technician")
    assert t.rows == (("王工", 1, 0, 20.0, None, None, 0, None, None, 0),)


def test_an_empty_range(station: Services) -> None:
    t = _run(station, ReportQuery(date(2025, 1, 1), date(2025, 1, 31))).table("by_technician")
    assert t.rows == ()
    assert t.totals == ("Total", 0, 0, None, None, None, 0, None, None, 0)
