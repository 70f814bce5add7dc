"""A report ``Table`` as a read-only Qt model: cells as ``report_cells`` words them, numbers
right-aligned, the totals row last and bold. ``RAW_ROLE`` gives a cell's value itself."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from app.domain.report_tables import NUMERIC_KINDS, Table
from app.i18n import tr
from app.services.report_cells import cell_text, totals_text

Index = QModelIndex | QPersistentModelIndex
RAW_ROLE = Qt.ItemDataRole.UserRole + 1
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
#: text cells longer than this show whole in a tooltip
TOOLTIP_FROM = 12


class ReportTableModel(QAbstractTableModel):
    def __init__(self, table: Table, tz: tzinfo | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.table = table
        self.tz = tz
        self._rows = list(table.rows)
        self._has_totals = table.totals is not None
        if table.totals is not None:
            self._rows.append(table.totals)
        self._bold = QFont()
        self._bold.setBold(True)

    def is_totals(self, row: int) -> bool:
        return self._has_totals and row == len(self._rows) - 1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return 0 if parent.isValid() else len(self.table.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.table.columns):
            return None
        column = self.table.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return tr(column.title)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column.kind in NUMERIC_KINDS else LEFT
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        value = self._rows[row][col]
        column = self.table.columns[col]
        if role == Qt.ItemDataRole.DisplayRole:
            if self.is_totals(row):
                return totals_text(value, column, self.tz)
            return cell_text(value, column, self.tz)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column.kind in NUMERIC_KINDS else LEFT
        if role == Qt.ItemDataRole.ToolTipRole and column.kind not in NUMERIC_KINDS:
            # a long text (a complaint) is cut by its column: whole in the tooltip
            text = self.data(index)
            return text if text and len(text) > TOOLTIP_FROM else None
        if role == Qt.ItemDataRole.FontRole and self.is_totals(row):
            return self._bold
        if role == RAW_ROLE:
            return value
        return None
