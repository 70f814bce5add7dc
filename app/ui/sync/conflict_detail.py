"""One sync conflict as a person reads and settles it (the lower half of the 冲突 page).

A stale head-office edit shows its fields side by side: the field, this station's value, head
office's value and the value both started from, with a choice per field (保留本站 / 采用总部 /
编辑, the last with an editor like the order form's). Other kinds get an explanation and the
actions that make sense for them. The widget only collects choices; the page sends them to
the services off the GUI thread and shows any refusal at the field it names.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import OrderStatus, OrderType, ServiceMode
from app.i18n import label, render, tr
from app.services import conflict_fields as cf
from app.services.sync_conflicts import FIELD_LABELS, ConflictInfo
from app.ui.formatting import local_time
from app.ui.sync import device_conflicts as dc
from app.ui.widgets.forms import ERROR_STYLE, error_label
from app.ui.widgets.text_field import MultiLineField

#: what each kind means, and what the person can do about it
EXPLAIN = {
    "stale_hq_edit": "Head office changed this order while the station was changing it too. "
                     "For each field, keep the station's value, take head office's, or type "
                     "the right one; the order is saved with your choice and head office is "
                     "told how it was settled.",
    "cancel_after_completion": "Head office cancelled this order after the station had "
                               "finished the work. Keep the completion (the usual answer: the "
                               "work was done), or cancel the order if head office is right.",
    "rejected_op": "Head office refused one of the station's changes and did not store it. "
                   "Read the reason, put it right at the station (or with head office), then "
                   "mark it settled.",
    "hq_conflict": "Head office reported a clash with one of the station's changes. Read the "
                   "details, agree with head office what is right, then mark it settled.",
    "unknown_order": "Head office sent a change for an order this station does not have. "
                     "Ask head office whether the order was sent to the right station, then "
                     "mark it settled.",
    "unknown_change": "Head office sent data this version of the program does not know. "
                      "Nothing was changed here; after the program is updated it can be "
                      "applied. Mark it settled once you have noted it.",
    "unreadable_change": "Head office sent a change that could not be applied (its data was "
                         "not valid). Nothing was changed here; tell head office, then mark "
                         "it settled.",
    "part_number_clash": "A catalogue part from head office has the same part number as a "
                         "different part at this station. Check the part with head office, "
                         "then mark it settled.",
    "unknown_parts_order": "Head office answered a parts order this station does not have. "
                           "Ask head office which station it belongs to, then mark it "
                           "settled.",
    "parts_order_cancelled": "Head office confirmed or shipped a parts order the station had "
                             "cancelled (or not yet submitted). Agree with head office whether "
                             "the parts are coming, then mark it settled.",
    "unknown_old_part": "Head office received or inspected an old part this station does not "
                        "have. Check the tag number with head office, then mark it settled.",
}
UNKNOWN_KIND = "Sync found a disagreement it could not settle on its own. Read both sides, " \
               "then mark it settled."
CHOICE_TEXT = {cf.OURS: "Keep ours", cf.THEIRS: "Take head office's", cf.EDITED: "Edit",
               cf.KEEP_COMPLETION: "Completion kept", cf.CANCEL_ORDER: "Order cancelled",
               cf.ACKNOWLEDGED: "Noted"}
ENUMS: dict[str, Any] = {"order_type": OrderType, "service_mode": ServiceMode}


def shown(name: str, value: str | None) -> str:
    """A field's value as the order form shows it (enum labels in Chinese)."""
    if value is None:
        return tr("(not known)")
    kind = ENUMS.get(name)
    if kind is not None:
        try:
            return label(kind(value))
        except ValueError:
            return value
    return value if value else tr("(empty)")


