"""A customer's signature taken on screen reaches head office with the order it signs: the
order's ops and the signature's (signed, then voided by a reopening) pushed as one batch are
applied; head office keeps the signature's latest state, the image base64 as drawn."""

from __future__ import annotations

import base64
import json

from sqlalchemy import select

from sync import protocol as p
from sync.hq.models import HqRecord
from tests.services.signature_helpers import drawn
from tests.services.test_signatures import _working
from tests.sync.hq.conftest import Hq, op


def test_a_signature_and_its_reopening_are_applied_at_head_office(hq: Hq, services,
                                                                  station) -> None:
    from app.store.models import OutboxOp

    order = _working(services, station)
    image = drawn()
    info = services.signatures.sign(station["tech"], order.id, "李雷", image)
    services.signatures.reopen(station["manager"], order.id, "客户要求加项")
    with services.db.read() as s:
        rows = list(s.scalars(select(OutboxOp).order_by(OutboxOp.seq)))
        ops = [op(i, r.entity, r.entity_id, json.loads(r.payload), r.op, r.action,
                  r.base_revision) for i, r in enumerate(rows, start=1)]
    bj = hq.station("BJ001")
    answer = hq.push(bj, p.PushBatch.build(bj.code, ops))
    assert answer.status_code == 200, answer.text
    ack = p.PushAck.from_json(answer.json())
    assert ack.by_status(p.OpStatus.REJECTED) == []
    with hq.db.read() as s:
        row = s.scalar(select(HqRecord).where(HqRecord.entity == "order_signature"))
        kept, entity_id = json.loads(row.payload), row.entity_id
    assert entity_id == info.id and kept["revision"] == 2
    assert base64.b64decode(kept["image_png"]) == image
    assert kept["content_hash"] == info.content_hash and kept["void_reason"] == "客户要求加项"
