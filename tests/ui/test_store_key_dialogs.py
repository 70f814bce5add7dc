"""The station key on screen (issue 14 item 1): the recovery key dialog cannot be put away
without saying it is saved, prints and copies the key; the unlock dialog at start-up takes
the recovery key by keyboard and says plainly when it is mistyped or another station's; the
settings page's 数据加密 section shows where the key is kept and the key again after the
password; a plain database is encrypted at start-up behind a progress dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from app.bootstrap import build_services
from app.domain.enums import Role
from app.domain.errors import RuleViolation
from app.i18n import render, tr
from app.paths import DataPaths
from app.services.store_keys import unlock_station
from app.services.users import NewStation, NewUser
from app.store import migrate, sqlite_driver
from app.store.database import Database
from app.store.key_seal import FileKeySeal, default_key_seal
from app.store.store_encryption import StoreKeyMissing
from app.store.store_key import RecoveryKeyInvalid, StoreKey
from app.ui import launch
from app.ui.printing.controller import PrintController
from app.ui.settings_page.encryption import EncryptionSection, PasswordDialog
from app.ui.startup.encrypt_progress import run_with_encryption_progress
from app.ui.startup.recovery_key_dialog import RecoveryKeyDialog, offer_recovery_key
from app.ui.startup.unlock_dialog import UnlockDialog
from tests.conftest import PASSWORD
from tests.ui.conftest import settle

ALT = Qt.KeyboardModifier.AltModifier
SHOTS = Path("/tmp/keys-ui-shots")


def _shot(widget, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


def _press(qtbot, dialog, button, key: Qt.Key) -> None:
    """Alt+key on ``dialog``; a button's mnemonic clicks it after a short animation."""
    dialog.activateWindow()
    qtbot.wait(50)
    with qtbot.waitSignal(button.clicked, timeout=5_000):
        qtbot.keyClick(dialog, key, ALT)


def _dialogs(kind: type) -> list:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def test_the_recovery_key_dialog_cannot_be_skipped(qtbot, services, station, runner,
                                                   ctx_for) -> None:
    text = services.store_keys.recovery_key_for_setup()
    dialog = RecoveryKeyDialog(ctx_for(station["manager"]), text, must_save=True)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert text.split("-")[4] in dialog.key_label.text()
    _shot(dialog, "recovery-key")

    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    dialog.close()
    assert dialog.isVisible()
    assert "我已妥善保存" in dialog.message_text()
    _press(qtbot, dialog, dialog.save_button, Qt.Key.Key_S)  # without the box ticked
    settle(qtbot, runner)
    assert dialog.isVisible() and services.store_keys.recovery_pending()
    assert dialog.message_text() == tr("Tick the box once the key is printed or written down.")

    _press(qtbot, dialog, dialog.confirm, Qt.Key.Key_K)
    assert dialog.confirm.isChecked()
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        _press(qtbot, dialog, dialog.save_button, Qt.Key.Key_S)
    assert not services.store_keys.recovery_pending()


def test_copy_and_print_give_the_key(qtbot, services, station, runner, ctx_for,
                                     monkeypatch) -> None:
    printed: list = []
    monkeypatch.setattr(PrintController, "print_sheet",
                        lambda self, sheet, document=None, **kw: printed.append((sheet, document)))
    text = services.store_keys.recovery_key_for_setup()
    dialog = RecoveryKeyDialog(ctx_for(station["manager"]), text, must_save=True)
    qtbot.addWidget(dialog)
    dialog.show()
    _press(qtbot, dialog, dialog.copy_button, Qt.Key.Key_C)
    assert QApplication.clipboard().text() == text
    _press(qtbot, dialog, dialog.print_button, Qt.Key.Key_P)
    settle(qtbot, runner)
    [(sheet, document)] = printed
    assert document == "recovery-key" and sheet.recovery_key == text
    assert sheet.station.name == "北京海淀维修站"
    dialog.must_save = False  # put away unsaved, for the next test only


