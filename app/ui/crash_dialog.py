"""The window's answer to an unexpected error: 程序出现意外错误 with 保存错误报告 (a redacted
report the station sends to support, written to a folder the user picks), 继续 and 退出.

``install_crash_dialog()`` makes ``app.logs`` call it for any error: in a slot (PySide6 hands
those to ``sys.excepthook``), on the GUI thread or in a worker thread (the error is carried
to the GUI thread by a queued signal). One dialog at a time: errors while it is open are
logged only.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import TracebackType

import PySide6
import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot, qVersion
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import logs
from app.i18n import tr

#: exit code of 退出 after an unexpected error
EXIT_AFTER_CRASH = 70


def qt_versions() -> dict[str, str]:
    return {"Qt": qVersion(), "PySide6": PySide6.__version__}


def _choose_folder(parent: QWidget) -> Path | None:
    folder = QFileDialog.getExistingDirectory(parent, tr("Save the error report in"),
                                              str(Path.home()))
    return Path(folder) if folder else None


class CrashDialog(QDialog):
    """Shows what happened in one sentence and the report that would be saved."""

    def __init__(self, report: str, parent: QWidget | None = None,
                 choose_folder: Callable[[QWidget], Path | None] = _choose_folder) -> None:
        super().__init__(parent)
        self.report = report
        self.choose_folder = choose_folder
        self.saved_path: Path | None = None
        self.setObjectName("crash_dialog")
        self.setWindowTitle(tr("Unexpected error"))
        self.setMinimumWidth(560)
        heading = QLabel(tr("The program ran into an unexpected error."))
        heading.setStyleSheet("font-size: 15px; font-weight: bold;")
        explain = QLabel(tr("What was saved before stays saved. Save an error report and "
                            "send it to support; it holds the program's versions, where the "
                            "error happened and the last log lines, and no customer data."))
        explain.setWordWrap(True)
        self.details = QPlainTextEdit(report, objectName="crash_report")
        self.details.setReadOnly(True)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setMinimumHeight(220)
        self.saved_label = QLabel(objectName="crash_saved")
        self.saved_label.setWordWrap(True)
        self.saved_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_button = QPushButton(tr("Save error report…"), objectName="crash_save")
        self.continue_button = QPushButton(tr("Continue"), objectName="crash_continue")
        self.quit_button = QPushButton(tr("Quit"), objectName="crash_quit")
        self.save_button.clicked.connect(self.save_report)
        self.continue_button.clicked.connect(self.accept)
        self.quit_button.clicked.connect(self.quit_program)
        self.continue_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(self.continue_button)
        buttons.addWidget(self.quit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(explain)
        layout.addWidget(self.details, 1)
        layout.addWidget(self.saved_label)
        layout.addLayout(buttons)

    def save_report(self) -> Path | None:
        folder = self.choose_folder(self)
        if folder is None:
            return None
        try:
            self.saved_path = logs.write_report(folder, self.report)
        except OSError as exc:
            self.saved_label.setText(tr("The report could not be saved: {error}",
                                        error=exc.strerror or type(exc).__name__))
            return None
        self.saved_label.setText(tr("Saved as {path}", path=self.saved_path))
        return self.saved_path

    def quit_program(self) -> None:
        self.done(QDialog.DialogCode.Rejected)
        QApplication.exit(EXIT_AFTER_CRASH)


class CrashReporter(QObject):
    """Carries an unexpected error from any thread to one dialog on the GUI thread."""

    crashed = Signal(object)

    def __init__(self, parent_window: Callable[[], QWidget | None] = QApplication.activeWindow
                 ) -> None:
        super().__init__()
        self.parent_window = parent_window
        self.dialog: CrashDialog | None = None
        self.choose_folder: Callable[[QWidget], Path | None] = _choose_folder
        self.crashed.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def listener(self, exc_type: type[BaseException], exc: BaseException,
                 tb: TracebackType | None) -> None:
        report = logs.crash_report(exc_type, exc, tb, qt_versions())
        self.crashed.emit(report)

    @Slot(object)
    def _show(self, report: str) -> None:
        if self.showing():
            return  # logged already; one dialog is enough
        self.dialog = CrashDialog(report, self.parent_window(), self.choose_folder)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.open()

    def showing(self) -> bool:
        """Is a crash dialog open now?"""
        return (self.dialog is not None and shiboken6.isValid(self.dialog)
                and self.dialog.isVisible())

    def uninstall(self) -> None:
        logs.remove_crash_listener(self.listener)


def install_crash_dialog(
        parent_window: Callable[[], QWidget | None] = QApplication.activeWindow,
) -> CrashReporter:
    """The hook and the dialog for the running window (keep the returned object)."""
    reporter = CrashReporter(parent_window)
    logs.install_excepthook()
    logs.add_crash_listener(reporter.listener)
    return reporter
