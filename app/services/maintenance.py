"""Maintenance reminders (保养提醒): which products are due for their periodic maintenance,
one call that opens the maintenance order for one of them, and the call list for an SMS or
phone campaign.

A product is on a schedule when the warranty policy puts its model in a category with a
maintenance interval (``Category.maintenance_months`` > 0). Its interval counts from the last
service: the newest completed maintenance order of the product (completed, visited or closed;
its completion day), else its newest completed install order, else its purchase date, else
the day the station registered it. It is due that many months later (clamped to the month's
last day, like the warranty periods) and is listed when due on or before the horizon (today
+ N days): the overdue first, then by due date. A product with an open maintenance order is
not listed (it is being looked after).

The list is one indexed SQL query over the products (the models classified by the policy in
Python once, their categories passed in as a small VALUES table) with the page cut in SQL,
so a 1,000,000-order station answers without loading its products into Python. Times: the
order's UTC completion read in the station's time zone at its offset today (stations keep
China time, which has no daylight saving). Reading needs no permission; opening an order is
``OrderService.create_in``'s (ORDER_CREATE, rows + audit + outbox in one transaction); the
export for a campaign is ``Permission.CAMPAIGN_EXPORT``'s and audited (who, how many rows).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import OrderSource, OrderStatus, OrderType, ServiceMode
from app.domain.errors import RuleViolation
from app.domain.permissions import Permission
from app.domain.report_tables import Column, ColumnKind, Table
from app.domain.warranty_policy import WarrantyPolicy
from app.i18n import tr
from app.services import events
from app.services import text_input as t
from app.services.context import Actor
from app.services.errors import not_found
from app.services.journal import record
from app.services.order_types import NewOrder, OrderDetail
from app.services.order_warnings import Ack
from app.services.orders import OrderService
from app.services.warranty_policy import current_policy
from app.store.base import utcnow
from app.store.database import Database
from app.store.models import CustomerPhone, Product, ServiceOrder

DEFAULT_DAYS = 30
MAX_DAYS = 366
MAX_PAGE = 1000
#: the export holds at most this many rows (a campaign bigger than that is split by horizon)
MAX_EXPORT = 100_000
#: the fault text of a maintenance order opened from the list
FAULT_TEXT = "定期保养"
DONE = (OrderStatus.COMPLETED.value, OrderStatus.VISITED.value, OrderStatus.CLOSED.value)
OPEN = tuple(s.value for s in OrderStatus if s.open and s.value not in DONE)
EXPORT_ACTION = "maintenance.export"


class DueBasis(StrEnum):
    """What the interval counts from."""

    MAINTENANCE = "maintenance"  # 上次保养
    INSTALL = "install"  # 安装
    PURCHASE = "purchase"  # 购机
    REGISTERED = "registered"  # 建档


@dataclass(frozen=True)
class DueProduct:
    product_id: str
    customer_id: str
    customer_name: str
    #: the customer's first phone, in full (a call list)
    phone: str
    address: str
    model: str
    serial_no: str
    category: str
    interval_months: int
    #: the day the interval counts from, and what happened that day
    last_service: date
    basis: DueBasis
    due_on: date
    #: days past the due date (negative: due in that many days)
    overdue_days: int

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


@dataclass(frozen=True)
class DuePage:
    rows: tuple[DueProduct, ...]
    #: how many products are due by the horizon (all pages)
    total: int
    today: date
    horizon: date


@dataclass(frozen=True)
class ExportDone:
    path: Path
    rows: int


def check_days(days: int) -> int:
    """The horizon in days from today (0..366), or a RuleViolation."""
    if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= MAX_DAYS:
        raise RuleViolation("The horizon must be a whole number of days from 0 to {high}.",
                            field="days", high=MAX_DAYS)
    return days


class MaintenanceService:
    def __init__(self, db: Database, bus: events.ChangeBus, orders: OrderService,
                 clock: Callable[[], datetime] = utcnow, tz: tzinfo | None = None) -> None:
        self.db = db
        self.bus = bus
        self.orders = orders
        self.clock = clock
        self.tz = tz

    # -- reading ------------------------------------------------------------------------------
    def due(self, days: int = DEFAULT_DAYS, *, limit: int = 200, offset: int = 0) -> DuePage:
        """The products due for maintenance within ``days`` from today, a page at a time."""
        check_days(days)
        limit = max(0, min(int(limit), MAX_EXPORT))
        offset = max(0, int(offset))
        with self.db.read() as s:
            return self._due(s, days, limit, offset)

    def due_table(self, days: int = DEFAULT_DAYS) -> Table:
        """The whole due list (up to ``MAX_EXPORT`` rows) as a table: the call list."""
        return due_table(self.due(days, limit=MAX_EXPORT))

    def _due(self, s: Session, days: int, limit: int, offset: int) -> DuePage:
        now = self.clock()
        local_now = now.astimezone(self.tz) if self.tz else now.astimezone()
        raw: Any = s.connection().connection.driver_connection
        return due_page(raw, current_policy(s), local_now, days, limit, offset)

    # -- writing ------------------------------------------------------------------------------
    def create_order(self, actor: Actor, product_id: str,
                     acknowledged: Ack | None = None) -> OrderDetail:
        """Opens the maintenance order (保养工单) of ``product_id`` for its customer, at the
        customer's phone and address, through ``OrderService.create_in`` (its permission,
        checks and warnings; rows + audit + outbox in one transaction). Refused when the
        product already has an open maintenance order."""
        actor.require(Permission.ORDER_CREATE)
        t.check_key(product_id, "product_id", "Product")
        with self.db.write() as s:
            product = s.get(Product, product_id)
            if product is None:
                raise not_found("product")
            open_number = s.scalar(
                select(ServiceOrder.number).where(ServiceOrder.product_id == product.id,
                       ServiceOrder.order_type == OrderType.MAINTENANCE.value,
                       ServiceOrder.status.in_(OPEN)).limit(1))
            if open_number is not None:
                raise RuleViolation(
                    "This product already has an open maintenance order ({number}).",
                    field="product_id", number=open_number)
            phone = s.scalar(select(CustomerPhone.number).where(CustomerPhone.customer_id == product.customer_id)
                             .order_by(CustomerPhone.position, CustomerPhone.id).limit(1))
            new = NewOrder(order_type=OrderType.MAINTENANCE, source=OrderSource.PHONE,
                           service_mode=ServiceMode.ON_SITE, fault_description=FAULT_TEXT,
                           contact_phone=phone or "", customer_id=product.customer_id,
                           product_id=product.id,
                           service_address=product.customer.address)
            order = self.orders.create_in(s, actor, new, self.clock(), acknowledged)
            order_id = order.id
        self.bus.publish({events.ORDERS, events.CUSTOMERS, events.OUTBOX})
        return self.orders.detail(order_id, actor)

    def export(self, actor: Actor, path: Path, days: int = DEFAULT_DAYS) -> ExportDone:
        """Writes the due list to ``path`` (.csv or .xlsx by its suffix) for a campaign:
        phone numbers in full, so the export is ``CAMPAIGN_EXPORT``'s and audited."""
        actor.require(Permission.CAMPAIGN_EXPORT)
        check_days(days)
        path = Path(path)
        kind = path.suffix.lower()
        if kind not in (".csv", ".xlsx"):
            raise RuleViolation("Export to a .csv or .xlsx file, not {name}.", field="path",
                                name=path.name)
        page = self.due(days, limit=MAX_EXPORT)
        table = due_table(page)
        from app.services import report_export  # openpyxl loads only for an export

        facts = ((tr("Due by"), page.horizon.isoformat()), (tr("Listed on"),
                 page.today.isoformat()), (tr("Products"), str(len(table.rows))))
        zone = self.tz or self.clock().astimezone().tzinfo
        if kind == ".csv":
            report_export.write_tables_csv([table], path, zone, facts=facts)
        else:
            report_export.write_tables_xlsx([table], path, zone, title="Maintenance due",
                                            facts=facts)
        with self.db.write() as s:
            record(s, actor, action=EXPORT_ACTION, entity="maintenance_due", entity_id="",
                   detail=f"{len(table.rows)} rows, {days} days, to {path.name}")
        return ExportDone(path, len(table.rows))


