"""Booking rules of visits (预约): each error and warning, nothing stored half, a move keeps the
history, the day plan in time order with its phones masked by role and the reserved parts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app.bootstrap import Services
from app.domain.appointments import AppointmentStatus, ReasonParty, WarningsPending, window_text
from app.domain.enums import ServiceMode
from app.domain.errors import RuleViolation
from app.domain.state_machine import Action
from app.services.context import Actor
from app.store.models import AuditEntry, OutboxOp
from app.store.models.field_work import Appointment
from tests.conftest import ManualClock
from tests.services.helpers import new_order
from tests.services.test_order_parts import make_part

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)  # the fixture clock: 10:00 in Beijing
H = timedelta(hours=1)


def _stored(svc: Services) -> tuple[int, int, int]:
    with svc.db.read() as s:
        return tuple(s.scalar(select(func.count()).select_from(m))  # type: ignore[return-value]
                     for m in (Appointment, OutboxOp, AuditEntry))


@pytest.fixture
def svc(services: Services) -> Services:
    services.appointments.tz = SHANGHAI
    return services


def _assigned(svc: Services, a: dict[str, Actor], serial: str = "SN-1",
              phone: str = "13812345601") -> str:
    return new_order(svc, a["clerk"], serial=serial, phone=phone,
                     technician_id=a["tech"].user_id).id


def test_book_stores_row_audit_and_outbox_and_reads_back(
        svc: Services, station: dict[str, Actor]) -> None:
    order = _assigned(svc, station)
    tech = station["tech"].user_id
    info = svc.appointments.book(station["clerk"], order, tech, NOW + 4 * H, NOW + 6 * H)
    assert info.status is AppointmentStatus.BOOKED and info.technician_name == "王师傅"
    assert info.window_text == "周一 14:00-16:00" and not info.after_promise
    assert svc.appointments.current(order) == info
    with svc.db.read() as s:
        op = s.scalar(select(OutboxOp).where(OutboxOp.entity == "appointment"))
        assert op is not None and op.entity_id == info.id


@pytest.mark.parametrize(("start", "end", "field"), [
    (NOW - H, NOW + H, "starts_at"),  # in the past
    (NOW + 3 * H, NOW + 3 * H, "ends_at"),  # ends when it starts
    (NOW + 3 * H, NOW + 2 * H, "ends_at"),  # ends before
    (NOW + H, NOW + 10 * H, "ends_at"),  # longer than 8 h
])
def test_bad_windows_are_refused_and_nothing_is_stored(
        svc: Services, station: dict[str, Actor], start: datetime, end: datetime,
        field: str) -> None:
    order = _assigned(svc, station)
    before = _stored(svc)
    with pytest.raises(RuleViolation) as err:
        svc.appointments.book(station["clerk"], order, None, start, end)
    assert err.value.field == field
    assert _stored(svc) == before


def test_naive_times_and_non_technicians_are_refused(
        svc: Services, station: dict[str, Actor]) -> None:
    order = _assigned(svc, station)
    with pytest.raises(RuleViolation) as err:
        svc.appointments.book(station["clerk"], order, None, datetime(2026, 6, 2, 9),
                              datetime(2026, 6, 2, 10))
    assert err.value.field == "starts_at"
    with pytest.raises(RuleViolation) as err:
        svc.appointments.book(station["clerk"], order, station["clerk"].user_id,
                              NOW + H, NOW + 2 * H)
    assert err.value.field == "technician_id"


def test_workshop_received_and_cancelled_orders_are_refused(
        svc: Services, station: dict[str, Actor]) -> None:
    clerk = station["clerk"]
    workshop = new_order(svc, clerk, serial="SN-W", service_mode=ServiceMode.WORKSHOP,
                         technician_id=station["tech"].user_id).id
    received = new_order(svc, clerk, serial="SN-R").id
    cancelled = new_order(svc, clerk, serial="SN-C").id
    svc.orders.transition(station["manager"], cancelled, Action.CANCEL, reason="客户取消")
    for order, field in ((workshop, "service_mode"), (received, "status"),
                         (cancelled, "status")):
        with pytest.raises(RuleViolation) as err:
            svc.appointments.book(clerk, order, None, NOW + H, NOW + 2 * H)
        assert err.value.field == field
    # an accepted order with nobody assigned yet is booked without a technician
    accepted = svc.orders.transition(clerk, received, Action.ACCEPT).id
    assert svc.appointments.book(clerk, accepted, None, NOW + H, NOW + 2 * H).technician_id is None


def test_a_second_booking_of_the_same_order_is_refused(
        svc: Services, station: dict[str, Actor]) -> None:
    order = _assigned(svc, station)
    svc.appointments.book(station["clerk"], order, None, NOW + H, NOW + 2 * H)
    with pytest.raises(RuleViolation) as err:
        svc.appointments.book(station["clerk"], order, None, NOW + 3 * H, NOW + 4 * H)
    assert err.value.field == "appointment"


def test_double_booking_warns_until_acknowledged(
        svc: Services, station: dict[str, Actor]) -> None:
    clerk, tech = station["clerk"], station["tech"].user_id
    first = _assigned(svc, station, "SN-1")
    second = _assigned(svc, station, "SN-2", "13812345602")
    svc.appointments.book(clerk, first, tech, NOW + 4 * H, NOW + 6 * H)
    before = _stored(svc)
    with pytest.raises(WarningsPending) as err:
        svc.appointments.book(clerk, second, tech, NOW + 5 * H, NOW + 7 * H)
    assert [w.kind.value for w in err.value.warnings] == ["double_booked"]
    assert err.value.warnings[0].params["technician"] == "王师傅"
    assert _stored(svc) == before
    # back to back is no clash; another technician neither
    svc.appointments.book(clerk, second, tech, NOW + 6 * H, NOW + 7 * H)
    third = _assigned(svc, station, "SN-3", "13812345603")
    info = svc.appointments.book(clerk, third, tech, NOW + 5 * H, NOW + 7 * H,
                                 acknowledged=frozenset({"double_booked"}))
    with svc.db.read() as s:
        detail = s.scalar(select(AuditEntry.detail).where(AuditEntry.entity_id == info.id))
    assert "double_booked" in detail


def test_after_the_24_hour_promise_warns(svc: Services, station: dict[str, Actor]) -> None:
    order = _assigned(svc, station)
    with pytest.raises(WarningsPending) as err:
        svc.appointments.book(station["clerk"], order, None, NOW + 25 * H, NOW + 27 * H)
    assert [w.kind.value for w in err.value.warnings] == ["after_promise"]
    info = svc.appointments.book(station["clerk"], order, None, NOW + 25 * H, NOW + 27 * H,
                                 acknowledged=frozenset({"after_promise"}))
    assert info.after_promise and info.promise_deadline == NOW + 24 * H


def test_move_keeps_the_old_booking_with_its_reason(
        svc: Services, station: dict[str, Actor]) -> None:
    clerk = station["clerk"]
    order = _assigned(svc, station)
    old = svc.appointments.book(clerk, order, station["tech"].user_id, NOW + H, NOW + 3 * H)
    before = _stored(svc)
    for reason, party, field in (("", "customer", "reason"), ("客户临时有事", "", "reason_party"),
                                 ("客户临时有事", "boss", "reason_party")):
        with pytest.raises(RuleViolation) as err:
            svc.appointments.move(clerk, old.id, None, NOW + 4 * H, NOW + 5 * H, reason, party)
        assert err.value.field == field
    assert _stored(svc) == before
    new = svc.appointments.move(clerk, old.id, station["tech2"].user_id, NOW + 4 * H,
                                NOW + 5 * H, "客户临时有事", "customer")
    history = svc.appointments.history(order)
    assert [h.status for h in history] == [AppointmentStatus.MOVED, AppointmentStatus.BOOKED]
    assert history[0].moved_to_id == new.id and history[0].reason == "客户临时有事"
    assert history[0].reason_party is ReasonParty.CUSTOMER
    assert svc.appointments.current(order) == new and new.technician_name == "赵师傅"
    with pytest.raises(RuleViolation):  # the moved booking cannot move again
        svc.appointments.move(clerk, old.id, None, NOW + 6 * H, NOW + 7 * H, "再改", "station")


def test_moving_within_its_own_window_is_no_double_booking(
        svc: Services, station: dict[str, Actor]) -> None:
    tech = station["tech"].user_id
    old = svc.appointments.book(station["clerk"], _assigned(svc, station), tech,
                                NOW + H, NOW + 3 * H)
    svc.appointments.move(station["clerk"], old.id, tech, NOW + 2 * H, NOW + 4 * H,
                          "路上堵车", "station")


def test_cancel_keeps_the_reason(svc: Services, station: dict[str, Actor]) -> None:
    order = _assigned(svc, station)
    info = svc.appointments.book(station["clerk"], order, None, NOW + H, NOW + 2 * H)
    with pytest.raises(RuleViolation):
        svc.appointments.cancel(station["clerk"], info.id, " ", "customer")
    svc.appointments.cancel(station["clerk"], info.id, "客户已自行修好", "customer")
    assert svc.appointments.current(order) is None
    assert svc.appointments.history(order)[0].status is AppointmentStatus.CANCELLED


def test_day_plan_in_time_order_with_masking_and_parts(
        svc: Services, station: dict[str, Actor]) -> None:
    clerk, tech, tech2 = station["clerk"], station["tech"], station["tech2"]
    mine = _assigned(svc, station, "SN-1", "13812345601")
    theirs = new_order(svc, clerk, serial="SN-2", phone="13812345602",
                       technician_id=tech2.user_id).id
    tomorrow = _assigned(svc, station, "SN-3", "13812345603")
    part = make_part(svc, "AC-CAP-1", stock=5)
    svc.order_parts.reserve(tech, mine, part.id, 2)
    svc.appointments.book(clerk, mine, tech.user_id, NOW + 6 * H, NOW + 7 * H)
    svc.appointments.book(clerk, theirs, tech2.user_id, NOW + 2 * H, NOW + 3 * H)
    # 2026-06-02 01:00 Beijing is still 2026-06-01 in UTC: it belongs to the next local day
    svc.appointments.book(clerk, tomorrow, tech.user_id, NOW + 15 * H, NOW + 16 * H)
    day = date(2026, 6, 1)
    plan = svc.appointments.day_plan(tech, day)
    assert [v.order_id for v in plan] == [theirs, mine]
    assert plan[0].phone == "138****5602" and plan[1].phone == "13812345601"
    assert [(p.part_no, p.quantity) for p in plan[1].parts] == [("AC-CAP-1", 2)]
    assert plan[1].address and plan[1].fault == "空调不制冷"
    assert [v.order_id for v in svc.appointments.day_plan(clerk, day, tech.user_id)] == [mine]
    assert svc.appointments.day_plan(clerk, day)[0].phone == "13812345602"
    assert svc.appointments.day_plan(station["manager"], day)[1].phone == "138****5601"
    assert [v.order_id for v in svc.appointments.day_plan(clerk, date(2026, 6, 2))] == [tomorrow]


def test_window_text_reads_as_the_customer_reads_it() -> None:
    start = datetime(2026, 6, 3, 6, 0, tzinfo=UTC)  # a Wednesday, 14:00 in Beijing
    assert window_text(start, start + 2 * H, SHANGHAI) == "周三 14:00-16:00"


def test_clock_moves_make_an_old_window_past(svc: Services, station: dict[str, Actor],
                                             clock: ManualClock) -> None:
    order = _assigned(svc, station)
    info = svc.appointments.book(station["clerk"], order, None, NOW + H, NOW + 2 * H)
    clock.now = NOW + 3 * H
    with pytest.raises(RuleViolation) as err:
        svc.appointments.move(station["clerk"], info.id, None, NOW + H, NOW + 2 * H,
                              "客户要求", "customer")
    assert err.value.field == "starts_at"


def test_booking_and_moving_queue_the_customers_message_in_the_same_transaction(
        svc: Services, station: dict[str, Actor]) -> None:
    import json

    from app.store.models import Notification

    order = _assigned(svc, station)
    info = svc.appointments.book(station["clerk"], order, station["tech"].user_id,
                                 NOW + 4 * H, NOW + 6 * H)
    svc.appointments.move(station["clerk"], info.id, None, NOW + 5 * H, NOW + 6 * H,
                          "客户要求", "customer")
    with svc.db.read() as s:
        rows = s.scalars(select(Notification).where(
            Notification.order_id == order, Notification.event.in_(("booked", "moved")))
            .order_by(Notification.created_at)).all()
        sent = {r.event: json.loads(r.params) for r in rows}
    assert sent["booked"]["window"] == "周一 14:00-16:00"
    assert sent["booked"]["technician"] == "王师傅"
    assert sent["moved"]["window"] == "周一 15:00-16:00"


def test_the_visit_is_done_when_the_technician_arrives_and_cancelled_with_the_order(
        svc: Services, station: dict[str, Actor]) -> None:
    tech = station["tech"].user_id
    arriving = _assigned(svc, station)
    booked = svc.appointments.book(station["clerk"], arriving, tech, NOW + 4 * H, NOW + 6 * H)
    svc.orders.transition(station["tech"], arriving, Action.START_ON_SITE)
    assert svc.appointments.history(arriving)[-1].status is AppointmentStatus.DONE
    day = (NOW + 4 * H).astimezone(SHANGHAI).date()
    # the day plan lists the visits still to make: one that is over is gone from it
    assert booked.id not in {v.appointment_id for v in svc.appointments.day_plan(
        station["manager"], day)}
    cancelled = _assigned(svc, station, serial="SN-2", phone="13812345602")
    svc.appointments.book(station["clerk"], cancelled, tech, NOW + 7 * H, NOW + 8 * H)
    svc.orders.transition(station["manager"], cancelled, Action.CANCEL, reason="客户已自行修好")
    last = svc.appointments.history(cancelled)[-1]
    assert last.status is AppointmentStatus.CANCELLED and last.reason == "客户已自行修好"
    assert last.reason_party is ReasonParty.STATION
    with svc.db.read() as s:
        actions = {a.action for a in s.scalars(select(AuditEntry))}
    assert {"appointment_done", "appointment_cancel"} <= actions
