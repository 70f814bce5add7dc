"""Line faults against the real server: 500s, drops and cuts mid-batch, duplicate and
reordered batches, gaps; each test ends with both sides compared."""

from __future__ import annotations

import threading

import pytest

from sync import protocol as p
from sync.client import ClientConfig, HqTransport, SyncEngine
from tests.sync.faults.harness import (
    FaultProxy,
    LiveHq,
    StationRig,
    assert_converged,
    fast_transport,
)
from tests.sync.faults.workload import new_orders


@pytest.fixture
def live_hq(any_hq: LiveHq) -> LiveHq:
    """These run on every configured head-office database (PostgreSQL too in CI)."""
    return any_hq


def test_500_drop_and_cut_mid_batch(rig: StationRig, live_hq: LiveHq,
                                    proxy: FaultProxy) -> None:
    new_orders(rig, 12)

    def small_batches(config: ClientConfig) -> HqTransport:
        config.max_ops = 8
        return fast_transport(config)

    rig.sync.transport_factory = small_batches
    # at most four failures in a row (five attempts), spread over several batches
    proxy.plan.queue = [(p.PUSH_PATH, m) for m in
                        ("500", "drop", "cut_request", "cut_response", "pass", "drop_after",
                         "500", "pass", "500_after", "delay:0.2")]
    proxy.plan.queue.append((p.PULL_PATH, "cut_response"))
    report = rig.sync.sync_now()
    assert report.replayed_batches >= 1  # the ack lost after commit came back as a replay
    assert_converged(rig, live_hq)
    assert [m for _, _, m in proxy.plan.seen if m != "pass"] == [
        "500", "drop", "cut_request", "cut_response", "drop_after", "500", "500_after",
        "delay:0.2", "cut_response"]
    assert report.batches >= 4
    assert report.replayed_batches >= 2


def _transport(rig: StationRig, url: str) -> HqTransport:
    return HqTransport(ClientConfig(url, rig.token, backoff_base=0.01, backoff_cap=0.05))


def test_same_batch_five_times_at_once_and_again_later(rig: StationRig, live_hq: LiveHq) -> None:
    new_orders(rig, 5)
    ops = rig.sync.store.read_ops(0, None, 500)
    batch = p.PushBatch.build(rig.code, ops, from_seq=1)
    answers: list[p.PushAck] = []
    lock = threading.Lock()

    def send() -> None:
        transport = _transport(rig, live_hq.url)
        answer = transport.push(batch)
        assert answer.status == 200
        with lock:
            answers.append(p.PushAck.from_json(answer.data))
        transport.close()

    threads = [threading.Thread(target=send) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(answers) == 5
    assert sum(not a.replayed for a in answers) == 1
    assert {tuple(a.results) for a in answers} == {answers[0].results}
    # "days later": the station never recorded an ack and sends the same batch again
    later = _transport(rig, live_hq.url).push(batch)
    assert later.status == 200 and later.data["replayed"] is True
    rig.sync.sync_now()
    assert_converged(rig, live_hq)


def test_reordered_and_missing_batches_get_409_naming_the_expected_seq(
        rig: StationRig, live_hq: LiveHq) -> None:
    new_orders(rig, 6)
    ops = rig.sync.store.read_ops(0, None, 500)
    third = len(ops) // 3
    b1 = p.PushBatch.build(rig.code, ops[:third], from_seq=1)
    b2 = p.PushBatch.build(rig.code, ops[third:2 * third], from_seq=b1.to_seq + 1)
    b3 = p.PushBatch.build(rig.code, ops[2 * third:], from_seq=b2.to_seq + 1)
    transport = _transport(rig, live_hq.url)
    out_of_order = transport.push(b2)
    assert out_of_order.status == 409
    assert out_of_order.data == {"error": "gap", "expected_seq": 1,
                                 "message": out_of_order.data["message"]}
    assert transport.push(b1).status == 200
    missing = transport.push(b3)  # b2 never arrived
    assert missing.status == 409 and missing.data["expected_seq"] == b2.from_seq
    # the station's own engine then brings everything in, in order
    report = SyncEngine(transport, rig.sync.store, rig.code).push()
    assert report.batches >= 1
    assert_converged(rig, live_hq)
