"""The lines of a stock count as a model and view (a count holds up to 50,000 parts, which
as table items would freeze the window for seconds): location, part, book quantity, the
counted cell (the only one anyone edits), the difference and its value. A number typed into
the counted cell emits ``entered(part_id, text)``; the page sends it to the count service and
puts the stored line back with ``update_line``. Until then the cell shows what was typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from app.i18n import tr
from app.services.stock_counts import CountLineInfo
from app.ui.formatting import yuan
from app.ui.parts.common import RIGHT, signed

HEADERS = ("Location", "Part number", "Part name", "Unit", "Book", "Counted", "Difference",
           "Value")
COL_LOCATION, COL_NO, COL_NAME, COL_UNIT, COL_BOOK, COL_COUNTED, COL_DIFF, COL_VALUE = \
    range(len(HEADERS))
WIDTHS = {COL_LOCATION: 90, COL_NO: 150, COL_NAME: 240, COL_UNIT: 50, COL_BOOK: 70,
          COL_COUNTED: 90, COL_DIFF: 90, COL_VALUE: 120}
NUMBERS = frozenset({COL_BOOK, COL_COUNTED, COL_DIFF, COL_VALUE})
SHORT = QColor("#ffebee")
OVER = QColor("#e8f5e9")
EDITABLE = QColor("#fffde7")

Index = QModelIndex | QPersistentModelIndex


class CountModel(QAbstractTableModel):
    #: a counted quantity was typed: (part id, the text)
    entered = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines: list[CountLineInfo] = []
        self.rows: dict[str, int] = {}
        self.typed: dict[str, str] = {}
        self.editable = False

    def show_lines(self, lines: Sequence[CountLineInfo], editable: bool) -> None:
        self.beginResetModel()
        self.lines = list(lines)
        self.rows = {line.part_id: row for row, line in enumerate(self.lines)}
        self.typed = {}
        self.editable = editable
        self.endResetModel()

    def update_line(self, line: CountLineInfo) -> int | None:
        row = self.rows.get(line.part_id)
        if row is None:
            return None
        self.lines[row] = line
        self.typed.pop(line.part_id, None)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))
        return row

    def forget_typed(self, part_id: str) -> None:
        row = self.rows.get(part_id)
        if self.typed.pop(part_id, None) is not None and row is not None:
            self.dataChanged.emit(self.index(row, COL_COUNTED), self.index(row, COL_COUNTED))

    # -- Qt's model interface -----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(HEADERS[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if self.editable and index.column() == COL_COUNTED:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        line, col = self.lines[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(line, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in NUMBERS:
            return int(RIGHT)
        if role == Qt.ItemDataRole.BackgroundRole:
            if col in (COL_DIFF, COL_VALUE) and line.difference:
                return SHORT if line.difference < 0 else OVER
            if col == COL_COUNTED and self.editable:
                return EDITABLE
        if role == Qt.ItemDataRole.UserRole:
            return line.part_id
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != COL_COUNTED:
            return False
        line = self.lines[index.row()]
        text = str(value).strip()
        if text == self._text(line, COL_COUNTED):
            return False  # nothing changed (the editor closed without typing)
        self.typed[line.part_id] = text
        self.dataChanged.emit(index, index)
        self.entered.emit(line.part_id, text)
        return True

    def _text(self, line: CountLineInfo, col: int) -> str:
        if col == COL_LOCATION:
            return line.location
        if col == COL_NO:
            return line.part_no
        if col == COL_NAME:
            return line.name
        if col == COL_UNIT:
            return line.unit
        if col == COL_BOOK:
            return str(line.book_quantity)
        if col == COL_COUNTED:
            typed = self.typed.get(line.part_id)
            if typed is not None:
                return typed
            return "" if line.counted is None else str(line.counted)
        if col == COL_DIFF:
            return signed(line.difference)
        return yuan(line.value_fen) if line.difference else ""


class CountTable(QTableView):
    """The view of a ``CountModel``; ``entered`` is the model's."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("count_table")
        self.counts = CountModel(self)
        self.setModel(self.counts)
        self.entered = self.counts.entered
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(24)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in WIDTHS.items():
            self.setColumnWidth(col, _fit(header, col, width, self.counts))
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)

    @property
    def part_ids(self) -> list[str]:
        return [line.part_id for line in self.counts.lines]

    @property
    def editable(self) -> bool:
        return self.counts.editable

    def show_lines(self, lines: Sequence[CountLineInfo], editable: bool) -> None:
        self.counts.show_lines(lines, editable)

    def update_line(self, line: CountLineInfo) -> int | None:
        return self.counts.update_line(line)

    def forget_typed(self, part_id: str) -> None:
        self.counts.forget_typed(part_id)

    def row_of(self, part_id: str) -> int | None:
        return self.counts.rows.get(part_id)

    def text(self, row: int, col: int) -> str:
        return self.counts.index(row, col).data() or ""

    def focus_counted(self, row: int) -> None:
        """The cursor on the row's counted cell, ready to type the count."""
        index = self.counts.index(row, COL_COUNTED)
        self.setFocus()
        self.setCurrentIndex(index)
        self.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        if self.editable:
            self.edit(index)


def _fit(header: QHeaderView, col: int, width: int, model: CountModel) -> int:
    """At least as wide as the (bold) heading, which differs a lot between languages."""
    font = header.font()
    font.setBold(True)
    heading = model.headerData(col, Qt.Orientation.Horizontal)
    return max(width, QFontMetrics(font).horizontalAdvance(heading) + 24)
