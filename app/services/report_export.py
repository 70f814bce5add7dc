"""Taking a report's figures out of the program: ``export`` writes a ``ReportResult`` as .csv,
.xlsx or .pdf; ``write_tables_csv`` / ``write_tables_xlsx`` write any ``Table``s (the
maintenance due list reuses them).

- .csv: UTF-8 with a byte-order mark (Excel on Chinese Windows reads it as UTF-8), a few
  lines naming the report, then one block per table: its title, the translated headings, the
  rows and the totals, each cell as the window shows it (``report_cells``).
- .xlsx: a first sheet naming the report (title, range, filters, computed time, notes), then
  one sheet per table with real numbers (counts int, money in yuan ``#,##0.00``, shares
  ``0.0%``, minutes and scores as numbers) and real dates (local, naive), headings bold.
- .pdf: the printed paper ``statistics`` (``app.services.report_papers``).

Spreadsheet safety (OWASP "CSV injection"): a text cell that begins with ``= + - @``, a tab
or a carriage return is written with a leading apostrophe in the .csv; in the .xlsx it is a
string cell (never a formula) with Excel's quote prefix. A figure of a numeric column we
format ourselves (e.g. ``-12.50``) is left as it is; user text never is (a model ``-123``).

A file is written whole or not at all (a temporary file beside it, then renamed over it); a
folder that does not exist is refused, not created: a mistyped folder is a mistake to show.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime, tzinfo
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, BinaryIO

from app.domain.enums import OrderSource, OrderType
from app.domain.errors import RuleViolation
from app.domain.report_tables import (
    NUMERIC_KINDS,
    Column,
    ColumnKind,
    ReportQuery,
    ReportResult,
    Table,
)
from app.i18n import label, tr
from app.printing.data import StationHeader
from app.services.pdf_file import write_file
from app.services.report_cells import cell_text, totals_text

FORMATS = ("csv", "xlsx", "pdf")
#: what a spreadsheet reads as the start of a formula (or a cell it may evaluate)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: a figure we format ourselves: never neutralised (``-12.50``, ``-1:30``, ``-5.0%``)
_FIGURE = re.compile(r"-?[\d,]+(\.\d+)?%?|-?\d+:\d\d")
#: characters an .xlsx cannot hold (XML 1.0 control characters)
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
MONEY_FORMAT = "#,##0.00"
SHARE_FORMAT = "0.0%"
NUMBER_FORMAT = "0.0"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def export(result: ReportResult, path: Path | str, fmt: str, *, tz: tzinfo,
           station: StationHeader | None = None, technician: str | None = None) -> Path:
    """Writes ``result`` to ``path`` as ``fmt`` ("csv", "xlsx", "pdf"); returns the path.

    ``technician``: the display name of the technician the query filters on (else its id
    is shown). Raises RuleViolation for an unknown format or a folder that does not exist."""
    fmt = (fmt or "").strip().lower().lstrip(".")
    if fmt not in FORMATS:
        raise RuleViolation("Unknown export format {format}; use csv, xlsx or pdf.",
                            field="format", format=fmt)
    target = Path(path)
    check_folder(target)
    facts = report_facts(result, tz, station, technician)
    if fmt == "csv":
        return write_tables_csv(result.tables, target, tz, facts=facts, notes=result.notes)
    if fmt == "xlsx":
        return write_tables_xlsx(result.tables, target, tz, title=result.title, facts=facts,
                                 notes=result.notes)
    from app.services.report_papers import write_report_pdf  # loads reportlab: on first use

    return write_report_pdf(result, target, tz=tz, station=station, technician=technician)


# -- what the report is -----------------------------------------------------------------------


def range_text(query: ReportQuery) -> str:
    return tr("{start} to {end}", start=query.start.isoformat(), end=query.end.isoformat())


def filters_text(query: ReportQuery, technician: str | None = None) -> str:
    """The query's filters in words (技术员：王师傅；工单类型：维修), or 无（全部工单）."""
    parts = []
    if query.technician_id:
        parts.append(tr("Technician: {name}", name=technician or query.technician_id))
    if query.order_type:
        parts.append(tr("Order type: {type}", type=_enum_text(OrderType, query.order_type)))
    if query.category:
        parts.append(tr("Product category: {category}", category=query.category))
    if query.source:
        parts.append(tr("Source: {source}", source=_enum_text(OrderSource, query.source)))
    return tr("; ").join(parts) if parts else tr("None (all orders)")


