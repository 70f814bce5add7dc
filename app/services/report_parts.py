"""Report ``parts`` (配件): the parts consumed in the range (issued onto orders, sold over the
counter, net of returns and voided sales), the stock's value now, at the range's start and
end and its turnover, and the slow movers (in stock, no issue or sale for ``SLOW_DAYS``).

Everything reads the stock ledger (``stock_movements``, sellable kinds only: old parts are
never stock) and prices units at today's station price, as the parts area values its stock
(``app.services.stock_queries.VALUE_SQL``). Each table is one set-based statement grouped by
part; the long lists keep their top ``MAX_LISTED`` rows, their totals (a window sum) cover all.
"""

from __future__ import annotations

from datetime import date, timedelta

from app.domain.parts import MovementKind
from app.domain.report_tables import (
    Chart,
    ChartKind,
    Column,
    ColumnKind,
    ReportQuery,
    ReportResult,
    Table,
)
from app.services.station_reports import (
    ReportDef,
    ReportSource,
    db_time,
    has_order_filter,
    order_filter_sql,
)

TITLE = "Parts"
#: a part in stock with no issue or sale for this many days is a slow mover
SLOW_DAYS = 90
MAX_LISTED = 200

_SELLABLE = ", ".join(f"'{k.value}'" for k in MovementKind if k.sellable)
_ON_ORDERS = f"'{MovementKind.ISSUED.value}', '{MovementKind.RETURNED.value}'"
_COUNTER = f"'{MovementKind.SOLD.value}', '{MovementKind.SALE_VOIDED.value}'"
_OUT = f"'{MovementKind.ISSUED.value}', '{MovementKind.SOLD.value}'"

NOTES = (
    "Consumption: the units issued onto service orders in the range less those returned "
    "unused, and the units sold over the counter less voided sales, by the day of the "
    "movement; valued at today's station price.",
    "With a technician, order type, category or source filter, only parts issued onto the "
    "matching orders count and counter sales are left out.",
    "Stock value: the units in stock (the sum of the ledger's movements; old parts are not "
    "stock) times today's station price, now and at the start and end of the range. The "
    "filters do not apply to the stock, its turnover or the slow movers.",
    "Turnover: the consumption of all parts in the range (at station price) divided by the "
    "average stock value, the mean of the value at the start and at the end of the range.",
    "Slow movers: parts in stock now with no issue or sale in the last 90 days (counted from "
    "the last issue or sale, or from the first movement of a part never issued).",
    "The consumption and slow-mover lists show the 200 largest by value; their totals cover "
    "all parts.",
)


def _consumption(source: ReportSource, query: ReportQuery) -> Table:
    start, end = source.utc_bounds(query)
    if has_order_filter(query):
        where, values = order_filter_sql(source, query, time_column=None)
        join = f" JOIN service_orders o ON o.id = m.order_id AND {where}"
        kinds = _ON_ORDERS
    else:
        join, values, kinds = "", [], f"{_ON_ORDERS}, {_COUNTER}"
    sql = (
        "WITH u AS (SELECT m.part_id,"
        f" sum(CASE WHEN m.kind IN ({_ON_ORDERS}) THEN -m.quantity ELSE 0 END) AS orders,"
        f" sum(CASE WHEN m.kind IN ({_COUNTER}) THEN -m.quantity ELSE 0 END) AS sold"
        f" FROM stock_movements m{join}"
        f" WHERE m.created_at >= ? AND m.created_at < ? AND m.kind IN ({kinds})"
        " GROUP BY m.part_id),"
        " v AS (SELECT p.part_no, p.name, u.orders, u.sold, u.orders + u.sold AS units,"
        " (u.orders + u.sold) * p.station_price_fen AS value FROM u JOIN parts p"
        " ON p.id = u.part_id WHERE u.orders <> 0 OR u.sold <> 0)"
        " SELECT part_no, name, orders, sold, units, value, sum(orders) OVER (),"
        " sum(sold) OVER (), sum(units) OVER (), sum(value) OVER ()"
        " FROM v ORDER BY value DESC, part_no LIMIT ?")
    rows = source.raw.execute(sql, [*values, start, end, MAX_LISTED]).fetchall()
    totals = ("Total", None, *(rows[0][6:] if rows else (0, 0, 0, 0)))
    return Table("consumption", "Parts consumed", (
        Column("part_no", "Part number"),
        Column("name", "Part name"),
        Column("on_orders", "Onto orders", ColumnKind.COUNT),
        Column("sold", "Sold", ColumnKind.COUNT),
        Column("units", "Units consumed", ColumnKind.COUNT),
        Column("value_fen", "Value", ColumnKind.FEN),
    ), tuple(tuple(r[:6]) for r in rows), totals)


