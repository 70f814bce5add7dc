"""A dashboard tile: a big figure, what it counts, a line of detail; a click, Enter or Space
opens the list behind it (``activated``). It takes the keyboard focus like a button."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

STYLE = """
Tile { background: #ffffff; border: 1px solid #d0d7de; border-radius: 6px; }
Tile:hover { border: 1px solid #1e88e5; background: #f5faff; }
Tile:focus { border: 2px solid #1e88e5; }
"""
NORMAL = "#1f2328"
ALERT = "#c62828"
GOOD = "#2e7d32"
MUTED = "#57606a"


class Tile(QFrame):
    activated = Signal()

    def __init__(self, key: str, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"tile_{key}")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setStyleSheet(STYLE)
        self.setMinimumSize(220, 120)
        self.caption = QLabel(caption)
        self.figure = QLabel("—", objectName="figure")
        font = QFont(self.figure.font())
        font.setPointSize(font.pointSize() + 16)
        font.setBold(True)
        self.figure.setFont(font)
        self.detail = QLabel("", objectName="detail")
        self.detail.setWordWrap(True)
        caption_font = QFont(self.caption.font())
        caption_font.setPointSize(caption_font.pointSize() + 2)
        self.caption.setFont(caption_font)
        for label in (self.caption, self.figure, self.detail):
            label.setStyleSheet("background: transparent; border: none;")
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.caption)
        layout.addWidget(self.figure)
        layout.addWidget(self.detail)
        layout.addStretch(1)

    def show_figure(self, figure: str, detail: str = "", colour: str = NORMAL) -> None:
        self.figure.setText(figure)
        self.figure.setStyleSheet(f"background: transparent; border: none; color: {colour};")
        self.detail.setText(detail)
        self.detail.setStyleSheet(f"background: transparent; border: none; color: {MUTED};")
        self.setAccessibleName(f"{self.caption.text()} {figure}")

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
                event.position().toPoint()):
            self.activated.emit()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit()
            return
        super().keyPressEvent(event)
