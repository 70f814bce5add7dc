"""Applying a pushed batch: exactly once, whole or not at all, against the device's
high-water mark.

One transaction per batch. The station's high-water row, then the device's row, are locked
first (``FOR UPDATE`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite), so concurrent deliveries
of one batch queue up and all but the first find it already applied and get the stored
acknowledgement, and two devices of one station push one after the other. Each device has its
own seq and mark (issue 15); device 1's is also kept in ``HqHighWater``. What each op does
follows its declaration in ``sync.entities``; nothing is decided by anyone's clock. On a
station with two or more active devices every stored op is relayed to the others, and an edit
of a version its device had not seen is refused or merged (``sync.hq.relay``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sync import entities as ent
from sync.hq import conflicts as hq_conflicts
from sync.hq import count_clash, op_checks, relay
from sync.hq import erasure as hq_erasure
from sync.hq.auth import StationIdentity, active_devices
from sync.hq.changes import append_changes
from sync.hq.db import HqDatabase
from sync.hq.devices import first_device
from sync.hq.models import (
    HqBatch,
    HqConflict,
    HqDevice,
    HqHighWater,
    HqOrder,
    HqReceivedOp,
    HqRecord,
    HqRejectedOp,
    HqStation,
)
from sync.protocol import (
    ORDER_STATUS_MERGED,
    STALE_DEVICE_EDIT,
    ConflictKind,
    OpKind,
    OpResult,
    OpStatus,
    PushAck,
    PushBatch,
    PushOp,
)

#: order states in which a station's work is done; a later head-office cancel cannot undo them
FINISHED = frozenset({"completed", "visited", "closed"})


class Gap(Exception):
    def __init__(self, expected_seq: int) -> None:
        super().__init__(f"expected seq {expected_seq}")
        self.expected_seq = expected_seq


class DeviceRevoked(Exception):
    """The device was revoked after its request was let in: nothing of the batch is kept."""


@dataclass(frozen=True)
class Outcome:
    status: OpStatus
    reason: str = ""
    #: protocol 2: ``STALE_DEVICE_EDIT`` / ``ORDER_STATUS_MERGED`` and head office's row
    kind: str = ""
    current: dict[str, Any] | None = None


@dataclass
class _Device:
    """The pushing device within the batch's transaction."""

    id: int
    number: int
    #: the station has two or more active devices: relay, and the stale rule
    multi: bool
    relays: relay.Relays
    #: rows this batch stored already (a later op of the same device builds on them)
    touched: set[tuple[str, str]] = field(default_factory=set)
    #: merges to record as conflicts once their change has its hq_seq: (row index, detail)
    merges: list[tuple[int, str, str]] = field(default_factory=list)
    #: rows this batch merged: the device gets the merge back, so a later op of the batch on
    #: the same row must reach it too (else the merge, older, would be its last word)
    merged: set[tuple[str, str]] = field(default_factory=set)


def push(db: HqDatabase, station: StationIdentity, batch: PushBatch, now: datetime) -> PushAck:
    """Applies ``batch`` for ``station`` (from the token) or returns its stored acknowledgement.

    Raises ``Gap`` when ops before ``from_seq`` are missing. A concurrent duplicate that loses
    the race on the unique batch row is answered from the winner's stored acknowledgement.
    """
    try:
        return _push_once(db, station, batch, now)
    except IntegrityError:
        # only reachable if two deliveries got past the lock together (should not happen);
        # the committed one's acknowledgement is the answer
        return _push_once(db, station, batch, now)