def test_a_manager_log_in_offers_the_key_until_it_is_saved(qtbot, services, station, runner,
                                                          ctx_for) -> None:
    offer_recovery_key(ctx_for(station["clerk"]))
    settle(qtbot, runner)
    assert _dialogs(RecoveryKeyDialog) == []
    offer_recovery_key(ctx_for(station["manager"]))
    settle(qtbot, runner)
    [dialog] = _dialogs(RecoveryKeyDialog)
    assert dialog.must_save
    dialog.confirm.setChecked(True)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.save_button.click()
    settle(qtbot, runner)
    offer_recovery_key(ctx_for(station["manager"]))
    settle(qtbot, runner)
    assert _dialogs(RecoveryKeyDialog) == []


def _type_key(qtbot, dialog: UnlockDialog, text: str) -> None:
    dialog.edit.clear()
    qtbot.keyClicks(dialog.edit, text)
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)


def test_the_unlock_dialog_takes_the_key_by_keyboard(qtbot, services, runner,
                                                     tmp_path: Path) -> None:
    this_pc = FileKeySeal(services.paths.root, folder=tmp_path / "new-pc")
    problem = StoreKeyMissing(services.paths.database)
    dialog = UnlockDialog(services.paths.root, problem, runner,
                          unlock=lambda text: unlock_station(services.paths.root, text, this_pc))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.problem.text() == render(problem)
    _shot(dialog, "unlock")

    right = services.db.key.recovery_text()
    _type_key(qtbot, dialog, right[:-1] + ("0" if right[-1] != "0" else "1"))  # one typo
    settle(qtbot, runner)
    assert dialog.error_text() == render(RecoveryKeyInvalid())
    assert "Traceback" not in dialog.error_text()

    _type_key(qtbot, dialog, StoreKey.generate().recovery_text())  # another station's
    settle(qtbot, runner)
    assert "另一个维修站" in dialog.error_text()
    assert this_pc.load() is None
    _shot(dialog, "unlock-wrong")

    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        _type_key(qtbot, dialog, " ".join(right.lower().split("-")))
    assert this_pc.load() == services.db.key


def test_quitting_the_unlock_dialog_opens_nothing(qtbot, services, runner,
                                                  tmp_path: Path) -> None:
    seal = FileKeySeal(services.paths.root, folder=tmp_path / "new-pc")
    dialog = UnlockDialog(services.paths.root, StoreKeyMissing(services.paths.database), runner,
                          unlock=lambda text: unlock_station(services.paths.root, text, seal))
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.rejected, timeout=5_000):
        qtbot.keyClick(dialog.edit, Qt.Key.Key_Escape)
    assert seal.load() is None


def _station_elsewhere(tmp_path: Path) -> tuple[Path, StoreKey]:
    """A station whose data came from another PC: encrypted, its key not kept here."""
    root = tmp_path / "moved"
    services = launch.open_services(root)
    key = services.db.key
    services.close()
    default_key_seal(root).clear()
    return root, key


def test_start_up_without_the_key_asks_for_it_then_opens(qtbot, tmp_path: Path, monkeypatch,
                                                         capsys) -> None:
    root, key = _station_elsewhere(tmp_path)
    assert launch._open(root, quiet=True) is None  # the self-test asks nobody
    assert "恢复密钥" in capsys.readouterr().err

    asked: list[BaseException] = []

    class TypedKey:
        def __init__(self, root, problem, tasks) -> None:
            asked.append(problem)
            self.root = root

        def exec(self) -> QDialog.DialogCode:
            unlock_station(self.root, key.recovery_text())
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(launch, "UnlockDialog", TypedKey)
    services = launch._open(root, quiet=False)
    try:
        assert services is not None and services.db.key == key
        assert [type(p) for p in asked] == [StoreKeyMissing]
    finally:
        services.close()


def test_a_plain_database_is_encrypted_at_start_up(qtbot, tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "old").ensure()
    db = Database.open(paths.database)
    migrate.upgrade(db.engine, None, None)
    build_services(paths, db).users.set_up_station(
        NewStation("HZ001", "杭州西湖维修站", "杭州市西湖区", "0571-88888888"),
        NewUser("boss", "站长", Role.MANAGER, PASSWORD))
    db.dispose()
    assert sqlite_driver.is_plain(paths.database)
    services = launch._open(paths.root, quiet=False)
    try:
        assert services is not None and services.db.key is not None
        assert not sqlite_driver.is_plain(paths.database)
        assert services.users.station().code == "HZ001"
    finally:
        services.close()


