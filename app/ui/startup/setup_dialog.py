"""First-run set-up: the station (code, name, address, phone) and its first manager account,
saved together by the users service; its errors appear next to the field they name.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import Role
from app.domain.errors import RuleViolation
from app.i18n import tr
from app.services.users import NewStation, NewUser, StationInfo, UserInfo, UserService
from app.ui.tasks import TaskRunner
from app.ui.widgets.forms import ErrorForm


class SetupDialog(QDialog):
    #: ``exec()``'s answer when the user chose 加入已有维修站 instead (``app.ui.startup.first_run``)
    JOIN = 2

    def __init__(self, users: UserService, tasks: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._users = users
        self._tasks = tasks
        self.result_info: tuple[StationInfo, UserInfo] | None = None
        self.setWindowTitle(tr("Set up this station"))
        self.setMinimumWidth(460)

        layout = QVBoxLayout(self)
        intro = QLabel(tr("Welcome. Enter this repair station and its first manager account; "
                          "you log in with this account afterwards."))
        intro.setWordWrap(True)
        layout.addWidget(intro)

        station_box = QGroupBox(tr("Station"))
        station_form = ErrorForm()
        self.code = QLineEdit(objectName="code", placeholderText="BJ001")
        self.name = QLineEdit(objectName="name")
        self.address = QLineEdit(objectName="address")
        self.phone = QLineEdit(objectName="phone", placeholderText="010-62345678")
        station_form.add_row("Station code", self.code, "code")
        station_form.add_row("Station name", self.name, "name")
        station_form.add_row("Address", self.address, "address")
        station_form.add_row("Phone", self.phone, "phone")
        station_box.setLayout(station_form)

        manager_box = QGroupBox(tr("Station manager account"))
        manager_form = ErrorForm()
        self.username = QLineEdit(objectName="username")
        self.display_name = QLineEdit(objectName="display_name")
        self.password = QLineEdit(objectName="password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_again = QLineEdit(objectName="password_again")
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
        manager_form.add_row("User name", self.username, "username")
        manager_form.add_row("Name", self.display_name, "display_name")
        manager_form.add_row("Password", self.password, "password")
        manager_form.add_row("Password again", self.password_again, "password_again")
        manager_form.add_general_error_row()
        manager_box.setLayout(manager_form)
        self._forms = (station_form, manager_form)

        layout.addWidget(station_box)
        layout.addWidget(manager_box)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.save_button.setText(tr("Set up"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Quit"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        # another PC of a station head office knows: join it instead of setting one up
        self.join_button = QPushButton(tr("&Join an existing station…"),
                                       objectName="setup_join")
        self.join_button.clicked.connect(lambda: self.done(self.JOIN))
        self.buttons.addButton(self.join_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout.addWidget(self.buttons)

    def save(self) -> None:
        for form in self._forms:
            form.clear_errors()
        if self.password.text() != self.password_again.text():
            self.show_error(RuleViolation("The two passwords differ.", field="password_again"))
            return
        station = NewStation(self.code.text(), self.name.text(), self.address.text(),
                            self.phone.text())
        manager = NewUser(self.username.text(), self.display_name.text(), Role.MANAGER,
                          self.password.text())
        self.save_button.setEnabled(False)
        self._tasks.run(lambda: self._users.set_up_station(station, manager),
                        self._saved, self._failed, owner=self)

    def _saved(self, info: tuple[StationInfo, UserInfo]) -> None:
        self.result_info = info
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.show_error(error)

    def show_error(self, error: BaseException) -> None:
        field = getattr(error, "field", None)
        station_form, manager_form = self._forms
        (station_form if station_form.knows(field) else manager_form).show_error(error)

    def error_text(self, field: str | None = None) -> str:
        station_form, manager_form = self._forms
        if station_form.knows(field):
            return station_form.error_text(field)
        return manager_form.error_text(field)
