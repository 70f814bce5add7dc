"""Report ``orders`` (工单统计): the orders called in the range by status, by type and by
source."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from app.domain.enums import OrderSource, OrderStatus, OrderType
from app.domain.report_tables import (
    Chart,
    ChartKind,
    Column,
    ColumnKind,
    ReportQuery,
    ReportResult,
    Table,
)
from app.services.station_reports import ReportDef, ReportSource, order_filter_sql


def _counts(source: ReportSource, query: ReportQuery, column: str) -> dict[str, int]:
    where, values = order_filter_sql(source, query)
    rows = source.raw.execute(
        f"SELECT o.{column}, count(*) FROM service_orders o WHERE {where} GROUP BY 1", values)
    return {key: count for key, count in rows}


def _table(key: str, title: str, heading: str, members: Iterable[StrEnum],
           counts: dict[str, int]) -> Table:
    total = sum(counts.values())
    rows = tuple((m, counts.get(m.value, 0), counts.get(m.value, 0) / total if total else None)
                 for m in members)
    return Table(key, title,
                 (Column("label", heading), Column("orders", "Order count", ColumnKind.COUNT),
                  Column("share", "Share", ColumnKind.SHARE)),
                 rows, ("Total", total, 1.0 if total else None))


def compute(source: ReportSource, query: ReportQuery) -> ReportResult:
    tables = (
        _table("by_status", "Orders by status", "Status", OrderStatus,
               _counts(source, query, "status")),
        _table("by_type", "Orders by type", "Order type", OrderType,
               _counts(source, query, "order_type")),
        _table("by_source", "Orders by source", "Source", OrderSource,
               _counts(source, query, "source")),
    )
    charts = (
        Chart("by_status", ChartKind.BAR, "label", ("orders",), "Orders by status"),
        Chart("by_type", ChartKind.PIE, "label", ("orders",), "Orders by type"),
        Chart("by_source", ChartKind.PIE, "label", ("orders",), "Orders by source"),
    )
    return ReportResult("orders", "Order statistics", query, tables, charts, computed_at=source.now,
                        notes=("Orders are counted by the day they were called in.",))


REPORT = ReportDef("orders", "Order statistics", compute)
