"""Finding orders fast: one search box (order number, phone, customer name, serial) plus
filters, read a page at a time with a keyset cursor so a million orders stay quick.

The SQL for each *shape* of search (which filters are present) is built with SQLAlchemy once,
compiled once and cached; a search then only binds values and runs it on the DBAPI cursor.
Building and compiling a statement per keystroke cost more than SQLite's work itself.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Column, and_, bindparam, false, func, literal_column, not_, or_, select
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.orm import aliased

from app.domain import validation as v
from app.domain.enums import OrderStatus
from app.domain.sla import ARRIVE_WITHIN, CLEAR_WITHIN, RESPOND_WITHIN
from app.services import search_any
from app.store import sqlite_driver
from app.store.models import Customer, CustomerPhone, Product, ServiceOrder, User

PAGE_SIZE = 100
CLOSED_STATES = (OrderStatus.CLOSED.value, OrderStatus.CANCELLED.value)
#: sorts after every character a name or number can hold, for prefix ranges on a plain index
PREFIX_END = "\U0010ffff"
#: above this many matching customers, walking the orders newest-first finds a page sooner
#: than collecting and sorting all their orders
BROAD_CUSTOMERS = 1000
NARROW_DIGITS = 7
NARROW_NAME = 3
#: an order number prefix that names the day ("SO-BJ001-20261127") is narrow; shorter is broad
DAY_PREFIX_RE = re.compile(r"^SO-[A-Z0-9]{2,16}-\d{8}")
#: a prefix naming a year or month ("SO-BJ001-2026", "SO-BJ001-202611") bounds the call time
PERIOD_PREFIX_RE = re.compile(r"^SO-[A-Z0-9]{2,16}-(\d{4})(\d{2})?$")


@dataclass(frozen=True)
class OrderFilter:
    text: str = ""
    status: OrderStatus | None = None
    order_type: str | None = None
    technician_id: str | None = None
    overdue_only: bool = False
    customer_id: str | None = None
    #: only orders not closed or cancelled (the dashboard's 未结工单)
    open_only: bool = False
    #: only orders called at or after this time (the dashboard's 今日新增: local midnight)
    called_from: datetime | None = None


@dataclass(frozen=True)
class OrderRow:
    id: str
    number: str
    order_type: str
    source: str
    service_mode: str
    status: str
    customer_id: str
    customer_name: str
    contact_phone: str
    product_model: str
    serial_no: str
    technician_name: str
    called_at: datetime
    responded_at: datetime | None
    arrived_at: datetime | None
    cleared_at: datetime | None


#: where the next page starts: the last row's (called_at, id)
Cursor = tuple[datetime, str]


@dataclass(frozen=True)
class _Shape:
    number: bool = False
    digits: bool = False
    name: bool = False
    serial: bool = False
    status: bool = False
    order_type: bool = False
    technician: bool = False
    customer: bool = False
    overdue: bool = False
    open_only: bool = False
    called_from: bool = False
    after: bool = False
    #: the text matches so many orders that the page is found by walking ix_orders_called
    broad: bool = False
    #: the called_at bounds of a year or month named by an order number prefix
    called_range: bool = False
    #: the any-part tier (``app.services.search_any``): the FTS5 table matched, newest
    #: document first, leaving out what the prefix options above find
    any_part: str = ""


def _db_time(value: datetime) -> str:
    """The text SQLAlchemy's SQLite DateTime stores: naive UTC with microseconds."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _parse_time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value).replace(tzinfo=UTC)


def plan(flt: OrderFilter, now: datetime, after: Cursor | None,
         limit: int) -> tuple[_Shape, dict[str, Any]]:
    """What the search box text means, as a query shape and its parameter values."""
    params: dict[str, Any] = {"limit": limit}
    shape: dict[str, bool] = {}
    query = v.clean_text(flt.text, "text", "Search text")
    if query:
        upper = query.upper()
        compact = query.replace("-", "").replace(" ", "")
        shape["serial"] = True
        params["serial"] = upper
        if upper.startswith("SO"):
            shape["number"] = True
            params.update(number_lo=upper, number_hi=upper + PREFIX_END)
            if not DAY_PREFIX_RE.match(upper):
                shape["broad"] = True
                period = _period_bounds(upper)
                if period is not None:
                    shape["called_range"] = True
                    params.update(called_lo=_db_time(period[0]), called_hi=_db_time(period[1]))
        if compact.isdigit() and len(compact) >= 3:
            digits = v.phone_digits(query)
            shape["digits"] = True
            params.update(digits_lo=digits, digits_hi=digits + ":")  # ':' follows '9'
        elif not upper.startswith("SO-"):
            shape["name"] = True
            params.update(name_lo=query, name_hi=query + PREFIX_END)
    for key, value in (("status", flt.status and flt.status.value),
                       ("order_type", flt.order_type), ("technician", flt.technician_id),
                       ("customer", flt.customer_id)):
        if value:
            shape[key] = True
            params[key] = value
    if flt.open_only:
        shape["open_only"] = True
    if flt.called_from is not None:
        shape["called_from"] = True
        params["called_from"] = _db_time(flt.called_from)
    if flt.overdue_only:
        shape["overdue"] = True
        params.update(respond_cut=_db_time(now - RESPOND_WITHIN),
                      arrive_cut=_db_time(now - ARRIVE_WITHIN),
                      clear_cut=_db_time(now - CLEAR_WITHIN))
    if after is not None:
        shape["after"] = True
        params.update(after_called=_db_time(after[0]), after_id=after[1])
    return _Shape(**shape), params


