"""A conflict settled at the station reaches head office (issue 9, item 2): over the loopback
harness, head office edits an order the station changed meanwhile; the station settles it
field by field (and another one by keeping ours); after the next sync ``repair-station-hq
conflicts`` lists the fields side by side and how each was settled."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.services.orders import OrderEdit
from app.services.sync_conflicts import ConflictDesk
from sync.hq.__main__ import main
from sync.hq.admin import DispatchInput
from tests.sync.faults.harness import LiveHq, make_station


def _station_edit(rig, order_id: str, address: str) -> None:  # type: ignore[no-untyped-def]
    boss = rig.services.users.login("boss", "correct-horse")
    order = rig.services.orders.detail(order_id)
    rig.services.orders.update(boss, order_id, OrderEdit(
        order.order_type, order.service_mode, order.fault_description, order.contact_phone,
        address, order.product.id if order.product else None), order.revision)


def test_settled_conflicts_are_listed_side_by_side_at_head_office(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hq = LiveHq(tmp_path / "hq.sqlite3").start()
    try:
        assert hq.admin is not None
        rig = make_station(tmp_path / "st", "BJ001", hq, hq.url)
        try:
            first, second = hq.admin.dispatch("BJ001", [
                DispatchInput("周先生", "13612345678", "北京朝阳路1号", "不出水"),
                DispatchInput("吴女士", "13712345678", "北京朝阳路2号", "不制冷")])
            rig.sync.sync_now()
            _station_edit(rig, first.order_id, "北京朝阳路1号2单元")
            _station_edit(rig, second.order_id, "北京朝阳路2号3单元")
            hq.admin.update_order(first.number, {"service_address": "北京朝阳路11号",
                                                 "fault_description": "不出水，有异响"})
            hq.admin.update_order(second.number, {"service_address": "北京朝阳路22号"})
            rig.sync.sync_now()
            conflicts = {c.order_number: c for c in rig.sync.conflicts()}
            assert set(conflicts) == {first.number, second.number}
            boss = rig.services.users.login("boss", "correct-horse")
            desk = ConflictDesk(rig.services.db, rig.services.bus, rig.services.orders,
                                rig.sync.clock)
            # one settled both ways: keep ours for the address, take head office's fault
            desk.settle_fields(boss, conflicts[first.number].id, {
                "service_address": ("ours", None), "fault_description": ("theirs", None)},
                "电话核实")
            # the other: take head office's address
            desk.settle_fields(boss, conflicts[second.number].id, {
                "service_address": ("theirs", None)})
            assert rig.services.orders.detail(second.order_id).service_address == "北京朝阳路22号"
            rig.sync.sync_now()
            rows = {r.subject.split()[-1]: r for r in hq.admin.conflicts("BJ001")}
            one = rows[first.order_id]
            assert one.fields["service_address"] == {
                "ours": "北京朝阳路1号2单元", "theirs": "北京朝阳路11号", "base": "北京朝阳路1号"}
            assert one.resolution == {
                "service_address": {"choice": "ours", "value": "北京朝阳路1号2单元"},
                "fault_description": {"choice": "theirs", "value": "不出水，有异响"}}
            assert one.resolved_by == "boss" and one.note == "电话核实"
            assert rows[second.order_id].resolution["service_address"]["choice"] == "theirs"
            code = main(["--db", hq.url_db, "conflicts", "--station", "BJ001"])
            out = capsys.readouterr().out
            assert code == 0
            assert "settled at the station by boss" in out
            assert "service_address: ours -> 北京朝阳路1号2单元" in out
            assert "fault_description: theirs -> 不出水，有异响" in out
            assert "北京朝阳路11号" in out and "北京朝阳路1号" in out  # the three values
            assert "2 conflict(s). 2 settled at the station." in out
        finally:
            rig.close()
    finally:
        hq.stop()
