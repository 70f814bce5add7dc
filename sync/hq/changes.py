"""Head office's change log: appending changes for stations, reading pull pages, building the
snapshot a station re-downloads after 410, and pruning old tombstones.

Cursors: a station sends ``since`` = the last ``hq_seq`` it applied. ``since`` older than what
has been pruned, or newer than any ``hq_seq`` ever issued (head office restored from a backup),
is expired: the station must take a snapshot.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select
from sqlalchemy.orm import Session

from sync.entities import PRIMARY_ONLY
from sync.hq import claims, notify, old_parts, policy
from sync.hq.db import HqDatabase
from sync.hq.devices import DeviceView
from sync.hq.models import (
    HqChange,
    HqDevice,
    HqMeta,
    HqNotice,
    HqOrder,
    HqPart,
    HqPartsOrder,
    HqStation,
)
from sync.protocol import Change, HqEntity, PullPage, Snapshot

DEFAULT_RETENTION_DAYS = 90


class CursorExpired(Exception):
    """``since`` is older than the retained change log (or from a future head office lost)."""


def append_change(
    db: HqDatabase,
    s: Session,
    *,
    station_id: int | None,
    entity: str,
    entity_id: str,
    op: str,
    payload: dict[str, Any],
    now: datetime,
) -> int:
    """Adds one change in ``s``'s transaction and returns its ``hq_seq``.

    The counter row is locked until commit, so changes commit in ``hq_seq`` order.
    """
    counter = s.scalars(
        db.lock_for_update(select(HqMeta).where(HqMeta.key == "last_hq_seq"))
    ).one()
    counter.value += 1
    s.add(HqChange(hq_seq=counter.value, station_id=station_id, entity=entity,
                   entity_id=entity_id, op=op,
                   payload=json.dumps(payload, ensure_ascii=False, sort_keys=True),
                   created_at=now))
    s.flush()
    return counter.value


def append_changes(db: HqDatabase, s: Session, rows: Sequence[dict[str, Any]],
                   now: datetime) -> list[int]:
    """Adds ``rows`` (each: ``station_id``, ``entity``, ``entity_id``, ``op``, ``payload``
    dict, and optionally ``op_id`` and ``origin_device_id``) in ``s``'s transaction, in this
    order, taking the counter once; returns their ``hq_seq`` in the same order."""
    if not rows:
        return []
    counter = s.scalars(
        db.lock_for_update(select(HqMeta).where(HqMeta.key == "last_hq_seq"))
    ).one()
    first = counter.value + 1
    counter.value += len(rows)
    seqs = list(range(first, first + len(rows)))
    s.execute(insert(HqChange), [
        {"hq_seq": seq, "station_id": r["station_id"], "entity": r["entity"],
         "entity_id": r["entity_id"], "op": r["op"],
         "payload": json.dumps(r["payload"], ensure_ascii=False, sort_keys=True),
         "created_at": now, "op_id": r.get("op_id", ""),
         "origin_device_id": r.get("origin_device_id")}
        for seq, r in zip(seqs, rows, strict=True)])
    s.flush()
    return seqs


def _meta(s: Session, key: str) -> int:
    return s.scalar(select(HqMeta.value).where(HqMeta.key == key)) or 0


def _for_station(station_id: int) -> Any:
    return or_(HqChange.station_id == station_id, HqChange.station_id.is_(None))


def _for_device(device: DeviceView) -> Any:
    """What device D of station S is handed: changes for all stations, and S's changes but
    D's own relayed ops, and of head office's own only what is not for the primary alone
    unless D is the primary."""
    mine = and_(HqChange.station_id == device.station_id,
                or_(HqChange.origin_device_id.is_(None),
                    HqChange.origin_device_id != device.id))
    if not device.primary:
        mine = and_(mine, HqChange.entity.not_in(sorted(PRIMARY_ONLY)))
    return or_(HqChange.station_id.is_(None), mine)


def pull_page(s: Session, station_id: int, since: int, limit: int,
              device: DeviceView | None = None) -> PullPage:
    """Changes after ``since`` for this station (or all), at most ``limit``, oldest first;
    with ``device``, what that device of the station is handed (``_for_device``), and 410
    (``CursorExpired``) while it must take a snapshot."""
    if since < _meta(s, "pruned_through") or since > _meta(s, "last_hq_seq"):
        raise CursorExpired
    if device is not None and device.needs_snapshot:
        raise CursorExpired
    where = _for_station(station_id) if device is None else _for_device(device)
    rows = s.scalars(
        select(HqChange)
        .where(where, HqChange.hq_seq > since)
        .order_by(HqChange.hq_seq)
        .limit(limit + 1)
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    numbers: dict[int, int] = {}
    if any(r.op_id for r in rows):
        numbers = {device_id: number for device_id, number in s.execute(
            select(HqDevice.id, HqDevice.number).where(HqDevice.station_id == station_id))}
    changes = tuple(
        Change(r.hq_seq, r.entity, r.entity_id, r.op, json.loads(r.payload), r.op_id,
               numbers.get(r.origin_device_id, 0) if r.origin_device_id is not None else 0)
        for r in rows
    )
    return PullPage(changes, changes[-1].hq_seq if changes else since, more)


def backlog(s: Session, station: HqStation) -> int:
    """Changes for the station not yet handed to it: its most behind active device's, or
    the station's own count where it has no device."""
    devices = s.scalars(select(HqDevice).where(HqDevice.station_id == station.id,
                                               HqDevice.revoked.is_(False))).all()
    if not devices:
        return s.scalar(
            select(func.count())
            .select_from(HqChange)
            .where(_for_station(station.id), HqChange.hq_seq > station.pulled_seq)
        ) or 0
    primary = min(d.number for d in devices)
    return max(device_backlog(s, DeviceView(d.id, d.number, d.station_id,
                                            d.number == primary, d.needs_snapshot,
                                            d.pulled_seq))
               for d in devices)


