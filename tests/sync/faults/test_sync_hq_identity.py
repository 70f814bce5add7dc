"""Head office has an identity of its own (issue 8, case 9): registering with another head
office starts afresh there (every op re-sent, a snapshot pulled), while registering with the
same head office at a new address keeps the sync position. Real servers, both backends."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from app.store.models import OutboxOp, SyncState
from app.store.models.sync import SINGLETON_ID
from sync.hq.admin import DispatchInput
from sync.hq.models import HqReceivedOp
from tests.sync.faults.harness import LiveHq, make_station
from tests.sync.faults.workload import boss, new_orders


def _position(rig) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with rig.services.db.read() as s:
        state = s.get(SyncState, SINGLETON_ID)
        return state.push_acked_seq, state.pull_cursor


def _received(hq: LiveHq) -> int:
    assert hq.db is not None
    with hq.db.read() as s:
        return s.scalar(select(func.count()).select_from(HqReceivedOp)) or 0


def test_registering_with_another_hq_starts_afresh_and_a_new_address_does_not(
        tmp_path: Path, any_hq: LiveHq) -> None:
    rig = make_station(tmp_path / "st1", "BJ001", any_hq, any_hq.url)
    other = LiveHq(tmp_path / "hq-other.sqlite3").start()
    try:
        new_orders(rig, 3, seed=1)
        any_hq.admin.notice("旧总部通知", "只在旧总部")
        rig.sync.sync_now()
        with rig.services.db.read() as s:
            ops = s.scalar(select(func.count()).select_from(OutboxOp))
        acked, cursor = _position(rig)
        assert acked == ops and cursor > 0 and _received(any_hq) == ops
        # the same head office at another address: the position stays
        same = any_hq.url.replace("127.0.0.1", "localhost")
        rig.sync.register(boss(rig), same, "BJ001", rig.token)
        assert _position(rig) == (acked, cursor)
        report = rig.sync.sync_now()
        assert report.snapshots == 0 and _received(any_hq) == ops
        # another head office (another database): everything goes there, a snapshot comes back
        token = other.admin.add_station("BJ001", "BJ001 station")
        order_id = other.admin.dispatch("BJ001", [DispatchInput(
            customer="新总部客户", phone="13900002222", address="广州市", fault="不制冷",
            reference="CC-9")])[0].order_id
        for i in range(cursor + 2):  # its change log goes past the old cursor
            other.admin.notice(f"新总部通知{i}", "正文", "BJ001")
        rig.sync.register(boss(rig), other.url, "BJ001", token)
        report = rig.sync.sync_now()
        assert report.snapshots == 1
        assert _received(other) >= ops
        with rig.services.db.read() as s:
            now_ops = s.scalar(select(func.count()).select_from(OutboxOp))
        assert _position(rig)[0] == now_ops
        assert rig.services.orders.detail(order_id).hq_reference == "CC-9"
        titles = {n.title for n in rig.sync.notices()}
        assert titles == {f"新总部通知{i}" for i in range(cursor + 2)}  # the old one is gone
        rig.sync.sync_now()
        assert _received(other) == now_ops  # each op once
    finally:
        other.stop()
        rig.close()
