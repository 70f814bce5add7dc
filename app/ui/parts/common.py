"""What every parts screen shares: read-only tables filled from rows, money and quantity
cells, who is the manager, a part-number search box that a scanner can type into, and an
error line that shows a service's refusal where the person is working.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.i18n import render, tr
from app.ui.formatting import label
from app.ui.widgets.forms import ERROR_STYLE

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def enum_label(enum_type: type[Enum], value: Any) -> str:
    """An enum value's label; an unknown value (from a newer head office) as it is."""
    try:
        return label(enum_type(value))
    except ValueError:
        return str(value)


def make_table(headers: Sequence[str], object_name: str,
               widths: dict[int, int] | None = None, stretch: int | None = None) -> QTableWidget:
    """A read-only, row-selecting table with translated ``headers``."""
    table = QTableWidget(0, len(headers), objectName=object_name)
    table.setHorizontalHeaderLabels([tr(h) for h in headers])
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(24)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(stretch is None)
    for col, width in (widths or {}).items():
        table.setColumnWidth(col, width)
    fit_headers(table)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def fit_headers(table: QTableWidget, padding: int = 24) -> None:
    """Widens each column to its (bold) heading, which differs a lot between languages."""
    header = table.horizontalHeader()
    font = header.font()
    font.setBold(True)
    metrics = QFontMetrics(font)
    for col in range(table.columnCount()):
        item = table.horizontalHeaderItem(col)
        if item is not None:
            wanted = metrics.horizontalAdvance(item.text()) + padding
            if table.columnWidth(col) < wanted:
                table.setColumnWidth(col, wanted)


def cell(value: Any, *, right: bool = False, key: Any = None) -> QTableWidgetItem:
    item = QTableWidgetItem("" if value is None else str(value))
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if right:
        item.setTextAlignment(RIGHT)
    if key is not None:
        item.setData(Qt.ItemDataRole.UserRole, key)
    return item


def fill(table: QTableWidget, rows: Sequence[Any],
         values: Callable[[Any], Sequence[Any]], right: Sequence[int] = (),
         key: Callable[[Any], Any] | None = None) -> None:
    """Replaces the table's rows; ``key(row)`` is kept on the first cell (``row_key``)."""
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(values(row)):
            table.setItem(r, c, cell(value, right=c in right,
                                     key=key(row) if key and c == 0 else None))


def row_key(table: QTableWidget, row: int) -> Any:
    item = table.item(row, 0)
    return None if item is None else item.data(Qt.ItemDataRole.UserRole)


def selected_keys(table: QTableWidget) -> list[Any]:
    rows = sorted({i.row() for i in table.selectionModel().selectedRows()})
    return [row_key(table, r) for r in rows]


def signed(number: int | None) -> str:
    if number is None:
        return ""
    return f"+{number}" if number > 0 else str(number)


class ErrorLine(QLabel):
    """A service's refusal, in red, beside what the person was doing."""

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName=object_name)
        self.setStyleSheet(ERROR_STYLE)
        self.setWordWrap(True)
        self.hide()

    def show_error(self, error: BaseException) -> None:
        self.setText(render(error))
        self.show()

    def clear_error(self) -> None:
        self.clear()
        self.hide()

    def text_shown(self) -> str:
        return "" if self.isHidden() else self.text()
