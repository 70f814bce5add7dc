"""输入恢复密钥: the start-up dialog shown when this PC cannot open the station's encrypted data
(``StoreKeyMissing``: another PC's data, or Windows reinstalled; ``StoreKeyWrong``: the key kept
here is not this data's; ``KeySealBroken``: the key kept here is damaged). The manager types
or pastes the recovery key (nine groups of four; spaces, dashes and lower case accepted),
打开 (Enter) checks it against the database and seals it on this PC off the GUI thread
(``app.services.store_keys.unlock_station``); a mistyped key or another station's key is said in
the dialog, in Chinese. 退出 (Esc) ends the program.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from app.i18n import render, tr
from app.services.store_keys import RecoveryKeyInvalid, StoreKeyWrong, unlock_station
from app.ui.tasks import TaskRunner
from app.ui.widgets.forms import ERROR_STYLE


class UnlockDialog(QDialog):
    """Accepted once the recovery key opened the data and is kept on this PC."""

    def __init__(self, root: Path, problem: BaseException, tasks: TaskRunner,
                 parent: QWidget | None = None, *,
                 unlock: Callable[[str], str] | None = None) -> None:
        super().__init__(parent)
        self._unlock = unlock or (lambda text: unlock_station(Path(root), text))
        self._tasks = tasks
        self.key_id = ""
        self.setWindowTitle(tr("Enter the recovery key — Repair Station"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        self.problem = QLabel(render(problem), objectName="unlock_problem")
        self.problem.setWordWrap(True)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.problem)
        how = QLabel(tr("The recovery key is on the sheet 恢复密钥单 printed when the station "
                        "was set up (the station manager keeps it). Type its nine groups; "
                        "spaces, dashes and small letters do not matter. Once it opens the "
                        "data, this PC keeps the key and does not ask again."))
        how.setWordWrap(True)
        layout.addWidget(how)
        label = QLabel(tr("&Recovery key:"))
        self.edit = QLineEdit(objectName="unlock_key")
        self.edit.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(14)
        self.edit.setFont(font)
        self.edit.setMaxLength(120)  # pasted with spaces, line breaks or a label around it
        label.setBuddy(self.edit)
        layout.addWidget(label)
        layout.addWidget(self.edit)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.hide()
        layout.addWidget(self.progress)
        self.error = QLabel(objectName="unlock_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox()
        self.open_button = self.buttons.addButton(tr("&Open"),
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.open_button.setObjectName("unlock_open")
        self.open_button.setDefault(True)
        self.quit_button = self.buttons.addButton(tr("&Quit"),
                                                  QDialogButtonBox.ButtonRole.RejectRole)
        self.quit_button.setObjectName("unlock_quit")
        self.quit_button.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.open_button.clicked.connect(self.try_unlock)
        self.quit_button.clicked.connect(self.reject)
        self.edit.returnPressed.connect(self.try_unlock)
        layout.addWidget(self.buttons)
        self.edit.setFocus()

    def try_unlock(self) -> None:
        if not self.open_button.isEnabled():
            return
        text = " ".join(self.edit.text().split())
        if not text:
            self._show(tr("Type the recovery key first."))
            return
        self.error.hide()
        self.open_button.setEnabled(False)
        self.progress.show()
        unlock = self._unlock
        self._tasks.run(lambda: unlock(text), self._unlocked, self._failed, owner=self,
                        slow=True)

    def _unlocked(self, key_id: str) -> None:
        self.key_id = key_id
        self.progress.hide()
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.progress.hide()
        self.open_button.setEnabled(True)
        if isinstance(error, RecoveryKeyInvalid):
            text = render(error)
        elif isinstance(error, StoreKeyWrong):
            text = tr("This recovery key does not open this station's data: it is another "
                      "station's key. Check the station name on the sheet.")
        else:
            text = tr("The key could not be checked or kept on this PC: {error}",
                      error=render(error))
        self._show(text)
        self.edit.selectAll()
        self.edit.setFocus()

    def _show(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def error_text(self) -> str:
        return "" if self.error.isHidden() else self.error.text()
