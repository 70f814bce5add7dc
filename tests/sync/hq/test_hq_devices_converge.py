"""Random work on three devices of one station (and a fourth of another station) through head
office's push and pull: whatever the order of edits, syncs and stale refusals, once every
device has synced until nothing moves, each holds head office's version of every row, head
office holds each op once, and the other station was handed nothing of it. Customers are
also deleted (a tombstone at head office, gone on every device)."""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import func, select

from sync import protocol as p
from sync.hq import apply, changes, devices
from sync.hq.auth import StationIdentity, identify
from sync.hq.models import HqReceivedOp, HqRecord
from tests.sync.hq.conftest import Hq

STATUSES = ["received", "accepted", "assigned", "on_site", "in_workshop", "waiting_parts",
            "completed", "visited", "closed", "cancelled"]


@dataclass
class Dev:
    code: str
    token: str
    who: StationIdentity | None = None
    next_seq: int = 1
    cursor: int = 0
    outbox: list[p.PushOp] = field(default_factory=list)
    local: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    pushed: int = 0


def _edit(rng: random.Random, d: Dev, keys: list[tuple[str, str]]) -> None:
    entity, entity_id = key = rng.choice(keys)
    if entity == "customer" and key in d.local and rng.random() < 0.2:
        d.local.pop(key)  # deleted: head office keeps a tombstone
        d.outbox.append(p.PushOp(seq=d.next_seq, op_id=str(uuid.uuid4()), entity=entity,
                                 entity_id=entity_id, op="delete", payload={},
                                 seen_hq_seq=d.cursor))
        d.next_seq += 1
        return
    if entity == "customer":
        payload: dict[str, Any] = {"name": f"客户{rng.randrange(1000)}"}
    else:
        payload = {"number": f"SO-{d.code}-{entity_id[:8]}", "status": rng.choice(STATUSES)}
    payload["revision"] = int(d.local.get(key, {}).get("revision", 0)) + 1
    d.local[key] = payload
    d.outbox.append(p.PushOp(seq=d.next_seq, op_id=str(uuid.uuid4()), entity=entity,
                             entity_id=entity_id, op="upsert", payload=payload,
                             seen_hq_seq=d.cursor))
    d.next_seq += 1


def _sync(hq: Hq, d: Dev, number: int) -> bool:
    """Pushes the outbox, then pulls and applies every relayed change; whether anything
    moved."""
    assert d.who is not None
    moved = bool(d.outbox)
    if d.outbox:
        batch = p.PushBatch.build(d.code, d.outbox, device=number)
        ack = apply.push(hq.db, d.who, batch, hq.clock())
        assert ack.high_water == batch.to_seq
        d.pushed += len(d.outbox)
        d.outbox = []
    while True:
        with hq.db.read() as s:
            view = devices.device_view(s, d.who.device_id or 0)
            page = changes.pull_page(s, d.who.id, d.cursor, 50, view)
        for c in page.changes:
            assert c.relayed and c.device != number or c.device == 0
            if c.op == "delete":
                d.local.pop((c.entity, c.entity_id), None)
            else:
                d.local[(c.entity, c.entity_id)] = c.payload
            moved = True
        d.cursor = page.next
        if not page.more:
            return moved


@pytest.mark.parametrize("seed", [1, 5, 6, 9])
def test_three_devices_converge_on_head_offices_rows(hq: Hq, seed: int) -> None:
    rng = random.Random(seed)
    first = Dev("BJ001", hq.admin.add_station("BJ001", "站"))
    fleet = [first] + [Dev("BJ001", hq.admin.add_device("BJ001", name)[1])
                       for name in ("车间电脑", "外勤笔记本")]
    other = Dev("SH002", hq.admin.add_station("SH002", "别站"))
    with hq.db.read() as s:
        for d in [*fleet, other]:
            d.who = identify(s, d.token)
    keys = [("customer", str(uuid.uuid4())) for _ in range(3)] + [
        ("service_order", str(uuid.uuid4())) for _ in range(3)]
    other_keys = [("customer", str(uuid.uuid4()))]
    for _ in range(60):
        i = rng.randrange(len(fleet))
        if rng.random() < 0.6:
            _edit(rng, fleet[i], keys)
        else:
            _sync(hq, fleet[i], i + 1)
        if rng.random() < 0.1:
            _edit(rng, other, other_keys)
            _sync(hq, other, 1)
    for _ in range(10):  # sync every device until a whole round moves nothing
        if not any([_sync(hq, d, i + 1) for i, d in enumerate(fleet)]):
            break
    else:
        pytest.fail("the devices never settled")
    assert first.who is not None
    with hq.db.read() as s:
        rows = s.scalars(select(HqRecord).where(HqRecord.station_id == first.who.id)).all()
        held = {(r.entity, r.entity_id): json.loads(r.payload) for r in rows if not r.deleted}
        gone = {(r.entity, r.entity_id) for r in rows if r.deleted}
        received = s.scalar(select(func.count()).select_from(HqReceivedOp).where(
            HqReceivedOp.station_id == first.who.id))
    for d in fleet:
        assert {k: v for k, v in d.local.items() if k in held} == held
        assert not gone & set(d.local)
    assert set(held) <= set(keys)
    assert received == sum(d.pushed for d in fleet)
    assert set(other.local) <= set(other_keys)  # nothing of BJ001 reached SH002
