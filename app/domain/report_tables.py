"""What a report is, whatever computes or shows it: the question (a date range and filters),
and the answer as typed tables and the charts drawn from them.

One shape serves the window (a table view and a chart), the exports (.csv, .xlsx with real
numbers and dates) and the printed paper, so every front end shows the same figures. Values
are plain Python: ``int`` counts, ``int`` fen for money, ``float`` shares (0..1) and minutes,
``date``/``datetime`` (UTC) for times; labels are ``str`` (user text such as a model or a
name, kept exactly) or an ``Enum`` member (a status, an order type: each front end shows its
label); ``None`` is an empty cell (no value, e.g. an average over no orders), never 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from app.domain.errors import RuleViolation

#: a report over more than this many days is refused (a typo such as 2062 for 2026)
MAX_RANGE_DAYS = 3 * 366


class ColumnKind(StrEnum):
    TEXT = "text"  # str or Enum member (see ``Column.translate``)
    COUNT = "count"  # int
    FEN = "fen"  # int fen, shown as yuan 1,234.50
    SHARE = "share"  # float 0..1, shown as a percentage
    MINUTES = "minutes"  # float minutes, shown as h:mm
    NUMBER = "number"  # float, shown with one decimal (a score, a turnover rate)
    DATE = "date"  # datetime.date
    DATETIME = "datetime"  # datetime (UTC), shown in local time


NUMERIC_KINDS = frozenset({ColumnKind.COUNT, ColumnKind.FEN, ColumnKind.SHARE,
                           ColumnKind.MINUTES, ColumnKind.NUMBER})


@dataclass(frozen=True)
class Column:
    key: str
    #: English source text of the heading (translated through the catalogue)
    title: str
    kind: ColumnKind = ColumnKind.TEXT
    #: the column's str cells are English source texts of the catalogue (a rejection reason
    #: code's words), shown through ``tr()``; otherwise str cells are user text, shown as is
    translate: bool = False


@dataclass(frozen=True)
class Table:
    key: str
    #: English source text (translated)
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...] = ()
    #: a last row of totals, shown apart (bold on paper, last in exports); its first cell, a
    #: str, is an English source text ("Total") shown through ``tr()``
    totals: tuple[Any, ...] | None = None

    def __post_init__(self) -> None:
        width = len(self.columns)
        for row in (*self.rows, *((self.totals,) if self.totals is not None else ())):
            if len(row) != width:
                raise ValueError(f"table {self.key}: a row of {len(row)} cells, {width} columns")

    def column(self, key: str) -> int:
        """The position of the column ``key``."""
        for i, c in enumerate(self.columns):
            if c.key == key:
                return i
        raise KeyError(f"table {self.key} has no column {key!r}")


class NoOne(StrEnum):
    """The label of a row grouping what has no technician (shown by its label, never blank)."""

    TECHNICIAN = "not_assigned"  # 未派工


class ChartKind(StrEnum):
    BAR = "bar"  # one bar per row for each value column
    STACKED_BAR = "stacked_bar"
    LINE = "line"  # rows in order along the axis (days, months)
    PIE = "pie"  # one value column; each row a slice


@dataclass(frozen=True)
class Chart:
    #: the ``Table.key`` whose rows it draws
    table: str
    kind: ChartKind
    #: the column naming each row (the category axis or the slices)
    label_column: str
    #: the numeric columns drawn (one series each)
    value_columns: tuple[str, ...]
    #: English source text (translated)
    title: str = ""


@dataclass(frozen=True)
class ReportQuery:
    """Local calendar days ``start``..``end`` (both included) and optional filters."""

    start: date
    end: date
    technician_id: str | None = None
    order_type: str | None = None  # app.domain.enums.OrderType value
    category: str | None = None  # a warranty-policy product category name
    source: str | None = None  # app.domain.enums.OrderSource value

    def check(self) -> None:
        """Refuses a range that ends before it starts or spans years."""
        if self.end < self.start:
            raise RuleViolation("The end date {end} is before the start date {start}.",
                                field="end", end=self.end.isoformat(),
                                start=self.start.isoformat())
        if (self.end - self.start).days + 1 > MAX_RANGE_DAYS:
            raise RuleViolation("A report covers at most {days} days.", field="end",
                                days=MAX_RANGE_DAYS)


@dataclass(frozen=True)
class ReportResult:
    name: str
    #: English source text (translated)
    title: str
    query: ReportQuery
    tables: tuple[Table, ...]
    charts: tuple[Chart, ...] = ()
    #: when the figures were computed (UTC)
    computed_at: datetime | None = None
    #: English source texts explaining how the figures are counted (shown under the tables)
    notes: tuple[str, ...] = field(default=())

    def table(self, key: str) -> Table:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(f"report {self.name} has no table {key!r}")


__all__ = ["MAX_RANGE_DAYS", "NUMERIC_KINDS", "Chart", "ChartKind", "Column", "ColumnKind",
           "NoOne", "ReportQuery", "ReportResult", "Table"]
