"""Head office's old-part answers on every configured database: an inspection or a receipt
needs an old part (or shipment) a station pushed and packed; each answer is one change for the
owning station only, kept for the snapshot; a shipment's parts are received once."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from sync import protocol as p
from sync.hq import changes
from sync.hq import old_parts as hq_old_parts
from sync.hq.errors import AdminError
from sync.hq.models import HqStation
from tests.sync.hq.conftest import Hq, Station, op


def _push(hq: Hq, st: Station, entity: str, payload: dict) -> str:
    entity_id = payload["id"]
    seq = st.next_seq
    st.next_seq += 1
    assert hq.push(st, p.PushBatch.build(st.code, [op(seq, entity, entity_id, payload)])
                   ).status_code == 200
    return entity_id


def _old_part(hq: Hq, st: Station, tag: str, status: str, shipment_id: str | None) -> str:
    return _push(hq, st, "old_part", {"id": str(uuid.uuid4()), "tag_no": tag,
                                      "status": status, "shipment_id": shipment_id,
                                      "revision": 1})


def test_answers_go_to_the_owning_station_and_into_the_snapshot(hq: Hq) -> None:
    bj, sh = hq.station("BJ001"), hq.station("SH001")
    ship = _push(hq, bj, "old_part_shipment", {"id": str(uuid.uuid4()),
                                               "number": "RS-BJ001-20260601-0001",
                                               "status": "shipped", "revision": 2})
    first = _old_part(hq, bj, "OP-BJ001-20260601-0001", "shipped", ship)
    second = _old_part(hq, bj, "OP-BJ001-20260601-0002", "shipped", ship)
    _old_part(hq, bj, "OP-BJ001-20260601-0003", "collected", None)
    _old_part(hq, sh, "OP-SH001-20260601-0001", "shipped", None)

    got = hq_old_parts.receive(hq.db, "rs-bj001-20260601-0001", hq.clock)
    assert [(a.tag_no, a.status) for a in got] == [("OP-BJ001-20260601-0001", "received"),
                                                   ("OP-BJ001-20260601-0002", "received")]
    with pytest.raises(AdminError):  # nothing left to receive
        hq_old_parts.receive(hq.db, "RS-BJ001-20260601-0001", hq.clock)
    done = hq_old_parts.inspect(hq.db, "OP-BJ001-20260601-0001", "defect_confirmed",
                                "压缩机卡缸", hq.clock)
    assert done.station == "BJ001" and done.result == "defect_confirmed"

    page = hq.pull(bj).json()
    answers = [c for c in page["changes"] if c["entity"] == "old_part_inspection"]
    assert [(c["entity_id"], c["payload"]["status"]) for c in answers] == [
        (first, "received"), (second, "received"), (first, "inspected")]
    assert answers[-1]["payload"]["note"] == "压缩机卡缸"
    assert not [c for c in hq.pull(sh).json()["changes"]
                if c["entity"] == "old_part_inspection"]
    with hq.db.read() as s:
        station_id = s.scalar(select(HqStation.id).where(HqStation.code == "BJ001"))
        snap = changes.snapshot(s, station_id)
    latest = {c.entity_id: c.payload["status"] for c in snap.changes
              if c.entity == p.HqEntity.OLD_PART_INSPECTION.value}
    assert latest == {first: "inspected", second: "received"}


def test_refusals_send_nothing(hq: Hq) -> None:
    bj = hq.station("BJ001")
    _old_part(hq, bj, "OP-BJ001-20260601-0003", "collected", None)
    _old_part(hq, bj, "OP-BJ001-20260601-0004", "packed", None)
    refused = [
        lambda: hq_old_parts.inspect(hq.db, "OP-BJ001-20260601-0099", "ok", "", hq.clock),
        lambda: hq_old_parts.inspect(hq.db, "OP-BJ001-20260601-0003", "ok", "", hq.clock),
        lambda: hq_old_parts.inspect(hq.db, "OP-BJ001-20260601-0004", "great", "", hq.clock),
        lambda: hq_old_parts.inspect(hq.db, "OP-BJ001-20260601-0004", "ok", "长" * 201,
                                     hq.clock),
        lambda: hq_old_parts.receive(hq.db, "RS-BJ001-20260601-0042", hq.clock),
    ]
    for call in refused:
        with pytest.raises(AdminError):
            call()
    assert hq.pull(bj).json()["changes"] == []
    assert hq_old_parts.inspect(hq.db, "OP-BJ001-20260601-0004", "not_received", "",
                                hq.clock).status == "inspected"
    assert [a.tag_no for a in hq_old_parts.answers(hq.db, "bj001")] == [
        "OP-BJ001-20260601-0004"]
