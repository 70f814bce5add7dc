"""The station's state as it travels between its devices, field by field: what two devices
that converged through head office hold alike (the fault harness and the relay tests compare
devices with it).

One list per relayed station entity (``relay_rows.ROWS``; rows sorted by id), each row its
columns as JSON-ready values (times ISO, bytes base64) with its inline children (only the
fields their payload carries, sorted by their key). Left out, because each device keeps its
own: users' lockout (``failed_logins``, ``locked_until``), every row's ``updated_at`` (the
wall-clock time this device last wrote the row: also when it applied head office's decision
or delivery state, counted a lockout, or masked an erased customer's text), child fields no
payload carries (a claim line's charge line, an override's user id, a feedback photo's
``created_at``, a count line's id), rows that never leave the device that wrote them (draft
feedback cards, draft claim batches, unsubmitted parts orders) and an open count's entries
(counted at one device until it is posted). Not dumped at all: search tables, the outbox,
sync bookkeeping, audit, counters, settings, head office's own data.
"""

from __future__ import annotations

import base64
from datetime import date, datetime
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from app.services.relay_rows import ROWS, Child, RowSpec

#: columns no device compares: the wall-clock time the device itself last wrote the row
DEVICE_TIME = frozenset({"updated_at"})


def _skip_row(entity: str, row: Any) -> bool:
    """Rows that stay on the device that wrote them."""
    if entity == "feedback_card":
        return row.status == "draft"
    if entity == "claim_batch":
        return row.status == "draft"
    if entity == "parts_order":
        return row.submitted_at is None
    return False


def _value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def _columns(model: type, skip: set[str], only: tuple[str, ...] | None = None) -> list[str]:
    return [a.key for a in inspect(model).column_attrs
            if a.key not in skip and (only is None or a.key in only)]


def _children(rs: RowSpec, row: Any, child: Child) -> list[Any]:
    rel = next(r.key for r in inspect(rs.model).relationships if r.mapper.class_ is child.model)
    items = list(getattr(row, rel))
    skip = {child.parent} | ({"id"} if child.match != "id" else set())
    only = child.fields
    if child.derive is not None and only is not None:
        only = (*only, *child.derive({}).keys())
    if rs.entity == "stock_count" and row.status == "open":
        only = ("part_id",)  # entries made while a count is open stay on their device
    keys = _columns(child.model, skip, only)
    out = [{k: _value(getattr(c, k)) for k in keys} for c in items]
    if child.match:
        sort_key = child.match
    elif "position" in keys:
        sort_key = "position"
    else:
        sort_key = keys[0]
    return sorted(out, key=lambda d: (str(d.get(sort_key)), repr(sorted(d.items()))))


def entity_state(s: Session, entity: str) -> list[dict[str, Any]]:
    """One entity's rows, canonical."""
    rs = ROWS[entity]
    keys = _columns(rs.model, set(rs.local) | DEVICE_TIME)
    out: list[dict[str, Any]] = []
    for row in s.scalars(select(rs.model).order_by(rs.model.id)):
        if _skip_row(entity, row):
            continue
        data = {k: _value(getattr(row, k)) for k in keys}
        for child in rs.children:
            data[child.key] = _children(rs, row, child)
        out.append(data)
    return out


def station_state(s: Session) -> dict[str, list[dict[str, Any]]]:
    """Every relayed station entity's rows, canonical: equal on devices that converged."""
    return {entity: entity_state(s, entity) for entity in ROWS}
