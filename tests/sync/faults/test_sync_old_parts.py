"""Old parts round trip through the real head office: the station collects, packs and ships
old parts and pushes them; head office receives the shipment and inspects a tag with
``repair-station-hq old-parts ...``; the answers come back by sync (through a lost pull
answer), are applied once, and both sides agree; a snapshot carries the latest answers."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.domain.enums import OrderSource, OrderType, ServiceMode
from app.domain.parts import MovementKind, OldPartStatus, ShipmentStatus, part_id
from app.services import stock_ledger as ledger
from app.services.context import SYSTEM
from app.services.customers import CustomerInput, ProductInput
from app.services.orders import NewOrder
from app.store.base import utcnow
from app.store.models import Part
from sync import protocol as p
from sync.hq import changes
from sync.hq.__main__ import main as hq_main
from sync.hq.models import HqRecord, HqStation
from tests.sync.faults.harness import FaultProxy, LiveHq, StationRig, assert_converged
from tests.sync.faults.workload import boss


def _shipped(rig: StationRig) -> tuple[str, list[str]]:
    """A shipped return shipment of two old parts from one in-warranty repair."""
    services, actor = rig.services, boss(rig)
    with services.db.write() as s:
        part = Part(id=part_id("AC-COMP-1"), part_no="AC-COMP-1", name="变频压缩机", unit="台",
                    retail_price_fen=120000, return_required=True)
        s.add(part)
        s.flush()
        ledger.post(s, SYSTEM, part=part, kind=MovementKind.RECEIVED, quantity=4,
                    now=utcnow())
    bought = (utcnow() - timedelta(days=100)).astimezone().date()
    order = services.orders.create(actor, NewOrder(
        OrderType.REPAIR, OrderSource.PHONE, ServiceMode.ON_SITE, "压缩机不启动",
        "13812345678", customer=CustomerInput("李雷", ("13812345678",), "北京市海淀区"),
        product=ProductInput("KFR-35GW", "SN42", bought), technician_id=actor.user_id))
    services.order_parts.issue(actor, order.id, part.id, 2)
    olds = services.old_parts.collected()
    ship = services.old_parts.create_shipment(actor, [o.id for o in olds])
    services.old_parts.ship(actor, ship.id, "顺丰 SF1234567890")
    return ship.number, [o.tag_no for o in olds]


def test_inspection_comes_back_by_sync(rig: StationRig, live_hq: LiveHq, proxy: FaultProxy,
                                       capsys) -> None:
    number, tags = _shipped(rig)
    rig.sync.sync_now()
    assert_converged(rig, live_hq)
    db = ["--db", live_hq.url_db]
    assert hq_main([*db, "old-parts", "inspect", "OP-NOPE-20200101-0001", "--result",
                    "ok"]) == 1
    assert hq_main([*db, "old-parts", "receive", number]) == 0
    assert hq_main([*db, "old-parts", "inspect", tags[0].lower(), "--result",
                    "defect_confirmed", "--note", "压缩机卡缸，确认故障"]) == 0
    with pytest.raises(SystemExit) as bad:
        hq_main([*db, "old-parts", "inspect", tags[0], "--result", "bogus"])
    assert bad.value.code == 2
    out = capsys.readouterr().out
    assert f"{tags[0]}  received" in out and tags[1] in out

    proxy.plan.queue.append((p.PULL_PATH, "cut_response"))
    rig.sync.sync_now()
    rig.sync.sync_now()  # pushes the station's rows the answers changed
    assert (p.PULL_PATH, "cut_response") not in proxy.plan.queue
    assert any(m == "cut_response" for _, _, m in proxy.plan.seen)
    ship = rig.services.old_parts.shipment(number)
    first, second = ship.parts
    assert (first.tag_no, first.status, first.inspection_result, first.inspection_note) == (
        tags[0], OldPartStatus.INSPECTED, "defect_confirmed", "压缩机卡缸，确认故障")
    assert first.inspected_at is not None
    assert second.status is OldPartStatus.RECEIVED and second.inspection_result == ""
    assert ship.status is ShipmentStatus.RECEIVED
    assert rig.sync.conflicts() == []
    assert_converged(rig, live_hq)
    assert live_hq.db is not None
    with live_hq.db.read() as s:
        station = s.scalar(select(HqStation).where(HqStation.code == rig.code))
        record = s.scalar(select(HqRecord.payload).where(HqRecord.entity == "old_part",
                                                         HqRecord.entity_id == first.id))
        snap = changes.snapshot(s, station.id)
    assert json.loads(record)["inspection_result"] == "defect_confirmed"
    answers = {c.entity_id: c.payload for c in snap.changes
               if c.entity == p.HqEntity.OLD_PART_INSPECTION.value}
    assert answers[first.id]["status"] == "inspected"
    assert answers[second.id]["status"] == "received"
