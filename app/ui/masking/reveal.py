"""The 显示完整号码 action (Ctrl+Shift+M) of the order editor and the customer file: for the
manager, whose screens show phones masked (138****5678). It asks the service for the full
numbers off the GUI thread; the service writes the reveal to the audit (who, whose number,
when) before it answers, so a number is never shown without its audit entry.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QPushButton, QWidget

from app.domain.permissions import Permission
from app.domain.phone_mask import is_masked
from app.i18n import render, tr
from app.services.customers import CustomerFile
from app.services.orders import OrderDetail
from app.services.phone_view import RevealedPhones
from app.ui.extensions import UiContext

SHORTCUT = "Ctrl+Shift+M"  # a line edit keeps Ctrl+H (backspace) for itself


def _masked(detail: OrderDetail | None) -> bool:
    return detail is not None and (is_masked(detail.contact_phone)
                                   or any(is_masked(p) for p in detail.customer.phones))


class OrderRevealAction(QAction):
    """In the order editor's toolbar: the order's contact phone and customer's phones."""

    def __init__(self, ctx: UiContext, editor: Any) -> None:
        super().__init__(tr("Show full number"), editor)
        self.setObjectName("order_reveal_phone")
        self.setShortcut(SHORTCUT)
        self.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.setToolTip(tr("Show the whole phone number ({keys}); the audit records who "
                           "saw it", keys=SHORTCUT))
        self.ctx = ctx
        self.editor = editor
        self.setEnabled(False)
        editor.addAction(self)  # the shortcut works wherever the focus is in the editor
        editor.order_loaded.connect(lambda d: self.setEnabled(_masked(d)))
        self.triggered.connect(self.reveal)

    def reveal(self) -> None:
        detail: OrderDetail | None = self.editor.current_order()
        if not _masked(detail):
            return
        assert detail is not None
        service, actor, order_id = self.ctx.services.orders, self.ctx.actor, detail.id
        self.ctx.tasks.run(lambda: service.reveal_phone(actor, order_id),
                           lambda phones: self._show(detail, phones),
                           lambda exc: self.editor.show_message(render(exc)), owner=self)

    def _show(self, detail: OrderDetail, phones: RevealedPhones) -> None:
        current = self.editor.current_order()
        if current is None or current.id != detail.id:
            return
        shown = dataclasses.replace(
            current, contact_phone=phones.contact_phone,
            customer=dataclasses.replace(current.customer, phones=phones.phones))
        if self.editor.has_unsaved():  # keep what is being typed: the header only
            self.editor.header.show_detail(shown)
        else:
            self.editor.show_detail(shown)
        self.ctx.status_message(tr("Full number shown; the audit records it."))


def order_reveal_action(ctx: UiContext, editor: Any) -> QAction | None:
    return OrderRevealAction(ctx, editor) if ctx.actor.may(Permission.PHONE_REVEAL) else None


class CustomerReveal(QPushButton):
    """On the customer file, beside its title: the customer's phones in full."""

    def __init__(self, ctx: UiContext, page: Any, parent: QWidget | None = None) -> None:
        super().__init__(tr("Show full number"), parent, objectName="customer_reveal_phone")
        self.ctx = ctx
        self.page = page
        self.setShortcut(SHORTCUT)
        self.setToolTip(tr("Show the whole phone number ({keys}); the audit records who "
                           "saw it", keys=SHORTCUT))
        self.setVisible(ctx.actor.may(Permission.PHONE_REVEAL))
        self.setEnabled(False)
        page.file_loaded.connect(self._loaded)
        self.clicked.connect(self.reveal)

    def _loaded(self, file: CustomerFile) -> None:
        self.setEnabled(any(is_masked(p) for p in file.customer.phones))

    def reveal(self) -> None:
        file: CustomerFile | None = self.page.file
        if file is None or not self.isEnabled():
            return
        service, actor, customer_id = self.ctx.services.customers, self.ctx.actor, \
            file.customer.id
        self.ctx.tasks.run(lambda: service.reveal_phone(actor, customer_id),
                           lambda phones: self._show(customer_id, phones), owner=self)

    def _show(self, customer_id: str, phones: tuple[str, ...]) -> None:
        file: CustomerFile | None = self.page.file
        if file is None or file.customer.id != customer_id:
            return
        customer = dataclasses.replace(file.customer, phones=phones)
        self.page.file = dataclasses.replace(file, customer=customer)
        self.page.title.setText(f"{customer.name}  {'、'.join(phones)}")
        details = self.page.details
        untouched = (details.customer is not None and details.customer.id == customer_id
                     and details.phones.text() == ", ".join(details.customer.phones))
        if untouched:  # the whole numbers to edit; what is being typed stays
            details.show_customer(customer)
        self.setEnabled(False)
        self.ctx.status_message(tr("Full number shown; the audit records it."))
