"""统计报表 — a station report on paper: the letterhead with the report's title, what it
covers (range, filters, computed time), then each table (its heads repeated on every page it
spans, figures right-aligned, the totals shaded, any text wrapped inside its cell) followed by
its charts, drawn with ``reportlab.graphics`` (bars, stacked bars, lines, pies). An empty table
says so in words; a chart with nothing to draw prints a "no data" line, never an empty frame.

The sheet (``StatisticsSheet``) is plain text and numbers: ``app.services.report_papers``
builds it from a ``ReportResult`` (cells as the window shows them, chart values as numbers).
Chart labels are fitted to their room (shortened with …); the table above gives them whole.
A4 only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import IO

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, Paragraph

from app.domain.report_tables import ChartKind
from app.i18n import tr
from app.printing.data import Paper, StationHeader
from app.printing.glyphs import runs
from app.printing.layout import SPECS, PageHeader, Styles, build_pdf, styles_for
from app.printing.registry import DocumentSpec
from app.printing.text import escape, local_time
from app.printing.widgets import Field, field_grid, gap, list_table

TITLE = "Statistics report"
#: the most rows a bar chart draws (the table lists them all)
MAX_BARS = 15
#: the most slices a pie draws; the rest are one slice "Others"
MAX_SLICES = 8
PALETTE = tuple(colors.HexColor(c) for c in (
    "#1F4E79", "#C55A11", "#548235", "#7F6000", "#7030A0", "#2E75B6", "#BF9000", "#A5A5A5"))
#: the kinds of chart the paper draws (the report model's, by value)
CHART_KINDS = tuple(kind.value for kind in ChartKind)
#: how many half-width characters of the body text an A4 frame holds across
_CHARS_PER_WIDTH = 96


@dataclass(frozen=True)
class SheetSeries:
    name: str  # translated column heading
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class SheetChart:
    kind: str  # one of CHART_KINDS
    title: str  # translated
    labels: tuple[str, ...]  # one per row (user text or translated labels)
    series: tuple[SheetSeries, ...]


@dataclass(frozen=True)
class SheetTable:
    title: str  # translated
    headings: tuple[str, ...]  # translated
    rows: tuple[tuple[str, ...], ...]
    totals: tuple[str, ...] | None = None
    #: the positions of the figure columns (right-aligned)
    numeric: frozenset[int] = frozenset()
    charts: tuple[SheetChart, ...] = ()


@dataclass(frozen=True)
class StatisticsSheet:
    station: StationHeader
    number: str  # ASCII identifier (the QR payload): RPT-ORDERS-20261101-20261130
    title: str  # the report's title, translated
    printed_at: datetime
    #: (translated label, value): report, range, filters, computed at
    facts: tuple[tuple[str, str], ...] = ()
    tables: tuple[SheetTable, ...] = ()
    notes: tuple[str, ...] = ()  # translated
    tz: tzinfo | None = field(default=None, compare=False)


# -- tables -----------------------------------------------------------------------------------


def _display_width(text: str) -> int:
    return max((sum(2 if ord(c) > 0x2E7F else 1 for c in line)
                for line in text.splitlines()), default=0)


def column_shares(table: SheetTable) -> list[float]:
    """Each column's share of the width after what it holds: a figure column as wide as its
    widest figure (up to 16 characters), a short text column unwrapped (up to 10, a code
    up to 22), longer text sharing what is left (wrapping inside its cell)."""
    least, wish = [], []
    for i, head in enumerate(table.headings):
        cells = [r[i] for r in table.rows] + ([table.totals[i]] if table.totals else [])
        widest = max([_display_width(c) for c in cells] + [min(_display_width(head), 8), 4])
        if i in table.numeric:
            least.append(min(widest, 16))
            wish.append(min(widest, 16))
        elif all(c.isascii() and " " not in c for c in cells):
            least.append(min(widest, 22))  # codes (order numbers) read best unbroken
            wish.append(min(widest, 36))
        else:
            least.append(min(widest, 10))
            wish.append(min(widest, 36))
    room = 1.0
    need = [w + 2.0 for w in least]  # the padding of a cell, in characters
    extra = [w - m for w, m in zip(wish, least, strict=True)]
    total_need, total_extra = sum(need), sum(extra)
    chars = _CHARS_PER_WIDTH
    if total_need >= chars or total_extra == 0:
        return [n / total_need * room for n in need]
    spare = min(chars - total_need, total_extra) if total_extra else 0.0
    widths = [n + spare * e / total_extra for n, e in zip(need, extra, strict=True)]
    return [w / sum(widths) for w in widths]


def _table_flowables(table: SheetTable, styles: Styles, width: float) -> list[Flowable]:
    title = ParagraphStyle("table-title", parent=styles.section, spaceBefore=2 * mm,
                           spaceAfter=1 * mm)
    # a title never ends a page alone; a long table then starts right under it and flows on
    out: list[Flowable] = [CondPageBreak(25 * mm), Paragraph(escape(table.title), title)]
    if not table.rows:
        out.append(Paragraph(escape(tr("No data for this range.")), styles.body))
        return out
    out.append(list_table(table.headings, table.rows, column_shares(table), styles, width,
                          numbers=sorted(table.numeric), footer=table.totals))
    for chart in table.charts:
        out += [gap(2), *chart_flowables(chart, styles, width)]
    return out


# -- charts -----------------------------------------------------------------------------------


def _text_width(text: str, size: float) -> float:
    return sum(stringWidth(piece, font, size) for font, piece in runs(text))


def fit(text: str, room: float, size: float) -> str:
    """``text`` on one line, shortened with … to ``room`` points at ``size``."""
    line = " ".join(text.split())
    if _text_width(line, size) <= room:
        return line
    while line and _text_width(line + "…", size) > room:
        line = line[:-1]
    return line + "…" if line else ""


def _label(drawing: Drawing, x: float, y: float, text: str, size: float,
           anchor: str = "start") -> None:
    """Draws ``text`` (already fitted) at (x, y), each run in the face that draws it."""
    pieces = runs(text)
    total = sum(stringWidth(p, f, size) for f, p in pieces)
    left = x - total if anchor == "end" else x - total / 2 if anchor == "middle" else x
    for font, piece in pieces:
        drawing.add(String(left, y, piece, fontName=font, fontSize=size,
                           fillColor=colors.black))
        left += stringWidth(piece, font, size)


def _axis_number(value: float) -> str:
    if abs(value) >= 1_000_000_000:
        return f"{value:.3g}"
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _values(chart: SheetChart) -> list[float]:
    return [v for s in chart.series for v in s.values if v is not None]


def has_data(chart: SheetChart) -> bool:
    """Something to draw: a label and a value that is not zero (a pie: one above zero)."""
    values = _values(chart)
    if not chart.labels or not values:
        return False
    if chart.kind == "pie":
        return any(v is not None and v > 0 for v in chart.series[0].values) if chart.series \
            else False
    return any(v != 0 for v in values)


def chart_flowables(chart: SheetChart, styles: Styles, width: float) -> list[Flowable]:
    """The chart's title and drawing, or a line saying there is nothing to draw."""
    title = Paragraph(escape(chart.title), ParagraphStyle(
        "chart-title", parent=styles.body, keepWithNext=1, spaceAfter=1 * mm))
    if not has_data(chart):
        return [title, Paragraph(escape(tr("No data to chart for this range.")), styles.small)]
    size = styles.body.fontSize - 2
    draw = {"pie": _pie, "line": _line}.get(chart.kind, _bars)
    return [title, draw(chart, width, size, styles.body.fontName)]


