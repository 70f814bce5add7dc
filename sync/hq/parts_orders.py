"""Head office's answer to a station's order of parts (零件订购): confirming it (per line, as
many as ordered or fewer) and shipping it (per line, in one or more shipments, never more
than confirmed). Each answer is one ``parts_order_update`` change addressed to the owning
station, carrying head office's whole answer so far (every line's confirmed and shipped
quantity), so a station that applies it twice, or from a snapshot, ends the same.

Head office knows the order from the station's pushed ``parts_order`` record (its number,
lines and the station's status); its own answer lives in ``HqPartsOrder``. Refusals are
``AdminError`` messages for the operator.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.hq import changes
from sync.hq.db import HqDatabase
from sync.hq.errors import AdminError
from sync.hq.models import HqPartsOrder, HqRecord
from sync.protocol import HqEntity

ENTITY = "parts_order"
MAX_NOTE = 200
MAX_QUANTITY = 1_000_000


@dataclass(frozen=True)
class AnswerLine:
    part_no: str
    ordered: int
    confirmed: int
    shipped: int


@dataclass(frozen=True)
class PartsOrderAnswer:
    parts_order_id: str
    number: str
    status: str
    hq_seq: int
    lines: tuple[AnswerLine, ...]


def parse_lines(items: list[str] | None) -> dict[str, int] | None:
    """``["GR-CAP-35=2", ...]`` as {part number: quantity}; None when no line was given."""
    if not items:
        return None
    out: dict[str, int] = {}
    for item in items:
        part_no, sep, qty = item.rpartition("=")
        part_no = part_no.strip().upper()
        try:
            quantity = int(qty.strip()) if sep and part_no else -1
        except ValueError:
            quantity = -1
        if quantity < 0 or quantity > MAX_QUANTITY:
            raise AdminError(f"--line {item!r}: give PART_NO=QTY, QTY a whole number from 0 "
                             f"to {MAX_QUANTITY}.")
        if part_no in out:
            raise AdminError(f"--line names part {part_no} twice.")
        out[part_no] = quantity
    return out


def confirm(db: HqDatabase, s: Session, ref: str, lines: dict[str, int] | None, note: str,
            now: datetime) -> PartsOrderAnswer:
    """Confirms a submitted order: every line in full, or as ``lines`` says (0 to ordered)."""
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise AdminError(f"The note is longer than {MAX_NOTE} characters.")
    record = _record(db, s, ref)
    order = json.loads(record.payload)
    number = str(order.get("number") or record.entity_id)
    answered = _answer(db, s, record.entity_id)
    if answered is not None:
        raise AdminError(f"Parts order {number} was already confirmed by head office "
                         f"({answered.status}).")
    status = str(order.get("status") or "")
    if status != "submitted":
        raise AdminError(f"Parts order {number} is {status} at the station; only a submitted "
                         "order can be confirmed.")
    ordered = _lines(order)
    _check_known(number, ordered, lines)
    out = []
    for no, line in ordered.items():
        quantity = int(line.get("quantity") or 0)
        confirmed = quantity if lines is None or no not in lines else lines[no]
        if confirmed > quantity:
            raise AdminError(f"Cannot confirm {confirmed} of {no}: the station ordered "
                             f"{quantity}.")
        out.append({"part_id": str(line.get("part_id") or ""), "part_no": no,
                    "quantity": quantity, "confirmed_quantity": confirmed,
                    "shipped_quantity": 0})
    if not any(x["confirmed_quantity"] for x in out):
        raise AdminError(f"Nothing of parts order {number} would be confirmed; confirm at "
                         "least one part (the station cancels an order it no longer needs).")
    payload = {"parts_order_id": record.entity_id, "number": number, "status": "confirmed",
               "hq_revision": 1, "note": note, "confirmed_at": now.isoformat(),
               "shipped_at": None, "lines": out}
    seq = _send(db, s, record.station_id, record.entity_id, payload, now)
    s.add(HqPartsOrder(id=record.entity_id, station_id=record.station_id, number=number,
                       status="confirmed", payload=_dump(payload), hq_seq=seq, updated_at=now))
    return _result(payload, seq)


def ship(db: HqDatabase, s: Session, ref: str, lines: dict[str, int] | None,
         now: datetime) -> PartsOrderAnswer:
    """Ships what is confirmed and not yet shipped, or as ``lines`` says (this shipment's
    quantity per part, 0 for none)."""
    record = _record(db, s, ref)
    order = json.loads(record.payload)
    number = str(order.get("number") or record.entity_id)
    answered = _answer(db, s, record.entity_id)
    if str(order.get("status")) == "cancelled":
        raise AdminError(f"Parts order {number} was cancelled by the station; nothing can be "
                         "shipped.")
    if answered is None:
        raise AdminError(f"Parts order {number} is not confirmed yet; confirm it first.")
    payload = json.loads(answered.payload)
    by_no = {str(x["part_no"]).upper(): x for x in payload["lines"]}
    _check_known(number, by_no, lines)
    total = 0
    for no, x in by_no.items():
        left = int(x["confirmed_quantity"]) - int(x["shipped_quantity"])
        quantity = left if lines is None else lines.get(no, 0)
        if quantity > left:
            raise AdminError(f"Cannot ship {quantity} of {no}: {x['confirmed_quantity']} "
                             f"confirmed, {x['shipped_quantity']} shipped already.")
        x["shipped_quantity"] = int(x["shipped_quantity"]) + quantity
        total += quantity
    if total == 0:
        raise AdminError(f"Nothing left to ship on parts order {number}." if lines is None
                         else f"Nothing to ship on parts order {number}: every quantity "
                         "given is 0.")
    payload["status"] = "shipped"
    payload["shipped_at"] = now.isoformat()
    payload["hq_revision"] = int(payload.get("hq_revision") or 1) + 1
    seq = _send(db, s, record.station_id, record.entity_id, payload, now)
    answered.status = "shipped"
    answered.payload = _dump(payload)
    answered.hq_seq = seq
    answered.updated_at = now
    return _result(payload, seq)


# -- helpers -------------------------------------------------------------------------------------


def _record(db: HqDatabase, s: Session, ref: str) -> HqRecord:
    """The station's pushed order, by id or number, locked so two answers queue up."""
    ref = (ref or "").strip()
    if not ref:
        raise AdminError("Name the parts order (PO-... number).")
    query = select(HqRecord).where(HqRecord.entity == ENTITY)
    record = s.scalar(db.lock_for_update(query.where(HqRecord.entity_id == ref)))
    if record is None:
        number = ref.upper()
        known = s.scalar(select(HqPartsOrder.id).where(HqPartsOrder.number == number))
        if known is not None:
            record = s.scalar(db.lock_for_update(query.where(HqRecord.entity_id == known)))
        else:
            # the number is inside the station's payload (written with sort_keys, ": ")
            for candidate in s.scalars(db.lock_for_update(query.where(
                    HqRecord.payload.contains(_dump({"number": number})[1:-1])))):
                if json.loads(candidate.payload).get("number") == number:
                    record = candidate
                    break
    if record is None:
        raise AdminError(f"No parts order {ref!r} is known to head office (has the station "
                         "submitted it and synced since?).")
    return record


