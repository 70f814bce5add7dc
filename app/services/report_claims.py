"""Report ``claims`` (索赔): the warranty claims sent to head office for the claim months of the
range — claimed, approved, adjusted (granted and cut), rejected and still undecided amounts
(fen) by month and by batch — and head office's rejection reasons with their counts.

A claim month belongs to the range when any of its days does; drafts are not yet claims.
The order filters apply to each claim line's order. One grouped statement per table.
"""

from __future__ import annotations

from app.domain.claims import ClaimStatus, Decision
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
    has_order_filter,
    order_filter_sql,
)

TITLE = "Warranty claims"

NOTES = (
    "Batches of the claim months the range touches (a month counts when any of its days is "
    "in the range), once submitted; drafts are left out.",
    "Claimed: every line's amount. Approved: lines head office approved in full. Adjusted: "
    "what head office granted for the lines it adjusted; Cut: what it took off them. "
    "Rejected: the claimed amount of rejected lines. Undecided: lines not yet answered. "
    "Claimed = approved + adjusted + cut + rejected + undecided; granted = approved + "
    "adjusted.",
    "The technician, order type, category and source filters apply to each line's order.",
    "Rejection reasons are head office's words, counted as written.",
)

_A, _J, _R = Decision.APPROVED.value, Decision.ADJUSTED.value, Decision.REJECTED.value
_AMOUNTS = (
    "count(*), coalesce(sum(l.amount_fen), 0),"
    f" coalesce(sum(CASE WHEN l.decision = '{_A}' THEN coalesce(l.approved_fen, l.amount_fen)"
    " END), 0),"
    f" coalesce(sum(CASE WHEN l.decision = '{_J}' THEN coalesce(l.approved_fen, 0) END), 0),"
    f" coalesce(sum(CASE WHEN l.decision = '{_J}' THEN l.amount_fen - coalesce(l.approved_fen,"
    " 0) END), 0),"
    f" coalesce(sum(CASE WHEN l.decision = '{_R}' THEN l.amount_fen END), 0),"
    " coalesce(sum(CASE WHEN l.decision = '' THEN l.amount_fen END), 0)")

_AMOUNT_COLUMNS = (
    Column("lines", "Line count", ColumnKind.COUNT),
    Column("claimed_fen", "Claimed", ColumnKind.FEN),
    Column("approved_fen", "Approved", ColumnKind.FEN),
    Column("adjusted_fen", "Adjusted", ColumnKind.FEN),
    Column("cut_fen", "Cut", ColumnKind.FEN),
    Column("rejected_fen", "Rejected", ColumnKind.FEN),
    Column("undecided_fen", "Undecided", ColumnKind.FEN),
    Column("granted_fen", "Granted", ColumnKind.FEN),
)


def _lines_sql(source: ReportSource, query: ReportQuery) -> tuple[str, list[object]]:
    """FROM and WHERE over the range's submitted batches (``b``) and their lines (``l``)."""
    sql = (" FROM claim_batches b JOIN claim_lines l ON l.batch_id = b.id"
           " WHERE b.period >= ? AND b.period <= ? AND b.status <> ?")
    values: list[object] = [query.start.strftime("%Y-%m"), query.end.strftime("%Y-%m"),
                            ClaimStatus.DRAFT.value]
    if has_order_filter(query):
        where, extra = order_filter_sql(source, query, time_column=None)
        sql = sql.replace(" WHERE", " JOIN service_orders o ON o.id = l.order_id WHERE",
                          1) + f" AND {where}"
        values += extra
    return sql, values


def _amounts(cells: tuple) -> tuple:
    """The amount cells with the granted sum appended."""
    return (*cells, cells[2] + cells[3])


def _sums(rows: list[tuple], skip: int) -> tuple:
    """The amount cells summed over ``rows`` (which start after ``skip`` other cells)."""
    return _amounts(tuple(sum(r[i] for r in rows) for i in range(skip, skip + 7)))


def compute(source: ReportSource, query: ReportQuery) -> ReportResult:
    lines, values = _lines_sql(source, query)
    months = source.raw.execute(
        f"SELECT b.period, count(DISTINCT b.id), {_AMOUNTS}{lines} GROUP BY b.period"
        " ORDER BY b.period", values).fetchall()
    batches = source.raw.execute(
        f"SELECT b.number, b.period, b.status, {_AMOUNTS}{lines} GROUP BY b.id"
        " ORDER BY b.period, b.number", values).fetchall()
    reasons = source.raw.execute(
        f"SELECT l.decision_reason, count(*), coalesce(sum(l.amount_fen), 0){lines}"
        f" AND l.decision = '{_R}' GROUP BY l.decision_reason ORDER BY 2 DESC, 3 DESC, 1",
        values).fetchall()

    month_rows = [(period, n, *_amounts(tuple(cells))) for period, n, *cells in months]
    batch_rows = [(number, period, ClaimStatus(status), *_amounts(tuple(cells)))
                  for number, period, status, *cells in batches]
    tables = (
        Table("by_month", "Claims by month", (
            Column("period", "Claim month"),
            Column("batches", "Batches", ColumnKind.COUNT),
            *_AMOUNT_COLUMNS,
        ), tuple(month_rows), ("Total", sum(r[1] for r in month_rows), *_sums(month_rows, 2))),
        Table("by_batch", "Claims by batch", (
            Column("number", "Batch number"),
            Column("period", "Claim month"),
            Column("status", "Status"),
            *_AMOUNT_COLUMNS,
        ), tuple(batch_rows), ("Total", None, None, *_sums(batch_rows, 3))),
        Table("rejection_reasons", "Rejection reasons", (
            Column("reason", "Reason"),
            Column("lines", "Line count", ColumnKind.COUNT),
            Column("rejected_fen", "Rejected", ColumnKind.FEN),
        ), tuple((reason or None, n, fen) for reason, n, fen in reasons),
            ("Total", sum(r[1] for r in reasons), sum(r[2] for r in reasons))),
    )
    charts = (
        Chart("by_month", ChartKind.STACKED_BAR, "period",
              ("approved_fen", "adjusted_fen", "cut_fen", "rejected_fen", "undecided_fen"),
              "Claimed amounts by decision"),
        Chart("rejection_reasons", ChartKind.PIE, "reason", ("lines",), "Rejection reasons"),
    )
    return ReportResult("claims", TITLE, query, tables, charts, computed_at=source.now,
                        notes=NOTES)


REPORT = ReportDef("claims", TITLE, compute)
