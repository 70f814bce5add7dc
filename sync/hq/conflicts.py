"""Head office's side of settling conflicts: what a station reports beyond a conflict's
detail (a stale edit's fields side by side; how a person at the station settled it), kept in
``hq_conflict_settlements``, and the listing ``repair-station-hq conflicts`` prints.

A station's report is untrusted input: only dicts of text are kept, each value cut to what a
field of an order can hold, so a malformed report still records the conflict itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.hq.models import HqConflict, HqConflictSettlement, HqStation

#: the fields a stale edit can name, in the order they are printed
FIELD_ORDER = ("order_type", "service_mode", "contact_phone", "service_address",
               "fault_description")
MAX_VALUE = 4000
MAX_KEYS = 20


@dataclass(frozen=True)
class ConflictRow:
    station: str
    kind: str
    subject: str
    detail: str
    found_by: str
    created_at: datetime
    #: {field: {"ours", "theirs", "base"}}
    fields: dict[str, dict[str, str | None]] = field(default_factory=dict)
    #: {field or "action": {"choice", "value"}}; empty while not settled
    resolution: dict[str, dict[str, Any]] = field(default_factory=dict)
    resolved_by: str = ""
    resolved_at: str = ""
    note: str = ""

    @property
    def settled(self) -> bool:
        return bool(self.resolution)


def note_report(s: Session, station_id: int, kind: str, subject_id: str, clash: int,
                payload: dict[str, Any], now: datetime) -> None:
    """Keeps the fields and the resolution of a station's ``sync_conflict`` report on the
    conflict record (station, kind, subject, clash); a later report adds, never erases."""
    fields = _fields(payload.get("fields"))
    resolution = _resolution(payload.get("resolution"))
    if not fields and not resolution:
        return
    conflict = s.scalar(select(HqConflict).where(
        HqConflict.station_id == station_id, HqConflict.kind == str(kind)[:32],
        HqConflict.subject_id == subject_id[:36], HqConflict.clash == clash))
    if conflict is None:
        return
    row = s.get(HqConflictSettlement, conflict.id)
    if row is None:
        row = HqConflictSettlement(conflict_id=conflict.id, fields="{}", resolution="",
                                   resolved_by="", resolved_at="", note="", updated_at=now)
        s.add(row)
    if fields:
        row.fields = _dump(fields)
    if resolution:
        row.resolution = _dump(resolution)
        row.resolved_by = _text(payload.get("resolved_by"), 32) or ""
        row.resolved_at = _text(payload.get("resolved_at"), 40) or ""
        row.note = _text(payload.get("note"), 2000) or ""
        conflict.resolved = True
    row.updated_at = now
    s.flush()


def list_conflicts(s: Session, code: str | None) -> list[ConflictRow]:
    stmt = (select(HqConflict, HqStation.code, HqConflictSettlement)
            .join(HqStation, HqStation.id == HqConflict.station_id)
            .outerjoin(HqConflictSettlement,
                       HqConflictSettlement.conflict_id == HqConflict.id)
            .order_by(HqConflict.created_at, HqConflict.id))
    if code:
        stmt = stmt.where(HqStation.code == code)
    out = []
    for c, station, settled in s.execute(stmt):
        out.append(ConflictRow(
            station, c.kind, f"{c.subject_entity} {c.subject_id}", c.detail, c.found_by,
            c.created_at,
            _fields(_load(settled.fields)) if settled else {},
            _resolution(_load(settled.resolution)) if settled else {},
            settled.resolved_by if settled else "", settled.resolved_at if settled else "",
            settled.note if settled else ""))
    return out


def format_conflict(r: ConflictRow, when: str) -> str:
    """One conflict as ``repair-station-hq conflicts`` prints it (fields side by side)."""
    lines = [f"{when}  {r.station}  {r.kind}  {r.subject}  (found by {r.found_by})",
             f"    {r.detail}"]
    if r.fields:
        width = max(len(name) for name in r.fields)
        lines.append(f"    {'field':<{width}}  {'station':<24}  {'head office':<24}  base")
        for name, values in r.fields.items():
            lines.append(f"    {name:<{width}}  {_cell(values.get('ours')):<24}  "
                         f"{_cell(values.get('theirs')):<24}  {_cell(values.get('base'))}")
    if r.settled:
        by = f" by {r.resolved_by}" if r.resolved_by else ""
        at = f" at {r.resolved_at}" if r.resolved_at else ""
        lines.append(f"    settled at the station{by}{at}:")
        for name, item in r.resolution.items():
            value = item.get("value")
            kept = "" if value is None else f" -> {_cell(value)}"
            lines.append(f"      {name}: {item.get('choice')}{kept}")
        if r.note:
            lines.append(f"      note: {r.note}")
    else:
        lines.append("    not settled yet")
    return "\n".join(lines)


def _fields(raw: Any) -> dict[str, dict[str, str | None]]:
    if not isinstance(raw, dict):
        return {}
    out: dict[str, dict[str, str | None]] = {}
    for name in FIELD_ORDER:
        values = raw.get(name)
        if isinstance(values, dict):
            out[name] = {side: _text(values.get(side), MAX_VALUE)
                         for side in ("ours", "theirs", "base")}
    return out


def _resolution(raw: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(raw, dict):
        return {}
    out: dict[str, dict[str, Any]] = {}
    for name, item in list(raw.items())[:MAX_KEYS]:
        if isinstance(name, str) and isinstance(item, dict):
            out[name[:32]] = {"choice": _text(item.get("choice"), 32) or "",
                              "value": _text(item.get("value"), MAX_VALUE)}
    return out


def _text(value: Any, limit: int) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    return str(value).replace("\x00", "")[:limit]


def _cell(value: Any) -> str:
    if value is None:
        return "(unknown)"
    text = str(value).replace("\n", " ")
    return text if len(text) <= 60 else text[:57] + "..."


def _load(text: str) -> Any:
    try:
        return json.loads(text) if text else {}
    except ValueError:
        return {}


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True)