class FieldRow:
    """The widgets of one field: its values, the three choices and the editor."""

    def __init__(self, grid: QGridLayout, row: int, clash: cf.FieldClash, enabled: bool) -> None:
        self.clash = clash
        name = clash.name
        grid.addWidget(QLabel(tr(FIELD_LABELS.get(name, name))), row, 0)
        for column, value in ((1, clash.ours), (2, clash.theirs), (3, clash.base)):
            side = ("ours", "theirs", "base")[column - 1]
            cell = QLabel(shown(name, value), objectName=f"{name}_{side}")
            cell.setWordWrap(True)
            if column in (1, 2) and clash.differs:
                cell.setStyleSheet("font-weight: bold;")
            grid.addWidget(cell, row, column)
        self.group = QButtonGroup(grid)
        self.choices = choices = QWidget()
        box = QVBoxLayout(choices)
        box.setContentsMargins(0, 0, 0, 0)
        line = QHBoxLayout()
        self.buttons: dict[str, QRadioButton] = {}
        for choice in cf.FIELD_CHOICES:
            button = QRadioButton(tr(CHOICE_TEXT[choice]), objectName=f"{name}_{choice}")
            button.setEnabled(enabled)
            self.group.addButton(button)
            self.buttons[choice] = button
            line.addWidget(button)
        line.addStretch(1)
        box.addLayout(line)
        self.editor = self._editor(name, clash)
        self.editor.setObjectName(f"{name}_edit")
        self.editor.setEnabled(False)
        box.addWidget(self.editor)
        self.error = error_label()
        box.addWidget(self.error)
        grid.addWidget(choices, row, 4)
        self.buttons[cf.EDITED].toggled.connect(self.editor.setEnabled)
        if not clash.differs:
            self.buttons[cf.OURS].setChecked(True)

    @staticmethod
    def _editor(name: str, clash: cf.FieldClash) -> QWidget:
        start = clash.theirs or clash.ours or ""
        kind = ENUMS.get(name)
        if kind is not None:
            combo = QComboBox()
            for member in kind:
                combo.addItem(label(member), member.value)
            index = combo.findData(start)
            combo.setCurrentIndex(max(index, 0))
            return combo
        if name == "fault_description":
            text = MultiLineField()
            text.setPlainText(start)
            text.setMaximumHeight(80)
            return text
        return QLineEdit(start)

    def choice(self) -> tuple[str, str | None]:
        for choice, button in self.buttons.items():
            if button.isChecked():
                return choice, self.value() if choice == cf.EDITED else None
        return "", None

    def value(self) -> str:
        editor = self.editor
        if isinstance(editor, QComboBox):
            return str(editor.currentData())
        if isinstance(editor, QPlainTextEdit):
            return editor.toPlainText()
        assert isinstance(editor, QLineEdit)
        return editor.text()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        target = self.editor if self.buttons[cf.EDITED].isChecked() else self.buttons[cf.OURS]
        target.setFocus()

    def clear_error(self) -> None:
        self.error.hide()
        self.error.clear()


