"""Parts on service orders: issuing catalogue parts from stock onto an order (领用) and taking
unused ones back (退回), the reservations (预留) that hold stock for an order waiting for parts,
and the old parts (旧件) an in-warranty repair must send back.

Rules this module owns:
- the technician assigned to the order, or a manager, issues and returns parts, and only
  before the order is completed (a completed, visited, closed or cancelled order is refused);
- an issue is an ISSUED movement plus the order's charge line for that part (kind parts,
  "part_no name", the catalogue's retail price, ``part_id`` set): a second issue of the same
  part adds to its line, at the line's price; a return is a RETURNED movement that lowers the
  line (removed at zero), never by more than the ledger says the order took;
- units reserved for other orders cannot be issued (the available stock is on hand minus
  what others reserved); an issue fills and releases the order's own reservation first;
  completing or cancelling the order releases what is still reserved;
- an issue to an order in warranty (the part's own warranty months where the catalogue gives
  them, else the unit's) of a part whose old part must go back creates one old part per unit,
  each with its own OP- tag and an OLD_COLLECTED movement. Returning such a part unused takes
  the newest unpacked old parts away again: the row is deleted (head office gets a tombstone)
  and the ledger gets a correcting OLD_COLLECTED of -1, so the ledger only grows and the
  collected count per order stays true; an old part already packed must leave its shipment
  first.

Each call is one write transaction: movements, charge line, old parts, reservations, audit,
and the order's outbox row (charge lines inline, revision bumped) together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.enums import ChargeKind, OrderStatus, Payer
from app.domain.errors import RuleViolation
from app.domain.parts import DocumentPrefix, MovementKind, OldPartStatus
from app.domain.permissions import Permission
from app.services import events, payers
from app.services import stock_ledger as ledger
from app.services import text_input as t
from app.services.context import Actor
from app.services.errors import not_found, stale
from app.services.journal import journal_order, record, row_payload
from app.services.signature_lock import refuse_if_signed
from app.services.warranty_policy import current_policy
from app.store.base import new_id, utcnow
from app.store.database import Database
from app.store.models import (
    ChargeLine,
    OldPart,
    OldPartShipment,
    Part,
    ServiceOrder,
    StockMovement,
    StockReservation,
)

if TYPE_CHECKING:
    from app.services.orders import OrderDetail, OrderService

#: the states in which parts may still go onto an order or come back from it
PARTS_STATES = frozenset({OrderStatus.RECEIVED, OrderStatus.ACCEPTED, OrderStatus.ASSIGNED,
                          OrderStatus.ON_SITE, OrderStatus.IN_WORKSHOP,
                          OrderStatus.WAITING_PARTS})
#: the most units one charge line holds (the charge editor's limit)
MAX_LINE_QUANTITY = 10_000
MAX_RETURN_REASON = 200
RESERVATION = "stock_reservation"
OLD_PART = "old_part"


@dataclass(frozen=True)
class Availability:
    part_id: str
    on_hand: int
    #: reserved for any order
    reserved: int
    #: of those, reserved for the order asked about
    reserved_here: int = 0

    @property
    def available(self) -> int:
        """What this order may take: on hand minus what other orders reserved."""
        return max(0, self.on_hand - (self.reserved - self.reserved_here))


@dataclass(frozen=True)
class OrderPartLine:
    """A part on an order: its charge line, what the ledger says the order took, its old
    parts (tag numbers) and what is still reserved for it."""

    part_id: str
    part_no: str
    name: str
    unit: str
    charge_line_id: str | None
    quantity: int
    unit_price_fen: int
    issued: int
    reserved: int
    old_part_tags: tuple[str, ...]


class OrderPartService:
    def __init__(self, db: Database, bus: events.ChangeBus, orders: OrderService,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.bus = bus
        self.orders = orders
        self.clock = clock

    # -- reading ------------------------------------------------------------------------------
    def availability(self, part_id: str, order_id: str | None = None) -> Availability:
        t.check_key(part_id, "part_id", "Part")
        t.check_key(order_id, "order_id", "Order")
        with self.db.read() as s:
            return _availability(s, part_id, order_id)

    def lines(self, order_id: str) -> list[OrderPartLine]:
        """The catalogue parts issued to or reserved for the order, in charge-line order."""
        t.check_key(order_id, "order_id", "Order")
        with self.db.read() as s:
            order = _order(s, order_id)
            issued = dict(s.execute(
                select(StockMovement.part_id, -func.sum(StockMovement.quantity))
                .where(StockMovement.order_id == order.id, StockMovement.kind.in_(
                    (MovementKind.ISSUED.value, MovementKind.RETURNED.value)))
                .group_by(StockMovement.part_id)).all())
            held = dict(s.execute(
                select(StockReservation.part_id, func.sum(StockReservation.quantity))
                .where(StockReservation.order_id == order.id,
                       StockReservation.released_at.is_(None))
                .group_by(StockReservation.part_id)).all())
            tags: dict[str, list[str]] = {}
            for part, tag in s.execute(select(OldPart.part_id, OldPart.tag_no)
                                       .where(OldPart.order_id == order.id)
                                       .order_by(OldPart.tag_no)):
                tags.setdefault(part, []).append(tag)
            lines = {c.part_id: c for c in order.charge_lines if c.part_id is not None}
            wanted = list(lines) + [p for p in held if p not in lines]
            out = []
            for part_id in wanted:
                part = s.get(Part, part_id)
                line = lines.get(part_id)
                out.append(OrderPartLine(
                    part_id, part.part_no if part else "", part.name if part else "",
                    part.unit if part else "", line.id if line else None,
                    line.quantity if line else 0, line.unit_price_fen if line else 0,
                    int(issued.get(part_id) or 0), int(held.get(part_id) or 0),
                    tuple(tags.get(part_id, ()))))
            return out

    # -- issuing and returning ------------------------------------------------------------------
    def issue(self, actor: Actor, order_id: str, part_id: str, quantity: int,
              expected_revision: int | None = None) -> OrderDetail:
        """Takes ``quantity`` units of the part from stock onto the order."""
        actor.require(Permission.PARTS_ISSUE)
        quantity = ledger.check_quantity(quantity)
        t.check_key(part_id, "part_id", "Part")
        now = self.clock()
        with self.db.write() as s:
            order = self._open_order(s, actor, order_id, expected_revision, "issue parts")
            refuse_if_signed(s, order)  # a signed order's charges are locked
            part = _part(s, part_id)
            here = _availability(s, part.id, order.id)
            if here.reserved > here.reserved_here and here.available < quantity <= here.on_hand:
                raise RuleViolation(
                    "Only {free} {unit} of {part} can be issued to this order: {held} of the "
                    "{have} in stock are reserved for other orders.", field="quantity",
                    free=here.available, unit=part.unit, part=_name(part),
                    held=here.reserved - here.reserved_here, have=here.on_hand)
            line = next((c for c in order.charge_lines if c.part_id == part.id), None)
            if (line.quantity if line else 0) + quantity > MAX_LINE_QUANTITY:
                raise RuleViolation("At most {n} units of one part on an order.",
                                    field="quantity", n=MAX_LINE_QUANTITY)
            ledger.post(s, actor, part=part, kind=MovementKind.ISSUED, quantity=-quantity,
                        now=now, order_id=order.id, reference=order.number)
            if line is None:
                line = ChargeLine(id=new_id(), position=len(order.charge_lines),
                                  kind=ChargeKind.PARTS.value, description=_name(part),
                                  quantity=quantity, unit_price_fen=part.retail_price_fen,
                                  part_id=part.id)
                order.charge_lines.append(line)
            else:
                line.quantity += quantity
            s.flush()
            payers.assign_payers(s, order, current_policy(s), payers.service_date(order))
            _fill_reservations(s, actor, order, part, quantity, now)
            if part.return_required and _in_warranty(s, order, part):
                for _ in range(quantity):
                    _collect(s, actor, order, part, line, now)
            journal_order(s, actor, order, "issue_parts", now)
        self.bus.publish({events.ORDERS, events.OUTBOX, PARTS, STOCK, OLD_PARTS})
        return self.orders.detail(order_id, actor)

    def return_parts(self, actor: Actor, order_id: str, part_id: str, quantity: int,
                     expected_revision: int | None = None, reason: str = "") -> OrderDetail:
        """Puts ``quantity`` unused units of the part back into stock from the order."""
        actor.require(Permission.PARTS_ISSUE)
        quantity = ledger.check_quantity(quantity)
        t.check_key(part_id, "part_id", "Part")
        reason = t.check_length(reason, "reason", "Reason", MAX_RETURN_REASON)
        now = self.clock()
        with self.db.write() as s:
            order = self._open_order(s, actor, order_id, expected_revision, "return parts")
            refuse_if_signed(s, order)  # a signed order's charges are locked
            part = _part(s, part_id)
            taken = -int(s.scalar(
                select(func.coalesce(func.sum(StockMovement.quantity), 0))
                .where(StockMovement.order_id == order.id, StockMovement.part_id == part.id,
                       StockMovement.kind.in_((MovementKind.ISSUED.value,
                                               MovementKind.RETURNED.value)))) or 0)
            line = next((c for c in order.charge_lines if c.part_id == part.id), None)
            taken = min(taken, line.quantity) if line is not None else 0
            if line is None or quantity > taken:
                raise RuleViolation(
                    "Only {issued} {unit} of {part} were issued to this order; {wanted} cannot "
                    "be returned.", field="quantity", issued=max(taken, 0), unit=part.unit,
                    part=_name(part), wanted=quantity)
            _uncollect(s, actor, order, part, taken - quantity, reason, now)
            ledger.post(s, actor, part=part, kind=MovementKind.RETURNED, quantity=quantity,
                        now=now, order_id=order.id, reference=order.number, reason=reason)
            line.quantity -= quantity
            if line.quantity == 0:
                order.charge_lines.remove(line)
                for position, row in enumerate(order.charge_lines):
                    row.position = position
            payers.assign_payers(s, order, current_policy(s), payers.service_date(order))
            s.flush()
            journal_order(s, actor, order, "return_parts", now)
        self.bus.publish({events.ORDERS, events.OUTBOX, PARTS, STOCK, OLD_PARTS})
        return self.orders.detail(order_id, actor)

    # -- reservations -------------------------------------------------------------------------
    def reserve(self, actor: Actor, order_id: str, part_id: str, quantity: int) -> Availability:
        """Sets ``quantity`` more units of the part aside for the order. Reserving more than
        is in stock is allowed: the order waits for them (orders to head office count it)."""
        actor.require(Permission.PARTS_ISSUE)
        quantity = ledger.check_quantity(quantity)
        t.check_key(part_id, "part_id", "Part")
        now = self.clock()
        with self.db.write() as s:
            order = self._open_order(s, actor, order_id, None, "reserve parts")
            part = _part(s, part_id)
            held = s.scalar(select(StockReservation).where(
                StockReservation.order_id == order.id, StockReservation.part_id == part.id,
                StockReservation.released_at.is_(None)).limit(1))
            if held is None:
                held = StockReservation(part_id=part.id, order_id=order.id, quantity=quantity,
                                        created_at=now, updated_at=now)
                s.add(held)
            else:
                if held.quantity + quantity > ledger.MAX_QUANTITY:
                    raise RuleViolation("Quantity must be a whole number from {low} to {high}.",
                                        field="quantity", low=1, high=ledger.MAX_QUANTITY)
                held.quantity += quantity
                held.revision += 1
                held.updated_at = now
            s.flush()
            _record_reservation(s, actor, held, "reserve", order, part)
            result = _availability(s, part.id, order.id)
        self.bus.publish({events.OUTBOX, PARTS, STOCK})
        return result

    def release(self, actor: Actor, order_id: str, part_id: str) -> Availability:
        """Gives back to stock whatever is still reserved of the part for the order."""
        actor.require(Permission.PARTS_ISSUE)
        t.check_key(part_id, "part_id", "Part")
        t.check_key(order_id, "order_id", "Order")
        now = self.clock()
        with self.db.write() as s:
            order = _order(s, order_id)
            _check_assignee(actor, order, "release reserved parts")
            part = _part(s, part_id)
            for held in _open_reservations(s, order.id, part.id):
                _close_reservation(s, actor, held, order, part, now)
            result = _availability(s, part.id, order.id)
        self.bus.publish({events.OUTBOX, PARTS, STOCK})
        return result

    # -- internals ------------------------------------------------------------------------------
    def _open_order(self, s: Session, actor: Actor, order_id: str,
                    expected_revision: int | None, doing: str) -> ServiceOrder:
        order = _order(s, order_id)
        if expected_revision is not None and order.revision != expected_revision:
            raise stale("order")
        _check_assignee(actor, order, doing)
        status = OrderStatus(order.status)
        if status not in PARTS_STATES:
            raise RuleViolation("Parts go onto an order or come back from it only before it "
                                "is completed; this order is {status}.", field="status",
                                status=status)
        return order


#: the kinds of data these writes change (ChangeBus), as the other parts areas name them
PARTS = "parts"
STOCK = "stock"
OLD_PARTS = "old_parts"


def release_order_reservations(s: Session, actor: Actor, order: ServiceOrder,
                               now: datetime) -> None:
    """Releases everything still reserved for ``order`` (it was completed or cancelled), in
    the caller's transaction."""
    for held in s.scalars(select(StockReservation).where(
            StockReservation.order_id == order.id, StockReservation.released_at.is_(None))):
        _close_reservation(s, actor, held, order, s.get(Part, held.part_id), now)


