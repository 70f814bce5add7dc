"""客户签字 on an order: the customer signs on the pad with his name typed beside it; the
dialog shows whether the order is signed (who, when, taken by whom), and the manager's
重开签字 voids the signature with a reason so the charges can change. Opened from the order
editor's toolbar (Ctrl+Shift+G); the PNG is drawn on the GUI thread, every service call runs
off it through the task runner.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from app.domain.enums import OrderStatus
from app.domain.permissions import Permission
from app.i18n import tr
from app.services.orders import OrderDetail
from app.services.signatures import MAX_SIGNER, SignatureInfo
from app.ui.extensions import UiContext
from app.ui.formatting import local_time
from app.ui.signature.pad import SignaturePad
from app.ui.widgets import reason
from app.ui.widgets.forms import ErrorForm

SHORTCUT = "Ctrl+Shift+G"


def may_sign(ctx: UiContext, detail: OrderDetail | None) -> bool:
    if detail is None or OrderStatus(detail.status) is OrderStatus.CANCELLED:
        return False
    return (ctx.actor.may(Permission.SIGNATURE_TAKE, assigned_to=detail.technician_id)
            or ctx.actor.may(Permission.SIGNATURE_REOPEN, assigned_to=detail.technician_id))


class SignatureDialog(QDialog):
    def __init__(self, ctx: UiContext, editor: Any, detail: OrderDetail) -> None:
        super().__init__(editor)
        self.ctx = ctx
        self.editor = editor
        self.order_id = detail.id
        self.signature: SignatureInfo | None = None
        self.setObjectName("signature_dialog")
        self.setWindowTitle(tr("Customer signature — {number}", number=detail.number))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        may_take = ctx.actor.may(Permission.SIGNATURE_TAKE, assigned_to=detail.technician_id)
        self.may_reopen = ctx.actor.may(Permission.SIGNATURE_REOPEN,
                                        assigned_to=detail.technician_id)

        self.state = QLabel(objectName="signature_state")
        self.state.setWordWrap(True)
        self.prompt = QLabel(tr("Please check the work and the charges ({total}), then sign "
                                "in the box.", total=_total(detail)))
        self.prompt.setWordWrap(True)
        self.name = QLineEdit(detail.customer.name, objectName="signer_name")
        self.name.setMaxLength(MAX_SIGNER)
        self.pad = SignaturePad(self)
        self.form = ErrorForm()
        self.form.add_row("Signer's name", self.name, "signer_name")
        self.form.add_row("Signature", self.pad, "image")
        self.form.add_general_error_row()
        self.clear_button = QPushButton(tr("Clear the pad"), objectName="signature_clear")
        self.clear_button.setShortcut(QKeySequence("Ctrl+Backspace"))
        self.clear_button.clicked.connect(self.pad.clear)
        self.confirm_button = QPushButton(tr("Confirm"), objectName="signature_confirm")
        self.confirm_button.setShortcut(QKeySequence("Ctrl+Return"))
        self.confirm_button.setDefault(True)
        self.confirm_button.clicked.connect(self.confirm)
        self.reopen_button = QPushButton(tr("Reopen signature…"),
                                         objectName="signature_reopen")
        self.reopen_button.setToolTip(tr("Void the signature with a reason so the charges "
                                         "can change; the customer signs again"))
        self.reopen_button.clicked.connect(self.reopen)
        close = QPushButton(tr("Close"))
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reopen_button)
        buttons.addStretch(1)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addWidget(self.prompt)
        layout.addLayout(self.form)
        layout.addLayout(buttons)
        self._may_take = may_take
        self._show(None)
        self.reload()

    def reload(self) -> None:
        service, order_id = self.ctx.services.signatures, self.order_id
        self.ctx.tasks.run(lambda: service.current(order_id), self._show,
                           self.form.show_error, owner=self)

    def _show(self, info: SignatureInfo | None) -> None:
        self.signature = info
        signed = info is not None and info.valid
        if info is None:
            self.state.setText(tr("Not signed yet."))
        elif info.valid:
            self.state.setText(tr("Signed by {name} at {time} (taken by {user}).",
                                  name=info.signer_name, time=local_time(info.signed_at),
                                  user=info.taken_by or "-"))
        else:
            self.state.setText(tr("Signed by {name} at {time}, but the charges have changed "
                                  "since: the customer signs again.", name=info.signer_name,
                                  time=local_time(info.signed_at)))
        taking = self._may_take and not signed
        self.pad.show_png(info.image_png if signed and info is not None else None)
        for widget in (self.prompt, self.name, self.pad, self.clear_button,
                       self.confirm_button):
            widget.setEnabled(taking)
        self.reopen_button.setVisible(self.may_reopen and info is not None)

    def confirm(self) -> None:
        self.form.clear_errors()
        png = self.pad.to_png()  # painted here, on the GUI thread
        name = self.name.text()
        ctx, order_id = self.ctx, self.order_id
        ctx.tasks.run(lambda: ctx.services.signatures.sign(ctx.actor, order_id, name, png),
                      self._signed, self.form.show_error, owner=self)

    def _signed(self, info: SignatureInfo) -> None:
        self._show(info)
        self.ctx.status_message(tr("The customer signed: {name}.", name=info.signer_name))
        self._refresh_editor()

    def reopen(self, why: str | None = None) -> None:
        if why is None:
            why = reason.ask_reason(self, "Reopen signature",
                                    "Why must the signed charges change?")
        if why is None:
            return
        self.form.clear_errors()
        ctx, order_id = self.ctx, self.order_id
        ctx.tasks.run(lambda: ctx.services.signatures.reopen(ctx.actor, order_id, why),
                      self._reopened, self.form.show_error, owner=self)

    def _reopened(self, _result: object) -> None:
        self.pad.clear()
        self._show(None)
        self.ctx.status_message(tr("The signature was voided; the charges can change."))
        self._refresh_editor()

    def _refresh_editor(self) -> None:
        load = getattr(self.editor, "load", None)
        if callable(load):
            load()


def _total(detail: OrderDetail) -> str:
    from app.ui.formatting import yuan

    return yuan(sum(c.quantity * c.unit_price_fen for c in detail.charges))


class SignatureAction(QAction):
    def __init__(self, ctx: UiContext, editor: Any) -> None:
        super().__init__(tr("Customer signature…"), editor)
        self.setObjectName("order_signature")
        self.setShortcut(QKeySequence(SHORTCUT))
        self.setToolTip(tr("The customer signs the repair on screen ({keys})", keys=SHORTCUT))
        self.ctx = ctx
        self.editor = editor
        self.setEnabled(False)
        editor.order_loaded.connect(lambda detail: self.setEnabled(may_sign(ctx, detail)))
        self.triggered.connect(self.open_dialog)

    def open_dialog(self) -> SignatureDialog | None:
        detail = self.editor.current_order()
        if detail is None:
            return None
        dialog = SignatureDialog(self.ctx, self.editor, detail)
        dialog.show()
        return dialog


def signature_action(ctx: UiContext, editor: Any) -> QAction:
    return SignatureAction(ctx, editor)
