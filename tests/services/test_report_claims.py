"""Report ``claims`` on hand-made batches: claimed, approved, adjusted (granted and cut),
rejected and undecided amounts by claim month and by batch, drafts and months outside the
range left out, rejection reasons counted, the filters and an empty range."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from app.bootstrap import Services, open_services
from app.domain.claims import ClaimStatus
from app.domain.report_tables import ReportQuery
from app.services.context import SYSTEM
from app.services.station_reports import StationReportService
from app.store.models import ClaimBatch, ClaimLine, ServiceOrder
from tests.services.report_world import SHANGHAI, customer_and_technicians

RANGE = ReportQuery(date(2026, 10, 15), date(2026, 11, 30))


@pytest.fixture()
def station(tmp_path: Path) -> Services:
    svc = open_services(tmp_path / "data")
    with svc.db.write() as s:
        c = customer_and_technicians(s)
        orders = {}
        for number, tech, kind in (("O1", "t1", "repair"), ("O2", "t2", "install"),
                                   ("O3", "t1", "repair")):
            orders[number] = ServiceOrder(
                number=number, order_type=kind, source="phone", service_mode="on_site",
                status="closed", customer_id=c.id, technician_id=tech,
                called_at=datetime(2026, 9, 20, tzinfo=UTC))
        s.add_all(orders.values())
        s.flush()

        def batch(number: str, period: str, status: ClaimStatus, *lines: tuple) -> None:
            b = ClaimBatch(number=number, period=period, status=status.value)
            s.add(b)
            s.flush()
            for i, (order, amount, decision, granted, reason) in enumerate(lines):
                s.add(ClaimLine(batch_id=b.id, position=i, order_id=orders[order].id,
                                kind="labour", description="维修费", amount_fen=amount,
                                decision=decision, approved_fen=granted,
                                decision_reason=reason))

        batch("CB-10", "2026-10", ClaimStatus.DECIDED,
              ("O1", 10000, "approved", 10000, ""),
              ("O2", 5000, "adjusted", 3000, "超出标准"),
              ("O3", 2000, "rejected", 0, "重复索赔"))
        batch("CB-11", "2026-11", ClaimStatus.SUBMITTED,
              ("O1", 8000, "", None, ""),
              ("O2", 1500, "rejected", 0, "重复索赔"),
              ("O3", 700, "rejected", 0, "无旧件"))
        batch("CB-11D", "2026-11", ClaimStatus.DRAFT, ("O1", 9999, "", None, ""))
        batch("CB-09", "2026-09", ClaimStatus.SETTLED, ("O1", 100, "approved", 100, ""))
    yield svc
    svc.close()


def _run(svc: Services, query: ReportQuery = RANGE):
    return StationReportService(svc.db, tz=SHANGHAI).run(SYSTEM, "claims", query)


def test_amounts_by_month_and_batch(station: Services) -> None:
    r = _run(station)
    # batches, lines, claimed, approved, adjusted, cut, rejected, undecided, granted
    assert r.table("by_month").rows == (
        ("2026-10", 1, 3, 17000, 10000, 3000, 2000, 2000, 0, 13000),
        ("2026-11", 1, 3, 10200, 0, 0, 0, 2200, 8000, 0))
    assert r.table("by_month").totals == ("Total", 2, 6, 27200, 10000, 3000, 2000, 4200, 8000,
                                          13000)
    batches = r.table("by_batch")
    assert [row[:3] for row in batches.rows] == [("CB-10", "2026-10", ClaimStatus.DECIDED),
                                                 ("CB-11", "2026-11", ClaimStatus.SUBMITTED)]
    assert batches.totals == ("Total", None, None, 6, 27200, 10000, 3000, 2000, 4200, 8000,
                              13000)


def test_rejection_reasons(station: Services) -> None:
    t = _run(station).table("rejection_reasons")
    assert t.rows == (("重复索赔", 2, 3500), ("无旧件", 1, 700))
    assert t.totals == ("Total", 3, 4200)


def test_filters_apply_to_the_lines_orders(station: Services) -> None:
    r = _run(station, ReportQuery(RANGE.start, RANGE.end, technician_id="t1"))
    assert r.table("by_month").rows == (
        ("2026-10", 1, 2, 12000, 10000, 0, 0, 2000, 0, 10000),
        ("2026-11", 1, 2, 8700, 0, 0, 0, 700, 8000, 0))
    assert r.table("rejection_reasons").rows == (("重复索赔", 1, 2000), ("无旧件", 1, 700))
    r = _run(station, ReportQuery(RANGE.start, RANGE.end, order_type="install"))
    assert r.table("by_month").totals == ("Total", 2, 2, 6500, 0, 3000, 2000, 1500, 0, 3000)


def test_an_empty_range(station: Services) -> None:
    r = _run(station, ReportQuery(date(2025, 1, 1), date(2025, 1, 31)))
    assert r.table("by_month").rows == () and r.table("by_batch").rows == ()
    assert r.table("by_month").totals == ("Total", 0, 0, 0, 0, 0, 0, 0, 0, 0)
    assert r.table("rejection_reasons").totals == ("Total", 0, 0)
