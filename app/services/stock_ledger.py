"""The stock ledger's one way in: ``post`` appends a movement (with its audit entry and outbox
row) inside the caller's write transaction, refusing to take sellable stock below zero; and
the document numbers (SA-, PC-, PO-, RS-, OP-) every parts document takes.

Every area that moves stock (parts on orders, counter sales, counts, receipts from head
office, old parts) calls ``post`` inside ``Database.write()``: its ``BEGIN IMMEDIATE`` makes
the on-hand check and the insert one step, so two technicians taking the last unit from two
connections cannot both succeed.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.errors import RuleViolation
from app.domain.parts import DocumentPrefix, MovementKind, document_number
from app.services.context import Actor
from app.services.device_identity import device_tag
from app.services.journal import record, row_payload
from app.store.models import DocumentCounter, Part, Station, StockMovement, StockReservation

#: the outbox entity of a movement (a LEDGER entity in sync/entities.py)
ENTITY = "stock_movement"
MAX_QUANTITY = 1_000_000

_SELLABLE = tuple(k.value for k in MovementKind if k.sellable)
_OLD = tuple(k.value for k in MovementKind if not k.sellable)


def on_hand(session: Session, part_id: str) -> int:
    """Sellable units of the part in stock: the sum of its sellable movements."""
    return int(session.scalar(
        select(func.coalesce(func.sum(StockMovement.quantity), 0))
        .where(StockMovement.part_id == part_id, StockMovement.kind.in_(_SELLABLE))) or 0)


def old_on_hand(session: Session, part_id: str) -> int:
    """Old parts (旧件) of this part collected and not yet shipped back."""
    return int(session.scalar(
        select(func.coalesce(func.sum(StockMovement.quantity), 0))
        .where(StockMovement.part_id == part_id, StockMovement.kind.in_(_OLD))) or 0)


def reserved(session: Session, part_id: str) -> int:
    """Units set aside for orders waiting for them (not yet issued or released)."""
    return int(session.scalar(
        select(func.coalesce(func.sum(StockReservation.quantity), 0))
        .where(StockReservation.part_id == part_id,
               StockReservation.released_at.is_(None))) or 0)


def check_quantity(quantity: object, field: str = "quantity") -> int:
    """A whole number of units from 1 to ``MAX_QUANTITY``; anything else is refused."""
    if (not isinstance(quantity, int) or isinstance(quantity, bool)
            or not 1 <= quantity <= MAX_QUANTITY):
        raise RuleViolation("Quantity must be a whole number from {low} to {high}.",
                            field=field, low=1, high=MAX_QUANTITY)
    return quantity


def post(
    session: Session,
    actor: Actor,
    *,
    part: Part,
    kind: MovementKind,
    quantity: int,
    now: datetime,
    reason: str = "",
    order_id: str | None = None,
    sale_id: str | None = None,
    count_id: str | None = None,
    parts_order_id: str | None = None,
    reference: str = "",
    correction: bool = False,
) -> StockMovement:
    """Appends one movement of ``quantity`` units (signed: + in, - out) of ``part``.

    The sign must suit the kind (a count adjustment goes either way), unless the movement is
    a ``correction``: the reversal of an earlier one of the same kind (an old part collected
    in error); sellable stock and old parts never go below zero."""
    kind = MovementKind(kind)
    if (not isinstance(quantity, int) or isinstance(quantity, bool) or quantity == 0
            or abs(quantity) > MAX_QUANTITY
            or (kind.sign and quantity * kind.sign < 0 and not correction)):
        raise RuleViolation("Quantity must be a whole number from {low} to {high}.",
                            field="quantity", low=1, high=MAX_QUANTITY)
    if quantity < 0:
        have = on_hand(session, part.id) if kind.sellable else old_on_hand(session, part.id)
        if have + quantity < 0:
            raise RuleViolation(
                "Only {have} {unit} of {part} in stock; {wanted} cannot be taken.",
                field="quantity", have=have, unit=part.unit, part=f"{part.part_no} {part.name}",
                wanted=-quantity)
    movement = StockMovement(
        part_id=part.id, kind=kind.value, quantity=quantity, created_at=now,
        user_id=actor.user_id or None, username=actor.username, reason=reason,
        order_id=order_id, sale_id=sale_id, count_id=count_id, parts_order_id=parts_order_id,
        reference=reference)
    session.add(movement)
    session.flush()
    record(session, actor, action=f"stock.{kind.value}", entity=ENTITY, entity_id=movement.id,
           payload=row_payload(movement), op="event",
           detail=f"{part.part_no} {quantity:+d} {reference}".strip())
    return movement


def next_number(session: Session, prefix: DocumentPrefix, day: date) -> str:
    """The next ``prefix`` number of ``day`` for this station (inside a write transaction)."""
    code = session.scalar(select(Station.code)) or "ST"
    key = f"{day:%Y%m%d}"
    counter = session.get(DocumentCounter, (prefix.value, key))
    if counter is None:
        counter = DocumentCounter(prefix=prefix.value, day=key, last=0)
        session.add(counter)
    counter.last += 1
    session.flush()
    return document_number(prefix, code, day, counter.last, device_tag(session))
