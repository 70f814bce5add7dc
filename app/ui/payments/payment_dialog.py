"""收款 on an order: what the customer owes (the customer-paid lines), what came in and by
which method, what is still outstanding; taking a payment, and the manager's waiver of the
rest with a reason. Opened from the order editor's toolbar; every call runs off the GUI
thread and the fresh state is shown at once.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from app.domain.enums import OrderStatus
from app.domain.errors import RuleViolation
from app.domain.parts import PaymentMethod
from app.domain.permissions import Permission
from app.domain.validation import format_fen, parse_money_fen
from app.i18n import tr
from app.services.orders import OrderDetail
from app.services.payments import PAYABLE_STATES, OrderPayments
from app.ui.extensions import UiContext
from app.ui.formatting import label, local_time, yuan
from app.ui.parts.common import fill, make_table
from app.ui.widgets import reason
from app.ui.widgets.forms import ErrorForm

HEADERS = ("Time", "Kind", "Method", "Amount", "By", "Reason")


def may_take_payment(ctx: UiContext, detail: OrderDetail | None) -> bool:
    if detail is None or OrderStatus(detail.status) not in PAYABLE_STATES:
        return False
    return ctx.actor.may(Permission.PAYMENT_TAKE, assigned_to=detail.technician_id)


class PaymentDialog(QDialog):
    def __init__(self, ctx: UiContext, editor: Any, detail: OrderDetail) -> None:
        super().__init__(editor)
        self.ctx = ctx
        self.editor = editor
        self.order_id = detail.id
        self.state: OrderPayments | None = None
        self.setObjectName("payment_dialog")
        self.setWindowTitle(tr("Payment — {number}", number=detail.number))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(720, 460)

        self.summary = QLabel(objectName="payment_summary")
        self.summary.setWordWrap(True)
        self.table = make_table(HEADERS, "payments_table", {0: 130, 1: 60, 2: 80, 3: 90, 4: 80},
                                stretch=5)
        self.amount = QLineEdit(objectName="payment_amount")
        self.amount.setPlaceholderText("0.00")
        self.method = QComboBox(objectName="payment_method")
        for method in PaymentMethod:
            self.method.addItem(label(method), method)
        self.form = ErrorForm()
        self.form.add_row("Amount (yuan)", self.amount, "amount_fen")
        self.form.add_row("Payment method", self.method, "payment_method")
        self.form.add_general_error_row()
        self.receive_button = QPushButton(tr("Record payment"), objectName="receive_payment")
        self.receive_button.setShortcut(QKeySequence("Ctrl+Return"))
        self.receive_button.clicked.connect(self.receive)
        self.waive_button = QPushButton(tr("Waive the rest…"), objectName="waive_payment")
        self.waive_button.setToolTip(tr("The station manager lets the customer off what is "
                                        "outstanding, with a reason"))
        self.waive_button.clicked.connect(self.waive)
        self.waive_button.setVisible(ctx.actor.may(Permission.PAYMENT_WAIVE))
        close = QPushButton(tr("Close"))
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.waive_button)
        buttons.addStretch(1)
        buttons.addWidget(self.receive_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.form)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        service, order_id = self.ctx.services.payments, self.order_id
        self.ctx.tasks.run(lambda: service.state(order_id), self.show_state,
                           self.form.show_error, owner=self)

    def show_state(self, state: OrderPayments) -> None:
        self.state = state
        b = state.balance
        text = tr("Due from the customer {due} · paid {paid} · waived {waived} · "
                  "outstanding {outstanding} — {status}", due=yuan(b.due_fen),
                  paid=yuan(b.paid_fen), waived=yuan(b.waived_fen),
                  outstanding=yuan(b.outstanding_fen), status=label(state.status))
        if b.overpaid_fen:
            text += " · " + tr("overpaid {amount}", amount=yuan(b.overpaid_fen))
        self.summary.setText(text)
        fill(self.table, state.entries, lambda e: (
            local_time(e.received_at), label(e.kind), label(e.method) if e.method else "",
            yuan(e.amount_fen), e.received_by, e.reason), right=(3,))
        open_amount = b.outstanding_fen > 0
        self.amount.setText(format_fen(b.outstanding_fen) if open_amount else "")
        for widget in (self.amount, self.method, self.receive_button):
            widget.setEnabled(open_amount)
        self.waive_button.setEnabled(open_amount)

    def receive(self) -> None:
        self.form.clear_errors()
        try:
            amount = parse_money_fen(self.amount.text(), field="amount_fen")
        except RuleViolation as error:
            self.form.show_error(error)
            return
        method = self.method.currentData()
        ctx, order_id = self.ctx, self.order_id
        ctx.tasks.run(lambda: ctx.services.payments.receive(ctx.actor, order_id, amount, method),
                      self._written, self.form.show_error, owner=self)

    def waive(self) -> None:
        why = reason.ask_reason(self, "Waive payment", "Why is the rest waived?")
        if why is None:
            return
        self.form.clear_errors()
        ctx, order_id = self.ctx, self.order_id
        ctx.tasks.run(lambda: ctx.services.payments.waive(ctx.actor, order_id, why),
                      self._written, self.form.show_error, owner=self)

    def _written(self, state: OrderPayments) -> None:
        self.show_state(state)
        self.ctx.status_message(tr("Payment recorded for order {number}.",
                                   number=state.number))


class PaymentAction(QAction):
    def __init__(self, ctx: UiContext, editor: Any) -> None:
        super().__init__(tr("Payment…"), editor)
        self.setObjectName("order_payment")
        self.setToolTip(tr("Record what the customer paid for this order"))
        self.ctx = ctx
        self.editor = editor
        self.setEnabled(False)
        editor.order_loaded.connect(
            lambda detail: self.setEnabled(may_take_payment(ctx, detail)))
        self.triggered.connect(self.open_dialog)

    def open_dialog(self) -> PaymentDialog | None:
        detail = self.editor.current_order()
        if detail is None:
            return None
        dialog = PaymentDialog(self.ctx, self.editor, detail)
        dialog.show()
        return dialog


def payment_action(ctx: UiContext, editor: Any) -> QAction:
    return PaymentAction(ctx, editor)
