"""A report ``Chart`` drawn with Qt Charts (``PySide6.QtCharts``): bars, stacked bars, lines
or a pie over the rows of its table. Labels as the table words them (translated), the
window's Chinese font, and a plain 无数据 in place of a chart with nothing to draw.

Values drawn: counts and numbers as they are, money in yuan, shares in percent.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from typing import Any

from PySide6.QtCharts import (
    QAbstractSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QPieSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QFont, QPainter
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QWidget

from app.domain.report_tables import Chart, ChartKind, Column, ColumnKind, Table
from app.i18n import tr
from app.services.report_cells import cell_text

CHART_HEIGHT = 300
CHART_MIN_WIDTH = 360
#: more categories than this and the axis labels turn to fit
UPRIGHT_LABELS = 6
#: a bar chart draws this many rows at most (the table holds them all)
MAX_BARS = 15
#: a pie shows this many slices at most, the smallest together as 其他
MAX_SLICES = 8
#: slices thinner than this are named by the legend only
PIE_LABEL_SHARE = 0.08


def drawn_value(value: Any, column: Column) -> float | None:
    """The number a chart draws for a cell; None (an empty cell) draws no point and a bar
    of 0."""
    if value is None:
        return None
    if column.kind is ColumnKind.FEN:
        return int(value) / 100
    if column.kind is ColumnKind.SHARE:
        return float(value) * 100
    return float(value)


def series_title(column: Column) -> str:
    title = tr(column.title)
    if column.kind is ColumnKind.FEN:
        return tr("{title} (yuan)", title=title)
    if column.kind is ColumnKind.SHARE:
        return tr("{title} (%)", title=title)
    return title


Values = list[float | None]


def chart_data(chart: Chart, table: Table,
               tz: tzinfo | None = None) -> tuple[list[str], list[tuple[Column, Values]]]:
    """The row labels and, per value column, the values drawn. Bars show the first
    ``MAX_BARS`` rows (reports list the biggest first), a pie the first ``MAX_SLICES - 1``
    and the rest as one slice 其他."""
    label_col = table.column(chart.label_column)
    labels = [cell_text(row[label_col], table.columns[label_col], tz) for row in table.rows]
    series: list[tuple[Column, Values]] = []
    for key in chart.value_columns:
        col = table.column(key)
        column = table.columns[col]
        series.append((column, [drawn_value(row[col], column) for row in table.rows]))
    if chart.kind in (ChartKind.BAR, ChartKind.STACKED_BAR) and len(labels) > MAX_BARS:
        labels = labels[:MAX_BARS]
        series = [(c, values[:MAX_BARS]) for c, values in series]
    elif chart.kind is ChartKind.PIE and len(labels) > MAX_SLICES:
        keep = MAX_SLICES - 1
        labels = [*labels[:keep], tr("Other")]
        series = [(c, [*values[:keep], sum(v or 0.0 for v in values[keep:])])
                  for c, values in series]
    return labels, series


def shortened(chart: Chart, table: Table) -> bool:
    """Whether the chart draws fewer bars than the table has rows."""
    return chart.kind in (ChartKind.BAR, ChartKind.STACKED_BAR) and len(table.rows) > MAX_BARS


def has_data(series: Sequence[tuple[Column, Values]]) -> bool:
    return any(v for _column, values in series for v in values)


def _font(size_delta: int = 0, bold: bool = False) -> QFont:
    font = QFont(QApplication.font())
    if size_delta:
        font.setPointSize(max(font.pointSize() + size_delta, 7))
    font.setBold(bold)
    return font


class ReportChartView(QChartView):
    """A chart of a report; ``spec`` and ``series_values`` say what it draws (for tests)."""

    def __init__(self, spec: Chart, labels: list[str], series: list[tuple[Column, Values]],
                 title: str = "", parent: QWidget | None = None) -> None:
        self.spec = spec
        self.labels = labels
        self.series_values = {tr(c.title): values for c, values in series}
        chart = QChart()
        chart.setTitle(title)
        chart.setTitleFont(_font(1, bold=True))
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.legend().setFont(_font(-1))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        super().__init__(chart, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumSize(CHART_MIN_WIDTH, CHART_HEIGHT)
        self.setFrameShape(QFrame.Shape.NoFrame)
        if spec.kind is ChartKind.PIE:
            self._pie(chart, labels, [v or 0.0 for v in series[0][1]] if series else [])
        else:
            self._axes(chart, spec.kind, labels, series)

    def _pie(self, chart: QChart, labels: list[str], values: list[float]) -> None:
        pie = QPieSeries()
        total = sum(values)
        for text, value in zip(labels, values, strict=True):
            if value <= 0:
                continue
            part = pie.append(f"{text} {value:g} ({value / total:.0%})", value)
            part.setLabelFont(_font(-1))
            # thin slices' labels would overlap; the legend names every slice
            part.setLabelVisible(value / total >= PIE_LABEL_SHARE)
        pie.setPieSize(0.65)
        chart.addSeries(pie)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)

    def _axes(self, chart: QChart, kind: ChartKind, labels: list[str],
              series: list[tuple[Column, Values]]) -> None:
        added: list[QAbstractSeries] = []
        if kind is ChartKind.LINE:
            for column, values in series:
                line = QLineSeries()
                line.setName(series_title(column))
                line.setPointsVisible(True)
                for x, value in enumerate(values):
                    if value is not None:  # an empty period draws no point, not a 0
                        line.append(float(x), value)
                chart.addSeries(line)
                added.append(line)
        else:
            bars = QStackedBarSeries() if kind is ChartKind.STACKED_BAR else QBarSeries()
            for column, values in series:
                bar_set = QBarSet(series_title(column))
                bar_set.append([v or 0.0 for v in values])
                bars.append(bar_set)
            chart.addSeries(bars)
            added.append(bars)
        categories = QBarCategoryAxis()
        categories.append(labels)
        categories.setLabelsFont(_font(-1))
        categories.setTruncateLabels(False)
        if len(labels) > UPRIGHT_LABELS:
            categories.setLabelsAngle(-45)
        values_axis = QValueAxis()
        values_axis.setLabelsFont(_font(-1))
        whole = all(c.kind is ColumnKind.COUNT for c, _ in series)
        shares = all(c.kind is ColumnKind.SHARE for c, _ in series)
        if kind is ChartKind.STACKED_BAR:
            top = max((sum(v or 0.0 for v in row)
                       for row in zip(*(vals for _, vals in series), strict=True)), default=0.0)
        else:
            top = max((v or 0.0 for _, vals in series for v in vals), default=0.0)
        if shares and top <= 100:
            values_axis.setRange(0, 100)
        else:
            values_axis.setRange(0, max(top * 1.1, 1.0))
            values_axis.applyNiceNumbers()
        values_axis.setLabelFormat("%d" if whole or values_axis.max() >= 10 else "%.1f")
        if whole:
            values_axis.setTickType(QValueAxis.TickType.TicksDynamic)
            values_axis.setTickAnchor(0)
            values_axis.setTickInterval(max(1.0, round(values_axis.max() / 5)))
        chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(values_axis, Qt.AlignmentFlag.AlignLeft)
        for s in added:
            s.attachAxis(categories)
            s.attachAxis(values_axis)
        chart.legend().setVisible(len(series) > 1)


def make_chart(spec: Chart, table: Table, tz: tzinfo | None = None) -> QWidget:
    """The chart's view, or a 无数据 label when every value is empty or zero."""
    labels, series = chart_data(spec, table, tz)
    if not table.rows or not has_data(series):
        empty = QLabel(tr("No data"), objectName="chart_empty")
        empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty.setMinimumSize(CHART_MIN_WIDTH, CHART_HEIGHT // 2)
        empty.setToolTip(tr(spec.title) if spec.title else "")
        empty.setStyleSheet("color: #757575; border: 1px dashed #bdbdbd;")
        return empty
    title = tr(spec.title) if spec.title else ""
    if shortened(spec, table):
        title = tr("{title} (first {count})", title=title, count=MAX_BARS)
    view = ReportChartView(spec, labels, series, title)
    view.setObjectName(f"chart_{spec.table}")
    return view
