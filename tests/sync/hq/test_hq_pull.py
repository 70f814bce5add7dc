"""Pull: paging by cursor, backlog, retention (410) and the snapshot that follows, and the
order conflicts (cancel vs completion) settled the same way in either arrival order."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from sync import protocol as p
from sync.hq import changes
from sync.hq.admin import DispatchInput
from sync.hq.models import HqConflict, HqOrder
from tests.sync.hq.conftest import Hq, op


def _orders(n: int) -> list[DispatchInput]:
    return [DispatchInput(f"客户{i}", "13800138000", f"北京市海淀区{i}号", "空调不制冷",
                          model="KFR-35GW", serial=f"SN{i:04d}", purchase_date="2025-05-01")
            for i in range(n)]


def test_pull_pages_through_changes_with_cursor_and_more(hq: Hq) -> None:
    st = hq.station("BJ001")
    dispatched = hq.admin.dispatch("BJ001", _orders(7))
    assert [d.number for d in dispatched][:2] == ["SO-BJ001-20260601-5001",
                                                  "SO-BJ001-20260601-5002"]
    seen, since, pages = [], 0, []
    while True:
        r = hq.pull(st, since, limit=3)
        assert r.status_code == 200
        page = p.PullPage.from_json(r.json())
        pages.append((len(page.changes), page.more))
        seen.extend(page.changes)
        since = page.next
        if not page.more:
            break
    assert pages == [(3, True), (3, True), (1, False)]
    assert [c.entity_id for c in seen] == [d.order_id for d in dispatched]
    first = seen[0].payload
    assert first["number"] == "SO-BJ001-20260601-5001"
    assert first["customer"] == {"name": "客户0", "phones": ["13800138000"],
                                 "address": "北京市海淀区0号"}
    assert first["product"]["serial_no"] == "SN0000"
    assert first["order_type"] == "repair" and first["service_mode"] == "on_site"
    # nothing new: the same cursor comes back, no changes
    assert hq.pull(st, since).json() == {"changes": [], "next": since, "more": False}
    # limits above 500 are clamped, below 1 refused
    assert hq.pull(st, 0, limit=10_000).status_code == 200
    r = hq.pull(st, 0, limit=0)
    assert r.status_code == 400 and r.json()["error"] == "bad_request"


def test_backlog_counts_what_the_station_has_not_pulled(hq: Hq) -> None:
    st = hq.station("BJ001")
    hq.admin.dispatch("BJ001", _orders(4))
    hq.admin.notice("停电通知", "周六停电")
    assert [r.backlog for r in hq.admin.stations()] == [5]
    page = hq.pull(st, 0, limit=2).json()
    assert [r.backlog for r in hq.admin.stations()] == [3]
    hq.pull(st, page["next"], limit=500)
    row = hq.admin.stations()[0]
    assert row.backlog == 0 and row.last_sync is not None


def test_expired_cursor_410_then_snapshot_then_pull_on(hq: Hq) -> None:
    st = hq.station("BJ001")
    old = hq.admin.dispatch("BJ001", _orders(3))
    hq.admin.cancel(old[1].number, "客户已自行修好")
    hq.admin.notice("旧通知", "内容")
    hq.clock.now += timedelta(days=100)
    newer = hq.admin.dispatch("BJ001", _orders(1))
    assert changes.prune(hq.db, hq.clock(), retention_days=90) == 5
    r = hq.pull(st, 0)
    assert r.status_code == 410 and r.json()["error"] == "cursor_expired"
    snap = p.Snapshot.from_json(hq.client.get(p.SNAPSHOT_PATH, headers=st.headers).json())
    kinds = [(c.entity, c.entity_id) for c in snap.changes]
    assert kinds == [("dispatch_order", old[0].order_id), ("dispatch_order", old[1].order_id),
                     ("dispatch_order", old[2].order_id), ("dispatch_order", newer[0].order_id),
                     ("cancel_order", old[1].order_id), ("notice", snap.changes[-1].entity_id)]
    assert snap.next == newer[0].hq_seq
    assert hq.pull(st, snap.next).json()["changes"] == []
    later = hq.admin.dispatch("BJ001", _orders(1))
    assert [c["entity_id"] for c in hq.pull(st, snap.next).json()["changes"]] == [
        later[0].order_id]


def test_cursor_from_a_lost_future_is_expired(hq: Hq) -> None:
    """Head office restored from a backup: a station's cursor is ahead of every hq_seq."""
    st = hq.station("BJ001")
    hq.admin.dispatch("BJ001", _orders(2))
    r = hq.pull(st, 50)
    assert r.status_code == 410


def test_snapshot_leaves_out_orders_the_station_finished(hq: Hq) -> None:
    st = hq.station("BJ001")
    done, open_ = hq.admin.dispatch("BJ001", _orders(2))
    hq.push(st, p.PushBatch.build("BJ001", [_order_op(1, done.order_id, done.number,
                                                      "closed")]))
    snap = hq.client.get(p.SNAPSHOT_PATH, headers=st.headers).json()
    assert [c["entity_id"] for c in snap["changes"]] == [open_.order_id]


def _order_op(seq: int, order_id: str, number: str, status: str, revision: int = 2) -> p.PushOp:
    return op(seq, "service_order", order_id,
              {"id": order_id, "number": number, "status": status, "revision": revision,
               "order_type": "repair", "service_mode": "on_site", "source": "head_office",
               "charge_lines": []}, action=status, base_revision=revision - 1)


def _state(hq: Hq, order_id: str) -> tuple[str, str, list[tuple[str, str]]]:
    with hq.db.read() as s:
        order = s.get(HqOrder, order_id)
        conflicts = [(c.kind, c.subject_id) for c in s.scalars(select(HqConflict))]
        return order.status, order.cancel_state, conflicts


