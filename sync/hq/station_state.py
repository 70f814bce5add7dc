"""The station's own records as head office holds them, page by page, for a device that joins
(``GET /v1/station-state``, issue 15).

Rows come in ``sync.entities.RELAY_ORDER`` (a row's references first), then by head office's
record id; tombstones too (``deleted``), so a device learns what was deleted. The position
``after`` is ``"<entity index>:<record id>"`` of the last row handed ("" at the start).
``cursor`` is the change-log point the download began at, fixed by the first page and echoed
afterwards: the device pulls from it once done (relays after it re-apply in order, so a row
read newer than the cursor converges). ``total`` is the rows the download had at its first
page (counting a million rows costs as much as a page, so later pages reuse that count).
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync.entities import RELAY_ORDER
from sync.hq.db import HQ_ID_KEY
from sync.hq.models import HqMeta, HqRecord
from sync.protocol import StateRow, StationStatePage

_AFTER_RE = re.compile(r"^(\d{1,3}):(\d{1,18})$")
#: downloads whose total is remembered: counting a million rows costs as much as a page,
#: and a download's total is its first page's (keyed by head office, station and cursor)
_TOTALS_KEPT = 256
_totals: OrderedDict[tuple[int, int, int], int] = OrderedDict()
_totals_lock = threading.Lock()


class BadPosition(ValueError):
    """``after`` is not a position this server hands out."""


def parse_after(after: str) -> tuple[int, int]:
    """(entity index, record id) of ``after``; (0, 0) for the start."""
    if not after:
        return 0, 0
    match = _AFTER_RE.match(after)
    if not match or int(match.group(1)) >= len(RELAY_ORDER):
        raise BadPosition(f"{after!r} is not a position of the station-state download "
                          "(send back the 'after' of the previous page, or nothing to start)")
    return int(match.group(1)), int(match.group(2))


def page(s: Session, station_id: int, after: str, limit: int,
         cursor: int | None = None) -> StationStatePage:
    """One page of at most ``limit`` rows after ``after``; ``cursor`` None on the first page
    (the change log's last hq_seq is taken, before any row is read)."""
    index, last_id = parse_after(after)
    first = cursor is None
    if cursor is None:
        cursor = s.scalar(select(HqMeta.value).where(HqMeta.key == "last_hq_seq")) or 0
    total = _total(s, station_id, cursor, fresh=first)
    rows: list[StateRow] = []
    position = after
    more = False
    while index < len(RELAY_ORDER):
        entity = RELAY_ORDER[index]
        want = limit - len(rows)
        found = s.execute(
            select(HqRecord.id, HqRecord.entity_id, HqRecord.payload, HqRecord.deleted)
            .where(HqRecord.station_id == station_id, HqRecord.entity == entity,
                   HqRecord.id > last_id)
            .order_by(HqRecord.id).limit(want + 1)).all()
        for record_id, entity_id, payload, deleted in found[:want]:
            rows.append(StateRow(entity, entity_id, json.loads(payload), bool(deleted)))
            position = f"{index}:{record_id}"
        if len(found) > want:  # this entity has more
            more = True
            break
        if len(rows) >= limit:
            more = _any_after(s, station_id, index + 1)
            break
        index, last_id = index + 1, 0
    return StationStatePage(tuple(rows), position, cursor, total, more)


def _total(s: Session, station_id: int, cursor: int, fresh: bool) -> int:
    """Rows in the station's download begun at ``cursor``: counted by its first page
    (``fresh``), remembered for the later ones."""
    hq_id = s.scalar(select(HqMeta.value).where(HqMeta.key == HQ_ID_KEY)) or 0
    key = (hq_id, station_id, cursor)
    with _totals_lock:
        if not fresh and key in _totals:
            _totals.move_to_end(key)
            return _totals[key]
    total = s.scalar(select(func.count()).select_from(HqRecord).where(
        HqRecord.station_id == station_id, HqRecord.entity.in_(RELAY_ORDER))) or 0
    with _totals_lock:
        _totals[key] = total
        while len(_totals) > _TOTALS_KEPT:
            _totals.popitem(last=False)
    return total


def _any_after(s: Session, station_id: int, index: int) -> bool:
    later = RELAY_ORDER[index:]
    if not later:
        return False
    return s.scalar(select(HqRecord.id).where(HqRecord.station_id == station_id,
                                              HqRecord.entity.in_(later)).limit(1)) is not None
