"""The search documents of orders and customers (``order_search``, ``customer_search``):
what each holds, how its key is chosen, and the refreshers that rewrite the documents of the
records a write transaction touched (registered with ``app.services.search_index``).

An order's document: ``codes`` = number, contact and customer phone digits, serial, model
(read by the trigram index: any 3+ characters); ``names`` = the customer's name words and
given name; ``words`` = the words of the fault and of the non-voided repair records'
diagnosis and actions. A customer's: ``codes`` = phones' digits, products' serials and
models; ``names`` = name words, given name and address words.

A document's key (``doc``, the FTS5 rowid) is its record's time: an order's ``called_at``
(a customer's ``created_at``) in microseconds, times 1024, plus 10 bits of the id's CRC. So
the FTS5 index lists its matches newest first by itself (``ORDER BY rowid DESC``) and a page
of a word that is in every order is read without sorting a million rows. The rare key already
taken by another record steps down to the next free one.

Everything here is Core SQL on the caller's connection (the write transaction's), so a
document commits or rolls back with its record.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from app.domain.search_words import given_name, words
from app.services import search_index
from app.services.search_index import Dirty

#: separates the fields of ``codes``: no search text holds a line break, so no trigram
#: spans two fields
FIELD_SEP = "\n"
#: ids per statement (well under SQLite's bound-parameter limit)
CHUNK = 500
_EPOCH = datetime(1970, 1, 1)


def time_key(value: datetime | str | None, record_id: str) -> int:
    """A document key that sorts like the record's time (newest largest)."""
    if value is None:
        micros = 0
    else:
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        micros = max(0, int((value - _EPOCH).total_seconds() * 1_000_000))
    return micros * 1024 + (zlib.crc32(record_id.encode()) & 1023)


@dataclass(frozen=True)
class Doc:
    record_id: str
    key: int
    fields: tuple[str, ...]


def _codes(*parts: str) -> str:
    seen: list[str] = []
    for part in parts:
        part = (part or "").strip()
        if part and part not in seen:
            seen.append(part)
    return FIELD_SEP.join(seen)


def _names(name: str, *more: str) -> str:
    given = given_name(name or "")
    return " ".join(t for t in (words(name or ""), given, *(words(m) for m in more)) if t)


def _chunks(ids: Iterable[str]) -> Iterable[list[str]]:
    items = sorted(set(ids))
    for i in range(0, len(items), CHUNK):
        yield items[i:i + CHUNK]


def _marks(n: int) -> str:
    return ",".join("?" * n)


def _rows(conn: Any, sql: str, args: Sequence[Any]) -> list[tuple]:
    """Rows of ``sql`` on a SQLAlchemy Connection or a DBAPI connection."""
    if isinstance(conn, Connection):
        return [tuple(r) for r in conn.exec_driver_sql(sql, tuple(args)).fetchall()]
    return conn.execute(sql, tuple(args)).fetchall()


def _run_many(conn: Any, sql: str, rows: list[tuple]) -> None:
    if not rows:
        return
    if isinstance(conn, Connection):
        conn.exec_driver_sql(sql, rows)
    else:
        conn.executemany(sql, rows)


# -- building documents --------------------------------------------------------------------
def order_docs(conn: Any, order_ids: Sequence[str]) -> list[Doc]:
    """The documents of the given orders (an id that is no order gives none)."""
    if not order_ids:
        return []
    marks = _marks(len(order_ids))
    orders = _rows(conn, (
        "SELECT o.id, o.number, o.contact_digits, o.called_at, o.fault_description, "
        "o.customer_id, c.name, p.serial_no, p.model FROM service_orders o "
        "JOIN customers c ON c.id = o.customer_id "
        f"LEFT JOIN products p ON p.id = o.product_id WHERE o.id IN ({marks})"), order_ids)
    customer_ids = sorted({r[5] for r in orders})
    phones: dict[str, list[str]] = {}
    if customer_ids:
        for cid, d in _rows(conn, "SELECT customer_id, digits FROM customer_phones WHERE "
                            f"customer_id IN ({_marks(len(customer_ids))}) ORDER BY position",
                            customer_ids):
            phones.setdefault(cid, []).append(d)
    records: dict[str, list[str]] = {}
    for oid, diagnosis, actions in _rows(conn, (
            "SELECT order_id, diagnosis, actions FROM repair_records WHERE voided_at IS NULL "
            f"AND order_id IN ({marks}) ORDER BY created_at, id"), order_ids):
        records.setdefault(oid, []).extend((diagnosis, actions))
    docs = []
    for oid, number, contact, called, fault, cid, name, serial, model in orders:
        codes = _codes(number, contact, *phones.get(cid, ()), serial or "", model or "")
        docs.append(Doc(oid, time_key(called, oid), (
            codes, _names(name), words(fault or "", *records.get(oid, ())))))
    return docs


