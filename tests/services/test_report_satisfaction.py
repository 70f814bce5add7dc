"""Report ``satisfaction`` on a small hand-made station: per dimension count, average and
each score's count from the completed visits only, a dimension left unscored, complaints
counted by status and listed newest first, the filters and an empty range."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from app.bootstrap import Services, open_services
from app.domain.enums import OrderStatus
from app.domain.report_tables import ReportQuery
from app.services.context import SYSTEM
from app.services.station_reports import StationReportService
from app.store.models import ReturnVisit, ServiceOrder
from tests.services.report_world import SHANGHAI, customer_and_technicians

NOV = ReportQuery(date(2026, 11, 1), date(2026, 11, 30))


@pytest.fixture()
def station(tmp_path: Path) -> Services:
    svc = open_services(tmp_path / "data")
    with svc.db.write() as s:
        c = customer_and_technicians(s)

        def order(number: str, day: datetime, kind: str = "repair", tech: str | None = None,
                  status: str = "closed", related: ServiceOrder | None = None,
                  text: str = "") -> ServiceOrder:
            o = ServiceOrder(number=number, order_type=kind, source="phone",
                             service_mode="on_site", status=status, customer_id=c.id,
                             called_at=day, technician_id=tech, fault_description=text,
                             related_order_id=related.id if related else None)
            s.add(o)
            s.flush()
            return o

        def visit(o: ServiceOrder, scores: tuple, status: str = "done") -> None:
            s.add(ReturnVisit(order_id=o.id, status=status, speed_score=scores[0],
                              attitude_score=scores[1], quality_score=scores[2],
                              price_score=scores[3]))

        o1 = order("V1", datetime(2026, 11, 5, 2, tzinfo=UTC), tech="t1")
        visit(o1, (5, 4, 3, None))
        visit(order("V2", datetime(2026, 11, 6, 2, tzinfo=UTC), kind="install", tech="t2"),
              (3, 4, 5, 2))
        visit(order("V3", datetime(2026, 11, 7, 2, tzinfo=UTC), tech="t1"), (1, 1, 1, 1),
              status="pending")
        visit(order("V4", datetime(2026, 10, 20, 2, tzinfo=UTC), tech="t1"), (1, 1, 1, 1))
        order("C1", datetime(2026, 11, 10, 2, tzinfo=UTC), kind="complaint", status="received",
              related=o1, text="=师傅迟到")
        order("C2", datetime(2026, 11, 12, 2, tzinfo=UTC), kind="complaint", tech="t2")
        order("C3", datetime(2026, 10, 1, 2, tzinfo=UTC), kind="complaint")
    yield svc
    svc.close()


def _run(svc: Services, query: ReportQuery = NOV):
    return StationReportService(svc.db, tz=SHANGHAI).run(SYSTEM, "satisfaction", query)


def _dimensions(result) -> dict:
    return {row[0]: row[1:] for row in result.table("by_dimension").rows}


def test_scores_per_dimension(station: Services) -> None:
    r = _run(station)
    # scores given, average, then how many gave 1..5
    assert _dimensions(r) == {"Response speed": (2, 4.0, 0, 0, 1, 0, 1),
                              "Service attitude": (2, 4.0, 0, 0, 0, 2, 0),
                              "Repair quality": (2, 4.0, 0, 0, 1, 0, 1),
                              "Fair price": (1, 2.0, 0, 1, 0, 0, 0)}
    totals = r.table("by_dimension").totals
    assert totals == ("All dimensions", 7, pytest.approx(26 / 7), 0, 1, 2, 2, 2)


def test_complaints_counted_and_listed(station: Services) -> None:
    r = _run(station)
    by_status = r.table("complaints_by_status")
    assert {row[0]: row[1] for row in by_status.rows} == {OrderStatus.RECEIVED: 1,
                                                          OrderStatus.CLOSED: 1}
    assert by_status.totals == ("Total", 2)
    listed = r.table("complaints").rows
    assert [row[0] for row in listed] == ["C2", "C1"]
    c1 = listed[1]
    assert c1[1] == datetime(2026, 11, 10, 2, tzinfo=UTC) and c1[2] is OrderStatus.RECEIVED
    assert c1[3:] == ("V1", "王工", "张三", "=师傅迟到")
    assert listed[0][3] is None and listed[0][4] is None


def test_filters(station: Services) -> None:
    r = _run(station, ReportQuery(NOV.start, NOV.end, technician_id="t1"))
    assert _dimensions(r)["Response speed"][:2] == (1, 5.0)
    assert _dimensions(r)["Fair price"][:2] == (0, None)
    assert r.table("complaints_by_status").totals == ("Total", 0)
    r = _run(station, ReportQuery(NOV.start, NOV.end, technician_id="t2"))
    assert [row[0] for row in r.table("complaints").rows] == ["C2"]
    r = _run(station, ReportQuery(NOV.start, NOV.end, order_type="install"))
    assert _dimensions(r)["Fair price"][:2] == (1, 2.0)
    assert r.table("complaints").rows == ()


def test_an_empty_range(station: Services) -> None:
    r = _run(station, ReportQuery(date(2025, 1, 1), date(2025, 1, 31)))
    assert all(row[1] == 0 and row[2] is None for row in r.table("by_dimension").rows)
    assert r.table("by_dimension").totals == ("All dimensions", 0, None, 0, 0, 0, 0, 0)
    assert r.table("complaints").rows == () and r.table("complaints_by_status").rows == ()
