"""Old parts (旧件) after they are collected, and their return shipments (旧件返厂): listing
them, packing collected old parts into a numbered RS- shipment, taking one out again before
it leaves, marking the shipment shipped with its carrier (an OLD_SHIPPED movement per old
part; a manager's decision), the shipment's sheet for the manifest and tag papers, and
applying head office's receipt and inspection of an old part when sync brings it.

Old parts are created (and removed again) by ``app.services.order_parts`` with the issue of
the new part. Every write here is one transaction with its audit entry and outbox rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.domain.errors import RuleViolation
from app.domain.parts import (
    MAX_CARRIER,
    DocumentPrefix,
    InspectionResult,
    MovementKind,
    OldPartStatus,
    ShipmentStatus,
)
from app.domain.permissions import Permission
from app.printing.data import OldPartLabel, ShipmentSheet, StationHeader
from app.services import events
from app.services import stock_ledger as ledger
from app.services import text_input as t
from app.services.context import SYSTEM, Actor
from app.services.errors import not_found
from app.services.journal import record, row_payload
from app.services.order_parts import OLD_PART, OLD_PARTS, STOCK
from app.store.base import utcnow
from app.store.database import Database
from app.store.models import OldPart, OldPartShipment, Part, ServiceOrder, User
from sync import protocol as p

SHIPMENT = "old_part_shipment"
#: old parts one shipment holds (the manifest and the tag sheets are laid out for any number)
MAX_SHIPMENT_PARTS = 1000
MAX_NOTE = 200
#: head office's answer as the station keeps it: received, or inspected with a result
_ARRIVED = frozenset({OldPartStatus.RECEIVED.value, OldPartStatus.INSPECTED.value})


@dataclass(frozen=True)
class OldPartInfo:
    id: str
    tag_no: str
    part_id: str
    part_no: str
    part_name: str
    order_id: str
    order_no: str
    status: OldPartStatus
    collected_at: datetime
    shipment_id: str | None = None
    shipment_no: str = ""
    inspection_result: str = ""
    inspection_note: str = ""
    inspected_at: datetime | None = None


@dataclass(frozen=True)
class ShipmentInfo:
    id: str
    number: str
    status: ShipmentStatus
    created_at: datetime
    created_by: str
    shipped_at: datetime | None
    carrier: str
    parts: tuple[OldPartInfo, ...]


class OldPartService:
    def __init__(self, db: Database, bus: events.ChangeBus,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.bus = bus
        self.clock = clock

    # -- reading ------------------------------------------------------------------------------
    def old_parts(self, status: OldPartStatus | None = None,
                  order_id: str | None = None) -> list[OldPartInfo]:
        """Old parts, oldest tag first; only those in ``status`` / of ``order_id`` if given."""
        t.check_key(order_id, "order_id", "Order")
        with self.db.read() as s:
            stmt = select(OldPart).order_by(OldPart.created_at, OldPart.tag_no)
            if status is not None:
                stmt = stmt.where(OldPart.status == OldPartStatus(status).value)
            if order_id is not None:
                stmt = stmt.where(OldPart.order_id == order_id)
            return [_info(s, o) for o in s.scalars(stmt)]

    def collected(self) -> list[OldPartInfo]:
        """Old parts waiting to be packed into a return shipment."""
        return self.old_parts(OldPartStatus.COLLECTED)

    def shipments(self) -> list[ShipmentInfo]:
        with self.db.read() as s:
            rows = s.scalars(select(OldPartShipment).order_by(OldPartShipment.created_at.desc(),
                                                              OldPartShipment.number.desc()))
            return [_shipment_info(s, r) for r in rows]

    def shipment(self, key: str) -> ShipmentInfo:
        """The shipment numbered (RS-...) or with id ``key``."""
        with self.db.read() as s:
            return _shipment_info(s, _find_shipment(s, key))

    def sheet(self, key: str, letterhead: StationHeader) -> ShipmentSheet:
        """What the manifest (旧件返厂清单) and the tag labels print (``ReportService``)."""
        with self.db.read() as s:
            ship = _find_shipment(s, key)
            info = _shipment_info(s, ship)
            labels = []
            for old in _parts_of(s, ship.id):
                order = s.get(ServiceOrder, old.order_id)
                product = order.product if order is not None else None
                part = s.get(Part, old.part_id)
                labels.append(OldPartLabel(
                    old.tag_no, part.part_no if part else "", part.name if part else "",
                    order.number if order else "", old.created_at,
                    product.model if product else "", product.serial_no if product else ""))
        return ShipmentSheet(letterhead, info.number, info.created_at, info.created_by,
                             tuple(labels), self.clock(), info.shipped_at, info.carrier)

    # -- writing ------------------------------------------------------------------------------
    def create_shipment(self, actor: Actor, old_part_ids: Sequence[str]) -> ShipmentInfo:
        """Packs the collected old parts into a new numbered shipment (装箱中)."""
        actor.require(Permission.OLD_PART_PACK)
        ids = _check_ids(old_part_ids)
        now = self.clock()
        with self.db.write() as s:
            ship = OldPartShipment(
                number=ledger.next_number(s, DocumentPrefix.SHIPMENT, now.astimezone().date()),
                status=ShipmentStatus.OPEN.value, created_by=actor.user_id or None,
                created_at=now, updated_at=now)
            s.add(ship)
            s.flush()
            self._pack(s, actor, ship, ids, now)
            _record_shipment(s, actor, ship, "create")
            result = _shipment_info(s, ship)
        self.bus.publish({events.OUTBOX, OLD_PARTS})
        return result

    def add_to_shipment(self, actor: Actor, shipment_id: str,
                        old_part_ids: Sequence[str]) -> ShipmentInfo:
        """Packs more collected old parts into a shipment that has not left yet."""
        actor.require(Permission.OLD_PART_PACK)
        ids = _check_ids(old_part_ids)
        now = self.clock()
        with self.db.write() as s:
            ship = _open_shipment(s, shipment_id)
            self._pack(s, actor, ship, ids, now)
            _bump(ship, now)
            _record_shipment(s, actor, ship, "pack")
            result = _shipment_info(s, ship)
        self.bus.publish({events.OUTBOX, OLD_PARTS})
        return result

    def remove_from_shipment(self, actor: Actor, shipment_id: str,
                             old_part_id: str) -> ShipmentInfo:
        """Takes an old part out of a shipment before it ships; it is collected again."""
        actor.require(Permission.OLD_PART_PACK)
        t.check_key(old_part_id, "old_part_id", "Old part")
        now = self.clock()
        with self.db.write() as s:
            ship = _open_shipment(s, shipment_id)
            old = s.get(OldPart, old_part_id)
            if old is None or old.shipment_id != ship.id:
                raise RuleViolation("That old part is not in shipment {number}.",
                                    field="old_part_id", number=ship.number)
            old.status = OldPartStatus.COLLECTED.value
            old.shipment_id = None
            _bump(old, now)
            _record_old(s, actor, old, "unpack")
            _bump(ship, now)
            _record_shipment(s, actor, ship, "unpack")
            result = _shipment_info(s, ship)
        self.bus.publish({events.OUTBOX, OLD_PARTS})
        return result

    def ship(self, actor: Actor, shipment_id: str, carrier: str) -> ShipmentInfo:
        """The shipment leaves for head office with ``carrier`` (快递/物流 and waybill)."""
        actor.require(Permission.OLD_PART_SHIP)
        carrier = t.check_required(carrier, "carrier", "Carrier", MAX_CARRIER)
        now = self.clock()
        with self.db.write() as s:
            ship = _open_shipment(s, shipment_id)
            olds = _parts_of(s, ship.id)
            if not olds:
                raise RuleViolation("Shipment {number} holds no old parts.", field="shipment",
                                    number=ship.number)
            for old in olds:
                ledger.post(s, actor, part=s.get(Part, old.part_id),
                            kind=MovementKind.OLD_SHIPPED, quantity=-1, now=now,
                            order_id=old.order_id, reference=ship.number, reason=old.tag_no)
                old.status = OldPartStatus.SHIPPED.value
                _bump(old, now)
                _record_old(s, actor, old, "ship")
            ship.status = ShipmentStatus.SHIPPED.value
            ship.carrier = carrier
            ship.shipped_at = now
            _bump(ship, now)
            _record_shipment(s, actor, ship, "ship")
            result = _shipment_info(s, ship)
        self.bus.publish({events.OUTBOX, OLD_PARTS, STOCK})
        return result

    def _pack(self, s: Session, actor: Actor, ship: OldPartShipment, ids: list[str],
              now: datetime) -> None:
        held = len(_parts_of(s, ship.id))
        if held + len(ids) > MAX_SHIPMENT_PARTS:
            raise RuleViolation("A shipment holds at most {n} old parts.", field="old_parts",
                                n=MAX_SHIPMENT_PARTS)
        for old_id in ids:
            old = s.get(OldPart, old_id)
            if old is None:
                raise not_found("old part")
            if old.status != OldPartStatus.COLLECTED.value:
                raise RuleViolation("The old part {tag} is {status}; only collected old parts "
                                    "can be packed.", field="old_parts", tag=old.tag_no,
                                    status=OldPartStatus(old.status))
            old.status = OldPartStatus.PACKED.value
            old.shipment_id = ship.id
            _bump(old, now)
            _record_old(s, actor, old, "pack")


# -- head office's receipt and inspection, applied at the station ------------------------------


def apply_inspection(s: Session, change: p.Change, now: datetime) -> set[str]:
    """``old_part_inspection`` from head office: the old part arrived (``received``) or was
    inspected (``inspected`` with a result and note). Idempotent; never steps back from
    inspected to received. An unknown tag becomes a conflict for a person."""
    from app.services.sync_apply import add_conflict  # sync_apply lists this handler

    data = change.payload
    old = s.get(OldPart, str(data.get("old_part_id") or change.entity_id)[:36])
    if old is None and data.get("tag_no"):
        old = s.scalar(select(OldPart).where(OldPart.tag_no == str(data["tag_no"])[:40]))
    if old is None:
        add_conflict(s, f"hq:{change.hq_seq}", "unknown_old_part", OLD_PART,
                     str(data.get("old_part_id") or change.entity_id),
                     "no such old part at this station",
                     f"{data.get('tag_no', '')}: {data.get('status', '')} "
                     f"{data.get('result', '')}", now, hq_seq=change.hq_seq)
        return {"conflicts"}
    wanted = str(data.get("status") or "")
    if wanted == OldPartStatus.INSPECTED.value:
        result = _result(data.get("result"))
        note = str(data.get("note") or "")[:MAX_NOTE]
        when = _when(data.get("at"), now)
        if (old.status == wanted and old.inspection_result == result
                and old.inspection_note == note and old.inspected_at == when):
            return set()
        old.status = wanted
        old.inspection_result = result
        old.inspection_note = note
        old.inspected_at = when
    elif wanted == OldPartStatus.RECEIVED.value:
        if old.status in _ARRIVED:
            return set()
        old.status = wanted
    else:
        return set()
    _bump(old, now)
    _record_old(s, SYSTEM, old, "hq_inspection")
    ship = s.get(OldPartShipment, old.shipment_id) if old.shipment_id else None
    if (ship is not None and ship.status == ShipmentStatus.SHIPPED.value
            and all(o.status in _ARRIVED for o in _parts_of(s, ship.id))):
        ship.status = ShipmentStatus.RECEIVED.value
        _bump(ship, now)
        _record_shipment(s, SYSTEM, ship, "hq_received")
    return {events.OUTBOX, OLD_PARTS}


def _result(value: Any) -> str:
    try:
        return InspectionResult(str(value)).value
    except ValueError:
        return str(value or "")[:32]  # a result this version does not know, kept as sent


def _when(value: Any, default: datetime) -> datetime:
    if not value:
        return default
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return default
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


# -- internals -----------------------------------------------------------------------------------


def _check_ids(old_part_ids: Sequence[str]) -> list[str]:
    ids = list(dict.fromkeys(old_part_ids))
    for old_id in ids:
        t.check_key(old_id, "old_parts", "Old part")
    if not ids:
        raise RuleViolation("Choose the old parts to pack.", field="old_parts")
    if len(ids) > MAX_SHIPMENT_PARTS:
        raise RuleViolation("A shipment holds at most {n} old parts.", field="old_parts",
                            n=MAX_SHIPMENT_PARTS)
    return ids


def _find_shipment(s: Session, key: str) -> OldPartShipment:
    t.check_key(key, "shipment", "Shipment")
    text = (key or "").strip()
    ship = s.scalar(select(OldPartShipment).where(
        or_(OldPartShipment.id == text, OldPartShipment.number == text.upper())))
    if ship is None:
        raise not_found("shipment")
    return ship


def _open_shipment(s: Session, key: str) -> OldPartShipment:
    ship = _find_shipment(s, key)
    if ship.status != ShipmentStatus.OPEN.value:
        raise RuleViolation("Shipment {number} has already been shipped.", field="shipment",
                            number=ship.number)
    return ship


def _parts_of(s: Session, shipment_id: str) -> list[OldPart]:
    return list(s.scalars(select(OldPart).where(OldPart.shipment_id == shipment_id)
                          .order_by(OldPart.tag_no)))


def _bump(row: OldPart | OldPartShipment, now: datetime) -> None:
    row.revision += 1
    row.updated_at = now


def _record_old(s: Session, actor: Actor, old: OldPart, action: str) -> None:
    s.flush()
    record(s, actor, action=action, entity=OLD_PART, entity_id=old.id,
           payload=row_payload(old), base_revision=old.revision - 1,
           detail=f"{old.tag_no} {old.status}")


def _record_shipment(s: Session, actor: Actor, ship: OldPartShipment, action: str) -> None:
    s.flush()
    record(s, actor, action=action, entity=SHIPMENT, entity_id=ship.id,
           payload=row_payload(ship), base_revision=ship.revision - 1,
           detail=f"{ship.number} {ship.status}")


def _info(s: Session, old: OldPart) -> OldPartInfo:
    part = s.get(Part, old.part_id)
    order = s.get(ServiceOrder, old.order_id)
    ship = s.get(OldPartShipment, old.shipment_id) if old.shipment_id else None
    return OldPartInfo(
        old.id, old.tag_no, old.part_id, part.part_no if part else "",
        part.name if part else "", old.order_id, order.number if order else "",
        OldPartStatus(old.status), old.created_at, old.shipment_id,
        ship.number if ship else "", old.inspection_result, old.inspection_note,
        old.inspected_at)


def _shipment_info(s: Session, ship: OldPartShipment) -> ShipmentInfo:
    user = s.get(User, ship.created_by) if ship.created_by else None
    return ShipmentInfo(ship.id, ship.number, ShipmentStatus(ship.status), ship.created_at,
                        user.display_name if user else "", ship.shipped_at, ship.carrier,
                        tuple(_info(s, o) for o in _parts_of(s, ship.id)))
