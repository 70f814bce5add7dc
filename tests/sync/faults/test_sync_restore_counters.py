"""Head office restored from a backup, then `after-restore`: head office's counters must not go
back. Its order revisions (an edit after the restore is not one the station already holds) and
its order numbers (never one it issued after the backup, whichever side moves first). Real
server, on every configured head-office database; the restore puts back every row of the
backup, as a database restore does."""

from __future__ import annotations

import contextlib
import random
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.store.models import ServiceOrder
from sync.hq.admin import AdminError, DispatchInput
from sync.hq.db import HqDatabase
from sync.hq.models import HqBase, HqOrder
from tests.sync.faults.harness import LiveHq, StationRig, assert_converged, make_station
from tests.sync.faults.test_sync_convergence import forward
from tests.sync.faults.workload import new_orders

Backup = dict[str, list[dict[str, Any]]]


def backup(db: HqDatabase) -> Backup:
    with db.read() as s:
        return {t.name: [dict(r._mapping) for r in s.execute(t.select())]
                for t in HqBase.metadata.sorted_tables}


def restore(db: HqDatabase, rows: Backup) -> None:
    tables = HqBase.metadata.sorted_tables
    with db.write() as s:
        for t in reversed(tables):
            s.execute(t.delete())
        for t in tables:
            if rows[t.name]:
                s.execute(t.insert(), rows[t.name])


def _dispatch(hq: LiveHq, code: str, i: int) -> str:
    assert hq.admin is not None
    return hq.admin.dispatch(code, [DispatchInput(
        customer=f"派单客户{i}", phone=f"1390000{i:04d}", address="广州市天河区",
        fault="热水器不点火", reference=f"CC-{i}")])[0].order_id


def _numbers(rig: StationRig, hq: LiveHq) -> tuple[dict[str, str], dict[str, str]]:
    with rig.services.db.read() as s:
        station = {i: n for i, n in s.execute(select(ServiceOrder.id, ServiceOrder.number))}
    assert hq.db is not None
    with hq.db.read() as s:
        office = {i: n for i, n in s.execute(select(HqOrder.id, HqOrder.number))}
    return station, office


def _restored(hq: LiveHq, rows: Backup) -> None:
    assert hq.db is not None and hq.admin is not None
    restore(hq.db, rows)
    hq.admin.after_restore()


def test_hq_edit_after_restore_is_not_skipped_as_already_applied(tmp_path: Path,
                                                                  any_hq: LiveHq) -> None:
    rig = make_station(tmp_path / "st1", "BJ001", any_hq, any_hq.url)
    try:
        order_id = _dispatch(any_hq, rig.code, 1)
        rig.sync.sync_now()
        assert any_hq.db is not None and any_hq.admin is not None
        yesterday = backup(any_hq.db)
        any_hq.admin.update_order(order_id, {"service_address": "改到海珠区"})
        rig.sync.sync_now()
        assert rig.services.orders.detail(order_id).service_address == "改到海珠区"
        _restored(any_hq, yesterday)  # head office forgot the edit; the station has it
        rig.sync.sync_now()
        any_hq.admin.update_order(order_id, {"service_address": "再改到番禺区"})
        rig.sync.sync_now()
        rig.sync.sync_now()
        assert rig.services.orders.detail(order_id).service_address == "再改到番禺区"
        assert rig.sync.conflicts() == []
        assert any_hq.admin.conflicts(rig.code) == []
        assert_converged(rig, any_hq)
    finally:
        rig.close()


