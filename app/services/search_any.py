"""Search by any part: what the order and customer searches add after their prefix matches.

Best first, in two tiers. Tier 0 is the prefix search of ``order_queries`` (number prefix,
phone digits prefix, name prefix, exact serial), newest first. Tier 1 is what the search
documents (``search_docs``) find that tier 0 did not: any 3+ characters of the ``codes``
(the FTS5 trigram index: a phone's last digits, part of a serial or order number, a model)
and every word of the text in ``names``/``words`` (the word index: a given name, fault,
diagnosis and action words; several words must all match), newest document first.

Each tier-1 index is read ``ORDER BY rowid DESC`` with the page's filters joined in, so SQLite
stops after a page even when a word is in every order (document keys sort by time, see
``search_docs``); the two indexes' pages are merged by key. Paging keeps the orders table's
cursor (the last row's ``called_at`` and id): a cursor row that tier 0 finds continues tier 0,
any other continues tier 1 after that row's document.

Until an index is complete (``search_build.index_ready``) only tier 0 runs: narrower, never
wrong.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Integer,
    String,
    bindparam,
    column,
    literal_column,
    select,
    table,
)

from app.domain import validation as v
from app.domain.search_words import digits, fts_phrase, query_tokens
from app.services.search_build import index_ready
from app.services.search_docs import CUSTOMERS, ORDERS, _rows, doc_of
from app.store import sqlite_driver

#: tier-1 kind -> (order FTS table, customer FTS table)
FTS = {"codes": ("order_codes_fts", "customer_codes_fts"),
       "words": ("order_words_fts", "customer_words_fts")}
#: the trigram index matches nothing shorter
MIN_CODE = 3
#: digits of a whole phone number (a mobile; a landline with its area code): when the
#: prefix search finds it, the any-part search has nothing to add and is not asked (a rare
#: 11-digit phrase costs the trigram index 10-20 ms to rule out everything else)
WHOLE_PHONE = 11
#: the date and sequence of an order number (20261024-0495), never a phone
NUMBER_TAIL_RE = re.compile(r"^\d{8}-\d")


def any_part_queries(text: str) -> list[tuple[str, str]]:
    """The tier-1 FTS5 queries of a search text: ``[(kind, match)]`` (empty: no tier 1).

    Codes: the text itself and, for a text of digits, spaces and dashes (a phone typed
    ``138 0013``), its bare digits, when 3+ characters, as trigram phrases (substrings). An order
    number prefix (``SO-...``) is left to tier 0: every number starts so. Words: every word
    of the text must be there; a text of digits only is a phone or number, not a word.
    """
    query = " ".join(text.split())
    if not query:
        return []
    out: list[tuple[str, str]] = []
    compact = query.replace("-", "").replace(" ", "")
    numeric = compact.isdigit()
    # a phone's digits are stored bare, an order number with its dashes: try both, except
    # for an order number's date and sequence (the bare digits cost 20 ms of dense trigrams)
    bare = digits(query) if numeric and not NUMBER_TAIL_RE.match(query) else ""
    needles = dict.fromkeys(n for n in (query, bare) if len(n) >= MIN_CODE)
    if needles and not query.upper().startswith("SO-"):
        out.append(("codes", " OR ".join(fts_phrase(n) for n in needles)))
    tokens = [] if numeric else query_tokens(query)
    if tokens:
        out.append(("words", " ".join(fts_phrase(t) for t in tokens)))
    return out


# -- orders ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class FtsSource:
    """The FROM of a tier-1 page (FTS table joined to its documents and the orders), its key
    column and its MATCH condition (bound as ``match``)."""

    source: FromClause
    doc: ColumnElement[int]
    match: ColumnElement[bool]


#: a tier-1 shape driven by its filter, not by the FTS index (``kind + FILTERED``)
FILTERED = ":filtered"


@lru_cache(maxsize=8)
def any_part_source(shape_kind: str) -> FtsSource:
    """The FROM of a tier-1 page. Plain ``kind``: the FTS index is walked newest first and
    the filters checked on each match, so a page of a word in every order stops early.
    ``kind + FILTERED`` (a customer's orders, today's orders): the filter's few orders are
    walked and each checked against the index by rowid, so a selective filter with a common
    word does not walk a million matches to find none."""
    from app.store.models import ServiceOrder

    kind, _, filtered = shape_kind.partition(":")
    name = FTS[kind][0]
    fts = table(name, column("rowid", Integer))
    docs = table(ORDERS.name, column("doc", Integer), column("order_id", String))
    match = literal_column(name).op("MATCH")(bindparam("match"))
    if filtered:
        source = ServiceOrder.__table__.join(docs, docs.c.order_id == ServiceOrder.id)
        exists = select(fts.c.rowid).where(match, fts.c.rowid == docs.c.doc).exists()
        return FtsSource(source, docs.c.doc, exists)
    source = fts.join(docs, docs.c.doc == fts.c.rowid).join(
        ServiceOrder, ServiceOrder.id == docs.c.order_id)
    return FtsSource(source, fts.c.rowid, match)


def order_page(raw: sqlite_driver.Connection, flt: Any, now: datetime, after: Any,
               limit: int) -> list[Any]:
    """One page of ``OrderService.search``: tier 0, then tier 1 (see the module doc)."""
    from app.services import order_queries as q

    text = v.clean_text(flt.text, "text", "Search text")
    kinds = any_part_queries(text)
    if not kinds or not index_ready(raw, "orders"):
        return q.prefix_page(raw, flt, now, after, limit)
    rows: list[Any] = []
    after_doc: int | None = None
    if after is not None and not _prefix_hit(raw, flt, now, after[1]):
        after_doc = doc_of(raw, ORDERS, after[1])
        if after_doc is None:  # the cursor's order left the index meanwhile: start tier 1 over
            after_doc = (1 << 63) - 1
    else:
        rows = q.prefix_page(raw, flt, now, after, limit)
        if len(rows) == limit:
            return rows
        if rows and _whole_phone(text):  # found by its whole number: nothing to add
            return rows
    return rows + _tier_one(raw, flt, now, kinds, after_doc, limit - len(rows))


def tier_one_sql(flt: Any, now: datetime, kind: str, match: str, after_doc: int | None,
                 limit: int) -> tuple[str, tuple[Any, ...]]:
    """The SQL and positional values of one tier-1 index's page (the benchmark runs the
    same); its rows carry the document key as a seventeenth column."""
    from app.services import order_queries as q

    shape, params = q.plan(flt, now, None, limit)
    selective = flt.customer_id is not None or flt.called_from is not None
    shape = dataclasses.replace(shape, any_part=kind + (FILTERED if selective else ""),
                                broad=False, called_range=False, after=after_doc is not None)
    sql, order, fixed = q.page_sql(shape)
    values = {**fixed, **params, "match": match, "after_doc": after_doc}
    return sql, tuple(values[k] for k in order)


def _tier_one(raw: sqlite_driver.Connection, flt: Any, now: datetime,
              kinds: list[tuple[str, str]], after_doc: int | None, limit: int) -> list[Any]:
    from app.services import order_queries as q

    found: dict[int, Any] = {}
    for kind, match in kinds:
        sql, values = tier_one_sql(flt, now, kind, match, after_doc, limit)
        raw_rows = raw.execute(sql, values).fetchall()
        for row, parsed in zip(raw_rows, q.rows_of(raw_rows), strict=True):
            found.setdefault(row[16], parsed)
    return [found[k] for k in sorted(found, reverse=True)[:limit]]


def _whole_phone(text: str) -> bool:
    compact = text.replace("-", "").replace(" ", "")
    return compact.isdigit() and len(compact) >= WHOLE_PHONE


def _prefix_hit(raw: sqlite_driver.Connection, flt: Any, now: datetime, order_id: str) -> bool:
    """Does tier 0 find this order (the same text options as ``order_queries.page_sql``)?"""
    from app.services import order_queries as q

    shape, params = q.plan(flt, now, None, 1)
    row = raw.execute(
        "SELECT o.number, o.contact_digits, o.customer_id, c.name, p.serial_no "
        "FROM service_orders o JOIN customers c ON c.id = o.customer_id "
        "LEFT JOIN products p ON p.id = o.product_id WHERE o.id = ?", (order_id,)).fetchone()
    if row is None:
        return True  # gone: the prefix search's own cursor handles it
    number, contact, customer_id, name, serial = row
    if shape.number and params["number_lo"] <= number < params["number_hi"]:
        return True
    if shape.serial and serial == params["serial"]:
        return True
    if shape.name and params["name_lo"] <= name < params["name_hi"]:
        return True
    if shape.digits:
        lo, hi = params["digits_lo"], params["digits_hi"]
        if contact is not None and lo <= contact < hi:
            return True
        return raw.execute(
            "SELECT 1 FROM customer_phones WHERE customer_id = ? AND digits >= ? AND digits < ?",
            (customer_id, lo, hi)).fetchone() is not None
    return False


# -- customers -------------------------------------------------------------------------------
def more_customers(conn: Any, text: str, exclude: set[str], limit: int) -> list[str]:
    """Tier 1 of ``CustomerService.search``: ids of customers the documents find beyond
    ``exclude`` (tier 0), newest first, at most ``limit``."""
    if limit <= 0:
        return []
    kinds = any_part_queries(text)
    if not kinds or not index_ready(conn, "customers"):
        return []
    found: dict[int, str] = {}
    for kind, match in kinds:
        fts = FTS[kind][1]
        for doc, customer_id in _rows(conn, (
                f"SELECT d.doc, d.customer_id FROM {fts} JOIN {CUSTOMERS.name} d "
                f"ON d.doc = {fts}.rowid WHERE {fts} MATCH ? ORDER BY {fts}.rowid DESC "
                "LIMIT ?"), (match, limit + len(exclude))):
            if customer_id not in exclude:
                found[doc] = customer_id
    return [found[k] for k in sorted(found, reverse=True)[:limit]]