def report_facts(result: ReportResult, tz: tzinfo | None, station: StationHeader | None = None,
                 technician: str | None = None) -> list[tuple[str, str]]:
    """(translated label, value) lines that say what a report file holds."""
    facts = [(tr("Report"), tr(result.title))]
    if station is not None and station.name:
        facts.append((tr("Station"), station.name))
    facts += [(tr("Date range"), range_text(result.query)),
              (tr("Filters"), filters_text(result.query, technician))]
    if result.computed_at is not None:
        facts.append((tr("Computed at"),
                      result.computed_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")))
    return facts


def _enum_text(kind: type[Enum], value: str) -> str:
    try:
        return label(kind(value))
    except ValueError:
        return value


# -- cells ------------------------------------------------------------------------------------


def neutralise(text: str, figure: bool = True) -> str:
    """``text`` with a leading apostrophe when a spreadsheet would read it as a formula.
    ``figure``: a figure we formatted (``-12.50``) is left as it is; user text never is."""
    if text.startswith(FORMULA_START) and not (figure and _FIGURE.fullmatch(text)):
        return "'" + text
    return text


def heading(column: Column) -> str:
    return tr(column.title)


def _cell(value: Any, column: Column, tz: tzinfo | None, totals: bool) -> str:
    return (totals_text if totals else cell_text)(value, column, tz)


def table_lines(table: Table, tz: tzinfo | None) -> list[list[str]]:
    """The table as text: headings, rows, totals (as the window and the .csv show it)."""
    lines = [[heading(c) for c in table.columns]]
    for row in table.rows:
        lines.append([_cell(v, c, tz, False) for v, c in zip(row, table.columns, strict=True)])
    if table.totals is not None:
        lines.append([_cell(v, c, tz, True)
                      for v, c in zip(table.totals, table.columns, strict=True)])
    return lines


# -- files ------------------------------------------------------------------------------------


def check_folder(target: Path) -> None:
    """Refuses a folder given as the file, and a file name whose folder does not exist."""
    if target.is_dir():
        raise RuleViolation("{path} is a folder; give the name of the file to write.",
                            field="path", path=str(target))
    folder = target.parent
    if not folder.is_dir():
        raise RuleViolation("The folder {folder} does not exist; choose an existing folder "
                            "for the file.", field="path", folder=str(folder))


def write_tables_csv(tables: Iterable[Table], path: Path | str, tz: tzinfo | None, *,
                     facts: Sequence[tuple[str, str]] = (),
                     notes: Sequence[str] = ()) -> Path:
    """The tables as one .csv (UTF-8 with BOM): ``facts`` lines first, then per table its
    title, headings, rows and totals, a blank line between blocks, ``notes`` last."""
    target = Path(path)
    check_folder(target)
    rows: list[list[str]] = [[neutralise(k, False), neutralise(v, False)] for k, v in facts]
    for table in tables:
        if rows:
            rows.append([])
        rows.append([neutralise(tr(table.title), False)])
        figures = [c.kind in NUMERIC_KINDS for c in table.columns]
        rows += [[neutralise(cell, figure) for cell, figure in zip(line, figures, strict=True)]
                 for line in table_lines(table, tz)]
    if notes:
        rows += [[], [tr("About these figures")], *([neutralise(tr(n), False)] for n in notes)]

    def write(out: BinaryIO) -> None:
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerows(rows)
        text.flush()
        text.detach()

    return write_file(target, write)


def write_tables_xlsx(tables: Iterable[Table], path: Path | str, tz: tzinfo | None, *,
                      title: str = "", facts: Sequence[tuple[str, str]] = (),
                      notes: Sequence[str] = ()) -> Path:
    """The tables as an .xlsx: a first sheet with ``title`` (English source text) and
    ``facts`` when either is given, then one sheet per table (its title in the first row,
    bold headings, typed cells, bold totals, fitted column widths, panes frozen)."""
    from openpyxl import Workbook  # loads on first use (the window may never export)

    target = Path(path)
    check_folder(target)
    book = Workbook()
    first = book.active
    used: set[str] = set()
    tables = list(tables)
    if title or facts or notes:
        info = first
        info.title = sheet_name(tr("Report information"), used)
        _write_info(info, title, facts, notes)
        first = None
    for n, table in enumerate(tables):
        sheet = first if first is not None and n == 0 else book.create_sheet()
        sheet.title = sheet_name(tr(table.title) or table.key, used)
        _write_table(sheet, table, tz)
    if first is not None and not tables:
        first.title = sheet_name(tr("Report"), used)
    if title:
        book.properties.title = tr(title)
    book.properties.creator = "Repair Station"

    def write(out: BinaryIO) -> None:
        book.save(out)

    return write_file(target, write)


def sheet_name(wanted: str, used: set[str]) -> str:
    """A name Excel accepts (≤31 characters, none of ``[]:*?/\\``, no apostrophe at either
    end), unique in the workbook ignoring case; records it in ``used``."""
    base = _SHEET_BAD.sub("_", _ILLEGAL_XML.sub("", wanted)).strip().strip("'").strip()
    base = base[:31] or "Sheet"
    name, n = base, 1
    while name.casefold() in used:
        n += 1
        suffix = f" ({n})"
        name = base[:31 - len(suffix)].rstrip() + suffix
    used.add(name.casefold())
    return name


def _write_info(sheet, title: str, facts: Sequence[tuple[str, str]],
                notes: Sequence[str]) -> None:
    from openpyxl.styles import Alignment, Font

    row = 1
    if title:
        _text(sheet.cell(row, 1), tr(title)).font = Font(bold=True, size=14)
        row += 2
    for key, value in facts:
        _text(sheet.cell(row, 1), key).font = Font(bold=True)
        _text(sheet.cell(row, 2), value)
        row += 1
    if notes:
        row += 1
        _text(sheet.cell(row, 1), tr("About these figures")).font = Font(bold=True)
        for note in notes:
            cell = _text(sheet.cell(row, 2), tr(note))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            row += 1
    widths = [max([_width(k) for k, _v in facts] + [_width(tr("About these figures")), 8]),
              max([_width(v) for _k, v in facts] + [20])]
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[_letter(i)].width = min(width + 2, 80)


def _write_table(sheet, table: Table, tz: tzinfo | None) -> None:
    from openpyxl.styles import Alignment, Font

    bold = Font(bold=True)
    _text(sheet.cell(1, 1), tr(table.title)).font = Font(bold=True, size=12)
    widths = []
    for i, column in enumerate(table.columns, start=1):
        head = heading(column)
        if column.kind is ColumnKind.MINUTES:
            head = tr("{heading} (minutes)", heading=head)
        cell = _text(sheet.cell(2, i), head)
        cell.font = bold
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        widths.append(_width(head))
    lines = [(row, False) for row in table.rows]
    if table.totals is not None:
        lines.append((table.totals, True))
    for r, (row, totals) in enumerate(lines, start=3):
        for i, (value, column) in enumerate(zip(row, table.columns, strict=True), start=1):
            cell = sheet.cell(r, i)
            shown = _put(cell, value, column, tz, totals)
            if totals:
                cell.font = bold
            widths[i - 1] = max(widths[i - 1], _width(shown))
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[_letter(i)].width = max(8, min(width + 2, 60))
    sheet.freeze_panes = "A3"


def _put(cell, value: Any, column: Column, tz: tzinfo | None, totals: bool) -> str:
    """Stores ``value`` in ``cell`` with its real type and format; returns the text it shows
    (for the column width)."""
    kind = column.kind
    if value is None:
        return ""
    if isinstance(value, str | Enum) or kind is ColumnKind.TEXT:
        shown = _cell(value, column, tz, totals)
        _text(cell, shown)
        return shown
    shown = cell_text(value, column, tz)
    if kind is ColumnKind.COUNT:
        cell.value = int(value)
    elif kind is ColumnKind.FEN:
        cell.value = Decimal(int(value)).scaleb(-2)
        cell.number_format = MONEY_FORMAT
    elif kind is ColumnKind.SHARE:
        cell.value = float(value)
        cell.number_format = SHARE_FORMAT
    elif kind in (ColumnKind.MINUTES, ColumnKind.NUMBER):
        cell.value = float(value)
        cell.number_format = NUMBER_FORMAT
    elif kind is ColumnKind.DATETIME and isinstance(value, datetime):
        local = value.astimezone(tz) if value.tzinfo is not None else value
        cell.value = local.replace(tzinfo=None, microsecond=0)
        cell.number_format = DATETIME_FORMAT
    elif kind is ColumnKind.DATE and isinstance(value, date):
        cell.value = value if not isinstance(value, datetime) else value.date()
        cell.number_format = DATE_FORMAT
    else:  # a value of an unexpected type: kept as the text the window shows
        _text(cell, shown)
    return shown


def _text(cell, text: str):
    """A string cell Excel never evaluates: type 's' even for ``=...``, quote-prefixed."""
    text = _ILLEGAL_XML.sub("", text)
    if not text:
        return cell  # an empty cell, not an empty string
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True
    return cell


def _width(text: str) -> int:
    """Display width in spreadsheet columns: a wide (CJK) character counts two."""
    longest = 0
    for line in str(text).splitlines() or [""]:
        longest = max(longest, sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1
                                   for ch in line))
    return longest


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


__all__ = ["FORMATS", "check_folder", "export", "filters_text", "neutralise", "range_text",
           "report_facts", "sheet_name", "table_lines", "write_tables_csv",
           "write_tables_xlsx"]
