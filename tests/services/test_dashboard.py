"""The dashboard's figures on a small hand-built station (one overdue order, one late visit,
one low part, one submitted claim batch...), each equal to what the list behind it shows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from app.bootstrap import Services
from app.domain.enums import OrderStatus
from app.services.context import Actor
from app.services.dashboard import DashboardService
from app.services.errors import PermissionDenied
from app.services.order_queries import OrderFilter
from app.store.models import ClaimBatch, ClaimLine, Customer, OutboxOp, ServiceOrder
from tests.ui.parts_helpers import seed_parts

SHANGHAI = timezone(timedelta(hours=8))
#: 10 June 2026, 12:00 in Shanghai
NOW = datetime(2026, 6, 10, 4, 0, tzinfo=UTC)


def _t(day: int, hour: int, minute: int = 0, month: int = 6) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


#: number -> (status, called, responded, arrived, cleared), UTC
ORDERS = {
    # called at 00:00 Shanghai today, the first moment of 今日新增; clocks running
    "A0": (OrderStatus.RECEIVED, _t(9, 16), _t(9, 16, 10), None, None),
    "A1": (OrderStatus.ACCEPTED, _t(10, 1), _t(10, 1, 10), None, None),
    # 23:30 Shanghai yesterday, never responded: the one overdue order
    "B": (OrderStatus.RECEIVED, _t(9, 15, 30), None, None, None),
    # waiting for parts, clearing clock running until tomorrow 10:00 UTC
    "D": (OrderStatus.WAITING_PARTS, _t(9, 6), _t(9, 6, 10), _t(9, 10), None),
    # completed on 1 June (20:00 Shanghai): its call was due on 4 June, so it is late
    "E": (OrderStatus.COMPLETED, _t(1, 2), _t(1, 2, 20), _t(1, 8), _t(1, 12)),
    # completed yesterday: due, not late
    "I": (OrderStatus.COMPLETED, _t(8, 2), _t(8, 2, 5), _t(8, 9), _t(9, 3)),
    # responded after 45 minutes: breached, though closed
    "H": (OrderStatus.CLOSED, _t(2, 2), _t(2, 2, 45), _t(2, 6), _t(2, 8)),
    # cancelled this month: not counted by the SLA share
    "G": (OrderStatus.CANCELLED, _t(8, 1), None, None, None),
    # last month
    "F": (OrderStatus.CLOSED, _t(20, 2, month=5), _t(20, 2, 5, month=5), _t(20, 5, month=5),
          _t(20, 7, month=5)),
}


@pytest.fixture
def figures_station(services: Services, station: dict[str, Actor], clock) -> Services:
    clock.now = NOW
    seed_parts(services, station["manager"])  # GR-FAN-12: 2 on the shelf, threshold 2
    with services.db.write() as s:
        customer = Customer(name="张三")
        s.add(customer)
        s.flush()
        ids = {}
        for number, (status, called, responded, arrived, cleared) in ORDERS.items():
            order = ServiceOrder(number=number, order_type="repair", source="phone",
                                 service_mode="on_site", status=status.value,
                                 customer_id=customer.id, called_at=called,
                                 responded_at=responded, arrived_at=arrived,
                                 cleared_at=cleared)
            s.add(order)
            s.flush()
            ids[number] = order.id
        submitted = ClaimBatch(number="CB-1", period="2026-05", status="submitted")
        draft = ClaimBatch(number="CB-2", period="2026-06", status="draft")
        s.add_all([submitted, draft])
        s.flush()
        for amount, batch in ((5000, submitted), (3000, submitted), (9900, draft)):
            s.add(ClaimLine(batch_id=batch.id, order_id=ids["E"], kind="labour",
                            description="工时", amount_fen=amount))
    return services


def _dashboard(services: Services) -> DashboardService:
    return DashboardService(services.db, services.orders.clock, tz=SHANGHAI)


def test_the_figures_of_a_small_station(figures_station: Services,
                                        station: dict[str, Actor]) -> None:
    f = _dashboard(figures_station).figures(station["manager"])
    assert f.today_new == 2
    assert f.today_from == _t(9, 16)
    assert f.open_orders == 6  # A0 A1 B D E I
    assert f.overdue == 1
    assert (f.sla_within, f.sla_orders) == (5, 7)  # B overdue, H breached; G, F not counted
    assert f.sla_share == pytest.approx(5 / 7)
    assert f.waiting_parts == 1
    assert f.low_stock == 1
    assert (f.visits_due, f.visits_overdue) == (2, 1)
    assert (f.claims_waiting, f.claims_waiting_fen) == (1, 8000)
    assert f.outbox_pending == figures_station.outbox.pending_count() > 0


def test_each_order_figure_is_what_the_orders_list_shows(figures_station: Services,
                                                         station: dict[str, Actor]) -> None:
    dash = _dashboard(figures_station)
    f = dash.figures(station["manager"])
    search = figures_station.orders.search

    def numbers(flt: OrderFilter) -> set[str]:
        return {r.number for r in search(flt)}

    assert numbers(OrderFilter(called_from=f.today_from)) == {"A0", "A1"}
    assert numbers(OrderFilter(open_only=True)) == {"A0", "A1", "B", "D", "E", "I"}
    assert numbers(OrderFilter(overdue_only=True)) == {"B"}
    assert numbers(OrderFilter(status=OrderStatus.WAITING_PARTS)) == {"D"}
    low = figures_station.stock.stock_list(low=True)
    assert [r.part_no for r in low] == ["GR-FAN-12"] and f.low_stock == len(low)
    queue = figures_station.visits.queue()
    assert f.visits_due == len(queue)


def test_an_empty_month_has_no_sla_share(services: Services, station: dict[str, Actor],
                                         clock) -> None:
    clock.now = NOW
    with services.db.write() as s:
        s.execute(update(OutboxOp).values(acked_at=NOW))
    f = _dashboard(services).figures(station["manager"])
    assert f.sla_orders == 0 and f.sla_share is None
    assert (f.today_new, f.open_orders, f.overdue, f.low_stock, f.outbox_pending) == (
        0, 0, 0, 0, 0)


def test_only_the_manager_sees_the_figures(services: Services,
                                           station: dict[str, Actor]) -> None:
    for role in ("clerk", "tech"):
        with pytest.raises(PermissionDenied):
            services.dashboard.figures(station[role])
    assert services.dashboard.figures(station["manager"]).open_orders == 0
