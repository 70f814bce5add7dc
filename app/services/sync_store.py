"""The station store as the sync engine sees it (``sync.client.LocalSide``).

Each method is one short local transaction. The acknowledgement of a batch (outbox rows
marked, high water stored, rejected ops turned into conflicts) is one transaction; a pulled
page and its cursor are one transaction. Outbox rows are never deleted, so whatever head
office loses (restored from a backup) can be sent again.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.errors import RuleViolation
from app.services import events
from app.services.relay_apply import IMMEDIATE_REFERENCES
from app.services.sync_apply import (
    CONFLICTS,
    NOTICES,
    add_conflict,
    apply_change,
    cancel_conflict_key,
)
from app.store.base import utcnow
from app.store.database import Database
from app.store.models import Notice, OutboxOp, SyncState
from app.store.models.sync import SINGLETON_ID
from sync import protocol as p
from sync.client import DanglingReferences, PushPosition

SYNC = "sync"
log = logging.getLogger(__name__)
#: what a malformed or unexpected change raises (database trouble is not among them: it stops
#: the sync and is retried next time)
UNREADABLE = (ValueError, TypeError, KeyError, AttributeError, RuleViolation, IntegrityError)


def sync_state(s: Session) -> SyncState:
    """The state row, created on first use (inside the caller's transaction)."""
    state = s.get(SyncState, SINGLETON_ID)
    if state is None:
        state = SyncState(id=SINGLETON_ID, push_acked_seq=0, pull_cursor=0, last_result="",
                          last_message="")
        s.add(state)
        s.flush()
    return state


class StationSyncStore:
    def __init__(
        self, db: Database, bus: events.ChangeBus, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.db = db
        self.bus = bus
        self.clock = clock

    # -- push ---------------------------------------------------------------------------------
    def push_position(self) -> PushPosition:
        with self.db.read() as s:
            state = s.get(SyncState, SINGLETON_ID)
            if state is None:
                return PushPosition(0, None)
            inflight = None
            if state.inflight_from is not None and state.inflight_to is not None:
                inflight = (state.inflight_from, state.inflight_to)
            return PushPosition(state.push_acked_seq, inflight)

    def read_ops(self, after_seq: int, through_seq: int | None, limit: int) -> list[p.PushOp]:
        with self.db.read() as s:
            stmt = select(OutboxOp).where(OutboxOp.seq > after_seq)
            if through_seq is not None:
                stmt = stmt.where(OutboxOp.seq <= through_seq)
            rows = s.scalars(stmt.order_by(OutboxOp.seq).limit(limit)).all()
            return [_wire(row) for row in rows]

    def pending_count(self) -> int:
        with self.db.read() as s:
            state = s.get(SyncState, SINGLETON_ID)
            acked = state.push_acked_seq if state else 0
            return s.scalar(select(func.count()).where(OutboxOp.seq > acked)) or 0

    def mark_inflight(self, from_seq: int, to_seq: int) -> None:
        with self.db.write() as s:
            state = sync_state(s)
            state.inflight_from, state.inflight_to = from_seq, to_seq

    def record_ack(
        self, from_seq: int, to_seq: int, ack: p.PushAck, ops: Sequence[p.PushOp]
    ) -> None:
        now = self.clock()
        by_id = {op.op_id: op for op in ops}
        kinds = {events.OUTBOX, SYNC}
        with self.db.write() as s:
            s.execute(update(OutboxOp).where(OutboxOp.seq.between(from_seq, to_seq),
                                             OutboxOp.acked_at.is_(None)).values(acked_at=now))
            state = sync_state(s)
            state.push_acked_seq = max(state.push_acked_seq, to_seq)
            state.inflight_from = state.inflight_to = None
            for result in ack.results:
                if result.status == p.OpStatus.APPLIED:
                    continue
                op = by_id.get(result.op_id)
                if result.kind in DEVICE_CLASHES and op is not None:
                    if device_clash(s, op, result, now):
                        kinds.add(CONFLICTS)
                    continue
                local = (f"{op.action or op.op} {op.entity} #{op.seq}: "
                         + json.dumps(op.payload, ensure_ascii=False, sort_keys=True)
                         if op else result.op_id)
                key = f"op:{result.op_id}"
                kind = p.ConflictKind.REJECTED_OP.value
                if result.status == p.OpStatus.CONFLICT:
                    kind = "hq_conflict"
                    if op is not None and op.entity == "service_order":
                        # the only clash head office reports on an order: its late cancel
                        kind = p.ConflictKind.CANCEL_AFTER_COMPLETION.value
                        key = cancel_conflict_key(op.entity_id)
                if add_conflict(s, key, kind, op.entity if op else "?",
                                op.entity_id if op else result.op_id, local,
                                result.reason or result.status, now):
                    kinds.add(CONFLICTS)
        self.bus.publish(kinds)

    def rewind(self, acked_seq: int) -> None:
        with self.db.write() as s:
            state = sync_state(s)
            state.push_acked_seq = acked_seq
            state.inflight_from = state.inflight_to = None
            s.execute(update(OutboxOp).where(OutboxOp.seq > acked_seq)
                      .values(acked_at=None))
        self.bus.publish({events.OUTBOX, SYNC})

    # -- pull ---------------------------------------------------------------------------------
    def pull_cursor(self) -> int:
        with self.db.read() as s:
            state = s.get(SyncState, SINGLETON_ID)
            return state.pull_cursor if state else 0

    def apply_page(self, changes: Sequence[p.Change], next_cursor: int, snapshot: bool, *,
                   can_wait: bool = False) -> None:
        try:
            kinds = self._apply_page(changes, next_cursor, snapshot, careful=False)
        except UNREADABLE as exc:
            if can_wait and _dangling(exc):
                # another device's transaction goes on in the next page (its rows may name
                # each other in any order): the engine hands this page again with that one
                raise DanglingReferences from exc
            # one change this station cannot apply must not block every later one: apply the
            # page again change by change, each in a savepoint, the bad one becoming a conflict
            log.warning("a head-office change could not be applied; retrying the page one "
                        "change at a time", exc_info=True)
            kinds = self._apply_page(changes, next_cursor, snapshot, careful=True)
        self.bus.publish(kinds)

    def _apply_page(self, changes: Sequence[p.Change], next_cursor: int, snapshot: bool,
                    careful: bool) -> set[str]:
        now = self.clock()
        kinds: set[str] = {SYNC}
        with self.db.write() as s, s.no_autoflush:
            # handlers flush where a later lookup must see what they added
            if careful:
                kinds |= _apply_carefully(s, changes, now)
            else:
                for change in changes:
                    kinds |= apply_change(s, change, now)
            if snapshot:
                # head office's notices are replaced by the snapshot's (read marks kept)
                keep = [str(c.payload.get("id") or c.entity_id) for c in changes
                        if c.entity == p.HqEntity.NOTICE]
                s.execute(delete(Notice).where(Notice.id.not_in(keep)))
                kinds.add(NOTICES)
            state = sync_state(s)
            # another process (the window and a scheduled `sync`) may have gone further
            state.pull_cursor = next_cursor if snapshot else max(state.pull_cursor, next_cursor)
        return kinds


def _dangling(exc: BaseException) -> bool:
    """A foreign key the page's own rows do not satisfy (checked when it commits)."""
    return isinstance(exc, IntegrityError) and "FOREIGN KEY" in str(exc).upper()


def _apply_carefully(s: Session, changes: Sequence[p.Change], now: datetime) -> set[str]:
    """Each change in a savepoint with its references checked at once. A change refused for a
    reference (a row a later change of the page may make) is tried again after the others,
    pass after pass while any succeeds; one superseded meanwhile by a later change of its row
    is dropped. Every change still refused becomes a conflict a person sees."""
    kinds: set[str] = set()
    s.info[IMMEDIATE_REFERENCES] = True
    try:
        pending = list(enumerate(changes))
        applied: dict[tuple[str, str], int] = {}
        refused: list[tuple[p.Change, BaseException]] = []
        waiting: list[tuple[int, p.Change, BaseException]] = []
        while pending:
            waiting = []
            for index, change in pending:
                key = (change.entity, change.entity_id)
                if applied.get(key, -1) > index:
                    continue  # a newer version of its row is in already
                try:
                    with s.begin_nested():
                        kinds |= apply_change(s, change, now)
                        s.flush()
                    applied[key] = max(applied.get(key, -1), index)
                except UNREADABLE as exc:
                    if _dangling(exc):
                        waiting.append((index, change, exc))  # its row may come later
                    else:
                        refused.append((change, exc))
            if len(waiting) == len(pending):
                break  # no progress: the rows they name are not in this page
            pending = [(index, change) for index, change, _exc in waiting]
            waiting = []
        for change, exc in [*refused, *((c, e) for _i, c, e in waiting)]:
            add_conflict(s, _conflict_key(change), "unreadable_change",
                         _storable(change.entity), _storable(change.entity_id),
                         _storable(f"{type(exc).__name__}: {exc}")[:500],
                         _storable(json.dumps(change.payload, ensure_ascii=False,
                                              sort_keys=True))[:2000], now)
            kinds.add(CONFLICTS)
    finally:
        s.info.pop(IMMEDIATE_REFERENCES, None)
    return kinds


def _conflict_key(change: p.Change) -> str:
    if change.relayed:
        return f"relay:{change.op_id}:{change.entity}:{change.entity_id}"[:80]
    return f"hq:{change.hq_seq}"


#: the clashes between two devices of the station head office reports on an op (protocol 2)
DEVICE_CLASHES = frozenset({p.STALE_DEVICE_EDIT, p.ORDER_STATUS_MERGED})
#: bookkeeping fields that differ on every version and are no clash a person settles
NOT_CLASHING = frozenset({"revision", "updated_at", "created_at"})


def device_clash(s: Session, op: p.PushOp, result: p.OpResult, now: datetime) -> bool:
    """A stale edit (head office kept another device's newer version) or an order status
    merge (this device's further-along status won) as a conflict a person settles
    (``app.services.device_clash``), with the top-level fields that differ side by side."""
    current = result.current or {}
    fields = {name: {"ours": value, "theirs": current.get(name), "base": None}
              for name, value in sorted(op.payload.items())
              if name not in NOT_CLASHING and _scalar(value)
              and _scalar(current.get(name)) and value != current.get(name)}
    what = f"{op.action or op.op} {op.entity}"
    if result.kind == p.ORDER_STATUS_MERGED:
        local = (f"This device's change ({what}, status {op.payload.get('status', '?')}) "
                 "was further along and became the order's version at head office.")
        remote = (f"Another device's version (status {current.get('status', '?')}, revision "
                  f"{current.get('revision', '?')}) was replaced by it.")
    else:
        local = (f"This device's change ({what}) was made before it had received another "
                 "device's newer version, so head office did not take it.")
        remote = (f"Head office keeps the other device's version (revision "
                  f"{current.get('revision', '?')}).")
    if result.reason:
        remote = f"{remote} {result.reason}"
    return add_conflict(s, f"op:{op.op_id}", result.kind, op.entity, op.entity_id, local,
                        remote, now, fields=fields or None)  # type: ignore[arg-type]


def _scalar(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _storable(text: str) -> str:
    """``text`` with any lone surrogate (a character UTF-8 cannot hold, which head office may
    still send as a JSON escape) written as its escape, ``\\ud800``, so the conflict that
    reports it can be stored and read."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _wire(row: OutboxOp) -> p.PushOp:
    return p.PushOp(
        seq=row.seq, op_id=row.op_id, entity=row.entity, entity_id=row.entity_id, op=row.op,
        payload=json.loads(row.payload), base_revision=row.base_revision,
        schema_version=row.schema_version, created_at=row.created_at.isoformat(),
        action=row.action, username=row.username, seen_hq_seq=row.seen_hq_seq,
    )


__all__ = ["CONFLICTS", "NOTICES", "SYNC", "StationSyncStore", "sync_state"]