def due_page(raw: Any, policy: WarrantyPolicy, local_now: datetime, days: int, limit: int,
             offset: int) -> DuePage:
    """The due list on a DBAPI (sqlite3) connection, as of the local time ``local_now``:
    one statement, the page cut in SQL (the benchmark calls it on a big station's file)."""
    today = local_now.date()
    horizon = today + timedelta(days=days)
    offset_s = int((local_now.utcoffset() or timedelta()).total_seconds())
    schedule = _schedules(raw, policy)
    if not schedule:
        return DuePage((), 0, today, horizon)
    values = ",".join(f"(:m{i}, :c{i}, :n{i})" for i in range(len(schedule)))
    params: dict[str, Any] = {"shift": f"{offset_s:+d} seconds",
                              "horizon": horizon.isoformat(), "limit": limit,
                              "offset": offset}
    for i, (model, category, months) in enumerate(schedule):
        params.update({f"m{i}": model, f"c{i}": category, f"n{i}": months})
    # our own status words, not user text
    done = ",".join(f"'{x}'" for x in DONE)
    open_ = ",".join(f"'{x}'" for x in OPEN)
    sql = f"""
        WITH m(model, category, months) AS (VALUES {values}),
        -- per product, the one fact that decides: an open maintenance order ('9'), else the
        -- newest finished maintenance ('2' || time), else the newest finished install ('1' ||
        -- time). Read from ix_orders_kind_product alone: only the maintenance and install
        -- orders, never the rows of the table.
        k AS MATERIALIZED (
          SELECT product_id, max(CASE
              WHEN order_type = 'maintenance' AND status IN ({open_}) THEN '9'
              WHEN order_type = 'maintenance' AND status IN ({done})
                THEN '2' || coalesce(cleared_at, closed_at)
              WHEN order_type = 'install' AND status IN ({done})
                THEN '1' || coalesce(cleared_at, closed_at) END) AS k
          FROM service_orders INDEXED BY ix_orders_kind_product
          WHERE order_type IN ('maintenance', 'install') AND product_id IS NOT NULL
          GROUP BY product_id),
        base AS (
          SELECT p.id, p.customer_id, p.model, p.serial_no, m.category, m.months,
            CASE WHEN k.k LIKE '2%' THEN date(substr(k.k, 2), :shift) END AS maint,
            CASE WHEN k.k LIKE '1%' THEN date(substr(k.k, 2), :shift) END AS inst,
            p.purchase_date AS bought,
            date(p.created_at, :shift) AS registered
          -- CROSS JOIN: one pass over the products, each looking up its model's interval
          FROM products p CROSS JOIN m ON m.model = p.model
          LEFT JOIN k ON k.product_id = p.id
          WHERE k.k IS NULL OR k.k <> '9'),
        dated AS (
          SELECT *, coalesce(maint, inst, bought, registered) AS last,
            CASE WHEN maint IS NOT NULL THEN 'maintenance' WHEN inst IS NOT NULL
                 THEN 'install' WHEN bought IS NOT NULL THEN 'purchase'
                 ELSE 'registered' END AS basis
          FROM base),
        due AS (
          SELECT *, min(date(last, '+' || months || ' months'),
                        date(last, 'start of month', '+' || (months + 1) || ' months',
                             '-1 day')) AS due_on
          FROM dated),
        page AS (
          SELECT *, count(*) OVER () AS total FROM due WHERE due_on <= :horizon
          ORDER BY due_on, id LIMIT :limit OFFSET :offset)
        SELECT page.id, page.customer_id, c.name, c.address,
          -- the first phone: SQLite's min() takes its row's bare column (no sort per row)
          (SELECT number FROM (SELECT ph.number AS number, min(ph.position)
                               FROM customer_phones ph WHERE ph.customer_id = c.id)),
          page.model, page.serial_no, page.category, page.months, page.last, page.basis,
          page.due_on, page.total
        FROM page JOIN customers c ON c.id = page.customer_id
        ORDER BY page.due_on, page.id
    """
    rows = raw.execute(sql, params).fetchall()
    if not rows and (offset or not limit):  # past the end: the total all the same
        total = due_page(raw, policy, local_now, days, 1, 0).total
    else:
        total = rows[0][12] if rows else 0
    out = []
    for r in rows:
        due_on = date.fromisoformat(r[11])
        out.append(DueProduct(
            product_id=r[0], customer_id=r[1], customer_name=r[2], address=r[3],
            phone=r[4] or "", model=r[5], serial_no=r[6], category=r[7],
            interval_months=r[8], last_service=date.fromisoformat(r[9]),
            basis=DueBasis(r[10]), due_on=due_on, overdue_days=(today - due_on).days))
    return DuePage(tuple(out), total, today, horizon)