def _answer(db: HqDatabase, s: Session, parts_order_id: str) -> HqPartsOrder | None:
    return s.scalar(db.lock_for_update(select(HqPartsOrder).where(
        HqPartsOrder.id == parts_order_id)))


def _lines(order: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {str(x.get("part_no") or x.get("part_id")).upper(): x
            for x in order.get("lines") or []}


def _check_known(number: str, known: dict[str, Any], wanted: dict[str, int] | None) -> None:
    unknown = sorted(set(wanted or {}) - set(known))
    if unknown:
        raise AdminError(f"Part {', '.join(unknown)} is not on parts order {number}; its "
                         f"parts are {', '.join(sorted(known))}.")


def _send(db: HqDatabase, s: Session, station_id: int, parts_order_id: str,
          payload: dict[str, Any], now: datetime) -> int:
    return changes.append_change(db, s, station_id=station_id,
                                 entity=HqEntity.PARTS_ORDER_UPDATE.value,
                                 entity_id=parts_order_id, op="upsert", payload=payload,
                                 now=now)


def _result(payload: dict[str, Any], seq: int) -> PartsOrderAnswer:
    return PartsOrderAnswer(
        payload["parts_order_id"], payload["number"], payload["status"], seq,
        tuple(AnswerLine(x["part_no"], x["quantity"], x["confirmed_quantity"],
                         x["shipped_quantity"]) for x in payload["lines"]))


def _dump(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True)
