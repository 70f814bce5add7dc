"""The printed statistics report (``app.printing.report_sheet``, document "statistics"): the
sheet built from a ``ReportResult`` — each cell as the window shows it (``report_cells``),
each chart's values as numbers (money in yuan, shares in per cent) — and its PDF written to a
file whole or not at all. No Qt, no database: the figures were computed already.
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from io import BytesIO
from pathlib import Path

from app.domain.report_tables import NUMERIC_KINDS, Chart, ColumnKind, ReportResult, Table
from app.i18n import tr
from app.printing.data import Paper, StationHeader
from app.printing.report_sheet import (
    DOCUMENT,
    SheetChart,
    SheetSeries,
    SheetTable,
    StatisticsSheet,
)
from app.services.pdf_file import write_file
from app.services.report_cells import cell_text
from app.services.report_export import check_folder, report_facts, table_lines
from app.store.base import utcnow

#: the subject of the statistics paper (``DocumentSpec.subject``)
SUBJECT = "statistics"


def paper_number(result: ReportResult) -> str:
    """The paper's ASCII number (and QR payload): RPT-ORDERS-20261101-20261130."""
    name = re.sub(r"[^A-Z0-9]+", "-", result.name.upper()).strip("-") or "REPORT"
    q = result.query
    return f"RPT-{name}-{q.start:%Y%m%d}-{q.end:%Y%m%d}"


def chart_value(value: object, kind: ColumnKind) -> float | None:
    if value is None or not isinstance(value, int | float) or isinstance(value, bool):
        return None
    if kind is ColumnKind.FEN:
        return value / 100
    if kind is ColumnKind.SHARE:
        return float(value) * 100
    return float(value)


def sheet_chart(table: Table, chart: Chart, tz: tzinfo | None) -> SheetChart:
    label_at = table.column(chart.label_column)
    label_col = table.columns[label_at]
    series = []
    for key in chart.value_columns:
        at = table.column(key)
        column = table.columns[at]
        name = tr(column.title)
        if column.kind is ColumnKind.SHARE:
            name += " (%)"
        elif column.kind is ColumnKind.FEN:
            name += tr(" (yuan)")
        series.append(SheetSeries(name, tuple(chart_value(r[at], column.kind)
                                              for r in table.rows)))
    return SheetChart(chart.kind.value, tr(chart.title) if chart.title else tr(table.title),
                      tuple(cell_text(r[label_at], label_col, tz) for r in table.rows),
                      tuple(series))


def sheet_table(table: Table, charts: tuple[Chart, ...], tz: tzinfo | None) -> SheetTable:
    lines = table_lines(table, tz)
    body = tuple(tuple(r) for r in lines[1:1 + len(table.rows)])
    totals = tuple(lines[-1]) if table.totals is not None else None
    return SheetTable(
        tr(table.title), tuple(lines[0]), body, totals,
        frozenset(i for i, c in enumerate(table.columns) if c.kind in NUMERIC_KINDS),
        tuple(sheet_chart(table, c, tz) for c in charts if c.table == table.key))


def statistics_sheet(result: ReportResult, *, tz: tzinfo | None,
                     station: StationHeader | None = None, technician: str | None = None,
                     printed_at: datetime | None = None) -> StatisticsSheet:
    """The printable sheet of ``result`` (texts in the current language)."""
    header = station or StationHeader("")
    return StatisticsSheet(
        station=header, number=paper_number(result), title=tr(result.title),
        printed_at=printed_at or utcnow(),
        facts=tuple(report_facts(result, tz, None, technician)),
        tables=tuple(sheet_table(t, result.charts, tz) for t in result.tables),
        notes=tuple(tr(n) for n in result.notes), tz=tz)


def report_pdf(result: ReportResult, *, tz: tzinfo | None,
               station: StationHeader | None = None, technician: str | None = None) -> bytes:
    """The paper's PDF bytes (for a preview)."""
    buffer = BytesIO()
    DOCUMENT.render(statistics_sheet(result, tz=tz, station=station, technician=technician),
                    Paper.A4, buffer)
    return buffer.getvalue()


def write_report_pdf(result: ReportResult, path: Path | str, *, tz: tzinfo | None,
                     station: StationHeader | None = None,
                     technician: str | None = None) -> Path:
    """Writes the paper to ``path`` whole or not at all; a missing folder is refused."""
    target = Path(path)
    check_folder(target)
    sheet = statistics_sheet(result, tz=tz, station=station, technician=technician)
    return write_file(target, lambda out: DOCUMENT.render(sheet, Paper.A4, out))
