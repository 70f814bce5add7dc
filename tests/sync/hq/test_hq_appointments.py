"""Visits booked with the customer reach head office with the order they are for: a booking
and its move pushed with the order's ops are applied; head office keeps each booking's latest
state (the old one moved, with its reason and the booking that replaced it)."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from sync import protocol as p
from sync.hq.models import HqRecord
from tests.services.helpers import new_order
from tests.sync.hq.conftest import Hq, op


def test_a_booking_and_its_move_are_applied_at_head_office(hq: Hq, services, station,
                                                           clock) -> None:
    from app.store.models import OutboxOp

    clerk, tech = station["clerk"], station["tech"]
    order = new_order(services, clerk, technician_id=tech.user_id)
    start = clock.now + timedelta(hours=2)
    old = services.appointments.book(clerk, order.id, tech.user_id, start,
                                     start + timedelta(hours=2))
    new = services.appointments.move(clerk, old.id, None, start + timedelta(hours=3),
                                     start + timedelta(hours=4), "客户要求", "customer")
    with services.db.read() as s:
        rows = list(s.scalars(select(OutboxOp).order_by(OutboxOp.seq)))
        ops = [op(i, r.entity, r.entity_id, json.loads(r.payload), r.op, r.action,
                  r.base_revision) for i, r in enumerate(rows, start=1)]
    bj = hq.station("BJ001")
    answer = hq.push(bj, p.PushBatch.build(bj.code, ops))
    assert answer.status_code == 200, answer.text
    assert p.PushAck.from_json(answer.json()).by_status(p.OpStatus.REJECTED) == []
    with hq.db.read() as s:
        kept = {r.entity_id: json.loads(r.payload) for r in s.scalars(
            select(HqRecord).where(HqRecord.entity == "appointment"))}
    assert kept[old.id]["status"] == "moved" and kept[old.id]["moved_to_id"] == new.id
    assert kept[old.id]["reason"] == "客户要求" and kept[new.id]["status"] == "booked"
