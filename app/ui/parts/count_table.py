"""The lines of a stock count: location, part, book quantity, the counted cell (the only
one anyone edits), the difference and its value. A number typed into the counted cell emits
``entered(part_id, text)``; the page sends it to the count service and puts the stored line
back with ``update_line``.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.i18n import tr
from app.services.stock_counts import CountLineInfo
from app.ui.formatting import yuan
from app.ui.parts.common import RIGHT, cell, fit_headers, signed

HEADERS = ("Location", "Part number", "Part name", "Unit", "Book", "Counted", "Difference", "Value")
COL_LOCATION, COL_NO, COL_NAME, COL_UNIT, COL_BOOK, COL_COUNTED, COL_DIFF, COL_VALUE = \
    range(len(HEADERS))
WIDTHS = {COL_LOCATION: 90, COL_NO: 150, COL_NAME: 240, COL_UNIT: 50, COL_BOOK: 70,
          COL_COUNTED: 90, COL_DIFF: 90, COL_VALUE: 120}
SHORT = QColor("#ffebee")
OVER = QColor("#e8f5e9")
EDITABLE = QColor("#fffde7")


class CountTable(QTableWidget):
    #: a counted quantity was typed: (part id, the text)
    entered = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(HEADERS), parent)
        self.setObjectName("count_table")
        self.setHorizontalHeaderLabels([tr(h) for h in HEADERS])
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(24)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        for col, width in WIDTHS.items():
            self.setColumnWidth(col, width)
        fit_headers(self)
        self.part_ids: list[str] = []
        self.editable = True
        self._filling = False
        self.itemChanged.connect(self._changed)

    def show_lines(self, lines: Sequence[CountLineInfo], editable: bool) -> None:
        self._filling = True
        self.editable = editable
        self.setRowCount(len(lines))
        self.part_ids = [line.part_id for line in lines]
        for row, line in enumerate(lines):
            self._put(row, line)
        self._filling = False

    def update_line(self, line: CountLineInfo) -> int | None:
        if line.part_id not in self.part_ids:
            return None
        row = self.part_ids.index(line.part_id)
        self._filling = True
        self._put(row, line)
        self._filling = False
        return row

    def row_of(self, part_id: str) -> int | None:
        return self.part_ids.index(part_id) if part_id in self.part_ids else None

    def focus_counted(self, row: int) -> None:
        """The cursor on the row's counted cell, ready to type the count."""
        self.setFocus()
        self.setCurrentCell(row, COL_COUNTED)
        self.scrollToItem(self.item(row, COL_COUNTED),
                          QAbstractItemView.ScrollHint.PositionAtCenter)
        if self.editable:
            self.editItem(self.item(row, COL_COUNTED))

    def _put(self, row: int, line: CountLineInfo) -> None:
        values = (line.location, line.part_no, line.name, line.unit)
        for col, value in enumerate(values):
            self.setItem(row, col, cell(value))
        self.setItem(row, COL_BOOK, cell(line.book_quantity, right=True))
        counted = QTableWidgetItem("" if line.counted is None else str(line.counted))
        counted.setTextAlignment(RIGHT)
        if self.editable:
            counted.setBackground(EDITABLE)
        else:
            counted.setFlags(counted.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.setItem(row, COL_COUNTED, counted)
        difference = cell(signed(line.difference), right=True)
        value = cell(yuan(line.value_fen) if line.difference else "", right=True)
        if line.difference:
            colour = SHORT if line.difference < 0 else OVER
            difference.setBackground(colour)
            value.setBackground(colour)
        self.setItem(row, COL_DIFF, difference)
        self.setItem(row, COL_VALUE, value)

    def _changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != COL_COUNTED:
            return
        self.entered.emit(self.part_ids[item.row()], item.text())
