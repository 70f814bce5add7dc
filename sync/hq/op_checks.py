"""Per-op checks of a pushed op before head office applies it: values and references.

A value head office cannot store (a revision past 64 bits, a status longer than its column,
text that is not Unicode) or a reference to another station's row refuses that op alone, with a
reason the station shows; the rest of the batch applies and the station's outbox moves on. The
limits are the head-office columns' own, so SQLite and PostgreSQL refuse the same ops (SQLite
does not enforce a ``String(n)`` length, PostgreSQL does).

A submitted claim batch (三包索赔) cannot change at the station except by head office's
decision: an upsert of a ``claim_batch`` head office holds as submitted is refused when its
lines, overrides, number, period or submission differ from what is held, or when it moves back
to draft; marking it paid (status, paid_at, paid_by, paid_note) and an identical re-send pass.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync import entities as ent
from sync.hq.models import (
    HqClaimBatch,
    HqConflict,
    HqOldPartInspection,
    HqOrder,
    HqPartsOrder,
    HqRecord,
)
from sync.protocol import PushOp

#: the largest integer both databases store (BIGINT; SQLite's INTEGER is 64 bits too)
INT64_MAX = 2**63 - 1
#: a station row's id (UUID text), as the head-office columns keep it
ID_LENGTH = HqRecord.__table__.c.entity_id.type.length


def _length(column: Any) -> int:
    return int(column.type.length)


#: payload fields head office copies into a column of its own, with that column's length
_COLUMNS: dict[str, dict[str, int]] = {
    "service_order": {name: _length(HqOrder.__table__.c[name])
                      for name in ("number", "status", "order_type", "service_mode", "source")},
    "sync_conflict": {name: _length(HqConflict.__table__.c[name])
                      for name in ("kind", "subject_entity", "subject_id")},
    "parts_order": {"number": _length(HqPartsOrder.__table__.c.number)},
    "old_part": {"tag_no": _length(HqOldPartInspection.__table__.c.tag_no)},
    "claim_batch": {"number": _length(HqClaimBatch.__table__.c.number)},
}
#: payload fields that must be text when present (head office reads them as text)
_TEXT = {"service_order": ("contact_phone", "hq_reference"), "sync_conflict": ("detail",)}



class Owners(dict[tuple[str, str], int]):
    """(entity, id) -> station id of the rows the ops refer to; ``claims``: the payload head
    office holds of each claim batch the ops push (id -> (station id, payload)), moved on
    as ops of the batch pass the checks."""

    def __init__(self) -> None:
        super().__init__()
        self.claims: dict[str, tuple[int, dict[str, Any]]] = {}


#: the station states of a claim batch that head office has received as submitted
CLAIM_SUBMITTED = frozenset({"submitted", "decided", "settled", "paid"})
#: the most one claim line may claim, in fen (a batch's sum stays far inside 64 bits)
CLAIM_MAX_FEN = 10**12
#: a submitted batch's fields that never change (the lines and overrides are compared whole)
_CLAIM_FIXED = ("number", "period", "submitted_at", "submitted_by")
#: head office's own answer on a line, which a station may echo back
_CLAIM_HQ_LINE_FIELDS = frozenset({"decision", "approved_fen", "decision_reason",
                                   "decided_at"})


def owners(s: Session, ops: Iterable[PushOp]) -> Owners:
    """Which station holds each row the ops refer to: (entity, id) -> station id, for the
    rows head office knows (records, and orders it dispatched)."""
    ops = list(ops)
    wanted: set[tuple[str, str]] = set()
    for op in ops:
        for entity, ref in _references(op):
            wanted.add((entity, ref))
    out = Owners()
    claim_ids = {op.entity_id for op in ops if op.entity == "claim_batch"}
    if claim_ids:
        for entity_id, station_id, payload in s.execute(select(
                HqRecord.entity_id, HqRecord.station_id, HqRecord.payload).where(
                HqRecord.entity == "claim_batch", HqRecord.entity_id.in_(claim_ids),
                HqRecord.deleted.is_(False))):
            out.claims[entity_id] = (station_id, json.loads(payload))
    if not wanted:
        return out
    ids = {ref for _, ref in wanted}
    for entity, entity_id, station_id in s.execute(select(
            HqRecord.entity, HqRecord.entity_id, HqRecord.station_id).where(
            HqRecord.entity_id.in_(ids))):
        out[(entity, entity_id)] = station_id
    order_ids = {ref for entity, ref in wanted if entity == "service_order"}
    if order_ids:
        for order_id, station_id in s.execute(select(HqOrder.id, HqOrder.station_id).where(
                HqOrder.id.in_(order_ids))):
            out.setdefault(("service_order", order_id), station_id)
    return out


def refusal(op: PushOp, station_id: int, known: Owners) -> str:
    """Why ``op`` cannot be applied for ``station_id`` ("" when it can)."""
    return (_bad_value(op) or _foreign_reference(op, station_id, known)
            or _changed_claim(op, station_id, known))


def _bad_value(op: PushOp) -> str:
    if op.base_revision >= INT64_MAX:
        return f"base_revision {op.base_revision} is out of range (at most {INT64_MAX - 1})"
    p = op.payload
    revision = p.get("revision")
    if isinstance(revision, int) and not isinstance(revision, bool) and not (
            0 <= revision <= INT64_MAX):
        return f"revision {revision} is out of range (0 to {INT64_MAX})"
    for name, limit in _COLUMNS.get(op.entity, {}).items():
        reason = _bad_text(p, name, limit)
        if reason:
            return reason
    for name in _TEXT.get(op.entity, ()):
        reason = _bad_text(p, name, None)
        if reason:
            return reason
    for name in ent.REFERENCES.get(op.entity, {}):
        reason = _bad_text(p, name, ID_LENGTH)
        if reason:
            return reason
    if op.entity == "sync_conflict" and p.get("subject_entity") == "service_order":
        reason = _bad_text(p, "subject_id", ID_LENGTH)
        if reason:
            return reason
    if not _is_unicode(p):
        return "the payload holds text that is not valid Unicode (a lone surrogate)"
    return ""


def _bad_text(p: dict[str, Any], name: str, limit: int | None) -> str:
    value = p.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        return f"{name!r} must be text, not {type(value).__name__}"
    if limit is not None and len(value) > limit:
        return f"{name!r} is longer than {limit} characters"
    if "\x00" in value:
        return f"{name!r} holds a NUL character"
    return ""


def _is_unicode(value: Any) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(_is_unicode(k) and _is_unicode(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_is_unicode(v) for v in value)
    return True


def _references(op: PushOp) -> list[tuple[str, str]]:
    """(entity, id) of every station row ``op`` names besides its own."""
    p = op.payload
    out = [(entity, value) for name, entity in ent.REFERENCES.get(op.entity, {}).items()
           if isinstance(value := p.get(name), str) and value]
    if op.entity == "sync_conflict":
        subject, subject_id = p.get("subject_entity"), p.get("subject_id")
        if isinstance(subject_id, str) and subject_id:
            # a conflict about an order names it even when subject_entity is left out
            kind = subject if isinstance(subject, str) and subject else "service_order"
            spec = ent.spec(kind)
            if spec is not None and spec.owner is ent.Owner.STATION:
                out.append((kind, subject_id))
    return out


def _foreign_reference(op: PushOp, station_id: int, known: Owners) -> str:
    for entity, ref in _references(op):
        holder = known.get((entity, ref))
        if holder is not None and holder != station_id:
            return (f"{op.entity} {op.entity_id} refers to {entity} {ref}, which belongs to "
                    "another station")
    return ""


def _changed_claim(op: PushOp, station_id: int, known: Owners) -> str:
    """Why a push of a claim batch changes what was submitted ("" when it does not); a batch
    that passes becomes what the next op of the same batch is compared with."""
    if op.entity != "claim_batch" or op.op != "upsert":
        return ""
    claims = getattr(known, "claims", None)
    if claims is None:
        return ""
    held = claims.get(op.entity_id)
    if held is not None and held[0] != station_id:
        return ""  # another station's batch: applying refuses it
    new = op.payload
    bad = _bad_claim_lines(new)
    if bad:
        return bad
    if held is not None and str(held[1].get("status") or "") in CLAIM_SUBMITTED:
        old = held[1]
        number = old.get("number") or op.entity_id
        status = str(new.get("status") or "")
        if status not in CLAIM_SUBMITTED:
            return (f"claim batch {number} was submitted; it cannot go back to "
                    f"{status or 'no status'}")
        if str(old.get("status")) == "paid" and status != "paid":
            return f"claim batch {number} is marked paid; it cannot go back to {status}"
        for name in _CLAIM_FIXED:
            if new.get(name) != old.get(name):
                return (f"claim batch {number} was submitted; its {name} cannot change "
                        "(only head office's decision changes a submitted claim)")
        if _claim_lines(new) != _claim_lines(old):
            return (f"claim batch {number} was submitted; its lines cannot change (only "
                    "head office's decision changes a submitted claim)")
        if _by_id(new.get("overrides")) != _by_id(old.get("overrides")):
            return (f"claim batch {number} was submitted; its overrides cannot change "
                    "(only head office's decision changes a submitted claim)")
    claims[op.entity_id] = (station_id, new)
    return ""


def _bad_claim_lines(payload: dict[str, Any]) -> str:
    """Why head office cannot decide the batch's lines ("" when it can): each line an object
    with its own id (as long as a row id) and a whole amount in fen head office can add up."""
    lines = payload.get("lines")
    if lines is None:
        return ""
    if not isinstance(lines, list):
        return "'lines' must be a list"
    ids: set[str] = set()
    for n, line in enumerate(lines, start=1):
        if not isinstance(line, dict):
            return f"line {n} must be an object"
        line_id, amount = line.get("id"), line.get("amount_fen")
        if not isinstance(line_id, str) or not line_id or len(line_id) > ID_LENGTH:
            return f"line {n} needs an 'id' of at most {ID_LENGTH} characters"
        if line_id in ids:
            return f"line {n} repeats the id {line_id}"
        ids.add(line_id)
        if not isinstance(amount, int) or isinstance(amount, bool) or not (
                0 <= amount <= CLAIM_MAX_FEN):
            return f"line {n}: 'amount_fen' must be a whole number from 0 to {CLAIM_MAX_FEN}"
    return ""


def _claim_lines(payload: dict[str, Any]) -> Any:
    lines = payload.get("lines")
    if not isinstance(lines, list):
        return lines
    return _by_id([{k: v for k, v in x.items() if k not in _CLAIM_HQ_LINE_FIELDS}
                   if isinstance(x, dict) else x for x in lines])


def _by_id(items: Any) -> Any:
    """A list of rows in id order (so a re-send in another order is the same), else as is."""
    if not isinstance(items, list):
        return items
    return sorted(items, key=lambda x: json.dumps(x.get("id") if isinstance(x, dict) else x,
                                                  sort_keys=True, default=str))
