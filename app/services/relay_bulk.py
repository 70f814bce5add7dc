"""A joining device's downloaded rows written many at a time.

A station-state page (``app.services.device_join``) is up to a thousand rows of one or two
entities, nearly all new on a device that is joining. Written one by one through the ORM
(``relay_apply.apply_relayed``: a lookup, an insert, a flush each) a station of a million
stock movements takes many minutes; here the rows a page adds are inserted with one
``executemany`` per table, their inline children likewise, with exactly the values the
one-by-one path would store (the same ``typed_values``, the same column defaults). A row
already present (a page applied again after a kill), a tombstone, an erasure, a user (whose
name may clash) and the rows one of which may exist per part or order go through
``apply_relayed`` as before. The search documents of what was inserted are refreshed at the
page's commit like any write's (``app.services.search_index``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.services import search_index
from app.services.relay_apply import (
    TOPICS,
    apply_relayed,
    child_values,
    defer_references,
    typed_values,
)
from app.services.relay_rows import ROWS, Child, RowSpec
from app.store.models import Customer, Product, RepairRecord, ServiceOrder
from sync import protocol as p

#: entities written one by one whatever happens (their rules look at other rows)
ONE_BY_ONE = frozenset({"customer_erasure", "user"})
#: ids looked up per query (well under SQLite's variable limit)
LOOKUP_CHUNK = 900


def apply_many(s: Session, changes: Sequence[p.Change], now: datetime) -> set[str]:
    """Applies ``changes`` (relayed rows, in order) as ``apply_relayed`` would, inserting the
    new rows of each entity in bulk; returns the topics touched."""
    topics: set[str] = set()
    if changes:
        defer_references(s)
    run: list[p.Change] = []
    for change in changes:
        if run and change.entity != run[0].entity:
            topics |= _apply_run(s, run, now)
            run = []
        run.append(change)
    if run:
        topics |= _apply_run(s, run, now)
    return topics


def _bulk_able(rs: RowSpec | None, change: p.Change) -> bool:
    return (rs is not None and not rs.one_per and change.entity not in ONE_BY_ONE
            and change.op != p.OpKind.DELETE)


def _apply_run(s: Session, run: list[p.Change], now: datetime) -> set[str]:
    rs = ROWS.get(run[0].entity)
    if rs is None or not _bulk_able(rs, run[0]) or len(run) < 2:
        return _one_by_one(s, run, now)
    s.flush()
    present = _present(s, rs, [_row_id(c) for c in run])
    fresh: dict[str, p.Change] = {}
    later: list[p.Change] = []
    for change in run:
        row_id = _row_id(change)
        if change.op == p.OpKind.DELETE or row_id in present or row_id in fresh:
            later.append(change)  # an update, a repeat, a tombstone: the careful path
        else:
            fresh[row_id] = change
    if fresh:
        _insert(s, rs, fresh)
    topics = {"sync", *TOPICS.get(rs.entity, set())} if fresh else set()
    return topics | _one_by_one(s, later, now)


def _one_by_one(s: Session, run: list[p.Change], now: datetime) -> set[str]:
    topics: set[str] = set()
    for change in run:
        topics |= apply_relayed(s, change, now)
    return topics


def _row_id(change: p.Change) -> str:
    return str(change.payload.get("id") or change.entity_id)[:36]


def _present(s: Session, rs: RowSpec, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(ids), LOOKUP_CHUNK):
        chunk = ids[start:start + LOOKUP_CHUNK]
        found |= set(s.scalars(select(rs.model.id).where(rs.model.id.in_(chunk))))
    return found


def _insert(s: Session, rs: RowSpec, fresh: dict[str, p.Change]) -> None:
    rows: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    children: dict[type, dict[tuple[str, ...], list[dict[str, Any]]]] = defaultdict(
        lambda: defaultdict(list))
    for row_id, change in fresh.items():
        values = typed_values(rs.model, change.payload, skip={"id", *rs.local})
        values["id"] = row_id
        rows[tuple(sorted(values))].append(values)
        for child in rs.children:
            for item in _child_rows(child, row_id, change.payload.get(child.key) or []):
                children[child.model][tuple(sorted(item))].append(item)
    # one executemany per set of columns: every dict of one call must name the same ones
    for group in rows.values():
        s.execute(insert(rs.model), group)
    for model, groups in children.items():
        for group in groups.values():
            s.execute(insert(model), group)
    _mark_for_search(s, rs, fresh)


def _child_rows(child: Child, parent_id: str, items: list[Any]) -> list[dict[str, Any]]:
    """The child rows ``relay_apply._replace_children`` would add to a new parent."""
    return [{**child_values(child, index, item), child.parent: parent_id}
            for index, item in enumerate(items)]


def _mark_for_search(s: Session, rs: RowSpec, fresh: dict[str, p.Change]) -> None:
    """Core inserts pass by the session's flush: name them to the index ourselves."""
    dirty: search_index.Dirty = s.info.setdefault(search_index.INFO_KEY, search_index.Dirty())
    ids = set(fresh)
    if rs.model is ServiceOrder:
        dirty.orders |= ids
    elif rs.model is Customer:
        dirty.customers |= ids
    elif rs.model is Product:
        dirty.products |= ids
        dirty.customers |= {str(c.payload.get("customer_id")) for c in fresh.values()
                            if c.payload.get("customer_id")}
    elif rs.model is RepairRecord:
        dirty.records |= ids
        dirty.orders |= {str(c.payload.get("order_id")) for c in fresh.values()
                         if c.payload.get("order_id")}