def _drawing(width: float, height: float, font: str, size: float) -> Drawing:
    """A drawing whose default font is the embedded one (reportlab's is Helvetica, which
    would be named, unembedded, on the page even with no text in it)."""
    d = Drawing(width, height)
    d.initialFontName = font
    d.initialFontSize = size
    return d


def _legend(drawing: Drawing, chart: SheetChart, y: float, size: float, width: float) -> None:
    """One line of swatches and series names (only for several series)."""
    if len(chart.series) < 2:
        return
    x = 0.0
    room = width / len(chart.series) - size * 2
    for n, series in enumerate(chart.series):
        drawing.add(Rect(x, y, size, size, fillColor=PALETTE[n % len(PALETTE)],
                         strokeColor=None))
        _label(drawing, x + size * 1.4, y + size * 0.1, fit(series.name, room, size), size)
        x += width / len(chart.series)


def _value_axis(axis, values: list[float], font: str, size: float) -> None:
    low, high = min([0.0, *values]), max([0.0, *values])
    if high == low:
        high = low + 1
    axis.valueMin, axis.valueMax = low, high * 1.05 if high > 0 else high
    axis.maximumTicks = 6
    axis.labels.fontName = font
    axis.labels.fontSize = size
    axis.labelTextFormat = _axis_number