def device_backlog(s: Session, device: DeviceView) -> int:
    """Changes for the device not yet handed to it."""
    return s.scalar(
        select(func.count())
        .select_from(HqChange)
        .where(_for_device(device), HqChange.hq_seq > device.pulled_seq)
    ) or 0


def snapshot(s: Session, station_id: int, primary: bool = True) -> Snapshot:
    """Every head-office-owned row for the station, as changes, and the cursor to go on from.

    Open dispatched orders (with head-office edits merged), the cancellations head office
    sent, the notices addressed to the station or to all, and head office's answers
    about the station's returned old parts and to its parts orders. A device that is not
    the station's primary gets none of ``PRIMARY_ONLY`` (the primary's rows reach it as ops).
    """
    snap = _snapshot(s, station_id)
    if primary:
        return snap
    return Snapshot(tuple(c for c in snap.changes if c.entity not in PRIMARY_ONLY), snap.next)


def _snapshot(s: Session, station_id: int) -> Snapshot:
    last = _meta(s, "last_hq_seq")
    changes: list[Change] = []
    orders = s.scalars(
        select(HqOrder)
        .where(HqOrder.station_id == station_id,
               or_(HqOrder.dispatched.is_(True), HqOrder.cancel_state != ""))
        .order_by(HqOrder.dispatch_seq)
    ).all()
    for o in orders:
        if not o.dispatched or (o.cancel_state == "" and o.status in ("closed", "cancelled")):
            continue  # the station's own order, or finished there: nothing to re-send
        changes.append(Change(o.dispatch_seq, HqEntity.DISPATCH_ORDER.value, o.id, "upsert",
                              json.loads(o.dispatch_payload)))
    for o in orders:
        if o.cancel_state:
            changes.append(Change(o.cancel_seq, HqEntity.CANCEL_ORDER.value, o.id, "event",
                                  {"order_id": o.id, "number": o.number,
                                   "reason": o.cancel_reason}))
    notices = s.scalars(
        select(HqNotice)
        .where(or_(HqNotice.station_id == station_id, HqNotice.station_id.is_(None)))
        .order_by(HqNotice.hq_seq)
    ).all()
    changes.extend(Change(n.hq_seq, HqEntity.NOTICE.value, n.id, "upsert", notice_payload(n))
                   for n in notices)
    changes.extend(old_parts.snapshot_changes(s, station_id))
    # head office's decisions and settlements of the station's claim batches (三包索赔)
    changes.extend(claims.snapshot_changes(s, station_id))
    # head office's latest answer to each of the station's parts orders (零件订购)
    changes.extend(Change(a.hq_seq, HqEntity.PARTS_ORDER_UPDATE.value, a.id, "upsert",
                          json.loads(a.payload))
                   for a in s.scalars(select(HqPartsOrder)
                                      .where(HqPartsOrder.station_id == station_id)
                                      .order_by(HqPartsOrder.hq_seq)))
    # the whole parts catalogue (配件目录), each part at the revision last published
    changes.extend(Change(part.hq_seq, HqEntity.PART.value, part.id, "upsert",
                          {**json.loads(part.payload), "revision": part.hq_seq})
                   for part in s.scalars(select(HqPart).order_by(HqPart.hq_seq)))
    # the warranty policy in force (三包政策)
    changes.extend(policy.snapshot_changes(s))
    # head office's delivery state of the station's customer messages (客户通知)
    changes.extend(notify.snapshot_changes(s, station_id))
    return Snapshot(tuple(changes), last)


def notice_payload(n: HqNotice) -> dict[str, Any]:
    return {"id": n.id, "title": n.title, "body": n.body,
            "published_at": n.published_at.isoformat()}


def prune(db: HqDatabase, now: datetime, retention_days: int = DEFAULT_RETENTION_DAYS) -> int:
    """Deletes changes older than the retention period; returns how many went."""
    cutoff = now - timedelta(days=retention_days)
    with db.write() as s:
        newest_old = s.scalar(
            select(func.max(HqChange.hq_seq)).where(HqChange.created_at < cutoff)
        )
        if newest_old is None:
            return 0
        mark = s.scalars(
            db.lock_for_update(select(HqMeta).where(HqMeta.key == "pruned_through"))
        ).one()
        # everything up to the newest old change goes, so the retained log has no holes
        gone = s.execute(delete(HqChange).where(HqChange.hq_seq <= newest_old)).rowcount
        mark.value = max(mark.value, newest_old)
        return gone or 0