def test_the_encryption_progress_names_each_step_and_has_no_cancel(qtbot) -> None:
    seen: list[str] = []

    def work(progress) -> str:
        for stage in ("encrypt", "photos", "backups"):
            progress(stage, 0.5)
        import time

        time.sleep(0.6)  # past the dialog's minimum duration
        return "opened"

    def look() -> None:
        for dialog in QApplication.topLevelWidgets():
            if dialog.objectName() == "encrypt_progress" and dialog.isVisible():
                seen.append(f"{dialog.labelText()} {dialog.value()}/{dialog.maximum()}")
                if len(seen) == 1:
                    _shot(dialog, "encrypting")
                    from PySide6.QtWidgets import QPushButton

                    assert not [b for b in dialog.findChildren(QPushButton) if b.isVisible()]

    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.timeout.connect(look)
    timer.start(100)
    assert run_with_encryption_progress(work) == "opened"
    timer.stop()
    assert seen and "加密备份" in seen[-1] and seen[-1].endswith(" 500/1000")

    def broken(progress) -> None:
        raise RuleViolation("The station data could not be opened: {error}", error="x")

    try:
        run_with_encryption_progress(broken)
    except RuleViolation as exc:
        assert exc.params == {"error": "x"}
    else:
        raise AssertionError("the worker's error must reach the caller")


def test_the_settings_section_shows_where_and_the_key_after_the_password(
        qtbot, services, station, runner, ctx_for) -> None:
    section = EncryptionSection(ctx_for(station["manager"]))
    qtbot.addWidget(section)
    section.resize(760, 260)  # the settings page's column
    section.show()
    settle(qtbot, runner)
    assert section.where.text().startswith("用户文件")
    assert section.key_id.text() == services.db.key.key_id
    _shot(section, "settings-encryption")

    section.view_button.click()
    [ask] = _dialogs(PasswordDialog)
    qtbot.keyClicks(ask.password, "not-my-password")
    qtbot.keyClick(ask.password, Qt.Key.Key_Return)
    settle(qtbot, runner)
    assert ask.error_text() == tr("The current password is wrong.")
    qtbot.keyClicks(ask.password, PASSWORD)
    qtbot.keyClick(ask.password, Qt.Key.Key_Return)
    settle(qtbot, runner)
    [dialog] = _dialogs(RecoveryKeyDialog)
    assert dialog.recovery_text == services.db.key.recovery_text()
    dialog.must_save = False
    dialog.close()

    clerk = EncryptionSection(ctx_for(station["clerk"]))
    qtbot.addWidget(clerk)
    settle(qtbot, runner)
    assert clerk.view_button.isHidden()


def test_a_damaged_key_on_this_pc_asks_for_the_recovery_key(qtbot, tmp_path: Path, monkeypatch,
                                                             capsys) -> None:
    root = tmp_path / "damaged"
    services = launch.open_services(root)
    key = services.db.key
    services.close()
    seal = default_key_seal(root)
    seal.path.write_text("not a key", encoding="ascii")
    assert launch._open(root, quiet=True) is None
    assert "已损坏" in capsys.readouterr().err

    class TypedKey:
        def __init__(self, root, problem, tasks) -> None:
            self.root, self.problem = root, problem

        def exec(self) -> QDialog.DialogCode:
            assert "已损坏" in render(self.problem)
            unlock_station(self.root, key.recovery_text())
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(launch, "UnlockDialog", TypedKey)
    services = launch._open(root, quiet=False)
    try:
        assert services is not None and services.db.key == key
    finally:
        services.close()


def test_the_set_up_ends_with_the_recovery_key(qtbot, services, station, runner) -> None:
    from PySide6.QtCore import QTimer

    from app.ui.startup.recovery_key_dialog import show_after_setup

    answered: list[str] = []

    def answer() -> None:
        [dialog] = _dialogs(RecoveryKeyDialog)
        answered.append(dialog.recovery_text)
        dialog.confirm.setChecked(True)
        dialog.save_button.click()

    QTimer.singleShot(300, answer)
    show_after_setup(services, runner, station["manager"])  # returns once it is saved
    assert answered == [services.db.key.recovery_text()]
    assert not services.store_keys.recovery_pending()
    show_after_setup(services, runner, station["manager"])  # saved: nothing shown again
