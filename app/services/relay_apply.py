"""Applying another device's op at this device (a relayed ``Change``, protocol 2).

Head office relays every station-owned op of one device of a station to its other devices in
its own canonical order, so a relayed op is always applied: the row is inserted or updated
from the payload (its columns typed from the model: ISO text to datetime/date, base64 to
bytes; keys the model does not know ignored), its inline children replaced, a delete deletes,
a ledger row (stock movement) or an event (erasure) is inserted once. Nothing is journalled:
the op is not this device's, so no outbox row and no audit entry as this device's user.
Fields head office owns (claim decisions and settlements, delivery states, confirmed and
shipped quantities, inspections: ``relay_rows``) are never blanked by a payload that
predates them. Users keep this device's lockout. The write session's search hook refreshes
the search documents of the customers and orders touched. A relayed issue that takes a part's
stock below zero becomes a ``stock_shortage`` conflict (``app.services.stock_shortage``).
"""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Boolean, Date, LargeBinary, inspect
from sqlalchemy.orm import Session

from app.domain.erasure import ERASED_NAME
from app.services import events
from app.services.relay_rows import (
    CLAIM_HQ_STATUSES,
    EMPTY,
    HQ_CHILD_FIELDS,
    ROWS,
    Child,
    RowSpec,
)
from app.store.base import UtcDateTime
from sync import protocol as p

#: the bus topics a relayed row of each entity touches (beside "sync")
TOPICS: dict[str, frozenset[str]] = {
    "station": frozenset({events.STATION}),
    "user": frozenset({events.USERS}),
    "customer": frozenset({events.CUSTOMERS}),
    "product": frozenset({events.CUSTOMERS}),
    "customer_erasure": frozenset({events.CUSTOMERS, events.ORDERS}),
    "stock_movement": frozenset({"stock", "parts"}),
    "part_setting": frozenset({"stock", "parts"}),
    "stock_reservation": frozenset({"stock", "parts", events.ORDERS}),
    "sale": frozenset({"sales", "stock"}),
    "stock_count": frozenset({"stock", "parts"}),
    "parts_order": frozenset({"parts", "stock"}),
    "old_part": frozenset({"parts"}),
    "old_part_shipment": frozenset({"parts"}),
    "claim_batch": frozenset({"claims"}),
    "feedback_card": frozenset({"feedback"}),
    "appointment": frozenset({"appointments", events.ORDERS}),
    "notification": frozenset({"notifications"}),
}
SYNC = "sync"


def apply_relayed(s: Session, change: p.Change, now: datetime) -> set[str]:
    """Applies another device's op (``change.relayed``); returns the topics it touched."""
    rs = ROWS.get(change.entity)
    entity_id = str(change.payload.get("id") or change.entity_id)[:36]
    if rs is None:
        from app.services.sync_apply import CONFLICTS, add_conflict

        add_conflict(s, f"relay:{change.op_id}:{change.entity}:{entity_id}"[:80],
                     "unknown_change", change.entity,
                     change.entity_id, "", str(change.payload)[:2000], now)
        return {CONFLICTS}
    topics = {SYNC, *TOPICS.get(change.entity, {events.ORDERS})}
    defer_references(s)
    if change.op == p.OpKind.DELETE:
        row = s.get(rs.model, entity_id)
        if row is not None:
            s.delete(row)
            s.flush()
        return topics
    if change.entity == "customer_erasure":
        from app.services import relay_erasure

        relay_erasure.apply(s, change.payload, entity_id, now)
        return topics
    if rs.ledger:
        added = _ledger_added(s)
        with s.no_autoflush:  # the ledger's inserts go in batches at the next flush
            if (rs.entity, entity_id) in added or s.get(rs.model, entity_id) is not None:
                return set()  # already in: the ledger only grows
        row = rs.model(id=entity_id, **typed_values(rs.model, change.payload, skip={"id"}))
        s.add(row)
        added.add((rs.entity, entity_id))
        # a joining download (hq_seq 0) loads the ledger in id order, not time order: its
        # sums go below zero on the way; the join checks the finished stock instead
        if change.entity == "stock_movement" and change.hq_seq > 0 and row.quantity < 0:
            from app.services import stock_shortage

            s.flush()
            if stock_shortage.check_after_relay(s, entity_id, change.device, now):
                topics.add("conflicts")
        return topics
    payload = change.payload
    if rs.one_per and not _one_per_wins(s, rs, entity_id, payload):
        return set()  # this device's own row of the same part/order is kept (smaller id)
    if change.entity == "user":
        payload = _unclashed_user(s, change, entity_id, now)
        if payload is not change.payload:
            topics.add("conflicts")
    if _predates_erasure(s, change.entity, entity_id, payload):
        if change.entity == "customer":
            # an edit made before the person was erased here never brings him back; it
            # reached head office first (this device's tombstone was refused as stale), so
            # its version is the station's: every other device masks it, as this one is
            row = s.get(rs.model, entity_id)
            revision = payload.get("revision")
            if isinstance(revision, int) and not isinstance(revision, bool):
                row.revision = revision
            return topics
        # his order (his message, signature, sale) as another device wrote it: its work
        # kept, his data not, at the version every device holds (each masks it alike)
        row = apply_payload(s, rs, entity_id, payload)
        for name, value in ERASED_FIELDS[change.entity].items():
            if getattr(row, name) not in (None, "", b""):
                setattr(row, name, value)
        s.flush()
        return topics
    apply_payload(s, rs, entity_id, payload)
    if change.entity == "appointment" and _double_visit(s, entity_id, payload, now):
        topics.add("conflicts")
    return topics


