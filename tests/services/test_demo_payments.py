"""The demo's payments: finished orders with something due are mostly paid, some in part,
a few waived with a reason, none beyond what is due; the day's takings add up."""

from __future__ import annotations

from sqlalchemy import select

from app.domain.payments import PaymentKind, PaymentStatus
from app.services.payments import PAYABLE_STATES
from app.store.models import OrderPayment, ServiceOrder


def test_finished_orders_are_paid_like_a_station_would(demo_station) -> None:
    with demo_station.db.read() as s:
        finished = s.scalars(select(ServiceOrder.id).where(
            ServiceOrder.status.in_([st.value for st in PAYABLE_STATES]))).all()
        rows = s.scalars(select(OrderPayment)).all()
    states = [demo_station.payments.state(order_id) for order_id in finished]
    due = [st for st in states if st.balance.due_fen]
    assert due, "the demo has finished orders the customer pays for"
    statuses = {st.status for st in due}
    assert PaymentStatus.PAID in statuses
    assert sum(st.status is PaymentStatus.PAID for st in due) > len(due) / 2
    assert all(st.balance.overpaid_fen == 0 for st in states)
    waivers = [r for r in rows if r.kind == PaymentKind.WAIVER.value]
    assert all(r.reason for r in waivers)
    assert {r.method for r in rows if r.kind == PaymentKind.PAYMENT.value} >= {"cash", "wechat"}
    days = {r.received_at.astimezone().date() for r in rows}
    total = sum(demo_station.payments.day_summary(d).orders[m]
                for d in days for m in demo_station.payments.day_summary(d).orders)
    assert total == sum(r.amount_fen for r in rows if r.kind == PaymentKind.PAYMENT.value)
