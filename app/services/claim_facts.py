"""What a claim batch is built from and checked against, read from the store: which orders of
a period can be claimed, the claim lines one order gives (labour per the fee schedule, parts
at the catalogue's station price backed by their old-part tags, the travel fee of the order's
distance band), and the ``ClaimFacts`` of each line the pure checks of ``app.domain.claims``
judge. Runs inside the caller's session; writes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.claims import ClaimFacts, EarlierRepair, period_bounds
from app.domain.enums import ChargeKind, OrderStatus, OrderType, Payer
from app.domain.warranty_policy import WarrantyPolicy, part_coverage, unit_coverage
from app.store.models import (
    ChargeLine,
    ClaimBatch,
    ClaimLine,
    CustomerPhone,
    OldPart,
    Part,
    Product,
    ServiceOrder,
)

#: an order in one of these states is finished work that can be claimed
DONE_STATES = (OrderStatus.COMPLETED.value, OrderStatus.VISITED.value,
               OrderStatus.CLOSED.value)
CLAIMABLE_KINDS = (ChargeKind.LABOUR.value, ChargeKind.PARTS.value, ChargeKind.TRAVEL.value)


@dataclass(frozen=True)
class NewLine:
    """A claim line to add, before it is a row."""

    order_id: str
    charge_line_id: str | None
    kind: str
    description: str
    quantity: int
    unit_fen: int
    amount_fen: int
    schedule_fen: int
    part_id: str | None = None
    old_part_id: str | None = None
    old_part_tag: str = ""


def local_day(when: datetime) -> date:
    return when.astimezone().date()


def service_date(order: ServiceOrder) -> date:
    """The day the warranty is judged on: the day the customer called, as the payer of each
    line is decided (``app.services.payers.service_date``). A claim served after the warranty
    end is one whose data changed since its payers were set (a purchase date corrected from
    the invoice, a policy with a shorter period): the checks hold it against today's data."""
    return local_day(order.called_at)


def _utc_bounds(period: str) -> tuple[datetime, datetime]:
    start, end = period_bounds(period)
    tz = datetime.now().astimezone().tzinfo
    return (datetime.combine(start, time(), tz).astimezone(UTC),
            datetime.combine(end, time(), tz).astimezone(UTC))


def claimed_orders(s: Session, exclude_batch: str | None = None) -> dict[str, str]:
    """order id -> number of the batch that already claims it (other than ``exclude_batch``)."""
    stmt = (select(ClaimLine.order_id, ClaimBatch.number)
            .join(ClaimBatch, ClaimBatch.id == ClaimLine.batch_id))
    if exclude_batch:
        stmt = stmt.where(ClaimLine.batch_id != exclude_batch)
    return {oid: number for oid, number in s.execute(stmt)}


def has_maker_lines(order: ServiceOrder) -> bool:
    return any(c.payer == Payer.MAKER.value and c.kind in CLAIMABLE_KINDS
               for c in order.charge_lines)


def candidates(s: Session, period: str, batch_id: str | None) -> list[ServiceOrder]:
    """Finished orders completed in ``period`` (local calendar) with a maker-paid claimable
    line, not claimed in any batch yet (nor already in ``batch_id``), oldest first."""
    start, end = _utc_bounds(period)
    maker = (select(ChargeLine.order_id)
             .where(ChargeLine.payer == Payer.MAKER.value,
                    ChargeLine.kind.in_(CLAIMABLE_KINDS)))
    taken = select(ClaimLine.order_id)
    stmt = (select(ServiceOrder)
            .where(ServiceOrder.status.in_(DONE_STATES),
                   ServiceOrder.cleared_at >= start, ServiceOrder.cleared_at < end,
                   ServiceOrder.id.in_(maker), ServiceOrder.id.not_in(taken))
            .order_by(ServiceOrder.cleared_at, ServiceOrder.number))
    return list(s.scalars(stmt))


def lines_for(s: Session, policy: WarrantyPolicy, order: ServiceOrder) -> list[NewLine]:
    """The claim lines of one order's maker-paid charges.

    Labour: one line, the order's maker-paid labour, against the schedule's fee for the
    service type and the model's category. Travel: one line against the fee of the band of
    ``travel_km``. Parts: per catalogue part, one line of one unit per old part collected for
    it (its tag backs the claim) and one line for any units without an old part, each unit at
    the catalogue's station price. Without a schedule for a line (no policy, no fee, no
    distance) the line's schedule is its own amount: nothing to hold it against."""
    maker = [c for c in order.charge_lines if c.payer == Payer.MAKER.value]
    model = order.product.model if order.product is not None else ""
    out: list[NewLine] = []
    labour = [c for c in maker if c.kind == ChargeKind.LABOUR.value]
    if labour:
        amount = sum(c.quantity * c.unit_price_fen for c in labour)
        try:
            fee = policy.labour_fee(model, OrderType(order.order_type))
        except ValueError:
            fee = None
        out.append(NewLine(order.id, labour[0].id, ChargeKind.LABOUR.value,
                           "；".join(c.description for c in labour)[:200], 1, amount, amount,
                           amount if fee is None else fee))
    for c in (c for c in maker if c.kind == ChargeKind.PARTS.value):
        part = s.get(Part, c.part_id) if c.part_id else None
        unit = part.station_price_fen if part is not None else c.unit_price_fen
        olds = list(s.scalars(select(OldPart).where(OldPart.charge_line_id == c.id)
                              .order_by(OldPart.tag_no)))[:c.quantity]
        for old in olds:
            out.append(NewLine(order.id, c.id, ChargeKind.PARTS.value, c.description, 1, unit,
                               unit, unit, c.part_id, old.id, old.tag_no))
        rest = c.quantity - len(olds)
        if rest > 0:
            out.append(NewLine(order.id, c.id, ChargeKind.PARTS.value, c.description, rest,
                               unit, unit * rest, unit * rest, c.part_id))
    travel = [c for c in maker if c.kind == ChargeKind.TRAVEL.value]
    if travel:
        amount = sum(c.quantity * c.unit_price_fen for c in travel)
        fee = policy.travel_fee(order.travel_km)
        out.append(NewLine(order.id, travel[0].id, ChargeKind.TRAVEL.value,
                           "；".join(c.description for c in travel)[:200], 1, amount, amount,
                           amount if fee is None else fee))
    return out


