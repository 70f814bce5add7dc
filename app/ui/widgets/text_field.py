"""A multi-line text field Tab leaves: Tab and Shift+Tab move the focus like in any other
field, Ctrl+Tab (and any other Tab) types nothing, so a form is walked with the keyboard
and a fault description never holds a stray tab. Paste keeps the text as it is.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QPlainTextEdit, QWidget

TAB_KEYS = (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)


class MultiLineField(QPlainTextEdit):
    def __init__(self, parent: QWidget | None = None, **qt_properties: object) -> None:
        super().__init__(parent, **qt_properties)
        self.setTabChangesFocus(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in TAB_KEYS:
            mods = event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier
            if mods == Qt.KeyboardModifier.NoModifier:
                backwards = (event.key() == Qt.Key.Key_Backtab
                             or bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
                self.focusNextPrevChild(not backwards)
                return
            event.ignore()  # Ctrl+Tab: for the window (tabs), never a tab in the text
            return
        super().keyPressEvent(event)
