"""The users page: the station's accounts with their roles; add a user, reset a password,
deactivate or reactivate an account.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import Role
from app.domain.errors import RuleViolation
from app.i18n import tr
from app.services import events
from app.services.users import NewUser, UserInfo
from app.ui.extensions import UiContext
from app.ui.formatting import label
from app.ui.widgets.forms import ErrorForm
from app.ui.widgets.messages import show_error

HEADERS = ("User name", "Name", "Role", "Active")


class PasswordFields:
    """Password typed twice; refuses a mismatch before the service sees it."""

    def __init__(self, form: ErrorForm) -> None:
        self.password = QLineEdit(objectName="password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit(objectName="password_again")
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        form.add_row("Password", self.password, "password")
        form.add_row("Password again", self.again, "password_again")

    def value(self) -> str:
        if self.password.text() != self.again.text():
            raise RuleViolation("The two passwords differ.", field="password_again")
        return self.password.text()


class UserDialog(QDialog):
    """Adds a user (``user`` None) or sets a user's new password."""

    def __init__(self, ctx: UiContext, user: UserInfo | None, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.user = user
        self.setWindowTitle(tr("Add user") if user is None else
                            tr("New password for {name}", name=user.display_name))
        # room for a whole error message under its field (it wraps; the dialog grows)
        self.setMinimumWidth(440)
        self.form = ErrorForm()
        if user is None:
            self.username = QLineEdit(objectName="username")
            self.display_name = QLineEdit(objectName="display_name")
            self.role = QComboBox(objectName="role")
            for role in Role:
                self.role.addItem(label(role), role)
            self.form.add_row("User name", self.username, "username")
            self.form.add_row("Name", self.display_name, "display_name")
            self.form.add_row("Role", self.role, "role")
        self.passwords = PasswordFields(self.form)
        self.form.add_general_error_row()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)

    def save(self) -> None:
        self.form.clear_errors()
        try:
            password = self.passwords.value()
        except RuleViolation as err:
            self.show_error(err)
            return
        ctx, users = self.ctx, self.ctx.services.users
        if self.user is None:
            new = NewUser(self.username.text(), self.display_name.text(),
                          self.role.currentData(), password)
            call = lambda: users.create_user(ctx.actor, new)  # noqa: E731
        else:
            user_id = self.user.id
            call = lambda: users.set_password(ctx.actor, user_id, password)  # noqa: E731
        ctx.tasks.run(call, lambda _r: self._saved(), self.show_error, owner=self)

    def show_error(self, error: BaseException) -> None:
        """The error under its field, whole: the dialog grows to the wrapped message."""
        self.form.show_error(error)
        grow_to_fit(self)

    def _saved(self) -> None:
        self.ctx.status_message(tr("Saved."))
        self.accept()


def grow_to_fit(window: QWidget) -> None:
    """Makes ``window`` tall enough for its wrapped labels at its current width (a top-level
    window does not follow a label's height-for-width by itself)."""
    layout = window.layout()
    if layout is None:
        return
    layout.activate()
    needed = (layout.totalHeightForWidth(window.width()) if layout.hasHeightForWidth()
              else layout.totalSizeHint().height())
    if needed > window.height():
        window.resize(window.width(), needed)


class UsersPage(QWidget):
    loaded = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.users: list[UserInfo] = []
        self.table = QTableWidget(0, len(HEADERS), objectName="users_table")
        self.table.setHorizontalHeaderLabels([tr(h) for h in HEADERS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton(tr("Add user"), objectName="add_user")
        self.password_button = QPushButton(tr("Reset password"), objectName="reset_password")
        self.active_button = QPushButton(tr("Deactivate / reactivate"),
                                         objectName="toggle_active")
        self.role_choice = QComboBox(objectName="role_choice")
        for role in Role:
            self.role_choice.addItem(label(role), role)
        self.role_button = QPushButton(tr("Change role"), objectName="change_role")
        self.add_button.clicked.connect(lambda: self.open_dialog(None))
        self.password_button.clicked.connect(self._reset_selected)
        self.active_button.clicked.connect(self.toggle_selected)
        self.role_button.clicked.connect(self.change_role)
        self.table.itemSelectionChanged.connect(self._show_selected_role)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.password_button, self.active_button):
            buttons.addWidget(button)
        buttons.addSpacing(24)
        buttons.addWidget(self.role_choice)
        buttons.addWidget(self.role_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        ctx.changes.changed.connect(self._on_changed)
        self.refresh()

    def refresh(self) -> None:
        users = self.ctx.services.users
        self.ctx.tasks.run(lambda: users.list_users(active_only=False), self._show, owner=self)

    def _show(self, users: list[UserInfo]) -> None:
        self.users = users
        self.table.setRowCount(len(users))
        for row, user in enumerate(users):
            values = (user.username, user.display_name, label(user.role),
                      tr("Yes") if user.active else tr("No"))
            for col, value in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(value))
        self.loaded.emit()

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if events.USERS in kinds:
            self.refresh()

    def selected_user(self) -> UserInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.users[rows[0].row()] if rows else None

    def open_dialog(self, user: UserInfo | None) -> UserDialog:
        dialog = UserDialog(self.ctx, user, self)
        dialog.open()
        return dialog

    def _reset_selected(self) -> None:
        user = self.selected_user()
        if user is not None:
            self.open_dialog(user)

    def _show_selected_role(self) -> None:
        user = self.selected_user()
        if user is not None:
            self.role_choice.setCurrentIndex(self.role_choice.findData(user.role))

    def change_role(self) -> None:
        """Gives the selected user the role chosen beside the button (the service refuses
        to leave the station without an active manager)."""
        user = self.selected_user()
        data = self.role_choice.currentData()  # Qt hands the enum back as its str value
        if user is None or data is None or Role(data) is user.role:
            return
        role = Role(data)
        ctx, users = self.ctx, self.ctx.services.users
        self.ctx.tasks.run(lambda: users.set_role(ctx.actor, user.id, role),
                           lambda _info: ctx.status_message(tr("Saved.")),
                           lambda err: show_error(self, err), owner=self)

    def toggle_selected(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        ctx, users = self.ctx, self.ctx.services.users
        self.ctx.tasks.run(lambda: users.set_active(ctx.actor, user.id, not user.active),
                           owner=self)