def _bars(chart: SheetChart, width: float, size: float, font: str) -> Drawing:
    count = min(len(chart.labels), MAX_BARS)
    band = size * 2.2
    label_w = width * 0.32
    legend = size * 2 if len(chart.series) > 1 else 0
    note = size * 2 if len(chart.labels) > count else 0
    plot_h = band * count
    height = plot_h + size * 3 + legend + note
    d = _drawing(width, height, font, size)
    bars = HorizontalBarChart()
    bars.x, bars.y = label_w, size * 3 + note
    bars.width, bars.height = width - label_w - size * 4, plot_h
    # rows top to bottom as in the table: reportlab draws the first category at the bottom
    data = [tuple(0 if v is None else v for v in reversed(s.values[:count]))
            for s in chart.series]
    bars.data = data
    if chart.kind == "stacked_bar":
        bars.categoryAxis.style = "stacked"
        totals = [sum(max(v, 0) for v in column) for column in zip(*data, strict=True)]
        lows = [sum(min(v, 0) for v in column) for column in zip(*data, strict=True)]
        values = totals + lows
    else:
        values = [v for s in data for v in s]
    bars.categoryAxis.visibleLabels = 0
    bars.categoryAxis.visibleTicks = 0
    _value_axis(bars.valueAxis, values, font, size)
    for n in range(len(chart.series)):
        bars.bars[n].fillColor = PALETTE[n % len(PALETTE)]
        bars.bars[n].strokeColor = None
    bars.groupSpacing = band * 0.25
    d.add(bars)
    for i, text in enumerate(chart.labels[:count]):
        y = bars.y + plot_h - band * (i + 0.5) - size * 0.35
        _label(d, label_w - size * 0.6, y, fit(text, label_w - size, size), size, "end")
    if note:
        _label(d, 0, 0, fit(tr("The chart shows the first {shown} of {total} rows.",
                               shown=count, total=len(chart.labels)), width, size), size)
    _legend(d, chart, height - size * 1.2, size, width)
    return d


