"""Property: whatever mix of duplicated, overlapping, reordered and gapped batch deliveries head
office receives, once the station finally sends what is missing, every op is applied exactly
once and head office's copy equals applying the ops in seq order."""

from __future__ import annotations

import json
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from sync import protocol as p
from sync.hq.admin import HqAdmin
from sync.hq.apply import Gap, push
from sync.hq.auth import StationIdentity
from sync.hq.db import HqDatabase
from sync.hq.models import HqHighWater, HqReceivedOp, HqRecord, HqStation

NOW = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[int, list[int], list[tuple[int, int]]]:
    n = draw(st.integers(min_value=1, max_value=30))
    # each op edits one of a few rows, so later ops overwrite earlier ones
    targets = draw(st.lists(st.integers(0, 4), min_size=n, max_size=n))
    ranges = draw(st.lists(
        st.tuples(st.integers(1, n), st.integers(0, 8)).map(lambda t: (t[0], min(n, t[0] + t[1]))),
        max_size=15))
    return n, targets, ranges


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_any_delivery_history_converges_to_in_order_apply(
    scenario: tuple[int, list[int], list[tuple[int, int]]],
) -> None:
    n, targets, ranges = scenario
    row_ids = [str(uuid.uuid4()) for _ in range(5)]
    ops = [p.PushOp(seq=i, op_id=str(uuid.uuid4()), entity="customer",
                    entity_id=row_ids[targets[i - 1]], op="upsert",
                    payload={"name": f"v{i}", "revision": i}, action="update",
                    username="clerk") for i in range(1, n + 1)]
    with tempfile.TemporaryDirectory() as tmp:
        db = HqDatabase.open(f"sqlite:///{Path(tmp) / 'hq.sqlite3'}")
        try:
            HqAdmin(db).add_station("BJ001", "站")
            with db.read() as s:
                station = StationIdentity(s.scalar(select(HqStation.id)), "BJ001")
            acks: dict[str, p.PushAck] = {}
            for lo, hi in ranges:  # the line's history: any batch, any order, repeats
                batch = p.PushBatch.build("BJ001", ops[lo - 1:hi], from_seq=lo)
                try:
                    ack = push(db, station, batch, NOW)
                except Gap as gap:
                    with db.read() as s:
                        assert gap.expected_seq == s.scalar(select(HqHighWater.high_water)) + 1
                    continue
                assert [r.op_id for r in ack.results] == [o.op_id for o in batch.ops]
                if batch.batch_id in acks and ack.replayed:
                    assert ack.results == acks[batch.batch_id].results
                acks.setdefault(batch.batch_id, ack)
            # the station recovers: sends everything after head office's high water, in order
            with db.read() as s:
                hw = s.scalar(select(HqHighWater.high_water))
            for lo in range(hw + 1, n + 1, 7):
                push(db, station, p.PushBatch.build("BJ001", ops[lo - 1:lo + 6]), NOW)
            with db.read() as s:
                assert s.scalar(select(HqHighWater.high_water)) == n
                received = list(s.scalars(select(HqReceivedOp.op_id)))
                assert sorted(received) == sorted(o.op_id for o in ops)
                assert s.scalar(select(func.count()).select_from(HqReceivedOp)) == n
                copies = {r.entity_id: json.loads(r.payload)
                          for r in s.scalars(select(HqRecord))}
            expected: dict[str, dict] = {}
            for o in ops:
                expected[o.entity_id] = o.payload
            assert copies == expected
        finally:
            db.dispose()
