"""Customer notifications at the station: one message per event in the event's transaction
(order received, repair done with the amount the customer owes, return visit thanked), none
for a customer who opted out or has no mobile and no e-mail, and the values kept as values
(never a finished text), each row travelling through the outbox under its own id."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, update

from app.domain.state_machine import Action
from app.services import notifications
from app.store.models import Customer, Notification, OutboxOp, ServiceOrder
from tests.services.helpers import new_order

ALL_FIVE = {"speed": 5, "attitude": 5, "quality": 5, "price": 5}


def messages(services, order_id: str) -> list[Notification]:
    with services.db.read() as s:
        return list(s.scalars(select(Notification).where(Notification.order_id == order_id)
                              .order_by(Notification.created_at)))


def test_order_received_is_one_message_with_values_and_its_outbox_op(services,
                                                                     station) -> None:
    order = new_order(services, station["clerk"])
    [msg] = messages(services, order.id)
    assert (msg.event, msg.channel, msg.recipient, msg.state) == (
        "order_received", "sms", "13812345678", "queued")
    assert json.loads(msg.params) == {"order_no": order.number}
    with services.db.read() as s:
        ops = list(s.scalars(select(OutboxOp).where(OutboxOp.entity == "notification")))
    assert [op.entity_id for op in ops] == [msg.id]
    assert json.loads(ops[0].payload)["event"] == "order_received"


def test_done_carries_the_amount_due_and_the_visit_is_thanked(services, station) -> None:
    clerk, tech = station["clerk"], station["tech"]
    order = new_order(services, clerk, technician_id=tech.user_id)
    services.orders.transition(tech, order.id, Action.START_ON_SITE)
    services.orders.transition(tech, order.id, Action.COMPLETE)
    services.visits.record_visit(clerk, order.id, ALL_FIVE)
    events = [(m.event, json.loads(m.params)) for m in messages(services, order.id)]
    assert [e for e, _ in events] == ["order_received", "done", "visit_thanks"]
    assert events[1][1] == {"order_no": order.number, "amount_fen": "0"}


def test_an_opted_out_customer_or_one_without_address_gets_nothing(services, station) -> None:
    clerk = station["clerk"]
    first = new_order(services, clerk)
    with services.db.write() as s:
        s.execute(update(Customer).values(notify_opt_out=True))
    with services.db.write() as s:
        order = s.get(ServiceOrder, first.id)
        notifications.queue(s, clerk, "booked", order, {"window": "周三 14:00-16:00"})
    assert [m.event for m in messages(services, first.id)] == ["order_received"]
    landline = new_order(services, clerk, phone="010-62345678", name="韩梅梅", serial="SN3")
    assert messages(services, landline.id) == []
    with services.db.write() as s:
        row = s.get(ServiceOrder, landline.id)
        s.execute(update(Customer).where(Customer.id == row.customer_id)
                  .values(email="meimei@example.com"))
        notifications.queue(s, clerk, "booked", row,
                            {"window": "周三 14:00-16:00", "technician": "王师傅"})
    [msg] = messages(services, landline.id)
    assert (msg.channel, msg.recipient) == ("email", "meimei@example.com")


@pytest.mark.parametrize("params", [{"text": "line\r\nBcc: x@y"}, {"n": "x" * 500},
                                    {"Bad-Key": "1"}, {"obj": ["a"]}])
def test_params_are_short_plain_values(services, station, params) -> None:
    order = new_order(services, station["clerk"])
    with pytest.raises(ValueError), services.db.write() as s:
        notifications.queue(s, station["clerk"], "booked", s.get(ServiceOrder, order.id),
                            params)
    with pytest.raises(ValueError), services.db.write() as s:
        notifications.queue(s, station["clerk"], "nonsense", s.get(ServiceOrder, order.id), {})
    assert len(messages(services, order.id)) == 1


def test_the_list_masks_the_recipient_for_the_manager(services, station) -> None:
    order = new_order(services, station["clerk"])
    with services.db.read() as s:
        o = s.get(ServiceOrder, order.id)
        [full] = notifications.for_order(s, o, station["clerk"])
        [masked] = notifications.for_order(s, o, station["manager"])
    assert full.recipient == "13812345678" and masked.recipient == "138****5678"
    assert notifications.mask_recipient("email", "meimei@example.com") == "m***@example.com"