def _push_once(db: HqDatabase, station: StationIdentity, batch: PushBatch,
               now: datetime) -> PushAck:
    with db.write() as s:
        mark = s.scalars(
            db.lock_for_update(select(HqHighWater).where(HqHighWater.station_id == station.id))
        ).one()
        device_id = station.device_id or first_device(s, station.id).id
        device = s.scalars(db.lock_for_update(
            select(HqDevice).where(HqDevice.id == device_id))).one()
        if device.revoked:  # revoked while this request waited: it stops at once
            raise DeviceRevoked
        hw = device.high_water
        if batch.to_seq <= hw:
            return _replay(s, station, batch, hw)
        if batch.from_seq > hw + 1:
            raise Gap(hw + 1)
        ids = [op.op_id for op in batch.ops]
        seen = {r.op_id: r for r in s.scalars(select(HqReceivedOp).where(
            HqReceivedOp.station_id == station.id, HqReceivedOp.op_id.in_(ids)))}
        known = _prefetch(db, s, batch)
        holders = op_checks.owners(s, batch.ops)
        me = _Device(device.id, device.number, active_devices(s, station.id) > 1,
                     relay.Relays(station.id, device.id))
        results = []
        received: list[dict[str, Any]] = []
        for op in batch.ops:
            prior = seen.get(op.op_id)
            if prior is not None:  # seen before (overlapping batch): never applied twice
                results.append(OpResult(op.op_id, prior.status, prior.reason))
                continue
            if op.seq <= hw:
                results.append(OpResult(op.op_id, OpStatus.REJECTED.value,
                                        f"seq {op.seq} is at or below the high-water mark "
                                        f"{hw} but this op was never received"))
                continue
            refused = op_checks.refusal(op, station.id, holders)
            if refused:  # a value head office cannot keep, or another station's row
                outcome = Outcome(OpStatus.REJECTED, refused)
            else:
                with s.no_autoflush:
                    outcome = _apply_op(s, station, op, known, now, me)
            received.append({"station_id": station.id, "device_id": device.id,
                             "op_id": op.op_id, "seq": op.seq,
                             "entity": op.entity, "entity_id": op.entity_id, "op": op.op,
                             "action": op.action, "username": op.username,
                             "station_time": op.created_at, "status": outcome.status.value,
                             "reason": outcome.reason[:500], "received_at": now})
            if outcome.status is OpStatus.REJECTED:
                s.add(HqRejectedOp(station_id=station.id, batch_id=batch.batch_id, seq=op.seq,
                                   op_id=op.op_id, entity=op.entity, entity_id=op.entity_id,
                                   op=op.op, payload=_dump(op.payload),
                                   reason=outcome.reason[:500], created_at=now))
            results.append(OpResult(op.op_id, outcome.status.value, outcome.reason,
                                    outcome.kind, outcome.current))
        if received:  # one multi-row insert: the audit rows are the bulk of a batch
            s.execute(insert(HqReceivedOp), received)
        # the relayed ops, in op order, with one take of the change-log counter
        seqs = append_changes(db, s, me.relays.rows, now)
        me.relays.mark(seqs)
        for index, order_id, detail in me.merges:
            record_conflict(s, station.id, ORDER_STATUS_MERGED, "service_order", order_id,
                            detail, "hq", now, clash=seqs[index])
        device.high_water = batch.to_seq
        device.last_push_at = now
        if device.number == 1:  # protocol 1's mark stays equal to device 1's
            mark.high_water = batch.to_seq
        ack = PushAck(batch.batch_id, batch.to_seq, False, tuple(results))
        s.add(HqBatch(station_id=station.id, batch_id=batch.batch_id, from_seq=batch.from_seq,
                      to_seq=batch.to_seq, ack_json=_dump(ack.to_json()), received_at=now))
        row = s.get(HqStation, station.id)
        if row is not None:
            row.last_push_at = now
        return ack


def _replay(s: Session, station: StationIdentity, batch: PushBatch, hw: int) -> PushAck:
    stored = s.scalar(select(HqBatch.ack_json).where(HqBatch.station_id == station.id,
                                                     HqBatch.batch_id == batch.batch_id))
    if stored is not None:
        old = PushAck.from_json(json.loads(stored))
        return PushAck(old.batch_id, hw, True, old.results)
    # the station re-cut its batches (e.g. after a crash): answer op by op from what we hold
    ids = [op.op_id for op in batch.ops]
    seen = {r.op_id: r for r in s.scalars(select(HqReceivedOp).where(
        HqReceivedOp.station_id == station.id, HqReceivedOp.op_id.in_(ids)))}
    results = []
    for op in batch.ops:
        prior = seen.get(op.op_id)
        if prior is not None:
            results.append(OpResult(op.op_id, prior.status, prior.reason))
        else:
            results.append(OpResult(op.op_id, OpStatus.REJECTED.value,
                                    f"seq {op.seq} is at or below the high-water mark {hw} "
                                    "but this op was never received"))
    return PushAck(batch.batch_id, hw, True, tuple(results))


