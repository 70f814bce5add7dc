"""Writes the audit entry and the sync outbox row for a change, in the caller's transaction.

The payload of a row is its columns (dates as ISO text, UTC), plus any extras the caller
adds (a customer's phones). Sync declares which entities it carries; this module only records.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from app.services.context import Actor
from app.store.models import AuditEntry, OutboxOp, ServiceOrder, SyncState
from app.store.models.sync import SINGLETON_ID

#: ``session.info`` key of this device's pull cursor, read once per session
SEEN_KEY = "journal_seen_hq_seq"


def row_payload(row: Any, **extra: Any) -> dict[str, Any]:
    """The row's column values as JSON-ready data."""
    mapper = inspect(type(row))
    data = {attr.key: _jsonable(getattr(row, attr.key)) for attr in mapper.column_attrs}
    data.update(extra)
    return data


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def record(
    session: Session,
    actor: Actor,
    *,
    action: str,
    entity: str,
    entity_id: str,
    payload: dict[str, Any] | None = None,
    op: str = "upsert",
    base_revision: int = 0,
    detail: str = "",
    audit: bool = True,
) -> None:
    """Adds the audit entry and (with a payload) the outbox row to ``session``'s transaction."""
    if audit:
        session.add(
            AuditEntry(
                user_id=actor.user_id or None,
                username=actor.username,
                action=action,
                entity=entity,
                entity_id=entity_id,
                detail=detail[:2000],
            )
        )
    if payload is not None:
        session.add(
            OutboxOp(
                entity=entity,
                entity_id=entity_id,
                op=op,
                payload=json.dumps(payload, ensure_ascii=False, sort_keys=True),
                base_revision=base_revision,
                action=action,
                username=actor.username,
                seen_hq_seq=seen_hq_seq(session),
            )
        )


def seen_hq_seq(session: Session) -> int:
    """This device's pull cursor as the session first saw it (cached in ``session.info``):
    what head office's changes the device had applied when it made the op. A page of pulled
    changes that writes ops reads it before the page's cursor is stored, so its ops carry the
    cursor before that page."""
    cached = session.info.get(SEEN_KEY)
    if cached is None:
        with session.no_autoflush:
            state = session.get(SyncState, SINGLETON_ID)
        # a station starting afresh (cursor -1 until its snapshot) has seen nothing yet
        cached = max(0, state.pull_cursor) if state is not None else 0
        session.info[SEEN_KEY] = cached
    return int(cached)


def journal_order(session: Session, actor: Actor, order: ServiceOrder, action: str,
                  now: datetime) -> None:
    """Bumps the order's revision and records it (charge lines inline) in ``session``'s
    transaction: every change of an order, whichever service makes it (orders, parts)."""
    base = order.revision
    order.revision += 1
    order.updated_at = now
    session.flush()
    lines = [row_payload(c) for c in order.charge_lines]
    record(session, actor, action=action, entity="service_order", entity_id=order.id,
           payload=row_payload(order, charge_lines=lines), base_revision=base,
           detail=f"{order.number} {order.status}")
