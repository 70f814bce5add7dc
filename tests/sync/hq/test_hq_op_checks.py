"""Per-op checks at push (issue 8, cases 5 and 6): a value head office cannot keep, or a
reference to another station's row, refuses that op alone with a reason; the rest of the batch
applies, the high-water mark moves on (the station's outbox is not blocked) and the refused op
is kept among the rejected ops. The same ops are refused on SQLite and on PostgreSQL."""

from __future__ import annotations

import gzip
import json
import uuid
from typing import Any

from sqlalchemy import func, select

from sync import entities as ent
from sync import protocol as p
from sync.hq.inputs import DispatchInput
from sync.hq.models import HqConflict, HqHighWater, HqOrder, HqRecord, HqRejectedOp
from tests.sync.hq.conftest import Hq, Station, op


def _new(st: Station, entity: str, payload: dict[str, Any], entity_id: str | None = None,
         kind: str = "upsert", base_revision: int = 0) -> p.PushOp:
    seq = st.next_seq
    st.next_seq += 1
    return op(seq, entity, entity_id or str(uuid.uuid4()), payload, kind,
              base_revision=base_revision)


def _push(hq: Hq, st: Station, ops: list[p.PushOp]) -> dict[str, str]:
    # ASCII-escaped JSON: a lone surrogate travels as "\\ud800", as a foreign client sends it
    body = gzip.compress(json.dumps(p.PushBatch.build(st.code, ops).to_json()).encode())
    r = hq.client.post(p.PUSH_PATH, content=body, headers={
        "Content-Encoding": "gzip", "Content-Type": "application/json", **st.headers})
    assert r.status_code == 200, r.text
    ack = p.PushAck.from_json(r.json())
    assert ack.high_water == ops[-1].seq
    with hq.db.read() as s:
        assert ops[-1].seq in set(s.scalars(select(HqHighWater.high_water)))
    return {res.op_id: res.status for res in ack.results}


def _reasons(hq: Hq) -> dict[str, str]:
    with hq.db.read() as s:
        return {r.op_id: r.reason for r in s.scalars(select(HqRejectedOp))}


def _order(st: Station, number: str, **extra: Any) -> p.PushOp:
    return _new(st, "service_order", {"number": number, "status": "received",
                                      "order_type": "repair", "service_mode": "carry_in",
                                      "source": "walk_in", **extra})


def test_values_past_the_columns_are_refused_per_op(hq: Hq) -> None:
    st = hq.station("BJ001")
    long_ = "x" * 41
    good = [_new(st, "customer", {"name": "张三"})]
    bad = [
        _new(st, "customer", {"name": "李四", "revision": 2**70}),
        _new(st, "customer", {"name": "王五"}, base_revision=2**70),
        _new(st, "customer", {"name": "负", "revision": -1}),
        _order(st, "BJ001-20260601-0001", status="s" * 17),
        _order(st, "N" * 41),
        _order(st, "BJ001-20260601-0002", order_type="t" * 17),
        _order(st, "BJ001-20260601-0003", source=["walk_in"]),
        _order(st, "BJ001-20260601-0004", revision=2**64),
        _new(st, "sync_conflict", {"kind": "k" * 33, "subject_entity": "service_order",
                                   "subject_id": str(uuid.uuid4()), "detail": ""}, kind="event"),
        _new(st, "sync_conflict", {"kind": "stale_hq_edit", "subject_entity": "service_order",
                                   "subject_id": "s" * 37, "detail": ""}, kind="event"),
        _new(st, "parts_order", {"number": long_, "status": "submitted", "lines": []}),
        _new(st, "old_part", {"tag_no": long_, "status": "collected"}),
        _new(st, "repair_record", {"order_id": "o" * 37}),
        _new(st, "customer", {"name": "\ud800"}),
        _order(st, "BJ001-20260601-0005", status="re\x00ceived"),
    ]
    after = [_new(st, "customer", {"name": "赵六"}),
             _order(st, "BJ001-20260601-0006")]
    results = _push(hq, st, good + bad + after)
    assert [results[o.op_id] for o in good + after] == ["applied"] * 3
    assert {o.seq: results[o.op_id] for o in bad} == {o.seq: "rejected" for o in bad}
    reasons = _reasons(hq)
    assert set(reasons) == {o.op_id for o in bad}
    assert "out of range" in reasons[bad[0].op_id]
    assert "out of range" in reasons[bad[1].op_id]
    assert "'status' is longer than 16" in reasons[bad[3].op_id]
    assert "'number' is longer than 40" in reasons[bad[4].op_id]
    assert "must be text" in reasons[bad[6].op_id]
    assert "'tag_no' is longer than 40" in reasons[bad[11].op_id]
    assert "not valid Unicode" in reasons[bad[13].op_id]
    with hq.db.read() as s:
        assert s.scalar(select(func.count()).select_from(HqOrder)) == 1
        assert s.scalar(select(func.count()).select_from(HqConflict)) == 0
        kept = {r.entity_id for r in s.scalars(select(HqRecord))}
    assert kept == {o.entity_id for o in good + after}


