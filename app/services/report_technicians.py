"""Report ``technicians`` (技师绩效): per technician, the orders called in the range assigned to
them, how many were cleared, their average response, arrival and clearing times (as the
``sla`` report counts them), their repeat rate (as ``repeats`` counts it) and the average
of the return visits' scores (as ``satisfaction`` counts them).

Each figure is one grouped statement over the range (``GROUP BY o.technician_id``); the
totals row adds the groups up (averages weighted by their counts), so it is the station's
figure.
"""

from __future__ import annotations

from typing import Any

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
from app.domain.visits import VisitStatus
from app.services.report_repeats import RepeatCounts, repeat_counts, technician_names
from app.services.report_timing import EMPTY, MEASURES, TimeStats, time_table
from app.services.station_reports import ReportDef, ReportSource, order_filter_sql

TITLE = "Technician performance"
_SCORES = ("speed_score", "attitude_score", "quality_score", "price_score")

NOTES = (
    "Orders: the orders called in the range assigned to the technician; cleared: those of "
    "them whose fault has been cleared. Orders without a technician are shown in a row with "
    "an empty name.",
    "Average times as in the service times report: response from the call to acceptance, "
    "arrival from the call to arrival (on-site orders), clearing from arrival to cleared; "
    "orders lacking either time are left out.",
    "Repeat rate as in the repeat repairs report: completed repairs whose product came back "
    "with a new repair within 90 days.",
    "Satisfaction: the average of every score (1-5) given in the completed return visits of "
    "the technician's orders.",
)


def _satisfaction(source: ReportSource, query: ReportQuery,
                  group: str) -> dict[Any, tuple[int, int]]:
    """(points, scores given) by ``group``."""
    where, values = order_filter_sql(source, query)
    total = " + ".join(f"coalesce(v.{c}, 0)" for c in _SCORES)
    given = " + ".join(f"(v.{c} IS NOT NULL)" for c in _SCORES)
    rows = source.raw.execute(
        f"SELECT {group}, sum({total}), sum({given}) FROM return_visits v"
        f" JOIN service_orders o ON o.id = v.order_id WHERE {where} AND v.status = ?"
        " GROUP BY 1", [*values, VisitStatus.DONE.value])
    return {g: (int(points), int(n)) for g, points, n in rows}


def _weighted(stats: list[TimeStats]) -> float | None:
    """The average of all the groups' times together."""
    count = sum(st.count for st in stats)
    return sum(st.average * st.count for st in stats if st.average is not None) / count \
        if count else None


def _cells(orders: tuple[int, int], times: list[float | None], rep: RepeatCounts,
           scores: tuple[int, int]) -> tuple:
    points, given = scores
    return (*orders, *times, rep.completed, rep.rate, points / given if given else None,
            given)


def compute(source: ReportSource, query: ReportQuery) -> ReportResult:
    group = "o.technician_id"
    stats, counts = time_table(source, query, {"tech": (group, [])})
    orders = counts["tech"]
    times = {m.key: stats[(m.key, "tech")] for m in MEASURES}
    repeats = repeat_counts(source, query, group)
    scores = _satisfaction(source, query, group)
    names = technician_names(source)
    ordered = sorted(orders, key=lambda t: (t is None, -orders[t][1], names.get(t, "")
                                            if t else ""))
    rows = tuple(
        (names.get(tech) or NoOne.TECHNICIAN if tech else NoOne.TECHNICIAN,
         *_cells(orders[tech], [times[m.key].get(tech, EMPTY).average for m in MEASURES],
                 repeats.get(tech, RepeatCounts()), scores.get(tech, (0, 0))))
        for tech in ordered)
    totals = ("Total", *_cells(
        (sum(n for n, _ in orders.values()), sum(c for _, c in orders.values())),
        [_weighted(list(times[m.key].values())) for m in MEASURES],
        RepeatCounts(sum(r.completed for r in repeats.values()),
                     sum(r.repeats for r in repeats.values())),
        (sum(p for p, _ in scores.values()), sum(n for _, n in scores.values()))))
    table = Table("by_technician", "Technician performance", (
        Column("technician", "Technician"),
        Column("orders", "Order count", ColumnKind.COUNT),
        Column("cleared", "Orders cleared", ColumnKind.COUNT),
        Column("response_average", "Response: average", ColumnKind.MINUTES),
        Column("arrival_average", "Arrival: average", ColumnKind.MINUTES),
        Column("clearing_average", "Clearing: average", ColumnKind.MINUTES),
        Column("first_orders", "First orders", ColumnKind.COUNT),
        Column("repeat_rate", "Repeat rate", ColumnKind.SHARE),
        Column("satisfaction", "Average score", ColumnKind.NUMBER),
        Column("scores", "Scores given", ColumnKind.COUNT),
    ), rows, totals)
    charts = (
        Chart("by_technician", ChartKind.BAR, "technician", ("cleared",),
              "Orders cleared by technician"),
        Chart("by_technician", ChartKind.BAR, "technician", ("satisfaction",),
              "Average score by technician"),
    )
    return ReportResult("technicians", TITLE, query, (table,), charts, computed_at=source.now,
                        notes=NOTES)


REPORT = ReportDef("technicians", TITLE, compute)
