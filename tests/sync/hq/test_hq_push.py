"""Push: acknowledgement, exactly-once under replays and overlaps, gaps, rejected ops, and what
head office keeps of the station's data (records, orders, audit)."""

from __future__ import annotations

import json
import uuid

from sqlalchemy import func, select

from sync import protocol as p
from sync.hq.models import HqHighWater, HqReceivedOp, HqRecord, HqRejectedOp
from tests.sync.hq.conftest import Hq, gz, op


def _count(hq: Hq, model: type, **where: object) -> int:
    with hq.db.read() as s:
        stmt = select(func.count()).select_from(model)
        for key, value in where.items():
            stmt = stmt.where(getattr(model, key) == value)
        return s.scalar(stmt) or 0


def _high_water(hq: Hq) -> list[int]:
    with hq.db.read() as s:
        return list(s.scalars(select(HqHighWater.high_water).order_by(HqHighWater.station_id)))


def test_push_applies_batch_and_acknowledges_every_op(hq: Hq) -> None:
    st = hq.station("BJ001")
    ops = st.ops(3)
    r = hq.push(st, p.PushBatch.build("BJ001", ops))
    assert r.status_code == 200, r.text
    ack = p.PushAck.from_json(r.json())
    assert ack == p.PushAck("BJ001:1:3", 3, False,
                            tuple(p.OpResult(o.op_id, "applied") for o in ops))
    with hq.db.read() as s:
        rec = s.scalar(select(HqRecord).where(HqRecord.entity_id == ops[1].entity_id))
        assert rec is not None and json.loads(rec.payload) == {"name": "客户2"}
        audit = [(a.seq, a.action, a.username, a.entity)
                 for a in s.scalars(select(HqReceivedOp).order_by(HqReceivedOp.seq))]
    assert audit == [
        (1, "update", "clerk", "customer"), (2, "update", "clerk", "customer"),
        (3, "update", "clerk", "customer")]
    assert _high_water(hq) == [3]


def test_replayed_batch_gets_stored_ack_and_changes_nothing(hq: Hq) -> None:
    st = hq.station("BJ001")
    batch = p.PushBatch.build("BJ001", st.ops(4))
    first = hq.push(st, batch).json()
    # a later edit of one of the rows must not be undone by the replay
    later = op(5, "customer", batch.ops[0].entity_id, {"name": "改过"})
    assert hq.push(st, p.PushBatch.build("BJ001", [later])).status_code == 200
    again = hq.push(st, batch)
    assert again.status_code == 200
    body = again.json()
    assert body["replayed"] is True
    assert body["results"] == first["results"]
    assert body["high_water"] == 5
    assert _count(hq, HqReceivedOp) == 5
    with hq.db.read() as s:
        rec = s.scalar(select(HqRecord).where(HqRecord.entity_id == batch.ops[0].entity_id))
        assert json.loads(rec.payload) == {"name": "改过"}


def test_gap_answers_409_with_expected_seq(hq: Hq) -> None:
    st = hq.station("BJ001")
    hq.push(st, p.PushBatch.build("BJ001", st.ops(2)))
    st.ops(2)  # seqs 3-4 "lost"
    r = hq.push(st, p.PushBatch.build("BJ001", st.ops(2)))
    assert r.status_code == 409
    assert r.json()["error"] == "gap"
    assert r.json()["expected_seq"] == 3
    assert _count(hq, HqReceivedOp) == 2
    assert _high_water(hq) == [2]


def test_overlapping_batch_applies_only_the_new_part(hq: Hq) -> None:
    st = hq.station("BJ001")
    ops = st.ops(5)
    hq.push(st, p.PushBatch.build("BJ001", ops[:3]))
    r = hq.push(st, p.PushBatch.build("BJ001", ops[1:]))  # 2..5
    assert r.status_code == 200
    ack = p.PushAck.from_json(r.json())
    assert ack.high_water == 5 and not ack.replayed
    assert [x.op_id for x in ack.results] == [o.op_id for o in ops[1:]]
    assert {x.status for x in ack.results} == {"applied"}
    assert _count(hq, HqReceivedOp) == 5


def test_recut_batch_below_high_water_is_answered_op_by_op(hq: Hq) -> None:
    st = hq.station("BJ001")
    ops = st.ops(6)
    hq.push(st, p.PushBatch.build("BJ001", ops[:3]))
    hq.push(st, p.PushBatch.build("BJ001", ops[3:]))
    r = hq.push(st, p.PushBatch.build("BJ001", ops[1:5]))  # never sent with this id
    body = r.json()
    assert r.status_code == 200 and body["replayed"] is True and body["high_water"] == 6
    assert [x["op_id"] for x in body["results"]] == [o.op_id for o in ops[1:5]]
    assert _count(hq, HqReceivedOp) == 6


def test_bad_ops_are_rejected_recorded_and_reported_never_dropped(hq: Hq) -> None:
    st = hq.station("BJ001")
    good = st.ops(1)[0]
    bad = [
        op(2, "spaceship", str(uuid.uuid4()), {}),
        op(3, "notice", str(uuid.uuid4()), {"title": "fake"}),
        op(4, "user", str(uuid.uuid4()), {}, kind="delete"),
        op(5, "station", str(uuid.uuid4()), {"code": "SH002"}),
    ]
    r = hq.push(st, p.PushBatch.build("BJ001", [good, *bad]))
    assert r.status_code == 200
    ack = p.PushAck.from_json(r.json())
    assert ack.high_water == 5  # a refused op never blocks the ones behind it
    statuses = {x.op_id: (x.status, x.reason) for x in ack.results}
    assert statuses[good.op_id] == ("applied", "")
    reasons = [statuses[b.op_id] for b in bad]
    assert all(status == "rejected" for status, _ in reasons)
    assert "unknown entity" in reasons[0][1]
    assert "owned by head office" in reasons[1][1]
    assert "does not take 'delete'" in reasons[2][1]
    assert "does not match the token's station BJ001" in reasons[3][1]
    assert _count(hq, HqRejectedOp) == 4
    # replay reports the same rejections
    assert hq.push(st, p.PushBatch.build("BJ001", [good, *bad])).json()["results"] == \
        r.json()["results"]


