"""Applies head-office changes (pulled pages, snapshots) to the station store.

Runs inside the caller's transaction (``sync_store.apply_page`` stores the cursor in the same
one). Ownership decides every clash, never the wall clock:
- a dispatched order becomes a ServiceOrder with source head_office, its customer and product
  linked (by id, else by phone and name, else by serial) or created as station records;
- an HQ edit applies only when the station has not changed the order since the revision head
  office based the edit on (or since head office's previous change); otherwise the station's
  edit stands and head office's becomes a conflict for a person;
- a cancel goes through the state machine; an order the station already completed stays
  completed and the cancel becomes a conflict;
- notices are stored (their read mark kept);
- catalogue parts replace older revisions of themselves (``app.services.parts_sync``).
Every step is idempotent, so a page re-applied after a crash or a snapshot changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import state_machine as sm
from app.domain import validation as v
from app.domain.enums import OrderSource, OrderStatus, OrderType, ServiceMode
from app.services import conflict_fields as cf
from app.services import events, old_parts, parts_orders, parts_sync, warranty_policy
from app.services.claims_sync import apply_decision, apply_settlement
from app.services.context import SYSTEM
from app.services.customers import customer_payload
from app.services.journal import record, row_payload
from app.services.notifications_sync import apply_state as apply_notification_state
from app.services.order_parts import release_order_reservations
from app.services.relay_apply import apply_relayed
from app.store.base import new_id
from app.store.models import (
    Customer,
    CustomerPhone,
    HqOrderLink,
    Notice,
    Product,
    ServiceOrder,
    SyncConflict,
)
from sync import protocol as p
from sync.entities import relayed

NOTICES = "notices"
CONFLICTS = "conflicts"

#: an order in one of these states is the station's finished work; a late cancel cannot undo it
DONE_STATES = frozenset({OrderStatus.COMPLETED, OrderStatus.VISITED, OrderStatus.CLOSED})

Handler = Callable[[Session, p.Change, datetime], set[str]]


def apply_change(s: Session, change: p.Change, now: datetime) -> set[str]:
    """Applies one change; returns the kinds of data it touched (for ``ChangeBus``)."""
    if change.relayed or relayed(change.entity):
        # another device's op (a station entity is never a head-office change, op_id or not)
        return apply_relayed(s, change, now)
    handler = HANDLERS.get(change.entity)
    if handler is None:
        # never dropped silently: a person sees what this version could not understand
        add_conflict(s, f"hq:{change.hq_seq}", "unknown_change", change.entity,
                     change.entity_id, "", _summary(change.payload), now)
        return {CONFLICTS}
    return handler(s, change, now)


def add_conflict(
    s: Session, source_key: str, kind: str, entity: str, entity_id: str,
    local: str, remote: str, now: datetime, *, hq_seq: int | None = None,
    fields: dict[str, dict[str, str | None]] | None = None,
) -> bool:
    """Records a conflict once per source (re-applying the same change adds nothing).

    A conflict found while applying a head-office change (``hq_seq`` given) is also pushed
    as a ``sync_conflict`` event, so the person at head office sees the same record.
    ``fields`` (a stale edit's fields side by side, ``conflict_fields.side_by_side``) are
    stored and sent with it.
    """
    if s.scalar(select(SyncConflict.id).where(SyncConflict.source_key == source_key)):
        return False
    conflict = SyncConflict(source_key=source_key, kind=kind, entity=entity,
                            entity_id=entity_id[:36], local_summary=local[:4000],
                            remote_summary=remote[:4000], created_at=now,
                            fields=json.dumps(fields, ensure_ascii=False) if fields else "")
    s.add(conflict)
    s.flush()
    payload = None
    if hq_seq is not None:
        payload = {"kind": kind, "subject_entity": entity, "subject_id": entity_id[:36],
                   "detail": f"{local} / {remote}"[:2000], "hq_seq": hq_seq}
        if fields:
            payload["fields"] = fields
    record(s, SYSTEM, action="sync_conflict", entity="sync_conflict", entity_id=conflict.id,
           payload=payload, op=p.OpKind.EVENT.value, detail=f"{kind}: {remote[:500]}")
    return True


# -- dispatch ------------------------------------------------------------------------------------


def _dispatch(s: Session, change: p.Change, now: datetime) -> set[str]:
    data = change.payload
    order_id = str(data.get("order_id") or change.entity_id)
    existing = s.get(ServiceOrder, order_id)
    if existing is not None:
        link = s.get(HqOrderLink, order_id)
        if link is None:
            # another device of the station made the order from this dispatch (its ops
            # brought it): what head office edited since then, that device may never have
            # pulled (revoked before it did), so the edits are applied here as on it
            fields = {k: data[k] for k in p.HQ_EDITABLE_ORDER_FIELDS if k in data}
            ours = cf.order_values(existing)
            edited = int(data.get("hq_revision", 1)) > 1 and any(
                ours.get(k) != cf.as_applied(k, val) for k, val in fields.items())
            link = HqOrderLink(order_id=order_id,
                               hq_revision=1 if edited else int(data.get("hq_revision", 1)),
                               applied_revision=1, last_hq_seq=change.hq_seq)
            cf.remember_hq_values(link, data)
            s.add(link)
            s.flush()  # the page runs without autoflush: a later change must find the link
            if not edited:
                return set()
            return _order_update(s, p.Change(
                change.hq_seq, p.HqEntity.ORDER_UPDATE.value, order_id, "upsert",
                {"order_id": order_id, "base_revision": 1,
                 "hq_revision": int(data["hq_revision"]), "fields": fields}), now)
        if int(data.get("hq_revision", 0)) > link.hq_revision:
            # a snapshot carries head office's edits merged into the dispatch: apply them
            # as an edit based on what head office last gave us
            edit = p.Change(change.hq_seq, p.HqEntity.ORDER_UPDATE.value, order_id, "upsert", {
                "order_id": order_id, "base_revision": 0,
                "hq_revision": int(data["hq_revision"]),
                "fields": {k: data[k] for k in p.HQ_EDITABLE_ORDER_FIELDS if k in data}})
            return _order_update(s, edit, now)
        return set()
    customer = _customer_for(s, data.get("customer") or {})
    product_id = _product_for(s, customer, data.get("product"))
    number = str(data.get("number") or data.get("hq_reference") or order_id)[:40]
    if s.scalar(select(ServiceOrder.id).where(ServiceOrder.number == number)):
        number = f"{number[:37]}-HQ"
    phone = v.normalize_phone(str(data.get("contact_phone") or ""))[:32]
    order = ServiceOrder(
        id=order_id, number=number,
        order_type=_enum(OrderType, data.get("order_type"), OrderType.REPAIR),
        source=OrderSource.HEAD_OFFICE.value,
        service_mode=_enum(ServiceMode, data.get("service_mode"), ServiceMode.ON_SITE),
        status=OrderStatus.RECEIVED.value, customer_id=customer.id, product_id=product_id,
        contact_phone=phone, contact_digits=v.phone_digits(phone),
        service_address=str(data.get("service_address") or customer.address)[:200],
        fault_description=str(data.get("fault_description") or "")[:4000],
        hq_reference=str(data.get("hq_reference") or "")[:64],
        called_at=_when(data.get("called_at"), now), revision=1,
        created_at=now, updated_at=now,
    )
    s.add(order)
    s.flush()
    link = HqOrderLink(order_id=order.id, hq_revision=int(data.get("hq_revision", 1)),
                       applied_revision=order.revision, last_hq_seq=change.hq_seq)
    cf.remember_hq_values(link, cf.order_values(order))
    s.add(link)
    # the page runs without autoflush, and s.get does not see a pending row: an edit of this
    # order later in the same page must find the link, or it looks like a stale edit
    s.flush()
    record(s, SYSTEM, action="hq_dispatch", entity="service_order", entity_id=order.id,
           payload=row_payload(order, charge_lines=[]), base_revision=0,
           detail=f"{order.number} {order.hq_reference}")
    return {events.ORDERS, events.CUSTOMERS, events.OUTBOX}


def _customer_for(s: Session, ref: dict[str, Any]) -> Customer:
    wanted_id = ref.get("id")
    if wanted_id:
        found = s.get(Customer, str(wanted_id))
        if found is not None:
            return found
    name = str(ref.get("name") or "").strip()[:40] or "?"
    phones = [v.normalize_phone(str(n))[:32] for n in ref.get("phones") or [] if str(n).strip()]
    digits = [v.phone_digits(n) for n in phones if v.phone_digits(n)]
    if digits:
        match = s.scalar(
            select(Customer).join(CustomerPhone, CustomerPhone.customer_id == Customer.id)
            .where(CustomerPhone.digits.in_(digits), Customer.name == name)
            .order_by(Customer.created_at).limit(1)
        )
        if match is not None:
            return match
    # head office's customer id is only for finding the station's own record; a new one gets
    # a station id (reusing HQ's could collide with a record of another station there)
    customer = Customer(id=new_id(), name=name,
                        address=str(ref.get("address") or "")[:200], notes="")
    customer.phones = [
        CustomerPhone(number=n, digits=v.phone_digits(n), position=i)
        for i, n in enumerate(dict.fromkeys(phones))
    ]
    s.add(customer)
    s.flush()
    record(s, SYSTEM, action="hq_dispatch", entity="customer", entity_id=customer.id,
           payload=customer_payload(customer))
    return customer


def _product_for(s: Session, customer: Customer, ref: Any) -> str | None:
    if not isinstance(ref, dict) or not str(ref.get("model") or "").strip():
        return None
    serial = str(ref.get("serial_no") or "").strip().upper()[:64]
    if serial:
        found = s.scalar(select(Product.id).where(Product.customer_id == customer.id,
                                                  Product.serial_no == serial))
        if found:
            return found
    purchase = ref.get("purchase_date")
    product = Product(
        customer_id=customer.id, model=str(ref["model"]).strip()[:64], serial_no=serial,
        purchase_date=datetime.fromisoformat(purchase).date() if purchase else None,
        warranty_months=int(ref.get("warranty_months") or 12),
    )
    s.add(product)
    s.flush()
    record(s, SYSTEM, action="hq_dispatch", entity="product", entity_id=product.id,
           payload=row_payload(product))
    return product.id


# -- edit and cancel -----------------------------------------------------------------------------


def _order_update(s: Session, change: p.Change, now: datetime) -> set[str]:
    data = change.payload
    order = _find_order(s, data, change)
    if order is None:
        return _unknown_order(s, change, now)
    link = s.get(HqOrderLink, order.id)
    hq_revision = int(data.get("hq_revision", 0))
    if link is not None and hq_revision and hq_revision <= link.hq_revision:
        return set()  # this edit (or a later one) is already in
    base = int(data.get("base_revision", 0))
    untouched = order.revision <= base or (link is not None
                                           and order.revision == link.applied_revision)
    fields = {k: val for k, val in (data.get("fields") or {}).items()
              if k in p.HQ_EDITABLE_ORDER_FIELDS}
    if not untouched or not OrderStatus(order.status).open:
        add_conflict(
            s, f"hq:{change.hq_seq}", p.ConflictKind.STALE_HQ_EDIT.value, "service_order",
            order.id, f"{order.number}: station revision {order.revision} ({order.status})",
            f"{order.number}: head office edit based on revision {base}: "
            + json.dumps(fields, ensure_ascii=False, sort_keys=True), now,
            hq_seq=change.hq_seq, fields=cf.side_by_side(order, link, fields))
        if link is not None and hq_revision > link.hq_revision:
            link.hq_revision = hq_revision
        if link is not None:
            cf.remember_hq_values(link, fields)  # the base of a later clash
        return {CONFLICTS}
    for key, value in fields.items():
        if key == "order_type":
            order.order_type = _enum(OrderType, value, OrderType(order.order_type))
        elif key == "service_mode":
            order.service_mode = _enum(ServiceMode, value, ServiceMode(order.service_mode))
        elif key == "contact_phone":
            order.contact_phone = v.normalize_phone(str(value))[:32]
            order.contact_digits = v.phone_digits(order.contact_phone)
        elif key == "service_address":
            order.service_address = str(value)[:200]
        elif key == "fault_description":
            order.fault_description = str(value)[:4000]
    _journal(s, order, "hq_update", now)
    _link(s, order, hq_revision, change.hq_seq)
    applied = s.get(HqOrderLink, order.id)
    if applied is not None:
        cf.remember_hq_values(applied, fields)  # what head office gave: the next base
    return {events.ORDERS, events.OUTBOX}


def _cancel(s: Session, change: p.Change, now: datetime) -> set[str]:
    data = change.payload
    order = _find_order(s, data, change)
    if order is None:
        return _unknown_order(s, change, now)
    status = OrderStatus(order.status)
    if status is OrderStatus.CANCELLED:
        return set()
    reason = str(data.get("reason") or "")[:200]
    if status in DONE_STATES:
        # keyed by the order: head office may have reported the same clash in a push ack
        add_conflict(s, cancel_conflict_key(order.id), p.ConflictKind.CANCEL_AFTER_COMPLETION.value,
                     "service_order", order.id, f"{order.number}: {status.value} at the station",
                     f"{order.number}: head office cancelled it ({reason})", now,
                     hq_seq=change.hq_seq)
        return {CONFLICTS}
    order.status = sm.target_of(sm.Action.CANCEL, status).value
    order.cancel_reason = reason
    release_order_reservations(s, SYSTEM, order, now)
    _journal(s, order, "hq_cancel", now)
    link = s.get(HqOrderLink, order.id)
    _link(s, order, link.hq_revision if link else 0, change.hq_seq)
    return {events.ORDERS, events.OUTBOX}


def cancel_conflict_key(order_id: str) -> str:
    """One conflict per late cancel, whether the pull or a push acknowledgement saw it first."""
    return f"{p.ConflictKind.CANCEL_AFTER_COMPLETION.value}:{order_id}"


def _notice(s: Session, change: p.Change, now: datetime) -> set[str]:
    data = change.payload
    notice_id = str(data.get("id") or change.entity_id)[:36]
    existing = s.get(Notice, notice_id)
    if change.op == p.OpKind.DELETE:
        if existing is not None:
            s.delete(existing)
        return {NOTICES}
    if existing is None:
        existing = Notice(id=notice_id, received_at=now)
        s.add(existing)
    existing.title = str(data.get("title") or "")[:200]
    existing.body = str(data.get("body") or "")
    existing.published_at = _when(data.get("published_at"), now)
    return {NOTICES}


def _find_order(s: Session, data: dict[str, Any], change: p.Change) -> ServiceOrder | None:
    order = s.get(ServiceOrder, str(data.get("order_id") or change.entity_id))
    if order is None and data.get("number"):
        order = s.scalar(select(ServiceOrder).where(ServiceOrder.number == data["number"]))
    return order


def _unknown_order(s: Session, change: p.Change, now: datetime) -> set[str]:
    add_conflict(s, f"hq:{change.hq_seq}", "unknown_order", "service_order",
                 str(change.payload.get("order_id") or change.entity_id),
                 "no such order at this station", _summary(change.payload), now)
    return {CONFLICTS}


def _journal(s: Session, order: ServiceOrder, action: str, now: datetime) -> None:
    base = order.revision
    order.revision += 1
    order.updated_at = now
    s.flush()
    lines = [row_payload(c) for c in order.charge_lines]
    record(s, SYSTEM, action=action, entity="service_order", entity_id=order.id,
           payload=row_payload(order, charge_lines=lines), base_revision=base,
           detail=f"{order.number} {order.status}")


def _link(s: Session, order: ServiceOrder, hq_revision: int, hq_seq: int) -> None:
    link = s.get(HqOrderLink, order.id)
    if link is None:
        link = HqOrderLink(order_id=order.id, hq_revision=hq_revision)
        s.add(link)
    link.hq_revision = max(link.hq_revision or 0, hq_revision)
    link.applied_revision = order.revision
    link.last_hq_seq = hq_seq
    s.flush()  # visible to the next change of the page (no autoflush there)


def _enum(kind: Any, value: Any, default: Any) -> str:
    try:
        return kind(value).value
    except ValueError:
        return default.value


def _when(value: Any, default: datetime) -> datetime:
    if not value:
        return default
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return default
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _summary(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True)[:2000]


#: head-office entities this station understands; an area adds its own here
HANDLERS: dict[str, Handler] = {
    p.HqEntity.DISPATCH_ORDER: _dispatch,
    p.HqEntity.ORDER_UPDATE: _order_update,
    p.HqEntity.CANCEL_ORDER: _cancel,
    p.HqEntity.NOTICE: _notice,
    p.HqEntity.OLD_PART_INSPECTION: old_parts.apply_inspection,
    p.HqEntity.PARTS_ORDER_UPDATE: parts_orders.apply_update,
    p.HqEntity.PART: parts_sync.apply_part,
    p.HqEntity.CLAIM_DECISION: apply_decision,
    p.HqEntity.CLAIM_SETTLEMENT: apply_settlement,
    p.HqEntity.WARRANTY_POLICY: warranty_policy.apply_policy_change,
    p.HqEntity.NOTIFICATION_STATE: apply_notification_state,
}