def test_cancel_vs_completion_same_end_state_in_either_order(hq: Hq) -> None:
    st = hq.station("BJ001")
    first, second = hq.admin.dispatch("BJ001", _orders(2))
    # A: head office cancels first, then the station's completion arrives
    hq.admin.cancel(first.number, "重复派单")
    r = hq.push(st, p.PushBatch.build("BJ001", [_order_op(1, first.order_id, first.number,
                                                          "completed")]))
    result = p.PushAck.from_json(r.json()).results[0]
    assert result.status == "conflict" and "completed state stands" in result.reason
    # B: the completion arrives first, then head office cancels
    hq.push(st, p.PushBatch.build("BJ001", [_order_op(2, second.order_id, second.number,
                                                      "completed")]))
    cancelled = hq.admin.cancel(second.number, "重复派单")
    assert cancelled.conflict is True
    a, b = _state(hq, first.order_id), _state(hq, second.order_id)
    assert a[:2] == b[:2] == ("completed", "conflict")
    assert sorted(a[2]) == sorted([("cancel_after_completion", first.order_id),
                                   ("cancel_after_completion", second.order_id)])
    # the station's own report of the same conflict is not a second record
    report = op(3, "sync_conflict", "c0ffee00-0000-0000-0000-000000000001",
                {"kind": "cancel_after_completion", "subject_entity": "service_order",
                 "subject_id": first.order_id, "detail": "站点已完工"}, kind="event")
    assert hq.push(st, p.PushBatch.build("BJ001", [report])).json()["results"][0][
        "status"] == "applied"
    assert len(hq.admin.conflicts()) == 2
    # both cancels still travel to the station, which records its side of the conflict
    entities = [c["entity"] for c in hq.pull(st).json()["changes"]]
    assert entities.count("cancel_order") == 2


def test_cancel_confirmed_when_the_station_cancels(hq: Hq) -> None:
    st = hq.station("BJ001")
    order = hq.admin.dispatch("BJ001", _orders(1))[0]
    hq.admin.cancel(order.order_id, "客户撤单")
    hq.push(st, p.PushBatch.build("BJ001", [_order_op(1, order.order_id, order.number,
                                                      "cancelled")]))
    assert _state(hq, order.order_id) == ("cancelled", "confirmed", [])


def test_station_reported_stale_edit_is_kept_for_head_office(hq: Hq) -> None:
    st = hq.station("BJ001")
    order = hq.admin.dispatch("BJ001", _orders(1))[0]
    hq.push(st, p.PushBatch.build("BJ001", [_order_op(1, order.order_id, order.number,
                                                      "accepted", revision=3)]))
    seq = hq.admin.update_order(order.number, {"service_address": "北京市朝阳区新地址"})
    change = hq.pull(st).json()["changes"][-1]
    assert change["hq_seq"] == seq and change["entity"] == "order_update"
    assert change["payload"] == {"order_id": order.order_id, "base_revision": 3,
                                 "hq_revision": seq,
                                 "fields": {"service_address": "北京市朝阳区新地址"}}
    report = op(2, "sync_conflict", "c0ffee00-0000-0000-0000-000000000002",
                {"kind": "stale_hq_edit", "subject_entity": "service_order",
                 "subject_id": order.order_id, "detail": "站点已修改", "hq_seq": seq},
                kind="event")
    hq.push(st, p.PushBatch.build("BJ001", [report]))
    rows = hq.admin.conflicts("BJ001")
    assert [(r.kind, r.found_by) for r in rows] == [("stale_hq_edit", "station")]
    snap = hq.client.get(p.SNAPSHOT_PATH, headers=st.headers).json()
    merged = snap["changes"][0]["payload"]
    assert merged["service_address"] == "北京市朝阳区新地址" and merged["hq_revision"] == seq
    with hq.db.read() as s:
        assert json.loads(s.get(HqOrder, order.order_id).dispatch_payload)["hq_revision"] == seq


def test_after_restore_every_cursor_gets_410_and_the_snapshot_is_complete(hq: Hq) -> None:
    st = hq.station("BJ001")
    hq.admin.dispatch("BJ001", _orders(2))
    cursor = hq.pull(st).json()["next"]
    first = hq.admin.after_restore()
    assert first > cursor
    for since in (0, cursor):
        assert hq.pull(st, since).status_code == 410
    snap = hq.client.get(p.SNAPSHOT_PATH, headers=st.headers).json()
    assert [c["entity"] for c in snap["changes"]] == ["dispatch_order", "dispatch_order"]
    assert snap["next"] == first - 1
    later = hq.admin.dispatch("BJ001", _orders(1))[0]
    assert later.hq_seq == first
    assert [c["hq_seq"] for c in hq.pull(st, snap["next"]).json()["changes"]] == [first]


def test_server_prunes_at_start_with_its_configured_retention(hq: Hq) -> None:
    from fastapi.testclient import TestClient

    from sync.hq.api import create_app

    st = hq.station("BJ001")
    hq.admin.dispatch("BJ001", _orders(1))
    hq.clock.now += timedelta(days=31)
    with TestClient(create_app(db=hq.db, clock=hq.clock, retention_days=30)) as client:
        r = client.get(p.PULL_PATH, params={"since": 0}, headers=st.headers)
    assert r.status_code == 410
    with TestClient(create_app(db=hq.db, clock=hq.clock, retention_days=90)) as client:
        assert client.get(p.PULL_PATH, params={"since": 1}, headers=st.headers).json() == {
            "changes": [], "next": 1, "more": False}