def _schedules(raw: Any, policy: WarrantyPolicy) -> list[tuple[str, str, int]]:
    """(stored model, category, interval) of every stored model on a schedule."""
    if not any(c.maintenance_months for c in policy.categories):
        return []
    out = []
    for (model,) in raw.execute("SELECT DISTINCT model FROM products"):
        category = policy.category_for(model)
        if category is not None and category.maintenance_months > 0:
            out.append((model, category.name, category.maintenance_months))
    return out


def due_table(page: DuePage) -> Table:
    """The call list's table (for the exports and the command line)."""
    columns = (
        Column("customer", "Customer"), Column("phone", "Phone"),
        Column("address", "Address"), Column("model", "Model"),
        Column("serial_no", "Serial number"), Column("category", "Category"),
        Column("last_service", "Last service", ColumnKind.DATE),
        Column("basis", "Counted from"),
        Column("due_on", "Due on", ColumnKind.DATE),
        Column("overdue_days", "Days overdue", ColumnKind.COUNT),
    )
    rows = tuple((r.customer_name, r.phone, r.address, r.model, r.serial_no, r.category,
                  r.last_service, r.basis, r.due_on, max(r.overdue_days, 0))
                 for r in page.rows)
    return Table("maintenance_due", "Maintenance due", columns, rows)


__all__ = ["DEFAULT_DAYS", "FAULT_TEXT", "DueBasis", "DuePage", "DueProduct", "ExportDone",
           "MaintenanceService", "check_days", "due_table"]
