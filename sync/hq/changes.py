"""Head office's change log: appending changes for stations, reading pull pages, building the
snapshot a station re-downloads after 410, and pruning old tombstones.

Cursors: a station sends ``since`` = the last ``hq_seq`` it applied. ``since`` older than what
has been pruned, or newer than any ``hq_seq`` ever issued (head office restored from a backup),
is expired: the station must take a snapshot.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from sync.hq import claims, notify, old_parts, policy
from sync.hq.db import HqDatabase
from sync.hq.models import (
    HqChange,
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


def _meta(s: Session, key: str) -> int:
    return s.scalar(select(HqMeta.value).where(HqMeta.key == key)) or 0


def _for_station(station_id: int) -> Any:
    return or_(HqChange.station_id == station_id, HqChange.station_id.is_(None))


def pull_page(s: Session, station_id: int, since: int, limit: int) -> PullPage:
    """Changes after ``since`` for this station (or all), at most ``limit``, oldest first."""
    if since < _meta(s, "pruned_through") or since > _meta(s, "last_hq_seq"):
        raise CursorExpired
    rows = s.scalars(
        select(HqChange)
        .where(_for_station(station_id), HqChange.hq_seq > since)
        .order_by(HqChange.hq_seq)
        .limit(limit + 1)
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    changes = tuple(
        Change(r.hq_seq, r.entity, r.entity_id, r.op, json.loads(r.payload)) for r in rows
    )
    return PullPage(changes, changes[-1].hq_seq if changes else since, more)


def backlog(s: Session, station: HqStation) -> int:
    """Changes for the station not yet handed to it."""
    return s.scalar(
        select(func.count())
        .select_from(HqChange)
        .where(_for_station(station.id), HqChange.hq_seq > station.pulled_seq)
    ) or 0


def snapshot(s: Session, station_id: int) -> Snapshot:
    """Every head-office-owned row for the station, as changes, and the cursor to go on from.

    Open dispatched orders (with head-office edits merged), the cancellations head office
    sent, the notices addressed to the station or to all, and head office's answers
    about the station's returned old parts and to its parts orders.
    """
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
