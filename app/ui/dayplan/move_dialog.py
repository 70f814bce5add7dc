"""The questions a move of a visit asks (改约): why, and whose reason it is (客户原因 /
本站原因), in ``MoveDialog``; then the booking's warnings (the technician double-booked, the
window after the 24 h promise) to acknowledge. ``MovePrompts`` asks them with real dialogs;
tests pass their own answers.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.appointments import MAX_REASON, ReasonParty
from app.i18n import tr


class MoveDialog(QDialog):
    """改约: what is moved where, the reason (required) and whose reason it is."""

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("move_dialog")
        self.setWindowTitle(tr("Move the visit"))
        self.summary = QLabel(what, objectName="move_summary")
        self.summary.setWordWrap(True)
        self.reason = QLineEdit(objectName="move_reason")
        self.reason.setMaxLength(MAX_REASON)
        self.reason.setPlaceholderText(tr("Why is the visit moved?"))
        self.customer = QRadioButton(tr("The customer's reason"), objectName="party_customer")
        self.station = QRadioButton(tr("The station's reason"), objectName="party_station")
        self.customer.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.customer)
        group.addButton(self.station)
        self.error = QLabel(objectName="move_error")
        self.error.setStyleSheet("color: #b00020")
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Move"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel(tr("Reason for moving")))
        layout.addWidget(self.reason)
        layout.addWidget(QLabel(tr("Who asked for it")))
        layout.addWidget(self.customer)
        layout.addWidget(self.station)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def accept(self) -> None:
        if not self.reason.text().strip():
            self.error.setText(tr("Say why the visit is moved."))
            self.error.show()
            self.reason.setFocus()
            return
        super().accept()

    def answer(self) -> tuple[str, ReasonParty]:
        party = ReasonParty.CUSTOMER if self.customer.isChecked() else ReasonParty.STATION
        return self.reason.text().strip(), party


class MovePrompts:
    """The modal questions of a move; a test replaces them with its answers."""

    def move_reason(self, parent: QWidget, what: str) -> tuple[str, ReasonParty] | None:
        dialog = MoveDialog(what, parent)
        return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def confirm_warnings(self, parent: QWidget, text: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, tr("Check before moving"), text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                          parent)
        box.button(QMessageBox.StandardButton.Yes).setText(tr("Move anyway"))
        box.button(QMessageBox.StandardButton.No).setText(tr("Do not move"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes
