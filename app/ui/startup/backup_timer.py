"""What runs beside the window for backups: ``DailyBackup``, the automatic daily backup, and
``CloseRequestWatcher``, which closes the window when a command-line restore asks.

The daily backup: once shortly after start, then a look
every half hour; ``BackupService.run_daily`` decides whether one is due (none in the last day,
or none since today's backup hour) and skips while a sync runs. The backup itself runs on the
task runner's slow pool, never on the GUI thread; a failure is logged (the settings page shows
the last backup's time, so a stale one is seen), and damage its check of every page finds in
the database is shown at once.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from app.i18n import render, tr
from app.paths import DataPaths
from app.services.backups import BackupInfo, BackupService
from app.services.recovery import clear_close_request, close_requested
from app.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

FIRST_DELAY_MS = 20_000
EVERY_MS = 30 * 60_000


class DailyBackup(QObject):
    def __init__(self, backups: BackupService, tasks: TaskRunner, parent: QObject | None = None,
                 first_delay_ms: int = FIRST_DELAY_MS, every_ms: int = EVERY_MS) -> None:
        super().__init__(parent)
        self._backups = backups
        self._tasks = tasks
        self._running = False
        self.last: BackupInfo | None = None
        #: the damage the last failed backup found ("" when none)
        self.warned = ""
        self.timer = QTimer(self)
        self.timer.setInterval(every_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()
        QTimer.singleShot(first_delay_ms, self.check)

    def check(self) -> None:
        if self._running:
            return
        self._running = True
        self._tasks.run(self._backups.run_daily, self._done, self._failed, owner=self,
                        slow=True)

    def _done(self, made: BackupInfo | None) -> None:
        self._running = False
        if made is not None:
            self.last = made

    def _failed(self, error: BaseException) -> None:
        self._running = False
        log.error("the daily backup failed: %s", error, exc_info=error)
        if getattr(error, "kind", None) == "damaged":  # its check of every page found damage
            self.warned = render(error)
            parent = self.parent()
            QMessageBox.warning(parent if isinstance(parent, QWidget) else None,
                                tr("Repair Station"),
                                tr("The daily backup found the station database damaged: "
                                   "{error}\nThe last good backups are kept. Close the "
                                   "program; at the next start it offers the newest good "
                                   "backup.", error=self.warned))


class CloseRequestWatcher(QObject):
    """Closes the main window when ``repair-station restore`` asks (``close-request`` in the
    data folder, looked for every two seconds). The window closes as when closed by hand, so
    unsaved work is asked about first; kept open, the restore gives up and says so."""

    def __init__(self, paths: DataPaths, window: QWidget, every_ms: int = 2_000) -> None:
        super().__init__(window)
        self._paths = paths
        self._window = window
        clear_close_request(paths)  # a request left from before this window is not for it
        self.timer = QTimer(self)
        self.timer.setInterval(every_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> None:
        if not close_requested(self._paths):
            return
        clear_close_request(self._paths)
        log.warning("a command-line restore asked the window to close")
        self._window.close()


def attach_to_window(backups: BackupService, paths: DataPaths, tasks: TaskRunner,
                     window: QWidget) -> None:
    """Everything a main window gets for backups (the first one and each after a log-out):
    the daily backup and the restore's close request, both ending with the window."""
    DailyBackup(backups, tasks, window)
    CloseRequestWatcher(paths, window)
