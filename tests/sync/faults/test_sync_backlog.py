"""A month offline: a large station backlog plus head-office changes, with three random
``kill -9`` on the way. Scaled to stay under a minute (20,000 + 1,000); the 100,000 case is
``benchmarks/sync_push_pull.py``."""

from __future__ import annotations

import random
import signal
import time

import pytest
from sqlalchemy import func, select

from app.domain.enums import OrderSource
from app.store.models import ServiceOrder
from sync.hq.admin import DispatchInput
from tests.sync.faults.harness import LiveHq, assert_converged, make_station, sync_process
from tests.sync.faults.workload import bulk_customers

STATION_CHANGES = 20_000
HQ_CHANGES = 1_000


@pytest.mark.slow
def test_month_offline_backlog_with_three_random_kills(tmp_path, live_hq: LiveHq) -> None:
    rig = make_station(tmp_path / "big", "BIG01", live_hq, live_hq.url)
    try:
        bulk_customers(rig, STATION_CHANGES)
        assert live_hq.admin is not None
        live_hq.admin.dispatch("BIG01", [
            DispatchInput(f"总部客户{i}", f"1360000{i:04d}", "深圳市南山区", f"冰箱异响{i}")
            for i in range(HQ_CHANGES)])
        rnd = random.Random(31)
        kills = 0
        while kills < 3:
            proc = sync_process(rig.root)
            time.sleep(rnd.uniform(1.5, 4.0))
            if proc.poll() is not None:
                break  # it finished before this kill: the rest is done in-process
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            kills += 1
        assert kills >= 2, "the sync finished too fast for the kills to land"
        rig.sync.sync_now()
        stats = assert_converged(rig, live_hq)
        assert stats["ops"] >= STATION_CHANGES + 2 * HQ_CHANGES
        with rig.services.db.read() as s:
            dispatched = s.scalar(select(func.count()).select_from(ServiceOrder).where(
                ServiceOrder.source == OrderSource.HEAD_OFFICE.value))
        assert dispatched == HQ_CHANGES
    finally:
        rig.close()
