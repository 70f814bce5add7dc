"""Two devices of one station each posting a stock count (盘点) of the same part offline.

Each count's adjustment is ``counted - book`` where the book is what that device knew: when
neither device had seen the other's count, both adjustments stand in the ledger (it only
grows) and the part's stock is counted twice. Head office, which sees both, finds the second
one and answers it as a conflict (the op is kept and relayed like any other), so the device
that posted it shows the manager a clash to recount, never a silently doubled stock.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.hq.models import HqRecord
from sync.protocol import PushOp

ENTITY = "stock_count"
POSTED = "posted"


def _counted_parts(payload: dict[str, Any]) -> set[str]:
    return {str(line.get("part_id")) for line in payload.get("lines") or ()
            if isinstance(line, dict) and line.get("counted") is not None}


def _when(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """The two counts were open at the same time (each opened before the other posted)."""
    a0, a1, b0, b1 = (_when(a.get("opened_at")), _when(a.get("posted_at")),
                      _when(b.get("opened_at")), _when(b.get("posted_at")))
    if None in (a0, a1, b0, b1):
        return False
    try:
        return a0 <= b1 and b0 <= a1  # type: ignore[operator]
    except TypeError:  # one naive, one aware: not comparable, not claimed
        return False


def concurrent_count(s: Session, station_id: int, device_id: int, op: PushOp) -> str | None:
    """The number of another device's posted count of one of the parts this posted count
    counted, that this device had not seen when it posted it or that was open at the same
    time; None when there is none (or this op is no posted count)."""
    if op.entity != ENTITY or op.payload.get("status") != POSTED:
        return None
    parts = _counted_parts(op.payload)
    if not parts:
        return None
    others = s.scalars(select(HqRecord).where(
        HqRecord.station_id == station_id, HqRecord.entity == ENTITY,
        HqRecord.entity_id != op.entity_id, HqRecord.deleted.is_(False),
        HqRecord.last_device_id != device_id))
    for other in others:
        payload = json.loads(other.payload)
        if payload.get("status") != POSTED or not parts & _counted_parts(payload):
            continue
        if op.seen_hq_seq < other.last_change_seq or _overlap(op.payload, payload):
            return str(payload.get("number") or other.entity_id)
    return None