def _per_part(columns: str) -> str:
    """Per part sums of the sellable ledger joined to the catalogue (``t`` and ``p``)."""
    return (f"(SELECT part_id, sum(quantity) AS units, {columns}"
            f" FROM stock_movements WHERE kind IN ({_SELLABLE}) GROUP BY part_id) AS t"
            " JOIN parts AS p ON p.id = t.part_id")


def _stock(source: ReportSource, query: ReportQuery) -> Table:
    start, end = source.utc_bounds(query)
    parts = _per_part(
        "sum(CASE WHEN created_at < ? THEN quantity ELSE 0 END) AS opening,"
        " sum(CASE WHEN created_at < ? THEN quantity ELSE 0 END) AS closing,"
        f" sum(CASE WHEN created_at >= ? AND created_at < ? AND kind IN ({_ON_ORDERS},"
        f" {_COUNTER}) THEN -quantity ELSE 0 END) AS used")
    row = source.raw.execute(
        "SELECT count(CASE WHEN t.units <> 0 THEN 1 END), coalesce(sum(t.units), 0),"
        " coalesce(sum(t.units * p.station_price_fen), 0),"
        " coalesce(sum(t.opening * p.station_price_fen), 0),"
        " coalesce(sum(t.closing * p.station_price_fen), 0),"
        f" coalesce(sum(t.used * p.station_price_fen), 0) FROM {parts}",
        [start, end, start, end]).fetchone()
    count, units, value, opening, closing, used = row
    average = (opening + closing) / 2
    turnover = used / average if average else None
    return Table("stock", "Stock value and turnover", (
        Column("parts", "Parts in stock", ColumnKind.COUNT),
        Column("units", "Units in stock", ColumnKind.COUNT),
        Column("value_fen", "Stock value now", ColumnKind.FEN),
        Column("opening_fen", "Stock value at the start", ColumnKind.FEN),
        Column("closing_fen", "Stock value at the end", ColumnKind.FEN),
        Column("average_fen", "Average stock value", ColumnKind.FEN),
        Column("used_fen", "Consumption (all parts)", ColumnKind.FEN),
        Column("turnover", "Turnover", ColumnKind.NUMBER),
    ), ((count, units, value, opening, closing, round(average), used, turnover),))


def _slow_movers(source: ReportSource) -> Table:
    now = source.now
    cutoff = db_time(now - timedelta(days=SLOW_DAYS))
    parts = _per_part(f"max(CASE WHEN kind IN ({_OUT}) THEN created_at END) AS last_out,"
                      " min(created_at) AS first_in")
    rows = source.raw.execute(
        "WITH s AS (SELECT p.part_no, p.name, t.units, t.units * p.station_price_fen AS value,"
        " t.last_out, coalesce(t.last_out, t.first_in) AS idle_since"
        f" FROM {parts} WHERE t.units > 0 AND coalesce(t.last_out, t.first_in) < ?)"
        " SELECT part_no, name, units, value, last_out, idle_since, sum(units) OVER (),"
        " sum(value) OVER () FROM s ORDER BY value DESC, part_no LIMIT ?",
        [cutoff, MAX_LISTED]).fetchall()
    today = now.astimezone(source.tz).date()

    def local(stored: str | None) -> date | None:
        return source.local_date(stored) if stored else None

    out = tuple((part_no, name, units, value, local(last), (today - local(idle)).days)  # type: ignore[operator]
                for part_no, name, units, value, last, idle, _, _ in rows)
    totals = ("Total", None, rows[0][6] if rows else 0, rows[0][7] if rows else 0, None, None)
    return Table("slow_movers", "Slow movers", (
        Column("part_no", "Part number"),
        Column("name", "Part name"),
        Column("units", "Units in stock", ColumnKind.COUNT),
        Column("value_fen", "Value", ColumnKind.FEN),
        Column("last_out", "Last issued or sold", ColumnKind.DATE),
        Column("idle_days", "Days without issue", ColumnKind.COUNT),
    ), out, totals)


def compute(source: ReportSource, query: ReportQuery) -> ReportResult:
    tables = (_consumption(source, query), _stock(source, query), _slow_movers(source))
    charts = (
        Chart("consumption", ChartKind.BAR, "part_no", ("value_fen",), "Parts consumed by value"),
        Chart("slow_movers", ChartKind.BAR, "part_no", ("value_fen",), "Slow movers by value"),
    )
    return ReportResult("parts", TITLE, query, tables, charts, computed_at=source.now,
                        notes=NOTES)


REPORT = ReportDef("parts", TITLE, compute)
