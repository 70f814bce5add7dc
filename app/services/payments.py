"""收款: what the customer pays for a completed order, and the day's cash summary (日结).

The amount due is derived from the order's customer-paid charge lines (``ChargeLine.payer``),
never typed. A payment takes at most what is still outstanding, by one of the payment
methods (挂账 for company customers); the station manager may waive what is left, with a
reason. Each entry: row + audit + outbox (entity ``order_payment``) in one transaction. The
day's summary adds the orders' payments to the counter sales' takings, per method.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import validation as v
from app.domain.enums import OrderStatus, Payer
from app.domain.errors import RuleViolation
from app.domain.parts import PaymentMethod
from app.domain.payments import Balance, Entry, PaymentKind, PaymentStatus, balance
from app.domain.permissions import Permission
from app.i18n import label, tr
from app.services import events
from app.services import text_input as t
from app.services.context import Actor
from app.services.errors import not_found
from app.services.journal import record, row_payload
from app.services.sales import SaleService, check_payment
from app.store.base import utcnow
from app.store.database import Database
from app.store.models import ChargeLine, OrderPayment, ServiceOrder, User

ENTITY = "order_payment"
MAX_REASON = 200
#: an order is paid for once its work is done
PAYABLE_STATES = frozenset({OrderStatus.COMPLETED, OrderStatus.VISITED, OrderStatus.CLOSED})


@dataclass(frozen=True)
class PaymentInfo:
    id: str
    kind: PaymentKind
    method: PaymentMethod | None
    amount_fen: int
    reason: str
    received_at: datetime
    received_by: str


@dataclass(frozen=True)
class OrderPayments:
    order_id: str
    number: str
    balance: Balance
    entries: list[PaymentInfo] = field(default_factory=list)

    @property
    def status(self) -> PaymentStatus:
        return self.balance.status


@dataclass(frozen=True)
class DaySummary:
    day: date
    #: per method: the orders' payments, the counter sales' takings
    orders: dict[PaymentMethod, int]
    sales: dict[PaymentMethod, int]
    waived_fen: int
    payments: int

    @property
    def total_fen(self) -> int:
        return sum(self.orders.values()) + sum(self.sales.values())

    def method_total(self, method: PaymentMethod) -> int:
        return self.orders[method] + self.sales[method]


def describe(state: OrderPayments) -> str:
    """The order's payment in words, for the paper and the order view: its status, what was
    paid by which method, what was waived and why, what is still open."""
    b = state.balance
    by_method: dict[PaymentMethod, int] = {}
    for e in state.entries:
        if e.kind is PaymentKind.PAYMENT and e.method is not None:
            by_method[e.method] = by_method.get(e.method, 0) + e.amount_fen
    parts = []
    if b.paid_fen:
        methods = tr(", ").join(f"{label(m)} ¥{v.format_fen(fen)}" for m, fen in by_method.items())
        parts.append(tr("paid ¥{amount} ({methods})", amount=v.format_fen(b.paid_fen),
                        methods=methods))
    reasons = tr("; ").join(e.reason for e in state.entries if e.kind is PaymentKind.WAIVER)
    if b.waived_fen:
        parts.append(tr("waived ¥{amount} ({reason})", amount=v.format_fen(b.waived_fen),
                        reason=reasons))
    if b.outstanding_fen:
        parts.append(tr("outstanding ¥{amount}", amount=v.format_fen(b.outstanding_fen)))
    if b.overpaid_fen:
        parts.append(tr("overpaid ¥{amount}", amount=v.format_fen(b.overpaid_fen)))
    return tr("{status}: {details}", status=label(state.status), details=tr("; ").join(parts)) \
        if parts else label(state.status)


def due_fen(lines: Iterable[ChargeLine]) -> int:
    """What the customer owes for an order: its lines the customer pays."""
    return sum(c.quantity * c.unit_price_fen for c in lines if c.payer == Payer.CUSTOMER.value)


class PaymentService:
    def __init__(self, db: Database, bus: events.ChangeBus, sales: SaleService,
                 clock: Callable[[], datetime] = utcnow, tz: tzinfo | None = None) -> None:
        self.db = db
        self.bus = bus
        self.sales = sales
        self.clock = clock
        self.tz = tz

    def state(self, order_id: str) -> OrderPayments:
        with self.db.read() as s:
            return order_payments(s, _order(s, order_id))

    def receive(self, actor: Actor, order_id: str, amount_fen: int,
                method: PaymentMethod | str) -> OrderPayments:
        """Records money taken from the customer (at most what is outstanding)."""
        chosen = check_payment(method)
        amount = v.check_range(amount_fen, "amount_fen", "Amount (fen)", 1, 10**12)
        now = self.clock()
        with self.db.write() as s:
            order = _order(s, order_id)
            _check_may_take(actor, order)
            _check_payable(order)
            outstanding = order_payments(s, order).balance.outstanding_fen
            if outstanding == 0:
                raise RuleViolation("Nothing is outstanding on order {number}.",
                                    field="amount_fen", number=order.number)
            if amount > outstanding:
                raise RuleViolation("{amount} yuan is more than the {outstanding} yuan "
                                    "outstanding.", field="amount_fen",
                                    amount=v.format_fen(amount),
                                    outstanding=v.format_fen(outstanding))
            self._add(s, actor, order, PaymentKind.PAYMENT, chosen.value, amount, "", now)
            result = order_payments(s, order)
        self.bus.publish({events.ORDERS, events.OUTBOX})
        return result

    def waive(self, actor: Actor, order_id: str, reason: str) -> OrderPayments:
        """The manager lets the customer off what is outstanding, saying why."""
        actor.require(Permission.PAYMENT_WAIVE)
        reason = t.check_required(reason, "reason", "Reason for waiving", MAX_REASON)
        now = self.clock()
        with self.db.write() as s:
            order = _order(s, order_id)
            _check_payable(order)
            outstanding = order_payments(s, order).balance.outstanding_fen
            if outstanding == 0:
                raise RuleViolation("Nothing is outstanding on order {number}.",
                                    field="reason", number=order.number)
            self._add(s, actor, order, PaymentKind.WAIVER, "", outstanding, reason, now)
            result = order_payments(s, order)
        self.bus.publish({events.ORDERS, events.OUTBOX})
        return result

    def day_summary(self, day: date) -> DaySummary:
        """日结: the day's takings per method, orders and counter sales apart."""
        zone = self.tz or self.clock().astimezone().tzinfo
        start = datetime.combine(day, time(0), zone).astimezone(UTC)
        end = datetime.combine(day + timedelta(days=1), time(0), zone).astimezone(UTC)
        orders = dict.fromkeys(PaymentMethod, 0)
        waived = count = 0
        with self.db.read() as s:
            rows = s.execute(select(OrderPayment.kind, OrderPayment.method,
                                    OrderPayment.amount_fen)
                             .where(OrderPayment.received_at >= start,
                                    OrderPayment.received_at < end)).all()
        for kind, method, amount in rows:
            if kind == PaymentKind.WAIVER.value:
                waived += amount
                continue
            orders[PaymentMethod(method)] += amount
            count += 1
        return DaySummary(day, orders, self.sales.takings(day, day), waived, count)

    def _add(self, s: Session, actor: Actor, order: ServiceOrder, kind: PaymentKind,
             method: str, amount: int, reason: str, now: datetime) -> None:
        row = OrderPayment(order_id=order.id, kind=kind.value, method=method,
                           amount_fen=amount, reason=reason, received_at=now,
                           received_by=actor.user_id or None, created_at=now, updated_at=now)
        s.add(row)
        s.flush()
        what = v.format_fen(amount)
        record(s, actor, action=kind.value, entity=ENTITY, entity_id=row.id,
               payload=row_payload(row),
               detail=f"{order.number} {what} {method or reason}"[:4000])