def _numbers_after_restore(tmp_path: Path, hq: LiveHq, station_first: bool) -> None:
    rig = make_station(tmp_path / "st1", "BJ001", hq, hq.url)
    try:
        _dispatch(hq, rig.code, 1)
        rig.sync.sync_now()
        assert hq.db is not None and hq.admin is not None
        yesterday = backup(hq.db)
        lost = _dispatch(hq, rig.code, 2)  # issued after the backup: only the station keeps it
        rig.sync.sync_now()
        lost_number = rig.services.orders.detail(lost).number
        _restored(hq, yesterday)
        if station_first:
            rig.sync.sync_now()  # the station re-sends the order head office forgot
        later = [_dispatch(hq, rig.code, 3 + i) for i in range(2)]  # the same day
        rig.sync.sync_now()
        rig.sync.sync_now()
        station, office = _numbers(rig, hq)
        assert station == office  # every order under one number on both sides
        assert len(set(office.values())) == len(office) == 4
        assert station[lost] == lost_number
        assert all(not station[i].endswith("-HQ") for i in later)
        assert hq.admin.rejected(rig.code) == []
        assert rig.sync.conflicts() == []
        assert_converged(rig, hq)
    finally:
        rig.close()


def test_numbers_after_restore_station_re_sends_first(tmp_path: Path, any_hq: LiveHq) -> None:
    _numbers_after_restore(tmp_path, any_hq, station_first=True)


def test_numbers_after_restore_head_office_dispatches_first(tmp_path: Path,
                                                            any_hq: LiveHq) -> None:
    _numbers_after_restore(tmp_path, any_hq, station_first=False)


def _kinds(rig: StationRig, hq: LiveHq) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    assert hq.admin is not None
    clash = ("cancel_after_completion", "stale_hq_edit")
    mine = {(c.kind, c.entity_id) for c in rig.sync.conflicts() if c.kind in clash}
    theirs = {(c.kind, c.subject.split()[-1]) for c in hq.admin.conflicts(rig.code)
              if c.kind in clash}
    return mine, theirs


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_restore_at_a_random_point_of_a_run_with_edits_on_both_sides(
        tmp_path: Path, any_hq: LiveHq, seed: int) -> None:
    """Backup at a random point, restore (and after-restore) at a later one, edits on both
    sides before, between and after; at the end both sides hold the same rows, the same
    numbers, and the same clashes."""
    rng = random.Random(seed)
    rig = make_station(tmp_path / "st1", "BJ001", any_hq, any_hq.url)
    assert any_hq.db is not None and any_hq.admin is not None
    steps = 30
    backup_at = rng.randrange(2, steps // 2)
    restore_at = rng.randrange(backup_at + 1, steps - 4)
    saved: Backup = {}
    serial = 0
    try:
        for step in range(steps):
            if step == backup_at:
                saved = backup(any_hq.db)
            if step == restore_at:
                _restored(any_hq, saved)
            with rig.services.db.read() as s:
                orders = list(s.scalars(select(ServiceOrder.id).order_by(ServiceOrder.number)))
            move = rng.choice(["new", "advance", "dispatch", "dispatch", "hq_edit", "hq_edit",
                               "sync", "sync"])
            serial += 1
            if move == "new":
                new_orders(rig, 1, seed=seed * 100 + serial)
            elif move == "advance" and orders:
                forward(rig, rng.choice(orders), rng.randint(1, 2))
            elif move == "dispatch":
                _dispatch(any_hq, rig.code, serial)
            elif move == "hq_edit" and orders:
                # the station's own order, or a finished one, head office may not edit
                with contextlib.suppress(AdminError):
                    any_hq.admin.update_order(rng.choice(orders),
                                              {"service_address": f"新地址{serial}"})
            else:
                rig.sync.sync_now()
        for _ in range(3):
            rig.sync.sync_now()
        assert_converged(rig, any_hq)  # every station row at head office, once, as it is
        station, office = _numbers(rig, any_hq)
        assert station == office
        assert len(set(office.values())) == len(office)
        assert not any(n.endswith("-HQ") for n in station.values())
        mine, theirs = _kinds(rig, any_hq)
        assert mine == theirs
        assert [r for r in any_hq.admin.rejected(rig.code)] == []
    finally:
        rig.close()
