"""Many records of one instant (a bulk import, a joining device's page) each get their own
search document: the keys they all want are stepped down to free ones, read a window at a
time (one query per step made a 100,000-customer join quadratic)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import func, insert, select

from app.bootstrap import Services
from app.services.search_docs import index_customers, time_key
from app.store.models import Customer, CustomerPhone
from app.store.models.search import CustomerSearchDoc


def test_three_thousand_customers_of_one_instant_get_a_document_each(
        services: Services) -> None:
    at = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
    ids = [str(uuid.uuid4()) for _ in range(3000)]
    with services.db.write() as s:
        s.execute(insert(Customer), [{"id": i, "name": f"客户{n}", "address": "北京",
                                      "notes": "", "revision": 1, "created_at": at,
                                      "updated_at": at} for n, i in enumerate(ids)])
        s.execute(insert(CustomerPhone), [{"customer_id": i, "number": f"139{n:08d}",
                                           "digits": f"139{n:08d}", "position": 0}
                                          for n, i in enumerate(ids)])
        index_customers(s.connection().connection.driver_connection, ids)
    with services.db.read() as s:
        keys = list(s.scalars(select(CustomerSearchDoc.doc).where(
            CustomerSearchDoc.customer_id.in_(ids[:900]))))
        count = s.scalar(select(func.count()).select_from(CustomerSearchDoc)
                         .where(CustomerSearchDoc.customer_id.in_(ids[900:1800])))
    assert len(keys) == 900 and count == 900
    assert len(set(keys)) == 900
    # each key is at or below the one its time asked for, and near it
    wanted = {time_key(at, i) for i in ids[:900]}
    assert max(keys) <= max(wanted) and min(keys) > min(wanted) - 10_000
