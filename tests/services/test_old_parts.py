"""Old parts after collection: packing collected ones into a numbered return shipment, taking
one out again, shipping (a manager's decision; an OLD_SHIPPED movement per old part), the
manifest and tag papers through ``repair-station print``, and head office's receipt and
inspection applied at the station (idempotent, never stepping back)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from app.__main__ import main
from app.domain.errors import RuleViolation
from app.domain.parts import OldPartStatus, ShipmentStatus
from app.services import stock_ledger as ledger
from app.services.errors import NotFound, PermissionDenied
from app.services.old_parts import apply_inspection
from app.store.models import OldPart, OldPartShipment, OutboxOp, StockMovement, SyncConflict
from sync import protocol as p
from tests.printing.helpers import page_texts
from tests.services.test_order_parts import IN_WARRANTY, assigned_order, make_part


@pytest.fixture
def collected(services, station):
    """Three old parts collected on one in-warranty order."""
    part = make_part(services, "AC-COMP-1", return_required=True)
    order = assigned_order(services, station, purchase=IN_WARRANTY)
    services.order_parts.issue(station["tech"], order.id, part.id, 3)
    return part, order, services.old_parts.collected()


def test_pack_remove_and_ship(services, station, collected) -> None:
    part, order, olds = collected
    assert [o.status for o in olds] == [OldPartStatus.COLLECTED] * 3
    assert {o.order_no for o in olds} == {order.number}
    tech, boss = station["tech"], station["manager"]
    ship = services.old_parts.create_shipment(tech, [o.id for o in olds[:2]])
    assert ship.number == "RS-BJ001-20260601-0001" and ship.status is ShipmentStatus.OPEN
    assert [o.status for o in ship.parts] == [OldPartStatus.PACKED] * 2
    assert ship.created_by == "王师傅"
    assert [o.id for o in services.old_parts.collected()] == [olds[2].id]
    with pytest.raises(RuleViolation) as err:  # already packed
        services.old_parts.create_shipment(tech, [olds[0].id])
    assert err.value.params["tag"] == olds[0].tag_no
    ship = services.old_parts.remove_from_shipment(tech, ship.number, olds[1].id)
    assert [o.id for o in ship.parts] == [olds[0].id]
    ship = services.old_parts.add_to_shipment(tech, ship.id, [olds[1].id, olds[2].id])
    assert len(ship.parts) == 3
    with pytest.raises(PermissionDenied):
        services.old_parts.ship(tech, ship.id, "顺丰 SF1234567890")
    with pytest.raises(RuleViolation) as err:
        services.old_parts.ship(boss, ship.id, "  ")
    assert err.value.field == "carrier"
    with services.db.read() as s:
        assert ledger.old_on_hand(s, part.id) == 3
    ship = services.old_parts.ship(boss, ship.id, "顺丰 SF1234567890")
    assert ship.status is ShipmentStatus.SHIPPED and ship.carrier == "顺丰 SF1234567890"
    assert {o.status for o in ship.parts} == {OldPartStatus.SHIPPED}
    with services.db.read() as s:
        assert ledger.old_on_hand(s, part.id) == 0 and ledger.on_hand(s, part.id) == 2
        shipped = s.scalars(select(StockMovement).where(StockMovement.kind == "old_shipped")
                            ).all()
        ops = [json.loads(o.payload) for o in s.scalars(
            select(OutboxOp).where(OutboxOp.entity == "old_part_shipment")
            .order_by(OutboxOp.seq))]
    assert len(shipped) == 3 and {m.reference for m in shipped} == {ship.number}
    assert [o["status"] for o in ops][-1] == "shipped"
    assert [o["revision"] for o in ops] == list(range(1, len(ops) + 1))
    for call in (lambda: services.old_parts.ship(boss, ship.id, "EMS"),
                 lambda: services.old_parts.remove_from_shipment(tech, ship.id, olds[0].id)):
        with pytest.raises(RuleViolation):
            call()


def test_shipment_refusals(services, station, collected) -> None:
    tech = station["tech"]
    with pytest.raises(RuleViolation):
        services.old_parts.create_shipment(tech, [])
    with pytest.raises(NotFound):
        services.old_parts.create_shipment(tech, ["no-such-old-part"])
    with services.db.read() as s:
        assert s.scalars(select(OldPartShipment)).all() == []
    with pytest.raises(NotFound):
        services.old_parts.shipment("RS-BJ001-20260601-0099")
    empty = services.old_parts.create_shipment(tech, [collected[2][0].id])
    empty = services.old_parts.remove_from_shipment(tech, empty.id, collected[2][0].id)
    with pytest.raises(RuleViolation) as err:
        services.old_parts.ship(station["manager"], empty.id, "EMS")
    assert err.value.field == "shipment"


def test_manifest_and_tags_print_by_number(services, station, collected, tmp_path: Path,
                                           capsys) -> None:
    _, order, olds = collected
    ship = services.old_parts.create_shipment(station["tech"], [o.id for o in olds])
    root = str(services.paths.root)
    manifest, tags = tmp_path / "manifest.pdf", tmp_path / "tags.pdf"
    assert main(["--data-dir", root, "print", "manifest", ship.number, "-o",
                 str(manifest)]) == 0
    text = "".join("".join(page_texts(manifest)).split())  # cells wrap long numbers
    assert ship.number in text and order.number in text
    assert all(o.tag_no in text for o in olds)
    assert main(["--data-dir", root, "print", "old-part-tags", ship.number.lower(), "-o",
                 str(tags)]) == 0
    text = "".join("".join(page_texts(tags)).split())
    assert all(text.count(o.tag_no) >= 1 for o in olds)
    capsys.readouterr()
    missing = tmp_path / "missing.pdf"
    assert main(["--data-dir", root, "print", "manifest", "RS-BJ001-20200101-0001", "-o",
                 str(missing)]) == 2
    assert "RS-BJ001-20200101-0001" in capsys.readouterr().err and not missing.exists()


def _change(seq: int, old: OldPart, status: str, result: str = "", note: str = "",
            at: str = "2026-06-10T08:00:00+00:00") -> p.Change:
    return p.Change(seq, p.HqEntity.OLD_PART_INSPECTION.value, old.id, "upsert",
                    {"old_part_id": old.id, "tag_no": old.tag_no, "status": status,
                     "result": result, "note": note, "at": at})


def test_head_office_answers_are_applied_once_and_never_step_back(services, station,
                                                                 collected, clock) -> None:
    _, _, olds = collected
    ship = services.old_parts.create_shipment(station["tech"], [o.id for o in olds[:2]])
    services.old_parts.ship(station["manager"], ship.id, "EMS")
    with services.db.write() as s:
        first, second = (s.get(OldPart, o.id) for o in olds[:2])
        assert apply_inspection(s, _change(1, first, "received"), clock())
        assert apply_inspection(s, _change(2, first, "inspected", "defect_confirmed",
                                           "压缩机卡缸"), clock())
        # re-applied after a crash, or an older answer in a snapshot: nothing changes
        assert apply_inspection(s, _change(2, first, "inspected", "defect_confirmed",
                                           "压缩机卡缸"), clock()) == set()
        assert apply_inspection(s, _change(1, first, "received"), clock()) == set()
        assert s.get(OldPartShipment, ship.id).status == ShipmentStatus.SHIPPED.value
        apply_inspection(s, _change(3, second, "inspected", "no_fault_found"), clock())
        assert s.get(OldPartShipment, ship.id).status == ShipmentStatus.RECEIVED.value
        ghost = p.Change(4, p.HqEntity.OLD_PART_INSPECTION.value, "gone", "upsert",
                         {"old_part_id": "gone", "tag_no": "OP-BJ001-20200101-0001",
                          "status": "inspected", "result": "ok"})
        assert apply_inspection(s, ghost, clock()) == {"conflicts"}
    [a, b] = services.old_parts.shipment(ship.number).parts
    assert (a.status, a.inspection_result, a.inspection_note) == (
        OldPartStatus.INSPECTED, "defect_confirmed", "压缩机卡缸")
    assert a.inspected_at is not None and a.inspected_at.day == 10
    assert b.inspection_result == "no_fault_found"
    with services.db.read() as s:
        assert s.scalars(select(SyncConflict)).one().kind == "unknown_old_part"
        pushed = [json.loads(o.payload)["status"] for o in s.scalars(
            select(OutboxOp).where(OutboxOp.entity_id == a.id).order_by(OutboxOp.seq))]
    assert pushed[-2:] == ["received", "inspected"]
