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


def test_the_customer_form_keeps_a_checked_email_and_the_opt_out(services, station) -> None:
    from app.domain.errors import FieldErrors, RuleViolation
    from app.services.customers import CustomerInput

    clerk = station["clerk"]
    made = services.customers.create(clerk, CustomerInput(
        "韩梅梅", ("010-62345678",), email=" meimei@example.com ", notify_opt_out=True))
    assert (made.email, made.notify_opt_out) == ("meimei@example.com", True)
    for bad in ("meimei", "a@b", "a b@example.com", "x@example.com\r\nBcc: y@example.com"):
        with pytest.raises((FieldErrors, RuleViolation)) as err:
            services.customers.update(clerk, made.id, CustomerInput(
                "韩梅梅", ("010-62345678",), email=bad), made.revision)
        fields = ([e.field for e in err.value.errors] if isinstance(err.value, FieldErrors)
                  else [err.value.field])
        assert "email" in fields
    again = services.customers.update(clerk, made.id, CustomerInput(
        "韩梅梅", ("010-62345678",), email="mm@example.cn"), made.revision)
    assert (again.email, again.notify_opt_out) == ("mm@example.cn", False)


def test_export_holds_and_erasure_removes_the_email_and_the_recipients(services, station,
                                                                        tmp_path) -> None:
    import zipfile

    order = new_order(services, station["clerk"])
    with services.db.write() as s:
        row = s.get(ServiceOrder, order.id)
        s.execute(update(Customer).where(Customer.id == row.customer_id)
                  .values(email="lilei@example.com"))
        customer_id = row.customer_id
    target = tmp_path / "export.zip"
    services.privacy.export_customer(station["manager"], customer_id, target)
    with zipfile.ZipFile(target) as z:
        name = next(n for n in z.namelist() if n.endswith(".json"))
        data = json.loads(z.read(name))
    assert data["customer"]["email"] == "lilei@example.com"
    assert [n["event"] for n in data["notifications"]] == ["order_received"]
    services.privacy.erase_customer(station["manager"], customer_id, "本人", "要求删除")
    with services.db.read() as s:
        assert s.get(Customer, customer_id).email == ""
        [msg] = s.scalars(select(Notification)).all()
        ops = s.scalars(select(OutboxOp).where(OutboxOp.entity == "notification")
                        .order_by(OutboxOp.seq)).all()
    assert msg.recipient == "" and msg.event == "order_received"
    assert json.loads(ops[-1].payload)["recipient"] == ""


def test_head_office_state_applies_in_order_and_an_unknown_message_is_a_conflict(
        services, station) -> None:
    from app.services.notifications_sync import apply_state
    from app.store.models import SyncConflict
    from sync import protocol as p

    order = new_order(services, station["clerk"])
    [msg] = messages(services, order.id)

    def change(seq: int, state: str, attempts: int, target: str = msg.id) -> p.Change:
        return p.Change(seq, "notification_state", target, "upsert", {
            "notification_id": target, "state": state, "state_detail": f"{state} {attempts}",
            "attempts": attempts, "state_at": "2026-06-01T02:00:00+00:00"})

    with services.db.write() as s:
        now = msg.created_at
        assert apply_state(s, change(1, "queued", 1), now) == {"notifications"}
        apply_state(s, change(2, "failed", 3), now)
        assert apply_state(s, change(3, "queued", 2), now) == set()  # older: ignored
        assert apply_state(s, change(4, "delivered", 1, "no-such-id"), now) == {"conflicts"}
    with services.db.read() as s:
        row = s.get(Notification, msg.id)
        assert (row.state, row.attempts, row.state_detail) == ("failed", 3, "failed 3")
        assert s.scalar(select(SyncConflict.kind)) == "unknown_notification"
        ops = s.scalars(select(OutboxOp).where(OutboxOp.entity == "notification")).all()
    assert len(ops) == 1  # head office's fields are not pushed back
