"""The 新建客户 dialog: a customer file opened without an order (a walk-in enquiry, a
customer calling to register a purchase). The service validates; errors show at the field.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.services.customers import CustomerInput, CustomerSummary
from app.ui.customers.details import split_phones
from app.ui.extensions import UiContext
from app.ui.widgets.forms import ErrorForm
from app.ui.widgets.text_field import MultiLineField


class NewCustomerDialog(QDialog):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None, searched: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.created: CustomerSummary | None = None
        self.setWindowTitle(tr("Add customer"))
        self.setMinimumWidth(460)
        self.form = ErrorForm()
        self.name = QLineEdit(objectName="new_customer_name")
        self.phones = QLineEdit(objectName="new_customer_phones")
        self.phones.setPlaceholderText(tr("Several numbers separated by commas"))
        self.address = QLineEdit(objectName="new_customer_address")
        self.notes = MultiLineField(objectName="new_customer_notes")
        self.notes.setMaximumHeight(70)
        self.form.add_row("Customer name", self.name, "name")
        self.form.add_row("Phones", self.phones, "phones")
        self.form.add_row("Address", self.address, "address")
        self.form.add_row("Notes", self.notes, "notes")
        # the customer notifications (客户通知): an e-mail where no text message reaches
        self.email = QLineEdit(objectName="new_customer_email")
        self.email.setPlaceholderText(tr("name@example.com"))
        self.opt_out = QCheckBox(tr("No messages to this customer"),
                                 objectName="new_customer_notify_opt_out")
        self.form.add_row("E-mail", self.email, "email")
        self.form.add_row("Notifications", self.opt_out, "notify_opt_out")
        self.form.add_general_error_row()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)
        # a phone the clerk searched for (and did not find) is the new customer's phone
        searched = searched.strip()
        if searched and searched.replace("-", "").replace(" ", "").isdigit():
            self.phones.setText(searched)
        self.name.setFocus()

    def save(self) -> None:
        self.form.clear_errors()
        data = CustomerInput(self.name.text(), split_phones(self.phones.text()),
                             self.address.text(), self.notes.toPlainText(),
                             self.email.text(), self.opt_out.isChecked())
        ctx = self.ctx
        self.buttons.setEnabled(False)
        ctx.tasks.run(lambda: ctx.services.customers.create(ctx.actor, data), self._saved,
                      self._failed, owner=self)

    def _saved(self, customer: CustomerSummary) -> None:
        self.created = customer
        self.ctx.status_message(tr("Customer {name} saved.", name=customer.name))
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.form.show_error(error)
