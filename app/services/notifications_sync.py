"""Head office's word on a customer message, applied at the station (registered in
``app.services.sync_apply.HANDLERS`` as ``notification_state``): the delivery state
(``queued`` while it retries, then ``delivered`` or ``failed``), its detail, the attempts and
when. Head office owns these fields of the station's ``notifications`` row, so applying them
writes audit only (nothing is pushed back). A change older than what the row holds (fewer
attempts, or a retry after the final word) changes nothing; one about a message this station
never queued is a conflict for a person.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from app.services.context import SYSTEM
from app.services.journal import record
from app.services.notifications import ENTITY, STATES
from app.store.models import Notification
from sync import protocol as p

#: the bus topic of a message's state changing (the order editor's 通知 list listens)
NOTIFICATIONS = "notifications"
_RANK = {"queued": 0, "sent": 1, "delivered": 2, "failed": 2}


def apply_state(s: Session, change: p.Change, now: datetime) -> set[str]:
    """``notification_state``: {notification_id, state, state_detail, attempts, state_at}."""
    from app.services.sync_apply import CONFLICTS, add_conflict

    data = change.payload
    row = s.get(Notification, str(data.get("notification_id") or change.entity_id)[:36])
    state = str(data.get("state") or "")
    if row is None or state not in STATES:
        add_conflict(s, f"hq:{change.hq_seq}", "unknown_notification", ENTITY,
                     str(change.entity_id)[:36],
                     "no such message at this station" if row is None else row.state,
                     f"{state[:16]} {str(data.get('state_detail') or '')[:200]}", now,
                     hq_seq=change.hq_seq)
        return {CONFLICTS}
    attempts = data.get("attempts")
    attempts = attempts if isinstance(attempts, int) and not isinstance(attempts, bool) else 0
    if (attempts, _RANK[state]) < (row.attempts, _RANK.get(row.state, 0)):
        return set()
    row.state = state
    row.state_detail = str(data.get("state_detail") or "")[:200]
    row.attempts = max(0, attempts)
    row.state_at = _when(data.get("state_at")) or now
    row.updated_at = now
    s.flush()
    record(s, SYSTEM, action="notify.hq_state", entity=ENTITY, entity_id=row.id,
           detail=f"{row.event} {state} ({row.attempts})")
    return {NOTIFICATIONS}


def _when(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)