def _predates_erasure(s: Session, entity: str, entity_id: str,
                      payload: dict[str, Any]) -> bool:
    """A customer (or his order) as another device wrote it before this device erased the
    person (it reached head office first): applied as it is, it would bring the person's
    data back here."""
    from app.store.models import Customer, ServiceOrder

    if entity == "customer":
        customer_id, unmasked = entity_id, not payload.get("erased_at")
    elif entity in ERASED_FIELDS:
        unmasked = any(payload.get(name) not in (None, "", masked)
                       for name, masked in ERASED_FIELDS[entity].items())
        customer_id = str(payload.get("customer_id") or "")
        if not customer_id and unmasked and payload.get("order_id"):
            order = s.get(ServiceOrder, str(payload["order_id"]))
            customer_id = order.customer_id if order is not None else ""
    else:
        return False
    customer = s.get(Customer, customer_id) if customer_id and unmasked else None
    return customer is not None and customer.erased_at is not None


#: what an erasure blanks in the rows of the person another device wrote before it
#: (``customer_privacy``, ``notifications.erase_recipients``, ``signatures.erase_for_orders``)
ERASED_FIELDS: dict[str, dict[str, Any]] = {
    "service_order": {"contact_phone": "", "contact_digits": "", "service_address": ""},
    "notification": {"recipient": ""},
    "order_signature": {"image_png": b"", "signer_name": ""},
    "sale": {"customer_phone": "", "customer_name": ERASED_NAME},
}


def _double_visit(s: Session, entity_id: str, payload: dict[str, Any], now: datetime) -> bool:
    """Two devices offline each booked a visit for one order: both bookings are kept (each
    told its customer a time) and the desk sees a ``double_visit`` conflict to cancel one."""
    from sqlalchemy import select

    from app.i18n import tr
    from app.services.sync_apply import add_conflict
    from app.store.models import Appointment

    if payload.get("status") != "booked" or not payload.get("order_id"):
        return False
    other = s.scalar(select(Appointment.id).where(
        Appointment.order_id == str(payload["order_id"]), Appointment.id != entity_id,
        Appointment.status == "booked").order_by(Appointment.id).limit(1))
    if other is None:
        return False
    first, second = sorted((entity_id, other))
    return add_conflict(s, f"visit:{first}:{second}", "double_visit", "appointment", second,
                        tr("This order already has a booked visit on this device."),
                        tr("Another device booked a visit for the same order while offline: "
                           "both are kept; cancel the one the customer was not promised."),
                        now)


