"""Clashes between two devices of the station, as a person settles them (issue 15).

Head office refuses an edit a device made before it had seen another device's newer version
(``STALE_DEVICE_EDIT``) and merges an order's status through the state machine
(``ORDER_STATUS_MERGED``); the client records either as a ``SyncConflict`` keyed
``op:<op_id>`` with the fields side by side (ours = this device's op, theirs = what the
station now holds). Settling:
- ``theirs``: keep what the station holds (every device has it already): marked settled;
- ``ours``: this device's values again, of the fields the clash lists side by side (read
  from the op's payload, still in the local outbox), written over the row as it now stands,
  the revision bumped past the current one and journalled as a NEW op of this device, so it
  travels and wins as an ordinary edit. Everything else stays as the station holds it: an
  order's status and the times its moves stamp (the state machine alone moves those; taking
  an old payload whole would put a completed order back to 已接单) and inline lists (charge
  lines, phones: changed through their own screens, under their own rules such as the
  signature lock).
Both through ``sync_conflicts.mark_settled`` (audited, head office hears). Managers only.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app.domain.errors import RuleViolation
from app.domain.permissions import Permission
from app.services import events
from app.services import text_input as t
from app.services.context import Actor
from app.services.errors import not_found
from app.services.journal import record, row_payload
from app.services.relay_apply import _relationship, apply_payload
from app.services.relay_rows import ROWS, RowSpec
from app.services.sync_conflicts import ConflictInfo, conflict_info, mark_settled
from app.store.base import utcnow
from app.store.database import Database
from app.store.models import OutboxOp, SyncConflict
from sync import protocol as p

KINDS = frozenset({p.STALE_DEVICE_EDIT, p.ORDER_STATUS_MERGED})
CHOICES = ("ours", "theirs")
MAX_NOTE = 2000
SYNC, CONFLICTS = "sync", "conflicts"


class DeviceClashDesk:
    def __init__(self, db: Database, bus: events.ChangeBus,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.bus = bus
        self.clock = clock

    def settle(self, actor: Actor, conflict_id: str, choice: str, note: str = "") -> ConflictInfo:
        """Settles a clash between devices by keeping the station's version (``theirs``) or
        sending this device's again as a new edit (``ours``)."""
        actor.require(Permission.CONFLICT_RESOLVE)
        t.check_key(conflict_id, "conflict_id", "Conflict")
        note = t.check_length(note, "note", "Note", MAX_NOTE)
        if choice not in CHOICES:
            raise RuleViolation("Choose this device's version or the station's.",
                                field="choice")
        now = self.clock()
        with self.db.write() as s:
            conflict = s.get(SyncConflict, conflict_id)
            if conflict is None:
                raise not_found("conflict")
            if conflict.kind not in KINDS:
                raise RuleViolation("This conflict is not a clash between devices.",
                                    field="conflict")
            if conflict.resolved_at is not None:
                raise RuleViolation("This conflict was already settled by {user}.",
                                    user=conflict.resolved_by or "?")
            value: int | None = None
            if choice == "ours":
                value = self._reapply(s, actor, conflict, now)
            mark_settled(s, actor, conflict, {"action": {"choice": choice, "value": value}},
                         note, now)
            result = conflict_info(s, conflict)
        self.bus.publish({SYNC, CONFLICTS, events.OUTBOX, events.ORDERS})
        return result

    @staticmethod
    def _reapply(s, actor: Actor, conflict: SyncConflict, now: datetime) -> int:
        """This device's values of the clashing fields written over the current row; the new
        revision."""
        head, _, op_id = conflict.source_key.partition(":")
        op = s.scalar(select(OutboxOp).where(OutboxOp.op_id == op_id)) if head == "op" else None
        rs = ROWS.get(conflict.entity)
        row = s.get(rs.model, conflict.entity_id) if rs is not None else None
        if op is None or rs is None or row is None or op.op != p.OpKind.UPSERT.value:
            raise RuleViolation("This device no longer holds its version of the change: keep "
                                "the station's.", field="choice")
        ours = json.loads(op.payload)
        wanted = set(json.loads(conflict.fields or "{}")) - NEVER_REAPPLIED
        if conflict.entity == "service_order":
            wanted -= ORDER_FLOW
        payload = current_payload(rs, row)
        payload.update({k: ours[k] for k in wanted if k in ours})
        current = int(getattr(row, "revision", 0) or 0)
        row = apply_payload(s, rs, conflict.entity_id, payload)
        row.revision = current + 1
        if hasattr(row, "updated_at"):
            row.updated_at = now
        s.flush()
        payload = current_payload(rs, row)
        record(s, actor, action="clash.ours", entity=conflict.entity,
               entity_id=conflict.entity_id, payload=payload, base_revision=current,
               detail=f"{conflict.kind} op {op_id}: {', '.join(sorted(wanted))}"[:2000])
        return row.revision


#: never taken from an old payload: the row's identity and bookkeeping
NEVER_REAPPLIED = frozenset({"id", "revision", "created_at", "updated_at"})
#: an order's status and what its moves stamp: only the state machine changes them
ORDER_FLOW = frozenset({"status", "responded_at", "arrived_at", "cleared_at", "visited_at",
                        "closed_at", "cancel_reason", "satisfaction"})


def current_payload(rs: RowSpec, row: Any) -> dict[str, Any]:
    """The row as it stands, as its payload travels: its columns and its inline lists."""
    payload = row_payload(row)
    for child in rs.children:
        items = list(getattr(row, _relationship(rs.model, child)))
        if child.indexed or hasattr(child.model, "position"):
            items.sort(key=lambda c: getattr(c, "position", 0) or 0)
        if child.scalar:
            payload[child.key] = [getattr(c, child.scalar) for c in items]
        else:
            payload[child.key] = [row_payload(c) for c in items]
    return payload
