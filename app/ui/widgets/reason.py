"""Asking for the written reason a correction needs (作废, 减免): one function so tests can
answer it without a modal dialog. An empty answer is passed on: the service refuses it with
its message, so the rule lives in one place."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from app.i18n import tr


def ask_reason(parent: QWidget, title_source: str, prompt_source: str) -> str | None:
    """The reason typed, or None when the user cancelled."""
    text, ok = QInputDialog.getText(parent, tr(title_source), tr(prompt_source),
                                    QLineEdit.EchoMode.Normal, "")
    return text if ok else None
