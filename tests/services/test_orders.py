"""Orders service: numbering, the workflow through the service, SLA times, charges,
repair records, photos, permissions per role, and that a refused input stores nothing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.domain.enums import ChargeKind, OrderStatus, Role, WarrantyStatus
from app.domain.errors import RuleViolation
from app.domain.sla import ClockState, Promise
from app.domain.state_machine import Action
from app.services.errors import PermissionDenied, StaleEdit
from app.services.order_queries import OrderFilter
from app.services.orders import ChargeInput, OrderEdit
from app.store.models import AuditEntry, OutboxOp
from tests.services.helpers import counts, new_order


def test_numbers_are_per_day_and_unique(services, station, clock) -> None:
    clerk = station["clerk"]
    first = new_order(services, clerk, serial="A1")
    second = new_order(services, clerk, serial="A2", phone="13912345678")
    assert first.number == "SO-BJ001-20260601-0001"
    assert second.number == "SO-BJ001-20260601-0002"
    clock.now += timedelta(days=1)
    assert new_order(services, clerk, serial="A3").number == "SO-BJ001-20260602-0001"


def test_create_writes_rows_audit_and_outbox_together(services, station) -> None:
    order = new_order(services, station["clerk"])
    with services.db.read() as s:
        ops = s.scalars(select(OutboxOp).order_by(OutboxOp.seq)).all()
        audit = s.scalars(select(AuditEntry).where(AuditEntry.entity_id == order.id)).all()
    entities = [op.entity for op in ops]
    # the customer's "order received" message is queued in the same transaction
    assert entities[-4:] == ["customer", "product", "notification", "service_order"]
    payload = json.loads(ops[-1].payload)
    assert payload["number"] == order.number and payload["status"] == "received"
    assert ops[-1].username == "clerk" and ops[-1].action == "create"
    assert [a.action for a in audit] == ["create"]


def test_bad_phone_stores_nothing(services, station) -> None:
    before = counts(services)
    with pytest.raises(RuleViolation) as err:
        new_order(services, station["clerk"], phone="12345")
    assert err.value.field in ("contact_phone", "phones")
    assert counts(services) == before


def test_bad_product_date_rolls_back_the_new_customer(services, station, clock) -> None:
    before = counts(services)
    future = (clock.now + timedelta(days=3)).date()
    with pytest.raises(RuleViolation) as err:
        new_order(services, station["clerk"], purchase_date=future)
    assert err.value.field == "purchase_date"
    assert counts(services) == before


def test_full_workflow_sets_sla_times(services, station, clock) -> None:
    clerk, tech, boss = station["clerk"], station["tech"], station["manager"]
    order = new_order(services, clerk)
    assert order.sla[Promise.RESPOND].state is ClockState.RUNNING
    clock.now += timedelta(minutes=10)
    order = services.orders.transition(clerk, order.id, Action.ACCEPT)
    assert order.responded_at == clock.now
    order = services.orders.transition(clerk, order.id, Action.ASSIGN,
                                       technician_id=tech.user_id)
    assert order.technician_name == "王师傅"
    clock.now += timedelta(hours=3)
    order = services.orders.transition(tech, order.id, Action.START_ON_SITE)
    assert order.status is OrderStatus.ON_SITE and order.arrived_at == clock.now
    clock.now += timedelta(hours=2)
    order = services.orders.transition(tech, order.id, Action.COMPLETE)
    assert order.sla[Promise.CLEAR].state is ClockState.MET
    assert all(c.state is ClockState.MET for c in order.sla.values())
    # the visit is recorded with its four scores (app.services.visits), never as a bare move
    with pytest.raises(RuleViolation):
        services.orders.transition(clerk, order.id, Action.VISIT)
    services.visits.record_visit(clerk, order.id, dict.fromkeys(
        ("speed", "attitude", "quality", "price"), 5))
    order = services.orders.transition(clerk, order.id, Action.CLOSE)
    assert order.status is OrderStatus.CLOSED and order.satisfaction == 5
    assert order.actions == []
    reopened = services.orders.transition(boss, order.id, Action.REOPEN)
    assert reopened.status is OrderStatus.RECEIVED and reopened.closed_at is None


def test_illegal_move_through_the_service_stores_nothing(services, station) -> None:
    order = new_order(services, station["clerk"])
    before = counts(services)
    with pytest.raises(RuleViolation):
        services.orders.transition(station["clerk"], order.id, Action.CLOSE)
    assert counts(services) == before
    assert services.orders.detail(order.id).status is OrderStatus.RECEIVED


def test_permissions_per_role(services, station) -> None:
    clerk, tech, tech2, boss = (station[k] for k in ("clerk", "tech", "tech2", "manager"))
    with pytest.raises(PermissionDenied):
        new_order(services, tech)
    order = new_order(services, clerk)
    services.orders.transition(clerk, order.id, Action.ACCEPT)
    with pytest.raises(RuleViolation):  # technicians don't dispatch
        services.orders.transition(tech, order.id, Action.ASSIGN, technician_id=tech.user_id)
    services.orders.transition(clerk, order.id, Action.ASSIGN, technician_id=tech.user_id)
    with pytest.raises(RuleViolation):  # not theirs
        services.orders.transition(tech2, order.id, Action.START_ON_SITE)
    with pytest.raises(PermissionDenied):
        services.orders.add_repair_record(tech2, order.id, "x", "y", 10)
    with pytest.raises(RuleViolation):  # only the manager cancels
        services.orders.transition(clerk, order.id, Action.CANCEL, reason="用户取消")
    services.orders.transition(tech, order.id, Action.START_ON_SITE)
    services.orders.add_repair_record(tech, order.id, "温控器损坏", "更换温控器", 45)
    done = services.orders.transition(boss, order.id, Action.CANCEL, reason="用户已购新机")
    assert done.status is OrderStatus.CANCELLED and done.cancel_reason == "用户已购新机"


def test_cancel_needs_a_reason_and_assign_a_technician(services, station) -> None:
    order = new_order(services, station["clerk"])
    with pytest.raises(RuleViolation) as err:
        services.orders.transition(station["manager"], order.id, Action.CANCEL, reason="  ")
    assert err.value.field == "reason"
    services.orders.transition(station["clerk"], order.id, Action.ACCEPT)
    with pytest.raises(RuleViolation):
        services.orders.transition(station["clerk"], order.id, Action.ASSIGN,
                                   technician_id=station["clerk"].user_id)


def test_charges_in_fen_and_replace_whole(services, station) -> None:
    clerk = station["clerk"]
    order = new_order(services, clerk)
    lines = [ChargeInput(ChargeKind.PARTS, "温控器", 2, 3550),
             ChargeInput(ChargeKind.LABOUR, "工时费", 1, 8000)]
    order = services.orders.set_charges(clerk, order.id, lines, order.revision)
    assert order.total_fen == 2 * 3550 + 8000
    with pytest.raises(RuleViolation):
        services.orders.set_charges(clerk, order.id, [ChargeInput(ChargeKind.OTHER, "", 1, 1)],
                                    order.revision)
    with pytest.raises(StaleEdit):
        services.orders.set_charges(clerk, order.id, lines[:1], order.revision - 1)
    assert services.orders.detail(order.id).total_fen == 15100


def test_stale_edit_is_refused(services, station) -> None:
    clerk = station["clerk"]
    order = new_order(services, clerk)
    edit = OrderEdit(order.order_type, order.service_mode, "新描述", "13812345678",
                     "新地址", order.product.id if order.product else None)
    updated = services.orders.update(clerk, order.id, edit, order.revision)
    assert updated.fault_description == "新描述"
    with pytest.raises(StaleEdit):
        services.orders.update(clerk, order.id, edit, order.revision)


def test_photo_is_stored_by_content_hash(services, station, tmp_path) -> None:
    clerk = station["clerk"]
    order = new_order(services, clerk)
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8fake-jpeg")
    order = services.orders.attach_photo(clerk, order.id, photo)
    stored = order.attachments[0]
    assert stored.filename == "现场照片.jpg"
    assert services.orders.read_attachment(stored.sha256) == photo.read_bytes()
    assert stored.path.parent.parent == services.paths.attachments
    if services.db.key is not None:  # the stored file is encrypted with the store's key
        assert b"fake-jpeg" not in stored.path.read_bytes()
    with pytest.raises(RuleViolation):
        services.orders.attach_photo(clerk, order.id, tmp_path / "missing.jpg")


def test_warranty_on_the_order(services, station, clock) -> None:
    bought = (clock.now - timedelta(days=100)).date()
    order = new_order(services, station["clerk"], purchase_date=bought)
    assert order.warranty is WarrantyStatus.IN_WARRANTY


def test_search_by_number_phone_name_serial_and_filters(services, station, clock) -> None:
    clerk = station["clerk"]
    a = new_order(services, clerk, phone="13811112222", name="王小明", serial="SNAAA")
    clock.now += timedelta(minutes=1)
    b = new_order(services, clerk, phone="010-62345678", name="李四", serial="SNBBB")
    find = lambda **kw: [r.number for r in services.orders.search(OrderFilter(**kw))]  # noqa: E731
    assert find(text=a.number) == [a.number]
    assert find(text="13811112222") == [a.number]
    assert find(text="1381111") == [a.number]
    assert find(text="01062345678") == [b.number]
    assert find(text="王") == [a.number]
    assert find(text="snbbb") == [b.number]
    assert find(text="SO-BJ001") == [b.number, a.number]
    assert find(status=OrderStatus.RECEIVED) == [b.number, a.number]
    clock.now += timedelta(hours=1)
    assert find(overdue_only=True) == [b.number, a.number]
    services.orders.transition(clerk, a.id, Action.ACCEPT)
    assert find(overdue_only=True) == [b.number]


def test_keyset_pages_cover_everything_once(services, station, clock) -> None:
    clerk = station["clerk"]
    made = []
    for i in range(23):
        clock.now += timedelta(minutes=1)
        made.append(new_order(services, clerk, serial=f"S{i}").number)
    seen, cursor = [], None
    while True:
        page = services.orders.search(OrderFilter(), after=cursor, limit=5)
        if not page:
            break
        seen += [r.number for r in page]
        cursor = (page[-1].called_at, page[-1].id)
    assert seen == list(reversed(made))


def test_roles_exist_for_demo() -> None:
    assert {r.value for r in Role} == {"clerk", "technician", "manager"}


def test_broad_and_narrow_plans_find_the_same_orders(services, station, clock, monkeypatch):
    from app.services import order_queries

    clerk = station["clerk"]
    for i in range(12):
        clock.now += timedelta(hours=7)
        new_order(services, clerk, phone=f"1381111{i:04d}", name=f"王{'小大'[i % 2]}明",
                  serial=f"SNX{i}")
    queries = ["王", "王小", "1381111", "138", "SO-", "SO-BJ001-", "SO-BJ001-2026",
               "SO-BJ001-202606", "SO-BJ001-20260601"]
    narrow = {q: [r.id for r in services.orders.search(OrderFilter(text=q))] for q in queries}
    monkeypatch.setattr(order_queries, "BROAD_CUSTOMERS", 0)
    broad = {q: [r.id for r in services.orders.search(OrderFilter(text=q))] for q in queries}
    assert broad == narrow
    assert len(narrow["王"]) == 12 and len(narrow["王小"]) == 6
    assert len(narrow["SO-BJ001-202606"]) == 12
    assert services.orders.search(OrderFilter(text="SO-BJ001-2025")) == []
