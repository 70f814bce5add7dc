"""The "charges" tab: the order's charge lines (kind, description, quantity, unit price typed
in yuan and kept in integer fen), their total, saved as a whole with the order's revision.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import ChargeKind, Payer
from app.domain.errors import RuleViolation
from app.domain.permissions import Permission
from app.domain.validation import format_fen, parse_money_fen
from app.i18n import render, tr
from app.services.order_corrections import WORK_STATES
from app.services.orders import ChargeInput, OrderDetail
from app.services.payments import PAYABLE_STATES
from app.services.payments import describe as describe_payment
from app.ui.formatting import label, yuan
from app.ui.widgets.forms import ERROR_STYLE

if TYPE_CHECKING:
    from app.ui.orders.editor_dialog import OrderEditor

HEADERS = ("Kind", "Description", "Quantity", "Unit price (yuan)", "Amount", "Payer")
COL_KIND, COL_DESCRIPTION, COL_QUANTITY, COL_PRICE, COL_AMOUNT, COL_PAYER = range(len(HEADERS))


class ChargesTab(QWidget):
    def __init__(self, editor: OrderEditor) -> None:
        super().__init__()
        self.editor = editor
        self.table = QTableWidget(0, len(HEADERS), objectName="charges_table")
        self.table.setHorizontalHeaderLabels([tr(h) for h in HEADERS])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        # the kind and quantity cells are widgets, which ResizeToContents does not measure
        for col, width in ((COL_KIND, 100), (COL_QUANTITY, 90), (COL_PRICE, 120),
                           (COL_AMOUNT, 110), (COL_PAYER, 80)):
            self.table.setColumnWidth(col, width)
        self.table.itemChanged.connect(lambda _item: self._update_amounts())

        self.total = QLabel(objectName="charges_total")
        self.total.setStyleSheet("font-weight: bold;")
        #: 客户应付 / 厂家索赔 of the saved lines (the payers are the policy's, decided on saving)
        self.split = QLabel(objectName="charges_split")
        #: 收款情况 once the order is finished
        self.payment = QLabel(objectName="charges_payment")
        self.payment.setWordWrap(True)
        self.error = QLabel(objectName="charges_error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.add_button = QPushButton(tr("Add line"), objectName="add_charge")
        self.remove_button = QPushButton(tr("Remove line"), objectName="remove_charge")
        self.save_button = QPushButton(tr("Save charges"), objectName="save_charges")
        self.add_button.clicked.connect(lambda: self.add_line())
        self.remove_button.clicked.connect(self.remove_selected)
        self.save_button.clicked.connect(self.save)

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.split)
        buttons.addWidget(self.total)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.payment)
        layout.addLayout(buttons)

    def show_detail(self, d: OrderDetail) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for charge in d.charges:
            self.add_line(charge.kind, charge.description, charge.quantity,
                          format_fen(charge.unit_price_fen), charge.payer)
        self.table.blockSignals(False)
        self._update_amounts()
        self.split.setText(tr("Due from customer: {due}    Claimed from maker: {claimed}",
                              due=yuan(d.customer_due_fen), claimed=yuan(d.claimed_fen)))
        self.error.hide()
        paid = d.payment is not None and (d.status in PAYABLE_STATES or d.payment.entries)
        self.payment.setText(tr("Payment: {state}", state=describe_payment(d.payment))
                             if paid else "")
        self.payment.setVisible(bool(paid))
        actor = self.editor.ctx.actor
        may_edit = d.status in WORK_STATES and actor.may(
            Permission.ORDER_CHARGES, assigned_to=d.technician_id)
        for widget in (self.table, self.add_button, self.remove_button, self.save_button):
            widget.setEnabled(may_edit)

    def add_line(self, kind: ChargeKind = ChargeKind.LABOUR, description: str = "",
                 quantity: int = 1, price_yuan: str = "0.00",
                 payer: Payer | None = None) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        kinds = QComboBox()
        for member in ChargeKind:
            kinds.addItem(label(member), member)
        kinds.setCurrentIndex(kinds.findData(kind))
        self.table.setCellWidget(row, COL_KIND, kinds)
        self.table.setItem(row, COL_DESCRIPTION, QTableWidgetItem(description))
        spin = QSpinBox()
        spin.setRange(1, 10_000)
        spin.setValue(quantity)
        spin.valueChanged.connect(lambda _v: self._update_amounts())
        self.table.setCellWidget(row, COL_QUANTITY, spin)
        price = QTableWidgetItem(price_yuan)
        price.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.table.setItem(row, COL_PRICE, price)
        amount = QTableWidgetItem()
        amount.setFlags(amount.flags() & ~Qt.ItemFlag.ItemIsEditable)
        amount.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.table.setItem(row, COL_AMOUNT, amount)
        # never typed: the warranty policy decides it when the lines are saved
        paid_by = QTableWidgetItem(label(payer) if payer else tr("(on saving)"))
        paid_by.setFlags(paid_by.flags() & ~Qt.ItemFlag.ItemIsEditable)
        paid_by.setData(Qt.ItemDataRole.UserRole, payer)
        paid_by.setToolTip(tr("Who pays is decided by the warranty policy when the charges "
                              "are saved."))
        self.table.setItem(row, COL_PAYER, paid_by)
        self._update_amounts()
        return row

    def set_line(self, row: int, kind: ChargeKind, description: str, quantity: int,
                 price_yuan: str) -> None:
        kinds = self.table.cellWidget(row, COL_KIND)
        kinds.setCurrentIndex(kinds.findData(kind))
        self.table.item(row, COL_DESCRIPTION).setText(description)
        self.table.cellWidget(row, COL_QUANTITY).setValue(quantity)
        self.table.item(row, COL_PRICE).setText(price_yuan)

    def remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)
        self._update_amounts()

    def lines(self) -> list[ChargeInput]:
        """The table as charge inputs; refuses a bad price naming its line."""
        out = []
        for row in range(self.table.rowCount()):
            text = self.table.item(row, COL_PRICE).text()
            try:
                fen = parse_money_fen(text, field="charges")
            except RuleViolation as err:
                self.table.selectRow(row)
                raise RuleViolation("Line {line}: {problem}", field="charges", line=row + 1,
                                    problem=render(err)) from err
            out.append(ChargeInput(
                self.table.cellWidget(row, COL_KIND).currentData(),
                self.table.item(row, COL_DESCRIPTION).text(),
                self.table.cellWidget(row, COL_QUANTITY).value(), fen,
            ))
        return out

    def save(self) -> None:
        detail = self.editor.current_order()
        if detail is None:
            return
        self.error.hide()
        try:
            lines = self.lines()
        except RuleViolation as err:
            self.show_error(err)
            return
        ctx, order_id, revision = self.editor.ctx, detail.id, detail.revision
        self.editor.ctx.tasks.run(
            lambda: ctx.services.orders.set_charges(ctx.actor, order_id, lines, revision),
            self.editor.show_detail, self._failed, owner=self)

    def _failed(self, error: BaseException) -> None:
        if getattr(error, "field", None) == "charges":
            self.show_error(error)
        else:
            self.editor.handle_error(error)

    def show_error(self, error: BaseException) -> None:
        self.error.setText(render(error))
        self.error.show()

    def error_text(self) -> str:
        return "" if self.error.isHidden() else self.error.text()

    def _update_amounts(self) -> None:
        total = 0
        self.table.blockSignals(True)
        for row in range(self.table.rowCount()):
            amount_item = self.table.item(row, COL_AMOUNT)
            price_item = self.table.item(row, COL_PRICE)
            spin = self.table.cellWidget(row, COL_QUANTITY)
            if amount_item is None or price_item is None or spin is None:
                continue
            try:
                amount = parse_money_fen(price_item.text()) * spin.value()
            except RuleViolation:
                amount_item.setText("?")
                continue
            total += amount
            amount_item.setText(format_fen(amount))
        self.table.blockSignals(False)
        self.total.setText(tr("Total: {amount}", amount=yuan(total)))
