"""A new order's form: find the customer by phone, name or serial number (their products are
offered) or enter a new customer and product; then the order itself. The order service
creates customer, product and order in one transaction, so a refused field stores nothing.

Every refused field is marked at once; warnings (an on-site order without an address, a
serial with open orders) show above the button with the orders to open, and the clerk goes
on with a reason ("save anyway"). The whole form is walked with Tab in reading order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import OrderSource, OrderType, ServiceMode
from app.domain.errors import RuleViolation
from app.domain.warranty import DEFAULT_WARRANTY_MONTHS
from app.i18n import render, tr
from app.services.customers import CustomerFile, CustomerInput, CustomerSummary, ProductInput
from app.services.order_warnings import Ack, OrderWarning, WarningsPending
from app.services.orders import NewOrder, OrderDetail
from app.services.users import UserInfo
from app.ui.formatting import label
from app.ui.knowledge.order_editor import new_order_panel
from app.ui.orders.editor_fields import enum_combo, select_data
from app.ui.widgets.forms import ErrorForm, error_label
from app.ui.widgets.messages import show_error
from app.ui.widgets.optional_date import OptionalDate
from app.ui.widgets.text_field import MultiLineField

if TYPE_CHECKING:
    from app.ui.orders.editor_dialog import OrderEditor

NEW = "__new__"


class NewOrderForm(QWidget):
    def __init__(self, editor: OrderEditor, customer_id: str | None = None) -> None:
        super().__init__()
        self.editor = editor
        self.ctx = editor.ctx

        # customer -------------------------------------------------------------------------
        self.customer_form = ErrorForm()
        self.lookup = QLineEdit(objectName="customer_lookup")
        self.lookup.setPlaceholderText(tr("Phone, name or serial number — Enter finds"))
        self.lookup.returnPressed.connect(self.find_customer)
        find_button = QPushButton(tr("Find"), objectName="find_customer")
        find_button.clicked.connect(self.find_customer)
        lookup_row = QWidget()
        row_layout = QHBoxLayout(lookup_row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(self.lookup, 1)
        row_layout.addWidget(find_button)
        self.customer_choice = QComboBox(objectName="customer_choice")
        self.customer_choice.addItem(tr("New customer"), NEW)
        self.customer_choice.currentIndexChanged.connect(self._customer_chosen)
        self.customer_name = QLineEdit(objectName="customer_name")
        self.customer_phone = QLineEdit(objectName="customer_phone")
        self.customer_address = QLineEdit(objectName="customer_address")
        self.customer_form.add_row("Find customer", lookup_row)
        self.customer_form.add_row("Customer", self.customer_choice, "customer")
        self.customer_form.add_row("Customer name", self.customer_name, "name")
        self.customer_form.add_row("Customer phone", self.customer_phone, "phones")
        self.customer_form.add_row("Address", self.customer_address, "address")

        # product ---------------------------------------------------------------------------
        self.product_form = ErrorForm()
        self.product_choice = QComboBox(objectName="product_choice")
        self.product_choice.currentIndexChanged.connect(self._product_chosen)
        self.model = QLineEdit(objectName="model")
        self.serial = QLineEdit(objectName="serial_no")
        self.purchase = OptionalDate("purchase_date")
        self.has_purchase_date, self.purchase_date = self.purchase.known, self.purchase.edit
        self.invoice = QLineEdit(objectName="invoice_no")
        self.warranty_months = QSpinBox(objectName="warranty_months")
        self.warranty_months.setRange(0, 120)
        self.warranty_months.setValue(DEFAULT_WARRANTY_MONTHS)
        self.warranty_months.setSuffix(" " + tr("months"))
        self.product_form.add_row("Product", self.product_choice, "product_id")
        self.product_form.add_row("Product model", self.model, "model")
        self.product_form.add_row("Serial number", self.serial, "serial_no")
        self.product_form.add_row("Purchase date", self.purchase, "purchase_date")
        self.product_form.add_row("Invoice number", self.invoice, "invoice_no")
        self.product_form.add_row("Warranty period", self.warranty_months, "warranty_months")

        # order -----------------------------------------------------------------------------
        self.order_form = ErrorForm()
        self.order_type = enum_combo(OrderType, "order_type")
        self.source = enum_combo(OrderSource, "source")
        select_data(self.source, OrderSource.PHONE)
        self.service_mode = enum_combo(ServiceMode, "service_mode")
        self.fault = MultiLineField(objectName="fault_description")
        self.fault.setMaximumHeight(80)
        self.contact_phone = QLineEdit(objectName="contact_phone")
        self.contact_phone.setPlaceholderText(tr("Same as the customer's phone when empty"))
        self.service_address = QLineEdit(objectName="service_address")
        self.service_address.setPlaceholderText(tr("The customer's address when empty"))
        self.technician = QComboBox(objectName="technician")
        self.technician.addItem(tr("Assign later"), None)
        self.hq_reference = QLineEdit(objectName="hq_reference")
        self.order_form.add_row("Order type", self.order_type, "order_type")
        self.order_form.add_row("Source", self.source, "source")
        self.order_form.add_row("Service mode", self.service_mode, "service_mode")
        self.order_form.add_row("Fault description", self.fault, "fault_description")
        self.order_form.add_row("Contact phone", self.contact_phone, "contact_phone")
        self.order_form.add_row("Service address", self.service_address, "service_address")
        self.order_form.add_row("Technician", self.technician, "technician_id")
        self.order_form.add_row("Head-office reference", self.hq_reference, "hq_reference")
        self.order_form.add_general_error_row()

        self.save_button = QPushButton(tr("Create order"), objectName="create_order")
        # Enter in the lookup field (a scanner ends with Enter) must search, never save
        self.save_button.setAutoDefault(False)
        self.save_button.setToolTip("Ctrl+Enter")
        self.save_button.clicked.connect(lambda _checked=False: self.save())

        # warnings before saving: what the service warned of, the orders it lists, a reason
        self.warnings_box = QGroupBox(tr("Check before saving"), objectName="order_warnings")
        self.warnings_box.setStyleSheet("QGroupBox { background: #fff8e1; }")
        self.warnings_text = error_label()
        self.warnings_text.setObjectName("warnings_text")
        self.warnings_text.setStyleSheet("color: #e65100;")
        self.warned_orders = QHBoxLayout()
        self.ack_reason = QLineEdit(objectName="ack_reason")
        self.ack_reason.setPlaceholderText(tr("Why go on? (kept in the audit log)"))
        self.ack_error = error_label()
        self.save_anyway = QPushButton(tr("Save anyway"), objectName="save_anyway")
        self.save_anyway.setAutoDefault(False)
        self.save_anyway.clicked.connect(self.save_acknowledged)
        ack_row = QHBoxLayout()
        ack_row.addWidget(QLabel(tr("Reason for going on")))
        ack_row.addWidget(self.ack_reason, 1)
        ack_row.addWidget(self.save_anyway)
        warnings_layout = QVBoxLayout(self.warnings_box)
        warnings_layout.addWidget(self.warnings_text)
        warnings_layout.addLayout(self.warned_orders)
        warnings_layout.addLayout(ack_row)
        warnings_layout.addWidget(self.ack_error)
        self.warnings_box.hide()
        self._warnings: list[OrderWarning] = []

        top = QHBoxLayout()
        for title, form in (("Customer", self.customer_form), ("Product", self.product_form)):
            box = QGroupBox(tr(title))
            box.setLayout(form)
            top.addWidget(box)
        order_box = QGroupBox(tr("Order"))
        order_row = QHBoxLayout(order_box)
        order_row.addLayout(self.order_form, 3)
        self.knowledge = new_order_panel(editor, self.fault, self.model)  # 相似维修
        order_row.addWidget(self.knowledge, 2)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(order_box)
        layout.addWidget(self.warnings_box)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self._forms = (self.customer_form, self.product_form, self.order_form)
        # the whole order from the keyboard, in reading order (disabled fields are skipped)
        chain = [self.lookup, find_button, self.customer_choice, self.customer_name,
                 self.customer_phone, self.customer_address, self.product_choice, self.model,
                 self.serial, self.purchase.known, self.purchase.edit, self.invoice,
                 self.warranty_months, self.order_type, self.source, self.service_mode,
                 self.fault, self.contact_phone, self.service_address, self.technician,
                 self.hq_reference, self.ack_reason, self.save_anyway, self.save_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self.focus_chain = chain
        self.opened_editors: list[QWidget] = []
        self._customers: dict[str, CustomerSummary] = {}
        self._product_choices_for(None)
        self._pristine = self._values()

        self.ctx.tasks.run(self.ctx.services.users.technicians, self._fill_technicians,
                           owner=self)
        if customer_id is not None:
            self.ctx.tasks.run(lambda: self.ctx.services.customers.file(
                customer_id, viewer=self.ctx.actor),
                               self._preset_customer, owner=self)

    # -- customer lookup ------------------------------------------------------------------------
    def find_customer(self) -> None:
        text = self.lookup.text().strip()
        if not text:
            return
        customers = self.ctx.services.customers
        self.ctx.tasks.run(lambda: customers.search(text, limit=20, viewer=self.ctx.actor),
                           lambda found: self._show_matches(text, found), owner=self)

    def _show_matches(self, text: str, found: list[CustomerSummary]) -> None:
        self.customer_choice.blockSignals(True)
        self.customer_choice.clear()
        self.customer_choice.addItem(tr("New customer"), NEW)
        for customer in found:
            self._customers[customer.id] = customer
            self.customer_choice.addItem(_customer_text(customer), customer.id)
        self.customer_choice.blockSignals(False)
        if found:
            self.customer_choice.setCurrentIndex(1)
            self._customer_chosen()
        else:
            self.customer_choice.setCurrentIndex(0)
            self._customer_chosen()
            if text.replace("-", "").replace(" ", "").isdigit():
                self.customer_phone.setText(text)
            self.editor.ctx.status_message(tr("No customer found; enter a new one."))

    def _preset_customer(self, file: CustomerFile) -> None:
        self._show_matches("", [file.customer])
        self._fill_products(file)
        self._pristine = self._values()  # the preset customer is no edit of the user's

    def _customer_chosen(self) -> None:
        customer_id = self.customer_choice.currentData()
        is_new = customer_id in (None, NEW)
        for widget in (self.customer_name, self.customer_phone, self.customer_address):
            widget.setEnabled(is_new)
        if is_new:
            self._product_choices_for(None)
            return
        customer = self._customers[customer_id]
        self.customer_name.setText(customer.name)
        self.customer_phone.setText("、".join(customer.phones))
        self.customer_address.setText(customer.address)
        self._product_choices_for(None)
        customers = self.ctx.services.customers
        self.ctx.tasks.run(lambda: customers.file(customer_id, viewer=self.ctx.actor),
                           self._fill_products, owner=self)

    def _fill_products(self, file: CustomerFile) -> None:
        if self.customer_choice.currentData() != file.customer.id:
            return  # the user chose someone else meanwhile
        self._product_choices_for(file)

    def _product_choices_for(self, file: CustomerFile | None) -> None:
        self.product_choice.blockSignals(True)
        self.product_choice.clear()
        for product in file.products if file else []:
            text = f"{product.model}  {product.serial_no}".strip()
            self.product_choice.addItem(text, product.id)
        self.product_choice.addItem(tr("New product"), NEW)
        self.product_choice.addItem(tr("(no product)"), None)
        self.product_choice.blockSignals(False)
        self.product_choice.setCurrentIndex(0)
        self._product_chosen()

    def _product_chosen(self) -> None:
        is_new = self.product_choice.currentData() == NEW
        for widget in (self.model, self.serial, self.has_purchase_date, self.invoice,
                       self.warranty_months):
            widget.setEnabled(is_new)
        self.purchase_date.setEnabled(is_new and self.has_purchase_date.isChecked())

    def _fill_technicians(self, technicians: list[UserInfo]) -> None:
        for tech in technicians:
            self.technician.addItem(tech.display_name, tech.id)

    # -- saving ---------------------------------------------------------------------------------
    def build_order(self) -> NewOrder:
        customer_id = self.customer_choice.currentData()
        customer = None
        if customer_id == NEW:
            customer_id = None
            phones = tuple(p for p in self.customer_phone.text().replace("、", ",").split(",")
                           if p.strip())
            customer = CustomerInput(self.customer_name.text(), phones,
                                     self.customer_address.text())
        product_id, product = self.product_choice.currentData(), None
        if product_id == NEW:
            product_id = None
            if self.model.text().strip() or self.serial.text().strip():
                product = ProductInput(self.model.text(), self.serial.text(),
                                       self.purchase.value(),
                                       self.invoice.text(), self.warranty_months.value())
        contact = self.contact_phone.text().strip()
        if not contact:
            contact = self.customer_phone.text().replace("、", ",").split(",")[0]
        return NewOrder(
            order_type=self.order_type.currentData(), source=self.source.currentData(),
            service_mode=self.service_mode.currentData(),
            fault_description=self.fault.toPlainText(), contact_phone=contact,
            customer_id=customer_id, customer=customer, product_id=product_id,
            product=product, service_address=self.service_address.text(),
            technician_id=self.technician.currentData(), hq_reference=self.hq_reference.text(),
        )

    def save(self, acknowledged: Ack | None = None) -> None:
        """Creates the order; the service's warnings come back as the warnings box."""
        for form in self._forms:
            form.clear_errors()
        self.ack_error.hide()
        if acknowledged is None:
            self._show_warnings([])
        new = self.build_order()
        self.save_button.setEnabled(False)
        self.save_anyway.setEnabled(False)
        ctx = self.ctx
        ctx.tasks.run(lambda: ctx.services.orders.create(ctx.actor, new, acknowledged),
                      self._created, self._failed, owner=self)

    def save_acknowledged(self) -> None:
        """Saves despite the warnings shown, with the reason typed beside them."""
        self.save(Ack.of(self._warnings, self.ack_reason.text()))

    def _created(self, detail: OrderDetail) -> None:
        self.ctx.status_message(tr("Order {number} created.", number=detail.number))
        self._show_warnings([])
        self._pristine = self._values()
        self.editor.show_detail(detail)

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.save_anyway.setEnabled(True)
        self.editor.save_failed()
        if isinstance(error, WarningsPending):
            self._show_warnings(list(error.warnings))
            return
        if getattr(error, "field", None) == "ack_reason":
            self.ack_error.setText(render(error))
            self.ack_error.show()
            self.ack_reason.setFocus()
            return
        self.show_error(error)

    def show_error(self, error: BaseException) -> None:
        """Marks every field the error names (``FieldErrors``: all of them at once) in the
        form that holds it; the first one gets the cursor."""
        errors = list(getattr(error, "errors", None) or [error])
        contact_empty = not self.contact_phone.text().strip()
        if contact_empty and any(getattr(e, "field", None) == "phones" for e in errors):
            # the empty contact phone stands for the customer's phone: one message there
            errors = [e for e in errors if getattr(e, "field", None) != "contact_phone"]
        elif contact_empty:
            errors = [_with_field(e, "phones") if getattr(e, "field", None) == "contact_phone"
                      else e for e in errors]
        first = True
        for error_one in errors:
            field = getattr(error_one, "field", None)
            form = next((f for f in self._forms if f.knows(field)), self.order_form)
            form.add_errors([error_one], focus=first)
            first = False
        if getattr(error, "template", None) is None:
            show_error(self, error)

    def _show_warnings(self, warnings: list[OrderWarning]) -> None:
        self._warnings = warnings
        while self.warned_orders.count():
            item = self.warned_orders.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        if not warnings:
            self.warnings_box.hide()
            self.ack_reason.clear()
            return
        self.warnings_text.setText("\n".join(
            tr(w.template, **w.params) for w in warnings))
        self.warnings_text.show()
        for warning in warnings:
            for ref in warning.orders:
                button = QPushButton(tr("Open {number} ({status})", number=ref.number,
                                        status=label(ref.status)),
                                     objectName=f"open_warned_{ref.number}")
                button.setAutoDefault(False)
                button.clicked.connect(lambda _=False, oid=ref.id: self.open_warned(oid))
                self.warned_orders.addWidget(button)
        self.warned_orders.addStretch(1)
        self.warnings_box.show()
        self.ack_reason.setFocus()

    def open_warned(self, order_id: str) -> QWidget:
        """Opens an order a warning lists in its own window (this form stays as it is)."""
        from app.ui.orders.editor_dialog import OrderEditor

        editor = OrderEditor(self.ctx, order_id, parent=self.editor)
        editor.show()
        self.opened_editors.append(editor)
        return editor

    def warning_texts(self) -> list[str]:
        return [] if self.warnings_box.isHidden() else self.warnings_text.text().splitlines()

    # -- unsaved edits --------------------------------------------------------------------------
    def _values(self) -> list[object]:
        values: list[object] = []
        for widget in self.focus_chain:
            if isinstance(widget, QLineEdit) and widget is not self.ack_reason:
                values.append(widget.text())
            elif isinstance(widget, MultiLineField):
                values.append(widget.toPlainText())
            elif isinstance(widget, QComboBox):
                values.append(widget.currentData())
            elif isinstance(widget, QSpinBox):
                values.append(widget.value())
        values.append(self.purchase.value())
        return values

    def has_unsaved(self) -> bool:
        return self._values() != self._pristine

    def error_text(self, field: str | None = None) -> str:
        form = next((f for f in self._forms if f.knows(field)), self.order_form)
        return form.error_text(field)


def _with_field(error: BaseException, field: str) -> RuleViolation:
    params = getattr(error, "params", {})
    return RuleViolation(getattr(error, "template", str(error)), field=field, **params)


def _customer_text(customer: CustomerSummary) -> str:
    return f"{customer.name}  {'、'.join(customer.phones)}  {customer.address}".strip()