def _order(s: Session, order_id: str) -> ServiceOrder:
    t.check_key(order_id, "order_id", "Order")
    order = s.get(ServiceOrder, order_id)
    if order is None:
        raise not_found("order")
    return order


def _part(s: Session, part_id: str) -> Part:
    part = s.get(Part, part_id)
    if part is None:
        raise not_found("part")
    return part


def _name(part: Part) -> str:
    return f"{part.part_no} {part.name}"


def _check_assignee(actor: Actor, order: ServiceOrder, doing: str) -> None:
    """A technician takes parts only for the orders assigned to him (the matrix's scope)."""
    actor.require(Permission.PARTS_ISSUE, assigned_to=order.technician_id)


def _availability(s: Session, part_id: str, order_id: str | None) -> Availability:
    here = 0
    if order_id is not None:
        here = int(s.scalar(
            select(func.coalesce(func.sum(StockReservation.quantity), 0))
            .where(StockReservation.part_id == part_id, StockReservation.order_id == order_id,
                   StockReservation.released_at.is_(None))) or 0)
    return Availability(part_id, ledger.on_hand(s, part_id), ledger.reserved(s, part_id), here)


def _in_warranty(s: Session, order: ServiceOrder, part: Part) -> bool:
    """The maker pays for the part on this order (``app.services.payers``: the unit in
    warranty on the day of the call, or the part by its own period, a key-part rule of the
    policy or the catalogue's months), so its old part goes back to head office."""
    product = order.product
    if product is None:
        return False
    policy = current_policy(s)
    on = payers.service_date(order)
    unit = payers.order_coverage(policy, product, on)
    return payers.line_payer(policy, product, unit, ChargeKind.PARTS, part, on) is Payer.MAKER


