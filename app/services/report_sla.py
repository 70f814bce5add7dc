"""Report ``sla`` (服务时效): response, arrival and clearing times of the orders called in the
range (average, 90th percentile, share within the 30 min / 24 h / 24 h promises of
``app.domain.sla``), overall, by order type and by day, week or month."""

from __future__ import annotations

from datetime import date, timedelta

from app.domain.enums import OrderType
from app.domain.report_tables import (
    Chart,
    ChartKind,
    Column,
    ColumnKind,
    ReportQuery,
    ReportResult,
    Table,
)
from app.services.report_timing import EMPTY, MEASURES, TimeStats, period_sql, time_table
from app.services.station_reports import ReportDef, ReportSource

TITLE = "Service times"
#: a range up to this many days is shown by day, up to ``WEEKS_UP_TO`` by week, else by month
DAYS_UP_TO = 31
WEEKS_UP_TO = 186

NOTES = (
    "Orders are counted by the day they were called in.",
    "Response time: from the call to the order's acceptance (promise: 30 minutes).",
    "Arrival time: from the call to the technician's arrival, on-site orders only "
    "(promise: 24 hours). An order not yet arrived is left out of the arrival figures, "
    "not counted as 0.",
    "Clearing time: from the arrival (start of work) to the fault cleared "
    "(promise: 24 hours). An order not yet cleared is left out.",
    "A time exactly at the promise counts as within it. The 90th percentile is the "
    "smallest time that at least 90% of the measured orders did not exceed.",
    "An empty cell means no order was measured.",
)

_TITLES = {"response": "Response", "arrival": "Arrival", "clearing": "Clearing"}


def period_unit(query: ReportQuery) -> str:
    days = (query.end - query.start).days + 1
    return "day" if days <= DAYS_UP_TO else "week" if days <= WEEKS_UP_TO else "month"


def periods(query: ReportQuery, unit: str) -> list[date]:
    """The first day of every period of the range (a week starts on Monday)."""
    if unit == "day":
        first, step = query.start, None
    elif unit == "week":
        first, step = query.start - timedelta(days=query.start.weekday()), None
    else:
        first, step = query.start.replace(day=1), "month"
    out, day = [], first
    while day <= query.end:
        out.append(day)
        if step == "month":
            day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
        else:
            day += timedelta(days=1 if unit == "day" else 7)
    return out


def _overall(stats: dict[str, TimeStats]) -> Table:
    rows = []
    for m in MEASURES:
        st = stats[m.key]
        rows.append((m.promise, st.count, st.average, st.p90, m.within.total_seconds() / 60,
                     st.within, st.share))
    return Table("overall", "Service times", (
        Column("measure", "Promise"),
        Column("orders", "Orders measured", ColumnKind.COUNT),
        Column("average", "Average", ColumnKind.MINUTES),
        Column("p90", "90th percentile", ColumnKind.MINUTES),
        Column("promise", "Promised within", ColumnKind.MINUTES),
        Column("within", "Within the promise", ColumnKind.COUNT),
        Column("within_share", "Share within the promise", ColumnKind.SHARE),
    ), tuple(rows))


def _by_type_columns() -> tuple[Column, ...]:
    cols = [Column("order_type", "Order type"), Column("orders", "Order count", ColumnKind.COUNT)]
    for m in MEASURES:
        t = _TITLES[m.key]
        cols += [Column(f"{m.key}_average", f"{t}: average", ColumnKind.MINUTES),
                 Column(f"{m.key}_p90", f"{t}: 90th percentile", ColumnKind.MINUTES),
                 Column(f"{m.key}_share", f"{t}: share within", ColumnKind.SHARE)]
    return tuple(cols)


def _type_cells(count: int, stats: list[TimeStats]) -> tuple:
    cells: list[object] = [count]
    for st in stats:
        cells += [st.average, st.p90, st.share]
    return tuple(cells)


def compute(source: ReportSource, query: ReportQuery) -> ReportResult:
    unit = period_unit(query)
    group, shift = period_sql(source, query, unit)
    stats, counts = time_table(source, query, {"all": ("''", []), "type": ("o.order_type", []),
                                               "period": (group, shift)},
                               percentiles=("all", "type"))
    overall = {m.key: stats[(m.key, "all")].get("", EMPTY) for m in MEASURES}
    total = counts["all"].get("", (0, 0))[0]

    type_rows = tuple(
        (t, *_type_cells(counts["type"].get(t.value, (0, 0))[0],
                         [stats[(m.key, "type")].get(t.value, EMPTY) for m in MEASURES]))
        for t in OrderType)
    type_totals = ("Total", *_type_cells(total, [overall[m.key] for m in MEASURES]))

    period_rows = []
    for day in periods(query, unit):
        key = day.isoformat()
        cells = [stats[(m.key, "period")].get(key, EMPTY) for m in MEASURES]
        period_rows.append((day, counts["period"].get(key, (0, 0))[0],
                            *(st.share for st in cells),
                            *(st.average for st in cells)))
    period_title = {"day": "By day", "week": "By week (from Monday)", "month": "By month"}[unit]
    period_table = Table("by_period", period_title, (
        Column("period", "Period starting", ColumnKind.DATE),
        Column("orders", "Order count", ColumnKind.COUNT),
        *(Column(f"{m.key}_share", f"{_TITLES[m.key]}: share within", ColumnKind.SHARE)
          for m in MEASURES),
        *(Column(f"{m.key}_average", f"{_TITLES[m.key]}: average", ColumnKind.MINUTES)
          for m in MEASURES),
    ), tuple(period_rows))

    tables = (
        _overall(overall),
        Table("by_type", "Service times by order type", _by_type_columns(), type_rows,
              type_totals),
        period_table,
    )
    charts = (
        Chart("overall", ChartKind.BAR, "measure", ("within_share",),
              "Share within the promise"),
        Chart("by_type", ChartKind.BAR, "order_type",
              tuple(f"{m.key}_share" for m in MEASURES), "Share within the promise by type"),
        Chart("by_period", ChartKind.LINE, "period",
              tuple(f"{m.key}_share" for m in MEASURES), "Share within the promise over time"),
    )
    return ReportResult("sla", TITLE, query, tables, charts, computed_at=source.now,
                        notes=NOTES)


REPORT = ReportDef("sla", TITLE, compute)