@dataclass
class _Known:
    """What head office already holds of the rows a batch touches, loaded up front (a few
    queries per batch instead of several per op); rows the batch adds are added here too."""

    records: dict[tuple[str, str], HqRecord]
    orders: dict[str, HqOrder]
    numbers: set[str]


def _prefetch(db: HqDatabase, s: Session, batch: PushBatch) -> _Known:
    ids = {op.entity_id for op in batch.ops}
    records = {(r.entity, r.entity_id): r
               for r in s.scalars(select(HqRecord).where(HqRecord.entity_id.in_(ids)))}
    order_ops = [op for op in batch.ops
                 if (sp := ent.spec(op.entity)) is not None and sp.storage is ent.Storage.ORDER]
    orders: dict[str, HqOrder] = {}
    numbers: set[str] = set()
    if order_ops:
        # locked: a head-office cancel of the same order waits, so the clash is always seen
        orders = {o.id: o for o in s.scalars(db.lock_for_update(
            select(HqOrder).where(HqOrder.id.in_({op.entity_id for op in order_ops}))))}
        wanted = {str(op.payload["number"]) for op in order_ops if op.payload.get("number")}
        if wanted:
            numbers = set(s.scalars(select(HqOrder.number).where(HqOrder.number.in_(wanted))))
    return _Known(records, orders, numbers)


def _apply_op(s: Session, station: StationIdentity, op: PushOp, known: _Known,
              now: datetime, me: _Device) -> Outcome:
    spec = ent.spec(op.entity)
    if spec is None:
        return Outcome(OpStatus.REJECTED, f"unknown entity {op.entity!r}")
    if spec.owner is not ent.Owner.STATION:
        return Outcome(OpStatus.REJECTED, f"{op.entity} is owned by head office; a station "
                       "cannot push it")
    if op.op not in spec.ops:
        return Outcome(OpStatus.REJECTED, f"{op.entity} does not take {op.op!r} ops")
    if op.entity == "station" and op.payload.get("code") not in (None, station.code):
        return Outcome(OpStatus.REJECTED, f"station code {op.payload.get('code')!r} does not "
                       f"match the token's station {station.code}")
    if spec.storage is ent.Storage.CONFLICT:
        return _station_conflict(s, station, op, now)
    existing = known.records.get((op.entity, op.entity_id))
    if existing is not None and existing.station_id != station.id:
        return Outcome(OpStatus.REJECTED, f"{op.entity} {op.entity_id} belongs to another "
                       "station")
    if spec.storage is ent.Storage.LEDGER and existing is not None:
        return Outcome(OpStatus.APPLIED, "already recorded")  # and not relayed again
    key = (op.entity, op.entity_id)
    replaced: dict[str, Any] | None = None
    if me.multi and key not in me.touched and existing is not None \
            and relay.is_stale(op, spec, existing, me.id):
        replaced = relay.current_payload(existing)
        if not (spec.storage is ent.Storage.ORDER and op.op == OpKind.UPSERT
                and relay.further_along(op.payload.get("status"), replaced.get("status"))):
            gone = " (deleted there)" if existing.deleted else ""
            return Outcome(OpStatus.REJECTED,
                           f"{op.entity} {op.entity_id} was changed by another device of the "
                           f"station{gone} after this device last pulled (change "
                           f"{existing.last_change_seq}, this device had seen "
                           f"{op.seen_hq_seq}); head office keeps that version",
                           STALE_DEVICE_EDIT, replaced)
        # the order is further along on this device: its version wins, one revision on
        op = replace(op, payload=relay.merged_payload(op, existing))
    op = _without_erased_person(s, station, op, known)
    outcome = Outcome(OpStatus.APPLIED)
    if spec.storage is ent.Storage.ORDER:
        outcome = _project_order(s, station, op, known, now)
        if outcome.status is OpStatus.REJECTED:
            return outcome
    record = _store_record(s, station, op, existing, now)
    # the device whose version this is (0: head office's merge, every device's)
    record.last_device_id = me.id if replaced is None else 0
    known.records[key] = record
    me.touched.add(key)
    if op.entity == hq_erasure.ENTITY:  # head office erases its copy of the person's data
        hq_erasure.erase(s, station.id, op.payload)
    if replaced is not None:
        me.merged.add(key)
        me.relays.add(op, op.payload, record, to_every_device=True)
        detail = (f"Order {op.payload.get('number') or op.entity_id}: device {me.number} set "
                  f"it to {op.payload.get('status')} before it had seen another device's "
                  f"change to {replaced.get('status')}; {op.payload.get('status')} is further "
                  "along, so head office kept it and sent it to every device.")
        me.merges.append((len(me.relays.rows) - 1, op.entity_id, detail))
        return Outcome(OpStatus.CONFLICT, detail, ORDER_STATUS_MERGED, replaced)
    if me.multi and ent.relayed(op.entity):
        me.relays.add(op, op.payload, record, to_every_device=key in me.merged)
        twice = count_clash.concurrent_count(s, station.id, me.id, op)
        if twice is not None:  # kept (the ledger only grows); a person recounts
            detail = (f"Stock count {op.payload.get('number')} and another device's count "
                      f"{twice} counted the same parts without either seeing the other: "
                      "both adjustments stand, so those parts' stock is counted twice; "
                      "count them again.")
            record_conflict(s, station.id, "count_clash", op.entity, op.entity_id, detail,
                            "hq", now)
            return Outcome(OpStatus.CONFLICT, detail)
    return outcome


