"""Orders of parts to head office (零件订购): the manager drafts an order (PO-...), edits it
while it is a draft, submits it (from then on it travels to head office as the station-owned
``parts_order`` record, its lines inline) or cancels it; head office confirms and ships it
(``parts_order_update``, applied here by ``apply_update``); staff receive what arrived, in
part or whole, each receipt a RECEIVED movement of the stock ledger. Also the quantities the
stock suggests ordering.

Who may do what: drafting, editing, submitting and cancelling spend the station's money with
head office, so only the station manager (站长) does them; receiving is goods-in work at the
counter, done by the clerk (信息员) or the manager; technicians do neither (they take parts
from stock, they do not book deliveries).

A draft is the manager's scratchpad and stays at the station (audit only); from submission on
every change writes the outbox row in the same transaction as the change.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.domain.errors import RuleViolation
from app.domain.parts import (
    MAX_REASON,
    DocumentPrefix,
    MovementKind,
    PartsOrderStatus,
    part_id,
)
from app.domain.permissions import Permission
from app.services import events
from app.services import stock_ledger as ledger
from app.services import text_input as t
from app.services.context import SYSTEM, Actor
from app.services.errors import not_found, stale
from app.services.journal import record, row_payload
from app.store.base import utcnow
from app.store.database import Database
from app.store.models import (
    Part,
    PartSetting,
    PartsOrder,
    PartsOrderLine,
    StockMovement,
    StockReservation,
)

#: the outbox entity of an order (a station-owned RECORD in sync/entities.py)
ENTITY = "parts_order"
#: ChangeBus kinds this service announces
PARTS_ORDERS = "parts_orders"
PARTS = "parts"
STOCK = "stock"
MAX_LINES = 200

_OPEN_STATES = frozenset({PartsOrderStatus.DRAFT, PartsOrderStatus.SUBMITTED,
                          PartsOrderStatus.CONFIRMED, PartsOrderStatus.SHIPPED,
                          PartsOrderStatus.PARTLY_RECEIVED})
_CANCELLABLE = frozenset({PartsOrderStatus.DRAFT, PartsOrderStatus.SUBMITTED})
_RECEIVABLE = frozenset({PartsOrderStatus.SHIPPED, PartsOrderStatus.PARTLY_RECEIVED})
_SELLABLE = tuple(k.value for k in MovementKind if k.sellable)


@dataclass(frozen=True)
class LineInput:
    """One line as typed: the part (its number, or its id) and a whole number of units."""

    part: str
    quantity: int


@dataclass(frozen=True)
class LineInfo:
    id: str
    part_id: str
    part_no: str
    name: str
    unit: str
    quantity: int
    confirmed_quantity: int | None
    shipped_quantity: int
    received_quantity: int

    @property
    def awaiting(self) -> int:
        """Shipped by head office and not yet received here."""
        return self.shipped_quantity - self.received_quantity


@dataclass(frozen=True)
class PartsOrderDetail:
    id: str
    number: str
    revision: int
    status: PartsOrderStatus
    note: str
    hq_note: str
    created_at: datetime
    submitted_at: datetime | None
    confirmed_at: datetime | None
    shipped_at: datetime | None
    lines: list[LineInfo]

    @property
    def editable(self) -> bool:
        return self.status is PartsOrderStatus.DRAFT

    @property
    def receivable(self) -> bool:
        return self.status in _RECEIVABLE and any(line.awaiting for line in self.lines)


@dataclass(frozen=True)
class PartsOrderRow:
    id: str
    number: str
    status: PartsOrderStatus
    created_at: datetime
    submitted_at: datetime | None
    lines: int
    quantity: int
    received: int


class SuggestReason(StrEnum):
    LOW_STOCK = "low_stock"  # 低于库存下限
    WAITING_ORDERS = "waiting_orders"  # 有工单待件


#: what each reason says, for ``tr()`` (the Chinese is in app/i18n/locale/zh_CN/LC_MESSAGES/parts_orders.po)
REASON_TEXT = {
    SuggestReason.LOW_STOCK: "At or below its low-stock threshold",
    SuggestReason.WAITING_ORDERS: "Orders are waiting for it",
}


@dataclass(frozen=True)
class Suggestion:
    """What the stock suggests ordering of one part, and the figures behind it."""

    part_id: str
    part_no: str
    name: str
    unit: str
    on_hand: int
    reserved: int
    #: ordered and not yet received (drafts included, so nothing is ordered twice)
    on_order: int
    threshold: int
    #: service orders holding reservations of the part
    waiting_orders: int
    quantity: int
    reasons: tuple[SuggestReason, ...]


def suggested_quantity(on_hand: int, reserved: int, on_order: int, threshold: int) -> int:
    """How many units to order so the shelf is comfortable again.

    What is free for new work is ``on_hand - reserved``, and what is already on its way
    counts as if it had come (``+ on_order``). A part at or below its low-stock threshold is
    ordered up to twice the threshold: one threshold is the safety stock, the second covers
    the use until the next delivery, so a part is not re-ordered every few days. A part
    without a threshold is ordered only to cover the orders waiting for it."""
    projected = on_hand - reserved + on_order
    if threshold > 0 and projected <= threshold:
        return 2 * threshold - projected
    return max(0, -projected)


class PartsOrderService:
    def __init__(
        self, db: Database, bus: events.ChangeBus, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.db = db
        self.bus = bus
        self.clock = clock

    # -- reading ------------------------------------------------------------------------------
    def detail(self, parts_order_id: str) -> PartsOrderDetail:
        with self.db.read() as s:
            return _detail(s, self._load(s, parts_order_id))

    def find_by_number(self, number: str) -> PartsOrderDetail:
        t.check_key(number, "number", "Parts order number")
        with self.db.read() as s:
            order = s.scalar(select(PartsOrder).where(
                PartsOrder.number == number.strip().upper()))
            if order is None:
                raise not_found("parts order")
            return _detail(s, order)

    def list_orders(
        self, status: PartsOrderStatus | None = None, limit: int = 500
    ) -> list[PartsOrderRow]:
        """Orders newest first, optionally of one status."""
        stmt = (select(PartsOrder, func.count(PartsOrderLine.id),
                       func.coalesce(func.sum(PartsOrderLine.quantity), 0),
                       func.coalesce(func.sum(PartsOrderLine.received_quantity), 0))
                .outerjoin(PartsOrderLine, PartsOrderLine.parts_order_id == PartsOrder.id)
                .group_by(PartsOrder.id)
                .order_by(PartsOrder.created_at.desc(), PartsOrder.number.desc())
                .limit(max(1, min(limit, 5000))))
        if status is not None:
            stmt = stmt.where(PartsOrder.status == PartsOrderStatus(status).value)
        with self.db.read() as s:
            return [PartsOrderRow(o.id, o.number, PartsOrderStatus(o.status), o.created_at,
                                  o.submitted_at, int(n), int(q), int(r))
                    for o, n, q, r in s.execute(stmt)]

    def suggest(self) -> list[Suggestion]:
        """Parts to order, by part number: those at or below their low-stock threshold and
        those service orders are waiting for (reservations the stock does not cover), each
        with ``suggested_quantity``. Parts head office no longer supplies are left out."""
        with self.db.read() as s:
            thresholds = {pid: int(q) for pid, q in s.execute(
                select(PartSetting.part_id, PartSetting.low_stock_threshold)
                .where(PartSetting.low_stock_threshold > 0))}
            held = {pid: (int(q), int(n)) for pid, q, n in s.execute(
                select(StockReservation.part_id, func.sum(StockReservation.quantity),
                       func.count(func.distinct(StockReservation.order_id)))
                .where(StockReservation.released_at.is_(None))
                .group_by(StockReservation.part_id))}
            candidates = sorted(set(thresholds) | {pid for pid, (q, _) in held.items() if q > 0})
            coming = _on_order(s)
            wanted: list[tuple[str, int, int]] = []  # (part, on hand, quantity)
            for chunk in _chunks(candidates, 500):
                # per-part sums read ix_stock_movements_part (which carries kind and quantity)
                stock = {pid: int(q) for pid, q in s.execute(
                    select(StockMovement.part_id, func.sum(StockMovement.quantity))
                    .where(StockMovement.part_id.in_(chunk), StockMovement.kind.in_(_SELLABLE))
                    .group_by(StockMovement.part_id))}
                for pid in chunk:
                    have = stock.get(pid, 0)
                    quantity = suggested_quantity(have, held.get(pid, (0, 0))[0],
                                                  coming.get(pid, 0), thresholds.get(pid, 0))
                    if quantity > 0:
                        wanted.append((pid, have, quantity))
            out = []
            for batch in _chunks(wanted, 500):
                parts = {p.id: p for p in s.scalars(select(Part).where(
                    Part.id.in_([pid for pid, _, _ in batch]), Part.active.is_(True)))}
                for pid, have, quantity in batch:
                    part = parts.get(pid)
                    if part is None:
                        continue
                    reserved, orders = held.get(pid, (0, 0))
                    threshold = thresholds.get(pid, 0)
                    reasons = []
                    if threshold > 0 and have - reserved <= threshold:
                        reasons.append(SuggestReason.LOW_STOCK)
                    if reserved > have:
                        reasons.append(SuggestReason.WAITING_ORDERS)
                    out.append(Suggestion(pid, part.part_no, part.name, part.unit, have,
                                          reserved, coming.get(pid, 0), threshold, orders,
                                          min(quantity, ledger.MAX_QUANTITY), tuple(reasons)))
        return sorted(out, key=lambda x: x.part_no)

    # -- the manager's drafts -------------------------------------------------------------------
    def create_draft(
        self, actor: Actor, lines: Sequence[LineInput] = (), note: str = ""
    ) -> PartsOrderDetail:
        """A new draft numbered PO-<station>-<yyyymmdd>-<nnnn> (lines may come later)."""
        actor.require(Permission.PARTS_ORDER)
        note = t.check_length(note, "note", "Note", MAX_REASON)
        _check_lines(lines)
        now = self.clock()
        with self.db.write() as s:
            resolved = _resolve(s, lines)
            order = PartsOrder(
                number=ledger.next_number(s, DocumentPrefix.PARTS_ORDER,
                                          now.astimezone().date()),
                status=PartsOrderStatus.DRAFT.value, created_by=actor.user_id or None,
                note=note, created_at=now, updated_at=now)
            order.lines = _lines(resolved)
            s.add(order)
            s.flush()
            _journal(s, actor, order, "create", now, bump=False)
            result = _detail(s, order)
        self.bus.publish({PARTS_ORDERS})
        return result

    def update_draft(
        self, actor: Actor, parts_order_id: str, lines: Sequence[LineInput], note: str,
        expected_revision: int,
    ) -> PartsOrderDetail:
        """Replaces a draft's lines and note as a whole (the editor saves the table)."""
        actor.require(Permission.PARTS_ORDER)
        note = t.check_length(note, "note", "Note", MAX_REASON)
        _check_lines(lines)
        now = self.clock()
        with self.db.write() as s:
            order = self._load(s, parts_order_id, expected_revision)
            _require_status(order, {PartsOrderStatus.DRAFT},
                            "Parts order {number} is {status}; only a draft can be edited.")
            resolved = _resolve(s, lines)
            order.lines = _lines(resolved)
            order.note = note
            s.flush()
            _journal(s, actor, order, "update", now)
            result = _detail(s, order)
        self.bus.publish({PARTS_ORDERS})
        return result

    def submit(
        self, actor: Actor, parts_order_id: str, expected_revision: int | None = None
    ) -> PartsOrderDetail:
        """Sends the draft to head office (at the next sync): from now on it travels."""
        actor.require(Permission.PARTS_ORDER)
        now = self.clock()
        with self.db.write() as s:
            order = self._load(s, parts_order_id, expected_revision)
            _require_status(order, {PartsOrderStatus.DRAFT},
                            "Parts order {number} is {status}; only a draft can be submitted.")
            if not order.lines:
                raise RuleViolation("Add at least one part before submitting the order.",
                                    field="lines")
            for line in order.lines:  # the catalogue may have changed since the draft
                part = s.get(Part, line.part_id)
                if part is None or not part.active:
                    raise RuleViolation("Part {part} is no longer supplied by head office.",
                                        field="lines", part=_name(part, line.part_id))
            order.status = PartsOrderStatus.SUBMITTED.value
            order.submitted_at = now
            _journal(s, actor, order, "submit", now)
            result = _detail(s, order)
        self.bus.publish({PARTS_ORDERS, events.OUTBOX})
        return result

    def cancel(
        self, actor: Actor, parts_order_id: str, reason: str,
        expected_revision: int | None = None,
    ) -> PartsOrderDetail:
        """Cancels a draft, or a submitted order head office has not confirmed yet. Once
        head office confirmed it, parts are being picked: settle it with head office."""
        actor.require(Permission.PARTS_ORDER)
        reason = t.check_required(reason, "reason", "Cancel reason", MAX_REASON)
        now = self.clock()
        with self.db.write() as s:
            order = self._load(s, parts_order_id, expected_revision)
            _require_status(order, _CANCELLABLE,
                            "Parts order {number} is {status}; only a draft or a submitted "
                            "order can be cancelled.")
            order.status = PartsOrderStatus.CANCELLED.value
            _journal(s, actor, order, "cancel", now, cancel_reason=reason)
            result = _detail(s, order)
        self.bus.publish({PARTS_ORDERS, events.OUTBOX})
        return result

    # -- goods in -------------------------------------------------------------------------------
    def receive(
        self, actor: Actor, parts_order_id: str, lines: Sequence[LineInput],
        expected_revision: int | None = None,
    ) -> PartsOrderDetail:
        """Books what arrived of a shipped order: one RECEIVED movement per line, never more
        than head office shipped and this station has not received yet. A receipt releases
        no reservation; orders waiting for the part can now be issued it."""
        actor.require(Permission.PARTS_RECEIVE)
        _check_lines(lines)
        if not lines:
            raise RuleViolation("Enter the quantity received of at least one part.",
                                field="lines")
        now = self.clock()
        with self.db.write() as s:
            order = self._load(s, parts_order_id, expected_revision)
            status = PartsOrderStatus(order.status)
            if status in (PartsOrderStatus.SUBMITTED, PartsOrderStatus.CONFIRMED,
                          PartsOrderStatus.DRAFT):
                raise RuleViolation("Nothing of parts order {number} has been shipped yet.",
                                    field="lines", number=order.number)
            _require_status(order, _RECEIVABLE,
                            "Parts order {number} is {status}; nothing more can be received "
                            "on it.")
            by_part = {line.part_id: line for line in order.lines}
            for part, quantity in _resolve(s, lines, active_only=False):
                line = by_part.get(part.id)
                if line is None:
                    raise RuleViolation("Part {part} is not on parts order {number}.",
                                        field="lines", part=_name(part, part.id),
                                        number=order.number)
                awaiting = line.shipped_quantity - line.received_quantity
                if quantity > awaiting:
                    raise RuleViolation(
                        "Only {awaiting} {unit} of {part} were shipped and not yet received; "
                        "{wanted} cannot be received.", field="lines", awaiting=awaiting,
                        unit=part.unit, part=_name(part, part.id), wanted=quantity)
                ledger.post(s, actor, part=part, kind=MovementKind.RECEIVED, quantity=quantity,
                            now=now, parts_order_id=order.id, reference=order.number)
                line.received_quantity += quantity
            order.status = derived_status(order).value
            _journal(s, actor, order, "receive", now)
            result = _detail(s, order)
        self.bus.publish({PARTS_ORDERS, PARTS, STOCK, events.OUTBOX})
        return result

    # -- internals ------------------------------------------------------------------------------
    def _load(self, s: Session, parts_order_id: str,
              expected_revision: int | None = None) -> PartsOrder:
        t.check_key(parts_order_id, "parts_order_id", "Parts order")
        order = s.get(PartsOrder, parts_order_id, options=[selectinload(PartsOrder.lines)])
        if order is None:
            raise not_found("parts order")
        if expected_revision is not None and order.revision != expected_revision:
            raise stale("parts order")
        return order


