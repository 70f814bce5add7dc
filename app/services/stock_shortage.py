"""Stock shortages between devices (缺货冲突): two devices offline both issued or sold the
last unit of a part; when the other device's movement is relayed here the part's on-hand goes
below zero. The ledger only grows, so nothing is undone and the negative stock stays visible
(the stock list shows it as it is); instead a ``stock_shortage`` conflict names the part, its
on-hand and the movements that took the units out (who, on which device, for which order or
sale). One conflict per part and shortage episode (source key
``shortage:<part_id>:<movement id>`` of the movement that first took it below zero; a later
movement of the same episode updates the open conflict's summary).

The manager settles it once the stock is real again: after a 盘点 (count) or a receipt brings
the on-hand back to zero or more. Until then settling is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.errors import RuleViolation
from app.domain.permissions import Permission
from app.i18n import tr
from app.services import events
from app.services import text_input as t
from app.services.context import Actor
from app.services.errors import not_found
from app.services.stock_ledger import on_hand
from app.services.sync_conflicts import ConflictInfo, conflict_info, mark_settled
from app.store.base import utcnow
from app.store.database import Database
from app.store.models import OutboxOp, Part, Sale, ServiceOrder, StockMovement, SyncConflict

KIND = "stock_shortage"
ENTITY = "part"
MAX_NOTE = 2000
#: the issuing movements a shortage lists at most
MAX_LISTED = 20
_OUT = ("issued", "sold")
_SELLABLE = ("received", "issued", "returned", "sold", "sale_voided", "count_adjustment")
SYNC, CONFLICTS = "sync", "conflicts"


@dataclass(frozen=True)
class IssuedMovement:
    """A movement that took units of the short part out."""

    movement_id: str
    created_at: datetime
    username: str
    quantity: int
    kind: str
    #: True: made on this device; False: relayed from another device of the station
    this_device: bool
    order_number: str
    sale_number: str
    reference: str


@dataclass(frozen=True)
class Shortage:
    part_id: str
    part_no: str
    name: str
    on_hand: int
    conflict_id: str
    movements: tuple[IssuedMovement, ...]


def source_key(part_id: str, movement_id: str) -> str:
    return f"shortage:{part_id}:{movement_id}"


def check_after_relay(s: Session, movement_id: str, device: int, now: datetime) -> bool:
    """After a relayed movement: a conflict when it took its part's stock below zero (one
    per episode). True when a conflict was recorded or updated."""
    from app.services.sync_apply import add_conflict

    movement = s.get(StockMovement, movement_id)
    if movement is None or movement.quantity >= 0 or movement.kind not in _SELLABLE:
        return False
    have = on_hand(s, movement.part_id)
    if have >= 0:
        return False
    part = s.get(Part, movement.part_id)
    label = f"{part.part_no} {part.name}" if part else movement.part_id
    # stored as the person reads it (the conflict page shows the summaries as they are)
    local = tr("{part}: on hand {have}", part=label, have=have)
    remote = "; ".join(_line(s, m) for m in issuing(s, movement.part_id, have))
    if device:
        remote = tr("{movements} (the latest from device {device})", movements=remote,
                    device=device)
    open_one = _open_for(s, movement.part_id)
    if open_one is not None:
        open_one.local_summary, open_one.remote_summary = local[:4000], remote[:4000]
        s.flush()
        return True
    return add_conflict(s, source_key(movement.part_id, movement.id), KIND, ENTITY,
                        movement.part_id, local, remote, now)


def check_all(s: Session, now: datetime) -> int:
    """Every part whose stock is below zero gets its shortage conflict (once per episode):
    for a joining device once its download is complete. Returns how many were recorded."""
    from app.services.sync_apply import add_conflict

    found = 0
    for part_id in s.scalars(select(StockMovement.part_id).where(
            StockMovement.kind.in_(_SELLABLE), StockMovement.quantity < 0).distinct()):
        have = on_hand(s, part_id)
        if have >= 0 or _open_for(s, part_id) is not None:
            continue
        moves = issuing(s, part_id, have)
        if not moves:
            continue
        part = s.get(Part, part_id)
        label = f"{part.part_no} {part.name}" if part else part_id
        found += add_conflict(s, source_key(part_id, moves[0].id), KIND, ENTITY, part_id,
                              tr("{part}: on hand {have}", part=label, have=have),
                              "; ".join(_line(s, m) for m in moves), now)
    return found


def issuing(s: Session, part_id: str, have: int) -> list[StockMovement]:
    """The latest outgoing movements of the part, enough to cover the shortage and the last
    unit there was (newest first)."""
    need = -have + 1
    rows: list[StockMovement] = []
    taken = 0
    for m in s.scalars(select(StockMovement).where(
            StockMovement.part_id == part_id, StockMovement.kind.in_(_OUT))
            .order_by(StockMovement.created_at.desc(), StockMovement.id.desc())
            .limit(MAX_LISTED)):
        rows.append(m)
        taken += -m.quantity
        if taken >= need:
            break
    return rows


def _open_for(s: Session, part_id: str) -> SyncConflict | None:
    return s.scalars(select(SyncConflict).where(
        SyncConflict.kind == KIND, SyncConflict.entity_id == part_id,
        SyncConflict.resolved_at.is_(None))).first()


def _line(s: Session, m: StockMovement) -> str:
    what = _order_number(s, m.order_id) or _sale_number(s, m.sale_id) or m.reference
    where = tr("this device") if _ours(s, m.id) else tr("another device")
    # local time, as the station reads it (the row keeps UTC)
    return (f"{m.created_at.astimezone():%Y-%m-%d %H:%M} {m.username} ({where}) "
            f"{m.quantity:+d} {what}").strip()


def _order_number(s: Session, order_id: str | None) -> str:
    return (s.scalar(select(ServiceOrder.number).where(ServiceOrder.id == order_id))
            if order_id else None) or ""


def _sale_number(s: Session, sale_id: str | None) -> str:
    return (s.scalar(select(Sale.number).where(Sale.id == sale_id)) if sale_id else None) or ""


def _ours(s: Session, movement_id: str) -> bool:
    return s.scalar(select(OutboxOp.seq).where(OutboxOp.entity == "stock_movement",
                                               OutboxOp.entity_id == movement_id)) is not None


def require_settleable(s: Session, conflict: SyncConflict) -> None:
    """Refuses to settle a shortage while the part's stock is still below zero."""
    if conflict.kind == KIND and on_hand(s, conflict.entity_id) < 0:
        raise RuleViolation("Count the stock or receive parts first, so that the stock is "
                            "not negative.", field="on_hand")


