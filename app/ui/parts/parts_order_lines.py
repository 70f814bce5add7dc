"""The lines of one order of parts to head office: part, ordered, confirmed and shipped by
head office, received here, still awaited. In a draft the ordered quantity is edited; in an
order head office shipped, the "receive now" cell takes what arrived (partial is fine).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidgetItem, QVBoxLayout, QWidget

from app.domain.errors import RuleViolation
from app.services.parts_orders import LineInfo, LineInput
from app.ui.parts.common import RIGHT, cell, make_table

HEADERS = ("Part number", "Part name", "Unit", "Ordered", "Confirmed", "Shipped", "Received",
           "Receive now")
COL_NO, COL_NAME, COL_UNIT, COL_ORDERED, COL_CONFIRMED, COL_SHIPPED, COL_RECEIVED, COL_NOW = \
    range(len(HEADERS))
WIDTHS = {COL_NO: 140, COL_NAME: 120, COL_UNIT: 44, COL_ORDERED: 64, COL_CONFIRMED: 64,
          COL_SHIPPED: 64, COL_RECEIVED: 64}


class PartsOrderLines(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = make_table(HEADERS, "parts_order_lines", WIDTHS, stretch=COL_NAME)
        self.table.setEditTriggers(self.table.EditTrigger.AllEditTriggers)
        self.parts: list[str] = []  # part numbers, one a row
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)

    def show_lines(self, lines: list[LineInfo], draft: bool, receiving: bool) -> None:
        self.table.setRowCount(0)
        self.parts = []
        for line in lines:
            row = self._row(line.part_no, line.name, line.unit, line.quantity, draft)
            confirmed = "" if line.confirmed_quantity is None else line.confirmed_quantity
            self.table.setItem(row, COL_CONFIRMED, cell(confirmed, right=True))
            self.table.setItem(row, COL_SHIPPED, cell(line.shipped_quantity, right=True))
            self.table.setItem(row, COL_RECEIVED, cell(line.received_quantity, right=True))
            now = QTableWidgetItem(str(line.awaiting) if receiving and line.awaiting else "")
            now.setTextAlignment(RIGHT)
            if not (receiving and line.awaiting):
                now.setFlags(now.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, COL_NOW, now)

    def add_part(self, part_no: str, name: str, unit: str, quantity: int) -> int:
        """A draft line (one more unit when the part is already on it)."""
        if part_no in self.parts:
            row = self.parts.index(part_no)
            item = self.table.item(row, COL_ORDERED)
            item.setText(str(_whole(item.text(), row) + quantity))
            return row
        return self._row(part_no, name, unit, quantity, True)

    def _row(self, part_no: str, name: str, unit: str, quantity: int, editable: bool) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.parts.append(part_no)
        self.table.setItem(row, COL_NO, cell(part_no))
        self.table.setItem(row, COL_NAME, cell(name))
        self.table.setItem(row, COL_UNIT, cell(unit))
        ordered = QTableWidgetItem(str(quantity))
        ordered.setTextAlignment(RIGHT)
        if not editable:
            ordered.setFlags(ordered.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.table.setItem(row, COL_ORDERED, ordered)
        for col in (COL_CONFIRMED, COL_SHIPPED, COL_RECEIVED, COL_NOW):
            self.table.setItem(row, col, cell(""))
        return row

    def remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)
            del self.parts[row]

    def ordered(self) -> list[LineInput]:
        return [LineInput(no, _whole(self.table.item(r, COL_ORDERED).text(), r))
                for r, no in enumerate(self.parts)]

    def received(self) -> list[LineInput]:
        """The "receive now" quantities typed (empty and 0 lines left out)."""
        out = []
        for row, number in enumerate(self.parts):
            text = self.table.item(row, COL_NOW).text().strip()
            if text and (quantity := _whole(text, row)):
                out.append(LineInput(number, quantity))
        return out

    def set_receive(self, row: int, quantity: int) -> None:
        self.table.item(row, COL_NOW).setText(str(quantity))


def _whole(text: str, row: int) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise RuleViolation("Line {line}: type a whole number of units.", field="lines",
                            line=row + 1) from None