def derived_status(order: PartsOrder) -> PartsOrderStatus:
    """Where a submitted order stands from its lines: confirmed, shipped, partly received or
    received (everything head office confirmed has arrived)."""
    status = PartsOrderStatus(order.status)
    if status in (PartsOrderStatus.DRAFT, PartsOrderStatus.CANCELLED):
        return status
    lines = order.lines
    if all(line.confirmed_quantity is None for line in lines):
        return PartsOrderStatus.SUBMITTED
    confirmed = sum(line.confirmed_quantity or 0 for line in lines)
    received = sum(line.received_quantity for line in lines)
    if received and received >= confirmed:
        return PartsOrderStatus.RECEIVED
    if received:
        return PartsOrderStatus.PARTLY_RECEIVED
    if any(line.shipped_quantity for line in lines):
        return PartsOrderStatus.SHIPPED
    return PartsOrderStatus.CONFIRMED


# -- head office's confirmation and shipment (sync_apply.HANDLERS) -------------------------------


def apply_update(s: Session, change: Any, now: datetime) -> set[str]:
    """Applies a ``parts_order_update`` pulled from head office.

    The payload is head office's whole view of the order (each line's confirmed and shipped
    quantity so far), so applying it again, or from a snapshot, changes nothing. Shipped
    quantities only grow. An order the station cancelled stays cancelled and the clash
    becomes a conflict on both sides; an order this station does not have, likewise."""
    from app.services.sync_apply import CONFLICTS, add_conflict

    data = change.payload
    order = s.get(PartsOrder, str(data.get("parts_order_id") or change.entity_id)[:36])
    if order is None and data.get("number"):
        order = s.scalar(select(PartsOrder).where(PartsOrder.number == str(data["number"])))
    summary = _summary(data)
    if order is None:
        add_conflict(s, f"hq:{change.hq_seq}", "unknown_parts_order", ENTITY,
                     str(change.entity_id), "no such parts order at this station", summary,
                     now, hq_seq=change.hq_seq)
        return {CONFLICTS}
    status = PartsOrderStatus(order.status)
    if status in (PartsOrderStatus.CANCELLED, PartsOrderStatus.DRAFT):
        add_conflict(s, f"hq:{change.hq_seq}", "parts_order_cancelled", ENTITY, order.id,
                     f"{order.number}: {status.value} at the station",
                     f"{order.number}: head office {data.get('status')}: {summary}", now,
                     hq_seq=change.hq_seq)
        return {CONFLICTS}
    by_part = {line.part_id: line for line in order.lines}
    changed = False
    for item in data.get("lines") or []:
        line = by_part.get(str(item.get("part_id") or ""))
        if line is None:
            raise ValueError(f"{order.number} has no line of part {item.get('part_no')!r}")
        confirmed = _count(item.get("confirmed_quantity"), allow_none=True)
        shipped = _count(item.get("shipped_quantity")) or 0
        if confirmed is not None and confirmed != line.confirmed_quantity:
            line.confirmed_quantity = confirmed
            changed = True
        if shipped > line.shipped_quantity:
            line.shipped_quantity = shipped
            changed = True
    note = str(data.get("note") or "")[:MAX_REASON]
    if note != order.hq_note:
        order.hq_note = note
        changed = True
    for attr in ("confirmed_at", "shipped_at"):
        when = _when(data.get(attr))
        if when is not None and getattr(order, attr) != when:
            setattr(order, attr, when)
            changed = True
    new_status = derived_status(order)
    if new_status is not status:
        order.status = new_status.value
        changed = True
    if not changed:
        return set()
    _journal(s, SYSTEM, order, f"hq_{data.get('status') or 'update'}"[:32], now)
    return {PARTS_ORDERS, events.OUTBOX}


