"""Accounts in the window: 注销/切换用户 (unsaved order windows asked about first, then the
login dialog, then a fresh window with the next user's pages), 修改密码, and the crash
dialog for an error inside a slot."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDialog

from app import logs
from app.ui.crash_dialog import install_crash_dialog
from app.ui.main_window import LOG_OUT_SHORTCUT
from app.ui.window import WindowSession, open_main_window
from tests.conftest import PASSWORD
from tests.ui.conftest import settle


class Answer:
    """Answers the window's question about unsaved windows without a modal box."""

    def __init__(self, discard: bool) -> None:
        self.discard = discard
        self.asked: list[int] = []

    def unsaved_windows(self, parent, count, answered) -> None:
        self.asked.append(count)
        answered(self.discard)


@pytest.fixture
def session(qtbot, services, station, runner):
    made = WindowSession(services, runner)
    window = open_main_window(services, station["manager"], runner)
    made.adopt(window)
    window.show()
    qtbot.waitExposed(window)
    settle(qtbot, runner)
    yield made
    made.close()
    settle(qtbot, runner)


def _log_in(qtbot, runner, session: WindowSession, username: str, password: str):
    dialog = session.login_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.username.setText(username)
    dialog.password.setText(password)
    with qtbot.waitSignal(session.window_opened, timeout=10_000) as opened:
        dialog.try_login()
    settle(qtbot, runner)
    return opened.args[0]


def test_log_out_and_in_as_another_user_gives_a_fresh_window_with_his_pages(
        qtbot, session, runner, station) -> None:
    first = session.window
    assert "users" in first.page_keys() and "boss" not in first.user_label.text()
    assert first.log_out_action.shortcut() == QKeySequence(LOG_OUT_SHORTCUT)
    assert first.log_out_action.text() == "注销/切换用户"
    first.show_page("users")
    first.log_out_action.trigger()
    assert session.window is None and not first.isVisible()
    assert session.login_dialog.isVisible()

    second = _log_in(qtbot, runner, session, "tech", PASSWORD)
    assert second is session.window and second is not first and second.isVisible()
    assert "王师傅" in second.user_label.text()
    assert "users" not in second.page_keys()  # a technician's pages only
    assert second.ctx.actor.user_id == station["tech"].user_id
    assert second.ctx is not first.ctx and not second._pages.get("users")
    assert QApplication.instance().quitOnLastWindowClosed()


def test_quit_at_the_login_after_log_out_ends_the_program(qtbot, session) -> None:
    session.window.log_out()
    with qtbot.waitSignal(session.ended, timeout=5_000):
        session.login_dialog.reject()
    assert session.window is None and session.login_dialog is None


def test_a_wrong_password_at_the_login_after_log_out_is_refused(qtbot, session,
                                                              runner) -> None:
    session.window.log_out()
    dialog = session.login_dialog
    dialog.username.setText("clerk")
    dialog.password.setText("wrong-password")
    dialog.try_login()
    settle(qtbot, runner)
    assert session.window is None and dialog.isVisible()
    assert "用户名或密码错误" in dialog.error_text()


def test_unsaved_order_window_is_asked_about_before_log_out(qtbot, session, runner) -> None:
    window = session.window
    editor = window.page("orders").new_order()
    qtbot.waitExposed(editor)
    settle(qtbot, runner)
    editor.new_form.customer_name.setText("周建华")
    assert window.unsaved_windows() == [editor]

    stay = Answer(discard=False)
    window.prompts = stay
    window.log_out()
    assert stay.asked == [1]
    assert session.window is window and session.login_dialog is None and editor.isVisible()

    window.prompts = Answer(discard=True)
    window.log_out()
    assert not editor.isVisible()
    assert session.login_dialog is not None and session.login_dialog.isVisible()


def test_quit_asks_about_unsaved_order_windows_too(qtbot, session, runner) -> None:
    window = session.window
    editor = window.page("orders").new_order()
    qtbot.waitExposed(editor)
    editor.new_form.customer_name.setText("周建华")
    window.prompts = Answer(discard=False)
    window.close()
    assert window.isVisible() and editor.isVisible()
    window.prompts = Answer(discard=True)
    window.close()
    assert not editor.isVisible()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5_000)


def test_change_my_password_checks_the_current_one(qtbot, session, runner, services) -> None:
    window = session.window
    assert window.password_action.text() == "修改密码…"
    dialog = window.change_own_password()
    qtbot.waitExposed(dialog)
    dialog.old_password.setText("not-my-password")
    dialog.password.setText("brand-new-horse")
    dialog.again.setText("brand-new-horse")
    dialog.save()
    settle(qtbot, runner)
    assert dialog.isVisible() and "当前密码不正确" in dialog.error_text("old_password")
    assert dialog.old_password.text() == ""

    dialog.old_password.setText(PASSWORD)
    dialog.again.setText("brand-new-hors")
    dialog.save()
    assert "两次输入的密码不一致" in dialog.error_text("password_again")

    dialog.again.setText("brand-new-horse")
    dialog.password.setText("brand-new-horse")
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert services.users.login("boss", "brand-new-horse").username == "boss"


@pytest.mark.qt_no_exception_capture
def test_an_error_inside_a_slot_shows_the_crash_dialog_that_saves_a_report(
        qtbot, tmp_path: Path, capsys) -> None:
    logs.setup_logging(tmp_path / "logs")
    reporter = install_crash_dialog()
    reporter.choose_folder = lambda parent: tmp_path
    try:
        logs.log.info("order for 林美玲 13755556666 opened")

        def boom() -> None:
            customer_phone = "13755556666"  # noqa: F841 (a local the report must not show)
            raise RuntimeError("the orders page could not lay out row 7")

        QTimer.singleShot(0, boom)
        qtbot.waitUntil(reporter.showing, timeout=5_000)
        dialog = reporter.dialog
        assert dialog.windowTitle() == "程序出现意外错误"
        assert dialog.save_button.text() == "保存错误报告…"
        assert dialog.continue_button.text() == "继续" and dialog.quit_button.text() == "退出"
        dialog.save_button.click()
        saved = dialog.saved_path
        assert saved is not None and saved.parent == tmp_path
        report = saved.read_text(encoding="utf-8")
        assert "RuntimeError: the orders page could not lay out row 7" in report
        assert "in boom" in report and "Qt: " in report and "PySide6: " in report
        assert "order for *** *** opened" in report
        assert "13755556666" not in report and "林美玲" not in report
        assert str(saved) in dialog.saved_label.text()
        with qtbot.waitSignal(dialog.finished, timeout=5_000):
            dialog.continue_button.click()
    finally:
        reporter.uninstall()
        logs.stop_logging()
    assert "RuntimeError" in capsys.readouterr().err  # the console still sees it


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_worker_thread_reaches_the_dialog_on_the_gui_thread(
        qtbot, tmp_path: Path) -> None:
    import threading

    logs.setup_logging(tmp_path / "logs")
    hooks = sys.excepthook, threading.excepthook
    reporter = install_crash_dialog()
    try:
        def work() -> None:
            raise LookupError("price list page 2 missing")

        worker = threading.Thread(target=work)
        worker.start()
        worker.join()
        qtbot.waitUntil(reporter.showing, timeout=5_000)
        assert "LookupError: price list page 2 missing" in reporter.dialog.report
        reporter.dialog.continue_button.click()
        qtbot.waitUntil(lambda: not reporter.showing(), timeout=5_000)
    finally:
        reporter.uninstall()
        logs.stop_logging()
        sys.excepthook, threading.excepthook = hooks
