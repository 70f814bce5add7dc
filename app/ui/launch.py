"""Starts the desktop program: the QApplication, the station's services, first-run set-up,
login, then the main window. ``--self-test`` hands over to ``app.ui.self_test``.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QDialog, QMessageBox

from app.bootstrap import DatabaseDamaged, DatabaseTooNew, Services, open_services
from app.i18n import render, tr
from app.logs import setup_logging, stop_logging
from app.paths import DataPaths, default_data_dir
from app.services.recovery import hold_window_lock, offer_lines, recovery_offer
from app.services.store_keys import KEY_PROBLEMS, needs_encryption
from app.ui.crash_dialog import install_crash_dialog
from app.ui.main_window import MainWindow
from app.ui.qt_app import make_application
from app.ui.startup.backup_timer import CloseRequestWatcher, DailyBackup
from app.ui.startup.encrypt_progress import run_with_encryption_progress
from app.ui.startup.first_run import first_run, needs_first_run
from app.ui.startup.login_dialog import LoginDialog
from app.ui.startup.recovery_dialog import RecoveryDialog
from app.ui.startup.recovery_key_dialog import offer_recovery_key
from app.ui.startup.unlock_dialog import UnlockDialog
from app.ui.tasks import TaskRunner
from app.ui.window import WindowSession, open_main_window, quit_when_ended

log = logging.getLogger(__name__)


def run_gui(data_dir: Path | None, self_test: bool) -> int:
    """Runs the window until it is closed; returns the process exit code."""
    if self_test:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = make_application()
    services = _open(data_dir, quiet=self_test)
    if services is None:
        return 2
    setup_logging(services.paths.logs)
    crashes = None if self_test else install_crash_dialog()
    tasks = TaskRunner()
    # held while the window runs: `repair-station restore` refuses to replace the data under it
    running = hold_window_lock(services.paths)
    try:
        if self_test:
            from app.ui.self_test import run_self_test

            return run_self_test(services, tasks)
        # a new station, or joining one (加入已有维修站; a cut-short download 继续下载 first)
        if needs_first_run(services) and not first_run(services, tasks):
            return 0
        station = services.users.station()
        login = LoginDialog(services.users, tasks, station.name if station else "")
        if login.exec() != QDialog.DialogCode.Accepted or login.actor is None:
            return 0
        window = open_main_window(services, login.actor, tasks)
        DailyBackup(services.backups, tasks, window)
        CloseRequestWatcher(services.paths, window)  # `repair-station restore` asks to close
        window.show()
        offer_recovery_key(window.ctx, window)  # a manager, until the recovery key is saved
        # 注销/切换用户 closes this window and opens the next user's (app.ui.window)
        session = WindowSession(services, tasks, on_window=_per_window(services, tasks))
        session.adopt(window)
        quit_when_ended(session)
        code = app.exec()
        session.close()
        return code
    finally:
        tasks.shutdown()
        services.close()
        running.release()
        if crashes is not None:
            crashes.uninstall()
        stop_logging()


def _per_window(services: Services, tasks: TaskRunner) -> Callable[[MainWindow], None]:
    """What each window opened after a log-out gets, like the first one."""

    def equip(window: MainWindow) -> None:
        DailyBackup(services.backups, tasks, window)
        CloseRequestWatcher(services.paths, window)
        offer_recovery_key(window.ctx, window)

    return equip


def _open(data_dir: Path | None, quiet: bool) -> Services | None:
    root = Path(data_dir or default_data_dir())
    try:
        if not quiet and needs_encryption(root):
            # an older program's plain database: encrypted in place first, which can take
            # a while on a big station (app.ui.startup.encrypt_progress)
            return run_with_encryption_progress(
                lambda progress: open_services(data_dir, progress=progress))
        return open_services(data_dir)
    except DatabaseDamaged as exc:
        if not _recovered(exc, quiet):
            return None
        return _open(data_dir, quiet)
    except KEY_PROBLEMS as exc:
        # this PC cannot open the encrypted data: the recovery key opens it
        if not _unlocked(root, exc, quiet):
            return None
        return _open(data_dir, quiet)
    except DatabaseTooNew as exc:
        text = render(exc)
    except Exception as exc:  # the user must see why the program cannot start
        log.exception("cannot open the station data")
        text = tr("The station data could not be opened: {error}", error=str(exc))
    print(text, file=sys.stderr)
    if not quiet:
        QMessageBox.critical(None, tr("Repair Station"), text)
    return None


def _unlocked(root: Path, problem: Exception, quiet: bool) -> bool:
    """The recovery-key dialog; True once the key typed opened the data (and is kept)."""
    print(render(problem), file=sys.stderr)  # (no log yet: it is set up once the data opens)
    if quiet:
        return False
    tasks = TaskRunner()
    try:
        dialog = UnlockDialog(root, problem, tasks)
        return dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        tasks.shutdown()


def _recovered(damage: DatabaseDamaged, quiet: bool) -> bool:
    """The recovery dialog for a damaged database; True once a backup was restored."""
    offer = recovery_offer(DataPaths(damage.db_path.parent), damage.problem)
    log.error("the station database cannot be opened: %s", damage)
    print("\n".join(offer_lines(offer)), file=sys.stderr)
    if quiet:
        return False
    tasks = TaskRunner()
    try:
        dialog = RecoveryDialog(offer, tasks)
        return dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        tasks.shutdown()
