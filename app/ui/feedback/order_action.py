"""填写质量反馈卡 in the order editor's toolbar: opens the order's draft feedback card, or
starts one prefilled from the order (model, serial, fault, the first part used), in a window
of its own. Esc or closing with unsaved edits asks first.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from app.domain.enums import OrderStatus
from app.domain.feedback import FeedbackStatus
from app.domain.permissions import Permission
from app.i18n import render, tr
from app.services.feedback import FeedbackDetail
from app.services.orders import OrderDetail
from app.ui.extensions import UiContext
from app.ui.feedback.form import FeedbackForm, FeedbackPrompts
from app.ui.widgets.messages import show_message


class FeedbackDialog(QDialog):
    """One card in a window; asks before dropping unsaved edits."""

    def __init__(self, ctx: UiContext, prompts: FeedbackPrompts | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("feedback_dialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(tr("Quality feedback card"))
        self.resize(820, 760)
        self.prompts = prompts or FeedbackPrompts()
        self.form = FeedbackForm(ctx, self.prompts, self)
        self.form.loaded.connect(self._loaded)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)

    def _loaded(self, detail: FeedbackDetail) -> None:
        self.setWindowTitle(tr("Quality feedback card {number}", number=detail.number))

    def reject(self) -> None:
        """Esc, and the window's close button (QDialog's closeEvent rejects; a dialog still
        shown afterwards keeps the close from happening)."""
        if self.form.dirty() and not self.prompts.discard_changes(self):
            return
        super().reject()


class FeedbackOrderAction(QAction):
    def __init__(self, ctx: UiContext, editor: Any,
                 prompts: FeedbackPrompts | None = None) -> None:
        super().__init__(tr("Quality feedback card…"), editor)
        self.setObjectName("order_feedback")
        self.setToolTip(tr("Fill in the product quality feedback card of this order"))
        self.ctx = ctx
        self.editor = editor
        self.prompts = prompts
        self.dialog: FeedbackDialog | None = None
        self.setEnabled(False)
        editor.order_loaded.connect(self._order_loaded)
        self.triggered.connect(self.open_card)

    def _order_loaded(self, detail: OrderDetail) -> None:
        self.setEnabled(detail is not None and detail.status is not OrderStatus.CANCELLED
                        and self.ctx.actor.may(Permission.FEEDBACK_WRITE,
                                               assigned_to=detail.technician_id))

    def open_card(self) -> None:
        """The order's draft when it has one, else a new card from the order."""
        order_id, service, actor = self.editor.order_id(), self.ctx.services.feedback, \
            self.ctx.actor
        if order_id is None:
            return

        def work() -> FeedbackDetail:
            drafts = [r for r in service.for_order(order_id)
                      if r.status is FeedbackStatus.DRAFT]
            if drafts:
                return service.detail(drafts[0].id)
            return service.new_from_order(actor, order_id)

        self.ctx.tasks.run(work, self._show, self._failed, owner=self.editor)

    def _show(self, detail: FeedbackDetail) -> None:
        if self.dialog is None:
            self.dialog = FeedbackDialog(self.ctx, self.prompts, self.editor)
            self.dialog.destroyed.connect(self._closed)
        self.dialog.form.show_card(detail)
        self.dialog._loaded(detail)
        self.dialog.show()
        self.dialog.raise_()

    def _failed(self, error: BaseException) -> None:
        show_message(self.editor, render(error), "Quality feedback")

    def _closed(self) -> None:
        self.dialog = None


def feedback_order_action(ctx: UiContext, editor: Any) -> QAction | None:
    """The factory ``register_order_action`` takes; every role may start a card (the
    service refuses a technician's card for another technician's order)."""
    return FeedbackOrderAction(ctx, editor)
