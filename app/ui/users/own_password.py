"""修改密码 (File menu): the logged-in user changes his own password — the current one, then
the new one typed twice. The users service checks the current password (wrong ones count
towards the lockout like a failed login) and the password rules, off the GUI thread.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QVBoxLayout, QWidget

from app.domain.errors import RuleViolation
from app.i18n import tr
from app.ui.extensions import UiContext
from app.ui.users.page import grow_to_fit
from app.ui.widgets.forms import ErrorForm


def _password_edit(name: str) -> QLineEdit:
    edit = QLineEdit(objectName=name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class OwnPasswordDialog(QDialog):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("own_password_dialog")
        self.setWindowTitle(tr("Change my password"))
        self.setMinimumWidth(440)
        self.form = ErrorForm()
        self.old_password = _password_edit("old_password")
        self.password = _password_edit("password")
        self.again = _password_edit("password_again")
        self.form.add_row("Current password", self.old_password, "old_password")
        self.form.add_row("New password", self.password, "password")
        self.form.add_row("New password again", self.again, "password_again")
        self.form.add_general_error_row()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(tr("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)

    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        self.form.clear_errors()
        old, new = self.old_password.text(), self.password.text()
        if new != self.again.text():
            self.show_error(RuleViolation("The two passwords differ.", field="password_again"))
            return
        ctx, users = self.ctx, self.ctx.services.users
        self.save_button.setEnabled(False)
        ctx.tasks.run(lambda: users.change_own_password(ctx.actor, old, new),
                      lambda _r: self._saved(), self._failed, owner=self)

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if getattr(error, "field", None) == "old_password":
            self.old_password.clear()
            self.old_password.setFocus()
        self.show_error(error)

    def show_error(self, error: BaseException) -> None:
        self.form.show_error(error)
        grow_to_fit(self)

    def _saved(self) -> None:
        self.ctx.status_message(tr("Your password was changed."))
        self.accept()

    def error_text(self, field: str | None = None) -> str:
        return self.form.error_text(field)
