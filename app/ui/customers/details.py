"""A customer's own fields (name, phones, address, notes), saved with the revision they were
read at so a concurrent change is refused instead of overwritten.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.permissions import Permission
from app.i18n import tr
from app.services.customers import CustomerInput, CustomerSummary
from app.services.errors import StaleEdit
from app.ui.extensions import UiContext
from app.ui.widgets.forms import ErrorForm
from app.ui.widgets.messages import show_error
from app.ui.widgets.text_field import MultiLineField


def split_phones(text: str) -> tuple[str, ...]:
    parts = text.replace("、", ",").replace(";", ",").replace("，", ",").split(",")
    return tuple(p.strip() for p in parts if p.strip())


class CustomerDetails(QWidget):
    def __init__(self, ctx: UiContext, on_saved: Callable[[CustomerSummary], None],
                 on_stale: Callable[[], None]) -> None:
        super().__init__()
        self.ctx = ctx
        self._on_saved = on_saved
        self._on_stale = on_stale
        self.customer: CustomerSummary | None = None
        self.form = ErrorForm()
        self.name = QLineEdit(objectName="customer_name")
        self.phones = QLineEdit(objectName="customer_phones")
        self.phones.setPlaceholderText(tr("Several numbers separated by commas"))
        self.address = QLineEdit(objectName="customer_address")
        self.notes = MultiLineField(objectName="customer_notes")
        self.notes.setMaximumHeight(60)
        self.form.add_row("Customer name", self.name, "name")
        self.form.add_row("Phones", self.phones, "phones")
        self.form.add_row("Address", self.address, "address")
        self.form.add_row("Notes", self.notes, "notes")
        # the customer notifications (客户通知): an e-mail where no text message reaches
        self.email = QLineEdit(objectName="customer_email")
        self.email.setPlaceholderText(tr("name@example.com"))
        self.opt_out = QCheckBox(tr("No messages to this customer"),
                                 objectName="customer_notify_opt_out")
        self.form.add_row("E-mail", self.email, "email")
        self.form.add_row("Notifications", self.opt_out, "notify_opt_out")
        self.form.add_general_error_row()
        self.save_button = QPushButton(tr("Save customer"), objectName="save_customer")
        self.save_button.clicked.connect(self.save)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.form)
        layout.addLayout(buttons)

    def show_customer(self, customer: CustomerSummary) -> None:
        self.customer = customer
        self.form.clear_errors()
        self.name.setText(customer.name)
        self.phones.setText(", ".join(customer.phones))
        self.address.setText(customer.address)
        self.address.setCursorPosition(0)
        self.notes.setPlainText(customer.notes)
        self.email.setText(customer.email)
        self.opt_out.setChecked(customer.notify_opt_out)
        may_edit = self.ctx.actor.may(Permission.CUSTOMER_EDIT)
        for widget in (self.name, self.phones, self.address, self.notes, self.email,
                       self.opt_out, self.save_button):
            widget.setEnabled(may_edit)

    def clear(self) -> None:
        """No customer shown (a search found nobody)."""
        self.customer = None
        self.form.clear_errors()
        for widget in (self.name, self.phones, self.address, self.email):
            widget.clear()
        self.notes.clear()
        self.opt_out.setChecked(False)

    def save(self) -> None:
        if self.customer is None:
            return
        self.form.clear_errors()
        data = CustomerInput(self.name.text(), split_phones(self.phones.text()),
                             self.address.text(), self.notes.toPlainText(),
                             self.email.text(), self.opt_out.isChecked())
        ctx, customer_id, revision = self.ctx, self.customer.id, self.customer.revision
        ctx.tasks.run(lambda: ctx.services.customers.update(ctx.actor, customer_id, data,
                                                            revision),
                      self._saved, self._failed, owner=self)

    def _saved(self, customer: CustomerSummary) -> None:
        self.show_customer(customer)
        self.ctx.status_message(tr("Customer {name} saved.", name=customer.name))
        self._on_saved(customer)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, StaleEdit):
            show_error(self, error)
            self._on_stale()
            return
        self.form.show_error(error)
