"""A customer's products: the table with warranty status, and the add/edit product dialog."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.permissions import Permission
from app.domain.warranty import DEFAULT_WARRANTY_MONTHS
from app.i18n import tr
from app.services.customers import ProductInfo, ProductInput
from app.services.errors import StaleEdit
from app.services.product_revisions import product_revision
from app.ui.extensions import UiContext
from app.ui.formatting import label
from app.ui.widgets.forms import ErrorForm
from app.ui.widgets.messages import show_error
from app.ui.widgets.optional_date import OptionalDate

HEADERS = ("Product model", "Serial number", "Purchase date", "Invoice number", "Warranty")


class ProductDialog(QDialog):
    """Adds a product to a customer, or edits one (with its revision)."""

    def __init__(self, ctx: UiContext, customer_id: str, product: ProductInfo | None,
                 revision: int | None, on_saved: Callable[[ProductInfo], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.customer_id = customer_id
        self.product = product
        self.revision = revision
        self._on_saved = on_saved
        self.setWindowTitle(tr("Edit product") if product else tr("Add product"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.form = ErrorForm()
        self.model = QLineEdit(objectName="model")
        self.serial = QLineEdit(objectName="serial_no")
        self.purchase = OptionalDate("purchase_date")
        self.has_date, self.purchase_date = self.purchase.known, self.purchase.edit
        self.invoice = QLineEdit(objectName="invoice_no")
        self.months = QSpinBox(objectName="warranty_months")
        self.months.setRange(0, 120)
        self.months.setSuffix(" " + tr("months"))
        self.months.setValue(DEFAULT_WARRANTY_MONTHS)
        self.form.add_row("Product model", self.model, "model")
        self.form.add_row("Serial number", self.serial, "serial_no")
        self.form.add_row("Purchase date", self.purchase, "purchase_date")
        self.form.add_row("Invoice number", self.invoice, "invoice_no")
        self.form.add_row("Warranty period", self.months, "warranty_months")
        self.form.add_general_error_row()
        if product is not None:
            self.model.setText(product.model)
            self.serial.setText(product.serial_no)
            self.invoice.setText(product.invoice_no)
            self.months.setValue(product.warranty_months)
            if product.purchase_date is not None:
                self.has_date.setChecked(True)
                self.purchase_date.setDate(QDate(product.purchase_date))
        self.purchase_date.setEnabled(self.has_date.isChecked())
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        # an edit waits until the revision it will be saved against is known
        self.save_button.setEnabled(product is None or revision is not None)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)

    def set_revision(self, revision: int) -> None:
        self.revision = revision
        self.save_button.setEnabled(True)

    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        self.form.clear_errors()
        data = ProductInput(
            self.model.text(), self.serial.text(),
            self.purchase.value(),
            self.invoice.text(), self.months.value(),
        )
        ctx = self.ctx
        if self.product is None:
            customer_id = self.customer_id
            call = lambda: ctx.services.customers.add_product(ctx.actor, customer_id, data)  # noqa: E731
        else:
            product_id, revision = self.product.id, int(self.revision or 0)
            call = lambda: ctx.services.customers.update_product(  # noqa: E731
                ctx.actor, product_id, data, revision)
        ctx.tasks.run(call, self._saved, self._failed, owner=self)

    def _saved(self, product: ProductInfo) -> None:
        self._on_saved(product)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, StaleEdit):
            show_error(self.parentWidget(), error)
            self.reject()
            return
        self.form.show_error(error)


class ProductsTable(QWidget):
    def __init__(self, ctx: UiContext, on_changed: Callable[[], None]) -> None:
        super().__init__()
        self.ctx = ctx
        self._on_changed = on_changed
        self.customer_id: str | None = None
        self.products: list[ProductInfo] = []
        self.table = QTableWidget(0, len(HEADERS), objectName="products_table")
        self.table.setHorizontalHeaderLabels([tr(h) for h in HEADERS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.add_button = QPushButton(tr("Add product"), objectName="add_product")
        self.edit_button = QPushButton(tr("Edit product"), objectName="edit_product")
        self.add_button.clicked.connect(self.add_product)
        self.edit_button.clicked.connect(self.edit_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def show_products(self, customer_id: str, products: list[ProductInfo]) -> None:
        self.customer_id = customer_id
        self.products = products
        self.table.setRowCount(len(products))
        for row, p in enumerate(products):
            values = (p.model, p.serial_no, p.purchase_date.isoformat() if p.purchase_date else "",
                      p.invoice_no, f"{label(p.warranty)} ({p.warranty_months} {tr('months')})")
            for col, value in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(value))
        self.add_button.setEnabled(self.ctx.actor.may(Permission.PRODUCT_ADD))
        self.edit_button.setEnabled(self.ctx.actor.may(Permission.PRODUCT_EDIT) and bool(products))

    def add_product(self) -> ProductDialog | None:
        if self.customer_id is None:
            return None
        dialog = ProductDialog(self.ctx, self.customer_id, None, None,
                               lambda _p: self._on_changed(), self)
        dialog.open()
        return dialog

    def edit_selected(self) -> ProductDialog | None:
        rows = self.table.selectionModel().selectedRows()
        if self.customer_id is None or not rows or not self.ctx.actor.may(Permission.PRODUCT_EDIT):
            return None
        product = self.products[rows[0].row()]
        db = self.ctx.services.db
        dialog = ProductDialog(self.ctx, self.customer_id, product, None,
                               lambda _p: self._on_changed(), self)
        # the product's revision is read with the dialog open, off the GUI thread
        self.ctx.tasks.run(lambda: product_revision(db, product.id),
                           dialog.set_revision, owner=dialog)
        dialog.open()
        return dialog
