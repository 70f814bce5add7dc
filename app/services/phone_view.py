"""Phones as the acting user may read them: the services' side of ``app.domain.phone_mask``
(the policy and its table live there), and the manager's audited reveal (显示完整号码).

Each reading service passes what it returns through one of these before it leaves the
service, with the actor it was asked for (``viewer``): a customer summary, an order's
detail, a page of the orders list, a visit row. ``viewer`` None is the program itself
(sync, the demo, a command run by the station's owner at the console) and reads in full.

A reveal returns the full number and writes an audit entry in the same write transaction:
who (the entry's user), whose number (the customer or the order), when (the entry's time).
The entry holds no number and no name, only the order's number, so an erasure has nothing
of the person to remove from it beyond what it removes from every entry of the customer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.domain.enums import Role
from app.domain.errors import RuleViolation
from app.domain.permissions import Permission
from app.domain.phone_mask import Purpose, is_masked, kept, mask, shows_full
from app.domain.validation import check_phone
from app.services.context import Actor
from app.services.errors import not_found
from app.services.journal import record
from app.services.text_input import check_key
from app.store import sqlite_driver
from app.store.models import Customer, ServiceOrder

T = TypeVar("T")

#: the audit entry's action of a reveal
REVEAL_ACTION = "reveal_phone"


@dataclass(frozen=True)
class RevealedPhones:
    """An order's numbers in full: its contact phone and its customer's phones."""

    contact_phone: str
    phones: tuple[str, ...]


def full_for(viewer: Actor | None, purpose: Purpose, *, own: bool = False) -> bool:
    return viewer is None or shows_full(viewer.role, purpose, own=own)


def customer(summary: T, viewer: Actor | None, purpose: Purpose = Purpose.CUSTOMER, *,
             own: bool = False) -> T:
    """A customer summary (anything with ``phones``) as ``viewer`` may read it."""
    if full_for(viewer, purpose, own=own):
        return summary
    phones: tuple[str, ...] = summary.phones  # type: ignore[attr-defined]
    return dataclasses.replace(summary, phones=tuple(mask(p) for p in phones))  # type: ignore[type-var]


def order_detail(detail: T, viewer: Actor | None) -> T:
    """An order's detail (contact phone, customer's phones) as ``viewer`` may read it: in
    full for a technician on his own order (his 派工单), masked for the manager."""
    own = viewer is not None and bool(viewer.user_id) and (
        detail.technician_id == viewer.user_id)  # type: ignore[attr-defined]
    if full_for(viewer, Purpose.ORDER, own=own):
        return detail
    return dataclasses.replace(  # type: ignore[type-var]
        detail, contact_phone=mask(detail.contact_phone),  # type: ignore[attr-defined]
        customer=customer(detail.customer, viewer, Purpose.ORDER))  # type: ignore[attr-defined]


def order_rows(raw: sqlite_driver.Connection, rows: list[T], viewer: Actor | None) -> list[T]:
    """A page of the orders list (rows with ``id`` and ``contact_phone``): a technician reads
    his own orders' numbers in full (looked up for the page's ids), others' masked."""
    if full_for(viewer, Purpose.ORDER) or not rows:
        return rows
    assert viewer is not None
    own: set[str] = set()
    if Role(viewer.role) is Role.TECHNICIAN and viewer.user_id:
        ids = [r.id for r in rows]  # type: ignore[attr-defined]
        marks = ",".join("?" * len(ids))
        own = {r[0] for r in raw.execute(
            f"SELECT id FROM service_orders WHERE technician_id = ? AND id IN ({marks})",
            (viewer.user_id, *ids))}
    return [r if r.id in own  # type: ignore[attr-defined]
            else dataclasses.replace(r, contact_phone=mask(r.contact_phone))  # type: ignore
            for r in rows]


def field_rows(rows: Sequence[T], viewer: Actor | None, purpose: Purpose,
               name: str = "phone") -> list[T]:
    """Rows carrying one phone in the field ``name`` (a visit, a sale) for ``viewer``."""
    if full_for(viewer, purpose):
        return list(rows)
    return [dataclasses.replace(r, **{name: mask(getattr(r, name))})  # type: ignore[type-var]
            for r in rows]


def checked_contact(typed: str) -> str:
    """An edit's contact phone checked, a masked one left for ``unmasked_contact``."""
    return typed.strip() if is_masked(typed) else check_phone(typed, "contact_phone")


def unmasked_contact(typed: str, stored: str) -> str:
    """The contact phone to save: the stored one when the field still shows its mask."""
    if not is_masked(typed):
        return typed
    if (number := kept(typed, [stored])) is None:
        raise RuleViolation("Type the whole phone number: '{value}' is masked.",
                            field="contact_phone", value=typed[:30])
    return number


def new_order_contact(s: Session, new: T) -> T:
    """A new order whose contact phone is its chosen customer's masked number (the manager
    picked the customer from a masked search) takes the stored number; any other stays."""
    typed: str = new.contact_phone  # type: ignore[attr-defined]
    customer_id = new.customer_id  # type: ignore[attr-defined]
    if not is_masked(typed) or not customer_id:
        return new
    found = s.get(Customer, customer_id, options=[selectinload(Customer.phones)])
    number = kept(typed, [p.number for p in found.phones] if found else [])
    return dataclasses.replace(new, contact_phone=number) if number else new  # type: ignore


def _audit(s: Session, actor: Actor, entity: str, entity_id: str, detail: str) -> None:
    record(s, actor, action=REVEAL_ACTION, entity=entity, entity_id=entity_id, detail=detail)


def reveal_customer(s: Session, actor: Actor, customer_id: str) -> tuple[str, ...]:
    """The customer's phones in full, the reveal recorded in ``s`` (a write transaction)."""
    actor.require(Permission.PHONE_REVEAL)
    check_key(customer_id, "customer_id", "Customer")
    found = s.get(Customer, customer_id, options=[selectinload(Customer.phones)])
    if found is None:
        raise not_found("customer")
    _audit(s, actor, "customer", found.id, "phones")
    return tuple(p.number for p in found.phones)


def reveal_order(s: Session, actor: Actor, order_id: str) -> RevealedPhones:
    """The order's contact phone and its customer's phones in full, the reveal recorded."""
    actor.require(Permission.PHONE_REVEAL)
    check_key(order_id, "order_id", "Order")
    order = s.scalar(select(ServiceOrder).where(ServiceOrder.id == order_id))
    if order is None:
        raise not_found("order")
    phones = s.get(Customer, order.customer_id, options=[selectinload(Customer.phones)])
    _audit(s, actor, "service_order", order.id,
           f"{order.number} contact phone, customer {order.customer_id}")
    return RevealedPhones(order.contact_phone,
                          tuple(p.number for p in phones.phones) if phones else ())


def reveals(s: Session, entity_id: str) -> list[Any]:
    """The audit entries of the reveals of one customer's or order's numbers (for tests and
    the audit's readers), oldest first."""
    from app.store.models import AuditEntry

    return list(s.scalars(select(AuditEntry).where(
        AuditEntry.action == REVEAL_ACTION, AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.at)))
