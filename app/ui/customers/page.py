"""The customer files page: search (name prefix, phone, serial), the list of matches, and the
chosen customer's file — details, products and every repair, newest first. A history row
opens that order's editor; "new order" starts one for this customer.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import OrderStatus, OrderType
from app.domain.permissions import Permission
from app.i18n import tr
from app.services import events
from app.services.customers import CustomerFile, CustomerSummary
from app.ui.customers.details import CustomerDetails
from app.ui.customers.new_customer import NewCustomerDialog
from app.ui.customers.privacy import PrivacyActions
from app.ui.customers.products import ProductsTable
from app.ui.extensions import UiContext
from app.ui.formatting import label, local_time, status_colour
from app.ui.masking.reveal import CustomerReveal
from app.ui.orders.editor_dialog import OrderEditor
from app.ui.orders.page import open_editor

HISTORY_HEADERS = ("Order number", "Type", "Status", "Called at", "Product model",
                   "Serial number", "Fault description")


class CustomersPage(QWidget):
    #: the chosen customer's file was (re)loaded
    file_loaded = Signal(object)
    #: a search finished
    searched = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.editors: dict[str, OrderEditor] = {}
        self.file: CustomerFile | None = None

        self.search_box = QLineEdit(objectName="customer_search")
        self.search_box.setPlaceholderText(tr("Any part of a name, phone, serial number or model — Enter searches"))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.returnPressed.connect(self.run_search)
        self.results = QListWidget(objectName="customer_results")
        self.results.currentItemChanged.connect(self._chosen)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.new_customer_button = QPushButton(tr("Add customer"), objectName="new_customer")
        self.new_customer_button.setToolTip("Ctrl+Shift+N")
        self.new_customer_button.setShortcut("Ctrl+Shift+N")
        self.new_customer_button.clicked.connect(self.new_customer)
        self.new_customer_button.setVisible(ctx.actor.may(Permission.CUSTOMER_CREATE))
        self.not_found = QLabel(objectName="customer_not_found")
        self.not_found.setWordWrap(True)
        self.not_found.setStyleSheet("color: #e65100;")
        self.not_found.hide()
        left_layout.addWidget(self.search_box)
        left_layout.addWidget(self.new_customer_button)
        left_layout.addWidget(self.not_found)
        left_layout.addWidget(self.results)

        self.title = QLabel(objectName="customer_title")
        self.title.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.new_order_button = QPushButton(tr("New order for this customer"),
                                            objectName="customer_new_order")
        self.new_order_button.clicked.connect(self.new_order)
        self.new_order_button.setVisible(ctx.actor.may(Permission.ORDER_CREATE))
        self.details = CustomerDetails(ctx, self._customer_saved, self.reload_file)
        self.products = ProductsTable(ctx, self.reload_file)
        self.history = QTableWidget(0, len(HISTORY_HEADERS), objectName="history_table")
        self.history.setHorizontalHeaderLabels([tr(h) for h in HISTORY_HEADERS])
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.verticalHeader().hide()
        header = self.history.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.history.doubleClicked.connect(lambda index: self.open_history_row(index.row()))
        self.history.activated.connect(lambda index: self.open_history_row(index.row()))

        heading = QHBoxLayout()
        heading.addWidget(self.title, 1)
        heading.addWidget(CustomerReveal(ctx, self))  # 显示完整号码 (the manager, audited)
        self.privacy = PrivacyActions(ctx, self)  # 导出/删除个人信息 (the manager)
        heading.addWidget(self.privacy)
        heading.addWidget(self.new_order_button)
        details_box = QGroupBox(tr("Customer"))
        QVBoxLayout(details_box).addWidget(self.details)
        products_box = QGroupBox(tr("Products"))
        QVBoxLayout(products_box).addWidget(self.products)
        history_box = QGroupBox(tr("Repair history"))
        QVBoxLayout(history_box).addWidget(self.history)
        upper = QHBoxLayout()
        upper.addWidget(details_box, 1)
        upper.addWidget(products_box, 1)
        self.right = QWidget()
        right_layout = QVBoxLayout(self.right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(heading)
        right_layout.addLayout(upper)
        right_layout.addWidget(history_box, 1)
        self.right.setEnabled(False)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([280, 900])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        ctx.changes.changed.connect(self._on_changed)
        self.run_search()

    # -- searching -------------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def search(self, text: str) -> None:
        self.search_box.setText(text)
        self.run_search()

    def run_search(self) -> None:
        text, customers = self.search_box.text(), self.ctx.services.customers
        self.ctx.tasks.run(lambda: customers.search(text, limit=200, viewer=self.ctx.actor),
                           lambda found: self._show_results(found, text), owner=self)

    def refresh(self) -> None:
        self.run_search()
        self.reload_file()

    def _show_results(self, found: list[CustomerSummary], text: str = "") -> None:
        if not found and text.strip():
            # nobody matches: the last customer's file must not stay as if it were the answer
            self.clear_file()
            self.not_found.setText(tr("No customer found for “{query}”.", query=text.strip()))
            self.not_found.show()
        else:
            self.not_found.hide()
        current = self.file.customer.id if self.file else None
        self.results.blockSignals(True)
        self.results.clear()
        for customer in found:
            item = QListWidgetItem(f"{customer.name}  {'、'.join(customer.phones)}")
            item.setToolTip(customer.address)
            item.setData(Qt.ItemDataRole.UserRole, customer.id)
            self.results.addItem(item)
            if customer.id == current:
                self.results.setCurrentItem(item)
        self.results.blockSignals(False)
        if len(found) == 1:
            # one match (a phone or serial search): show that file straight away
            self.results.setCurrentRow(0)
            self.show_customer(found[0].id)
        self.searched.emit()

    def result_ids(self) -> list[str]:
        return [self.results.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.results.count())]

    # -- a customer's file ----------------------------------------------------------------------
    def _chosen(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.show_customer(item.data(Qt.ItemDataRole.UserRole))

    def show_customer(self, customer_id: str) -> None:
        customers = self.ctx.services.customers
        self.ctx.tasks.run(lambda: customers.file(customer_id, viewer=self.ctx.actor),
                           self._show_file, owner=self)

    def clear_file(self) -> None:
        """Shows no customer: the title, details, products and history emptied."""
        self.file = None
        self.title.clear()
        self.details.clear()
        self.products.show_products("", [])
        self.products.customer_id = None  # nothing to add a product to
        self.history.setRowCount(0)
        self.right.setEnabled(False)

    def reload_file(self) -> None:
        if self.file is not None:
            self.show_customer(self.file.customer.id)

    def _show_file(self, file: CustomerFile) -> None:
        self.file = file
        self.right.setEnabled(True)
        self.title.setText(f"{file.customer.name}  {'、'.join(file.customer.phones)}")
        self.details.show_customer(file.customer)
        self.products.show_products(file.customer.id, file.products)
        self.history.setRowCount(len(file.history))
        for row, entry in enumerate(file.history):
            values = (entry.number, _label(OrderType, entry.order_type),
                      _label(OrderStatus, entry.status), local_time(entry.called_at),
                      entry.product_model, entry.serial_no,
                      entry.fault_description.replace("\n", " "))
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if col == 2:
                    item.setBackground(status_colour(entry.status))
                self.history.setItem(row, col, item)
        self.file_loaded.emit(file)

    def _customer_saved(self, customer: CustomerSummary) -> None:
        self.run_search()
        self.reload_file()

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if self.file is not None and (events.CUSTOMERS in kinds or events.ORDERS in kinds):
            self.reload_file()

    # -- orders ---------------------------------------------------------------------------------
    def open_history_row(self, row: int) -> OrderEditor | None:
        if self.file is None or not 0 <= row < len(self.file.history):
            return None
        return open_editor(self.ctx, self.editors, self.file.history[row].order_id, self)

    def new_customer(self) -> NewCustomerDialog:
        """Opens the 新建客户 dialog; a saved customer's file is shown at once."""
        dialog = NewCustomerDialog(self.ctx, self, searched=self.search_box.text())
        dialog.accepted.connect(lambda: dialog.created and self._customer_created(dialog.created))
        dialog.open()
        return dialog

    def _customer_created(self, customer: CustomerSummary) -> None:
        self.search_box.setText(customer.phones[0] if customer.phones else customer.name)
        self.run_search()
        self.show_customer(customer.id)

    def new_order(self) -> OrderEditor | None:
        customer_id = self.file.customer.id if self.file else None
        editor = OrderEditor(self.ctx, None, customer_id=customer_id, parent=self)
        editor.show()
        return editor


def _label(enum_type: type[Enum], value: str) -> str:
    try:
        return label(enum_type(value))
    except ValueError:
        return value
