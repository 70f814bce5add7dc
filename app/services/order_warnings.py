"""Warnings before an order is saved: things that are allowed but usually a mistake.

* an on-site order (上门) with no address to go to;
* a product serial number that already has open orders (a duplicate call?).

``order_warnings(s, new_or_edit)`` finds them; ``OrderService.create`` refuses with
``WarningsPending`` unless the clerk acknowledged every kind found with a reason (``Ack``);
the reason is kept in the audit log beside the new order (``ACK_ACTION``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import validation as v
from app.domain.enums import OrderStatus, ServiceMode
from app.domain.errors import RuleViolation
from app.services import text_input as t
from app.services.context import Actor
from app.services.journal import record
from app.store.models import Customer, Product, ServiceOrder

#: the audit action that keeps the clerk's reason for going on despite warnings
ACK_ACTION = "acknowledge_warnings"
#: at most this many open orders are listed in a warning
MAX_LISTED = 20
OPEN_STATES = tuple(s.value for s in OrderStatus if s.open)


class WarningKind(StrEnum):
    NO_ADDRESS = "no_address"  # 上门服务没有地址
    OPEN_ORDERS = "open_orders"  # 该序列号已有未结工单


@dataclass(frozen=True)
class OpenOrderRef:
    """An open order the warning lists (the UI offers to open it)."""

    id: str
    number: str
    status: OrderStatus


@dataclass(frozen=True)
class OrderWarning:
    """``template``/``params`` render like a ``RuleViolation`` (``app.i18n.render``)."""

    kind: WarningKind
    template: str
    params: dict[str, Any] = field(default_factory=dict)
    field: str | None = None
    orders: tuple[OpenOrderRef, ...] = ()


@dataclass(frozen=True)
class Ack:
    """The clerk goes on despite the warnings of ``kinds``, for ``reason`` (kept in the audit)."""

    reason: str
    kinds: frozenset[WarningKind] = frozenset(WarningKind)

    @classmethod
    def of(cls, warnings: list[OrderWarning], reason: str) -> Ack:
        return cls(reason, frozenset(w.kind for w in warnings))


class WarningsPending(RuleViolation):
    """The order has warnings nobody acknowledged; nothing was stored."""

    def __init__(self, warnings: list[OrderWarning]) -> None:
        self.warnings = tuple(warnings)
        super().__init__("Check before saving: {warnings}", field=warnings[0].field,
                         warnings=tuple(_as_rule(w) for w in warnings))


def _as_rule(w: OrderWarning) -> RuleViolation:
    return RuleViolation(w.template, field=w.field, **w.params)


def order_warnings(
    s: Session, *, service_mode: ServiceMode, service_address: str,
    customer_id: str | None, customer_address: str, product_id: str | None, serial_no: str,
    exclude_order_ids: tuple[str, ...] = (),
) -> list[OrderWarning]:
    """The warnings for an order with these values (read in ``s``; nothing written)."""
    found: list[OrderWarning] = []
    address = service_address.strip()
    if not address and customer_id is not None:
        address = (s.scalar(select(Customer.address).where(Customer.id == customer_id))
                   or "").strip()
    elif not address:
        address = customer_address.strip()
    if ServiceMode(service_mode) is ServiceMode.ON_SITE and not address:
        found.append(OrderWarning(
            WarningKind.NO_ADDRESS,
            "An on-site order has no address: the technician will not know where to go.",
            field="service_address"))
    serial = serial_no.strip().upper()
    if not serial and product_id is not None:
        serial = s.scalar(select(Product.serial_no).where(Product.id == product_id)) or ""
    if serial:
        query = (
            select(ServiceOrder.id, ServiceOrder.number, ServiceOrder.status)
            .join(Product, ServiceOrder.product_id == Product.id)
            .where(Product.serial_no == serial, ServiceOrder.status.in_(OPEN_STATES))
            .order_by(ServiceOrder.called_at.desc())
            .limit(MAX_LISTED)
        )
        if exclude_order_ids:
            query = query.where(ServiceOrder.id.not_in(exclude_order_ids))
        refs = tuple(OpenOrderRef(r.id, r.number, OrderStatus(r.status)) for r in s.execute(query))
        if refs:
            listed = tuple(r.number for r in refs)
            found.append(OrderWarning(
                WarningKind.OPEN_ORDERS,
                "Serial number {serial} already has {count} open orders: {orders}.",
                {"serial": serial, "count": len(refs), "orders": listed},
                field="serial_no", orders=refs))
    return found


def check_acknowledged(warnings: list[OrderWarning], ack: Ack | None) -> str:
    """Refuses (``WarningsPending``) unless every warning's kind is acknowledged with a
    reason; returns the reason (empty without warnings)."""
    if not warnings:
        return ""
    pending = [w for w in warnings if ack is None or w.kind not in ack.kinds]
    if pending:
        raise WarningsPending(pending)
    assert ack is not None
    return t.check_required(ack.reason, "ack_reason", "Reason for going on", v.MAX_TEXT,
                            multiline=True)


def record_acknowledgement(
    s: Session, actor: Actor, order: ServiceOrder, warnings: list[OrderWarning], reason: str
) -> None:
    """The audit entry that keeps what was warned and why the clerk went on (not synced)."""
    what = "; ".join(
        w.kind.value + (": " + ", ".join(f"{r.number} {r.status.value}" for r in w.orders)
                        if w.orders else "")
        for w in warnings
    )
    record(s, actor, action=ACK_ACTION, entity="service_order", entity_id=order.id,
           detail=f"{order.number} [{what}] {reason}")
