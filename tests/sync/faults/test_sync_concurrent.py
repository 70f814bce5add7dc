"""The window's background sync and a scheduled ``repair-station sync`` at the same time:
two processes on one station database push and pull together; nothing doubles, nothing lost."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.store.models import ServiceOrder
from sync.hq.admin import DispatchInput
from tests.sync.faults.harness import LiveHq, StationRig, assert_converged, sync_process
from tests.sync.faults.workload import new_orders


@pytest.mark.slow
def test_two_processes_sync_one_station_at_once(rig: StationRig, live_hq: LiveHq) -> None:
    new_orders(rig, 40)
    assert live_hq.admin is not None
    live_hq.admin.dispatch(rig.code, [DispatchInput(f"客户{i}", f"1380000{i:04d}", "天津", "异响")
                                      for i in range(600)])
    procs = [sync_process(rig.root) for _ in range(2)]
    rig.sync.sync_now()  # and the window's own, in this process
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    rig.sync.sync_now()
    with rig.services.db.read() as s:
        assert s.scalar(select(func.count()).select_from(ServiceOrder).where(
            ServiceOrder.source == "head_office")) == 600
    assert_converged(rig, live_hq)
