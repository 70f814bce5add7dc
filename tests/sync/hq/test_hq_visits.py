"""A station's return visits reach head office as they were written: the outbox of an
unreachable call, a visit that opened a complaint (the complaint order first, then the
visit naming it) and the original order's VISIT move, pushed as one batch, are all applied;
head office keeps the visit's latest state with its attempts inline and both orders."""

from __future__ import annotations

import json

from sqlalchemy import select

from sync import protocol as p
from sync.hq.models import HqRecord
from tests.services.test_visits import completed
from tests.sync.hq.conftest import Hq, op


def test_a_visit_with_its_complaint_is_applied_at_head_office(hq: Hq, services, station,
                                                              clock) -> None:
    from app.store.models import OutboxOp

    order = completed(services, station, clock)
    services.visits.record_attempt(station["clerk"], order.id, "无人接听")
    result = services.visits.record_visit(
        station["clerk"], order.id, {"speed": 2, "attitude": 4, "quality": 1, "price": 3},
        "修完又坏", open_complaint=True, complaint_text="回访不满意：修完又坏")
    with services.db.read() as s:
        rows = list(s.scalars(select(OutboxOp).order_by(OutboxOp.seq)))
        ops = [op(i, r.entity, r.entity_id, json.loads(r.payload), r.op, r.action,
                  r.base_revision) for i, r in enumerate(rows, start=1)]
    # one code both sides: the station the services set up is BJ001
    bj = hq.station("BJ001")
    answer = hq.push(bj, p.PushBatch.build(bj.code, ops))
    assert answer.status_code == 200, answer.text
    ack = p.PushAck.from_json(answer.json())
    assert ack.by_status(p.OpStatus.REJECTED) == []
    assert len(ack.by_status(p.OpStatus.APPLIED)) == len(ops)
    with hq.db.read() as s:
        visit = s.scalar(select(HqRecord).where(HqRecord.entity == "return_visit"))
        kept, entity_id = json.loads(visit.payload), visit.entity_id
    assert entity_id == result.visit.id and kept["revision"] == 2
    assert kept["complaint_order_id"] == result.complaint.id
    assert (kept["speed_score"], kept["quality_score"]) == (2, 1)
    assert [a["note"] for a in kept["attempts"]] == ["无人接听"]
