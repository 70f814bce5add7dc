"""Head office's catalogue arriving at the station: applies a pulled (or snapshot)
``HqEntity.PART`` change to the ``parts`` table.

Head office owns the catalogue, so its part replaces what an offline import wrote; a change
whose ``revision`` is not newer than the part's ``hq_revision`` changes nothing (a page
re-applied after a crash, or an older snapshot after head office was restored from a backup,
never takes a part back). The station's own settings (shelf, threshold) live in
``part_settings`` and are never touched here. Registered in ``app.services.sync_apply.HANDLERS``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import parts as dp
from app.services.parts_catalogue import PARTS, STOCK
from app.store.models import Part
from sync import protocol as p
from sync.parts_csv import MAX_PRICE_FEN, MAX_WARRANTY_MONTHS


def apply_part(s: Session, change: p.Change, now: datetime) -> set[str]:
    """Upserts the part; returns the kinds of data it touched."""
    from app.services.sync_apply import CONFLICTS, add_conflict  # (sync_apply imports us)

    data = change.payload
    part_no = str(data.get("part_no") or "").strip().upper()
    if not part_no or len(part_no) > dp.MAX_PART_NO:
        raise ValueError(f"a catalogue part needs a part number of 1 to {dp.MAX_PART_NO} "
                         "characters")
    part_id = str(data.get("part_id") or change.entity_id)[:36]
    revision = int(data.get("revision") or change.hq_seq)
    # parts added earlier in this page's transaction, not flushed yet (a catalogue is pulled
    # 500 parts a page; a flush and a query by number per part made 50,000 parts take 31 s)
    pending: dict[str, Part] = s.info.setdefault("parts_sync.pending", {})
    part = pending.get(part_id) or s.get(Part, part_id)
    if part is None:
        if part_id != dp.part_id(part_no):  # not the id every station derives: look first
            s.flush()
            holder = s.scalar(select(Part.id).where(Part.part_no == part_no))
            if holder is not None:
                add_conflict(s, f"hq:{change.hq_seq}", "part_number_clash", "part", part_id,
                             f"part {part_no} is {holder} at this station",
                             f"head office sent {part_no} as {part_id}", now,
                             hq_seq=change.hq_seq)
                return {CONFLICTS}
        part = Part(id=part_id, part_no=part_no, hq_revision=0)
        s.add(part)
        pending[part_id] = part
    elif part.hq_revision >= revision:
        return set()
    part.part_no = part_no
    part.name = _text(data, "name", dp.MAX_PART_NAME) or part_no
    part.specification = _text(data, "specification", dp.MAX_SPECIFICATION)
    part.models = _text(data, "models", dp.MAX_MODELS)
    part.unit = _text(data, "unit", dp.MAX_UNIT)
    part.retail_price_fen = _fen(data.get("retail_price_fen"))
    part.station_price_fen = _fen(data.get("station_price_fen"))
    part.return_required = bool(data.get("return_required", False))
    months = data.get("warranty_months")
    part.warranty_months = (None if months is None
                            else max(0, min(int(months), MAX_WARRANTY_MONTHS)))
    part.active = bool(data.get("active", True))
    part.hq_revision = revision
    part.updated_at = now
    return {PARTS, STOCK}


def _text(data: dict[str, Any], key: str, limit: int) -> str:
    return str(data.get(key) or "").strip()[:limit]


def _fen(value: Any) -> int:
    fen = 0 if value is None else value
    if not isinstance(fen, int) or isinstance(fen, bool) or not 0 <= fen <= MAX_PRICE_FEN:
        raise ValueError(f"a catalogue price must be 0 to {MAX_PRICE_FEN} fen, not {value!r}")
    return fen
