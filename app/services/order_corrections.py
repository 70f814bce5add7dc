"""Putting mistakes right on an order, with a trail: a repair record edited while the work
is still open, a record or photo voided with a reason (kept for the audit and head office,
left off the customer's paper), and the arrival and completion times entered afterwards.

Completion locks an order's records, photos and charges until it is reopened; the times
stay correctable by the technician or the manager (bounded: not before the call, not in the
future, completion not before arrival). Each change: rows + audit + outbox in one
transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from app.domain import validation as v
from app.domain.enums import OrderStatus
from app.domain.errors import RuleViolation
from app.domain.permissions import Permission
from app.services import events
from app.services import text_input as t
from app.services.context import Actor
from app.services.errors import not_found, stale
from app.services.journal import journal_order, record, row_payload
from app.store.base import utcnow
from app.store.database import Database
from app.store.models import Attachment, RepairRecord, ServiceOrder

if TYPE_CHECKING:
    from app.services.orders import OrderDetail, OrderService

MAX_VOID_REASON = 200
#: the states in which an order's work (records, photos, charges) may still change
WORK_STATES = frozenset({OrderStatus.RECEIVED, OrderStatus.ACCEPTED, OrderStatus.ASSIGNED,
                         OrderStatus.ON_SITE, OrderStatus.IN_WORKSHOP,
                         OrderStatus.WAITING_PARTS})
#: arrival happened once service started; its time may be corrected until the order closes
ARRIVED_STATES = frozenset({OrderStatus.ON_SITE, OrderStatus.IN_WORKSHOP,
                            OrderStatus.WAITING_PARTS, OrderStatus.COMPLETED,
                            OrderStatus.VISITED})
COMPLETED_STATES = frozenset({OrderStatus.COMPLETED, OrderStatus.VISITED})


def check_work_open(order: ServiceOrder) -> None:
    """Refuses a change of records, photos or charges once the work is completed."""
    status = OrderStatus(order.status)
    if status not in WORK_STATES:
        raise RuleViolation("The order is {status}: its repair records, photos and charges "
                            "are locked. Reopen it to change them.", field="status",
                            status=status)


class OrderCorrectionService:
    def __init__(self, db: Database, bus: events.ChangeBus, orders: OrderService,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.bus = bus
        self.orders = orders
        self.clock = clock

    def edit_record(self, actor: Actor, order_id: str, record_id: str, diagnosis: str,
                    actions: str, labour_minutes: int) -> OrderDetail:
        """Rewrites a repair record while the work is open (the old text stays in the audit)."""
        diagnosis, actions, labour_minutes = check_repair_text(diagnosis, actions,
                                                               labour_minutes)
        t.check_key(record_id, "record_id", "Repair record")
        with self.db.write() as s:
            order = _open_work(s, actor, order_id)
            rec = _record(s, order, record_id)
            before = f"{rec.diagnosis} / {rec.actions} / {rec.labour_minutes}"
            rec.diagnosis, rec.actions, rec.labour_minutes = diagnosis, actions, labour_minutes
            s.flush()
            record(s, actor, action="edit", entity="repair_record", entity_id=rec.id,
                   payload=row_payload(rec), detail=f"{order.number} was: {before}"[:4000])
        self.bus.publish({events.ORDERS, events.OUTBOX})
        return self.orders.detail(order_id, actor)

    def void_record(self, actor: Actor, order_id: str, record_id: str,
                    reason: str) -> OrderDetail:
        reason = t.check_required(reason, "reason", "Reason", MAX_VOID_REASON)
        t.check_key(record_id, "record_id", "Repair record")
        with self.db.write() as s:
            order = _open_work(s, actor, order_id)
            rec = _record(s, order, record_id)
            if rec.voided_at is not None:
                raise RuleViolation("This repair record is already voided.", field="record_id")
            _void(s, actor, order, rec, "repair_record", reason, self.clock())
        self.bus.publish({events.ORDERS, events.OUTBOX})
        return self.orders.detail(order_id, actor)

    def void_photo(self, actor: Actor, order_id: str, attachment_id: str,
                   reason: str) -> OrderDetail:
        reason = t.check_required(reason, "reason", "Reason", MAX_VOID_REASON)
        t.check_key(attachment_id, "attachment_id", "Photo")
        with self.db.write() as s:
            order = _open_work(s, actor, order_id)
            att = s.get(Attachment, attachment_id)
            if att is None or att.order_id != order.id:
                raise not_found("photo")
            if att.voided_at is not None:
                raise RuleViolation("This photo is already voided.", field="attachment_id")
            _void(s, actor, order, att, "attachment", reason, self.clock())
        self.bus.publish({events.ORDERS, events.OUTBOX})
        return self.orders.detail(order_id, actor)

    def set_times(self, actor: Actor, order_id: str, expected_revision: int, *,
                  arrived_at: datetime | None = None,
                  cleared_at: datetime | None = None) -> OrderDetail:
        """Enters the real arrival and/or completion time after the fact (UTC-aware)."""
        if arrived_at is None and cleared_at is None:
            raise RuleViolation("Enter the arrival or the completion time.", field="arrived_at")
        for value, name in ((arrived_at, "arrived_at"), (cleared_at, "cleared_at")):
            if value is not None and value.tzinfo is None:
                raise RuleViolation("The time must carry its time zone.", field=name)
        now = self.clock()
        with self.db.write() as s:
            order = _order(s, order_id)
            if order.revision != expected_revision:
                raise stale("order")
            actor.require(Permission.ORDER_TIMES, assigned_to=order.technician_id)
            status = OrderStatus(order.status)
            arrived = order.arrived_at if arrived_at is None else arrived_at
            cleared = order.cleared_at if cleared_at is None else cleared_at
            if arrived_at is not None and status not in ARRIVED_STATES:
                raise RuleViolation("The arrival time can be entered once service has started "
                                    "(the order is {status}).", field="arrived_at",
                                    status=status)
            if cleared_at is not None and status not in COMPLETED_STATES:
                raise RuleViolation("The completion time can be entered once the order is "
                                    "completed (it is {status}).", field="cleared_at",
                                    status=status)
            _check_bounds(order, arrived, cleared, now)
            changes = []
            if arrived_at is not None and arrived_at != order.arrived_at:
                changes.append(f"arrived_at {_iso(order.arrived_at)} -> {_iso(arrived_at)}")
                order.arrived_at = arrived_at
            if cleared_at is not None and cleared_at != order.cleared_at:
                changes.append(f"cleared_at {_iso(order.cleared_at)} -> {_iso(cleared_at)}")
                order.cleared_at = cleared_at
            if changes:
                journal_order(s, actor, order, "set_times", now)
                record(s, actor, action="set_times", entity="service_order",
                       entity_id=order.id, detail=f"{order.number}: " + "; ".join(changes))
        if changes:
            self.bus.publish({events.ORDERS, events.OUTBOX})
        return self.orders.detail(order_id, actor)


def _check_bounds(order: ServiceOrder, arrived: datetime | None, cleared: datetime | None,
                  now: datetime) -> None:
    called = order.called_at
    for value, name, label in ((arrived, "arrived_at", "arrival"),
                               (cleared, "cleared_at", "completion")):
        if value is None:
            continue
        if value < called:
            raise RuleViolation("The {what} time cannot be before the call ({called}).",
                                field=name, what=label,
                                called=called.astimezone().strftime("%Y-%m-%d %H:%M"))
        if value > now:
            raise RuleViolation("The {what} time cannot be in the future.", field=name,
                                what=label)
    if arrived is not None and cleared is not None and cleared < arrived:
        raise RuleViolation("The completion time cannot be before the arrival time.",
                            field="cleared_at")


def check_repair_text(diagnosis: str, actions: str, labour_minutes: int) -> tuple[str, str, int]:
    """A repair record's text as kept (a new record or a correction): the diagnosis or the
    actions, the minutes in range."""
    diagnosis = t.check_length(diagnosis, "diagnosis", "Diagnosis", v.MAX_TEXT, multiline=True)
    actions = t.check_length(actions, "actions", "Actions taken", v.MAX_TEXT, multiline=True)
    if not diagnosis and not actions:
        raise RuleViolation("Enter the diagnosis or the actions taken.", field="diagnosis")
    v.check_range(labour_minutes, "labour_minutes", "Labour minutes", 0, 10_000)
    return diagnosis, actions, labour_minutes


def _open_work(s: Session, actor: Actor, order_id: str) -> ServiceOrder:
    """The order whose work is corrected: the assigned technician's or the manager's, and
    still in a working state."""
    order = _order(s, order_id)
    actor.require(Permission.ORDER_CORRECT, assigned_to=order.technician_id)
    check_work_open(order)
    return order


def _void(s: Session, actor: Actor, order: ServiceOrder, row: RepairRecord | Attachment,
          entity: str, reason: str, now: datetime) -> None:
    """Marks the row void with who, when and why; audited and sent to head office."""
    row.voided_at, row.voided_by, row.void_reason = now, actor.user_id or None, reason
    s.flush()
    record(s, actor, action="void", entity=entity, entity_id=row.id,
           payload=row_payload(row), detail=f"{order.number}: {reason}")


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value is not None else "-"


def _order(s: Session, order_id: str) -> ServiceOrder:
    t.check_key(order_id, "order_id", "Order")
    order = s.get(ServiceOrder, order_id)
    if order is None:
        raise not_found("order")
    return order


def _record(s: Session, order: ServiceOrder, record_id: str) -> RepairRecord:
    rec = s.get(RepairRecord, record_id)
    if rec is None or rec.order_id != order.id:
        raise not_found("repair record")
    return rec