class ConflictDetail(QWidget):
    """Shows one conflict; emits what the person chose (the page carries it out)."""

    #: {field: (choice, value)} and the note
    settle_fields = Signal(dict, str)
    #: keep_completion | cancel_order, and the note
    settle_cancel = Signal(str, str)
    #: the note
    acknowledge = Signal(str)
    #: a clash between devices (issue 15): "ours" | "theirs", and the note
    settle_device = Signal(str, str)
    #: a stock shortage: 盘点 of the part (its number); 标记已处理 with the note
    count_part = Signal(str)
    settle_shortage = Signal(str)

    def __init__(self, can_settle: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflict_detail")
        self.can_settle = can_settle
        self.conflict: ConflictInfo | None = None
        self.rows: dict[str, FieldRow] = {}
        self.title = QLabel(objectName="conflict_title")
        self.title.setStyleSheet("font-weight: bold;")
        self.explain = QLabel(objectName="conflict_explain")
        self.explain.setWordWrap(True)
        self.sides = QLabel(objectName="conflict_sides")
        self.sides.setWordWrap(True)
        self.grid_holder = QWidget(objectName="conflict_fields")
        self.grid = QGridLayout(self.grid_holder)
        self.outcome = QLabel(objectName="conflict_outcome")
        self.outcome.setWordWrap(True)
        self.note = QLineEdit(objectName="resolution_note")
        self.note.setPlaceholderText(tr("What was done about it"))
        self.general = error_label()
        self.general.setObjectName("conflict_error")
        self.settle_button = QPushButton(tr("Settle with these choices"),
                                         objectName="settle_button")
        self.keep_button = QPushButton(tr("Confirm: keep the completion"),
                                       objectName="keep_button")
        self.cancel_button = QPushButton(tr("Cancel the order"), objectName="cancel_order_button")
        self.resolve_button = QPushButton(tr("Mark settled"), objectName="resolve_button")
        self.settle_button.clicked.connect(self._settle)
        self.keep_button.clicked.connect(
            lambda: self.settle_cancel.emit(cf.KEEP_COMPLETION, self.note.text()))
        self.cancel_button.clicked.connect(
            lambda: self.settle_cancel.emit(cf.CANCEL_ORDER, self.note.text()))
        self.resolve_button.clicked.connect(lambda: self.acknowledge.emit(self.note.text()))
        # Ctrl+Enter: the conflict's main action (never the cancel, which must be clicked)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self._main_action,
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.device_panel = dc.DeviceClashPanel(can_settle)
        self.device_panel.chosen.connect(
            lambda choice: self.settle_device.emit(choice, self.note.text()))
        self.shortage_panel = dc.ShortagePanel(can_settle)
        self.shortage_panel.count_part.connect(self.count_part)
        self.shortage_panel.settle.connect(lambda: self.settle_shortage.emit(self.note.text()))
        buttons = QHBoxLayout()
        buttons.addWidget(self.note, 1)
        for button in (self.settle_button, self.keep_button, self.cancel_button,
                       self.resolve_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.explain)
        layout.addWidget(self.sides)
        layout.addWidget(self.grid_holder)
        layout.addWidget(self.device_panel)
        layout.addWidget(self.shortage_panel)
        layout.addWidget(self.outcome)
        layout.addWidget(self.general)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.show_conflict(None)

    # -- showing ------------------------------------------------------------------------------
    def show_conflict(self, conflict: ConflictInfo | None) -> None:
        self.conflict = conflict
        self._clear_grid()
        self.general.hide()
        self.note.clear()
        open_ = conflict is not None and conflict.resolved_at is None
        kind = conflict.kind if conflict else ""
        # a clash between devices shows its own fields (all of them, this device's and the other's)
        has_fields = bool(conflict and conflict.fields) and kind not in dc.DEVICE_KINDS
        for button in (self.settle_button, self.keep_button, self.cancel_button,
                       self.resolve_button):
            button.hide()
        self.device_panel.hide()
        self.shortage_panel.hide()
        self.note.setVisible(open_ and self.can_settle)  # nothing to note for who may not settle
        if conflict is None:
            self.title.setText(tr("Choose a conflict above to see both sides."))
            self.explain.clear()
            self.sides.clear()
            self.outcome.clear()
            return
        subject = conflict.order_number or f"{tr(conflict.entity)} {conflict.entity_id}"
        self.title.setText(tr("{kind}: {subject}", kind=tr(KIND_TEXT.get(kind, kind)),
                              subject=subject))
        self.explain.setText(tr(EXPLAIN.get(kind, UNKNOWN_KIND)))
        if has_fields:
            self.sides.clear()
            self._fill_grid(conflict, open_ and self.can_settle)
        else:
            self.sides.setText(tr("This station: {ours}\nHead office: {theirs}",
                                  ours=conflict.local_summary or "—",
                                  theirs=conflict.remote_summary or "—"))
        self.outcome.setText(self._outcome(conflict))
        if kind in dc.DEVICE_KINDS:  # its fields follow (the page reads them)
            self.sides.clear()  # the panel says it in full
            self.device_panel.show_fields((), open_)
            self.device_panel.show()
            return
        if kind == dc.SHORTAGE_KIND:  # the part and its movements follow
            self.sides.clear()
            self.shortage_panel.show_shortage(None, open_)
            self.shortage_panel.show()
            return
        if not open_:
            return
        if has_fields:
            self.settle_button.show()
        elif kind == "cancel_after_completion":
            self.keep_button.show()
            self.cancel_button.show()
            status = conflict.order_status
            self.cancel_button.setEnabled(self.can_settle and status is not None
                                          and OrderStatus(status).open)
            self.cancel_button.setToolTip("" if self.cancel_button.isEnabled() else tr(
                "A finished order cannot be cancelled; reopen it first if head office is "
                "right."))
        else:
            self.resolve_button.show()
        for button in (self.settle_button, self.keep_button, self.resolve_button):
            button.setEnabled(self.can_settle)

    def _fill_grid(self, conflict: ConflictInfo, enabled: bool) -> None:
        settled = conflict.resolved_at is not None
        headers = ("Field", "This station", "Head office", "Both started from", "Your choice")
        for column, text in enumerate(headers[:4] if settled else headers):
            header = QLabel(tr(text))
            header.setStyleSheet("font-weight: bold;")
            self.grid.addWidget(header, 0, column)
        for row, clash in enumerate(conflict.fields, start=1):
            self.rows[clash.name] = FieldRow(self.grid, row, clash, enabled)
            if settled:  # how it was settled is shown below instead
                self.rows[clash.name].choices.hide()
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(2, 1)
        self.grid.setColumnStretch(3, 1)
        self.grid_holder.show()

    def _clear_grid(self) -> None:
        self.rows = {}
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.grid_holder.hide()

    @staticmethod
    def _outcome(c: ConflictInfo) -> str:
        if c.resolved_at is None:
            return ""
        lines = [tr("Settled by {user} at {time}.", user=c.resolved_by or "?",
                    time=local_time(c.resolved_at))]
        for name, item in c.resolution.items():
            choice = tr(CHOICE_TEXT.get(str(item.get("choice")), str(item.get("choice"))))
            if name == cf.ACTION:
                lines.append(choice)
            else:
                lines.append(tr("{field}: {choice} → {value}",
                                field=tr(FIELD_LABELS.get(name, name)), choice=choice,
                                value=shown(name, _text(item.get("value")))))
        if c.resolution_note:
            lines.append(tr("Note: {note}", note=c.resolution_note))
        return "\n".join(lines)

    # -- choosing -----------------------------------------------------------------------------
    def _main_action(self) -> None:
        for button in (self.settle_button, self.keep_button, self.resolve_button):
            if button.isVisibleTo(self) and button.isEnabled():
                button.click()
                return

    def _settle(self) -> None:
        self.clear_errors()
        choices = {name: row.choice() for name, row in self.rows.items()}
        self.settle_fields.emit(choices, self.note.text())

    def show_error(self, error: BaseException) -> None:
        """A refusal from the services, under the field it names (else below the table)."""
        self.clear_errors()
        row = self.rows.get(str(getattr(error, "field", "") or ""))
        if row is not None:
            row.show_error(render(error))
            return
        self.general.setText(render(error))
        self.general.setStyleSheet(ERROR_STYLE)
        self.general.show()

    def clear_errors(self) -> None:
        self.general.hide()
        for row in self.rows.values():
            row.clear_error()


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


#: conflict kinds as people read them
KIND_TEXT = {
    "cancel_after_completion": "Head office cancelled finished work",
    "stale_hq_edit": "Head office edited an order changed here",
    "rejected_op": "Head office refused a change",
    "hq_conflict": "Head office reported a clash",
    "unknown_order": "Head office named an unknown order",
    "unknown_change": "Head office sent something this version does not know",
    "unreadable_change": "Head office sent a change that could not be applied",
    "part_number_clash": "A head-office part number clashes with one here",
    "unknown_parts_order": "Head office answered an unknown parts order",
    "parts_order_cancelled": "Head office answered a cancelled parts order",
    "unknown_old_part": "Head office named an unknown old part",
}
KIND_TEXT.update(dc.KIND_TEXT)
EXPLAIN.update(dc.EXPLAIN)