def _line(chart: SheetChart, width: float, size: float, font: str) -> Drawing:
    count = len(chart.labels)
    plot_h = 45 * mm
    legend = size * 2 if len(chart.series) > 1 else 0
    height = plot_h + size * 4 + legend
    d = _drawing(width, height, font, size)
    line = HorizontalLineChart()
    line.x, line.y = size * 7, size * 3.5
    line.width, line.height = width - size * 9, plot_h
    data = [tuple(s.values) for s in chart.series]
    line.data = data
    line.categoryAxis.visibleLabels = 0
    line.joinedLines = 1
    _value_axis(line.valueAxis, [v for v in _values(chart)], font, size)
    for n in range(len(chart.series)):
        line.lines[n].strokeColor = PALETTE[n % len(PALETTE)]
        line.lines[n].strokeWidth = 1.2
    d.add(line)
    step = line.width / max(count, 1)
    room = size * 6
    stride = max(1, int(room // step) + 1)
    for i in range(0, count, stride):
        x = line.x + step * (i + 0.5)
        _label(d, x, line.y - size * 1.5, fit(chart.labels[i], min(room, step * stride) - 2,
                                              size), size, "middle")
    _legend(d, chart, height - size * 1.2, size, width)
    return d


def _pie(chart: SheetChart, width: float, size: float, font: str) -> Drawing:
    pairs = [(label, v) for label, v in zip(chart.labels, chart.series[0].values, strict=False)
             if v is not None and v > 0]
    pairs.sort(key=lambda p: -p[1])
    if len(pairs) > MAX_SLICES:
        rest = sum(v for _l, v in pairs[MAX_SLICES - 1:])
        pairs = pairs[:MAX_SLICES - 1] + [(tr("Others"), rest)]
    total = sum(v for _l, v in pairs)
    side = 40 * mm
    row = size * 1.8
    height = max(side, row * len(pairs)) + size * 2
    d = _drawing(width, height, font, size)
    pie = Pie()
    pie.x, pie.y = size, (height - side) / 2
    pie.width = pie.height = side
    pie.data = [v for _l, v in pairs]
    pie.labels = None
    pie.simpleLabels = 1
    pie.slices.strokeColor = colors.white
    pie.slices.strokeWidth = 0.5
    for n in range(len(pairs)):
        pie.slices[n].fillColor = PALETTE[n % len(PALETTE)]
    d.add(pie)
    left = side + size * 4
    room = width - left - size * 2
    top = (height + row * len(pairs)) / 2
    for n, (text, value) in enumerate(pairs):
        y = top - row * (n + 1) + size * 0.4
        d.add(Rect(left, y, size, size, fillColor=PALETTE[n % len(PALETTE)], strokeColor=None))
        share = f"  {value / total * 100:.1f}%"
        shown = fit(text, room - size * 1.6 - _text_width(share, size), size) + share
        _label(d, left + size * 1.6, y + size * 0.1, shown, size)
    return d


# -- the paper --------------------------------------------------------------------------------


def story(sheet: StatisticsSheet, paper: Paper) -> list[Flowable]:
    styles = styles_for(paper)
    width = SPECS[paper].frame_width
    facts = [Field(label, value, wide=True) for label, value in sheet.facts]
    out: list[Flowable] = [*field_grid(facts, styles, width, 0.15), gap(1)]
    for table in sheet.tables:
        out += _table_flowables(table, styles, width)
    if not sheet.tables:
        out.append(Paragraph(escape(tr("No data for this range.")), styles.body))
    if sheet.notes:
        out += [gap(2), Paragraph(escape(tr("About these figures")), styles.section)]
        out += [Paragraph(escape(note), styles.small) for note in sheet.notes]
    return out


def drawn_texts(sheet: StatisticsSheet, paper: Paper = Paper.A4) -> list[str]:
    """Every text the charts draw (the fitted labels, legends and notes, one run each)."""
    found = []
    for flowable in story(sheet, paper):
        if isinstance(flowable, Drawing):
            found += [s.text for s in flowable.contents if isinstance(s, String)]
    return found


def render(sheet: StatisticsSheet, paper: Paper, out: str | Path | IO[bytes]) -> None:
    paper = Paper(paper)
    header = PageHeader(sheet.station, sheet.title or tr(TITLE), sheet.number,
                        local_time(sheet.printed_at, sheet.tz))
    build_pdf(out, paper, header, story(sheet, paper))


DOCUMENT = DocumentSpec(name="statistics", title=TITLE, subject="statistics", render=render,
                        papers=(Paper.A4,))