def _check_may_take(actor: Actor, order: ServiceOrder) -> None:
    """Clerks and the manager take payments; a technician only on his own order (on site)."""
    actor.require(Permission.PAYMENT_TAKE, assigned_to=order.technician_id)


def _check_payable(order: ServiceOrder) -> None:
    status = OrderStatus(order.status)
    if status not in PAYABLE_STATES:
        raise RuleViolation("Payment is taken once the order is completed; order {number} "
                            "is {status}.", field="status", number=order.number, status=status)


def _order(s: Session, order_id: str) -> ServiceOrder:
    t.check_key(order_id, "order_id", "Order")
    order = s.get(ServiceOrder, order_id)
    if order is None:
        raise not_found("order")
    return order


def order_payments(s: Session, order: ServiceOrder) -> OrderPayments:
    """The order's payments and balance, read in the caller's session."""
    due = due_fen(s.scalars(select(ChargeLine).where(ChargeLine.order_id == order.id)))
    rows = s.scalars(select(OrderPayment).where(OrderPayment.order_id == order.id)
                     .order_by(OrderPayment.received_at, OrderPayment.kind, OrderPayment.id)).all()
    names = dict(s.execute(select(User.id, User.display_name)
                           .where(User.id.in_({r.received_by for r in rows if r.received_by})))
                 .all()) if rows else {}
    entries = [PaymentInfo(r.id, PaymentKind(r.kind),
                           PaymentMethod(r.method) if r.method else None, r.amount_fen,
                           r.reason, r.received_at, names.get(r.received_by or "", ""))
               for r in rows]
    return OrderPayments(order.id, order.number,
                         balance(due, (Entry(e.kind, e.amount_fen) for e in entries)), entries)
