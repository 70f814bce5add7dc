"""First-run set-up and login dialogs: field-level errors, nothing half-stored, lockout."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.domain.enums import Role
from app.i18n import tr
from app.ui.startup.login_dialog import LoginDialog
from app.ui.startup.setup_dialog import SetupDialog
from tests.conftest import PASSWORD
from tests.ui.conftest import settle


def fill_setup(dialog: SetupDialog, phone: str = "010-62345678",
               again: str = "manager-pass-1") -> None:
    dialog.code.setText("bj009")
    dialog.name.setText("北京朝阳维修站")
    dialog.address.setText("北京市朝阳区建国路88号")
    dialog.phone.setText(phone)
    dialog.username.setText("boss")
    dialog.display_name.setText("陈站长")
    dialog.password.setText("manager-pass-1")
    dialog.password_again.setText(again)


def click_ok(qtbot, runner, dialog: SetupDialog) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)


def test_first_run_setup_shows_field_errors_then_sets_up(qtbot, services, runner):
    assert services.users.needs_setup()
    dialog = SetupDialog(services.users, runner)
    qtbot.addWidget(dialog)

    fill_setup(dialog, phone="12345")
    click_ok(qtbot, runner, dialog)
    assert "12345" in dialog.error_text("phone")
    assert dialog.error_text("phone") == tr(
        "'{value}' is not a valid mobile (11 digits starting with 1) or landline "
        "(area code + number, e.g. 010-62345678).", value="12345")
    assert services.users.needs_setup() and services.users.station() is None
    assert services.outbox.pending_count() == 0

    fill_setup(dialog, again="something-else")
    click_ok(qtbot, runner, dialog)
    assert dialog.error_text("password_again") == tr("The two passwords differ.")
    assert dialog.error_text("phone") == ""  # the old error went away
    assert services.users.needs_setup()

    fill_setup(dialog)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    station, manager = dialog.result_info
    assert station.code == "BJ009" and manager.role is Role.MANAGER
    assert not services.users.needs_setup()


def test_login_through_the_dialog(qtbot, services, station, runner):
    dialog = LoginDialog(services.users, runner, "北京海淀维修站")
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.username, "clerk")
    qtbot.keyClicks(dialog.password, PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.actor is not None
    assert dialog.actor.username == "clerk" and dialog.actor.role is Role.CLERK


def test_wrong_password_then_lockout_message(qtbot, services, station, runner):
    dialog = LoginDialog(services.users, runner)
    qtbot.addWidget(dialog)
    dialog.username.setText("tech")
    for _ in range(4):
        dialog.password.setText("wrong-password")
        qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
        settle(qtbot, runner)
        assert dialog.error_text() == tr("Wrong user name or password.")
        assert dialog.password.text() == ""  # cleared for the next try
    dialog.password.setText("wrong-password")
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    locked = tr("Too many failed attempts: this account is locked for {minutes} more minutes.",
                minutes=15)
    assert dialog.error_text() == locked
    # even the right password is refused while locked
    dialog.password.setText(PASSWORD)
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert dialog.actor is None and dialog.result() == 0
    # the test clock stands still, so a quarter of an hour remains (rounded up)
    assert dialog.error_text() == tr(
        "Too many failed attempts: this account is locked for {minutes} more minutes.",
        minutes=16)
