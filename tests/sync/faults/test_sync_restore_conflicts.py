"""Head office restored from yesterday's backup; the two ownership conflicts in either order;
the station clock moved a year back and forward. Real server, both sides compared."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from app.domain import state_machine as sm
from app.domain.enums import OrderStatus
from sync.client import SyncEngine
from sync.hq.admin import DispatchInput
from tests.conftest import ManualClock
from tests.station_files import station_connect
from tests.sync.faults.harness import (
    FaultProxy,
    LiveHq,
    StationRig,
    assert_converged,
    fast_transport,
    make_station,
)
from tests.sync.faults.workload import advance, boss, complete, new_orders


def _sqlite_copy(source: Path, target: Path) -> None:
    src, dst = station_connect(source), station_connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def _dispatch_one(live_hq: LiveHq, code: str, i: int = 0) -> str:
    assert live_hq.admin is not None
    return live_hq.admin.dispatch(code, [DispatchInput(
        customer=f"派单客户{i}", phone=f"1390000{i:04d}", address="广州市天河区",
        fault="热水器不点火", reference=f"CC-{i}")])[0].order_id


@pytest.mark.slow
def test_hq_restored_from_yesterdays_backup(rig: StationRig, live_hq: LiveHq,
                                            proxy: FaultProxy, tmp_path: Path) -> None:
    new_orders(rig, 4, seed=1)
    _dispatch_one(live_hq, rig.code, 1)
    rig.sync.sync_now()
    yesterday = tmp_path / "hq-yesterday.sqlite3"
    _sqlite_copy(live_hq.db_path, yesterday)
    new_orders(rig, 4, seed=2)
    _dispatch_one(live_hq, rig.code, 2)
    rig.sync.sync_now()
    rig.sync.sync_now()  # the receipt of order 2 goes up too
    assert_converged(rig, live_hq)
    # disaster: head office comes back from yesterday's backup
    live_hq.stop()
    for suffix in ("-wal", "-shm"):
        Path(str(live_hq.db_path) + suffix).unlink(missing_ok=True)
    _sqlite_copy(yesterday, live_hq.db_path)
    live_hq.start()
    proxy.upstream_port = live_hq.port
    assert live_hq.admin is not None
    live_hq.admin.after_restore()
    report = rig.sync.sync_now()  # nothing new at the station: the probe finds the hole
    assert report.resends == 1
    assert report.snapshots == 1
    assert_converged(rig, live_hq)
    new_orders(rig, 2, seed=3)
    rig.sync.sync_now()
    assert_converged(rig, live_hq)


def _end_state(rig: StationRig, live_hq: LiveHq, order_id: str) -> tuple:
    detail = rig.services.orders.detail(order_id)
    assert live_hq.admin is not None
    hq_kinds = sorted(c.kind for c in live_hq.admin.conflicts(rig.code))
    return (detail.status, detail.fault_description, detail.service_address,
            sorted(c.kind for c in rig.sync.conflicts()), hq_kinds)


@pytest.mark.slow
def test_cancel_after_completion_same_end_state_either_order(tmp_path: Path,
                                                             live_hq: LiveHq) -> None:
    results = []
    for n, first in enumerate((True, False)):
        rig = make_station(tmp_path / f"s{n}", f"CX{n}", live_hq, live_hq.url)
        try:
            order_id = _dispatch_one(live_hq, rig.code)
            rig.sync.sync_now()
            assert live_hq.admin is not None
            if first:  # the completion reaches head office before its cancel
                complete(rig, order_id)
                rig.sync.sync_now()
                live_hq.admin.cancel(order_id, "客户撤单")
            else:  # head office cancels while the station, offline, completes
                live_hq.admin.cancel(order_id, "客户撤单")
                complete(rig, order_id)
            rig.sync.sync_now()
            rig.sync.sync_now()
            state = _end_state(rig, live_hq, order_id)
            assert state[0] is OrderStatus.COMPLETED
            assert state[3] == ["cancel_after_completion"]
            assert state[4] == ["cancel_after_completion"]
            assert_converged(rig, live_hq)
            results.append(state[:1] + state[3:])
        finally:
            rig.close()
    assert results[0] == results[1]


@pytest.mark.slow
@pytest.mark.parametrize("push_first", [True, False])
def test_stale_hq_edit_same_end_state_either_order(tmp_path: Path, live_hq: LiveHq,
                                                   push_first: bool) -> None:
    rig = make_station(tmp_path / "s", "ED1", live_hq, live_hq.url)
    try:
        order_id = _dispatch_one(live_hq, rig.code)
        rig.sync.sync_now()
        before = rig.services.orders.detail(order_id)
        advance(rig, order_id, 1)  # the station accepts it (its revision moves on)...
        assert live_hq.admin is not None
        live_hq.admin.update_order(order_id, {"service_address": "改派到新地址"})  # ...meanwhile
        token = rig.sync.tokens.load()
        assert token
        from sync.client import ClientConfig

        engine = SyncEngine(fast_transport(ClientConfig(live_hq.url, token)), rig.sync.store,
                            rig.code)
        if push_first:
            engine.push()
            engine.pull()
        else:
            engine.pull()
            engine.push()
        rig.sync.sync_now()
        detail = rig.services.orders.detail(order_id)
        assert detail.status is OrderStatus.ACCEPTED
        assert detail.service_address == before.service_address
        assert [c.kind for c in rig.sync.conflicts()] == ["stale_hq_edit"]
        assert [c.kind for c in live_hq.admin.conflicts(rig.code)] == ["stale_hq_edit"]
        assert_converged(rig, live_hq)
    finally:
        rig.close()


def test_station_clock_moved_a_year_back_and_forward(tmp_path: Path, live_hq: LiveHq) -> None:
    clock = ManualClock()
    rig = make_station(tmp_path / "s", "CLK1", live_hq, live_hq.url, clock=clock)
    try:
        order_id = new_orders(rig, 1)[0]
        actor = boss(rig)
        clock.now -= timedelta(days=365)
        rig.services.orders.transition(actor, order_id, sm.Action.ACCEPT)
        rig.sync.sync_now()
        clock.now += timedelta(days=730)
        rig.services.orders.transition(actor, order_id, sm.Action.ASSIGN,
                                       technician_id=actor.user_id)
        clock.now -= timedelta(days=365 * 2)
        rig.services.orders.transition(actor, order_id, sm.Action.START_ON_SITE)
        rig.sync.sync_now()
        assert_converged(rig, live_hq)
        # head office holds the latest state by seq, whatever the timestamps say
        assert live_hq.admin is not None
        with live_hq.db.read() as s:  # type: ignore[union-attr]
            from sqlalchemy import select

            from sync.hq.models import HqOrder
            assert s.scalar(select(HqOrder.status).where(HqOrder.id == order_id)) == "on_site"
    finally:
        rig.close()
