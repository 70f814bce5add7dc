"""收款: the amount due follows the customer-paid lines; payments up to what is outstanding,
by method; the manager's waiver with a reason; bad amounts refused with nothing stored; the
day's summary adds orders' payments to the counter sales per method; synced."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.domain.enums import ChargeKind, Payer
from app.domain.errors import RuleViolation
from app.domain.parts import PaymentMethod
from app.domain.payments import PaymentStatus
from app.domain.state_machine import Action
from app.services.errors import PermissionDenied
from app.services.orders import ChargeInput
from app.store.models import ChargeLine, OutboxOp
from tests.printing.helpers import page_texts
from tests.services.helpers import counts, new_order


def _completed(services, station, clock, lines, maker: set[str] = frozenset()):
    clerk, tech = station["clerk"], station["tech"]
    order = new_order(services, clerk)
    services.orders.transition(clerk, order.id, Action.ACCEPT)
    services.orders.transition(clerk, order.id, Action.ASSIGN, technician_id=tech.user_id)
    clock.now += timedelta(hours=1)
    order = services.orders.transition(tech, order.id, Action.START_ON_SITE)
    order = services.orders.set_charges(tech, order.id, lines, order.revision)
    with services.db.write() as s:  # the policy's decision, made here without one
        for description in maker:
            s.execute(update(ChargeLine).where(ChargeLine.order_id == order.id,
                                               ChargeLine.description == description)
                      .values(payer=Payer.MAKER.value))
    clock.now += timedelta(hours=1)
    return services.orders.transition(tech, order.id, Action.COMPLETE)


LINES = [ChargeInput(ChargeKind.LABOUR, "工时", 1, 8000),
         ChargeInput(ChargeKind.PARTS, "温控器", 2, 3550),
         ChargeInput(ChargeKind.TRAVEL, "上门", 1, 3000)]


def test_due_is_the_customer_lines_and_payments_add_up(services, station, clock) -> None:
    clerk = station["clerk"]
    order = _completed(services, station, clock, LINES, maker={"工时"})
    state = services.payments.state(order.id)
    assert state.balance.due_fen == 2 * 3550 + 3000
    assert state.status is PaymentStatus.UNPAID
    state = services.payments.receive(clerk, order.id, 5000, PaymentMethod.WECHAT)
    assert state.status is PaymentStatus.PARTLY_PAID and state.balance.outstanding_fen == 5100
    clock.now += timedelta(minutes=5)
    state = services.payments.receive(clerk, order.id, 5100, "cash")
    assert state.status is PaymentStatus.PAID and state.balance.outstanding_fen == 0
    assert [e.method for e in state.entries] == [PaymentMethod.WECHAT, PaymentMethod.CASH]
    with services.db.read() as s:
        ops = s.scalars(select(OutboxOp).where(OutboxOp.entity == "order_payment")).all()
    assert len(ops) == 2 and all(order.id in op.payload for op in ops)


def test_bad_payments_are_refused_and_store_nothing(services, station, clock) -> None:
    clerk, tech2 = station["clerk"], station["tech2"]
    order = _completed(services, station, clock, LINES)
    due = services.payments.state(order.id).balance.due_fen
    before = counts(services)
    for amount, method in ((-1, "cash"), (0, "cash"), (due + 1, "cash"), (100, "bitcoin"),
                           ("100", "cash")):
        with pytest.raises(RuleViolation):
            services.payments.receive(clerk, order.id, amount, method)
    with pytest.raises(PermissionDenied):
        services.payments.receive(tech2, order.id, 100, "cash")
    with pytest.raises(PermissionDenied):
        services.payments.waive(clerk, order.id, "老客户")
    with pytest.raises(RuleViolation) as err:
        services.payments.waive(station["manager"], order.id, "  ")
    assert err.value.field == "reason"
    assert counts(services) == before
    services.payments.receive(station["tech"], order.id, 100, "cash")  # his own order, on site


def test_payment_waits_for_completion(services, station) -> None:
    order = new_order(services, station["clerk"])
    with pytest.raises(RuleViolation) as err:
        services.payments.receive(station["clerk"], order.id, 100, "cash")
    assert err.value.field == "status"


def test_the_manager_waives_the_rest_with_a_reason(services, station, clock) -> None:
    order = _completed(services, station, clock, LINES)
    services.payments.receive(station["clerk"], order.id, 10000, "cash")
    state = services.payments.waive(station["manager"], order.id, "老客户，抹零")
    assert state.status is PaymentStatus.WAIVED and state.balance.outstanding_fen == 0
    assert state.balance.waived_fen == 8000 + 2 * 3550 + 3000 - 10000
    assert state.entries[-1].reason == "老客户，抹零"
    with pytest.raises(RuleViolation):  # nothing left
        services.payments.receive(station["clerk"], order.id, 1, "cash")


def test_nothing_due_when_the_maker_pays_everything(services, station, clock) -> None:
    order = _completed(services, station, clock, LINES, maker={"工时", "温控器", "上门"})
    assert services.payments.state(order.id).status is PaymentStatus.NOTHING_DUE


def test_day_summary_adds_orders_and_sales_per_method(services, station, clock) -> None:
    order = _completed(services, station, clock, LINES)
    services.payments.receive(station["clerk"], order.id, 4000, "cash")
    services.payments.receive(station["clerk"], order.id, 2000, "alipay")
    services.payments.waive(station["manager"], order.id, "抹零")
    day = clock.now.astimezone().date()
    summary = services.payments.day_summary(day)
    assert summary.orders[PaymentMethod.CASH] == 4000
    assert summary.orders[PaymentMethod.ALIPAY] == 2000
    assert summary.waived_fen == 8000 + 2 * 3550 + 3000 - 6000
    assert summary.payments == 2 and summary.total_fen == 6000 + sum(summary.sales.values())
    assert services.payments.day_summary(day - timedelta(days=1)).total_fen == 0


def test_the_order_and_its_paper_say_what_was_paid(services, station, clock) -> None:
    order = _completed(services, station, clock, LINES, maker={"工时"})
    services.payments.receive(station["clerk"], order.id, 5000, PaymentMethod.WECHAT)
    detail = services.orders.detail(order.id)
    assert detail.payment is not None and detail.payment.balance.paid_fen == 5000
    sheet = services.reports.sheet(order.number)
    assert sheet.payment_text == "部分收款：已收 ¥50.00（微信 ¥50.00）；未收 ¥51.00"
    printed = "".join(page_texts(services.reports.pdf("report", sheet)))
    assert "收款情况" in printed and "已收 ¥50.00" in printed.replace("\n", "")
