"""Head office's side of old-part returns (旧件返厂): recording that a station's returned old
parts arrived (a whole shipment at once) and each one's inspection (by its tag), each as an
``old_part_inspection`` change for the station that owns the tag, in the same transaction;
the latest answer per old part is kept (``HqOldPartInspection``) and re-sent in a snapshot.

Head office knows the old parts and shipments only from what stations pushed: the generic
records of entities ``old_part`` and ``old_part_shipment``. The ``repair-station-hq old-parts
...`` commands are built and run here; ``sync/hq/__main__.py`` only hands them over.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.parts import InspectionResult
from sync.hq import changes
from sync.hq.db import HqDatabase
from sync.hq.errors import AdminError
from sync.hq.i18n import said
from sync.hq.models import HqOldPartInspection, HqRecord, HqStation, utcnow
from sync.protocol import Change, HqEntity

RESULTS = tuple(r.value for r in InspectionResult)
MAX_NOTE = 200
#: the station's states in which the old part is on its way or already here
_SENT = frozenset({"packed", "shipped", "received", "inspected"})


@dataclass(frozen=True)
class Answer:
    """One answer sent to a station about one old part."""

    station: str
    tag_no: str
    status: str  # received | inspected
    result: str
    hq_seq: int


def inspect(db: HqDatabase, tag: str, result: str, note: str = "",
            clock: Callable[[], datetime] = utcnow) -> Answer:
    """Records head office's inspection of the old part tagged ``tag``."""
    if result not in RESULTS:
        raise AdminError(f"--result must be one of: {', '.join(RESULTS)}.")
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise AdminError(f"The note is at most {MAX_NOTE} characters.")
    now = clock()
    with db.write() as s:
        record, data = _old_part(s, tag)
        return _answer(db, s, record, data, "inspected", result, note, now)


def receive(db: HqDatabase, shipment: str,
            clock: Callable[[], datetime] = utcnow) -> list[Answer]:
    """Records that the old parts of the return shipment numbered ``shipment`` arrived
    (parts already received or inspected are left as they are)."""
    number = shipment.strip().upper()
    now = clock()
    with db.write() as s:
        ship = _record_by(s, "old_part_shipment", "number", number)
        if ship is None:
            raise AdminError(f"No return shipment {number} is known to head office; has the "
                             "station synced since packing it?")
        out = []
        for record in _records_like(s, "old_part", "shipment_id", ship.entity_id,
                                    ship.station_id):
            data = json.loads(record.payload)
            done = s.get(HqOldPartInspection, record.entity_id)
            if done is not None:
                continue
            out.append(_answer(db, s, record, data, "received", "", "", now))
        if not out:
            raise AdminError(f"Shipment {number} holds no old part that is still to be "
                             "received.")
        return out


def answers(db: HqDatabase, code: str | None = None) -> list[Answer]:
    """What head office answered about old parts, by tag."""
    with db.read() as s:
        stmt = (select(HqOldPartInspection, HqStation.code)
                .join(HqStation, HqStation.id == HqOldPartInspection.station_id)
                .order_by(HqOldPartInspection.tag_no))
        if code:
            stmt = stmt.where(HqStation.code == code.strip().upper())
        return [Answer(st, r.tag_no, r.status, json.loads(r.payload).get("result", ""),
                       r.hq_seq) for r, st in s.execute(stmt)]


def snapshot_changes(s: Session, station_id: int) -> list[Change]:
    """Head office's latest answer about each of the station's old parts."""
    rows = s.scalars(select(HqOldPartInspection)
                     .where(HqOldPartInspection.station_id == station_id)
                     .order_by(HqOldPartInspection.hq_seq))
    return [Change(r.hq_seq, HqEntity.OLD_PART_INSPECTION.value, r.id, "upsert",
                   json.loads(r.payload)) for r in rows]


# -- the command line ----------------------------------------------------------------------------