def _period_bounds(prefix: str) -> tuple[datetime, datetime] | None:
    """UTC bounds (a day's margin each side for the time zone) of the year or month that an
    order number prefix names; numbers carry the local date of the call."""
    match = PERIOD_PREFIX_RE.match(prefix)
    if match is None:
        return None
    year, month = int(match.group(1)), match.group(2)
    try:
        if month is None:
            start, end = date(year, 1, 1), date(year + 1, 1, 1)
        else:
            m = int(month)
            start = date(year, m, 1)
            end = date(year + m // 12, m % 12 + 1, 1)
    except ValueError:
        return None
    margin = timedelta(days=1)
    return (datetime.combine(start, time(), UTC) - margin,
            datetime.combine(end, time(), UTC) + margin)


def _is_broad(raw: sqlite_driver.Connection, shape: _Shape, params: dict[str, Any]) -> bool:
    """Whether a name or phone prefix matches so many customers (counted up to a cap).
    Seven digits or three characters are taken as narrow without asking: the count would
    cost more than the search it guards."""
    short_digits = shape.digits and len(params["digits_lo"]) < NARROW_DIGITS
    short_name = shape.name and len(params["name_lo"]) < NARROW_NAME
    if not (short_digits or short_name):
        return False
    sql = []
    if short_name:
        sql.append(("SELECT count(*) FROM (SELECT 1 FROM customers WHERE name >= ? AND name < ?"
                    f" LIMIT {BROAD_CUSTOMERS + 1})", (params["name_lo"], params["name_hi"])))
    if short_digits:
        sql.append(("SELECT count(*) FROM (SELECT 1 FROM customer_phones WHERE digits >= ? AND"
                    f" digits < ? LIMIT {BROAD_CUSTOMERS + 1})",
                    (params["digits_lo"], params["digits_hi"])))
    return any(raw.execute(q, args).fetchone()[0] > BROAD_CUSTOMERS for q, args in sql)


def _no_index(column: Column) -> Any:
    """``+column``: the same value, but SQLite may not drive the query from its index."""
    return literal_column(f"+{column.table.name}.{column.name}", type_=column.type)


@lru_cache(maxsize=128)
def page_sql(shape: _Shape) -> tuple[str, tuple[str, ...], dict[str, Any]]:
    """The compiled SQL of a shape, the order of its positional parameters, and the values
    of the parameters fixed in the statement itself (the closed states)."""
    o = ServiceOrder
    technician = aliased(User)
    columns = (o.id, o.number, o.order_type, o.source, o.service_mode, o.status, o.customer_id,
               Customer.name, o.contact_phone, Product.model, Product.serial_no,
               technician.display_name, o.called_at, o.responded_at, o.arrived_at,
               o.cleared_at)
    fts = search_any.any_part_source(shape.any_part) if shape.any_part else None
    stmt = (
        (select(*columns) if fts is None else select(*columns, fts.doc).select_from(fts.source))
        .join(Customer, Customer.id == o.customer_id)
        .outerjoin(Product, Product.id == o.product_id)
        .outerjoin(technician, technician.id == o.technician_id)
    )
    # narrow text drives the query from the orders' own indexes (MULTI-INDEX OR, then a small
    # sort); broad text must not, so SQLite walks ix_orders_called and stops after a page
    col = _no_index if shape.broad else (lambda c: c)
    number, customer_id = col(o.__table__.c.number), col(o.__table__.c.customer_id)
    contact, product_id = col(o.__table__.c.contact_digits), col(o.__table__.c.product_id)
    text_options = []
    if shape.number:
        text_options.append(and_(number >= bindparam("number_lo"),
                                 number < bindparam("number_hi")))
    if shape.digits:
        text_options.append(customer_id.in_(
            select(CustomerPhone.customer_id).where(
                CustomerPhone.digits >= bindparam("digits_lo"),
                CustomerPhone.digits < bindparam("digits_hi"))))
        text_options.append(and_(contact >= bindparam("digits_lo"),
                                 contact < bindparam("digits_hi")))
    if shape.serial:
        text_options.append(product_id.in_(
            select(Product.id).where(Product.serial_no == bindparam("serial"))))
    if shape.name:
        text_options.append(customer_id.in_(
            select(Customer.id).where(Customer.name >= bindparam("name_lo"),
                                      Customer.name < bindparam("name_hi"))))
    conditions = [or_(*text_options)] if text_options else []
    if fts is not None:
        conditions = [fts.match, *(not_(func.coalesce(c, false())) for c in conditions)]
    if shape.called_range:
        conditions.append(and_(o.called_at >= bindparam("called_lo"),
                               o.called_at < bindparam("called_hi")))
    if shape.status:
        conditions.append(o.status == bindparam("status"))
    if shape.order_type:
        conditions.append(o.order_type == bindparam("order_type"))
    if shape.technician:
        conditions.append(o.technician_id == bindparam("technician"))
    if shape.customer:
        conditions.append(o.customer_id == bindparam("customer"))
    if shape.open_only:
        conditions.extend(o.status != state for state in CLOSED_STATES)
    if shape.called_from:
        conditions.append(o.called_at >= bindparam("called_from"))
    if shape.overdue:
        conditions.append(and_(
            *(o.status != state for state in CLOSED_STATES),
            or_(
                and_(o.responded_at.is_(None), o.called_at < bindparam("respond_cut")),
                and_(o.arrived_at.is_(None), o.called_at < bindparam("arrive_cut")),
                and_(o.cleared_at.is_(None), o.arrived_at.is_not(None),
                     o.arrived_at < bindparam("clear_cut")),
            ),
        ))
    if shape.after and fts is not None:
        conditions.append(fts.doc < bindparam("after_doc"))
    elif shape.after:
        conditions.append(or_(
            o.called_at < bindparam("after_called"),
            and_(o.called_at == bindparam("after_called"), o.id < bindparam("after_id")),
        ))
    if conditions:
        stmt = stmt.where(and_(*conditions))
    order = (fts.doc.desc(),) if fts is not None else (o.called_at.desc(), o.id.desc())
    stmt = stmt.order_by(*order).limit(bindparam("limit"))
    compiled = stmt.compile(dialect=sqlite_dialect.dialect())
    return str(compiled), tuple(compiled.positiontup or ()), dict(compiled.params)


def prepare(raw: sqlite_driver.Connection, flt: OrderFilter, now: datetime,
            after: Cursor | None = None, limit: int = PAGE_SIZE) -> tuple[str, tuple[Any, ...]]:
    """The SQL and positional values of one page of a search (the benchmark runs the same)."""
    shape, params = plan(flt, now, after, limit)
    if (shape.name or shape.digits) and not shape.broad and _is_broad(raw, shape, params):
        shape = dataclasses.replace(shape, broad=True)
    sql, order, fixed = page_sql(shape)
    values = {**fixed, **params}
    return sql, tuple(values[k] for k in order)


def search_page(raw: sqlite_driver.Connection, flt: OrderFilter, now: datetime,
                after: Cursor | None = None, limit: int = PAGE_SIZE) -> list[OrderRow]:
    """One page on a DBAPI connection (in autocommit: the read is its own snapshot): what the
    prefix search finds first, then what the any-part search adds (``search_any``)."""
    return search_any.order_page(raw, flt, now, after, limit)


def prefix_page(raw: sqlite_driver.Connection, flt: OrderFilter, now: datetime,
                after: Cursor | None = None, limit: int = PAGE_SIZE) -> list[OrderRow]:
    """One page of the prefix search alone (number, phone digits, name, exact serial)."""
    sql, values = prepare(raw, flt, now, after, limit)
    return rows_of(raw.execute(sql, values).fetchall())


def rows_of(rows: list[tuple]) -> list[OrderRow]:
    """A page's rows as ``OrderRow`` (columns beyond the sixteen are left out)."""
    return [
        OrderRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9] or "",
                 r[10] or "", r[11] or "", _parse_time(r[12]), _parse_time(r[13]),
                 _parse_time(r[14]), _parse_time(r[15]))
        for r in rows
    ]
