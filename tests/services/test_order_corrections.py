"""Corrections with a trail: repair records edited before completion or voided with a reason
(kept, audited, synced, not printed), photos voided, completion locking the work until the
order is reopened, and arrival/completion times entered afterwards within bounds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.domain.enums import ChargeKind, OrderStatus
from app.domain.errors import RuleViolation
from app.domain.state_machine import Action
from app.services.errors import PermissionDenied
from app.services.orders import ChargeInput
from app.store.models import AuditEntry, OutboxOp, RepairRecord
from tests.services.helpers import counts, new_order


def _started(services, station, clock):
    clerk, tech = station["clerk"], station["tech"]
    order = new_order(services, clerk)
    services.orders.transition(clerk, order.id, Action.ACCEPT)
    services.orders.transition(clerk, order.id, Action.ASSIGN, technician_id=tech.user_id)
    clock.now += timedelta(hours=2)
    return services.orders.transition(tech, order.id, Action.START_ON_SITE)


def test_a_record_is_edited_then_voided_with_its_reason_kept(services, station, clock) -> None:
    tech = station["tech"]
    order = _started(services, station, clock)
    order = services.orders.add_repair_record(tech, order.id, "误填", "误填", 5)
    rec = order.repairs[0]
    order = services.corrections.edit_record(tech, order.id, rec.id, "温控器损坏", "更换温控器", 40)
    assert (order.repairs[0].diagnosis, order.repairs[0].labour_minutes) == ("温控器损坏", 40)
    order = services.orders.add_repair_record(tech, order.id, "垃圾记录", "", 0)
    junk = order.repairs[1]
    before = counts(services)
    order = services.corrections.void_record(tech, order.id, junk.id, "录错工单")
    voided = next(r for r in order.repairs if r.id == junk.id)
    assert voided.voided and voided.void_reason == "录错工单"
    after = counts(services)
    assert after["outbox"] == before["outbox"] + 1 and after["audit_log"] == before["audit_log"] + 1
    with services.db.read() as s:
        op = s.scalars(select(OutboxOp).order_by(OutboxOp.seq.desc())).first()
        assert op.entity == "repair_record" and op.entity_id == junk.id
        assert '"void_reason": "录错工单"' in op.payload or "录错工单" in op.payload
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "edit")).one()
        assert "误填" in audit.detail  # the old text stays in the trail
    sheet = services.reports.sheet(order.number)
    assert [r.diagnosis for r in sheet.repairs] == ["温控器损坏"]
    with pytest.raises(RuleViolation):
        services.corrections.void_record(tech, order.id, junk.id, "再来一次")


def test_voiding_needs_a_reason_and_the_right_person(services, station, clock) -> None:
    tech, tech2, clerk = station["tech"], station["tech2"], station["clerk"]
    order = _started(services, station, clock)
    order = services.orders.add_repair_record(tech, order.id, "诊断", "措施", 5)
    rec = order.repairs[0]
    before = counts(services)
    with pytest.raises(RuleViolation) as err:
        services.corrections.void_record(tech, order.id, rec.id, "   ")
    assert err.value.field == "reason"
    with pytest.raises(PermissionDenied):
        services.corrections.void_record(tech2, order.id, rec.id, "不是我的")
    with pytest.raises(PermissionDenied):
        services.corrections.void_record(clerk, order.id, rec.id, "信息员")
    with pytest.raises(PermissionDenied):
        services.corrections.edit_record(tech2, order.id, rec.id, "a", "b", 1)
    assert counts(services) == before
    with services.db.read() as s:
        assert s.get(RepairRecord, rec.id).voided_at is None
    services.corrections.void_record(station["manager"], order.id, rec.id, "站长作废")


def test_a_photo_is_voided_with_a_reason(services, station, clock, tmp_path) -> None:
    tech = station["tech"]
    order = _started(services, station, clock)
    photo = tmp_path / "p.jpg"
    photo.write_bytes(b"\xff\xd8\xff photo")
    order = services.orders.attach_photo(tech, order.id, photo)
    att = order.attachments[0]
    with pytest.raises(PermissionDenied):
        services.corrections.void_photo(station["tech2"], order.id, att.id, "x")
    order = services.corrections.void_photo(tech, order.id, att.id, "拍错了")
    assert order.attachments[0].voided and order.attachments[0].void_reason == "拍错了"


def test_completion_locks_records_photos_and_charges_until_reopened(services, station, clock,
                                                                    tmp_path) -> None:
    tech, boss = station["tech"], station["manager"]
    order = _started(services, station, clock)
    order = services.orders.add_repair_record(tech, order.id, "诊断", "措施", 5)
    rec = order.repairs[0]
    order = services.orders.transition(tech, order.id, Action.COMPLETE)
    photo = tmp_path / "p.jpg"
    photo.write_bytes(b"\xff\xd8\xff photo")
    before = counts(services)
    for attempt in (
        lambda: services.orders.add_repair_record(tech, order.id, "后补", "后补", 5),
        lambda: services.orders.set_charges(
            tech, order.id, [ChargeInput(ChargeKind.LABOUR, "工时", 1, 5000)], order.revision),
        lambda: services.orders.attach_photo(tech, order.id, photo),
        lambda: services.corrections.void_record(tech, order.id, rec.id, "作废"),
        lambda: services.corrections.edit_record(tech, order.id, rec.id, "改", "改", 1),
    ):
        with pytest.raises(RuleViolation) as err:
            attempt()
        assert "locked" in err.value.template or "Reopen" in err.value.template \
            or "reopen" in err.value.template
    assert counts(services) == before
    reopened = services.orders.transition(boss, order.id, Action.REOPEN)
    assert reopened.status is OrderStatus.ASSIGNED and reopened.cleared_at is None
    services.corrections.void_record(boss, order.id, rec.id, "重开后作废")


def test_times_entered_afterwards_are_bounded_and_audited(services, station, clock) -> None:
    tech, clerk = station["tech"], station["clerk"]
    order = _started(services, station, clock)
    called = order.called_at
    before = counts(services)
    for bad in (called - timedelta(minutes=1), clock.now + timedelta(minutes=1)):
        with pytest.raises(RuleViolation) as err:
            services.corrections.set_times(tech, order.id, order.revision, arrived_at=bad)
        assert err.value.field == "arrived_at"
    with pytest.raises(RuleViolation) as err:  # not completed yet
        services.corrections.set_times(tech, order.id, order.revision, cleared_at=clock.now)
    assert err.value.field == "cleared_at"
    with pytest.raises(PermissionDenied):
        services.corrections.set_times(clerk, order.id, order.revision,
                                       arrived_at=called + timedelta(minutes=30))
    with pytest.raises(RuleViolation):  # naive time
        services.corrections.set_times(tech, order.id, order.revision,
                                       arrived_at=(called + timedelta(minutes=30))
                                       .replace(tzinfo=None))
    assert counts(services) == before
    real = called + timedelta(minutes=50)
    order = services.corrections.set_times(tech, order.id, order.revision, arrived_at=real)
    assert order.arrived_at == real
    clock.now += timedelta(hours=1)
    order = services.orders.transition(tech, order.id, Action.COMPLETE)
    with pytest.raises(RuleViolation) as err:  # completion before arrival
        services.corrections.set_times(tech, order.id, order.revision,
                                       cleared_at=real - timedelta(minutes=1))
    assert err.value.field == "cleared_at"
    done = real + timedelta(minutes=40)
    order = services.corrections.set_times(station["manager"], order.id, order.revision,
                                           cleared_at=done)
    assert order.cleared_at == done
    with services.db.read() as s:
        trail = [a.detail for a in s.scalars(
            select(AuditEntry).where(AuditEntry.action == "set_times"))]
    assert any("arrived_at" in d for d in trail) and any("cleared_at" in d for d in trail)
