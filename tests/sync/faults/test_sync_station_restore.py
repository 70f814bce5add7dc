"""A station restored from one of its own backups, then synced with the real head office.

Head office skips every op at or below a station's high water, taking it for one it already
holds. The restored outbox is older than that high water, so a new change numbered like the
changes the lost database had sent would be silently dropped. The restore starts the new
numbers above anything the lost database can have sent (its last seq when it is readable, the
clock in microseconds when it is not); these tests prove that, on the real server, every change
made after the restore arrives exactly once, nothing head office holds is lost, and head
office's dispatches are downloaded again. The last test shows the danger is real: with the old
numbering, head office drops the new order without a word.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.bootstrap import open_services
from app.services.sync_service import SyncService
from app.services.sync_token import FileTokenStore
from app.store import backups as store
from app.store.models import OutboxOp, ServiceOrder
from sync.hq.admin import DispatchInput
from sync.hq.models import HqHighWater, HqOrder, HqReceivedOp, HqRejectedOp, HqStation
from tests.station_files import station_connect
from tests.sync.faults.harness import LiveHq, StationRig, fast_transport, make_station
from tests.sync.faults.workload import new_orders


def _reopen(rig: StationRig) -> StationRig:
    services = open_services(rig.root)
    sync = SyncService(services.db, services.bus, FileTokenStore(rig.root), services.sync.clock,
                       fast_transport)
    services.sync = sync
    return StationRig(rig.code, services, sync, rig.token)


def _hq(hq: LiveHq, code: str) -> tuple[dict[str, int], set[str], int, int]:
    """(op_id -> seq received, order ids, high water, rejected ops) for the station."""
    assert hq.db is not None
    with hq.db.read() as s:
        st = s.scalar(select(HqStation).where(HqStation.code == code))
        assert st is not None
        ops = {r.op_id: r.seq for r in s.scalars(
            select(HqReceivedOp).where(HqReceivedOp.station_id == st.id))}
        orders = set(s.scalars(select(HqOrder.id).where(HqOrder.station_id == st.id)))
        high = s.scalar(select(HqHighWater.high_water).where(HqHighWater.station_id == st.id))
        rejected = len(s.scalars(select(HqRejectedOp)).all())
    return ops, orders, high or 0, rejected


def _station_ops(rig: StationRig) -> dict[str, int]:
    with rig.services.db.read() as s:
        return {o.op_id: o.seq for o in s.scalars(select(OutboxOp))}


def _dispatch(hq: LiveHq, code: str, n: int) -> str:
    assert hq.admin is not None
    return hq.admin.dispatch(code, [DispatchInput(
        customer=f"派单客户{n}", phone=f"1390000{n:04d}", address="广州市天河区",
        fault="热水器不点火", reference=f"CC-{n}")])[0].order_id


def _break(db: Path) -> None:
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page:page * 4] = b"\xa5" * (page * 3)
    db.write_bytes(bytes(data))


@pytest.mark.parametrize("lost_db", ["readable", "damaged"])
def test_changes_after_a_restore_reach_head_office_and_nothing_it_holds_is_lost(
        tmp_path: Path, live_hq: LiveHq, lost_db: str) -> None:
    rig = make_station(tmp_path / "st1", "BJ001", live_hq, live_hq.url)
    try:
        new_orders(rig, 3, seed=1)
        rig.sync.sync_now()
        backup = store.make_backup(rig.services.paths.database, rig.services.paths.backups,
                                   rig.services.paths.attachments, "daily",
                                   key=rig.services.db.key)
        # after the backup: orders sent to head office, a dispatch received, one order unsent
        sent_after = new_orders(rig, 2, seed=2)
        dispatched = _dispatch(live_hq, rig.code, 1)
        rig.sync.sync_now()
        unsent = new_orders(rig, 1, seed=3)
        lost_ops = _station_ops(rig)
    finally:
        rig.close()
    paths = rig.services.paths
    with station_connect(paths.database) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if lost_db == "damaged":
        _break(paths.database)
    ops_before, orders_before, high_before, _ = _hq(live_hq, rig.code)
    done = store.restore(backup.path, paths.database, paths.backups, paths.attachments,
                         key=rig.services.db.key)
    assert done.outbox_seq_floor >= high_before

    restored = _reopen(rig)
    try:
        with restored.services.db.read() as s:
            ids = set(s.scalars(select(ServiceOrder.id)))
        assert not ids & set(sent_after + unsent) and dispatched not in ids  # lost here
        after = new_orders(restored, 2, seed=4)
        restored.sync.sync_now()
        restored.sync.sync_now()  # a second sync finds nothing more to do
        ops, orders, high, rejected = _hq(live_hq, rig.code)
        station_ops = _station_ops(restored)
        # every op the station holds is at head office, under the same seq, exactly once
        assert all(ops.get(op_id) == seq for op_id, seq in station_ops.items())
        # head office lost nothing it had (the lost database's sent ops stay there)
        assert set(ops_before) <= set(ops) and orders_before <= orders
        assert set(after) <= orders and set(sent_after) <= orders
        assert high == max(station_ops.values()) and rejected == 0
        new_seqs = [station_ops[o] for o in set(station_ops) - set(lost_ops)]
        assert min(new_seqs) > high_before
        # head office's dispatch, lost with the database, is downloaded again
        with restored.services.db.read() as s:
            assert s.get(ServiceOrder, dispatched) is not None
        assert restored.sync.status().pending == 0
    finally:
        restored.close()


def test_without_the_new_numbering_head_office_drops_the_change(tmp_path: Path,
                                                                live_hq: LiveHq) -> None:
    """The danger the restore guards against, shown on the real server."""
    rig = make_station(tmp_path / "st1", "BJ001", live_hq, live_hq.url)
    try:
        new_orders(rig, 2, seed=1)
        rig.sync.sync_now()
        backup = store.make_backup(rig.services.paths.database, rig.services.paths.backups,
                                   None, "daily", key=rig.services.db.key)
        new_orders(rig, 2, seed=2)
        rig.sync.sync_now()
    finally:
        rig.close()
    paths = rig.services.paths
    done = store.restore(backup.path, paths.database, paths.backups, paths.attachments,
                         key=rig.services.db.key)
    with station_connect(paths.database) as conn:  # the numbering as it was before the fix
        conn.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'outbox'",
                     (backup.manifest.outbox_seq,))
    assert done.outbox_seq_floor > backup.manifest.outbox_seq
    restored = _reopen(rig)
    try:
        (lost,) = new_orders(restored, 1, seed=4)
        restored.sync.sync_now()
        _, orders, _, _ = _hq(live_hq, rig.code)
        assert lost not in orders  # taken for an op head office already had, and dropped
    finally:
        restored.close()
