"""The lines of a counter sale being rung up: a part scanned or typed again adds one to its
line; quantity and price (yuan, from the catalogue's retail price) are edited in the row;
the subtotal follows. Prices stay integer fen; a bad price is refused naming its line.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from app.domain.errors import RuleViolation
from app.domain.validation import format_fen, parse_money_fen
from app.i18n import render
from app.services.parts_catalogue import PartInfo
from app.services.sales import SaleLineInput
from app.ui.parts.common import RIGHT, cell, make_table

HEADERS = ("Part number", "Part name", "Quantity", "Unit price (yuan)", "Amount")
COL_NO, COL_NAME, COL_QTY, COL_PRICE, COL_AMOUNT = range(len(HEADERS))
MAX_QUANTITY = 10_000


class SaleLines(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table: QTableWidget = make_table(HEADERS, "sale_lines",
                                              {COL_NO: 150, COL_QTY: 80, COL_PRICE: 120,
                                               COL_AMOUNT: 100}, stretch=COL_NAME)
        self.table.setEditTriggers(self.table.EditTrigger.AllEditTriggers)
        self.table.itemChanged.connect(lambda _item: self._update())
        self.part_ids: list[str] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)

    def add(self, part: PartInfo) -> int:
        """Adds the part (one more of it when already on the sale); returns its row."""
        if part.id in self.part_ids:
            row = self.part_ids.index(part.id)
            spin = self.table.cellWidget(row, COL_QTY)
            spin.setValue(spin.value() + 1)
            return row
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        self.part_ids.append(part.id)
        self.table.setItem(row, COL_NO, cell(part.part_no))
        self.table.setItem(row, COL_NAME, cell(f"{part.name}  {part.specification}".strip()))
        spin = QSpinBox(objectName=f"sale_quantity_{row}")
        spin.setRange(1, MAX_QUANTITY)
        spin.valueChanged.connect(lambda _v: self._update())
        self.table.setCellWidget(row, COL_QTY, spin)
        price = QTableWidgetItem(format_fen(part.retail_price_fen))
        price.setTextAlignment(RIGHT)
        self.table.setItem(row, COL_PRICE, price)
        self.table.setItem(row, COL_AMOUNT, cell("", right=True))
        self.table.blockSignals(False)
        self._update()
        return row

    def remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)
            del self.part_ids[row]
        self._update()

    def clear(self) -> None:
        self.table.setRowCount(0)
        self.part_ids.clear()
        self._update()

    def set_quantity(self, row: int, quantity: int) -> None:
        self.table.cellWidget(row, COL_QTY).setValue(quantity)

    def set_price(self, row: int, yuan_text: str) -> None:
        self.table.item(row, COL_PRICE).setText(yuan_text)

    def inputs(self) -> list[SaleLineInput]:
        """The lines for the sale service; a bad price is refused naming its line."""
        out = []
        for row, part_id in enumerate(self.part_ids):
            try:
                fen = parse_money_fen(self.table.item(row, COL_PRICE).text(), field="lines")
            except RuleViolation as err:
                self.table.selectRow(row)
                raise RuleViolation("Line {line}: {problem}", field="lines", line=row + 1,
                                    problem=render(err)) from err
            out.append(SaleLineInput(part_id, self.table.cellWidget(row, COL_QTY).value(), fen))
        return out

    def subtotal_fen(self) -> int | None:
        """None while a price cannot be read."""
        total = 0
        for row in range(len(self.part_ids)):
            try:
                total += parse_money_fen(self.table.item(row, COL_PRICE).text()) * \
                    self.table.cellWidget(row, COL_QTY).value()
            except RuleViolation:
                return None
        return total

    def _update(self) -> None:
        self.table.blockSignals(True)
        for row in range(len(self.part_ids)):
            amount = self.table.item(row, COL_AMOUNT)
            try:
                fen = parse_money_fen(self.table.item(row, COL_PRICE).text())
                amount.setText(format_fen(fen * self.table.cellWidget(row, COL_QTY).value()))
            except RuleViolation:
                amount.setText("?")
        self.table.blockSignals(False)
        self.changed.emit()
