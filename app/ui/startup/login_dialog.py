"""The login dialog: user name and password, checked by the users service off the GUI thread
(the password hash is deliberately slow). Shows wrong-password and lockout messages.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.services.context import Actor
from app.services.users import UserService
from app.ui.tasks import TaskRunner
from app.ui.widgets.forms import ErrorForm


class LoginDialog(QDialog):
    def __init__(
        self, users: UserService, tasks: TaskRunner, station_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._users = users
        self._tasks = tasks
        self.actor: Actor | None = None
        self.setWindowTitle(tr("Log in — Repair Station"))
        self.setMinimumWidth(360)

        layout = QVBoxLayout(self)
        if station_name:
            heading = QLabel(station_name)
            heading.setStyleSheet("font-size: 16px; font-weight: bold;")
            layout.addWidget(heading)
        self.form = ErrorForm()
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.add_row("User name", self.username, "username")
        self.form.add_row("Password", self.password, "password")
        self.form.add_general_error_row()
        layout.addLayout(self.form)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.login_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.login_button.setText(tr("Log in"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Quit"))
        self.buttons.accepted.connect(self.try_login)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self.try_login)

    def try_login(self) -> None:
        if not self.login_button.isEnabled():
            return
        username, password = self.username.text(), self.password.text()
        if not username.strip():
            self.username.setFocus()
            return
        self.form.clear_errors()
        self.login_button.setEnabled(False)
        self._tasks.run(lambda: self._users.login(username, password),
                        self._logged_in, self._failed, owner=self)

    def _logged_in(self, actor: Actor) -> None:
        self.actor = actor
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.login_button.setEnabled(True)
        self.password.clear()
        self.form.show_error(error)
        self.password.setFocus()

    def error_text(self) -> str:
        return self.form.error_text()
