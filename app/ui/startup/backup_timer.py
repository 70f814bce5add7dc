"""The automatic daily backup while the window runs: once shortly after start, then a look
every half hour; ``BackupService.run_daily`` decides whether one is due (none in the last day,
or none since today's backup hour) and skips while a sync runs. The backup itself runs on the
task runner's slow pool, never on the GUI thread; a failure is logged (the settings page shows
the last backup's time, so a stale one is seen).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer

from app.services.backups import BackupInfo, BackupService
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
