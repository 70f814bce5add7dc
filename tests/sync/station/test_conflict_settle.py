"""Settling sync conflicts (issue 9, item 2): a stale head-office edit keeps its fields side
by side with the base; settling goes through the order service and reports the resolution
to head office; other kinds are settled by the actions that fit them. Managers only."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.domain.enums import OrderStatus
from app.domain.errors import RuleViolation
from app.services.errors import PermissionDenied
from app.services.sync_conflicts import ConflictDesk
from app.store.models import AuditEntry, HqOrderLink, OutboxOp, SyncConflict
from tests.sync.station.test_sync_pull import ORDER_ID, dispatch, work_to_completion


def desk(services, sync) -> ConflictDesk:  # type: ignore[no-untyped-def]
    return ConflictDesk(services.db, services.bus, services.orders, sync.clock)


def stale_edit(services, station, sync, hq, fields=None):  # type: ignore[no-untyped-def]
    """The station edits the address; head office meanwhile edits address and fault."""
    dispatch(hq)
    sync.sync_now()
    order = services.orders.detail(ORDER_ID)
    from app.services.orders import OrderEdit

    services.orders.update(station["clerk"], ORDER_ID, OrderEdit(
        order.order_type, order.service_mode, order.fault_description, order.contact_phone,
        "北京市朝阳区建国路8号3单元", order.product.id if order.product else None),
        order.revision)
    hq.publish("order_update", ORDER_ID, {"order_id": ORDER_ID, "base_revision": 1,
                                          "hq_revision": 2, "fields": fields or {
                                              "service_address": "北京市朝阳区建国路9号",
                                              "fault_description": "不脱水，有异响"}},
               station="BJ001")
    sync.sync_now()
    [conflict] = sync.conflicts()
    return conflict


def resolution_events(services) -> list[dict]:  # type: ignore[type-arg]
    with services.db.read() as s:
        rows = s.scalars(select(OutboxOp).where(OutboxOp.entity == "sync_conflict")
                         .order_by(OutboxOp.seq)).all()
        return [json.loads(r.payload) for r in rows if "resolution" in json.loads(r.payload)]


def test_a_stale_edit_keeps_the_three_values_of_each_field(services, station, sync, hq) -> None:
    conflict = stale_edit(services, station, sync, hq)
    by_name = {f.name: f for f in conflict.fields}
    assert set(by_name) == {"service_address", "fault_description"}
    address = by_name["service_address"]
    assert (address.ours, address.theirs, address.base) == (
        "北京市朝阳区建国路8号3单元", "北京市朝阳区建国路9号", "北京市朝阳区建国路8号")
    fault = by_name["fault_description"]
    assert (fault.ours, fault.theirs, fault.base) == ("洗衣机不脱水", "不脱水，有异响",
                                                      "洗衣机不脱水")
    assert conflict.order_number == "SO-BJ001-20260601-5001"
    # head office hears of the clash with the same fields
    [sent] = [json.loads(r.payload) for r in _outbox(services, "sync_conflict")]
    assert sent["fields"]["service_address"]["base"] == "北京市朝阳区建国路8号"
    # the base of a later clash is head office's latest edit
    with services.db.read() as s:
        link = s.get(HqOrderLink, ORDER_ID)
        assert json.loads(link.hq_fields)["service_address"] == "北京市朝阳区建国路9号"


def _outbox(services, entity: str) -> list[OutboxOp]:  # type: ignore[no-untyped-def]
    with services.db.read() as s:
        return list(s.scalars(select(OutboxOp).where(OutboxOp.entity == entity)
                              .order_by(OutboxOp.seq)))


def test_settling_keeps_ours_takes_theirs_and_edits_in_one_order_update(
        services, station, sync, hq) -> None:
    conflict = stale_edit(services, station, sync, hq)
    before = services.orders.detail(ORDER_ID).revision
    info = desk(services, sync).settle_fields(station["manager"], conflict.id, {
        "service_address": ("ours", None), "fault_description": ("theirs", None)}, "与总部核对")
    order = services.orders.detail(ORDER_ID)
    assert order.service_address == "北京市朝阳区建国路8号3单元"
    assert order.fault_description == "不脱水，有异响"
    assert order.revision == before + 1
    assert info.resolved_at is not None and info.resolved_by == "boss"
    assert info.resolution == {"service_address": {"choice": "ours",
                                                   "value": "北京市朝阳区建国路8号3单元"},
                               "fault_description": {"choice": "theirs",
                                                     "value": "不脱水，有异响"}}
    [event] = resolution_events(services)
    assert event["resolution"] == info.resolution and event["resolved_by"] == "boss"
    assert event["hq_seq"] == 2 and event["note"] == "与总部核对"
    assert event["fields"]["service_address"]["theirs"] == "北京市朝阳区建国路9号"
    with services.db.read() as s:
        last = s.scalars(select(OutboxOp).order_by(OutboxOp.seq.desc()).limit(2)).all()
        audit = set(s.scalars(select(AuditEntry.action)))
    # the order's edit and the settlement: one transaction, both bound for head office
    assert [(o.entity, o.action) for o in reversed(last)] == [
        ("service_order", "update"), ("sync_conflict", "resolve_conflict")]
    assert {"update", "resolve_conflict"} <= audit
    sync.sync_now()
    assert any(k[0] == "sync_conflict" and "resolution" in row
               for k, row in hq.books["BJ001"].rows.items())


def test_an_edited_value_is_checked_like_the_order_form_and_nothing_is_stored(
        services, station, sync, hq) -> None:
    conflict = stale_edit(services, station, sync, hq, {"contact_phone": "13911113333"})
    d = desk(services, sync)
    with pytest.raises(RuleViolation) as err:
        d.settle_fields(station["manager"], conflict.id, {"contact_phone": ("edited", "12")})
    assert err.value.field == "contact_phone"
    assert sync.conflicts()[0].resolved_at is None
    assert resolution_events(services) == []
    with pytest.raises(RuleViolation) as err:
        d.settle_fields(station["manager"], conflict.id, {})
    assert err.value.field == "contact_phone"  # every field needs a choice
    d.settle_fields(station["manager"], conflict.id, {"contact_phone": ("edited",
                                                                        "139 1111 4444")})
    assert services.orders.detail(ORDER_ID).contact_phone.replace(" ", "") == "13911114444"
    assert resolution_events(services)[0]["resolution"]["contact_phone"]["choice"] == "edited"


def test_keeping_every_station_value_changes_no_order_but_reports_the_settlement(
        services, station, sync, hq) -> None:
    conflict = stale_edit(services, station, sync, hq)
    before = services.orders.detail(ORDER_ID).revision
    desk(services, sync).settle_fields(station["manager"], conflict.id, {
        "service_address": ("ours", None), "fault_description": ("ours", None)})
    assert services.orders.detail(ORDER_ID).revision == before
    assert len(resolution_events(services)) == 1


def test_only_a_manager_settles(services, station, sync, hq) -> None:
    conflict = stale_edit(services, station, sync, hq)
    d = desk(services, sync)
    choices = {"service_address": ("theirs", None), "fault_description": ("ours", None)}
    for role in ("clerk", "tech"):
        with pytest.raises(PermissionDenied):
            d.settle_fields(station[role], conflict.id, choices)
        with pytest.raises(PermissionDenied):
            d.acknowledge(station[role], conflict.id)
        with pytest.raises(PermissionDenied):
            d.settle_cancel(station[role], conflict.id, "keep_completion")
    assert services.orders.detail(ORDER_ID).service_address == "北京市朝阳区建国路8号3单元"
    with services.db.read() as s:
        assert s.scalar(select(SyncConflict.resolved_at)) is None


def late_cancel(services, station, sync, hq):  # type: ignore[no-untyped-def]
    dispatch(hq)
    sync.sync_now()
    work_to_completion(services, station, ORDER_ID)
    sync.sync_now()
    hq.publish("cancel_order", ORDER_ID, {"order_id": ORDER_ID, "reason": "撤单"},
               station="BJ001")
    sync.sync_now()
    [conflict] = sync.conflicts()
    return conflict


def test_a_late_cancel_is_settled_by_keeping_the_completion(services, station, sync,
                                                             hq) -> None:
    conflict = late_cancel(services, station, sync, hq)
    d = desk(services, sync)
    with pytest.raises(RuleViolation):
        d.settle_cancel(station["manager"], conflict.id, "neither")
    info = d.settle_cancel(station["manager"], conflict.id, "keep_completion", "已上门维修")
    assert info.resolution == {"action": {"choice": "keep_completion", "value": "completed"}}
    assert services.orders.detail(ORDER_ID).status is OrderStatus.COMPLETED
    [event] = resolution_events(services)
    assert event["kind"] == "cancel_after_completion" and event["subject_id"] == ORDER_ID
    with pytest.raises(RuleViolation):
        d.settle_cancel(station["manager"], conflict.id, "keep_completion")  # settled once


def test_a_late_cancel_is_settled_by_cancelling_the_order(services, station, sync, hq) -> None:
    conflict = late_cancel(services, station, sync, hq)
    info = desk(services, sync).settle_cancel(station["manager"], conflict.id, "cancel_order",
                                              "总部撤单属实")
    assert services.orders.detail(ORDER_ID).status is OrderStatus.CANCELLED
    assert info.resolution == {"action": {"choice": "cancel_order", "value": "cancelled"}}
    assert resolution_events(services)[0]["resolution"]["action"]["choice"] == "cancel_order"


def test_an_old_free_text_conflict_is_still_shown_and_can_be_noted(services, station, sync,
                                                                    hq) -> None:
    hq.publish("price_list", "x", {"v": 1})
    sync.sync_now()
    [conflict] = sync.conflicts()
    assert conflict.fields == () and '"v": 1' in conflict.remote_summary
    info = desk(services, sync).acknowledge(station["manager"], conflict.id, "等待升级")
    assert info.resolution["action"]["choice"] == "acknowledged"
    assert resolution_events(services)[0]["kind"] == "unknown_change"


def test_the_same_settlement_through_the_sync_service_note(services, station, sync, hq) -> None:
    hq.publish("price_list", "x", {"v": 1})
    sync.sync_now()
    [conflict] = sync.conflicts()
    info = sync.resolve_conflict(station["manager"], conflict.id, "已知悉")
    assert info.resolution_note == "已知悉" and info.resolved_at is not None
    assert info.resolution["action"]["choice"] == "acknowledged"


def test_text_no_font_or_database_can_hold_is_refused_naming_the_field(services, station, sync,
                                                                        hq) -> None:
    conflict = stale_edit(services, station, sync, hq)
    d = desk(services, sync)
    choices = {"service_address": ("edited", "北京\ud800"), "fault_description": ("ours", None)}
    with pytest.raises(RuleViolation) as err:
        d.settle_fields(station["manager"], conflict.id, choices)
    assert err.value.field == "service_address"
    ok = {"service_address": ("ours", None), "fault_description": ("ours", None)}
    for call in (lambda: d.settle_fields(station["manager"], conflict.id, ok, "说明\ud800"),
                 lambda: d.acknowledge(station["manager"], conflict.id, "说明\ud800"),
                 lambda: d.settle_cancel(station["manager"], conflict.id, "keep_completion",
                                         "说明\ud800")):
        with pytest.raises(RuleViolation) as err:
            call()
        assert err.value.field == "note"
    assert sync.conflicts()[0].resolved_at is None and resolution_events(services) == []
