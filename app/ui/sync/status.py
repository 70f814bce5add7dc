"""The sync indicator in the status bar: online/offline, last sync, pending changes, conflicts
and unread notices; "立即同步" (F9) with inline progress; a background sync every few minutes
when the station is registered.

F9 works from every window of the program (an application shortcut, and the action is added
to whichever window becomes active, so a modal dialog takes it too). Registration is always
reachable: the menu beside 立即同步 (managers), and 立即同步 itself while unregistered. The
indicator follows the registration row: polled cheaply off the GUI thread every few seconds
and when the program comes back to the front, so a ``repair-station register`` on the
command line is noticed without a restart.

Syncs run on the task runner's slow pool (network), never on the database worker, so the
counter's own reads and writes never wait behind the line. A background failure only changes
the indicator; a sync the user asked for also shows the reason.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMenu,
    QProgressBar,
    QToolButton,
    QWidget,
)

from app.domain.permissions import P
from app.i18n import render, tr
from app.services import events
from app.services.device_status import DeviceStatus
from app.services.sync_service import SyncStatus
from app.services.sync_store import SYNC
from app.ui.extensions import UiContext
from app.ui.formatting import local_time
from app.ui.sync.device_text import others_text, short_name
from app.ui.widgets.messages import show_error, show_message
from sync.client import SyncError, SyncReport

#: how often the background sync runs while the station is registered
BACKGROUND_INTERVAL_MS = 5 * 60 * 1000
#: the first background sync after the window opens (let the counter start first)
FIRST_SYNC_DELAY_MS = 15 * 1000
#: the sync result head office gives a revoked device's token
REVOKED = SyncError.REVOKED
WATCHED = frozenset({SYNC, events.OUTBOX, "conflicts", "notices"})
#: how often the registration row is looked at (one primary-key read on the database worker)
REGISTRATION_POLL_MS = 5 * 1000


class SyncStatusWidget(QWidget):
    progressed = Signal(str, int, int)
    finished = Signal(bool)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sync_status")
        self.ctx = ctx
        self.running = False
        self.status: SyncStatus | None = None
        #: this device among its station's (issue 15), read beside the status
        self.devices: DeviceStatus | None = None
        self._tip = ""
        self.label = QLabel(objectName="sync_label")
        self.progress = QProgressBar(objectName="sync_progress")
        self.progress.setMaximumWidth(120)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.sync_action = QAction(tr("Sync now"), self)
        self.sync_action.setObjectName("sync_now")
        self.sync_action.setShortcut(QKeySequence("F9"))
        # from any window of the program, the order editor included
        self.sync_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.sync_action.triggered.connect(lambda: self.sync_now(manual=True))
        self.addAction(self.sync_action)
        self.button = QToolButton(objectName="sync_button")
        self.button.setDefaultAction(self.sync_action)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        if ctx.actor.may(P.SYNC_REGISTER):
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
        #: the manager's sync interval (设置), read off the GUI thread
        self.interval_ms = BACKGROUND_INTERVAL_MS
        self._read_interval()
        self.watch = QTimer(self)
        self.watch.setObjectName("registration_watch")
        self.watch.timeout.connect(self.check_registration)
        self.watch.start(REGISTRATION_POLL_MS)
        ctx.changes.changed.connect(self._on_changed)
        # closing the program must not wait out a slow line: stop the sync at its next step
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(ctx.services.sync.cancel)
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._application_state)
            app.focusWindowChanged.connect(self._window_activated)
        self.refresh()

    # -- status -------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.ctx.tasks.run(self.ctx.services.sync.status, self._show_status, owner=self)
        self.ctx.tasks.run(self.ctx.services.sync.device_status, self._show_devices,
                           lambda _exc: None, owner=self)

    def _show_devices(self, devices: DeviceStatus) -> None:
        self.devices = devices
        if self.status is not None:
            self._show_status(self.status)

    def _tooltip(self) -> str:
        """Head office (or the last error), then the station's other devices' last sync."""
        tip = self._tip
        name = (self.status.device_name if self.status else "") or (
            self.devices.name if self.devices else "")
        if name and short_name(name) != name:  # the whole name of a long one
            tip = f"{tr('This device: {name}', name=name)}\n{tip}".strip()
        if self.devices is not None:
            others = others_text(self.devices, datetime.now(UTC))
            if others:
                tip = f"{tip}\n{tr('Other devices of this station:')}\n{others}".strip()
        return tip

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if kinds & WATCHED:
            self.refresh()
        if events.STATION in kinds:
            self._read_interval()

    def _read_interval(self) -> None:
        self.ctx.tasks.run(self.ctx.services.station_settings.sync_minutes,
                           self._interval_read, lambda _exc: None, owner=self)

    def _interval_read(self, minutes: int) -> None:
        self.interval_ms = minutes * 60 * 1000

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
        several = self.devices is not None and len(self.devices.devices) > 1
        # a device of several whose token head office refused: revoked at once, though the
        # list head office sent before still says in use (one device: 离线 and the reason)
        revoked = (self.devices is not None and self.devices.revoked) or (
            several and status.last_result == REVOKED)
        if revoked:
            parts = [tr("This device is revoked by head office")]
        # the device's name once the station has several (one device: the indicator as ever)
        name = status.device_name or (self.devices.name if self.devices else "")
        if name and several:
            parts.insert(0, short_name(name))
        if status.last_success_at is not None:
            parts.append(tr("last sync {time}", time=local_time(status.last_success_at)))
        # the changes waiting to be sent are counted once, by the main window's 待上传
        if status.open_conflicts:
            parts.append(tr("conflicts {n}", n=status.open_conflicts))
        if status.unread_notices:
            parts.append(tr("unread notices {n}", n=status.unread_notices))
        self.label.setText(" · ".join(parts))
        colour = "#1b5e20" if status.online else ("#b71c1c" if status.last_result else "")
        colour = "#b71c1c" if revoked else colour
        self.label.setStyleSheet(f"color: {colour};" if colour else "")
        error = status.last_error
        self._tip = render(error) if error is not None else status.hq_url
        self.label.setToolTip(self._tooltip())
        self.sync_action.setEnabled(not self.running)
        self.sync_action.setToolTip(tr("Sync now") if status.registered else tr(
            "Register with head office first (manager: the arrow beside 立即同步)."))

    # -- syncing ------------------------------------------------------------------------------
    def sync_now(self, manual: bool) -> bool:
        """Starts one sync off the GUI thread; False when one is running or not registered."""
        registered = self.status is not None and self.status.registered
        if manual and not registered and not self.running:
            self._not_registered()
            return False
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
        self.timer.start(self.interval_ms)

    # -- registration -------------------------------------------------------------------------
    def check_registration(self) -> None:
        """Looks at the registration row off the GUI thread; a change (a registration made on
        the command line, or removed) refreshes the indicator. Only while it is on screen: a
        closed window's indicator follows nothing."""
        if not self.isVisible():
            return
        self.ctx.tasks.run(self.ctx.services.sync.is_registered, self._registration_seen,
                           lambda _exc: None, owner=self)

    def _registration_seen(self, registered: bool) -> None:
        if self.status is None or self.status.registered != registered:
            if registered and not self.running:
                self.timer.start(FIRST_SYNC_DELAY_MS)  # registered elsewhere: sync soon
            self.refresh()

    def _application_state(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive:
            self.check_registration()

    def _window_activated(self, _window: object) -> None:
        """F9 in a modal dialog too: the action joins whichever window is now active."""
        active = QApplication.activeWindow()
        if active is not None and self.sync_action not in active.actions():
            active.addAction(self.sync_action)

    def _not_registered(self) -> None:
        if self.ctx.actor.may(P.SYNC_REGISTER):
            self.open_register_dialog()
        else:
            show_message(self.window(), tr(
                "This station is not registered with head office yet; ask the manager to "
                "register it."))

    def open_register_dialog(self) -> None:
        from app.ui.sync.register_dialog import RegisterDialog

        open_one = self.window().findChild(RegisterDialog)
        if open_one is not None and open_one.isVisible():  # F9 again inside it: the same one
            open_one.raise_()
            open_one.activateWindow()
            return
        dialog = RegisterDialog(self.ctx, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.registered.connect(self._registered)
        dialog.open()

    def _registered(self) -> None:
        show_message(self.window(), tr("Registered. The first sync starts now."))
        # the first sync once the indicator knows the station is registered
        self.ctx.tasks.run(self.ctx.services.sync.status, self._first_sync, owner=self)

    def _first_sync(self, status: SyncStatus) -> None:
        self._show_status(status)
        self.sync_now(manual=True)


def status_widget(ctx: UiContext) -> QWidget:
    return SyncStatusWidget(ctx)
