"""Builds the logged-in window: loads the areas, makes the ``UiContext`` and the main window;
``WindowSession`` keeps one window at a time across 注销/切换用户 (log out: the window closes,
the login dialog asks who is next, a fresh window with fresh pages opens for that user).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QDialog

from app.bootstrap import Services
from app.services.context import Actor
from app.ui.areas import load_areas
from app.ui.extensions import Changes, UiContext
from app.ui.main_window import MainWindow
from app.ui.settings import UiSettings
from app.ui.startup.login_dialog import LoginDialog
from app.ui.tasks import TaskRunner


def open_main_window(services: Services, actor: Actor, tasks: TaskRunner) -> MainWindow:
    """The main window for ``actor``; the caller ends it with ``close_main_window``."""
    load_areas()
    changes = Changes(services.bus)
    ctx = UiContext(
        services=services, actor=actor, tasks=tasks, changes=changes,
        settings=UiSettings(services.paths.settings),
    )
    return MainWindow(ctx, services.users.station())


def close_main_window(window: MainWindow) -> None:
    """Closes the window and detaches it from the ChangeBus."""
    window.closing = True
    window.close()
    window.ctx.changes.close()
    window.deleteLater()


class WindowSession(QObject):
    """The logged-in window of the running program, one user at a time.

    ``start(actor)`` opens the window; its 注销/切换用户 closes it and shows the login dialog
    (``login_dialog``); whoever logs in gets a new window (``window_opened``), built from
    scratch, so nothing of the previous user's pages stays. 退出 at the login ends the program
    (``ended``; the default quits the application).
    """

    window_opened = Signal(object)
    ended = Signal()

    def __init__(self, services: Services, tasks: TaskRunner,
                 on_window: Callable[[MainWindow], None] | None = None) -> None:
        super().__init__()
        self.services = services
        self.tasks = tasks
        #: called with every new window (the daily backup timer, the crash dialog's parent)
        self.on_window = on_window
        self.window: MainWindow | None = None
        self.login_dialog: LoginDialog | None = None
        self._quit_on_last = True

    def start(self, actor: Actor) -> MainWindow:
        """Opens and shows the window for ``actor``."""
        window = open_main_window(self.services, actor, self.tasks)
        if self.on_window is not None:
            self.on_window(window)
        self.adopt(window)
        window.show()
        self.window_opened.emit(window)
        return window

    def adopt(self, window: MainWindow) -> None:
        """Takes over a window opened by the caller (the first one after start-up)."""
        window.log_out_requested.connect(self.log_out)
        self.window = window

    def log_out(self) -> None:
        """Closes the window and asks who logs in next (the window already settled its
        unsaved edits)."""
        if self.window is None or self.login_dialog is not None:
            return
        station = self.services.users.station()
        dialog = LoginDialog(self.services.users, self.tasks, station.name if station else "")
        self.login_dialog = dialog
        # no window for a moment while the dialog closes: that must not end the program
        app = QApplication.instance()
        self._quit_on_last = app.quitOnLastWindowClosed()
        app.setQuitOnLastWindowClosed(False)
        dialog.finished.connect(self._login_finished)
        dialog.open()  # shown before the old window goes: never "the last window closed"
        old, self.window = self.window, None
        close_main_window(old)

    def _login_finished(self, result: int) -> None:
        dialog, self.login_dialog = self.login_dialog, None
        if dialog is None:
            return
        dialog.deleteLater()
        try:
            if result == QDialog.DialogCode.Accepted and dialog.actor is not None:
                self.start(dialog.actor)
            else:
                self.ended.emit()
        finally:
            QApplication.instance().setQuitOnLastWindowClosed(self._quit_on_last)

    def close(self) -> None:
        if self.login_dialog is not None:
            self.login_dialog.done(QDialog.DialogCode.Rejected)
        if self.window is not None:
            old, self.window = self.window, None
            close_main_window(old)


def quit_when_ended(session: WindowSession) -> None:
    """The program ends when nobody logs in after a log-out."""
    session.ended.connect(QApplication.quit)
