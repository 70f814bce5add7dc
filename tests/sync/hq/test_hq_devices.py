"""Several devices per station at head office (issue 15): device tokens, revoking at once, a
protocol-1 program refused once a station has several devices, each device's own seq and
high water, relaying one device's ops to the others (never back, never to another station),
the stale-edit rule and the order merge, primary-only changes, the station-state download,
``device/start`` and the admin commands."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import func, select

from sync import protocol as p
from sync.hq.admin import AdminError
from sync.hq.models import (
    HqChange,
    HqConflict,
    HqDevice,
    HqHighWater,
    HqReceivedOp,
    HqRecord,
)
from tests.sync.hq.conftest import Hq, gz


@dataclass
class Device:
    code: str
    number: int
    token: str
    next_seq: int = 1
    cursor: int = 0
    sent: list[p.PushOp] = field(default_factory=list)

    @property
    def headers(self) -> dict[str, str]:
        return p.auth_headers(self.token)

    def op(self, entity: str, entity_id: str, payload: dict[str, Any], kind: str = "upsert",
           seen: int | None = None) -> p.PushOp:
        seq = self.next_seq
        self.next_seq += 1
        o = p.PushOp(seq=seq, op_id=str(uuid.uuid4()), entity=entity, entity_id=entity_id,
                     op=kind, payload=payload, created_at="2026-06-01T10:00:00+08:00",
                     action="update", username="clerk",
                     seen_hq_seq=self.cursor if seen is None else seen)
        self.sent.append(o)
        return o


def _first(hq: Hq, code: str = "BJ001") -> Device:
    return Device(code, 1, hq.admin.add_station(code, "测试维修站"))


def _add(hq: Hq, code: str = "BJ001", name: str = "外勤笔记本") -> Device:
    row, token = hq.admin.add_device(code, name)
    return Device(code, row.number, token)


def _push(hq: Hq, d: Device, *ops: p.PushOp) -> Any:
    kw = gz(p.PushBatch.build(d.code, list(ops), device=d.number))
    kw["headers"].update(d.headers)
    return hq.client.post(p.PUSH_PATH, **kw)


def _pull(hq: Hq, d: Device) -> list[p.Change]:
    """Everything waiting for the device; its cursor moves on."""
    out: list[p.Change] = []
    while True:
        r = hq.client.get(p.PULL_PATH, params={"since": d.cursor}, headers=d.headers)
        assert r.status_code == 200, r.text
        page = p.PullPage.from_json(r.json())
        out.extend(page.changes)
        d.cursor = page.next
        if not page.more:
            return out


def _results(r: Any) -> list[p.OpResult]:
    assert r.status_code == 200, r.text
    return list(p.PushAck.from_json(r.json()).results)


def _order(number: str, status: str, revision: int = 1, **extra: Any) -> dict[str, Any]:
    return {"number": number, "status": status, "revision": revision, **extra}


# -- tokens, revoking, protocol 1 ----------------------------------------------------------


def test_each_device_has_its_own_token_and_identity(hq: Hq) -> None:
    d1 = _first(hq)
    d2 = _add(hq)
    assert (d2.number, d2.token != d1.token) == (2, True)
    r = hq.client.get(p.DEVICE_PATH, headers=d2.headers)
    assert r.status_code == 200, r.text
    answer = p.DeviceAnswer.from_json(r.json())
    assert (answer.station_code, answer.device.number, answer.device.name,
            answer.device.tag, answer.primary) == ("BJ001", 2, "外勤笔记本", "B", 1)
    assert [(d.number, d.tag) for d in answer.devices] == [(1, ""), (2, "B")]
    with hq.db.read() as s:
        hashes = set(s.scalars(select(HqDevice.token_hash)))
    assert d2.token not in hashes and len(hashes) == 2  # stored only as hashes


def test_a_revoked_device_stops_at_once_and_the_others_go_on(hq: Hq) -> None:
    d1 = _first(hq)
    d2 = _add(hq)
    assert _pull(hq, d2) == []
    report = hq.admin.revoke_device("BJ001", 2)
    assert report.number == 2 and report.active_left == 1 and report.new_primary is None
    for r in (hq.client.get(p.PULL_PATH, headers=d2.headers),
              _push(hq, d2, d2.op("customer", str(uuid.uuid4()), {"name": "甲"})),
              hq.client.get(p.DEVICE_PATH, headers=d2.headers)):
        assert r.status_code == 403, r.text
        assert r.json()["error"] == "revoked"
        assert "device's token was revoked" in r.json()["message"]
    assert _results(_push(hq, d1, d1.op("customer", str(uuid.uuid4()), {"name": "乙"})))


def test_a_protocol_1_program_is_refused_once_the_station_has_two_devices(hq: Hq) -> None:
    d1 = _first(hq)
    old = p.auth_headers(d1.token, protocol=1)
    assert hq.client.get(p.PULL_PATH, headers=old).status_code == 200
    d2 = _add(hq)
    r = hq.client.get(p.PULL_PATH, headers=old)
    assert r.status_code == 426 and r.json()["error"] == "upgrade_required"
    assert "several devices" in r.json()["message"] and r.json()["min_protocol"] == 2
    assert hq.client.get(p.PULL_PATH, headers=p.auth_headers(d2.token, 1)).status_code == 426
    assert hq.client.get(p.PULL_PATH, headers=d1.headers).status_code == 200
    hq.admin.revoke_device("BJ001", 2)  # one device again: protocol 1 works again
    assert hq.client.get(p.PULL_PATH, headers=old).status_code == 200


def test_rotate_token_rotates_device_1_and_keeps_the_station_hash(hq: Hq) -> None:
    d1 = _first(hq)
    _add(hq)
    new = hq.admin.rotate_token("BJ001")
    assert hq.client.get(p.PULL_PATH, headers=d1.headers).status_code == 401
    d1.token = new
    assert hq.client.get(p.PULL_PATH, headers=d1.headers).status_code == 200
    with hq.db.read() as s:
        first = s.scalar(select(HqDevice).where(HqDevice.number == 1))
        from sync.hq.models import HqStation

        assert first.token_hash == s.scalar(select(HqStation.token_hash))


# -- per-device seq ------------------------------------------------------------------------


def test_each_device_has_its_own_high_water_gap_and_replay(hq: Hq) -> None:
    d1 = _first(hq)
    d2 = _add(hq)
    a = [d1.op("customer", str(uuid.uuid4()), {"name": f"一{i}"}) for i in range(3)]
    b = [d2.op("customer", str(uuid.uuid4()), {"name": f"二{i}"}) for i in range(2)]
    assert p.PushAck.from_json(_push(hq, d1, *a).json()).high_water == 3
    r = _push(hq, d2, *b)
    assert p.PushAck.from_json(r.json()).batch_id == "BJ001/2:1:2"
    assert p.PushAck.from_json(r.json()).high_water == 2
    again = _push(hq, d2, *b)  # a replay: the stored acknowledgement, nothing applied twice
    assert again.json()["replayed"] is True
    d2.op("customer", str(uuid.uuid4()), {"name": "lost"})  # seq 3 never arrives
    gap = _push(hq, d2, d2.op("customer", str(uuid.uuid4()), {"name": "四"}))
    assert gap.status_code == 409 and gap.json()["expected_seq"] == 3
    with hq.db.read() as s:
        marks = {n: hw for n, hw in s.execute(select(HqDevice.number, HqDevice.high_water))}
        assert marks == {1: 3, 2: 2}
        assert s.scalar(select(HqHighWater.high_water)) == 3  # device 1's, for protocol 1
        by_device = {n: c for n, c in s.execute(
            select(HqDevice.number, func.count())
            .join(HqReceivedOp, HqReceivedOp.device_id == HqDevice.id)
            .group_by(HqDevice.number))}
        assert by_device == {1: 3, 2: 2}
        pushed = s.scalar(select(HqDevice.last_push_at).where(HqDevice.number == 2))
    assert pushed is not None


def test_a_batch_naming_another_device_or_station_is_refused(hq: Hq) -> None:
    d1 = _first(hq)
    d2 = _add(hq)
    _first(hq, "SH002")
    o = d2.op("customer", str(uuid.uuid4()), {"name": "甲"})
    for batch in (p.PushBatch.build("BJ001", [o]), p.PushBatch.build("BJ001", [o], device=3),
                  p.PushBatch.build("SH002", [o], device=2)):
        kw = gz(batch)
        kw["headers"].update(d2.headers)
        r = hq.client.post(p.PUSH_PATH, **kw)
        assert r.status_code == 400 and r.json()["error"] == "bad_request", batch.batch_id
    kw = gz(p.PushBatch.build("BJ001", [o], device=2))
    kw["headers"].update(d1.headers)
    assert hq.client.post(p.PUSH_PATH, **kw).status_code == 400


# -- relay ---------------------------------------------------------------------------------


def test_ops_are_relayed_to_the_other_devices_never_back_nor_elsewhere(hq: Hq) -> None:
    d1 = _first(hq)
    d2 = _add(hq)
    d3 = _add(hq, name="车间电脑")
    other = _first(hq, "SH002")
    cid = str(uuid.uuid4())
    c = d2.op("customer", cid, {"name": "张三"})
    conflict = d2.op("sync_conflict", str(uuid.uuid4()),
                     {"kind": "rejected_op", "subject_entity": "customer", "subject_id": cid,
                      "detail": "x"}, kind="event")
    assert [r.status for r in _results(_push(hq, d2, c, conflict))] == ["applied"] * 2
    assert _pull(hq, d2) == []  # never its own
    for d in (d1, d3):
        (got,) = _pull(hq, d)  # the conflict stays on its device
        assert (got.entity, got.entity_id, got.op, got.payload, got.op_id, got.device) == (
            "customer", cid, "upsert", {"name": "张三"}, c.op_id, 2)
        assert got.relayed
    assert hq.client.get(p.PULL_PATH, headers=p.auth_headers(other.token)).json()[
        "changes"] == []
    with hq.db.read() as s:
        rec = s.scalar(select(HqRecord).where(HqRecord.entity_id == cid))
        dev2 = s.scalar(select(HqDevice.id).where(HqDevice.number == 2))
        assert (rec.last_device_id, rec.last_change_seq) == (dev2, d1.cursor)


def test_a_one_device_station_relays_nothing(hq: Hq) -> None:
    d1 = _first(hq)
    _results(_push(hq, d1, d1.op("customer", str(uuid.uuid4()), {"name": "甲"})))
    with hq.db.read() as s:
        assert s.scalar(select(func.count()).select_from(HqChange)) == 0


def test_rejected_and_already_recorded_ledger_ops_are_not_relayed(hq: Hq) -> None:
    d1 = _first(hq)
    d2 = _add(hq)
    mid = str(uuid.uuid4())
    move = {"part_no": "P1", "qty": -1, "kind": "issue"}
    _results(_push(hq, d1, d1.op("stock_movement", mid, move, kind="event")))
    again = _results(_push(hq, d2, d2.op("stock_movement", mid, move, kind="event"),
                           d2.op("dispatch_order", str(uuid.uuid4()), {})))
    assert [r.status for r in again] == ["applied", "rejected"]
    assert _pull(hq, d1) == []
    assert [c.entity for c in _pull(hq, d2)] == ["stock_movement"]


# -- stale edits and the order merge -------------------------------------------------------


def test_an_edit_made_before_seeing_another_devices_change_is_stale(hq: Hq) -> None:
    d1 = _first(hq)
    d2 = _add(hq)
    cid = str(uuid.uuid4())
    _results(_push(hq, d1, d1.op("customer", cid, {"name": "张三", "revision": 1})))
    _pull(hq, d2)
    _results(_push(hq, d2, d2.op("customer", cid, {"name": "张三丰", "revision": 2})))
    # device 1 has not pulled device 2's edit: its own edit is stale
    (res,) = _results(_push(hq, d1, d1.op("customer", cid, {"name": "张小三", "revision": 2})))
    assert (res.status, res.kind) == ("rejected", p.STALE_DEVICE_EDIT)
    assert res.current == {"name": "张三丰", "revision": 2}
    # once it has seen it, its next edit applies
    assert [c.entity_id for c in _pull(hq, d1)] == [cid]
    (ok,) = _results(_push(hq, d1, d1.op("customer", cid, {"name": "张小三", "revision": 3})))
    assert ok.status == "applied"
    assert [c.payload["name"] for c in _pull(hq, d2)] == ["张小三"]


def test_a_further_along_order_status_wins_and_goes_to_every_device(hq: Hq) -> None:
    d1 = _first(hq)
    d2 = _add(hq)
    oid = str(uuid.uuid4())
    _results(_push(hq, d1, d1.op("service_order", oid, _order("SO-1", "assigned"))))
    _pull(hq, d2)
    # device 1 cancels; device 2, offline, had completed the order meanwhile
    _results(_push(hq, d1, d1.op("service_order", oid, _order("SO-1", "cancelled", 2))))
    (res,) = _results(_push(hq, d2, d2.op("service_order", oid,
                                           _order("SO-1", "completed", 2, fault="修好"))))
    assert (res.status, res.kind) == ("conflict", p.ORDER_STATUS_MERGED)
    assert res.current == _order("SO-1", "cancelled", 2)
    merged = _order("SO-1", "completed", 3, fault="修好")
    for d in (d1, d2):  # the sender too
        last = _pull(hq, d)[-1]
        assert (last.payload, last.device, last.op_id) == (merged, 0, d2.sent[-1].op_id)
    with hq.db.read() as s:
        rec = s.scalar(select(HqRecord).where(HqRecord.entity_id == oid))
        assert (json.loads(rec.payload), rec.revision, rec.last_device_id) == (merged, 3, 0)
        kinds = list(s.scalars(select(HqConflict.kind)))
    assert kinds == [p.ORDER_STATUS_MERGED]
    # after the merge, an edit of device 1 made before it saw the merge is stale
    (late,) = _results(_push(hq, d1, d1.op("service_order", oid, _order("SO-1", "received", 4),
                                           seen=0)))
    assert (late.status, late.kind, late.current) == ("rejected", p.STALE_DEVICE_EDIT, merged)


def test_a_stale_order_edit_not_further_along_is_rejected(hq: Hq) -> None:
    d1 = _first(hq)
    d2 = _add(hq)
    oid = str(uuid.uuid4())
    _results(_push(hq, d1, d1.op("service_order", oid, _order("SO-2", "accepted")),
                   d1.op("service_order", oid, _order("SO-2", "completed", 2))))
    (res,) = _results(_push(hq, d2, d2.op("service_order", oid, _order("SO-2", "on_site", 2),
                                          seen=0)))
    assert (res.status, res.kind) == ("rejected", p.STALE_DEVICE_EDIT)
    assert res.current == _order("SO-2", "completed", 2)


# -- primary-only changes ------------------------------------------------------------------


def test_orders_dispatched_go_only_to_the_primary_device(hq: Hq) -> None:
    from sync.hq.inputs import DispatchInput

    d1 = _first(hq)
    d2 = _add(hq)
    hq.admin.dispatch("BJ001", [DispatchInput("王五", "13912345678", "北京市", "不制冷")])
    hq.admin.notice("通知", "全体")
    assert [c.entity for c in _pull(hq, d1)] == ["dispatch_order", "notice"]
    assert [c.entity for c in _pull(hq, d2)] == ["notice"]
    snap = hq.client.get(p.SNAPSHOT_PATH, headers=d2.headers).json()
    assert [c["entity"] for c in snap["changes"]] == ["notice"]
    # the primary is lost: device 2 becomes primary and must take a snapshot first
    report = hq.admin.revoke_device("BJ001", 1)
    assert report.new_primary == 2
    r = hq.client.get(p.PULL_PATH, params={"since": d2.cursor}, headers=d2.headers)
    assert r.status_code == 410 and r.json()["error"] == "cursor_expired"
    snap = hq.client.get(p.SNAPSHOT_PATH, headers=d2.headers).json()
    assert [c["entity"] for c in snap["changes"]] == ["dispatch_order", "notice"]
    d2.cursor = snap["next"]
    assert _pull(hq, d2) == []


# -- the station-state download ------------------------------------------------------------


def test_station_state_pages_in_dependency_order_with_tombstones(hq: Hq) -> None:
    d1 = _first(hq)
    _first(hq, "SH002")
    oid, cids = str(uuid.uuid4()), [str(uuid.uuid4()) for _ in range(3)]
    pid = str(uuid.uuid4())
    # pushed in an order that is not the dependency order
    _results(_push(hq, d1, d1.op("service_order", oid, _order("SO-3", "received")),
                   d1.op("customer", cids[0], {"name": "甲"}),
                   d1.op("product", pid, {"model": "X"}),
                   d1.op("customer", cids[1], {"name": "乙"}),
                   d1.op("customer", cids[2], {"name": "丙"}),
                   d1.op("customer", cids[1], {"name": "乙"}, kind="delete")))
    d2 = _add(hq)
    seen: list[p.StateRow] = []
    after, cursor, pages = "", None, 0
    while True:
        params: dict[str, Any] = {"after": after, "limit": 2}
        if cursor is not None:
            params["cursor"] = cursor
        r = hq.client.get(p.STATION_STATE_PATH, params=params, headers=d2.headers)
        assert r.status_code == 200, r.text
        page = p.StationStatePage.from_json(r.json())
        assert page.total == 5
        cursor = page.cursor if cursor is None else cursor
        assert page.cursor == cursor
        seen.extend(page.rows)
        after, pages = page.after, pages + 1
        if not page.more:
            break
    assert pages == 3
    assert [(r.entity, r.entity_id, r.deleted) for r in seen] == [
        ("customer", cids[0], False), ("customer", cids[1], True),
        ("customer", cids[2], False), ("product", pid, False), ("service_order", oid, False)]
    # the cursor sent back is echoed even when the change log has moved on
    hq.admin.notice("通知", "全体")
    again = hq.client.get(p.STATION_STATE_PATH, params={"after": after, "cursor": cursor},
                          headers=d2.headers).json()
    assert (again["rows"], again["cursor"], again["more"]) == ([], cursor, False)
    bad = hq.client.get(p.STATION_STATE_PATH, params={"after": "x:1"}, headers=d2.headers)
    assert bad.status_code == 400 and bad.json()["error"] == "bad_request"


def test_station_state_resumes_after_a_position(hq: Hq) -> None:
    d1 = _first(hq)
    ids = [str(uuid.uuid4()) for _ in range(4)]
    _results(_push(hq, d1, *[d1.op("customer", i, {"name": str(n)}) for n, i in
                             enumerate(ids)]))
    first = hq.client.get(p.STATION_STATE_PATH, params={"limit": 3}, headers=d1.headers).json()
    assert first["more"] is True and len(first["rows"]) == 3
    rest = hq.client.get(p.STATION_STATE_PATH, params={"after": first["after"]},
                         headers=d1.headers).json()
    assert [r["entity_id"] for r in first["rows"] + rest["rows"]] == ids
    assert rest["more"] is False


# -- device/start --------------------------------------------------------------------------


def test_a_device_from_a_backup_starts_its_seq_after_the_backups(hq: Hq) -> None:
    _first(hq)
    d2 = _add(hq)
    r = hq.client.post(p.DEVICE_START_PATH, json={"first_seq": 41}, headers=d2.headers)
    assert r.status_code == 200, r.text
    assert p.DeviceInfo.from_json(r.json()).high_water == 40
    d2.next_seq = 41
    ack = p.PushAck.from_json(_push(hq, d2, d2.op("customer", str(uuid.uuid4()),
                                                  {"name": "甲"})).json())
    assert (ack.batch_id, ack.high_water) == ("BJ001/2:41:41", 41)
    again = hq.client.post(p.DEVICE_START_PATH, json={"first_seq": 5}, headers=d2.headers)
    assert again.status_code == 409 and "cannot be moved" in again.json()["message"]
    for body in ({"content": b'{"first_seq": 0}'}, {"content": b"nonsense"}, {}):
        bad = hq.client.post(p.DEVICE_START_PATH, headers=d2.headers, **body)
        assert bad.status_code == 400 and bad.json()["error"] == "bad_request", body
        assert "first_seq" in bad.json()["message"]


# -- admin -----------------------------------------------------------------------------------


def test_admin_lists_and_refuses_clearly(hq: Hq) -> None:
    d1 = _first(hq)
    _add(hq, name="柜台电脑")
    _results(_push(hq, d1, d1.op("customer", str(uuid.uuid4()), {"name": "甲"})))
    rows = hq.admin.devices("BJ001")
    assert [(r.number, r.name, r.tag, r.revoked, r.high_water, r.primary) for r in rows] == [
        (1, "1号机", "", False, 1, True), (2, "柜台电脑", "B", False, 0, False)]
    assert rows[1].backlog == 1  # device 1's customer waits for it
    for bad in (lambda: hq.admin.add_device("BJ001", " "),
                lambda: hq.admin.add_device("BJ001", "长" * 65),
                lambda: hq.admin.add_device("XX999", "机"),
                lambda: hq.admin.revoke_device("BJ001", 7)):
        with pytest.raises(AdminError):
            bad()
    report = hq.admin.revoke_device("BJ001", 1)
    assert (report.high_water, [o.entity for o in report.last_ops]) == (1, ["customer"])
    with pytest.raises(AdminError):
        hq.admin.revoke_device("BJ001", 1)
    assert hq.admin.revoke_device("BJ001", 2).active_left == 0


def test_a_full_batch_is_relayed_in_op_order_with_one_run_of_seqs(hq: Hq) -> None:
    d1 = _first(hq)
    d2 = _add(hq)
    ops = [d1.op("customer", str(uuid.uuid4()), {"name": f"客户{i}"})
           for i in range(p.MAX_BATCH_OPS)]
    _results(_push(hq, d1, *ops))
    got = _pull(hq, d2)
    assert [c.op_id for c in got] == [o.op_id for o in ops]
    assert [c.hq_seq for c in got] == list(range(got[0].hq_seq, got[0].hq_seq + len(ops)))


def test_a_push_that_waited_while_its_device_was_revoked_keeps_nothing(hq: Hq) -> None:
    from sync.hq import apply
    from sync.hq.auth import identify

    _first(hq)
    d2 = _add(hq)
    with hq.db.read() as s:
        who = identify(s, d2.token)  # let in before the revocation
    hq.admin.revoke_device("BJ001", 2)
    batch = p.PushBatch.build("BJ001", [d2.op("customer", str(uuid.uuid4()), {"name": "甲"})],
                              device=2)
    with pytest.raises(apply.DeviceRevoked):
        apply.push(hq.db, who, batch, hq.clock())
    with hq.db.read() as s:
        assert s.scalar(select(func.count()).select_from(HqReceivedOp)) == 0


def test_large_answers_are_gzip_for_a_client_that_accepts_it(hq: Hq) -> None:
    d1 = _first(hq)
    _results(_push(hq, d1, *[d1.op("customer", str(uuid.uuid4()), {"name": "客户" * 50})
                             for _ in range(100)]))
    r = hq.client.get(p.STATION_STATE_PATH, headers={**d1.headers,
                                                     "Accept-Encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip" and len(r.json()["rows"]) == 100
    small = hq.client.get(p.DEVICE_PATH, headers={**d1.headers, "Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers


def test_a_later_op_of_the_batch_on_a_merged_order_reaches_the_sender_too(hq: Hq) -> None:
    d1 = _first(hq)
    d2 = _add(hq)
    oid = str(uuid.uuid4())
    _results(_push(hq, d1, d1.op("service_order", oid, _order("SO-4", "assigned")),
                   d1.op("service_order", oid, _order("SO-4", "cancelled", 2))))
    res = _results(_push(hq, d2, d2.op("service_order", oid, _order("SO-4", "completed", 2),
                                       seen=0),
                         d2.op("service_order", oid, _order("SO-4", "visited", 3), seen=0)))
    assert [(r.status, r.kind) for r in res] == [("conflict", p.ORDER_STATUS_MERGED),
                                                ("applied", "")]
    # the merge comes back to device 2: so must its own later op, or the merge would be last
    assert [c.payload["status"] for c in _pull(hq, d2)][-2:] == ["completed", "visited"]
    assert [c.payload["status"] for c in _pull(hq, d1)][-2:] == ["completed", "visited"]
