"""The order desk's questions: unsaved edits on closing (保存 / 放弃 / 取消) and whether a
batch print takes in cancelled and closed orders. One object so tests answer without
modal dialogs (``OrderEditor.desk_prompts``, ``OrdersPage.desk_prompts``).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.i18n import tr

Button = QMessageBox.StandardButton


class Unsaved(StrEnum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


class DeskPrompts:
    """Each question opens a window-modal box with ``open()`` (the event loop and the task
    runner keep going) and calls ``answered`` with the choice."""

    def unsaved_changes(self, parent: QWidget, answered: Callable[[Unsaved], None]) -> None:
        ask_unsaved(parent, "This order has changes that are not saved yet.",
                    "Save them before closing?", "unsaved_box", answered)

    def include_finished(self, parent: QWidget, finished: int, total: int,
                         answered: Callable[[bool | None], None]) -> None:
        """``answered(True)``: print them too; False: leave them out; None: print nothing."""
        box = QMessageBox(QMessageBox.Icon.Question, tr("Batch print"),
                          tr("Include cancelled and closed orders?"),
                          Button.Yes | Button.No | Button.Cancel, parent)
        box.setObjectName("include_finished_box")
        box.setInformativeText(tr("{finished} of the {total} selected orders are cancelled or "
                                  "closed.", finished=finished, total=total))
        box.button(Button.Yes).setText(tr("Include them"))
        box.button(Button.No).setText(tr("Leave them out"))
        box.button(Button.Cancel).setText(tr("Cancel"))
        box.setDefaultButton(Button.No)
        box.setEscapeButton(Button.Cancel)
        choices = {Button.Yes: True, Button.No: False}
        _ask(box, lambda button: answered(choices.get(button)))


def ask_unsaved(parent: QWidget, text: str, question: str, name: str,
                answered: Callable[[Unsaved], None]) -> None:
    """保存 / 放弃 / 取消 for unsaved edits (``text``, ``question``: English source texts),
    window-modal and without blocking; ``answered`` gets the choice (Esc: cancel)."""
    box = QMessageBox(QMessageBox.Icon.Question, tr("Unsaved changes"), tr(text),
                      Button.Save | Button.Discard | Button.Cancel, parent)
    box.setObjectName(name)
    box.setInformativeText(tr(question))
    box.button(Button.Save).setText(tr("Save"))
    box.button(Button.Discard).setText(tr("Discard"))
    box.button(Button.Cancel).setText(tr("Cancel"))
    box.setDefaultButton(Button.Save)
    box.setEscapeButton(Button.Cancel)
    choices = {Button.Save: Unsaved.SAVE, Button.Discard: Unsaved.DISCARD}
    _ask(box, lambda button: answered(choices.get(button, Unsaved.CANCEL)))


def _ask(box: QMessageBox, answered: Callable[[Button], None]) -> None:
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.WindowModal)

    def finished() -> None:
        clicked = box.clickedButton()
        answered(box.standardButton(clicked) if clicked is not None else Button.Cancel)

    box.finished.connect(finished)
    box.open()
