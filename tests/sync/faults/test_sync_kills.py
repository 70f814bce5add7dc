"""``kill -9`` of a real ``repair-station sync`` process: after head office commits and
before the acknowledgement is recorded, at random points, and during pull."""

from __future__ import annotations

import random
import signal
import time

import pytest
from sqlalchemy import func, select

from app.store.models import ServiceOrder
from sync import protocol as p
from sync.hq.admin import DispatchInput
from tests.sync.faults.harness import (
    FaultProxy,
    LiveHq,
    StationRig,
    assert_converged,
    sync_process,
)
from tests.sync.faults.workload import new_orders


def _kill_when_held(proc, proxy: FaultProxy) -> None:  # type: ignore[no-untyped-def]
    assert proxy.committed.wait(60), "the sync never reached head office"
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert proc.returncode == -signal.SIGKILL
    proxy.release.set()


@pytest.mark.slow
def test_kill_after_hq_commit_before_ack_recorded(rig: StationRig, live_hq: LiveHq,
                                                  proxy: FaultProxy) -> None:
    new_orders(rig, 8)
    proxy.plan.queue = [(p.PUSH_PATH, "hold")]
    _kill_when_held(sync_process(rig.root), proxy)
    # head office has the batch; the station still has it in flight and unacknowledged
    assert rig.sync.store.push_position().inflight is not None
    assert rig.sync.status().pending > 0
    report = rig.sync.sync_now()
    assert report.replayed_batches == 1
    assert_converged(rig, live_hq)


@pytest.mark.slow
def test_kill_at_random_points_many_times(rig: StationRig, live_hq: LiveHq,
                                          proxy: FaultProxy) -> None:
    # a slow line (every request delayed) keeps each sync alive long enough to be hit
    proxy.plan.chooser = lambda method, path: "delay:0.25"
    rnd = random.Random(20261127)
    kills = 0
    for round_ in range(5):
        new_orders(rig, 15, seed=round_)
        proc = sync_process(rig.root)
        time.sleep(rnd.uniform(0.05, 1.0))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(30)
    assert kills >= 3
    proxy.plan.chooser = None
    rig.sync.sync_now()
    assert_converged(rig, live_hq)


def _dispatch(live_hq: LiveHq, code: str, n: int) -> None:
    assert live_hq.admin is not None
    live_hq.admin.dispatch(code, [
        DispatchInput(customer=f"总部客户{i}", phone=f"1380000{i:04d}", address="上海市",
                      fault=f"空调不制冷 {i}")
        for i in range(n)])


def _order_count(rig: StationRig) -> int:
    with rig.services.db.read() as s:
        return s.scalar(select(func.count()).select_from(ServiceOrder)) or 0


@pytest.mark.slow
@pytest.mark.parametrize("page_applied", [False, True])
def test_kill_during_pull(rig: StationRig, live_hq: LiveHq, proxy: FaultProxy,
                          page_applied: bool) -> None:
    _dispatch(live_hq, rig.code, 700)  # two pages of at most 500
    if page_applied:
        # the first page goes through (applied with its cursor), the second is held
        proxy.plan.queue = [(p.PULL_PATH, "pass"), (p.PULL_PATH, "hold")]
    else:
        proxy.plan.queue = [(p.PULL_PATH, "hold")]
    _kill_when_held(sync_process(rig.root), proxy)
    assert (rig.sync.store.pull_cursor() > 0) == page_applied
    assert _order_count(rig) == (500 if page_applied else 0)
    rig.sync.sync_now()
    assert _order_count(rig) == 700
    with rig.services.db.read() as s:
        numbers = s.scalars(select(ServiceOrder.number)).all()
    assert len(set(numbers)) == 700
    rig.sync.sync_now()  # the station's receipt of each order goes up
    assert_converged(rig, live_hq)