# -- helpers -------------------------------------------------------------------------------------


def _check_lines(lines: Sequence[LineInput]) -> None:
    if len(lines) > MAX_LINES:
        raise RuleViolation("A parts order holds at most {n} lines.", field="lines", n=MAX_LINES)
    for line in lines:
        t.check_key(line.part, "lines", "Part")
        ledger.check_quantity(line.quantity, "lines")


def _resolve(s: Session, lines: Sequence[LineInput],
             active_only: bool = True) -> list[tuple[Part, int]]:
    """Each line's catalogue part (by id or by part number), once per order."""
    out: list[tuple[Part, int]] = []
    seen: set[str] = set()
    for line in lines:
        key = (line.part or "").strip()
        if not key:
            raise RuleViolation("Choose the part of every line.", field="lines")
        part = s.get(Part, key[:36]) or s.get(Part, part_id(key))
        if part is None:
            raise RuleViolation("Part {part} is not in the catalogue.", field="lines",
                                part=key[:40])
        if active_only and not part.active:
            raise RuleViolation("Part {part} is no longer supplied by head office.",
                                field="lines", part=_name(part, part.id))
        if part.id in seen:
            raise RuleViolation("Part {part} is entered twice; enter it once with the whole "
                                "quantity.", field="lines", part=_name(part, part.id))
        seen.add(part.id)
        out.append((part, line.quantity))
    return out