def _without_erased_person(s: Session, station: StationIdentity, op: PushOp,
                           known: _Known) -> PushOp:
    """A row of a person the station erased, written by a device before it had seen the
    erasure (his order moved on offline, a message queued to him): head office keeps it, and
    relays it, without his data, as the erasure left his other rows."""
    personal = hq_erasure.late_fields(op.entity, op.payload) if op.op != OpKind.DELETE else {}
    if not personal:
        return op

    def record_of(entity: str, entity_id: str) -> str | None:
        held = known.records.get((entity, entity_id))
        if held is not None:
            return held.payload
        return s.scalar(select(HqRecord.payload).where(HqRecord.station_id == station.id,
                                                       HqRecord.entity == entity,
                                                       HqRecord.entity_id == entity_id))

    order = None
    if not op.payload.get("customer_id") and op.payload.get("order_id"):
        text = record_of("service_order", str(op.payload["order_id"]))
        order = json.loads(text) if text else None
    customer_id = hq_erasure.customer_of(op.payload, order)
    if not customer_id or not hq_erasure.is_erased(record_of("customer", customer_id)):
        return op
    return replace(op, payload={**op.payload, **personal})


def _store_record(s: Session, station: StationIdentity, op: PushOp,
                  existing: HqRecord | None, now: datetime) -> HqRecord:
    revision = op.payload.get("revision")
    if not isinstance(revision, int) or isinstance(revision, bool):
        revision = op.base_revision + 1
    if existing is None:
        existing = HqRecord(station_id=station.id, entity=op.entity, entity_id=op.entity_id,
                            payload="{}")
        s.add(existing)
    if op.op == OpKind.DELETE:
        existing.deleted = True  # a tombstone: head office keeps what the row last held
    else:
        existing.payload = _dump(op.payload)
        existing.deleted = False
    existing.revision = revision
    existing.last_seq = op.seq
    existing.updated_at = now
    return existing


