"""Issue 8, head office and station on a real server (SQLite and PostgreSQL head office):
an edit of a fresh dispatch, an order reopened after head office's cancel, one head-office
conflict record per clash."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.domain import state_machine as sm
from app.domain.enums import OrderStatus
from sync.hq.admin import DispatchInput
from tests.sync.faults.harness import LiveHq, StationRig, make_station
from tests.sync.faults.workload import boss, complete


@pytest.fixture
def pair(tmp_path: Path, any_hq: LiveHq) -> Iterator[tuple[StationRig, LiveHq]]:
    rig = make_station(tmp_path / "st1", "BJ001", any_hq, any_hq.url)
    yield rig, any_hq
    rig.close()


def _dispatch(hq: LiveHq, code: str = "BJ001") -> str:
    assert hq.admin is not None
    return hq.admin.dispatch(code, [DispatchInput(
        customer="派单客户", phone="13900001111", address="广州市天河区旧地址",
        fault="热水器不点火", reference="CC-1")])[0].order_id


def test_hq_edit_of_a_fresh_dispatch_in_the_same_page_applies(pair) -> None:  # type: ignore[no-untyped-def]
    rig, hq = pair
    order_id = _dispatch(hq)
    hq.admin.update_order(order_id, {"service_address": "广州市天河区新地址"})
    rig.sync.sync_now()
    detail = rig.services.orders.detail(order_id)
    assert detail.service_address == "广州市天河区新地址"
    assert rig.sync.conflicts() == []
    rig.sync.sync_now()
    assert hq.admin.conflicts() == []


def test_an_order_reopened_after_hq_cancel_can_be_edited_and_cancelled_again(pair) -> None:  # type: ignore[no-untyped-def]
    rig, hq = pair
    order_id = _dispatch(hq)
    rig.sync.sync_now()
    hq.admin.cancel(order_id, "客户已自行修好")
    rig.sync.sync_now()
    assert rig.services.orders.detail(order_id).status is OrderStatus.CANCELLED
    rig.sync.sync_now()  # the cancelled state goes up
    rig.services.orders.transition(boss(rig), order_id, sm.Action.REOPEN)
    rig.sync.sync_now()
    hq.admin.update_order(order_id, {"service_address": "广州市天河区新地址"})
    rig.sync.sync_now()
    assert rig.services.orders.detail(order_id).service_address == "广州市天河区新地址"
    hq.admin.cancel(order_id, "客户又不修了")
    rig.sync.sync_now()
    assert rig.services.orders.detail(order_id).status is OrderStatus.CANCELLED
    assert rig.sync.conflicts() == []


def test_every_refused_hq_edit_of_one_order_is_a_conflict_at_head_office(pair) -> None:  # type: ignore[no-untyped-def]
    rig, hq = pair
    order_id = _dispatch(hq)
    rig.sync.sync_now()
    rig.services.orders.transition(boss(rig), order_id, sm.Action.ACCEPT)
    hq.admin.update_order(order_id, {"service_address": "广州市天河区地址二"})
    hq.admin.update_order(order_id, {"fault_description": "热水器漏水"})
    rig.sync.sync_now()
    rig.sync.sync_now()  # the station's conflict records go up
    station_side = [c.kind for c in rig.sync.conflicts()]
    assert station_side == ["stale_hq_edit", "stale_hq_edit"]
    hq_side = [c for c in hq.admin.conflicts() if c.kind == "stale_hq_edit"]
    assert len(hq_side) == 2
    assert {c.subject for c in hq_side} == {f"service_order {order_id}"}
    rig.sync.sync_now()  # nothing more, nothing twice
    assert len(hq.admin.conflicts()) == 2


def test_a_late_cancel_seen_by_both_sides_is_one_conflict_per_cancel(pair) -> None:  # type: ignore[no-untyped-def]
    rig, hq = pair
    order_id = _dispatch(hq)
    rig.sync.sync_now()
    complete(rig, order_id)
    rig.sync.sync_now()  # head office knows it is completed
    hq.admin.cancel(order_id, "重复派单")  # head office records the clash at once
    rig.sync.sync_now()  # the station sees it too and reports it
    rig.sync.sync_now()
    assert [c.kind for c in hq.admin.conflicts()] == ["cancel_after_completion"]
    assert [c.kind for c in rig.sync.conflicts()] == ["cancel_after_completion"]
