"""Pulling head-office changes: dispatch, edits, cancels, notices, snapshot; conflicts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.domain import state_machine as sm
from app.domain.enums import OrderSource, OrderStatus
from app.services.order_queries import OrderFilter
from app.store.models import Customer, OutboxOp
from sync.client import SyncError

ORDER_ID = "5f0c1a52-8d7e-4c1b-9a55-0f6a1d2b3c4d"


def dispatch(hq, order_id: str = ORDER_ID, number: str = "SO-BJ001-20260601-5001",
             customer_id: str | None = None) -> int:
    customer = {"name": "陈女士", "phones": ["13911112222"], "address": "北京市朝阳区"}
    if customer_id:
        customer["id"] = customer_id
    return hq.publish("dispatch_order", order_id, {
        "order_id": order_id, "number": number, "order_type": "repair",
        "service_mode": "on_site", "fault_description": "洗衣机不脱水",
        "contact_phone": "13911112222", "service_address": "北京市朝阳区建国路8号",
        "called_at": "2026-06-01T01:00:00+00:00", "customer": customer,
        "product": {"model": "XQG80", "serial_no": "sn123", "purchase_date": "2025-12-01",
                    "warranty_months": 24},
        "hq_reference": "CC-778", "hq_revision": 1}, station="BJ001")


def work_to_completion(services, station, order_id: str) -> None:
    tech = station["tech"]
    services.orders.transition(station["clerk"], order_id, sm.Action.ACCEPT)
    services.orders.transition(station["clerk"], order_id, sm.Action.ASSIGN,
                               technician_id=tech.user_id)
    services.orders.transition(tech, order_id, sm.Action.START_ON_SITE)
    services.orders.transition(tech, order_id, sm.Action.COMPLETE)


def test_dispatched_order_appears_from_head_office(services, station, sync, hq) -> None:
    dispatch(hq)
    hq.publish("notice", "n1", {"id": "n1", "title": "春节安排", "body": "放假七天",
                                "published_at": "2026-05-30T00:00:00+00:00"})
    report = sync.sync_now()
    assert report.pulled_changes == 2
    order = services.orders.detail(ORDER_ID)
    assert order.source is OrderSource.HEAD_OFFICE
    assert order.number == "SO-BJ001-20260601-5001"
    assert order.status is OrderStatus.RECEIVED
    assert order.customer.name == "陈女士"
    assert order.product is not None and order.product.serial_no == "SN123"
    rows = services.orders.search(OrderFilter())
    assert any(r.id == ORDER_ID for r in rows)
    assert sync.status().unread_notices == 1
    notice = sync.notices()[0]
    sync.mark_notice_read(station["clerk"], notice.id)
    assert sync.status().unread_notices == 0
    # pulling again changes nothing (cursor stored with the page)
    again = sync.sync_now()
    assert again.pulled_changes == 0


def test_dispatch_links_an_existing_customer_by_phone_and_name(services, station, sync,
                                                               hq) -> None:
    from app.services.customers import CustomerInput

    existing = services.customers.create(
        station["clerk"], CustomerInput("陈女士", ("139 1111 2222",), "老地址"))
    dispatch(hq)
    sync.sync_now()
    assert services.orders.detail(ORDER_ID).customer.id == existing.id
    with services.db.read() as s:
        assert len(s.scalars(select(Customer)).all()) == 1


def test_cancel_of_an_open_order_goes_through_the_state_machine(services, station, sync,
                                                                hq) -> None:
    dispatch(hq)
    sync.sync_now()
    hq.publish("cancel_order", ORDER_ID, {"order_id": ORDER_ID, "number": "x",
                                          "reason": "客户撤单"}, station="BJ001")
    sync.sync_now()
    detail = services.orders.detail(ORDER_ID)
    assert detail.status is OrderStatus.CANCELLED
    assert detail.cancel_reason == "客户撤单"
    assert sync.conflicts() == []
    sync.sync_now()  # the cancelled order went up to head office
    assert hq.books["BJ001"].rows[("service_order", ORDER_ID)]["status"] == "cancelled"


@pytest.mark.parametrize("station_first", [True, False])
def test_cancel_after_completion_keeps_completion_either_order(services, station, sync, hq,
                                                               station_first) -> None:
    dispatch(hq)
    sync.sync_now()
    if station_first:
        work_to_completion(services, station, ORDER_ID)
        hq.publish("cancel_order", ORDER_ID, {"order_id": ORDER_ID, "reason": "撤单"},
                   station="BJ001")
        sync.sync_now()
    else:
        work_to_completion(services, station, ORDER_ID)
        sync.sync_now()  # completion reaches HQ first, then HQ's (late) cancel arrives
        hq.publish("cancel_order", ORDER_ID, {"order_id": ORDER_ID, "reason": "撤单"},
                   station="BJ001")
        sync.sync_now()
    assert services.orders.detail(ORDER_ID).status is OrderStatus.COMPLETED
    conflicts = sync.conflicts()
    assert [c.kind for c in conflicts] == ["cancel_after_completion"]
    sync.sync_now()
    with services.db.read() as s:
        events = s.scalars(select(OutboxOp).where(OutboxOp.entity == "sync_conflict")).all()
        assert len(events) == 1
    assert any(k[0] == "sync_conflict" for k in hq.books["BJ001"].rows)


def test_hq_edit_applies_when_the_station_has_not_changed_the_order(services, station, sync,
                                                                    hq) -> None:
    dispatch(hq)
    sync.sync_now()
    for rev, text in ((2, "不脱水，有异响"), (3, "不脱水，异响，漏水")):
        hq.publish("order_update", ORDER_ID, {"order_id": ORDER_ID, "base_revision": 1,
                                              "hq_revision": rev,
                                              "fields": {"fault_description": text}},
                   station="BJ001")
    sync.sync_now()
    detail = services.orders.detail(ORDER_ID)
    assert detail.fault_description == "不脱水，异响，漏水"
    assert sync.conflicts() == []


def test_stale_hq_edit_becomes_a_conflict_and_station_edit_stands(services, station, sync,
                                                                  hq) -> None:
    dispatch(hq)
    sync.sync_now()
    services.orders.transition(station["clerk"], ORDER_ID, sm.Action.ACCEPT)
    hq.publish("order_update", ORDER_ID, {"order_id": ORDER_ID, "base_revision": 1,
                                          "hq_revision": 2,
                                          "fields": {"service_address": "新地址"}},
               station="BJ001")
    sync.sync_now()
    detail = services.orders.detail(ORDER_ID)
    assert detail.service_address == "北京市朝阳区建国路8号"
    assert detail.status is OrderStatus.ACCEPTED
    assert [c.kind for c in sync.conflicts()] == ["stale_hq_edit"]


def test_expired_cursor_takes_a_snapshot(services, station, sync, hq) -> None:
    dispatch(hq)
    hq.publish("notice", "n-old", {"id": "n-old", "title": "旧", "body": ""})
    sync.sync_now()
    # HQ drops the old notice and trims its log beyond our cursor
    hq.changes = [c for c in hq.changes if c[1].entity != "notice"]
    hq.publish("notice", "n-new", {"id": "n-new", "title": "新", "body": ""})
    dispatch(hq, order_id="6a0c1a52-8d7e-4c1b-9a55-0f6a1d2b3c4d",
             number="SO-BJ001-20260601-5002")
    hq.horizon = 3
    report = sync.sync_now()
    assert report.snapshots == 1
    assert [n.title for n in sync.notices()] == ["新"]
    assert services.orders.detail("6a0c1a52-8d7e-4c1b-9a55-0f6a1d2b3c4d").number.endswith("5002")
    assert sync.store.pull_cursor() == hq.changes[-1][1].hq_seq


def test_unknown_entity_is_shown_not_dropped(services, station, sync, hq) -> None:
    hq.publish("price_list", "p1", {"x": 1})
    sync.sync_now()
    assert [c.kind for c in sync.conflicts()] == ["unknown_change"]


def test_not_registered(services, station) -> None:
    from app.services.sync_service import SyncService
    from app.services.sync_token import FileTokenStore

    svc = SyncService(services.db, services.bus, FileTokenStore(services.paths.root))
    with pytest.raises(SyncError) as err:
        svc.sync_now()
    assert err.value.code == SyncError.NOT_REGISTERED


def test_registering_with_a_pruned_head_office_then_snapshot(services, station, hq) -> None:
    from app.services.sync_service import SyncService
    from app.services.sync_token import FileTokenStore
    from tests.sync.station.conftest import TOKEN
    from tests.sync.station.fake_hq import fake_transport_factory

    dispatch(hq)
    hq.horizon = 1  # head office no longer holds its change log from the start
    svc = SyncService(services.db, services.bus, FileTokenStore(services.paths.root),
                      transport_factory=fake_transport_factory(hq))
    svc.register(station["manager"], "https://hq.example.com", "BJ001", TOKEN)
    report = svc.sync_now()
    assert report.snapshots == 1
    assert services.orders.detail(ORDER_ID).source is OrderSource.HEAD_OFFICE


def test_snapshot_dispatch_with_newer_hq_edits_applies_them(services, station, sync,
                                                            hq) -> None:
    from app.services.sync_apply import apply_change
    from sync import protocol as p

    dispatch(hq)
    sync.sync_now()
    original = hq.changes[0][1].payload
    newer = {**original, "hq_revision": 3, "service_address": "快照里的新地址"}
    with services.db.write() as s:
        apply_change(s, p.Change(50, "dispatch_order", ORDER_ID, "upsert", newer),
                     services.orders.clock())
    assert services.orders.detail(ORDER_ID).service_address == "快照里的新地址"
    # the station then changes the order; an even newer snapshot edit is a conflict
    services.orders.transition(station["clerk"], ORDER_ID, sm.Action.ACCEPT)
    newest = {**original, "hq_revision": 4, "service_address": "又一个地址"}
    with services.db.write() as s:
        apply_change(s, p.Change(51, "dispatch_order", ORDER_ID, "upsert", newest),
                     services.orders.clock())
    assert services.orders.detail(ORDER_ID).service_address == "快照里的新地址"
    assert [c.kind for c in sync.conflicts()] == ["stale_hq_edit"]


def test_a_change_that_cannot_be_applied_becomes_a_conflict_not_a_blockage(services, station,
                                                                          sync, hq) -> None:
    hq.publish("notice", "n1", {"id": "n1", "title": "先到的公告", "body": ""})
    bad = dispatch(hq)
    hq.changes[-1][1].payload["product"]["purchase_date"] = "not-a-date"
    dispatch(hq, order_id="6a0c1a52-8d7e-4c1b-9a55-0f6a1d2b3c4d",
             number="SO-BJ001-20260601-5002")
    sync.sync_now()
    assert [n.title for n in sync.notices()] == ["先到的公告"]
    assert services.orders.detail("6a0c1a52-8d7e-4c1b-9a55-0f6a1d2b3c4d").number.endswith("5002")
    conflicts = sync.conflicts()
    assert [(c.kind, c.entity_id) for c in conflicts] == [("unreadable_change", ORDER_ID)]
    assert "not-a-date" in conflicts[0].remote_summary
    assert sync.store.pull_cursor() == hq.last_seq > bad
    with pytest.raises(Exception, match="not found|找不到|未找到"):
        services.orders.detail(ORDER_ID)


def test_a_lone_surrogate_from_head_office_becomes_a_conflict_not_a_crash(services, station,
                                                                          sync, hq) -> None:
    dispatch(hq)
    hq.changes[-1][1].payload["fault_description"] = "坏\ud800字"
    hq.publish("notice", "n1", {"id": "n1", "title": "后到的公告\udfff", "body": ""})
    hq.publish("notice", "n2", {"id": "n2", "title": "正常的公告", "body": ""})
    sync.sync_now()
    assert [n.title for n in sync.notices()] == ["正常的公告"]
    conflicts = sync.conflicts()
    assert sorted(c.kind for c in conflicts) == ["unreadable_change", "unreadable_change"]
    # the summary shows the bad character as its escape, so it can be stored and read
    assert any("\\ud800" in c.remote_summary for c in conflicts)
    assert sync.store.pull_cursor() == hq.last_seq
