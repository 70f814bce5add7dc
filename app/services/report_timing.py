"""The service times the reports share (``sla``, ``technicians``): response, arrival and
clearing times of the orders of a range, as count, average, 90th percentile and the count
within the promise of ``app.domain.sla``, grouped by any SQL expression.

Each figure is one set-based statement: the times are computed in SQL from the stored UTC
texts (``julianday``, rounded to the millisecond so a time exactly at the promise counts as
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


def time_stats(source: ReportSource, query: ReportQuery, measure: Measure,
               group: str = "''", join: str = "", group_values: list[object] | None = None
               ) -> dict[Any, TimeStats]:
    """The measure's figures over the range's filtered orders, by the value of ``group``
    (an SQL expression over ``o`` and ``join``'s tables); orders lacking either event are
    left out."""
    where, values = order_filter_sql(source, query)
    extra = f" AND {measure.condition}" if measure.condition else ""
    sql = (
        f"WITH v AS (SELECT {group} AS g, {seconds_sql(measure)} AS s"
        f" FROM service_orders o {join} WHERE {where}"
        f" AND o.{measure.start} IS NOT NULL AND o.{measure.end} IS NOT NULL{extra}),"
        " r AS (SELECT g, s, row_number() OVER (PARTITION BY g ORDER BY s) AS rn,"
        " count(*) OVER (PARTITION BY g) AS n FROM v)"
        " SELECT g, count(*), avg(s), max(CASE WHEN rn = (9 * n + 9) / 10 THEN s END),"
        " sum(s <= ?) FROM r GROUP BY g")
    rows = source.raw.execute(sql, [*(group_values or ()), *values,
                                    measure.within.total_seconds()])
    return {g: TimeStats(n, avg / 60.0, p90 / 60.0, int(within))
            for g, n, avg, p90, within in rows}


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
