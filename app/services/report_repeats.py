"""Report ``repeats`` (返修率): of the repairs called in the range and completed, how many
came back — the same product (the same product row, or another row of the same model with
the same serial number) with a new repair order within 90 days of the completion — by model
and by the technician of the first order.

Days are local calendar days: a repair completed on day D comes back when the new repair
order is called after the completion and on day D + 90 at the latest (day 91 is too late).
One set-based statement for both tables; the comeback is an indexed ``EXISTS`` per first
order (``ix_orders_customer``; ``ix_products_serial_no`` and ``ix_orders_product`` for a
serial on another record), looked up once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.domain.enums import OrderStatus, OrderType
from app.domain.report_tables import (
    Chart,
    ChartKind,
    Column,
    ColumnKind,
    NoOne,
    ReportQuery,
    ReportResult,
    Table,
)
from app.services.station_reports import ReportDef, ReportSource, db_time, order_filter_sql

TITLE = "Repeat repairs"
#: a comeback on the last of these days after the completion still counts
WINDOW_DAYS = 90

NOTES = (
    "First orders: the repair orders called in the range (of the chosen order type, when one "
    "is chosen) that were completed and name a product; the filters apply to them.",
    "A repeat: the same product (the same product record, or another record of the same "
    "model with the same serial number) comes back with a new repair order, not cancelled, "
    "called after the first order's completion and at the latest on the 90th day after "
    "the day of completion (local days: the 90th day counts, the 91st does not).",
    "Repeat rate: repeats / first orders. The technician is the first order's; first "
    "orders without a technician show as not assigned.",
    "Still open: first orders whose 90 days have not all passed yet; their figure may "
    "still grow.",
)


@dataclass(frozen=True)
class RepeatCounts:
    completed: int = 0
    repeats: int = 0
    still_open: int = 0

    @property
    def rate(self) -> float | None:
        return self.repeats / self.completed if self.completed else None


def _comeback(alias: str) -> str:
    """An SQL EXISTS: a later repair of the first order's product inside its window; another
    record of the same serial is searched only when there is one (``shared``)."""
    later = (f"b.called_at > {alias}.cleared_at AND b.called_at < {alias}.bound"
             f" AND b.order_type = '{OrderType.REPAIR.value}'"
             f" AND b.status <> '{OrderStatus.CANCELLED.value}' AND b.id <> {alias}.id")
    # an order's product is always its customer's (the order services refuse another's), so
    # the customer's orders of the window, read along ix_orders_customer (customer, called),
    # hold every comeback of the same product record: a few index entries per first order
    # instead of every order of the product
    return (f"(EXISTS (SELECT 1 FROM service_orders b INDEXED BY ix_orders_customer"
            f" WHERE b.customer_id = {alias}.customer AND b.product_id = {alias}.product_id"
            f" AND {later})"
            f" OR CASE WHEN {alias}.shared THEN EXISTS (SELECT 1 FROM products p2"
            f" JOIN service_orders b ON b.product_id = p2.id"
            f" WHERE p2.serial_no = {alias}.serial AND p2.model = {alias}.model"
            f" AND p2.id <> {alias}.product_id AND {later}) ELSE 0 END)")


def repeat_table(source: ReportSource, query: ReportQuery,
                 groupings: dict[str, str]) -> dict[str, dict[Any, RepeatCounts]]:
    """First orders, repeats and still-open windows by each grouping (SQL over ``o`` and
    ``pa``, the product), in one statement: the comeback is looked up once per first order
    (a materialized CTE), then counted by every grouping."""
    where, values = order_filter_sql(source, query)
    kind = query.order_type or OrderType.REPAIR.value
    names = list(groupings)
    picked = ", ".join(f"{groupings[k]} AS g{i}" for i, k in enumerate(names))
    kept = ", ".join(f"f.g{i}" for i in range(len(names)))
    counted = " UNION ALL ".join(
        f"SELECT {i}, g{i}, count(*), sum(rep), sum(pending) FROM x GROUP BY g{i}"
        for i in range(len(names)))
    sql = (
        # the serials registered on more than one product record (few or none): only their
        # first orders look for a comeback on another record
        "WITH d AS MATERIALIZED (SELECT serial_no, model FROM products WHERE serial_no <> ''"
        " GROUP BY serial_no, model HAVING count(*) > 1),"
        " f AS (SELECT o.id, o.product_id, o.customer_id AS customer, o.cleared_at,"
        " pa.serial_no AS serial, pa.model AS model, d.serial_no IS NOT NULL AS shared,"
        f" {picked}, datetime(date(o.cleared_at, ?), ?, ?) AS bound"
        " FROM service_orders o JOIN products pa ON pa.id = o.product_id"
        " LEFT JOIN d ON d.serial_no = pa.serial_no AND d.model = pa.model"
        # "+": the kind is checked on the range's rows; read by kind (ix_orders_kind_product)
        # the repairs of every year would be scanned
        f" WHERE {where} AND o.cleared_at IS NOT NULL AND +o.order_type = ?),"
        f" x AS MATERIALIZED (SELECT {kept}, {_comeback('f')} AS rep, f.bound > ? AS pending"
        f" FROM f) {counted}")
    params = [source.offset_modifier(query), f"+{WINDOW_DAYS + 1} days",
              source.offset_modifier(query, -1), *values, kind, db_time(source.now)]
    out: dict[str, dict[Any, RepeatCounts]] = {k: {} for k in names}
    for i, g, n, rep, pending in source.raw.execute(sql, params):
        out[names[i]][g] = RepeatCounts(n, int(rep), int(pending))
    return out


def repeat_counts(source: ReportSource, query: ReportQuery,
                  group: str) -> dict[Any, RepeatCounts]:
    """``repeat_table`` by one grouping."""
    return repeat_table(source, query, {"g": group})["g"]


def technician_names(source: ReportSource) -> dict[str, str]:
    return dict(source.raw.execute("SELECT id, display_name FROM users").fetchall())


def _columns(first: Column) -> tuple[Column, ...]:
    return (first,
            Column("first_orders", "First orders", ColumnKind.COUNT),
            Column("repeats", "Repeats", ColumnKind.COUNT),
            Column("repeat_rate", "Repeat rate", ColumnKind.SHARE),
            Column("still_open", "Still open", ColumnKind.COUNT))


def _totals(counts: dict[Any, RepeatCounts]) -> tuple:
    total = RepeatCounts(sum(c.completed for c in counts.values()),
                         sum(c.repeats for c in counts.values()),
                         sum(c.still_open for c in counts.values()))
    return ("Total", total.completed, total.repeats, total.rate, total.still_open)


def _rows(counts: dict[Any, RepeatCounts], label: Any) -> tuple:
    ordered = sorted(counts.items(),
                     key=lambda kv: (-(kv[1].rate or 0), -kv[1].completed, str(label(kv[0]))))
    return tuple((label(k), c.completed, c.repeats, c.rate, c.still_open) for k, c in ordered)


def compute(source: ReportSource, query: ReportQuery) -> ReportResult:
    counts = repeat_table(source, query, {"model": "pa.model", "tech": "o.technician_id"})
    by_model, by_tech = counts["model"], counts["tech"]
    names = technician_names(source)
    tables = (
        Table("by_model", "Repeat repairs by model", _columns(Column("model", "Model")),
              _rows(by_model, lambda m: m), _totals(by_model)),
        Table("by_technician", "Repeat repairs by technician",
              _columns(Column("technician", "Technician")),
              _rows(by_tech, lambda t: names.get(t) or NoOne.TECHNICIAN if t else NoOne.TECHNICIAN), _totals(by_tech)),
    )
    charts = (
        Chart("by_model", ChartKind.BAR, "model", ("repeat_rate",), "Repeat rate by model"),
        Chart("by_technician", ChartKind.BAR, "technician", ("repeat_rate",),
              "Repeat rate by technician"),
    )
    return ReportResult("repeats", TITLE, query, tables, charts, computed_at=source.now,
                        notes=NOTES)


REPORT = ReportDef("repeats", TITLE, compute)