def _collect(s: Session, actor: Actor, order: ServiceOrder, part: Part, line: ChargeLine,
             now: datetime) -> OldPart:
    tag = ledger.next_number(s, DocumentPrefix.OLD_PART, now.astimezone().date())
    old = OldPart(tag_no=tag, part_id=part.id, order_id=order.id, charge_line_id=line.id,
                  status=OldPartStatus.COLLECTED.value, created_at=now, updated_at=now)
    s.add(old)
    s.flush()
    ledger.post(s, actor, part=part, kind=MovementKind.OLD_COLLECTED, quantity=1, now=now,
                order_id=order.id, reference=tag)
    record(s, actor, action="collect", entity=OLD_PART, entity_id=old.id,
           payload=row_payload(old), detail=f"{tag} {part.part_no} {order.number}")
    return old


def _uncollect(s: Session, actor: Actor, order: ServiceOrder, part: Part, keep: int,
               reason: str, now: datetime) -> None:
    """Leaves at most ``keep`` old parts of ``part`` on the order, taking away the newest
    unpacked ones; refuses when a packed one would have to go."""
    olds = s.scalars(select(OldPart).where(OldPart.order_id == order.id,
                                           OldPart.part_id == part.id)
                     .order_by(OldPart.tag_no.desc())).all()
    excess = len(olds) - max(keep, 0)
    if excess <= 0:
        return
    loose = [o for o in olds if o.status == OldPartStatus.COLLECTED.value]
    if len(loose) < excess:
        packed = next(o for o in olds if o.status != OldPartStatus.COLLECTED.value)
        shipment = s.get(OldPartShipment, packed.shipment_id) if packed.shipment_id else None
        raise RuleViolation(
            "The old part {tag} is already in return shipment {shipment}; take it out of the "
            "shipment before returning the new part.", field="quantity", tag=packed.tag_no,
            shipment=shipment.number if shipment else "")
    for old in loose[:excess]:
        ledger.post(s, actor, part=part, kind=MovementKind.OLD_COLLECTED, quantity=-1,
                    now=now, order_id=order.id, reference=old.tag_no, reason=reason,
                    correction=True)
        record(s, actor, action="uncollect", entity=OLD_PART, entity_id=old.id,
               payload=row_payload(old), op="delete",
               detail=f"{old.tag_no} {part.part_no} {order.number}")
        s.delete(old)
    s.flush()


