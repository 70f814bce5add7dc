"""The "repair records" tab (维修情况登记): what was found and done, by whom, how long."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import Role
from app.i18n import tr
from app.services.orders import OrderDetail
from app.ui.formatting import local_time
from app.ui.widgets.forms import ErrorForm

if TYPE_CHECKING:
    from app.ui.orders.editor_dialog import OrderEditor

HEADERS = ("Time", "Technician", "Diagnosis", "Actions taken", "Minutes")


class RepairsTab(QWidget):
    def __init__(self, editor: OrderEditor) -> None:
        super().__init__()
        self.editor = editor
        self.table = QTableWidget(0, len(HEADERS), objectName="repairs_table")
        self.table.setHorizontalHeaderLabels([tr(h) for h in HEADERS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents)

        self.form = ErrorForm()
        self.diagnosis = QPlainTextEdit(objectName="diagnosis")
        self.actions = QPlainTextEdit(objectName="actions")
        for box in (self.diagnosis, self.actions):
            box.setMaximumHeight(70)
        self.minutes = QSpinBox(objectName="labour_minutes")
        self.minutes.setRange(0, 10_000)
        self.minutes.setSuffix(" " + tr("min"))
        self.form.add_row("Diagnosis", self.diagnosis, "diagnosis")
        self.form.add_row("Actions taken", self.actions, "actions")
        self.form.add_row("Labour minutes", self.minutes, "labour_minutes")
        self.form.add_general_error_row()
        self.add_button = QPushButton(tr("Add repair record"), objectName="add_repair")
        self.add_button.clicked.connect(self.add_record)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.form)
        layout.addLayout(buttons)

    def show_detail(self, d: OrderDetail) -> None:
        self.table.setRowCount(len(d.repairs))
        for row, rec in enumerate(d.repairs):
            values = (local_time(rec.created_at), rec.technician_name, rec.diagnosis,
                      rec.actions, str(rec.labour_minutes))
            for col, value in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(value))
        actor = self.editor.ctx.actor
        may_add = d.status.open and (
            actor.role is not Role.TECHNICIAN or d.technician_id == actor.user_id)
        for widget in (self.diagnosis, self.actions, self.minutes, self.add_button):
            widget.setEnabled(may_add)

    def add_record(self) -> None:
        detail = self.editor.current_order()
        if detail is None:
            return
        ctx, order_id = self.editor.ctx, detail.id
        diagnosis, actions = self.diagnosis.toPlainText(), self.actions.toPlainText()
        minutes = self.minutes.value()
        self.editor.run_service(
            lambda: ctx.services.orders.add_repair_record(ctx.actor, order_id, diagnosis,
                                                          actions, minutes),
            self.form, on_done=lambda _d: self._clear())

    def _clear(self) -> None:
        self.diagnosis.clear()
        self.actions.clear()
        self.minutes.setValue(0)
