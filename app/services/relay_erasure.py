"""Another device's erasure of a customer's personal data (a relayed ``customer_erasure``
event), done here too: the same masking core as the manager's own erasure
(``customer_privacy.erase_person``: the customer's tombstone, his orders, sales, visits,
signatures, messages, the audit details and this device's pending outbox payloads scrubbed,
the search documents rewritten by the write session's hook), with no outbox row of its own.
The tombstones the erasing device wrote arrive after it as that device's ops."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.domain.enums import Role
from app.services.context import Actor
from app.services.relay_apply import apply_payload, typed_values
from app.services.relay_rows import ROWS
from app.store.models import Customer, CustomerErasure
from app.store.models.search import FTS_TABLES

#: the audit entries of a relayed erasure name the device's user who erased, in this role
_ROLE = Role.MANAGER


def apply(s: Session, payload: dict[str, Any], erasure_id: str, now: datetime) -> bool:
    """Erases the person here once; False when this erasure is already in."""
    if s.get(CustomerErasure, erasure_id) is not None:
        return False
    values = typed_values(CustomerErasure, payload)
    customer = s.get(Customer, str(payload.get("customer_id") or ""))
    if customer is None or customer.erased_at is not None:
        # a joining device loads the tombstones first: only the record is missing
        if customer is not None:
            apply_payload(s, ROWS["customer_erasure"], erasure_id, payload)
        return customer is not None
    actor = Actor(str(payload.get("erased_by") or ""), str(payload.get("username") or "")[:32],
                  str(payload.get("username") or ""), _ROLE)
    from app.services.customer_privacy import erase_person

    kept = _revisions(s, customer)
    erase_person(s, actor, customer.id, str(values.get("requested_by") or ""),
                 str(values.get("reason") or ""), values.get("erased_at") or now,
                 erasure_id=erasure_id, outbox=False)
    # the masking is the same on every device; the versions are the erasing device's, whose
    # tombstones follow as its ops (one refused at head office, the row stays at the version
    # every device holds): bumping them here too put this device a revision ahead
    for row, revision in kept:
        row.revision = revision
    s.flush()
    erasure = s.get(CustomerErasure, erasure_id)
    if erasure is not None:  # the record exactly as the erasing device wrote it
        for key, value in values.items():
            if key != "id":
                setattr(erasure, key, value)
        s.flush()
    _compact_after_commit(s)
    return True


def _revisions(s: Session, customer: Customer) -> list[tuple[Any, int]]:
    """Every row of the person an erasure re-versions, with its revision now."""
    from sqlalchemy import select

    from app.services import customer_records
    from app.store.models import Notification, OrderSignature

    found = customer_records.load(s, customer.id)
    orders = [o.id for o in found.orders]
    rows: list[Any] = [found.customer, *found.products, *found.orders, *found.payments,
                       *found.visits, *found.cards, *found.sales]
    rows += list(s.scalars(select(Notification).where(Notification.customer_id == customer.id)))
    if orders:
        rows += list(s.scalars(select(OrderSignature).where(OrderSignature.order_id.in_(orders))))
    return [(row, row.revision) for row in rows if hasattr(row, "revision")]


_COMPACT = "relay_erasure_compact"


def _compact_after_commit(s: Session) -> None:
    """Once the page has committed (the search documents rewritten from the tombstones), the
    FTS indexes are merged with secure_delete on, as after the manager's own erasure: no
    index page keeps the erased words."""
    if s.info.get(_COMPACT):
        return
    s.info[_COMPACT] = True
    engine = s.get_bind()

    def compact(session: Session) -> None:
        session.info.pop(_COMPACT, None)
        with engine.begin() as conn:
            was = conn.exec_driver_sql("PRAGMA secure_delete").scalar()
            conn.exec_driver_sql("PRAGMA secure_delete = 1")
            try:
                for table in FTS_TABLES:
                    conn.exec_driver_sql(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
            finally:
                conn.exec_driver_sql(f"PRAGMA secure_delete = {1 if was else 0}")

    event.listen(s, "after_commit", compact, once=True)