def _lines(resolved: list[tuple[Part, int]]) -> list[PartsOrderLine]:
    return [PartsOrderLine(position=i, part_id=part.id, quantity=quantity)
            for i, (part, quantity) in enumerate(resolved)]


def _require_status(order: PartsOrder, allowed: Collection[PartsOrderStatus],
                    template: str) -> None:
    status = PartsOrderStatus(order.status)
    if status not in allowed:
        raise RuleViolation(template, field="status", number=order.number, status=status)


def _name(part: Part | None, fallback: str) -> str:
    return f"{part.part_no} {part.name}" if part is not None else fallback


def _journal(s: Session, actor: Actor, order: PartsOrder, action: str, now: datetime, *,
             bump: bool = True, **extra: Any) -> None:
    """Audit always; the outbox row once the order has left the draft (head office never
    sees the manager's scratchpad)."""
    base = order.revision if bump else 0
    if bump:
        order.revision += 1
        order.updated_at = now
    s.flush()
    pushed = order.status != PartsOrderStatus.DRAFT.value and (
        order.submitted_at is not None)
    payload = None
    if pushed:
        parts = {p.id: p for p in s.scalars(select(Part).where(
            Part.id.in_([line.part_id for line in order.lines])))}
        payload = row_payload(order, lines=[
            row_payload(line, part_no=parts[line.part_id].part_no if line.part_id in parts
                        else "") for line in order.lines], **extra)
    record(s, actor, action=f"parts_order.{action}"[:32], entity=ENTITY, entity_id=order.id,
           payload=payload, base_revision=base,
           detail=f"{order.number} {order.status} {extra.get('cancel_reason', '')}".strip())


