"""The sync indicator in the status bar: online/offline, last sync, pending changes, conflicts
and unread notices; "立即同步" (F9) with inline progress; a background sync every few minutes
when the station is registered.

Syncs run on the task runner's slow pool (network), never on the database worker, so the
counter's own reads and writes never wait behind the line. A background failure only changes
the indicator; a sync the user asked for also shows the reason.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QProgressBar, QToolButton, QWidget

from app.domain.enums import Role
from app.i18n import render, tr
from app.services import events
from app.services.sync_service import SyncStatus
from app.services.sync_store import SYNC
from app.ui.extensions import UiContext
from app.ui.formatting import local_time
from app.ui.widgets.messages import show_error, show_message
from sync.client import SyncError, SyncReport

#: how often the background sync runs while the station is registered
BACKGROUND_INTERVAL_MS = 5 * 60 * 1000
#: the first background sync after the window opens (let the counter start first)
FIRST_SYNC_DELAY_MS = 15 * 1000
WATCHED = frozenset({SYNC, events.OUTBOX, "conflicts", "notices"})


class SyncStatusWidget(QWidget):
    progressed = Signal(str, int, int)
    finished = Signal(bool)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sync_status")
        self.ctx = ctx
        self.running = False
        self.status: SyncStatus | None = None
        self.label = QLabel(objectName="sync_label")
        self.progress = QProgressBar(objectName="sync_progress")
        self.progress.setMaximumWidth(120)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.sync_action = QAction(tr("Sync now"), self)
        self.sync_action.setObjectName("sync_now")
        self.sync_action.setShortcut(QKeySequence("F9"))
        self.sync_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.sync_action.triggered.connect(lambda: self.sync_now(manual=True))
        self.addAction(self.sync_action)
        self.button = QToolButton(objectName="sync_button")
        self.button.setDefaultAction(self.sync_action)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        if ctx.actor.role is Role.MANAGER:
            menu = QMenu(self.button)
            self.register_action = menu.addAction(tr("Register with head office…"))
            self.register_action.triggered.connect(self.open_register_dialog)
            self.button.setMenu(menu)
            self.button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.progress)
        layout.addWidget(self.button)
        self.progressed.connect(self._show_progress)
        self.timer = QTimer(self)
        self.timer.setObjectName("sync_timer")
        self.timer.timeout.connect(lambda: self.sync_now(manual=False))
        self.timer.setSingleShot(True)
        self.timer.start(FIRST_SYNC_DELAY_MS)
        ctx.changes.changed.connect(self._on_changed)
        # closing the program must not wait out a slow line: stop the sync at its next step
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(ctx.services.sync.cancel)
        self.refresh()

    # -- status -------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.ctx.tasks.run(self.ctx.services.sync.status, self._show_status, owner=self)

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if kinds & WATCHED:
            self.refresh()

    def _show_status(self, status: SyncStatus) -> None:
        self.status = status
        if not status.registered:
            state = tr("Not registered with head office")
        elif status.online:
            state = tr("Online")
        elif status.last_result:
            state = tr("Offline")
        else:
            state = tr("Not synced yet")
        parts = [state]
        if status.last_success_at is not None:
            parts.append(tr("last sync {time}", time=local_time(status.last_success_at)))
        # the changes waiting to be sent are counted once, by the main window's 待上传
        if status.open_conflicts:
            parts.append(tr("conflicts {n}", n=status.open_conflicts))
        if status.unread_notices:
            parts.append(tr("unread notices {n}", n=status.unread_notices))
        self.label.setText(" · ".join(parts))
        colour = "#1b5e20" if status.online else ("#b71c1c" if status.last_result else "")
        self.label.setStyleSheet(f"color: {colour};" if colour else "")
        error = status.last_error
        self.label.setToolTip(render(error) if error is not None else status.hq_url)
        self.sync_action.setEnabled(status.registered and not self.running)

    # -- syncing ------------------------------------------------------------------------------
    def sync_now(self, manual: bool) -> bool:
        """Starts one sync off the GUI thread; False when one is running or not registered."""
        registered = self.status is not None and self.status.registered
        if self.running or (not manual and not registered):
            self._schedule()
            return False
        self.running = True
        self.sync_action.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()

        def work() -> SyncReport:
            return self.ctx.services.sync.sync_now(
                lambda stage, done, total: self.progressed.emit(stage, done, total))

        self.ctx.tasks.run(work, lambda report: self._done(report, manual),
                           lambda exc: self._failed(exc, manual), owner=self, slow=True)
        return True

    def _show_progress(self, stage: str, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 0))
        if total:
            self.progress.setValue(min(done, total))
        text = tr("Sending {done}/{total}", done=done, total=total) if stage == "push" else \
            tr("Receiving {done}", done=done)
        self.progress.setToolTip(text)

    def _done(self, report: SyncReport, manual: bool) -> None:
        self._finish()
        if manual:
            self.ctx.status_message(tr(
                "Sync finished: {pushed} changes sent, {pulled} received, {rejected} refused "
                "by head office.", pushed=report.pushed_ops, pulled=report.pulled_changes,
                rejected=report.rejected))
        self.finished.emit(True)

    def _failed(self, exc: BaseException, manual: bool) -> None:
        self._finish()
        quiet = isinstance(exc, SyncError) and exc.code in (SyncError.BUSY,
                                                            SyncError.CANCELLED)
        if manual and not quiet:
            show_error(self.window(), exc, "Sync failed")
        else:
            self.ctx.status_message(render(exc))
        self.finished.emit(False)

    def _finish(self) -> None:
        self.running = False
        self.progress.hide()
        self._schedule()
        self.refresh()

    def _schedule(self) -> None:
        self.timer.start(BACKGROUND_INTERVAL_MS)

    # -- registration -------------------------------------------------------------------------
    def open_register_dialog(self) -> None:
        from app.ui.sync.register_dialog import RegisterDialog

        dialog = RegisterDialog(self.ctx, self.window())
        dialog.registered.connect(self._registered)
        dialog.open()

    def _registered(self) -> None:
        self.refresh()
        show_message(self.window(), tr("Registered. The first sync starts now."))
        QTimer.singleShot(0, lambda: self.sync_now(manual=True))


def status_widget(ctx: UiContext) -> QWidget:
    return SyncStatusWidget(ctx)
