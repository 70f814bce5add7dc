"""补录时间: the technician or the manager enters the real arrival and completion times after
the fact (the buttons stamp "now", which is wrong when the order is recorded later). The
service bounds them (not before the call, not in the future, completion not before arrival)
and audits the change; this dialog only shows the current times and sends the new ones.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import OrderStatus
from app.domain.permissions import Permission
from app.i18n import tr
from app.services.order_corrections import ARRIVED_STATES, COMPLETED_STATES
from app.services.orders import OrderDetail
from app.ui.extensions import UiContext
from app.ui.formatting import local_time
from app.ui.widgets.forms import ErrorForm


def may_enter_times(ctx: UiContext, detail: OrderDetail | None) -> bool:
    if detail is None or OrderStatus(detail.status) not in ARRIVED_STATES:
        return False
    return ctx.actor.may(Permission.ORDER_TIMES, assigned_to=detail.technician_id)


class _TimeRow(QWidget):
    """A checkbox "change it" and the local date-time to set."""

    def __init__(self, name: str, current: datetime | None, enabled: bool) -> None:
        super().__init__()
        self.change = QCheckBox(tr("Change"), objectName=f"change_{name}")
        self.edit = QDateTimeEdit(objectName=name)
        self.edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.edit.setCalendarPopup(True)
        start = current.astimezone() if current else datetime.now().astimezone()
        self.edit.setDateTime(QDateTime(start.replace(tzinfo=None, second=0, microsecond=0)))
        self.edit.setEnabled(False)
        self.change.setEnabled(enabled)
        self.change.toggled.connect(self.edit.setEnabled)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.change)
        row.addWidget(self.edit, 1)

    def value(self) -> datetime | None:
        if not self.change.isChecked():
            return None
        local = self.edit.dateTime().toPython()
        return local.astimezone()  # the station's local time, made aware


class TimesDialog(QDialog):
    def __init__(self, ctx: UiContext, editor: Any, detail: OrderDetail) -> None:
        super().__init__(editor)
        self.ctx = ctx
        self.editor = editor
        self.detail = detail
        self.setObjectName("times_dialog")
        self.setWindowTitle(tr("Enter service times — {number}", number=detail.number))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        status = OrderStatus(detail.status)
        self.arrived = _TimeRow("arrived_at", detail.arrived_at, status in ARRIVED_STATES)
        self.cleared = _TimeRow("cleared_at", detail.cleared_at, status in COMPLETED_STATES)
        self.form = ErrorForm()
        self.form.addRow(tr("Called"), QLabel(local_time(detail.called_at)))
        self.form.add_row("Arrived", self.arrived, "arrived_at")
        self.form.add_row("Completed", self.cleared, "cleared_at")
        self.form.add_general_error_row()
        note = QLabel(tr("Times may not be before the call or in the future; the change is "
                         "kept in the audit log."))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setShortcut(QKeySequence("Ctrl+Return"))
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def save(self) -> None:
        arrived, cleared = self.arrived.value(), self.cleared.value()
        ctx, order_id, revision = self.ctx, self.detail.id, self.detail.revision
        self.form.clear_errors()

        def done(detail: OrderDetail) -> None:
            self.editor.show_detail(detail)
            self.accept()

        ctx.tasks.run(
            lambda: ctx.services.corrections.set_times(ctx.actor, order_id, revision,
                                                       arrived_at=arrived, cleared_at=cleared),
            done, self.form.show_error, owner=self)


class TimesAction(QAction):
    def __init__(self, ctx: UiContext, editor: Any) -> None:
        super().__init__(tr("Enter times…"), editor)
        self.setObjectName("enter_times")
        self.setToolTip(tr("Enter the real arrival and completion times afterwards"))
        self.ctx = ctx
        self.editor = editor
        self.setEnabled(False)
        editor.order_loaded.connect(
            lambda detail: self.setEnabled(may_enter_times(ctx, detail)))
        self.triggered.connect(self.open_dialog)

    def open_dialog(self) -> TimesDialog | None:
        detail = self.editor.current_order()
        if detail is None:
            return None
        dialog = TimesDialog(self.ctx, self.editor, detail)
        dialog.show()
        return dialog


def times_action(ctx: UiContext, editor: Any) -> QAction | None:
    """The factory ``register_order_action`` takes; clerks do not enter service times."""
    if not ctx.actor.may(Permission.ORDER_TIMES):
        return None
    return TimesAction(ctx, editor)
