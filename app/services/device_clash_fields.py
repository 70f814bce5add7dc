"""The fields of a clash between two devices, as the conflict desk shows them (read only).

``app.services.sync_store.device_clash`` stores every top-level field that differs between
this device's op and the station's current version (``SyncConflict.fields``: {name: {"ours",
"theirs", "base"}}); ``ConflictInfo.fields`` keeps only a head-office edit's order fields, so
the desk reads a device clash's own list here: every field, in name order, status first.
"""

from __future__ import annotations

import json
from typing import Any

from app.services.conflict_fields import FieldClash
from app.store.database import Database
from app.store.models import SyncConflict

#: the fields a person looks at first
FIRST = ("status", "number")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def device_clash_fields(db: Database, conflict_id: str) -> tuple[FieldClash, ...]:
    """Ours (this device's op) and theirs (what the station holds now) per differing field."""
    with db.read() as s:
        conflict = s.get(SyncConflict, conflict_id)
        text = conflict.fields if conflict is not None else ""
    try:
        data = json.loads(text) if text else {}
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        return ()
    names = sorted((n for n, v in data.items() if isinstance(v, dict)),
                   key=lambda n: (n not in FIRST, FIRST.index(n) if n in FIRST else 0, n))
    return tuple(FieldClash(n, _text(data[n].get("ours")), _text(data[n].get("theirs")),
                            _text(data[n].get("base"))) for n in names)
