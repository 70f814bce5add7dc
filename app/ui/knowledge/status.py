"""The background build of the repair knowledge after log-in: one short batch at a time on
the task runner's database worker (other work slips in between), its progress in the status
bar, hidden once the index is complete (at once on a station that needs no build)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from app.i18n import tr
from app.services.knowledge import BuildProgress
from app.ui.extensions import UiContext

log = logging.getLogger(__name__)
#: records per step in the window: a fraction of a second, so a click never waits long
GUI_BATCH = 300
PAUSE_MS = 30


class KnowledgeBuildStatus(QLabel):
    def __init__(self, ctx: UiContext) -> None:
        super().__init__(objectName="knowledge_build")
        self.ctx = ctx
        self.progress: BuildProgress | None = None
        self.hide()
        QTimer.singleShot(0, self._step)

    def _step(self) -> None:
        knowledge = self.ctx.services.knowledge
        self.ctx.tasks.run(lambda: knowledge.build_step(GUI_BATCH), self._stepped,
                           self._failed, owner=self)

    def _stepped(self, progress: BuildProgress) -> None:
        self.progress = progress
        if progress.complete:
            self.hide()
            return
        percent = progress.done * 100 // progress.total if progress.total else 0
        self.setText(tr("Building the repair knowledge: {percent}%", percent=percent))
        self.show()
        QTimer.singleShot(PAUSE_MS, self._step)

    def _failed(self, error: BaseException) -> None:
        log.warning("repair knowledge build failed", exc_info=error)
        self.setText(tr("The repair knowledge could not be built: {message}",
                        message=str(error)))
        self.show()


def status_widget(ctx: UiContext) -> QWidget:
    return KnowledgeBuildStatus(ctx)
