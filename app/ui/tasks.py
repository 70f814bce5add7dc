"""The one task runner: keeps database, PDF and network work off the GUI thread.

Database work runs on ONE serial worker thread (SQLite has one writer; serial order also means
a read issued after a write sees it). Slow work that does not touch the database (PDF
rendering, network) runs on a small pool. Results and errors come back on the GUI thread
through a queued signal; a worker never touches a widget. ``busy_changed`` drives the busy
indicator; ``idle`` fires when nothing is pending (tests wait on it).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.i18n import tr

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]
#: report(done, total, text) from inside a progress task
Report = Callable[[int, int, str], None]


@dataclass
class _Delivery:
    ok: bool
    value: Any
    on_done: Done | None
    on_error: Failed | None
    owner: QObject | None


class TaskRunner(QObject):
    """``run(fn, on_done, on_error)``: ``fn()`` off the GUI thread, callbacks on it."""

    busy_changed = Signal(bool)
    idle = Signal()
    _delivered = Signal(object)
    _progressed = Signal(object, int, int, str)

    def __init__(self, parent: QObject | None = None, slow_workers: int = 2) -> None:
        super().__init__(parent)
        self._db = ThreadPoolExecutor(max_workers=1, thread_name_prefix="db")
        self._slow = ThreadPoolExecutor(max_workers=slow_workers, thread_name_prefix="slow")
        self._pending = 0
        self._closed = False
        #: called for errors of tasks that gave no ``on_error`` (the window shows a message)
        self.default_error: Failed | None = None
        self._delivered.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._progressed.connect(self._show_progress, Qt.ConnectionType.QueuedConnection)

    @property
    def pending(self) -> int:
        return self._pending

    @property
    def busy(self) -> bool:
        return self._pending > 0

    @property
    def closed(self) -> bool:
        """Shut down: a page's late timer must not start work any more."""
        return self._closed

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Done | None = None,
        on_error: Failed | None = None,
        *,
        owner: QObject | None = None,
        slow: bool = False,
    ) -> None:
        """Runs ``fn`` on the database worker (or the slow pool when ``slow``).

        ``owner``: when that widget has been destroyed by the time the result arrives, the
        callbacks are dropped instead of touching a dead object.
        """
        if self._closed:
            raise RuntimeError("task runner is shut down")
        self._started()
        pool = self._slow if slow else self._db
        pool.submit(self._work, fn, on_done, on_error, owner)

    def run_with_progress(
        self,
        fn: Callable[[Report, Callable[[], bool]], Any],
        on_done: Done | None = None,
        on_error: Failed | None = None,
        *,
        title: str,
        parent: QWidget | None = None,
        slow: bool = True,
    ) -> QProgressDialog:
        """Long work with a progress dialog: ``fn(report, cancelled)``; Cancel sets the flag
        ``cancelled()`` returns, and ``fn`` decides where it can stop cleanly."""
        cancel = threading.Event()
        dialog = QProgressDialog(title, tr("Cancel"), 0, 0, parent)
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(cancel.set)

        def report(done: int, total: int, text: str = "") -> None:
            self._progressed.emit(dialog, done, total, text)

        def finish(callback: Callable[[Any], None] | None) -> Callable[[Any], None]:
            def inner(value: Any) -> None:
                if shiboken6.isValid(dialog):
                    dialog.canceled.disconnect(cancel.set)
                    dialog.close()
                    dialog.deleteLater()
                if callback is not None:
                    callback(value)
                elif isinstance(value, BaseException) and self.default_error is not None:
                    self.default_error(value)
            return inner

        self.run(lambda: fn(report, cancel.is_set), finish(on_done), finish(on_error),
                 slow=slow)
        return dialog

    def shutdown(self) -> None:
        """Waits for running work to finish; later results are no longer delivered."""
        self._closed = True
        self._db.shutdown(wait=True, cancel_futures=True)
        self._slow.shutdown(wait=True, cancel_futures=True)

    # -- internals --------------------------------------------------------------------------
    def _started(self) -> None:
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)

    def _work(self, fn: Callable[[], Any], on_done: Done | None, on_error: Failed | None,
              owner: QObject | None) -> None:
        try:
            value = fn()
            delivery = _Delivery(True, value, on_done, on_error, owner)
        except BaseException as exc:  # every failure goes back to the GUI thread
            delivery = _Delivery(False, exc, on_done, on_error, owner)
        self._delivered.emit(delivery)

    @Slot(object)
    def _deliver(self, delivery: _Delivery) -> None:
        try:
            if delivery.owner is not None and not shiboken6.isValid(delivery.owner):
                return
            if delivery.ok:
                if delivery.on_done is not None:
                    delivery.on_done(delivery.value)
            else:
                self._failed(delivery)
        finally:
            self._pending -= 1
            if self._pending == 0:
                self.busy_changed.emit(False)
                self.idle.emit()

    def _failed(self, delivery: _Delivery) -> None:
        exc = delivery.value
        if getattr(exc, "template", None) is None:
            log.error("background task failed", exc_info=(type(exc), exc, exc.__traceback__))
        if delivery.on_error is not None:
            delivery.on_error(exc)
        elif self.default_error is not None:
            self.default_error(exc)

    @Slot(object, int, int, str)
    def _show_progress(self, dialog: QProgressDialog, done: int, total: int, text: str) -> None:
        if not shiboken6.isValid(dialog):
            return
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total > 0 else 0)
        if text:
            dialog.setLabelText(text)
