"""The start-up dialog shown when the station database is damaged or unreadable: what is wrong,
the newest good backup with its date and what restoring it loses, and two buttons, 恢复此备份
(Alt+R) and 退出 (Esc). When the newest backup is encrypted with a key this PC does not hold
(another PC's), the dialog asks for the station's recovery key (恢复密钥, Alt+K) and restores
with it. The restore runs off the GUI thread; a failure is shown in the dialog.
The words come from ``app.services.recovery`` (the headless commands print the same).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import render, tr
from app.services.recovery import RecoveryOffer, RestoreResult, offer_lines, restore_offered
from app.ui.tasks import TaskRunner


class RecoveryDialog(QDialog):
    """Accepted once the offered backup is restored; rejected when the user quits."""

    def __init__(self, offer: RecoveryOffer, tasks: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._offer = offer
        self._tasks = tasks
        self.result_of_restore: RestoreResult | None = None
        self.setWindowTitle(tr("Station data damaged — Repair Station"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        self.message = QLabel("\n\n".join(offer_lines(offer)))
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        self.recovery_key: QLineEdit | None = None
        if offer.backup is None and offer.foreign is not None:
            label = QLabel(tr("Recovery &key:"))
            self.recovery_key = QLineEdit(objectName="recovery_key")
            self.recovery_key.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
            label.setBuddy(self.recovery_key)
            layout.addWidget(label)
            layout.addWidget(self.recovery_key)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.hide()
        layout.addWidget(self.progress)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox()
        self.restore_button: QPushButton | None = None
        if offer.backup is not None or offer.foreign is not None:
            self.restore_button = self.buttons.addButton(
                tr("&Restore this backup"), QDialogButtonBox.ButtonRole.AcceptRole)
            self.restore_button.setObjectName("restore")
            self.restore_button.clicked.connect(self.start_restore)
            self.restore_button.setDefault(True)
        self.quit_button = self.buttons.addButton(tr("&Quit"),
                                                  QDialogButtonBox.ButtonRole.RejectRole)
        self.quit_button.setObjectName("quit")
        self.quit_button.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.quit_button.clicked.connect(self.reject)
        layout.addWidget(self.buttons)

    def start_restore(self) -> None:
        if self.restore_button is None or not self.restore_button.isEnabled():
            return
        self.restore_button.setEnabled(False)
        self.quit_button.setEnabled(False)
        self.error.hide()
        self.progress.show()
        offer = self._offer
        text = self.recovery_key.text() if self.recovery_key is not None else None
        self._tasks.run(lambda: restore_offered(offer, text), self._restored, self._failed,
                        owner=self, slow=True)

    def _restored(self, result: RestoreResult) -> None:
        self.result_of_restore = result
        self.progress.hide()
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.progress.hide()
        self.quit_button.setEnabled(True)
        if self.restore_button is not None:
            self.restore_button.setEnabled(True)
        self.error.setText(tr("The backup could not be restored: {error}",
                              error=render(error)))
        self.error.show()
