"""The report façade and report ``orders`` on a small hand-made station: counts by status,
type and source, the filters, an empty range, and bad questions refused."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from app.bootstrap import Services, open_services
from app.domain.enums import OrderSource, OrderStatus, OrderType, Role
from app.domain.errors import RuleViolation
from app.domain.report_tables import ReportQuery
from app.services.context import SYSTEM, Actor
from app.services.errors import PermissionDenied
from app.services.station_reports import StationReportService
from app.store.models import Customer, ServiceOrder

SHANGHAI = timezone(timedelta(hours=8))


def _order(s, number: str, called: datetime, status: OrderStatus, kind: OrderType,
           source: OrderSource, customer: Customer) -> None:
    s.add(ServiceOrder(number=number, order_type=kind.value, source=source.value,
                       service_mode="on_site", status=status.value, customer_id=customer.id,
                       called_at=called))


@pytest.fixture()
def station(tmp_path: Path) -> Services:
    svc = open_services(tmp_path / "data")
    with svc.db.write() as s:
        c = Customer(name="张三")
        s.add(c)
        s.flush()
        # 1 Nov 00:30 Shanghai is 31 Oct 16:30 UTC: inside a November report
        _order(s, "A1", datetime(2026, 10, 31, 16, 30, tzinfo=UTC), OrderStatus.RECEIVED,
               OrderType.REPAIR, OrderSource.PHONE, c)
        _order(s, "A2", datetime(2026, 11, 15, 2, 0, tzinfo=UTC), OrderStatus.CLOSED,
               OrderType.REPAIR, OrderSource.HEAD_OFFICE, c)
        _order(s, "A3", datetime(2026, 11, 30, 15, 59, tzinfo=UTC), OrderStatus.CLOSED,
               OrderType.INSTALL, OrderSource.PHONE, c)
        # 1 Dec 00:00 Shanghai: outside
        _order(s, "A4", datetime(2026, 11, 30, 16, 0, tzinfo=UTC), OrderStatus.CLOSED,
               OrderType.REPAIR, OrderSource.PHONE, c)
    yield svc
    svc.close()


def _reports(svc: Services) -> StationReportService:
    return StationReportService(svc.db, tz=SHANGHAI)


def _counts(result, table: str) -> dict:
    t = result.table(table)
    return {row[0]: row[1] for row in t.rows if row[1]}


def test_counts_follow_the_local_days_of_the_range(station: Services) -> None:
    r = _reports(station).run(SYSTEM, "orders", ReportQuery(date(2026, 11, 1), date(2026, 11, 30)))
    assert _counts(r, "by_status") == {OrderStatus.RECEIVED: 1, OrderStatus.CLOSED: 2}
    assert _counts(r, "by_type") == {OrderType.REPAIR: 2, OrderType.INSTALL: 1}
    assert _counts(r, "by_source") == {OrderSource.PHONE: 2, OrderSource.HEAD_OFFICE: 1}
    totals = r.table("by_status").totals
    assert totals is not None and totals[1] == 3 and totals[2] == 1.0
    share = {row[0]: row[2] for row in r.table("by_source").rows}
    assert share[OrderSource.PHONE] == pytest.approx(2 / 3)


def test_filters_narrow_the_orders(station: Services) -> None:
    q = ReportQuery(date(2026, 11, 1), date(2026, 11, 30), source=OrderSource.PHONE.value,
                    order_type=OrderType.REPAIR.value)
    r = _reports(station).run(SYSTEM, "orders", q)
    assert _counts(r, "by_status") == {OrderStatus.RECEIVED: 1}


def test_an_empty_range_has_no_shares(station: Services) -> None:
    r = _reports(station).run(SYSTEM, "orders", ReportQuery(date(2025, 1, 1), date(2025, 1, 31)))
    t = r.table("by_status")
    assert all(row[1] == 0 and row[2] is None for row in t.rows)
    assert t.totals == ("Total", 0, None)


def test_bad_questions_are_refused(station: Services) -> None:
    reports = _reports(station)
    with pytest.raises(RuleViolation, match="before the start"):
        reports.run(SYSTEM, "orders", ReportQuery(date(2026, 11, 2), date(2026, 11, 1)))
    with pytest.raises(RuleViolation, match="at most"):
        reports.run(SYSTEM, "orders", ReportQuery(date(2020, 1, 1), date(2026, 1, 1)))
    with pytest.raises(RuleViolation, match="no report"):
        reports.run(SYSTEM, "nonsense", ReportQuery(date(2026, 11, 1), date(2026, 11, 2)))
    clerk = Actor("u1", "clerk", "李", Role.CLERK)
    with pytest.raises(PermissionDenied):
        reports.run(clerk, "orders", ReportQuery(date(2026, 11, 1), date(2026, 11, 2)))


def test_every_listed_report_loads(station: Services) -> None:
    names = [info.name for info in _reports(station).catalogue()]
    assert names[0] == "orders" and len(names) == len(set(names))


def test_the_technician_filter_offers_whoever_has_orders(station: Services) -> None:
    from app.store.models import User

    with station.db.write() as s:
        boss = User(username="boss", display_name="张站长", role=Role.MANAGER.value,
                    password_hash="x")
        tech = User(username="wang", display_name="王师傅", role=Role.TECHNICIAN.value,
                    password_hash="x")
        idle = User(username="li", display_name="李信息员", role=Role.CLERK.value,
                    password_hash="x")
        s.add_all([boss, tech, idle])
        s.flush()
        s.query(ServiceOrder).filter_by(number="A2").one().technician_id = boss.id
    names = [name for _id, name in _reports(station).choices().technicians]
    assert names == sorted(["张站长", "王师傅"])
