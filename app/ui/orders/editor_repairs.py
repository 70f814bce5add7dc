"""The "repair records" tab (维修情况登记): what was found and done, by whom, how long; a
record is corrected (修改) while the work is open or voided (作废) with a reason — a voided
record stays listed, struck through, and is left off the customer's paper."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import OrderStatus
from app.domain.permissions import Permission
from app.i18n import tr
from app.services.order_corrections import WORK_STATES
from app.services.orders import OrderDetail, RepairInfo
from app.ui.formatting import local_time
from app.ui.widgets import reason
from app.ui.widgets.forms import ErrorForm
from app.ui.widgets.text_field import MultiLineField

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
        self.diagnosis = MultiLineField(objectName="diagnosis")
        self.actions = MultiLineField(objectName="actions")
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
        self.edit_button = QPushButton(tr("Correct selected"), objectName="edit_repair")
        self.edit_button.setToolTip(tr("Load the selected record into the form to correct it"))
        self.edit_button.clicked.connect(self.load_selected)
        self.save_button = QPushButton(tr("Save correction"), objectName="save_repair")
        self.save_button.clicked.connect(self.save_correction)
        self.void_button = QPushButton(tr("Void selected…"), objectName="void_repair")
        self.void_button.setToolTip(tr("Void a record entered by mistake (a reason is kept)"))
        self.void_button.clicked.connect(self.void_selected)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self._records: list[RepairInfo] = []
        self._editing: str | None = None
        self._may_correct = False

        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.void_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.form)
        layout.addLayout(buttons)

    def show_detail(self, d: OrderDetail) -> None:
        self._records = list(d.repairs)
        self.table.setRowCount(len(d.repairs))
        grey = QBrush(QColor("#888888"))
        for row, rec in enumerate(d.repairs):
            diagnosis = rec.diagnosis
            if rec.voided:
                diagnosis = tr("[voided: {reason}] {diagnosis}", reason=rec.void_reason,
                               diagnosis=rec.diagnosis)
            values = (local_time(rec.created_at), rec.technician_name, diagnosis,
                      rec.actions, str(rec.labour_minutes))
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if rec.voided:
                    font = item.font()
                    font.setStrikeOut(True)
                    item.setFont(font)
                    item.setForeground(grey)
                    item.setToolTip(tr("Voided: {reason}", reason=rec.void_reason))
                self.table.setItem(row, col, item)
        actor = self.editor.ctx.actor
        working = OrderStatus(d.status) in WORK_STATES
        may_add = working and actor.may(Permission.ORDER_REPAIR_RECORD,
                                        assigned_to=d.technician_id)
        self._may_correct = working and actor.may(Permission.ORDER_CORRECT,
                                                  assigned_to=d.technician_id)
        for widget in (self.diagnosis, self.actions, self.minutes, self.add_button):
            widget.setEnabled(may_add)
        if self._editing and not any(r.id == self._editing for r in self._records):
            self._editing = None
        self._selection_changed()

    def selected_record(self) -> RepairInfo | None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        if len(rows) != 1:
            return None
        row = rows.pop()
        return self._records[row] if 0 <= row < len(self._records) else None

    def _selection_changed(self) -> None:
        chosen = self.selected_record()
        live = chosen is not None and not chosen.voided and self._may_correct
        self.edit_button.setEnabled(live)
        self.void_button.setEnabled(live)
        self.save_button.setVisible(self._editing is not None)
        self.save_button.setEnabled(self._editing is not None and self._may_correct)
        self.add_button.setVisible(self._editing is None)

    def load_selected(self) -> None:
        rec = self.selected_record()
        if rec is None or rec.voided:
            return
        self._editing = rec.id
        self.diagnosis.setPlainText(rec.diagnosis)
        self.actions.setPlainText(rec.actions)
        self.minutes.setValue(rec.labour_minutes)
        for widget in (self.diagnosis, self.actions, self.minutes):
            widget.setEnabled(True)
        self._selection_changed()
        self.diagnosis.setFocus()

    def save_correction(self) -> None:
        detail, record_id = self.editor.current_order(), self._editing
        if detail is None or record_id is None:
            return
        ctx, order_id = self.editor.ctx, detail.id
        diagnosis, actions = self.diagnosis.toPlainText(), self.actions.toPlainText()
        minutes = self.minutes.value()
        self.editor.run_service(
            lambda: ctx.services.corrections.edit_record(ctx.actor, order_id, record_id,
                                                         diagnosis, actions, minutes),
            self.form, on_done=lambda _d: self._clear())

    def void_selected(self) -> None:
        detail, rec = self.editor.current_order(), self.selected_record()
        if detail is None or rec is None:
            return
        why = reason.ask_reason(self, "Void repair record", "Why is this record void?")
        if why is None:
            return
        ctx, order_id, record_id = self.editor.ctx, detail.id, rec.id
        self.editor.run_service(
            lambda: ctx.services.corrections.void_record(ctx.actor, order_id, record_id, why),
            self.form)

    def has_unsaved(self) -> bool:
        """A record typed (or a correction loaded) but not saved yet."""
        typed = bool(self.diagnosis.toPlainText().strip() or self.actions.toPlainText().strip())
        return typed and (self._editing is not None or self.add_button.isEnabled())

    def save(self) -> None:
        """Ctrl+Enter and 保存 when closing: adds the typed record, or saves the correction."""
        if self._editing is not None:
            self.save_correction()
        else:
            self.add_record()

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
        self._editing = None
        self._selection_changed()
        self.diagnosis.clear()
        self.actions.clear()
        self.minutes.setValue(0)
