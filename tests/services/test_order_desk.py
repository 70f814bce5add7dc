"""The order desk's service rules (issue 9, items 5, 6, 8): a new order's every refused field
raised at once, the warnings before saving (on-site without an address, a serial with open
orders) that refuse until acknowledged with a reason kept in the audit, and a cancelled
order's promises reading *stopped*."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.domain.enums import OrderSource, OrderStatus, OrderType, ServiceMode
from app.domain.errors import FieldErrors, RuleViolation
from app.domain.sla import ClockState, Promise, SlaTimes, clocks
from app.domain.state_machine import Action
from app.i18n import render
from app.services.customers import CustomerInput, ProductInput
from app.services.order_warnings import ACK_ACTION, Ack, WarningKind, WarningsPending
from app.services.orders import NewOrder, OrderEdit
from app.store.models import AuditEntry
from tests.services.helpers import counts, new_order


def _empty(**kw) -> NewOrder:
    base = dict(order_type=OrderType.REPAIR, source=OrderSource.PHONE,
                service_mode=ServiceMode.WORKSHOP, fault_description="", contact_phone="",
                customer=CustomerInput("", ()), product=None)
    base.update(kw)
    return NewOrder(**base)


# -- every refused field at once -------------------------------------------------------------
def test_an_empty_new_order_reports_every_missing_field_at_once(services, station) -> None:
    before = counts(services)
    with pytest.raises(FieldErrors) as caught:
        services.orders.create(station["clerk"], _empty())
    fields = [e.field for e in caught.value.errors]
    assert fields == ["name", "phones", "fault_description", "contact_phone"]
    assert caught.value.field == "name"  # the first, for code that knows one field
    text = render(caught.value)
    assert "客户姓名" in text and "故障描述" in text and len(text.splitlines()) == 4
    assert counts(services) == before


def test_bad_product_and_order_fields_come_together(services, station, clock) -> None:
    future = (clock.now + timedelta(days=3)).date()
    new = _empty(customer=CustomerInput("李雷", ("12345",)), fault_description="不制冷",
                 contact_phone="12345",
                 product=ProductInput("", "SN1", future))
    with pytest.raises(FieldErrors) as caught:
        services.orders.create(station["clerk"], new)
    assert [e.field for e in caught.value.errors] == [
        "phones", "model", "purchase_date", "contact_phone"]


def test_one_refused_field_is_a_plain_rule_violation(services, station) -> None:
    with pytest.raises(RuleViolation) as caught:
        new_order(services, station["clerk"], fault="")
    assert not isinstance(caught.value, FieldErrors)
    assert caught.value.field == "fault_description"


def test_customer_form_gets_every_error_too(services, station) -> None:
    with pytest.raises(FieldErrors) as caught:
        services.customers.create(station["clerk"], CustomerInput("", ()))
    assert [e.field for e in caught.value.errors] == ["name", "phones"]


# -- warnings before saving ------------------------------------------------------------------
def _on_site_without_address(**kw) -> NewOrder:
    return NewOrder(order_type=OrderType.REPAIR, source=OrderSource.PHONE,
                    service_mode=ServiceMode.ON_SITE, fault_description="不制冷",
                    contact_phone="13812345678",
                    customer=CustomerInput("李雷", ("13812345678",), ""), **kw)


def test_on_site_without_address_is_refused_until_acknowledged(services, station) -> None:
    clerk, new = station["clerk"], _on_site_without_address()
    warnings = services.orders.warnings_for(new)
    assert [w.kind for w in warnings] == [WarningKind.NO_ADDRESS]
    assert warnings[0].field == "service_address"
    before = counts(services)
    with pytest.raises(WarningsPending) as caught:
        services.orders.create(clerk, new)
    assert [w.kind for w in caught.value.warnings] == [WarningKind.NO_ADDRESS]
    assert counts(services) == before
    with pytest.raises(RuleViolation) as no_reason:
        services.orders.create(clerk, new, acknowledged=Ack.of(warnings, "  "))
    assert no_reason.value.field == "ack_reason"
    assert counts(services) == before

    order = services.orders.create(clerk, new, acknowledged=Ack.of(warnings, "客户到时电话告知"))
    with services.db.read() as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.entity_id == order.id,
                                                     AuditEntry.action == ACK_ACTION)).all()
    assert len(entries) == 1
    assert "客户到时电话告知" in entries[0].detail and "no_address" in entries[0].detail
    assert entries[0].username == "clerk"


def test_an_address_or_another_mode_raises_no_warning(services, station) -> None:
    orders = services.orders
    assert orders.warnings_for(_on_site_without_address(service_address="学院路1号")) == []
    workshop = _on_site_without_address()
    workshop = NewOrder(**{**workshop.__dict__, "service_mode": ServiceMode.WORKSHOP})
    assert orders.warnings_for(workshop) == []
    # an existing customer's address counts
    first = new_order(services, station["clerk"], serial="X1")
    again = NewOrder(order_type=OrderType.REPAIR, source=OrderSource.PHONE,
                     service_mode=ServiceMode.ON_SITE, fault_description="又坏了",
                     contact_phone="13812345678", customer_id=first.customer.id)
    assert orders.warnings_for(again) == []


def test_a_serial_with_open_orders_is_listed_and_must_be_acknowledged(
        services, station, clock) -> None:
    clerk = station["clerk"]
    first = new_order(services, clerk, serial="sn-dup")
    clock.now += timedelta(hours=1)
    second = new_order(services, clerk, serial="SN-DUP", phone="13912345678",
                       acknowledged=Ack("同一台机器两次报修"))
    services.orders.transition(clerk, second.id, Action.ACCEPT)
    closed = new_order(services, clerk, serial="SN-DUP", phone="13712345678",
                       acknowledged=Ack("再次报修"))
    services.orders.transition(station["manager"], closed.id, Action.CANCEL, reason="重复")

    again = NewOrder(order_type=OrderType.REPAIR, source=OrderSource.PHONE,
                     service_mode=ServiceMode.WORKSHOP, fault_description="不制冷",
                     contact_phone="13812345678", customer_id=first.customer.id,
                     product_id=first.product.id)
    warnings = services.orders.warnings_for(again)
    assert [w.kind for w in warnings] == [WarningKind.OPEN_ORDERS]
    listed = warnings[0].orders
    # newest first; the cancelled one is not open
    assert [(r.number, r.status) for r in listed] == [
        (second.number, OrderStatus.ACCEPTED), (first.number, OrderStatus.RECEIVED)]
    assert first.number in render(WarningsPending(warnings))
    before = counts(services)
    with pytest.raises(WarningsPending):
        services.orders.create(clerk, again)
    # acknowledging another kind does not cover this one
    with pytest.raises(WarningsPending):
        services.orders.create(clerk, again, acknowledged=Ack(
            "地址稍后补", frozenset({WarningKind.NO_ADDRESS})))
    assert counts(services) == before
    made = services.orders.create(clerk, again, acknowledged=Ack.of(warnings, "客户第三次来电"))
    with services.db.read() as s:
        detail = s.scalar(select(AuditEntry.detail).where(AuditEntry.entity_id == made.id,
                                                         AuditEntry.action == ACK_ACTION))
    assert first.number in detail and second.number in detail and "客户第三次来电" in detail


def test_an_edit_is_warned_of_other_orders_only(services, station) -> None:
    clerk = station["clerk"]
    order = new_order(services, clerk, serial="E1")
    edit = OrderEdit(order_type=OrderType.REPAIR, service_mode=ServiceMode.ON_SITE,
                     fault_description="x", contact_phone="13812345678", service_address="",
                     product_id=order.product.id)
    kinds = [w.kind for w in services.orders.warnings_for(edit, order.id)]
    assert kinds == [WarningKind.NO_ADDRESS]  # its own open order is no duplicate


# -- a cancelled order's promises ------------------------------------------------------------
def test_a_cancelled_order_reads_stopped_not_not_started(services, station) -> None:
    order = new_order(services, station["clerk"], serial="C1")
    cancelled = services.orders.transition(station["manager"], order.id, Action.CANCEL,
                                           reason="客户取消")
    assert {c.state for c in cancelled.sla.values()} == {ClockState.STOPPED}


def test_stopped_clocks_keep_what_was_met() -> None:
    called = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)
    times = SlaTimes(called, responded_at=called + timedelta(minutes=5), stopped=True)
    sla = clocks(times, called + timedelta(days=3))
    assert sla[Promise.RESPOND].state is ClockState.MET
    assert sla[Promise.ARRIVE].state is ClockState.STOPPED
    assert sla[Promise.CLEAR].state is ClockState.STOPPED
    assert not any(c.late for c in sla.values())
    running = clocks(SlaTimes(called), called + timedelta(minutes=1))
    assert running[Promise.CLEAR].state is ClockState.NOT_STARTED


def test_a_new_user_gets_every_error_at_once(services, station) -> None:
    from app.domain.enums import Role
    from app.services.users import NewUser

    before = len(services.users.list_users(active_only=False))
    with pytest.raises(FieldErrors) as caught:
        services.users.create_user(station["manager"], NewUser("A B", "", Role.CLERK, "x"))
    assert [e.field for e in caught.value.errors] == ["username", "display_name", "password"]
    assert len(services.users.list_users(active_only=False)) == before