def _open_reservations(s: Session, order_id: str, part_id: str) -> list[StockReservation]:
    return list(s.scalars(select(StockReservation).where(
        StockReservation.order_id == order_id, StockReservation.part_id == part_id,
        StockReservation.released_at.is_(None)).order_by(StockReservation.created_at)))


def _fill_reservations(s: Session, actor: Actor, order: ServiceOrder, part: Part,
                       quantity: int, now: datetime) -> None:
    """The units just issued fill the order's own reservations of the part, oldest first."""
    left = quantity
    for held in _open_reservations(s, order.id, part.id):
        if left <= 0:
            break
        if held.quantity <= left:
            left -= held.quantity
            _close_reservation(s, actor, held, order, part, now)
        else:
            held.quantity -= left
            held.revision += 1
            held.updated_at = now
            left = 0
            s.flush()
            _record_reservation(s, actor, held, "fill", order, part)


def _close_reservation(s: Session, actor: Actor, held: StockReservation, order: ServiceOrder,
                       part: Part | None, now: datetime) -> None:
    held.released_at = now
    held.revision += 1
    held.updated_at = now
    s.flush()
    _record_reservation(s, actor, held, "release", order, part)


def _record_reservation(s: Session, actor: Actor, held: StockReservation, action: str,
                        order: ServiceOrder, part: Part | None) -> None:
    record(s, actor, action=action, entity=RESERVATION, entity_id=held.id,
           payload=row_payload(held), base_revision=held.revision - 1,
           detail=f"{part.part_no if part else held.part_id} {held.quantity} {order.number}")
