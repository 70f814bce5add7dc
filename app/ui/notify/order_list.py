"""通知: the messages queued for an order's customer, each with its event, channel, recipient
(masked as the viewer may read phones), and head office's state (排队/已发送/已送达/失败)
with its detail. Read-only; loaded off the GUI thread and reloaded when a pull brings a new
state (the ``notifications`` change) or the order changes."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.services import events, notifications
from app.services.notifications_sync import NOTIFICATIONS
from app.ui.extensions import UiContext
from app.ui.formatting import local_time

EVENT_TEXT = {
    "order_received": "Order received",
    "booked": "Visit booked",
    "moved": "Visit moved",
    "done": "Repair done",
    "visit_thanks": "Thanks for the return visit",
}
CHANNEL_TEXT = {"sms": "Text message", "email": "E-mail"}
STATE_TEXT = {"queued": "Queued", "sent": "Sent", "delivered": "Delivered",
              "failed": "Failed"}
COLUMNS = ("Event", "Channel", "Recipient", "State", "Detail", "Queued at")


class NotificationsDialog(QDialog):
    def __init__(self, ctx: UiContext, order_id: str, number: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.order_id = ctx, order_id
        self.setWindowTitle(tr("Notifications of order {number}", number=number))
        self.setMinimumWidth(720)
        self.table = QTableWidget(0, len(COLUMNS), objectName="notifications_table")
        self.table.setHorizontalHeaderLabels([tr(c) for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.empty = QLabel(tr("No message was queued for this order's customer (opted out, "
                               "or no mobile phone and no e-mail)."), objectName="no_messages")
        self.empty.setWordWrap(True)
        self.empty.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        ctx.changes.changed.connect(self._changed)
        self.reload()

    def _changed(self, kinds: frozenset[str]) -> None:
        if NOTIFICATIONS in kinds or events.ORDERS in kinds:
            self.reload()

    def reload(self) -> None:
        ctx, order_id = self.ctx, self.order_id
        ctx.tasks.run(lambda: notifications.order_messages(ctx.services.db, ctx.actor,
                                                           order_id),
                      self.show_rows, owner=self)

    def show_rows(self, rows: list[notifications.NotificationRow]) -> None:
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            detail = r.state_detail
            if r.attempts > 1 or (r.attempts and r.state != "delivered"):
                detail = tr("{detail} (attempt {n})", detail=detail, n=r.attempts)
            values = (tr(EVENT_TEXT.get(r.event, r.event)),
                      tr(CHANNEL_TEXT.get(r.channel, r.channel)), r.recipient,
                      tr(STATE_TEXT.get(r.state, r.state)), detail,
                      local_time(r.created_at))
            for j, text in enumerate(values):
                self.table.setItem(i, j, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.empty.setVisible(not rows)
        self.table.setVisible(bool(rows))


class NotificationsAction(QAction):
    def __init__(self, ctx: UiContext, editor: Any) -> None:
        super().__init__(tr("Notifications…"), editor)
        self.setObjectName("order_notifications")
        self.setShortcut(QKeySequence("Ctrl+Shift+T"))
        self.setToolTip(tr("The messages sent to the customer about this order"))
        self.ctx, self.editor = ctx, editor
        self.setEnabled(False)
        editor.order_loaded.connect(lambda detail: self.setEnabled(detail is not None))
        self.triggered.connect(self.open_dialog)

    def open_dialog(self) -> NotificationsDialog | None:
        detail = self.editor.current_order()
        if detail is None:
            return None
        dialog = NotificationsDialog(self.ctx, detail.id, detail.number, self.editor)
        dialog.show()
        return dialog


def notifications_action(ctx: UiContext, editor: Any) -> QAction | None:
    """The factory ``register_order_action`` takes; every role reads an order's messages."""
    return NotificationsAction(ctx, editor)