def _detail(s: Session, order: PartsOrder) -> PartsOrderDetail:
    parts = {p.id: p for p in s.scalars(select(Part).where(
        Part.id.in_([line.part_id for line in order.lines])))}
    lines = []
    for line in order.lines:
        part = parts.get(line.part_id)
        lines.append(LineInfo(line.id, line.part_id, part.part_no if part else "",
                              part.name if part else "", part.unit if part else "",
                              line.quantity, line.confirmed_quantity, line.shipped_quantity,
                              line.received_quantity))
    return PartsOrderDetail(order.id, order.number, order.revision,
                            PartsOrderStatus(order.status), order.note, order.hq_note,
                            order.created_at, order.submitted_at, order.confirmed_at,
                            order.shipped_at, lines)


def _on_order(s: Session) -> dict[str, int]:
    """Per part: ordered (or, once head office confirmed, confirmed) and not yet received,
    over every order still open, drafts included."""
    out: dict[str, int] = defaultdict(int)
    rows = s.execute(
        select(PartsOrderLine.part_id, PartsOrderLine.quantity,
               PartsOrderLine.confirmed_quantity, PartsOrderLine.received_quantity)
        .join(PartsOrder, PartsOrder.id == PartsOrderLine.parts_order_id)
        .where(PartsOrder.status.in_([x.value for x in _OPEN_STATES])))
    for pid, quantity, confirmed, received in rows:
        wanted = quantity if confirmed is None else confirmed
        out[pid] += max(0, wanted - received)
    return dict(out)


def _chunks(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def _count(value: Any, allow_none: bool = False) -> int | None:
    if value is None and allow_none:
        return None
    if value is None:
        return 0
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= \
            ledger.MAX_QUANTITY:
        raise ValueError(f"not a quantity: {value!r}")
    return value


def _when(value: Any) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _summary(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True)[:2000]
