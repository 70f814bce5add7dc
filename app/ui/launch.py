"""Starts the desktop program: the QApplication, the station's services, first-run set-up,
login, then the main window. ``--self-test`` hands over to ``app.ui.self_test``.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from PySide6.QtWidgets import QDialog, QMessageBox

from app.bootstrap import DatabaseDamaged, DatabaseTooNew, Services, open_services
from app.i18n import render, tr
from app.paths import DataPaths
from app.services.recovery import hold_window_lock, offer_lines, recovery_offer
from app.ui.qt_app import make_application
from app.ui.startup.backup_timer import CloseRequestWatcher, DailyBackup
from app.ui.startup.login_dialog import LoginDialog
from app.ui.startup.recovery_dialog import RecoveryDialog
from app.ui.startup.setup_dialog import SetupDialog
from app.ui.tasks import TaskRunner
from app.ui.window import close_main_window, open_main_window

log = logging.getLogger(__name__)


def run_gui(data_dir: Path | None, self_test: bool) -> int:
    """Runs the window until it is closed; returns the process exit code."""
    if self_test:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = make_application()
    services = _open(data_dir, quiet=self_test)
    if services is None:
        return 2
    log_handler = _log_to_file(services)
    tasks = TaskRunner()
    # held while the window runs: `repair-station restore` refuses to replace the data under it
    running = hold_window_lock(services.paths)
    try:
        if self_test:
            from app.ui.self_test import run_self_test

            return run_self_test(services, tasks)
        if services.users.needs_setup():
            setup = SetupDialog(services.users, tasks)
            if setup.exec() != QDialog.DialogCode.Accepted:
                return 0
        station = services.users.station()
        login = LoginDialog(services.users, tasks, station.name if station else "")
        if login.exec() != QDialog.DialogCode.Accepted or login.actor is None:
            return 0
        window = open_main_window(services, login.actor, tasks)
        DailyBackup(services.backups, tasks, window)
        CloseRequestWatcher(services.paths, window)  # `repair-station restore` asks to close
        window.show()
        code = app.exec()
        close_main_window(window)
        return code
    finally:
        tasks.shutdown()
        services.close()
        running.release()
        logging.getLogger().removeHandler(log_handler)
        log_handler.close()


def _open(data_dir: Path | None, quiet: bool) -> Services | None:
    try:
        return open_services(data_dir)
    except DatabaseDamaged as exc:
        if not _recovered(exc, quiet):
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


def _log_to_file(services: Services) -> logging.Handler:
    handler = logging.FileHandler(services.paths.logs / "repair-station.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    return handler