def customer_docs(conn: Any, customer_ids: Sequence[str]) -> list[Doc]:
    if not customer_ids:
        return []
    marks = _marks(len(customer_ids))
    customers = _rows(conn, "SELECT id, name, address, created_at FROM customers "
                      f"WHERE id IN ({marks})", customer_ids)
    codes: dict[str, list[str]] = {}
    for cid, d in _rows(conn, "SELECT customer_id, digits FROM customer_phones WHERE "
                        f"customer_id IN ({marks}) ORDER BY position", customer_ids):
        codes.setdefault(cid, []).append(d)
    for cid, serial, model in _rows(conn, "SELECT customer_id, serial_no, model FROM products "
                                    f"WHERE customer_id IN ({marks}) ORDER BY created_at, id",
                                    customer_ids):
        codes.setdefault(cid, []).extend((serial or "", model or ""))
    return [Doc(cid, time_key(created, cid), (_codes(*codes.get(cid, ())),
                                              _names(name, address or "")))
            for cid, name, address, created in customers]


# -- writing documents ---------------------------------------------------------------------
@dataclass(frozen=True)
class _Table:
    name: str
    id_column: str
    fields: tuple[str, ...]
    #: its FTS5 tables and the fields each indexes (written here, not by triggers: an FTS5
    #: insert inside a trigger flushes a segment per row, see migration 0009)
    fts: tuple[tuple[str, tuple[str, ...]], ...]


ORDERS = _Table("order_search", "order_id", ("codes", "names", "words"),
                (("order_codes_fts", ("codes",)), ("order_words_fts", ("names", "words"))))
CUSTOMERS = _Table("customer_search", "customer_id", ("codes", "names"),
                   (("customer_codes_fts", ("codes",)), ("customer_words_fts", ("names",))))


def _fts_rows(conn: Any, table: _Table, rows: list[tuple[int, tuple[str, ...]]],
              delete: bool) -> None:
    """Adds (or with ``delete`` takes out: the FTS5 'delete' command needs the old text)
    documents ``(doc, fields)`` to the table's FTS indexes, in ``doc`` order: FTS5 writes
    its pending data out as a new segment whenever a rowid is not above the last one of
    the transaction (500 documents took 3 s in random order, 10 ms in order)."""
    rows = sorted(rows)
    for fts, fields in table.fts:
        where = [table.fields.index(f) for f in fields]
        cols = ", ".join(fields)
        marks = _marks(len(fields) + 1)
        if delete:
            _run_many(conn, f"INSERT INTO {fts} ({fts}, rowid, {cols}) VALUES ('delete', "
                      f"{marks})", [(doc, *(values[i] for i in where)) for doc, values in rows])
        else:
            _run_many(conn, f"INSERT INTO {fts} (rowid, {cols}) VALUES ({marks})",
                      [(doc, *(values[i] for i in where)) for doc, values in rows])


def write_docs(conn: Any, table: _Table, ids: Sequence[str], docs: list[Doc]) -> int:
    """Makes the stored documents of ``ids`` equal to ``docs`` (an id without a doc loses
    its document); returns how many rows changed. Unchanged documents are not rewritten (the
    FTS triggers would delete and re-add every token)."""
    if not ids:
        return 0
    cols = ", ".join(table.fields)
    existing = {r[0]: (r[1], tuple(r[2:])) for r in _rows(
        conn, f"SELECT {table.id_column}, doc, {cols} FROM {table.name} "
        f"WHERE {table.id_column} IN ({_marks(len(ids))})", ids)}
    wanted = {d.record_id: d for d in docs}
    deletes = [(existing[i][0],) for i in ids if i in existing and (
        i not in wanted or existing[i][0] >> 10 != wanted[i].key >> 10)]
    updates, inserts = [], []
    for d in docs:
        old = existing.get(d.record_id)
        if old is not None and old[0] >> 10 == d.key >> 10:
            if old[1] != d.fields:
                updates.append((d.record_id, (*d.fields, old[0])))
        else:
            inserts.append(d)
    # a deleted document leaves the FTS indexes by the delete trigger (as in a cascade)
    _run_many(conn, f"DELETE FROM {table.name} WHERE doc = ?", deletes)
    _fts_rows(conn, table, [(u[-1], existing[i][1]) for i, u in updates], delete=True)
    sets = ", ".join(f"{f} = ?" for f in table.fields)
    _run_many(conn, f"UPDATE {table.name} SET {sets} WHERE doc = ?", [u for _i, u in updates])
    _fts_rows(conn, table, [(u[-1], u[:-1]) for _i, u in updates], delete=False)
    if inserts:
        keys = _free_keys(conn, table, [d.key for d in inserts])
        marks = _marks(2 + len(table.fields))
        _run_many(conn, f"INSERT INTO {table.name} (doc, {table.id_column}, {cols}) "
                  f"VALUES ({marks})",
                  [(k, d.record_id, *d.fields) for k, d in zip(keys, inserts, strict=True)])
        _fts_rows(conn, table, [(k, d.fields) for k, d in zip(keys, inserts, strict=True)],
                  delete=False)
    return len(deletes) + len(updates) + len(inserts)


