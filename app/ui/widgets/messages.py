"""Non-blocking message boxes: errors rendered in the user's language.

``open()`` instead of ``exec()`` keeps the event loop (and the task runner) running and lets
tests find and close the box.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.i18n import render, tr


def show_error(parent: QWidget | None, error: BaseException, title_source: str = "Error") -> \
        QMessageBox:
    return show_message(parent, render(error), title_source, QMessageBox.Icon.Warning)


def show_message(
    parent: QWidget | None, text: str, title_source: str = "Repair Station",
    icon: QMessageBox.Icon = QMessageBox.Icon.Information,
) -> QMessageBox:
    box = QMessageBox(icon, tr(title_source), text, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setObjectName("message_box")
    box.open()
    return box
