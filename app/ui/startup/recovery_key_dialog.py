"""恢复密钥: the station's recovery key shown to the manager, in large type, with 打印 (Alt+P,
the 恢复密钥单 through the print flow), 复制 (Alt+C) and 我已妥善保存 (Alt+S, once the box
"I have printed or written it down" is ticked, Alt+K).

While the key has not been saved yet (``StoreKeyService.recovery_pending``) the dialog is
shown after the set-up and at every manager log-in and cannot be put away without saying it
is saved: Esc and the window's close button do nothing. Seen again from the settings page
(after the password), it closes with 关闭 (Esc) like any dialog.

``offer_recovery_key(ctx, parent)`` is what the window calls for a manager's log-in.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QFontDatabase, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import Services
from app.domain.enums import Role
from app.i18n import render, tr
from app.services.context import Actor
from app.ui.extensions import UiContext
from app.ui.tasks import TaskRunner
from app.ui.widgets.forms import ERROR_STYLE

log = logging.getLogger(__name__)
DOCUMENT = "recovery-key"
OK_STYLE = "color: #2e7d32;"


def key_lines(text: str, per_line: int = 3) -> str:
    """The nine groups in three lines of three (what the paper prints)."""
    groups = [g for g in text.split("-") if g]
    return "\n".join("  ".join(groups[i:i + per_line]) for i in range(0, len(groups), per_line))


class RecoveryKeyDialog(QDialog):
    """Accepted once the manager said the key is saved (``must_save``) or closed it."""

    acknowledged = Signal()

    def __init__(self, ctx: UiContext, recovery_text: str, *, must_save: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.recovery_text = recovery_text
        self.must_save = must_save
        self._controller = None
        self.setWindowTitle(tr("Recovery key — Repair Station"))
        self.setMinimumWidth(560)
        if must_save:  # no close button: only 我已妥善保存 puts it away
            self.setWindowFlags(Qt.WindowType.Dialog | Qt.WindowType.CustomizeWindowHint
                                | Qt.WindowType.WindowTitleHint)
        layout = QVBoxLayout(self)
        intro = QLabel(tr(
            "The station's data on this PC is encrypted. This recovery key opens it on "
            "another PC, or on this one after Windows was reinstalled. Print it (or write it "
            "down) now and lock it away."), objectName="recovery_intro")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.key_label = QLabel(key_lines(recovery_text), objectName="recovery_key")
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(22)
        font.setBold(True)
        self.key_label.setFont(font)
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.setStyleSheet("background: #f4f4f4; border: 1px solid #999; "
                                     "padding: 12px; letter-spacing: 2px;")
        layout.addWidget(self.key_label)
        lost = QLabel(tr(
            "If it is lost: this PC goes on working, but when this PC breaks, Windows is "
            "reinstalled or the data moves to another PC, the station's data and backups "
            "cannot be opened without it. Nobody can recover it, not even head office. "
            "Anyone who holds it and a copy of the data can read every customer's details: "
            "keep it locked away, never beside the PC."), objectName="recovery_lost")
        lost.setWordWrap(True)
        lost.setStyleSheet("color: #8a4b00;")
        layout.addWidget(lost)
        self.message = QLabel(objectName="recovery_message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

        self.confirm = QCheckBox(tr("I have printed the key or written it down, and it is "
                                    "locked away (&K)"), objectName="recovery_confirm")
        self.print_button = QPushButton(tr("&Print"), objectName="recovery_print")
        self.copy_button = QPushButton(tr("&Copy"), objectName="recovery_copy")
        self.save_button = QPushButton(tr("I have &saved it"), objectName="recovery_saved")
        self.close_button = QPushButton(tr("Close"), objectName="recovery_close")
        self.print_button.clicked.connect(self.print_key)
        self.copy_button.clicked.connect(self.copy_key)
        self.save_button.clicked.connect(self.acknowledge)
        self.close_button.clicked.connect(self.accept)
        self.close_button.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        if must_save:
            layout.addWidget(self.confirm)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button if must_save else self.close_button)
        self.save_button.setVisible(must_save)
        self.close_button.setVisible(not must_save)
        layout.addLayout(buttons)
        self.print_button.setDefault(True)
        self._enable()

    # -- what the buttons do -------------------------------------------------------------
    def print_key(self) -> None:
        """The 恢复密钥单 read on the worker, then the printer asked as for any paper."""
        from app.ui.printing.controller import PrintController

        if self._controller is None:
            self._controller = PrintController(self.ctx, parent=self)
            self._controller.finished.connect(self._printed)
            self._controller.failed.connect(lambda _kind, text: self._say(text, ok=False))
        service, text = self.ctx.services.store_keys, self.recovery_text
        controller = self._controller
        self.ctx.tasks.run(lambda: service.sheet(text),
                           lambda sheet: controller.print_sheet(sheet, DOCUMENT),
                           lambda exc: self._say(render(exc), ok=False), owner=self)

    def _printed(self, kind: str, _result: object) -> None:
        if kind == "print":
            self._say(tr("The recovery key sheet was sent to the printer. Check that it "
                         "printed, then lock it away."), ok=True)

    def copy_key(self) -> None:
        QGuiApplication.clipboard().setText(self.recovery_text)
        self._say(tr("Copied. Paste it somewhere safe away from this PC (not a file on this "
                     "PC), then clear the clipboard."), ok=True)

    def acknowledge(self) -> None:
        if not self.confirm.isChecked():
            self._say(tr("Tick the box once the key is printed or written down."), ok=False)
            self.confirm.setFocus()
            return
        self.save_button.setEnabled(False)
        service, actor = self.ctx.services.store_keys, self.ctx.actor
        self.ctx.tasks.run(lambda: service.acknowledge(actor), self._saved, self._failed,
                           owner=self)

    def _saved(self, _none: object) -> None:
        self.must_save = False
        self.acknowledged.emit()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._enable()
        self._say(render(exc), ok=False)

    # -- it cannot be skipped ------------------------------------------------------------
    def reject(self) -> None:
        if self.must_save:
            self._say(tr("The recovery key must be saved before going on: print it or write "
                         "it down, tick the box and press 我已妥善保存."), ok=False)
            return
        super().reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.must_save and event.key() == Qt.Key.Key_Escape:
            self.reject()  # says why instead of closing
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.must_save:
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)

    # -- helpers ---------------------------------------------------------------------------
    def _enable(self) -> None:
        self.save_button.setEnabled(True)  # unticked, it says what is missing

    def _say(self, text: str, ok: bool) -> None:
        self.message.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.message.setText(text)

    def message_text(self) -> str:
        return self.message.text()


_SHOWN: list[RecoveryKeyDialog] = []


def offer_recovery_key(ctx: UiContext, parent: QWidget | None = None) -> None:
    """For a manager's log-in: while the recovery key is not saved, shows it (read on the
    worker; nothing happens for other roles or once it is saved)."""
    if ctx.actor.role != Role.MANAGER:
        return
    service = ctx.services.store_keys

    def read() -> str | None:
        return service.recovery_key_for_setup() if service.recovery_pending() else None

    def got(text: str | None) -> None:
        if text:
            dialog = RecoveryKeyDialog(ctx, text, must_save=True, parent=parent)
            dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
            _SHOWN.append(dialog)  # held until answered (a parentless dialog would go)
            dialog.finished.connect(lambda _r: _SHOWN.remove(dialog))
            dialog.open()

    def failed(exc: BaseException) -> None:  # the log-in goes on; the next one asks again
        log.warning("the recovery key could not be offered: %s", exc)

    ctx.tasks.run(read, got, failed, owner=parent)


def show_after_setup(services: Services, tasks: TaskRunner, manager: Actor) -> None:
    """The set-up's last step: the new station's recovery key for the manager who set it up,
    before the first log-in (nothing when it was saved already, e.g. a restored station)."""
    from app.ui.extensions import Changes
    from app.ui.settings import UiSettings

    keys = services.store_keys
    if not keys.recovery_pending():
        return
    changes = Changes(services.bus)
    try:
        ctx = UiContext(services=services, actor=manager, tasks=tasks, changes=changes,
                        settings=UiSettings(services.paths.settings))
        RecoveryKeyDialog(ctx, keys.recovery_key_for_setup(), must_save=True).exec()
    finally:
        changes.close()
