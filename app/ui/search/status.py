"""The search index indicator (正在建立搜索索引 37%): on a station whose order or customer
index is not complete (upgraded to schema 0009, rows written behind the program's back, a new
``WORDS_VERSION``) it builds the index after log-in, one short batch per task on the database
worker, so searches and saves queue behind at most one batch; hidden when there is nothing
to build. Until the build ends, search finds prefixes only (the tooltip says so)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QWidget

from app.i18n import render, tr
from app.services.search_build import BuildStep, SearchBuilder
from app.ui.extensions import UiContext

log = logging.getLogger(__name__)


class SearchIndexStatus(QLabel):
    #: every index is complete (emitted once, also when there was nothing to build)
    finished = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="search_index_status")
        self.ctx = ctx
        self.builder = SearchBuilder(ctx.services.db)
        self.setToolTip(tr("Until it is done, search finds only the start of numbers, "
                           "phones and names."))
        self.hide()
        self._run(self.builder.progress)

    def _run(self, work: Callable[[], BuildStep]) -> None:
        # a closing window's runner refuses work: the build resumes at the next log-in
        with contextlib.suppress(RuntimeError):
            self.ctx.tasks.run(work, self._stepped, self._failed, owner=self)

    def _stepped(self, step: BuildStep) -> None:
        if step.finished:
            self.hide()
            self.finished.emit()
            return
        self.setText(tr("Building the search index {percent}%", percent=step.percent))
        self.show()
        self._run(self.builder.step)

    def _failed(self, error: BaseException) -> None:
        log.error("search index build failed", exc_info=(type(error), error,
                                                         error.__traceback__))
        message = render(error) if isinstance(error, Exception) else str(error)
        self.setText(tr("The search index could not be built: {message}", message=message))
        self.show()


def status_widget(ctx: UiContext) -> QWidget:
    return SearchIndexStatus(ctx)