def _one_per_wins(s: Session, rs: RowSpec, entity_id: str, payload: dict[str, Any]) -> bool:
    """Two devices offline each made the one row of a part (its setting) or of an order (its
    return visit): every device keeps the row with the smaller id, so they converge. False
    when the relayed row loses; a losing local row is replaced by it."""
    from sqlalchemy import select

    key = payload.get(rs.one_per)
    if key is None or s.get(rs.model, entity_id) is not None:
        return True
    column = getattr(rs.model, rs.one_per)
    other = s.scalars(select(rs.model).where(column == key, rs.model.id != entity_id)).first()
    if other is None:
        return True
    if other.id < entity_id:
        return False
    s.delete(other)
    s.flush()
    return True


_DEFERRED = "relay_references_deferred"
#: ``session.info`` key: check each relayed change's references at once (the careful retry of
#: a page, ``sync_store``), so the change that names a missing row is the one refused
IMMEDIATE_REFERENCES = "relay_references_immediate"
_ADDED = "relay_ledger_added"


def _ledger_added(s: Session) -> set[tuple[str, str]]:
    """Ledger rows this transaction added and may not have flushed yet."""
    tx = s.get_transaction()
    held = s.info.get(_ADDED)
    if held is None or held[0] is not tx:
        held = (tx, set())
        s.info[_ADDED] = held
    return held[1]


def defer_references(s: Session) -> None:
    """One transaction of the other device can name its rows in any order (a message queued
    before its order is journalled): references are checked when the page commits (SQLite
    clears the pragma at every commit; set once per transaction)."""
    if s.info.get(IMMEDIATE_REFERENCES):
        return  # a page applied change by change: each reference is checked as it is made
    tx = s.get_transaction()
    if s.info.get(_DEFERRED) is not tx:
        s.connection().exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        s.info[_DEFERRED] = tx


def _unclashed_user(s: Session, change: p.Change, entity_id: str,
                    now: datetime) -> dict[str, Any]:
    """Two devices offline each added a user of the same name: every device keeps both, the
    one with the smaller id under the name and the other under ``name~<its id's first
    characters>``, so all devices end with the same names whatever order the users came in
    (nothing of either's work is lost), and the manager sees a ``user_name_clash`` conflict
    to rename one of them. A rename of this device's own row is not journalled: every
    device makes it alike."""
    from sqlalchemy import select

    from app.store.models import User

    name = str(change.payload.get("username") or "")
    other = s.scalar(select(User).where(User.username == name, User.id != entity_id)) \
        if name else None
    if other is None:
        return change.payload
    existing = s.get(User, entity_id)
    if existing is not None and existing.username != name:
        return dict(change.payload, username=existing.username)  # renamed here before
    if entity_id < other.id:  # the relayed user keeps the name; the one here moves aside
        other.username = _clash_name(s, name, other.id)
        s.flush()
        _clash_conflict(s, other.id, name, other.username, now)
        return change.payload
    renamed = _clash_name(s, name, entity_id)
    _clash_conflict(s, entity_id, name, renamed, now)
    return dict(change.payload, username=renamed)


def _clash_name(s: Session, name: str, user_id: str) -> str:
    """The name the losing user of a clash gets: the same on every device."""
    from sqlalchemy import select

    from app.store.models import User

    for k in (4, 6, 8, 12, 16):
        candidate = f"{name[:31 - k]}~{user_id.replace('-', '')[:k]}"
        if s.scalar(select(User.id).where(User.username == candidate,
                                          User.id != user_id)) is None:
            return candidate
    return f"~{user_id.replace('-', '')[:31]}"


def _clash_conflict(s: Session, user_id: str, name: str, renamed: str, now: datetime) -> None:
    from app.i18n import tr
    from app.services.sync_apply import add_conflict

    add_conflict(s, f"user_name:{user_id}", "user_name_clash", "user",
                 user_id, tr("User name '{name}' is taken on this device.", name=name),
                 tr("Another device's user '{name}' is kept here as '{renamed}': rename one "
                    "of them.", name=name, renamed=renamed), now)