def test_delete_leaves_a_tombstone(hq: Hq) -> None:
    st = hq.station("BJ001")
    create = st.ops(1, entity="product")[0]
    gone = op(2, "product", create.entity_id, {}, kind="delete")
    st.next_seq = 3
    hq.push(st, p.PushBatch.build("BJ001", [create, gone]))
    with hq.db.read() as s:
        rec = s.scalar(select(HqRecord).where(HqRecord.entity_id == create.entity_id))
        assert rec.deleted is True
        assert json.loads(rec.payload)["name"] == "客户1"


def test_malformed_bodies_are_400_and_change_nothing(hq: Hq) -> None:
    st = hq.station("BJ001")
    headers = {**st.headers, "Content-Encoding": "gzip"}
    r = hq.client.post(p.PUSH_PATH, content=b"not gzip", headers=headers)
    assert r.status_code == 400 and r.json()["error"] == "bad_request"
    batch = p.PushBatch.build("BJ001", st.ops(2)).to_json()
    batch["ops"].reverse()
    r = hq.client.post(p.PUSH_PATH, content=p.encode_body(batch), headers=headers)
    assert r.status_code == 400 and "out of order" in r.json()["message"]
    r = hq.client.post(p.PUSH_PATH, content=p.dumps({"batch_id": "BJ001:1:1"}),
                       headers=st.headers)
    assert r.status_code == 400
    ops = [op(i, "customer", str(uuid.uuid4()), {}) for i in range(1, 502)]
    big = {"batch_id": "BJ001:1:501", "from_seq": 1, "to_seq": 501,
           "ops": [o.to_json() for o in ops]}
    r = hq.client.post(p.PUSH_PATH, content=p.encode_body(big), headers=headers)
    assert r.status_code == 413 and r.json()["error"] == "too_large"
    assert _count(hq, HqReceivedOp) == 0
    assert _high_water(hq) == [0]


def test_plain_json_push_is_accepted_too(hq: Hq) -> None:
    st = hq.station("BJ001")
    batch = p.PushBatch.build("BJ001", st.ops(1))
    r = hq.client.post(p.PUSH_PATH, content=p.dumps(batch.to_json()), headers=st.headers)
    assert r.status_code == 200 and r.json()["high_water"] == 1
    kw = gz(batch)
    assert kw["headers"]["Content-Encoding"] == "gzip"


def test_station_orders_are_projected_for_head_office(hq: Hq) -> None:
    from sync.hq.models import HqOrder

    st = hq.station("BJ001")
    order_id = str(uuid.uuid4())
    payload = {"id": order_id, "number": "SO-BJ001-20260601-0001", "status": "received",
               "order_type": "install", "service_mode": "on_site", "source": "walk_in",
               "contact_phone": "13800138000", "revision": 1, "charge_lines": [
                   {"kind": "labour", "quantity": 1, "unit_price_fen": 5000}]}
    first = op(1, "service_order", order_id, payload, action="create")
    second = op(2, "service_order", order_id, {**payload, "status": "accepted", "revision": 2},
                action="accept", base_revision=1)
    r = hq.push(st, p.PushBatch.build("BJ001", [first, second]))
    assert [x["status"] for x in r.json()["results"]] == ["applied", "applied"]
    with hq.db.read() as s:
        order = s.get(HqOrder, order_id)
        assert (order.number, order.status, order.revision, order.source, order.dispatched) == (
            "SO-BJ001-20260601-0001", "accepted", 2, "walk_in", False)
        rec = s.scalar(select(HqRecord).where(HqRecord.entity_id == order_id))
        assert json.loads(rec.payload)["charge_lines"][0]["unit_price_fen"] == 5000
    # another order may not take the same number
    clash = op(3, "service_order", str(uuid.uuid4()), payload)
    result = hq.push(st, p.PushBatch.build("BJ001", [clash])).json()["results"][0]
    assert result["status"] == "rejected" and "already used" in result["reason"]


def test_rejected_ops_are_listed_for_head_office(hq: Hq) -> None:
    st = hq.station("BJ001")
    hq.push(st, p.PushBatch.build("BJ001", [op(1, "spaceship", str(uuid.uuid4()), {})]))
    rows = hq.admin.rejected("BJ001")
    assert [(r.station, r.seq, r.entity) for r in rows] == [("BJ001", 1, "spaceship")]
    assert "unknown entity" in rows[0].reason
    assert hq.admin.rejected("SH002") == []


def test_gzip_bomb_is_413_without_inflating_it_all(hq: Hq) -> None:
    import gzip

    st = hq.station("BJ001")
    bomb = gzip.compress(b" " * (p.MAX_BODY_BYTES + 1_000_000))
    assert len(bomb) < 100_000
    r = hq.client.post(p.PUSH_PATH, content=bomb,
                       headers={**st.headers, "Content-Encoding": "gzip"})
    assert r.status_code == 413 and r.json()["error"] == "too_large"
