"""Report ``repeats`` on a small hand-made station: a comeback on day 90 counts and one on
day 91 does not, the same serial on another product record counts, installs and cancelled
orders are no comebacks, by model and by technician, still-open windows, the filters and an
empty range."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from app.bootstrap import Services, open_services
from app.domain.report_tables import ReportQuery
from app.services.context import SYSTEM
from app.services.station_reports import StationReportService
from app.services.warranty_policy import DEMO_POLICY_CSV, store_policy
from app.store.models import Product, ServiceOrder
from sync.policy_csv import parse
from tests.services.report_world import SHANGHAI, customer_and_technicians

NOV = ReportQuery(date(2026, 11, 1), date(2026, 11, 30))
LATER = datetime(2027, 6, 1, tzinfo=UTC)


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), SHANGHAI).astimezone(UTC)


@pytest.fixture()
def station(tmp_path: Path) -> Services:
    svc = open_services(tmp_path / "data")
    n = iter(range(1, 100))
    with svc.db.write() as s:
        store_policy(s, SYSTEM, parse(DEMO_POLICY_CSV.encode()), source="file", revision=0,
                     now=datetime(2026, 10, 1, tzinfo=UTC))
        c = customer_and_technicians(s)
        p1 = Product(customer_id=c.id, model="KFR-35GW", serial_no="SN1")
        p2 = Product(customer_id=c.id, model="KFR-35GW", serial_no="SN2")
        p3 = Product(customer_id=c.id, model="BCD-200", serial_no="SN3")
        p3b = Product(customer_id=c.id, model="BCD-200", serial_no="SN3")  # registered again
        p4 = Product(customer_id=c.id, model="BCD-200", serial_no="")
        s.add_all([p1, p2, p3, p3b, p4])
        s.flush()

        def order(product: Product, called: datetime, cleared: datetime | None = None,
                  kind: str = "repair", tech: str | None = None,
                  status: str = "closed") -> None:
            s.add(ServiceOrder(number=f"R{next(n)}", order_type=kind, source="phone",
                               service_mode="on_site", status=status, customer_id=c.id,
                               product_id=product.id, called_at=called, cleared_at=cleared,
                               technician_id=tech))

        done1 = date(2026, 11, 3)
        order(p1, _local(date(2026, 11, 2), 9), _local(done1, 10), tech="t1")
        # day 90 after the completion day, late in the evening: a repeat
        order(p1, _local(done1 + timedelta(days=90), 23, 30))
        done2 = date(2026, 11, 5)
        # called before the first order's completion: no comeback
        order(p2, _local(date(2026, 11, 4), 8))
        order(p2, _local(date(2026, 11, 4), 9), _local(done2, 10), tech="t1")
        # day 91, ten past midnight: too late
        order(p2, _local(done2 + timedelta(days=91), 0, 10))
        # the same serial and model on another product record: a repeat
        order(p3, _local(date(2026, 11, 6), 9), _local(date(2026, 11, 6), 12), tech="t2")
        order(p3b, _local(date(2026, 11, 20), 9))
        # an install and a cancelled repair after it are no comebacks
        order(p4, _local(date(2026, 11, 7), 9), _local(date(2026, 11, 8), 9), tech="t1")
        order(p4, _local(date(2026, 11, 10), 9), _local(date(2026, 11, 10), 15), kind="install")
        order(p4, _local(date(2026, 11, 11), 9), status="cancelled")
    yield svc
    svc.close()


def _run(svc: Services, query: ReportQuery = NOV, now: datetime = LATER):
    return StationReportService(svc.db, clock=lambda: now, tz=SHANGHAI).run(
        SYSTEM, "repeats", query)


def _rows(result, table: str) -> dict:
    return {row[0]: row[1:] for row in result.table(table).rows}


def test_repeats_by_model_and_by_technician(station: Services) -> None:
    r = _run(station)
    # first orders, repeats, rate, still open
    assert _rows(r, "by_model") == {"KFR-35GW": (2, 1, 0.5, 0), "BCD-200": (2, 1, 0.5, 0)}
    assert _rows(r, "by_technician") == {"王工": (3, 1, pytest.approx(1 / 3), 0),
                                         "李工": (1, 1, 1.0, 0)}
    assert r.table("by_model").totals == ("Total", 4, 2, 0.5, 0)
    assert r.table("by_technician").rows[0][0] == "李工"  # highest rate first


def test_windows_not_yet_over_are_still_open(station: Services) -> None:
    r = _run(station, now=datetime(2026, 12, 1, tzinfo=UTC))
    assert r.table("by_model").totals == ("Total", 4, 2, 0.5, 4)
    # the day after the 90th day of the first completion (3 Nov) has begun for one of them
    r = _run(station, now=_local(date(2027, 2, 2), 0, 0))
    assert r.table("by_model").totals[4] == 3


def test_filters(station: Services) -> None:
    r = _run(station, ReportQuery(NOV.start, NOV.end, technician_id="t2"))
    assert _rows(r, "by_model") == {"BCD-200": (1, 1, 1.0, 0)}
    r = _run(station, ReportQuery(NOV.start, NOV.end, category="冰箱"))
    assert _rows(r, "by_model") == {"BCD-200": (2, 1, 0.5, 0)}
    r = _run(station, ReportQuery(NOV.start, NOV.end, order_type="install"))
    assert _rows(r, "by_model") == {"BCD-200": (1, 0, 0.0, 0)}
    r = _run(station, ReportQuery(NOV.start, NOV.end, source="walk_in"))
    assert _rows(r, "by_model") == {}


def test_an_empty_range(station: Services) -> None:
    r = _run(station, ReportQuery(date(2025, 1, 1), date(2025, 1, 31)))
    assert r.table("by_model").rows == () and r.table("by_technician").rows == ()
    assert r.table("by_model").totals == ("Total", 0, 0, None, 0)