def test_malformed_envelope_is_a_bad_request_never_a_server_error(hq: Hq) -> None:
    st = hq.station("BJ001")
    bad = p.PushOp(seq=1, op_id=str(uuid.uuid4()), entity="customer", entity_id="c1",
                   op="upsert", payload={}, username="cl\x00erk")
    r = hq.push(st, p.PushBatch.build("BJ001", [bad]))
    assert r.status_code == 400, r.text
    assert r.json()["error"] == "bad_request"
    deep = b'{"batch_id": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    r = hq.client.post(p.PUSH_PATH, content=deep, headers=st.headers)
    assert r.status_code == 400, r.text


def test_references_to_another_stations_rows_are_refused(hq: Hq) -> None:
    a, b = hq.station("BJ001"), hq.station("SH002")
    customer = _new(a, "customer", {"name": "张三"})
    product = _new(a, "product", {"customer_id": customer.entity_id, "model": "X1"})
    order = _order(a, "BJ001-20260601-0001", customer_id=customer.entity_id,
                   product_id=product.entity_id)
    parts_order = _new(a, "parts_order", {"number": "BJ001-PO-1", "status": "submitted",
                                           "lines": []})
    assert set(_push(hq, a, [customer, product, order, parts_order]).values()) == {"applied"}
    dispatched_id = hq.admin.dispatch("BJ001", [DispatchInput("王五", "13800000000",
                                                              "北京市海淀区", "不制冷")])[0].order_id

    own_customer = _new(b, "customer", {"name": "李四"})
    own_order = _order(b, "SH002-20260601-0001", customer_id=own_customer.entity_id)
    foreign = [
        _new(b, "repair_record", {"order_id": order.entity_id, "finding": "坏了"}),
        _new(b, "repair_record", {"order_id": dispatched_id, "finding": "坏了"}),
        _new(b, "product", {"customer_id": customer.entity_id, "model": "X2"}),
        _order(b, "SH002-20260601-0002", customer_id=customer.entity_id),
        _new(b, "sync_conflict", {"kind": "stale_hq_edit", "subject_entity": "service_order",
                                  "subject_id": order.entity_id, "detail": "冲突"},
             kind="event"),
        _new(b, "sync_conflict", {"kind": "cancel_after_completion",
                                  "subject_id": dispatched_id, "detail": "冲突"}, kind="event"),
        _new(b, "stock_reservation", {"order_id": order.entity_id, "part_id": "p1",
                                      "quantity": 1}),
        _new(b, "old_part", {"order_id": order.entity_id, "tag_no": "SH002-T1",
                             "status": "collected"}),
        _new(b, "stock_movement", {"parts_order_id": parts_order.entity_id, "quantity": 1},
             kind="event"),
        _new(b, "attachment", {"order_id": order.entity_id, "file_name": "a.jpg"}),
    ]
    own = [_new(b, "repair_record", {"order_id": own_order.entity_id, "finding": "修好"}),
           _new(b, "product", {"customer_id": own_customer.entity_id, "model": "X3"})]
    results = _push(hq, b, [own_customer, own_order, *foreign, *own])
    assert {o.seq: results[o.op_id] for o in foreign} == {o.seq: "rejected" for o in foreign}
    assert [results[o.op_id] for o in (own_customer, own_order, *own)] == ["applied"] * 4
    reasons = _reasons(hq)
    assert "belongs to another station" in reasons[foreign[0].op_id]
    assert order.entity_id in reasons[foreign[0].op_id]
    with hq.db.read() as s:
        assert s.scalar(select(func.count()).select_from(HqConflict)) == 0
        assert s.scalar(select(HqRecord.payload).where(
            HqRecord.entity_id == product.entity_id)) is not None
        numbers = set(s.scalars(select(HqOrder.number)))
    assert "SH002-20260601-0002" not in numbers


def test_declared_references_are_the_station_tables_foreign_keys() -> None:
    from app.store import models

    tables = {s.station_table: s.name for s in ent.station_entities() if s.station_table}
    found: dict[str, dict[str, str]] = {}
    for spec in ent.station_entities():
        table = models.ServiceOrder.metadata.tables.get(spec.station_table)
        for column in table.columns if table is not None else ():
            for fk in column.foreign_keys:
                target = tables.get(fk.column.table.name)
                if target is not None:
                    found.setdefault(spec.name, {})[column.name] = target
    assert found == ent.REFERENCES