# -- the facts the checks judge ------------------------------------------------------------------


def _serial_key(serial: str) -> str:
    return (serial or "").strip().upper()


def _part_nos(s: Session, lines: Iterable[ChargeLine]) -> frozenset[str]:
    ids = {c.part_id for c in lines if c.part_id and c.kind == ChargeKind.PARTS.value}
    if not ids:
        return frozenset()
    return frozenset(s.scalars(select(Part.part_no).where(Part.id.in_(ids))))


def _phone(s: Session, order: ServiceOrder) -> str:
    if (order.contact_phone or "").strip():
        return order.contact_phone
    return s.scalar(select(CustomerPhone.number)
                    .where(CustomerPhone.customer_id == order.customer_id)
                    .order_by(CustomerPhone.position).limit(1)) or ""


def _earlier(s: Session, order: ServiceOrder) -> tuple[EarlierRepair, ...]:
    """Finished orders of a unit with the same serial, completed before this one was called."""
    product = order.product
    key = _serial_key(product.serial_no if product else "")
    if not key:
        return ()
    products = select(Product.id).where(func.upper(func.trim(Product.serial_no)) == key)
    rows = s.scalars(select(ServiceOrder).where(
        ServiceOrder.product_id.in_(products), ServiceOrder.id != order.id,
        ServiceOrder.status.in_(DONE_STATES), ServiceOrder.cleared_at.is_not(None),
        ServiceOrder.cleared_at <= order.called_at))
    return tuple(EarlierRepair(o.number, local_day(o.cleared_at), _part_nos(s, o.charge_lines),
                               o.fault_description or "") for o in rows)


def facts_of(s: Session, policy: WarrantyPolicy, batch: ClaimBatch) -> dict[str, ClaimFacts]:
    """line id -> the facts of that line of ``batch``."""
    lines = sorted(batch.lines, key=lambda x: x.position)
    elsewhere = claimed_orders(s, exclude_batch=batch.id)
    tags = [x.old_part_tag for x in lines if x.old_part_tag]
    tag_batches: dict[str, list[tuple[str, str]]] = defaultdict(list)
    if tags:
        for line_id, tag, number in s.execute(
                select(ClaimLine.id, ClaimLine.old_part_tag, ClaimBatch.number)
                .join(ClaimBatch, ClaimBatch.id == ClaimLine.batch_id)
                .where(ClaimLine.old_part_tag.in_(tags))):
            tag_batches[tag].append((line_id, number))
    orders: dict[str, tuple[ServiceOrder, tuple[EarlierRepair, ...], frozenset[str], str]] = {}
    first: dict[str, str] = {}
    seen_keys: set[tuple[str, str, str | None, str | None]] = set()
    out: dict[str, ClaimFacts] = {}
    for line in lines:
        if line.order_id not in orders:
            order = s.get(ServiceOrder, line.order_id)
            assert order is not None  # a foreign key
            orders[line.order_id] = (order, _earlier(s, order),
                                     _part_nos(s, order.charge_lines), _phone(s, order))
            first[line.order_id] = line.id
        order, earlier, part_nos, phone = orders[line.order_id]
        product = order.product
        if line.kind == ChargeKind.PARTS.value:
            key = (line.order_id, line.kind, line.charge_line_id, line.old_part_id)
        else:
            key = (line.order_id, line.kind, None, None)
        twin = key in seen_keys
        seen_keys.add(key)
        part = s.get(Part, line.part_id) if line.part_id else None
        served = service_date(order)
        ends = _ends(policy, order, product, part, served)
        others = [n for lid, n in tag_batches.get(line.old_part_tag, []) if lid != line.id]
        out[line.id] = ClaimFacts(
            line_id=line.id, order_id=order.id, order_number=order.number, kind=line.kind,
            amount_fen=line.amount_fen, schedule_fen=line.schedule_fen,
            first_of_order=first[line.order_id] == line.id, phone=phone,
            serial=product.serial_no if product else "",
            purchase_date=product.purchase_date if product else None,
            invoice_no=product.invoice_no if product else "",
            called_at=order.called_at, responded_at=order.responded_at,
            arrived_at=order.arrived_at, completed_at=order.cleared_at, service_date=served,
            warranty_ends=ends, fault=order.fault_description or "", part_nos=part_nos,
            earlier=earlier, part_no=part.part_no if part else "",
            return_required=bool(part and part.return_required),
            old_part_tag=line.old_part_tag, other_batch=elsewhere.get(order.id, ""),
            twin_in_batch=twin, tag_elsewhere=others[0] if others else "")
    return out


def _ends(policy: WarrantyPolicy, order: ServiceOrder, product: Product | None,
          part: Part | None, on: date) -> date | None:
    if product is None:
        return None
    if part is not None:
        cover = part_coverage(policy, product.model, part.part_no, part.warranty_months,
                              product.purchase_date, product.invoice_no,
                              product.warranty_months, on)
    else:
        cover = unit_coverage(policy, product.model, product.purchase_date, product.invoice_no,
                              product.warranty_months, on)
    return cover.ends_on