def _free_keys(conn: Any, table: _Table, keys: list[int]) -> list[int]:
    """``keys`` with each one already taken (or wanted twice) stepped down to a free one.

    Many records of one instant (a bulk import, a joining device's page) want the same few
    keys: the taken keys below are read a window at a time (not one query per step), and a
    step remembers where it ended (path halving), so a thousand records stepping past a
    hundred thousand taken keys do not walk them one by one each."""
    if not keys:
        return []
    window = 2 * len(keys) + 64
    low = min(keys) - window
    taken = {r[0] for r in _rows(conn, f"SELECT doc FROM {table.name} WHERE doc BETWEEN ? "
                                 "AND ?", (low, max(keys)))}
    below: dict[int, int] = {}  # a taken key -> a key at or below it worth trying next
    out = []
    for key in keys:
        path = []
        while key in taken or key < low:
            if key < low:  # stepped below what was read: read the next window down
                window *= 2
                taken |= {r[0] for r in _rows(conn, f"SELECT doc FROM {table.name} WHERE doc "
                                              "BETWEEN ? AND ?", (low - window, low - 1))}
                low -= window
                continue
            path.append(key)
            key = below.get(key, key - 1)
        for step in path:
            below[step] = key
        out.append(key)
        taken.add(key)
    return out


def index_orders(conn: Any, order_ids: Iterable[str]) -> int:
    changed = 0
    for chunk in _chunks(order_ids):
        changed += write_docs(conn, ORDERS, chunk, order_docs(conn, chunk))
    return changed


def index_customers(conn: Any, customer_ids: Iterable[str]) -> int:
    changed = 0
    for chunk in _chunks(customer_ids):
        changed += write_docs(conn, CUSTOMERS, chunk, customer_docs(conn, chunk))
    return changed


# -- the refreshers ------------------------------------------------------------------------
def _orders_of(conn: Connection, column: str, ids: set[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(ids):
        found.update(r[0] for r in _rows(
            conn, f"SELECT id FROM service_orders WHERE {column} IN ({_marks(len(chunk))})",
            chunk))
    return found


def refresh_orders(conn: Connection, dirty: Dirty) -> None:
    """The touched orders, and every order of a touched customer or product (a renamed
    customer is found by the new name on all his orders)."""
    ids = set(dirty.orders)
    ids |= _orders_of(conn, "customer_id", dirty.customers)
    ids |= _orders_of(conn, "product_id", dirty.products)
    index_orders(conn, ids)


def refresh_customers(conn: Connection, dirty: Dirty) -> None:
    index_customers(conn, dirty.customers)


def install() -> None:
    """Registers the refreshers (bootstrap calls it once; again is harmless)."""
    search_index.register(refresh_orders)
    search_index.register(refresh_customers)


def doc_of(conn: Any, table: _Table, record_id: str) -> int | None:
    rows = _rows(conn, f"SELECT doc FROM {table.name} WHERE {table.id_column} = ?",
                 (record_id,))
    return rows[0][0] if rows else None


def stored_text(conn: Any, table: _Table, record_id: str) -> dict[str, str] | None:
    """A record's stored document, field by field (for tests and the check command)."""
    rows = _rows(conn, f"SELECT {', '.join(table.fields)} FROM {table.name} "
                 f"WHERE {table.id_column} = ?", (record_id,))
    return dict(zip(table.fields, rows[0], strict=True)) if rows else None
