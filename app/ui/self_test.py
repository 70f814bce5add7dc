"""``--self-test``: opens the main window offscreen, shows every page once and exits 0 —
or non-zero on any exception or Qt warning. Installers run it after installing.

Logging in is skipped by acting as the station's first active manager. A data folder that
is not set up yet gets the set-up and login dialogs checked instead.
"""

from __future__ import annotations

import sys
import time
import traceback
from dataclasses import replace

from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from app.bootstrap import Services
from app.domain.enums import Role
from app.services.context import Actor
from app.ui.startup.login_dialog import LoginDialog
from app.ui.startup.setup_dialog import SetupDialog
from app.ui.tasks import TaskRunner
from app.ui.window import close_main_window, open_main_window

WAIT_SECONDS = 15.0
FAILING = (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)
#: the offscreen platform says it cannot do what only a real screen does; not our fault
OFFSCREEN_NOISE = (
    "This plugin does not support propagateSizeHints()",
    "This plugin does not support raise()",
    "This plugin does not support setParent!",
)


def is_failure(kind: QtMsgType, message: str) -> bool:
    """Whether a Qt message must fail the self-test (and the Qt tests)."""
    if kind not in FAILING:
        return False
    return not (QGuiApplication.platformName() == "offscreen" and message in OFFSCREEN_NOISE)


def run_self_test(services: Services, tasks: TaskRunner) -> int:
    problems: list[str] = []

    def on_qt_message(kind, _context, message: str) -> None:
        if is_failure(kind, message):
            problems.append(f"Qt {kind.name}: {message}")

    def on_exception(kind, value, tb) -> None:
        problems.append("".join(traceback.format_exception(kind, value, tb)))

    previous_handler = qInstallMessageHandler(on_qt_message)
    previous_hook, sys.excepthook = sys.excepthook, on_exception
    tasks.default_error = lambda err: problems.append(f"task failed: {err!r}")
    try:
        shown = _exercise(services, tasks, problems)
    except Exception:
        problems.append(traceback.format_exc())
        shown = []
    finally:
        qInstallMessageHandler(previous_handler)
        sys.excepthook = previous_hook
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"self-test: showed {', '.join(shown) or 'nothing'}; "
          f"{'FAILED' if problems else 'ok'}")
    return 1 if problems else 0


def _exercise(services: Services, tasks: TaskRunner, problems: list[str]) -> list[str]:
    if services.users.needs_setup():
        shown = []
        for dialog in (SetupDialog(services.users, tasks), LoginDialog(services.users, tasks)):
            dialog.show()
            _settle(tasks, problems)
            dialog.close()
            shown.append(type(dialog).__name__)
        return shown
    managers = services.users.list_users(role=Role.MANAGER)
    if not managers:
        raise RuntimeError("the station has no active manager")
    first = managers[0]
    actor = Actor(first.id, first.username, first.display_name, first.role)
    window = open_main_window(services, actor, tasks)
    window.show()
    _settle(tasks, problems)
    for key in window.page_keys():
        window.show_page(key)
        _settle(tasks, problems)
    shown = window.page_keys()
    orders = window.page("orders") if "orders" in shown else None
    if orders is not None and orders.model.rowCount() > 0:
        # the order editor is where most of the window's code runs
        editor = orders.open_order(orders.model.row_at(0).id)
        _settle(tasks, problems)
        if editor.current_order() is None:
            problems.append("the order editor did not load its order")
        for index in range(editor.tabs.count()):
            editor.tabs.setCurrentIndex(index)
            _settle(tasks, problems)
        editor.close()
        _settle(tasks, problems)
        shown.append("order editor")
        _print_rare_characters(services, orders.model.row_at(0).id, problems)
        shown.append("report with rare characters")
    close_main_window(window)
    _settle(tasks, problems)
    return shown


def _print_rare_characters(services: Services, order_id: str, problems: list[str]) -> None:
    """Renders the order's report with characters only the fallback fonts draw, so a build
    missing a font file or fontTools' table modules fails here, not at a customer's order."""
    sheet = services.reports.sheet(order_id)
    rare = replace(sheet, customer_name=sheet.customer_name + "䶮𠀀", fault="出风温度12℃ ǎ")
    if not services.reports.pdf("report", rare, "A4").startswith(b"%PDF"):
        problems.append("the repair report did not render")


def _settle(tasks: TaskRunner, problems: list[str]) -> None:
    """Processes events until the task runner is idle (pages load their data)."""
    deadline = time.monotonic() + WAIT_SECONDS
    QApplication.processEvents()
    while tasks.pending and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.01)
    QApplication.processEvents()
    if tasks.pending:
        problems.append(f"background work still running after {WAIT_SECONDS:.0f} s")
