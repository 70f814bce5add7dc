"""The service times the reports share (``sla``, ``technicians``): response, arrival and
clearing times of the orders of a range, as count, average, 90th percentile and the count
within the promise of ``app.domain.sla``, grouped by any SQL expression.

All of a report's times are one set-based statement (``time_table``): one pass over the
range's orders into a materialized CTE, the times computed in SQL from the stored UTC texts
(``julianday``, rounded to the millisecond so a time exactly at the promise counts as
within), the 90th percentile by ``row_number()`` over each group (nearest rank: the smallest
time with at least 90 % of the group's times at or below it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from app.domain.report_tables import ReportQuery
from app.domain.sla import ARRIVE_WITHIN, CLEAR_WITHIN, RESPOND_WITHIN, Promise
from app.services.station_reports import ReportSource, order_filter_sql


@dataclass(frozen=True)
class Measure:
    key: str
    promise: Promise
    start: str
    end: str
    #: an extra condition on the order (arrival is measured on on-site orders only)
    condition: str
    within: timedelta


RESPONSE = Measure("response", Promise.RESPOND, "called_at", "responded_at", "", RESPOND_WITHIN)
ARRIVAL = Measure("arrival", Promise.ARRIVE, "called_at", "arrived_at",
                  "o.service_mode = 'on_site'", ARRIVE_WITHIN)
CLEARING = Measure("clearing", Promise.CLEAR, "arrived_at", "cleared_at", "", CLEAR_WITHIN)
MEASURES = (RESPONSE, ARRIVAL, CLEARING)


@dataclass(frozen=True)
class TimeStats:
    """One group's times: ``count`` orders measured; minutes; None when none measured."""

    count: int = 0
    average: float | None = None
    p90: float | None = None
    within: int = 0

    @property
    def share(self) -> float | None:
        return self.within / self.count if self.count else None


EMPTY = TimeStats()


def seconds_sql(measure: Measure, alias: str = "o") -> str:
    return (f"round((julianday({alias}.{measure.end}) - julianday({alias}.{measure.start}))"
            " * 86400.0, 3)")


def time_table(source: ReportSource, query: ReportQuery,
               groupings: dict[str, tuple[str, list[object]]]
               ) -> tuple[dict[tuple[str, str], dict[Any, TimeStats]], dict[str, dict[Any, int]]]:
    """Every measure by every grouping in ONE statement (one pass over the range's orders,
    kept in a materialized CTE): ``groupings`` names SQL expressions over ``o`` (with their
    parameters). Returns {(measure key, grouping): {group value: TimeStats}} and
    {grouping: {group value: orders called}}; orders lacking either event of a measure are
    left out of it."""
    where, values = order_filter_sql(source, query)
    names = list(groupings)
    picked = ", ".join(f"{groupings[k][0]} AS g{i}" for i, k in enumerate(names))
    seconds = ", ".join(
        (f"CASE WHEN {m.condition} THEN {seconds_sql(m)} END" if m.condition
         else seconds_sql(m)) + f" AS s_{m.key}" for m in MEASURES)
    parts = [f"SELECT '{m.key}' AS m, {i} AS k, g{i} AS g, s_{m.key} AS s,"
             f" {m.within.total_seconds()} AS lim FROM v WHERE s_{m.key} IS NOT NULL"
             for m in MEASURES for i in range(len(names))]
    counts = [f" UNION ALL SELECT '', {i}, g{i}, count(*), NULL, NULL, NULL FROM v GROUP BY g{i}"
              for i in range(len(names))]
    sql = (
        f"WITH v AS MATERIALIZED (SELECT {picked}, {seconds} FROM service_orders o"
        f" WHERE {where}),"
        f" a AS ({' UNION ALL '.join(parts)}),"
        " r AS (SELECT m, k, g, s, lim, row_number() OVER (PARTITION BY m, k, g ORDER BY s)"
        " AS rn, count(*) OVER (PARTITION BY m, k, g) AS n FROM a)"
        " SELECT m, k, g, count(*), avg(s), max(CASE WHEN rn = (9 * n + 9) / 10 THEN s END),"
        f" sum(s <= lim) FROM r GROUP BY m, k, g{''.join(counts)}")
    params = [v for k in names for v in groupings[k][1]] + values
    stats: dict[tuple[str, str], dict[Any, TimeStats]] = {
        (m.key, k): {} for m in MEASURES for k in names}
    orders: dict[str, dict[Any, int]] = {k: {} for k in names}
    for m, k, g, n, avg, p90, within in source.raw.execute(sql, params):
        if m == "":
            orders[names[k]][g] = n
        else:
            stats[(m, names[k])][g] = TimeStats(n, avg / 60.0, p90 / 60.0, int(within))
    return stats, orders


def period_sql(source: ReportSource, query: ReportQuery, unit: str, column: str = "o.called_at"
               ) -> tuple[str, list[object]]:
    """The local first day (``YYYY-MM-DD``) of the day, week (from Monday) or month of
    ``column``."""
    local = f"date({column}, ?)"
    shift = [source.offset_modifier(query)]
    if unit == "week":
        return f"date({column}, ?, 'weekday 0', '-6 days')", shift
    if unit == "month":
        return f"date({column}, ?, 'start of month')", shift
    return local, shift