def apply_payload(s: Session, rs: RowSpec, entity_id: str, payload: dict[str, Any]) -> Any:
    """Inserts or updates ``rs``'s row ``entity_id`` from ``payload`` and replaces its inline
    children; flushed. Also the machinery of a device clash settled as "ours"."""
    row = s.get(rs.model, entity_id)
    new = row is None
    if row is None:
        row = rs.model(id=entity_id)
    values = typed_values(rs.model, payload, skip={"id", *rs.local})
    keep = _kept_hq_fields(rs, row, values) if not new else set()
    for key, value in values.items():
        if key in keep:
            continue
        if not new and key in rs.hq_fields and value in EMPTY \
                and getattr(row, key) not in EMPTY:
            continue
        setattr(row, key, value)
    if new:
        s.add(row)
        s.flush()
    for child in rs.children:
        if child.key in payload:
            _replace_children(s, rs, row, child, payload.get(child.key) or [])
    s.flush()
    return row


def typed_values(model: type, payload: dict[str, Any], skip: set[str] | frozenset[str] = frozenset(),
                 only: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The payload's values of ``model``'s columns, typed as the columns hold them."""
    out: dict[str, Any] = {}
    for key, kind in _columns(model):
        if key in skip or key not in payload or (only is not None and key not in only):
            continue
        out[key] = _typed(kind, payload[key])
    return out


@cache
def _columns(model: type) -> tuple[tuple[str, Any], ...]:
    return tuple((a.key, a.columns[0].type) for a in inspect(model).column_attrs)


def _typed(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(kind, UtcDateTime):
        if isinstance(value, datetime):
            parsed = value
        else:
            parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    if isinstance(kind, Date):
        return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    if isinstance(kind, LargeBinary):
        return base64.b64decode(value) if isinstance(value, str) else bytes(value)
    if isinstance(kind, Boolean):
        return bool(value)
    return value


def _kept_hq_fields(rs: RowSpec, row: Any, values: dict[str, Any]) -> set[str]:
    """Head-office fields this device holds newer than the payload's (by head office's own
    revision or delivery rank): kept whatever the payload says."""
    if rs.entity == "claim_batch":
        theirs = values.get("hq_revision") or 0
        if (row.hq_revision or 0) > theirs:
            kept = set(rs.hq_fields)
            if values.get("status") in CLAIM_HQ_STATUSES and row.status in CLAIM_HQ_STATUSES:
                kept.add("status")
            return kept
    if rs.entity == "notification":
        from app.services.notifications_sync import _RANK

        ours = (row.attempts or 0, _RANK.get(row.state, 0))
        theirs = (values.get("attempts") or 0, _RANK.get(values.get("state", ""), 0))
        if ours > theirs:
            return set(rs.hq_fields)
    return set()


def _relationship(model: type, child: Child) -> str:
    for rel in inspect(model).relationships:
        if rel.mapper.class_ is child.model:
            return rel.key
    raise LookupError(f"{model.__name__} has no children {child.model.__name__}")


def child_values(child: Child, index: int, item: Any) -> dict[str, Any]:
    """The typed column values of the ``index``-th inline child ``item`` (its parent key
    not among them)."""
    skip = {child.parent, *child.keep} | ({"id"} if child.match != "id" else set())
    data = {child.scalar: item} if child.scalar else dict(item)
    if child.indexed:
        data["position"] = index
    if child.derive is not None:
        data.update(child.derive(data))
    only = (*child.fields, *(child.derive(data).keys() if child.derive else ())) \
        if child.fields is not None else None
    return typed_values(child.model, data, skip=skip, only=only)


def _replace_children(s: Session, rs: RowSpec, row: Any, child: Child,
                      items: list[Any]) -> None:
    rel = _relationship(rs.model, child)
    existing = list(getattr(row, rel))
    if child.match:
        by_key = {getattr(c, child.match): c for c in existing}
    else:
        by_key = dict(enumerate(sorted(existing, key=lambda c: getattr(c, "position", 0))))
    hq = HQ_CHILD_FIELDS.get((rs.entity, child.key), ())
    kept: list[Any] = []
    for index, item in enumerate(items):
        values = child_values(child, index, item)
        key = values.get(child.match) if child.match else index
        found = by_key.pop(key, None)
        if found is None:
            found = child.model(**values)
        else:
            for name, value in values.items():
                if name in hq and value in EMPTY and getattr(found, name) not in EMPTY:
                    continue
                setattr(found, name, value)
        kept.append(found)
    setattr(row, rel, kept)
    s.flush()
