"""Sync conflicts as a person settles them (the 冲突 page): listing with the fields side by
side, and settling one.

A stale head-office edit is settled per field: keep the station's value, take head office's,
or type one. The values chosen go through ``OrderService.update`` (its checks, the order's
revision), and in the same transaction the conflict is marked settled and a ``sync_conflict``
event carrying the resolution is put in the outbox, so head office sees how it was settled.
A late cancel of finished work is settled by keeping the completion or cancelling the order
(the state machine decides whether it can be); other kinds are taken note of. Managers only.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import state_machine as sm
from app.domain.enums import OrderType, ServiceMode
from app.domain.errors import RuleViolation
from app.domain.permissions import P
from app.services import conflict_fields as cf
from app.services import events
from app.services import text_input as t
from app.services.context import Actor
from app.services.errors import not_found
from app.services.journal import record
from app.store.base import utcnow
from app.store.database import Database
from app.store.models import ServiceOrder, SyncConflict
from sync import protocol as p

SYNC, CONFLICTS = "sync", "conflicts"
MAX_NOTE = 2000


@dataclass(frozen=True)
class ConflictInfo:
    id: str
    kind: str
    entity: str
    entity_id: str
    local_summary: str
    remote_summary: str
    created_at: datetime
    resolved_by: str | None
    resolved_at: datetime | None
    resolution_note: str
    #: a stale head-office edit's fields side by side (empty for other kinds, older records)
    fields: tuple[cf.FieldClash, ...] = ()
    #: how it was settled: {field or "action": {"choice", "value"}}
    resolution: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: the order it is about, as the station holds it now ("" / None when not an order here)
    order_number: str = ""
    order_status: str | None = None


#: a field's choice: (ours | theirs | edited, the typed value for edited)
Choice = tuple[str, str | None]


def conflict_info(s: Session, c: SyncConflict) -> ConflictInfo:
    order = s.get(ServiceOrder, c.entity_id) if c.entity == "service_order" else None
    return ConflictInfo(c.id, c.kind, c.entity, c.entity_id, c.local_summary, c.remote_summary,
                        c.created_at, c.resolved_by, c.resolved_at, c.resolution_note,
                        cf.parse_fields(c.fields), cf.parse_resolution(c.resolution),
                        order.number if order else "", order.status if order else None)


def list_conflicts(s: Session, include_resolved: bool, limit: int) -> list[ConflictInfo]:
    stmt = select(SyncConflict)
    if not include_resolved:
        stmt = stmt.where(SyncConflict.resolved_at.is_(None))
    rows = s.scalars(stmt.order_by(SyncConflict.created_at.desc(), SyncConflict.id)
                     .limit(limit)).all()
    return [conflict_info(s, c) for c in rows]


def mark_settled(s: Session, actor: Actor, conflict: SyncConflict,
                 resolution: dict[str, dict[str, Any]], note: str, now: datetime) -> None:
    """Marks ``conflict`` settled and journals it; a conflict head office knows of (found
    applying its change, or its late cancel) is reported again with the resolution."""
    conflict.resolved_at, conflict.resolved_by = now, actor.username
    conflict.resolution_note = note
    conflict.resolution = json.dumps(resolution, ensure_ascii=False, sort_keys=True)
    payload = None
    hq_seq = _hq_seq(conflict.source_key)
    if hq_seq is not None or conflict.kind == p.ConflictKind.CANCEL_AFTER_COMPLETION:
        payload = {"kind": conflict.kind, "subject_entity": conflict.entity,
                   "subject_id": conflict.entity_id,
                   "detail": f"{conflict.local_summary} / {conflict.remote_summary}"[:2000],
                   "resolution": resolution, "resolved_by": actor.username,
                   "resolved_at": now.isoformat(), "note": note}
        if hq_seq is not None:
            payload["hq_seq"] = hq_seq
        fields = json.loads(conflict.fields) if conflict.fields else None
        if fields:
            payload["fields"] = fields
    record(s, actor, action="resolve_conflict", entity="sync_conflict", entity_id=conflict.id,
           payload=payload, op=p.OpKind.EVENT.value,
           detail=f"{conflict.kind} {conflict.entity_id}: {note[:500]}")


def _hq_seq(source_key: str) -> int | None:
    head, _, tail = source_key.partition(":")
    return int(tail) if head == "hq" and tail.isdigit() else None


class ConflictDesk:
    """Settling conflicts through the services that own the data (orders)."""

    def __init__(self, db: Database, bus: events.ChangeBus, orders: Any,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.bus = bus
        self.orders = orders  # app.services.orders.OrderService
        self.clock = clock

    def conflicts(self, include_resolved: bool = False, limit: int = 500) -> list[ConflictInfo]:
        with self.db.read() as s:
            return list_conflicts(s, include_resolved, limit)

    def settle_fields(self, actor: Actor, conflict_id: str, choices: Mapping[str, Choice],
                      note: str = "") -> ConflictInfo:
        """Settles a stale head-office edit: one choice per field it names."""
        actor.require(P.CONFLICT_RESOLVE)
        note = self._note(conflict_id, note)
        with self.db.read() as s:
            conflict = self._open(s, conflict_id)
            clashes = cf.parse_fields(conflict.fields)
            if not clashes:
                raise RuleViolation("This conflict has no fields to choose between.",
                                    field="conflict_id")
            order = s.get(ServiceOrder, conflict.entity_id)
            if order is None:
                raise not_found("order")
            current, revision, product_id = cf.order_values(order), order.revision, \
                order.product_id
        wanted = dict(current)
        resolution: dict[str, dict[str, Any]] = {}
        for clash in clashes:
            choice, typed = choices.get(clash.name, ("", None))
            if choice not in cf.FIELD_CHOICES:
                raise RuleViolation("Choose how to settle {name}.", field=clash.name,
                                    name=_label(clash.name))
            if choice == cf.THEIRS:
                wanted[clash.name] = clash.theirs or ""
            elif choice == cf.EDITED:
                t.check_key(typed, clash.name, _label(clash.name))  # the rest: OrderService
                wanted[clash.name] = typed or ""
            resolution[clash.name] = {"choice": choice}
        now = self.clock()

        def settle(s: Session, saved: ServiceOrder | None) -> None:
            row = self._open(s, conflict_id)
            values = cf.order_values(saved) if saved is not None else wanted
            for name, item in resolution.items():
                item["value"] = values[name]
            mark_settled(s, actor, row, resolution, note, now)

        if wanted == current:
            with self.db.write() as s:
                settle(s, None)
        else:
            from app.services.orders import OrderEdit

            edit = OrderEdit(
                order_type=_enum(OrderType, wanted["order_type"], "order_type"),
                service_mode=_enum(ServiceMode, wanted["service_mode"], "service_mode"),
                fault_description=wanted["fault_description"],
                contact_phone=wanted["contact_phone"],
                service_address=wanted["service_address"], product_id=product_id)
            self.orders.update(actor, conflict.entity_id, edit, revision, also=settle)
        self.bus.publish({SYNC, CONFLICTS, events.OUTBOX})
        return self._info(conflict_id)

    def settle_cancel(self, actor: Actor, conflict_id: str, choice: str,
                      note: str = "") -> ConflictInfo:
        """Settles head office's late cancel of finished work: keep the completion, or cancel
        the order after all (only from a state the state machine allows it from)."""
        actor.require(P.CONFLICT_RESOLVE)
        note = self._note(conflict_id, note)
        if choice not in (cf.KEEP_COMPLETION, cf.CANCEL_ORDER):
            raise RuleViolation("Choose how to settle the cancel.", field="choice")
        with self.db.read() as s:
            conflict = self._open(s, conflict_id)
            order_id = conflict.entity_id
        if choice == cf.CANCEL_ORDER:
            reason = note or "head office cancelled it"
            self.orders.transition(actor, order_id, sm.Action.CANCEL, reason=reason)
        with self.db.write() as s:
            row = self._open(s, conflict_id)
            order = s.get(ServiceOrder, order_id)
            mark_settled(s, actor, row, {cf.ACTION: {
                "choice": choice, "value": order.status if order else None}}, note,
                self.clock())
        self.bus.publish({SYNC, CONFLICTS, events.OUTBOX})
        return self._info(conflict_id)

    def acknowledge(self, actor: Actor, conflict_id: str, note: str = "") -> ConflictInfo:
        """Takes note of a conflict nothing at the station can change (a refused op, a change
        this version cannot read): marked settled with what was done about it."""
        actor.require(P.CONFLICT_RESOLVE)
        note = self._note(conflict_id, note)
        with self.db.write() as s:
            conflict = s.get(SyncConflict, conflict_id)
            if conflict is None:
                raise not_found("conflict")
            if conflict.resolved_at is None:
                from app.services.stock_shortage import require_settleable

                require_settleable(s, conflict)  # a shortage only once the stock is real
                mark_settled(s, actor, conflict,
                             {cf.ACTION: {"choice": cf.ACKNOWLEDGED, "value": None}}, note,
                             self.clock())
            result = conflict_info(s, conflict)
        self.bus.publish({SYNC, CONFLICTS, events.OUTBOX})
        return result

    # -- internals ----------------------------------------------------------------------------
    def _note(self, conflict_id: str, note: str) -> str:
        t.check_key(conflict_id, "conflict_id", "Conflict")
        return t.check_length(note, "note", "Note", MAX_NOTE)

    def _open(self, s: Session, conflict_id: str) -> SyncConflict:
        conflict = s.get(SyncConflict, conflict_id)
        if conflict is None:
            raise not_found("conflict")
        if conflict.resolved_at is not None:
            raise RuleViolation("This conflict was already settled by {user}.",
                                user=conflict.resolved_by or "?")
        return conflict

    def _info(self, conflict_id: str) -> ConflictInfo:
        with self.db.read() as s:
            conflict = s.get(SyncConflict, conflict_id)
            assert conflict is not None
            return conflict_info(s, conflict)


def _enum(kind: Any, value: str, name: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        raise RuleViolation("{name}: {value} is not a choice this station knows.", field=name,
                            name=_label(name), value=value) from None


#: the order form's labels of the fields head office may edit (translated by the catalogue)
FIELD_LABELS = {
    "order_type": "Order type",
    "service_mode": "Service mode",
    "contact_phone": "Contact phone",
    "service_address": "Service address",
    "fault_description": "Fault description",
}


def _label(name: str) -> str:
    return FIELD_LABELS.get(name, name)
