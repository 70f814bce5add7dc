"""A new counter sale (零件销售): parts scanned or typed by number, quantity and price per line
(the catalogue's retail price to start with), a discount, the payment method, and an optional
customer — a walk-in's name and phone, or a customer file found by phone (挂账 needs one).
Clerks and the manager sell; the sale service decides what is allowed and its refusals
appear by the field they name.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import RuleViolation
from app.domain.parts import PaymentMethod
from app.domain.permissions import Permission
from app.domain.validation import parse_money_fen
from app.i18n import tr
from app.services.customers import CustomerSummary
from app.services.sales import NewSale, SaleDetail
from app.ui.extensions import UiContext
from app.ui.formatting import label, yuan
from app.ui.parts.picker import PartPicker
from app.ui.parts.sale_lines import SaleLines
from app.ui.widgets.forms import ErrorForm


class SaleForm(QGroupBox):
    #: a sale was recorded (SaleDetail)
    sold = Signal(object)
    #: a sale was refused (the error)
    refused = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(tr("New sale"), parent)
        self.ctx = ctx
        self.customer_id: str | None = None
        self.picker = PartPicker(ctx, "sale_scan")
        self.picker.picked.connect(self._add_part)
        self.lines = SaleLines()
        self.lines.changed.connect(self._update_total)
        self.remove_button = QPushButton(tr("Remove line"), objectName="sale_remove_line")
        self.remove_button.clicked.connect(self.lines.remove_selected)

        self.discount = QLineEdit("0.00", objectName="sale_discount")
        self.discount.textChanged.connect(self._update_total)
        self.payment = QComboBox(objectName="sale_payment")
        for method in PaymentMethod:
            self.payment.addItem(label(method), method.value)
        self.customer_lookup = QLineEdit(objectName="sale_customer_lookup")
        self.customer_lookup.setPlaceholderText(tr("Phone or name of a customer file, Enter"))
        self.customer_lookup.returnPressed.connect(self.find_customer)
        self.customer_found = QLabel(objectName="sale_customer_found")
        self.customer_name = QLineEdit(objectName="sale_customer_name")
        self.customer_phone = QLineEdit(objectName="sale_customer_phone")
        self.total = QLabel(objectName="sale_total")
        self.total.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.sell_button = QPushButton(tr("Sell"), objectName="sell")
        self.sell_button.setToolTip("Ctrl+Return")
        self.sell_button.setShortcut("Ctrl+Return")
        self.sell_button.clicked.connect(self.sell)
        self.clear_button = QPushButton(tr("Clear"), objectName="sale_clear")
        self.clear_button.clicked.connect(self.clear)

        scan = ErrorForm()
        scan.add_row("Scan or type a part", self.picker, "part_no", "text")
        self.form = ErrorForm()
        self.form.add_row("Discount (yuan)", self.discount, "discount_fen")
        self.form.add_row("Payment", self.payment, "payment_method")
        self.form.add_row("Customer file", self.customer_lookup, "customer_id")
        self.form.addRow("", self.customer_found)
        self.form.add_row("Customer name", self.customer_name, "customer_name")
        self.form.add_row("Phone number", self.customer_phone, "customer_phone")
        self.form.add_general_error_row()
        self.scan_form = scan
        self.picker.failed.connect(scan.show_error)

        left = QVBoxLayout()
        left.addLayout(scan)
        left.addWidget(self.lines, 1)
        line_buttons = QHBoxLayout()
        line_buttons.addWidget(self.remove_button)
        line_buttons.addStretch(1)
        line_buttons.addWidget(self.total)
        left.addLayout(line_buttons)
        right = QVBoxLayout()
        right.addLayout(self.form)
        right.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.sell_button, 1)
        right.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 2)
        layout.addLayout(right, 1)
        scan.add_general_error_row()
        self.setEnabled(ctx.actor.may(Permission.SALE_CREATE))
        self._update_total()

    # -- lines --------------------------------------------------------------------------------
    def _add_part(self, part) -> None:
        self.scan_form.clear_errors()
        self.lines.add(part)
        self.picker.focus_box()

    def discount_fen(self) -> int:
        text = self.discount.text().strip()
        return parse_money_fen(text, field="discount_fen") if text else 0

    def _update_total(self) -> None:
        subtotal = self.lines.subtotal_fen()
        try:
            discount = self.discount_fen()
        except RuleViolation:
            discount = None
        if subtotal is None or discount is None:
            self.total.setText(tr("Total: {amount}", amount="?"))
        else:
            self.total.setText(tr("Total: {amount}", amount=yuan(subtotal - discount)))

    # -- customer -----------------------------------------------------------------------------
    def find_customer(self) -> None:
        text, customers = self.customer_lookup.text().strip(), self.ctx.services.customers
        if not text:
            self._set_customer(None)
            return
        self.ctx.tasks.run(lambda: customers.search(text, limit=5, viewer=self.ctx.actor),
                           self._customers_found,
                           self.form.show_error, owner=self)

    def _customers_found(self, found: list[CustomerSummary]) -> None:
        if len(found) == 1:
            self._set_customer(found[0])
        else:
            self._set_customer(None)
            self.customer_found.setText(
                tr("No customer file found.") if not found else
                tr("{count} customer files match; type more of the phone.", count=len(found)))

    def _set_customer(self, customer: CustomerSummary | None) -> None:
        self.customer_id = customer.id if customer else None
        self.customer_found.setText(
            f"{customer.name}  {'、'.join(customer.phones)}" if customer else "")

    # -- selling ------------------------------------------------------------------------------
    def new_sale(self) -> NewSale:
        return NewSale(
            lines=self.lines.inputs(), payment_method=self.payment.currentData(),
            discount_fen=self.discount_fen(), customer_id=self.customer_id,
            customer_name=self.customer_name.text(), customer_phone=self.customer_phone.text())

    def sell(self) -> None:
        self.form.clear_errors()
        self.scan_form.clear_errors()
        try:
            new = self.new_sale()
        except RuleViolation as err:
            self.show_error(err)
            return
        actor, sales = self.ctx.actor, self.ctx.services.sales
        self.sell_button.setEnabled(False)
        self.ctx.tasks.run(lambda: sales.sell(actor, new), self._sold, self._refused,
                           owner=self)

    def _sold(self, sale: SaleDetail) -> None:
        self.sell_button.setEnabled(True)
        self.ctx.status_message(tr("Sale {number}: {amount}", number=sale.number,
                                   amount=yuan(sale.total_fen)))
        self.clear()
        self.sold.emit(sale)

    def _refused(self, error: BaseException) -> None:
        self.sell_button.setEnabled(True)
        self.show_error(error)
        self.refused.emit(error)

    def show_error(self, error: BaseException) -> None:
        if getattr(error, "field", None) == "lines":
            self.scan_form.show_error(error)  # under the lines, in the general line
        else:
            self.form.show_error(error)

    def error_text(self) -> str:
        return self.scan_form.error_text() or self.form.error_text() or next(
            (self.form.error_text(f) for f in ("discount_fen", "customer_id", "customer_name",
                                               "customer_phone", "payment_method")
             if self.form.error_text(f)), "")

    def clear(self) -> None:
        self.lines.clear()
        self.discount.setText("0.00")
        self.payment.setCurrentIndex(0)
        self.customer_lookup.clear()
        self._set_customer(None)
        self.customer_name.clear()
        self.customer_phone.clear()
        self.form.clear_errors()
        self.scan_form.clear_errors()
        self.picker.focus_box()
