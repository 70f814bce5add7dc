"""A clash between two devices' edits settled by a person (issue 15): head office refused this
device's stale edit of an order (or merged its status), the station now holds the other
device's version; ``theirs`` keeps it, ``ours`` sends this device's version again as a new edit
whose revision is past the current one."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from app.domain.errors import RuleViolation
from app.services.errors import PermissionDenied
from app.services.order_types import OrderEdit
from app.services.sync_apply import apply_change
from app.services.sync_store import _wire, device_clash
from app.store.models import OutboxOp, ServiceOrder, SyncConflict
from sync import protocol as p
from tests.services.helpers import new_order

OURS_FAULT = "不制冷，外机不转"
THEIRS_FAULT = "不制冷，室内机漏水"


def _edit(order, fault: str) -> OrderEdit:
    return OrderEdit(order.order_type, order.service_mode, fault, order.contact_phone,
                     order.service_address, order.product.id if order.product else None)


def _clash(services, station, kind: str = p.STALE_DEVICE_EDIT) -> tuple[str, str, int]:
    """This device edits an order; the other device's newer edit arrives relayed; head office
    answers this device's op as a clash. Returns (order id, conflict id, current revision)."""
    clerk = station["clerk"]
    order = new_order(services, clerk)
    order = services.orders.update(clerk, order.id, _edit(order, OURS_FAULT), order.revision)
    with services.db.write() as s:
        mine = s.scalars(select(OutboxOp).where(OutboxOp.entity == "service_order")
                         .order_by(OutboxOp.seq.desc())).first()
        ours = _wire(mine)
        current = dict(ours.payload, fault_description=THEIRS_FAULT,
                       revision=ours.payload["revision"] + 1)
        apply_change(s, p.Change(50, "service_order", order.id, "upsert", current,
                                 op_id="other-device-op", device=2), services.orders.clock())
        status = "conflict" if kind == p.ORDER_STATUS_MERGED else "rejected"
        device_clash(s, ours, p.OpResult(ours.op_id, status, kind=kind, current=current),
                     services.orders.clock())
        conflict = s.scalar(select(SyncConflict).where(SyncConflict.source_key
                                                        == f"op:{ours.op_id}"))
        return order.id, conflict.id, current["revision"]


def _outbox(services) -> int:
    with services.db.read() as s:
        return s.scalar(select(func.count()).select_from(OutboxOp)) or 0


def test_theirs_keeps_the_stations_version_and_only_settles(services, station) -> None:
    order_id, conflict_id, revision = _clash(services, station)
    before = _outbox(services)
    info = services.device_clashes.settle(station["manager"], conflict_id, "theirs", "对方为准")
    assert info.resolved_at is not None and info.resolution["action"]["choice"] == "theirs"
    detail = services.orders.detail(order_id)
    assert detail.fault_description == THEIRS_FAULT and detail.revision == revision
    with services.db.read() as s:
        assert not s.scalar(select(func.count()).select_from(OutboxOp).where(
            OutboxOp.seq > before, OutboxOp.entity == "service_order"))


def test_ours_sends_this_devices_version_again_as_a_new_edit(services, station) -> None:
    order_id, conflict_id, revision = _clash(services, station)
    before = _outbox(services)
    info = services.device_clashes.settle(station["manager"], conflict_id, "ours")
    assert info.resolution["action"] == {"choice": "ours", "value": revision + 1}
    detail = services.orders.detail(order_id)
    assert detail.fault_description == OURS_FAULT and detail.revision == revision + 1
    with services.db.read() as s:
        op = s.scalars(select(OutboxOp).where(OutboxOp.seq > before,
                                              OutboxOp.entity == "service_order")).one()
        payload = json.loads(op.payload)
        assert op.base_revision == revision and payload["revision"] == revision + 1
        assert payload["fault_description"] == OURS_FAULT
        assert op.username == "boss" and op.action == "clash.ours"
        assert s.get(ServiceOrder, order_id).revision == revision + 1


def test_an_order_status_merge_is_settled_the_same_way(services, station) -> None:
    _order_id, conflict_id, _ = _clash(services, station, p.ORDER_STATUS_MERGED)
    with services.db.read() as s:
        assert s.get(SyncConflict, conflict_id).kind == p.ORDER_STATUS_MERGED
    assert services.device_clashes.settle(station["manager"], conflict_id,
                                          "theirs").resolved_at is not None


def test_refusals(services, station) -> None:
    _order_id, conflict_id, _ = _clash(services, station)
    boss = station["manager"]
    with pytest.raises(PermissionDenied):
        services.device_clashes.settle(station["clerk"], conflict_id, "ours")
    with pytest.raises(RuleViolation) as err:
        services.device_clashes.settle(boss, conflict_id, "mine")
    assert err.value.field == "choice"
    with services.db.write() as s:
        other = SyncConflict(source_key="hq:77", kind="stale_edit", entity="service_order",
                             entity_id=_order_id)
        s.add(other)
        s.flush()
        other_id = other.id
    with pytest.raises(RuleViolation):
        services.device_clashes.settle(boss, other_id, "ours")
    services.device_clashes.settle(boss, conflict_id, "theirs")
    with pytest.raises(RuleViolation):
        services.device_clashes.settle(boss, conflict_id, "ours")


def test_ours_never_moves_an_order_back_through_the_state_machine(services, station) -> None:
    """The other device took the order on to 已完工 meanwhile: keeping this device's edit brings
    back its fault text only; the status and the times its moves stamped stay (an old payload
    taken whole put a completed order back to 已接单 on every device)."""
    clerk = station["clerk"]
    order = new_order(services, clerk)
    order = services.orders.update(clerk, order.id, _edit(order, OURS_FAULT), order.revision)
    with services.db.write() as s:
        mine = s.scalars(select(OutboxOp).where(OutboxOp.entity == "service_order")
                         .order_by(OutboxOp.seq.desc())).first()
        ours = _wire(mine)
        done = "2026-06-01T10:00:00+00:00"
        current = dict(ours.payload, fault_description=THEIRS_FAULT, status="completed",
                       responded_at=done, arrived_at=done, cleared_at=done,
                       revision=ours.payload["revision"] + 3)
        apply_change(s, p.Change(60, "service_order", order.id, "upsert", current,
                                 op_id="other-device-op", device=2), services.orders.clock())
        device_clash(s, ours, p.OpResult(ours.op_id, "rejected", kind=p.STALE_DEVICE_EDIT,
                                         current=current), services.orders.clock())
        conflict_id = s.scalar(select(SyncConflict.id).where(
            SyncConflict.source_key == f"op:{ours.op_id}"))
    services.device_clashes.settle(station["manager"], conflict_id, "ours")
    detail = services.orders.detail(order.id)
    assert detail.fault_description == OURS_FAULT
    assert detail.status.value == "completed" and detail.cleared_at is not None
    assert detail.revision == current["revision"] + 1
