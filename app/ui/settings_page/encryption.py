"""The settings page's 数据加密 section: where this PC keeps the station key (the system keyring,
or a user-only file where no keyring answers), the key id (which backups carry), and
查看恢复密钥 (Alt+V) for the manager: his own password again (a wrong one counts towards the
lockout, ``StoreKeyService.recovery_key``), then the recovery key dialog with 打印 / 复制.
Nothing here is edited, so the page's 保存 / 取消 do not concern it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.permissions import Permission
from app.i18n import render, tr
from app.services.store_keys import KeyProtection
from app.ui.extensions import UiContext
from app.ui.startup.recovery_key_dialog import RecoveryKeyDialog
from app.ui.widgets.forms import ERROR_STYLE


def protection_text(found: KeyProtection) -> str:
    if not found.encrypted:
        return tr("The station's data on this PC is not encrypted.")
    if found.protected_by_os:
        return tr("System keyring (protected by this PC's user log-in: Windows Credential "
                  "Manager or the desktop's keyring)")
    return tr("User file (readable only by this PC's user; used where no system keyring "
              "answers: someone who can log in as this user can read it)")


class PasswordDialog(QDialog):
    """The manager's own password again; accepted with the recovery key read."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.recovery_text = ""
        self.setWindowTitle(tr("See the recovery key"))
        layout = QVBoxLayout(self)
        intro = QLabel(tr("Type your own password again to see the station's recovery key. "
                          "This is recorded in the audit."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        label = QLabel(tr("&Password:"))
        self.password = QLineEdit(objectName="key_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        label.setBuddy(self.password)
        layout.addWidget(label)
        layout.addWidget(self.password)
        self.error = QLabel(objectName="key_password_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(tr("Show"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        buttons.accepted.connect(self.check)
        buttons.rejected.connect(self.reject)
        self.password.returnPressed.connect(self.check)
        layout.addWidget(buttons)

    def check(self) -> None:
        if not self.ok_button.isEnabled():
            return
        password = self.password.text()
        if not password:
            self.password.setFocus()
            return
        self.ok_button.setEnabled(False)
        service, actor = self.ctx.services.store_keys, self.ctx.actor
        self.ctx.tasks.run(lambda: service.recovery_key(actor, password), self._shown,
                           self._failed, owner=self)

    def _shown(self, text: str) -> None:
        self.recovery_text = text
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        self.password.clear()
        self.error.setText(render(exc))
        self.error.show()
        self.password.setFocus()

    def error_text(self) -> str:
        return "" if self.error.isHidden() else self.error.text()


class EncryptionSection(QGroupBox):
    """数据加密: read on the worker when built; the button only for who may see the key."""

    loaded = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(tr("Data encryption"), parent)
        self.setObjectName("encryption_section")
        self.ctx = ctx
        self.found: KeyProtection | None = None
        grid = QGridLayout(self)
        grid.addWidget(QLabel(tr("Key kept in")), 0, 0, Qt.AlignmentFlag.AlignTop)
        self.where = QLabel(objectName="key_where")
        self.where.setWordWrap(True)
        grid.addWidget(self.where, 0, 1)
        self.place = QLabel(objectName="key_place")
        self.place.setWordWrap(True)
        self.place.setStyleSheet("color: #666;")
        self.place.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid.addWidget(self.place, 1, 1)
        grid.addWidget(QLabel(tr("Key ID")), 2, 0)
        self.key_id = QLabel(objectName="key_id")
        self.key_id.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid.addWidget(self.key_id, 2, 1)
        note = QLabel(tr("The recovery key opens the station's data and backups on another "
                         "PC. Keep the printed sheet locked away; print a new one here if "
                         "it is lost."))
        note.setWordWrap(True)
        grid.addWidget(note, 3, 0, 1, 2)
        self.view_button = QPushButton(tr("See the recovery &key…"), objectName="key_view")
        self.view_button.clicked.connect(self.view_key)
        self.view_button.setVisible(ctx.actor.may(Permission.STORE_KEY_VIEW))
        self.view_button.setEnabled(False)
        grid.addWidget(self.view_button, 4, 1, Qt.AlignmentFlag.AlignLeft)
        grid.setColumnStretch(1, 1)
        self.reload()

    def reload(self) -> None:
        self.ctx.tasks.run(self.ctx.services.store_keys.protection, self._fill,
                           lambda exc: self.where.setText(render(exc)), owner=self)

    def _fill(self, found: KeyProtection) -> None:
        self.found = found
        self.where.setText(protection_text(found))
        self.place.setText(found.where)
        self.place.setVisible(bool(found.where))
        self.key_id.setText(found.key_id or "—")
        self.view_button.setEnabled(found.encrypted)
        self.loaded.emit()

    def view_key(self) -> None:
        ask = PasswordDialog(self.ctx, self.window())
        ask.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        ask.accepted.connect(lambda: self._show_key(ask.recovery_text))
        ask.open()
        self.password_dialog = ask

    def _show_key(self, text: str) -> None:
        service = self.ctx.services.store_keys

        def opened(must_save: bool) -> None:
            dialog = RecoveryKeyDialog(self.ctx, text, must_save=must_save, parent=self.window())
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.open()
            self.key_dialog = dialog

        # not saved yet (the set-up's dialog never answered): this one asks for it too
        self.ctx.tasks.run(service.recovery_pending, opened, owner=self)
