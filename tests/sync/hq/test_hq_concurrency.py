"""The same batch delivered five times at once, over real HTTP to a real uvicorn on loopback:
applied exactly once, every delivery answered with the same acknowledgement."""

from __future__ import annotations

import threading
import uuid

import httpx
from sqlalchemy import func, select

from sync import protocol as p
from sync.hq.admin import HqAdmin
from sync.hq.models import HqBatch, HqHighWater, HqReceivedOp, HqRecord
from tests.sync.hq.conftest import LiveServer, op

DELIVERIES = 5


def _deliver_concurrently(server: LiveServer, token: str, body: bytes) -> list[httpx.Response]:
    barrier = threading.Barrier(DELIVERIES)
    answers: list[httpx.Response] = []
    errors: list[BaseException] = []
    headers = {**p.auth_headers(token), "Content-Encoding": "gzip",
               "Content-Type": "application/json"}

    def deliver() -> None:
        try:
            with httpx.Client(base_url=server.url, timeout=30) as client:
                barrier.wait(timeout=10)
                answers.append(client.post(p.PUSH_PATH, content=body, headers=headers))
        except BaseException as exc:  # reported below, with the others
            errors.append(exc)

    threads = [threading.Thread(target=deliver) for _ in range(DELIVERIES)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    return answers


def test_five_identical_concurrent_deliveries_apply_once(live_server: LiveServer) -> None:
    token = HqAdmin(live_server.db).add_station("BJ001", "北京海淀维修站")
    ops = [op(i, "customer", str(uuid.uuid4()), {"name": f"客户{i}"}) for i in range(1, 201)]
    batch = p.PushBatch.build("BJ001", ops)
    answers = _deliver_concurrently(live_server, token, p.encode_body(batch.to_json()))
    assert [a.status_code for a in answers] == [200] * DELIVERIES
    acks = [p.PushAck.from_json(a.json()) for a in answers]
    assert sorted(a.replayed for a in acks) == [False] + [True] * (DELIVERIES - 1)
    assert {a.results for a in acks} == {acks[0].results}
    assert {a.high_water for a in acks} == {200}
    with live_server.db.read() as s:
        assert s.scalar(select(func.count()).select_from(HqReceivedOp)) == 200
        assert s.scalar(select(func.count()).select_from(HqRecord)) == 200
        assert s.scalar(select(func.count()).select_from(HqBatch)) == 1
        assert s.scalar(select(HqHighWater.high_water)) == 200
    # and again "days later": the stored acknowledgement
    with httpx.Client(base_url=live_server.url, timeout=30) as client:
        late = client.post(p.PUSH_PATH, content=p.encode_body(batch.to_json()),
                           headers={**p.auth_headers(token), "Content-Encoding": "gzip"})
    assert late.status_code == 200 and late.json()["replayed"] is True
    assert p.PushAck.from_json(late.json()).results == acks[0].results
