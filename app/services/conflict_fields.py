"""The fields of a clash between a head-office edit and the station's own, side by side.

What the station knows of an order head office dispatched: its own current values, head
office's edit, and (kept on ``HqOrderLink.hq_fields``) the values head office last gave it,
which both sides started from: the base. A conflict row stores the three as JSON
(``SyncConflict.fields``), and how a person settled it (``SyncConflict.resolution``).
No Qt; used inside the caller's transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from app.domain import validation as v
from app.domain.enums import OrderType, ServiceMode
from app.store.models import HqOrderLink, ServiceOrder

#: head-office-editable order fields in the order a person reads them
FIELD_ORDER = ("order_type", "service_mode", "contact_phone", "service_address",
               "fault_description")
#: choices for one field
OURS, THEIRS, EDITED = "ours", "theirs", "edited"
FIELD_CHOICES = (OURS, THEIRS, EDITED)
#: choices for a late cancel of finished work, and for kinds a person can only take note of
KEEP_COMPLETION, CANCEL_ORDER, ACKNOWLEDGED = "keep_completion", "cancel_order", "acknowledged"
#: the resolution key of a conflict without fields
ACTION = "action"


@dataclass(frozen=True)
class FieldClash:
    """One field of a stale head-office edit: the station's, head office's, the base."""

    name: str
    ours: str | None
    theirs: str | None
    base: str | None

    @property
    def differs(self) -> bool:
        return self.ours != self.theirs


def order_values(order: ServiceOrder) -> dict[str, str]:
    """The order's head-office-editable fields as they are now (text)."""
    return {
        "order_type": order.order_type,
        "service_mode": order.service_mode,
        "contact_phone": order.contact_phone,
        "service_address": order.service_address,
        "fault_description": order.fault_description,
    }


def as_applied(name: str, value: Any) -> str:
    """Head office's value as the station would store it (the same rules as applying it)."""
    text = "" if value is None else str(value)
    if name == "order_type":
        return text if text in {t.value for t in OrderType} else text[:32]
    if name == "service_mode":
        return text if text in {m.value for m in ServiceMode} else text[:32]
    if name == "contact_phone":
        return v.normalize_phone(text)[:32]
    if name == "service_address":
        return text[:200]
    return text[:4000]


def hq_values(link: HqOrderLink | None) -> dict[str, str]:
    """The fields as head office last gave them ({} when not known)."""
    if link is None or not link.hq_fields:
        return {}
    try:
        data = json.loads(link.hq_fields)
    except ValueError:
        return {}
    return {k: str(val) for k, val in data.items() if k in FIELD_ORDER} \
        if isinstance(data, dict) else {}


def remember_hq_values(link: HqOrderLink, values: dict[str, Any]) -> None:
    """Head office has given these values: they are the base of the next clash."""
    known = hq_values(link)
    known.update({k: as_applied(k, val) for k, val in values.items() if k in FIELD_ORDER})
    link.hq_fields = json.dumps(known, ensure_ascii=False, sort_keys=True)


def side_by_side(order: ServiceOrder, link: HqOrderLink | None,
                 edit: dict[str, Any]) -> dict[str, dict[str, str | None]]:
    """The conflict's ``fields``: per field of head office's edit, the three values."""
    ours, base = order_values(order), hq_values(link)
    return {name: {"ours": ours[name], "theirs": as_applied(name, edit[name]),
                   "base": base.get(name)}
            for name in FIELD_ORDER if name in edit}


def parse_fields(text: str) -> tuple[FieldClash, ...]:
    """A conflict row's fields (empty for older rows and other kinds)."""
    data = _json(text)
    out = []
    for name in FIELD_ORDER:
        item = data.get(name)
        if isinstance(item, dict):
            out.append(FieldClash(name, _text(item.get("ours")), _text(item.get("theirs")),
                                  _text(item.get("base"))))
    return tuple(out)


def parse_resolution(text: str) -> dict[str, dict[str, Any]]:
    """A conflict row's resolution: {field or "action": {"choice", "value"}}."""
    return {k: val for k, val in _json(text).items() if isinstance(val, dict)}


def _json(text: str) -> dict[str, Any]:
    if not text:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
