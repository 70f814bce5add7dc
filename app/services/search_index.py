"""Keeping the search documents in step with the records, in the same transaction.

Every write session of the station's ``Database`` collects, at each flush, which orders,
customers, products and repair records it touched; just before it commits, each registered
refresher rewrites the documents of those records (``app.store.models.search``) with Core SQL
on the session's connection. So no service can forget the index, a change and its document
commit or roll back together, and a record synced in from head office is indexed like one
typed at the counter. Bulk fills that write SQL directly mark the index for a rebuild
instead (``SearchState``).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, event
from sqlalchemy.orm import Session, sessionmaker

from app.store.database import Database
from app.store.models import (
    ChargeLine,
    Customer,
    CustomerPhone,
    Product,
    RepairRecord,
    ServiceOrder,
)

_INFO_KEY = "search_index_dirty"
#: where a write session collects what it touched; a bulk insert that bypasses the flush
#: adds its ids there itself (``app.services.relay_bulk``)
INFO_KEY = _INFO_KEY


@dataclass
class Dirty:
    """The records a transaction touched (ids), as far as search cares."""

    orders: set[str] = field(default_factory=set)
    customers: set[str] = field(default_factory=set)
    products: set[str] = field(default_factory=set)
    records: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.orders or self.customers or self.products or self.records)


Refresher = Callable[[Connection, Dirty], None]
_refreshers: list[Refresher] = []
#: the write-session factories already hooked (weak: a closed store's goes with it)
_installed: weakref.WeakSet[sessionmaker[Session]] = weakref.WeakSet()


def register(refresher: Refresher) -> Refresher:
    """Adds a refresher (once); usable as a decorator. Refreshers run in registration order."""
    if refresher not in _refreshers:
        _refreshers.append(refresher)
    return refresher


def _collect(dirty: Dirty, obj: Any) -> None:
    if isinstance(obj, ServiceOrder):
        dirty.orders.add(obj.id)
    elif isinstance(obj, RepairRecord):
        dirty.records.add(obj.id)
        dirty.orders.add(obj.order_id)
    elif isinstance(obj, ChargeLine):
        dirty.orders.add(obj.order_id)
    elif isinstance(obj, Customer):
        dirty.customers.add(obj.id)
    elif isinstance(obj, CustomerPhone):
        dirty.customers.add(obj.customer_id)
    elif isinstance(obj, Product):
        dirty.products.add(obj.id)
        dirty.customers.add(obj.customer_id)


def _after_flush(session: Session, _context: Any) -> None:
    dirty: Dirty = session.info.setdefault(_INFO_KEY, Dirty())
    for obj in (*session.new, *session.dirty, *session.deleted):
        _collect(dirty, obj)


def _before_commit(session: Session) -> None:
    session.flush()
    dirty: Dirty | None = session.info.pop(_INFO_KEY, None)
    if not dirty or not _refreshers:
        return
    connection = session.connection()
    for refresher in _refreshers:
        refresher(connection, dirty)


def _after_rollback(session: Session) -> None:
    session.info.pop(_INFO_KEY, None)


def install(db: Database) -> None:
    """Keeps the documents of ``db``'s write sessions in step (bootstrap calls it once)."""
    factory = db.write_sessions
    # not event.contains(): SQLAlchemy's registry knows a target by its id(), so a new
    # factory made where a closed store's factory lived would pass for hooked, and its
    # writes would leave the search documents and the repair knowledge behind
    if factory in _installed:
        return
    _installed.add(factory)
    event.listen(factory, "after_flush", _after_flush)
    event.listen(factory, "before_commit", _before_commit)
    event.listen(factory, "after_soft_rollback", lambda s, _t: _after_rollback(s))