def _project_order(s: Session, station: StationIdentity, op: PushOp, known: _Known,
                   now: datetime) -> Outcome:
    p = op.payload
    order = known.orders.get(op.entity_id)
    if order is not None and order.station_id != station.id:
        return Outcome(OpStatus.REJECTED, f"order {op.entity_id} belongs to another station")
    status = str(p.get("status") or (order.status if order else "received"))
    number = str(p.get("number") or (order.number if order else op.entity_id))
    if order is None:
        if number in known.numbers:
            return Outcome(OpStatus.REJECTED, f"order number {number} is already used by "
                           "another order")
        order = HqOrder(id=op.entity_id, station_id=station.id, number=number, status=status,
                        order_type="", service_mode="", source="", customer_name="",
                        contact_phone="", hq_reference="", revision=0, dispatched=False,
                        dispatch_payload="", hq_revision=0, dispatch_seq=0, cancel_state="",
                        cancel_reason="", cancel_seq=0, created_at=now)
        s.add(order)
        known.orders[order.id] = order
        known.numbers.add(number)
    order.status = status
    order.order_type = str(p.get("order_type") or order.order_type)
    order.service_mode = str(p.get("service_mode") or order.service_mode)
    order.source = str(p.get("source") or order.source)
    order.contact_phone = str(p.get("contact_phone") or order.contact_phone)[:32]
    order.hq_reference = str(p.get("hq_reference") or order.hq_reference)[:64]
    revision = p.get("revision")
    if isinstance(revision, int) and not isinstance(revision, bool):
        order.revision = max(order.revision, revision)
    order.updated_at = now
    if order.cancel_state in ("confirmed", "conflict") and status not in FINISHED \
            and status != "cancelled":
        # the station reopened the order after head office's cancel (the state machine allows
        # a manager to): that cancel is spent, the order is open and head office may edit or
        # cancel it again (and a snapshot must not cancel it a second time)
        order.cancel_state = ""
    if order.cancel_state == "pending":
        if status == "cancelled":
            order.cancel_state = "confirmed"
        elif status in FINISHED:
            # the completion stands; head office's cancel becomes a conflict for a person
            order.cancel_state = "conflict"
            detail = (f"Head office cancelled order {order.number} ({order.cancel_reason}) "
                      f"but the station had already {status} it; the {status} state stands.")
            record_conflict(s, station.id, ConflictKind.CANCEL_AFTER_COMPLETION,
                            "service_order", order.id, detail, "hq", now,
                            clash=order.cancel_seq)
            return Outcome(OpStatus.CONFLICT, detail)
    return Outcome(OpStatus.APPLIED)


def _station_conflict(s: Session, station: StationIdentity, op: PushOp,
                      now: datetime) -> Outcome:
    p = op.payload
    kind = str(p.get("kind") or "")
    subject_id = str(p.get("subject_id") or "")
    if not kind or not subject_id:
        return Outcome(OpStatus.REJECTED, "a sync_conflict needs kind and subject_id")
    # the head-office change the station found clashing (its refused edit, its late cancel)
    clash = p.get("hq_seq")
    if not isinstance(clash, int) or isinstance(clash, bool) or not 0 <= clash < 2**63:
        clash = 0
    if kind == ConflictKind.CANCEL_AFTER_COMPLETION:
        order = s.get(HqOrder, subject_id)
        if order is not None and order.station_id == station.id and order.cancel_state:
            order.cancel_state = "conflict"
            clash = order.cancel_seq  # head office knows its cancel, whatever the report says
    record_conflict(s, station.id, kind, str(p.get("subject_entity") or ""), subject_id,
                    str(p.get("detail") or ""), "station", now, clash=clash)
    # a stale edit's fields side by side; once settled at the station, how
    hq_conflicts.note_report(s, station.id, kind, subject_id, clash, p, now)
    return Outcome(OpStatus.APPLIED)


def record_conflict(s: Session, station_id: int, kind: str, subject_entity: str,
                    subject_id: str, detail: str, found_by: str, now: datetime,
                    clash: int = 0) -> bool:
    """Adds the conflict unless this clash (station, kind, subject and the head-office change
    ``clash`` it is about) is already recorded."""
    kind, subject_id = str(kind)[:32], subject_id[:36]
    exists = s.scalar(select(HqConflict.id).where(HqConflict.station_id == station_id,
                                                  HqConflict.kind == kind,
                                                  HqConflict.subject_id == subject_id,
                                                  HqConflict.clash == clash))
    if exists is not None:
        return False
    s.add(HqConflict(station_id=station_id, kind=kind,
                     subject_entity=subject_entity[:32], subject_id=subject_id,
                     clash=clash, detail=detail, found_by=found_by, created_at=now))
    s.flush()
    return True


def _dump(obj: Any) -> str:
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a refused payload with a lone surrogate is kept escaped
        return json.dumps(obj, sort_keys=True)
    return text