def add_commands(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    """``old-parts inspect TAG --result R [--note N]``, ``old-parts receive SHIPMENT``,
    ``old-parts list [--station CODE]``."""
    group = sub.add_parser("old-parts", parents=parents,
                           help="old parts stations sent back: receive, inspect, list")
    cmds = group.add_subparsers(dest="old_parts_command", required=True, metavar="ACTION")
    one = cmds.add_parser("inspect", parents=parents, help="record an old part's inspection")
    one.add_argument("tag", metavar="TAG", help="the old part's tag number (OP-...)")
    one.add_argument("--result", required=True, choices=RESULTS)
    one.add_argument("--note", default="")
    got = cmds.add_parser("receive", parents=parents,
                          help="record that a return shipment's old parts arrived")
    got.add_argument("shipment", metavar="SHIPMENT", help="the shipment number (RS-...)")
    listed = cmds.add_parser("list", parents=parents, help="list head office's answers")
    listed.add_argument("--station")


def run_command(args: argparse.Namespace, db: HqDatabase,
                clock: Callable[[], datetime] = utcnow) -> int:
    action = args.old_parts_command
    if action == "inspect":
        a = inspect(db, args.tag, args.result, args.note, clock)
        print(said(f"Old part {a.tag_no} of station {a.station}: {a.result}; the station "
                   "learns it at its next sync."))
    elif action == "receive":
        got = receive(db, args.shipment, clock)
        for a in got:
            print(f"{a.tag_no}  {said('received')}")
        print(said(f"{len(got)} old part(s) of {args.shipment.strip().upper()} received; the "
                   f"station learns it at its next sync."))
    else:
        rows = answers(db, args.station)
        for a in rows:
            print(f"{a.station}  {a.tag_no}  {said(a.status)}  {said(a.result)}")
        print(said(f"{len(rows)} old part(s)."))
    return 0


# -- internals -----------------------------------------------------------------------------------


def _answer(db: HqDatabase, s: Session, record: HqRecord, data: dict[str, Any], status: str,
            result: str, note: str, now: datetime) -> Answer:
    tag = str(data.get("tag_no") or "")
    if str(data.get("status") or "") not in _SENT:
        raise AdminError(f"Old part {tag} has not been packed for return by its station (it "
                         f"is {data.get('status') or 'unknown'} there).")
    payload = {"old_part_id": record.entity_id, "tag_no": tag, "status": status,
               "result": result, "note": note, "at": now.isoformat()}
    seq = changes.append_change(db, s, station_id=record.station_id,
                                entity=HqEntity.OLD_PART_INSPECTION.value,
                                entity_id=record.entity_id, op="upsert", payload=payload,
                                now=now)
    row = s.get(HqOldPartInspection, record.entity_id)
    if row is None:
        row = HqOldPartInspection(id=record.entity_id, station_id=record.station_id,
                                  tag_no=tag, status=status, payload="{}")
        s.add(row)
    row.status = status
    row.payload = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    row.hq_seq = seq
    row.updated_at = now
    s.flush()
    station = s.get(HqStation, record.station_id)
    return Answer(station.code if station else "", tag, status, result, seq)


def _old_part(s: Session, tag: str) -> tuple[HqRecord, dict[str, Any]]:
    tag = tag.strip().upper()
    record = _record_by(s, "old_part", "tag_no", tag)
    if record is None:
        raise AdminError(f"No old part {tag} is known to head office; has its station "
                         "synced since collecting it?")
    return record, json.loads(record.payload)


def _record_by(s: Session, entity: str, key: str, value: str) -> HqRecord | None:
    return next(iter(_records_like(s, entity, key, value)), None)


def _records_like(s: Session, entity: str, key: str, value: str,
                  station_id: int | None = None) -> list[HqRecord]:
    """The live records of ``entity`` whose payload holds ``key`` = ``value``: narrowed by
    the text the payload is stored as, then checked on the parsed payload."""
    needle = json.dumps({key: value}, ensure_ascii=False)[1:-1]
    stmt = select(HqRecord).where(HqRecord.entity == entity, HqRecord.deleted.is_(False),
                                  HqRecord.payload.contains(needle, autoescape=True))
    if station_id is not None:
        stmt = stmt.where(HqRecord.station_id == station_id)
    return [r for r in s.scalars(stmt.order_by(HqRecord.id))
            if json.loads(r.payload).get(key) == value]