class StockShortages:
    """The manager's list of shortages and their settling."""

    def __init__(self, db: Database, bus: events.ChangeBus,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.bus = bus
        self.clock = clock

    def shortages(self, actor: Actor) -> list[Shortage]:
        """Open shortages, part number order."""
        actor.require(Permission.CONFLICT_RESOLVE)
        out: list[Shortage] = []
        with self.db.read() as s:
            for c in s.scalars(select(SyncConflict).where(
                    SyncConflict.kind == KIND, SyncConflict.resolved_at.is_(None))):
                part = s.get(Part, c.entity_id)
                have = on_hand(s, c.entity_id)
                moves = tuple(IssuedMovement(
                    m.id, m.created_at, m.username, m.quantity, m.kind, _ours(s, m.id),
                    _order_number(s, m.order_id), _sale_number(s, m.sale_id), m.reference)
                    for m in issuing(s, c.entity_id, min(have, 0)))
                out.append(Shortage(c.entity_id, part.part_no if part else "",
                                    part.name if part else "", have, c.id, moves))
        return sorted(out, key=lambda x: (x.part_no, x.part_id))

    def settle(self, actor: Actor, conflict_id: str, note: str = "") -> ConflictInfo:
        """Marks a shortage settled; refused while the part's on-hand is below zero."""
        actor.require(Permission.CONFLICT_RESOLVE)
        t.check_key(conflict_id, "conflict_id", "Conflict")
        note = t.check_length(note, "note", "Note", MAX_NOTE)
        with self.db.write() as s:
            conflict = s.get(SyncConflict, conflict_id)
            if conflict is None:
                raise not_found("conflict")
            if conflict.kind != KIND:
                raise RuleViolation("This conflict is not a stock shortage.", field="conflict")
            if conflict.resolved_at is not None:
                raise RuleViolation("This conflict was already settled by {user}.",
                                    user=conflict.resolved_by or "?")
            require_settleable(s, conflict)
            have = on_hand(s, conflict.entity_id)
            mark_settled(s, actor, conflict, {"action": {"choice": "settled", "value": have}},
                         note, self.clock())
            result = conflict_info(s, conflict)
        self.bus.publish({SYNC, CONFLICTS, events.OUTBOX})
        return result
