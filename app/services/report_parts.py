"""Report ``parts`` (配件): the parts consumed in the range (issued onto orders, sold over the
counter, net of returns and voided sales), the stock's value now, at the range's start and
end and its turnover, and the slow movers (in stock, no issue or sale for ``SLOW_DAYS``).

Everything reads the stock ledger (``stock_movements``, sellable kinds only: old parts are
never stock) and prices units at today's station price, as the parts area values its stock
(``app.services.stock_queries.VALUE_SQL``). One grouped pass over the ledger's covering index
(``ix_stock_movements_part``) gives every part's line (units now, at the range's start and
end, consumed in the range, last issue); the tables add those per-part lines up (a station
has thousands of parts, not millions). With an order filter the consumption is its own
statement joined to the orders. The long lists keep their top ``MAX_LISTED`` rows; their
totals cover all.
"""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class PartLine:
    """One part's ledger over all time, as the report needs it."""

    part_no: str
    name: str
    price_fen: int
    units: int  # in stock now
    opening: int  # in stock when the range began
    closing: int  # in stock when the range ended
    on_orders: int  # consumed onto orders in the range (issued less returned)
    sold: int  # sold over the counter in the range (less voided)
    last_out: str | None  # the last issue or sale (stored UTC)
    first_in: str  # the part's first movement


def ledger(source: ReportSource, query: ReportQuery) -> list[PartLine]:
    """Every part that has sellable movements: one grouped pass over the ledger's index."""
    start, end = source.utc_bounds(query)
    rows = source.raw.execute(
        "SELECT p.part_no, p.name, p.station_price_fen, t.units, t.opening, t.closing,"
        " t.on_orders, t.sold, t.last_out, t.first_in FROM (SELECT part_id,"
        " sum(quantity) AS units,"
        " sum(CASE WHEN created_at < ?1 THEN quantity ELSE 0 END) AS opening,"
        " sum(CASE WHEN created_at < ?2 THEN quantity ELSE 0 END) AS closing,"
        f" sum(CASE WHEN created_at >= ?1 AND created_at < ?2 AND kind IN ({_ON_ORDERS})"
        " THEN -quantity ELSE 0 END) AS on_orders,"
        f" sum(CASE WHEN created_at >= ?1 AND created_at < ?2 AND kind IN ({_COUNTER})"
        " THEN -quantity ELSE 0 END) AS sold,"
        f" max(CASE WHEN kind IN ({_OUT}) THEN created_at END) AS last_out,"
        " min(created_at) AS first_in"
        f" FROM stock_movements WHERE kind IN ({_SELLABLE}) GROUP BY part_id) AS t"
        " JOIN parts AS p ON p.id = t.part_id", (start, end)).fetchall()
    return [PartLine(*row) for row in rows]


_CONSUMPTION_COLUMNS = (
    Column("part_no", "Part number"),
    Column("name", "Part name"),
    Column("on_orders", "Onto orders", ColumnKind.COUNT),
    Column("sold", "Sold", ColumnKind.COUNT),
    Column("units", "Units consumed", ColumnKind.COUNT),
    Column("value_fen", "Value", ColumnKind.FEN),
)


def _consumption_table(rows: list[tuple]) -> Table:
    """(part_no, name, on_orders, sold) rows with their price: the largest by value."""
    lines = [(no, name, orders, sold, orders + sold, (orders + sold) * price)
             for no, name, price, orders, sold in rows if orders or sold]
    totals = ("Total", None, *(sum(line[i] for line in lines) for i in range(2, 6)))
    lines.sort(key=lambda line: (-line[5], line[0]))
    return Table("consumption", "Parts consumed", _CONSUMPTION_COLUMNS,
                 tuple(lines[:MAX_LISTED]), totals)


def _filtered_consumption(source: ReportSource, query: ReportQuery) -> Table:
    """Parts issued onto the orders the filters choose (counter sales have no order)."""
    start, end = source.utc_bounds(query)
    where, values = order_filter_sql(source, query, time_column=None)
    rows = source.raw.execute(
        "SELECT p.part_no, p.name, p.station_price_fen, u.orders, 0 FROM"
        " (SELECT m.part_id, sum(-m.quantity) AS orders FROM stock_movements m"
        f" JOIN service_orders o ON o.id = m.order_id AND {where}"
        f" WHERE m.created_at >= ? AND m.created_at < ? AND m.kind IN ({_ON_ORDERS})"
        " GROUP BY m.part_id) AS u JOIN parts p ON p.id = u.part_id",
        [*values, start, end]).fetchall()
    return _consumption_table(rows)


def _stock(parts: list[PartLine]) -> Table:
    value = sum(p.units * p.price_fen for p in parts)
    opening = sum(p.opening * p.price_fen for p in parts)
    closing = sum(p.closing * p.price_fen for p in parts)
    used = sum((p.on_orders + p.sold) * p.price_fen for p in parts)
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
    ), ((sum(1 for p in parts if p.units), sum(p.units for p in parts), value, opening,
         closing, round(average), used, turnover),))


def _slow_movers(source: ReportSource, parts: list[PartLine]) -> Table:
    cutoff = db_time(source.now - timedelta(days=SLOW_DAYS))
    today = source.now.astimezone(source.tz).date()
    slow = [p for p in parts if p.units > 0 and (p.last_out or p.first_in) < cutoff]
    slow.sort(key=lambda p: (-p.units * p.price_fen, p.part_no))

    def local(stored: str | None) -> date | None:
        return source.local_date(stored) if stored else None

    rows = tuple((p.part_no, p.name, p.units, p.units * p.price_fen, local(p.last_out),
                  (today - source.local_date(p.last_out or p.first_in)).days)
                 for p in slow[:MAX_LISTED])
    totals = ("Total", None, sum(p.units for p in slow),
              sum(p.units * p.price_fen for p in slow), None, None)
    return Table("slow_movers", "Slow movers", (
        Column("part_no", "Part number"),
        Column("name", "Part name"),
        Column("units", "Units in stock", ColumnKind.COUNT),
        Column("value_fen", "Value", ColumnKind.FEN),
        Column("last_out", "Last issued or sold", ColumnKind.DATE),
        Column("idle_days", "Days without issue", ColumnKind.COUNT),
    ), rows, totals)


def compute(source: ReportSource, query: ReportQuery) -> ReportResult:
    parts = ledger(source, query)
    consumption = (_filtered_consumption(source, query) if has_order_filter(query) else
                   _consumption_table([(p.part_no, p.name, p.price_fen, p.on_orders, p.sold)
                                       for p in parts]))
    tables = (consumption, _stock(parts), _slow_movers(source, parts))
    charts = (
        Chart("consumption", ChartKind.BAR, "part_no", ("value_fen",), "Parts consumed by value"),
        Chart("slow_movers", ChartKind.BAR, "part_no", ("value_fen",), "Slow movers by value"),
    )
    return ReportResult("parts", TITLE, query, tables, charts, computed_at=source.now,
                        notes=NOTES)


REPORT = ReportDef("parts", TITLE, compute)
