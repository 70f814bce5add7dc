"""加入已有维修站 at first run (issue 15): this PC becomes another device of a station head
office knows. The manager types head office's address, the station code and the device token
head office printed once (``repair-station-hq add-device``; the field never echoes), and
optionally a company CA bundle; 加入 (Alt+J) runs ``DeviceJoin.start`` on the task runner's
slow pool with a progress dialog whose 取消 stops the download between two pages. A download
cancelled (or killed) is offered as 继续下载 (Alt+C) — here at once, and at the next start
(``ResumeJoinDialog``, from ``DeviceJoin.state()``) — and then the normal log-in follows,
with the users the download brought.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import RuleViolation
from app.i18n import tr
from app.ui.tasks import TaskRunner
from app.ui.widgets.ca_bundle import CaBundleField
from app.ui.widgets.forms import ErrorForm
from sync.client import SyncError

JOIN_KEYS = "Alt+J"


class Join(Protocol):
    """What the dialog needs of ``app.services.device_join.DeviceJoin``."""

    def start(self, actor: Any, hq_url: str, station_code: str, token: str,
              ca_bundle: str | None = None, progress: Any = None) -> Any: ...
    def resume(self, progress: Any = None) -> Any: ...
    def cancel(self) -> None: ...
    def state(self) -> Any: ...


#: what a failed join says instead of the sync's words (they speak of F9, of changes waiting
#: to be sent and of registering again: none of it is so on a PC that is joining)
JOIN_ERRORS = {
    SyncError.OFFLINE: ("hq_url", "Head office cannot be reached: check its address and this "
                        "PC's network connection, then press Join again."),
    SyncError.UNAUTHORIZED: ("token", "Head office does not accept this device token: check "
                             "it against the one head office gave for this PC (it is shown "
                             "once when the device is added)."),
    SyncError.REVOKED: ("token", "Head office has stopped this device token. Ask head office "
                        "for a new one."),
}


def join_error(exc: BaseException) -> BaseException:
    """The error as the join dialog shows it (by its field)."""
    if isinstance(exc, SyncError) and exc.code in JOIN_ERRORS:
        field, text = JOIN_ERRORS[exc.code]
        return RuleViolation(text, field=field)
    return exc


def stage_text(stage: str, done: int, total: int) -> str:
    if total:
        return tr("Downloading the station's records: {done} of {total}…", done=done,
                  total=total)
    return tr("Downloading head office's catalogue and the station's records…")


class JoinRun:
    """One join (or resume) on the task runner with its progress dialog; ``finished(report)``
    or ``failed(exc)`` on the GUI thread. 取消 asks the service to stop between pages."""

    def __init__(self, join: Join, tasks: TaskRunner, parent: QWidget,
                 work: Any, on_done: Any, on_error: Any) -> None:
        self.join = join
        self.dialog = QProgressDialog(tr("Connecting to head office…"), tr("Cancel"), 0, 0,
                                      parent)
        self.dialog.setObjectName("join_progress")
        self.dialog.setWindowTitle(tr("Joining the station"))
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(0)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel)
        self.cancelled = False
        relay = _Relay(parent)
        relay.progressed.connect(self._progress)
        self.relay = relay

        def report(stage: str, done: int, total: int) -> None:
            relay.progressed.emit(stage, done, total)

        def finish(callback: Any) -> Any:
            def inner(value: Any) -> None:
                self.dialog.canceled.disconnect(self.cancel)
                self.dialog.close()
                self.dialog.deleteLater()
                callback(value)
            return inner

        self.dialog.show()
        tasks.run(lambda: work(report), finish(on_done), finish(on_error), owner=parent,
                  slow=True)

    def cancel(self) -> None:
        self.cancelled = True
        self.dialog.setLabelText(tr("Stopping after the current page…"))
        self.dialog.setCancelButtonText(tr("Stopping…"))
        self.join.cancel()

    def _progress(self, stage: str, done: int, total: int) -> None:
        if self.cancelled:
            return
        self.dialog.setMaximum(max(total, 0))
        self.dialog.setValue(min(done, total) if total > 0 else 0)
        self.dialog.setLabelText(stage_text(stage, done, total))


class _Relay(QWidget):
    """Carries the worker's progress onto the GUI thread (a queued signal)."""

    progressed = Signal(str, int, int)


class JoinDialog(QDialog):
    """The form; accepted once the station's state is downloaded whole."""

    joined = Signal(object)  # the JoinReport

    def __init__(self, join: Join, tasks: TaskRunner, parent: QWidget | None = None,
                 resume: bool = False) -> None:
        super().__init__(parent)
        self.join = join
        self.tasks = tasks
        self.report: Any = None
        self.run: JoinRun | None = None
        self.setWindowTitle(tr("Join an existing station"))
        self.setMinimumWidth(520)
        intro = QLabel(tr("This PC becomes another device of a repair station head office "
                          "already knows. Ask head office for this device's token; it is "
                          "shown once."))
        intro.setWordWrap(True)
        self.form = ErrorForm()
        self.hq_url = QLineEdit(objectName="join_hq_url")
        self.hq_url.setPlaceholderText("https://hq.example.com")
        self.station_code = QLineEdit(objectName="join_station_code")
        self.station_code.setPlaceholderText("BJ001")
        self.token = QLineEdit(objectName="join_token")
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        ca_row = CaBundleField("join_ca_bundle")
        self.ca_bundle = ca_row.edit
        self.browse_button = ca_row.browse
        self.form.add_row("Head-office address", self.hq_url, "hq_url")
        self.form.add_row("Station code", self.station_code, "station_code")
        self.form.add_row("Device token", self.token, "token")
        self.form.add_row("CA bundle", ca_row, "ca_bundle")
        self.form_box = QWidget(objectName="join_form")
        self.form_box.setLayout(self.form)
        self.paused = QLabel(objectName="join_paused")
        self.paused.setWordWrap(True)
        self.paused.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Back"))
        self.join_button = QPushButton(tr("&Join"), objectName="join_start")
        self.join_button.setShortcut(JOIN_KEYS)
        self.join_button.setDefault(True)
        self.buttons.addButton(self.join_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.resume_button = QPushButton(tr("&Continue the download"), objectName="join_resume")
        self.buttons.addButton(self.resume_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.resume_button.hide()
        self.join_button.clicked.connect(self.start)
        self.resume_button.clicked.connect(self.resume)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.form_box)
        layout.addWidget(self.form.general)  # errors without a field (the line, the token)
        layout.addWidget(self.paused)
        layout.addWidget(self.buttons)
        if resume:  # the next start after a download cut short: only 继续下载 is left to do
            intro.setText(tr("This PC began joining a station and the download stopped "
                             "before it was complete."))
            self.form_box.hide()
            self._offer_resume(join.state())

    # -- running ------------------------------------------------------------------------------
    def start(self) -> None:
        self.form.clear_errors()
        url, code, token = self.hq_url.text(), self.station_code.text(), self.token.text()
        ca = self.ca_bundle.text().strip() or None
        join = self.join
        self._running(True)
        self.run = JoinRun(join, self.tasks, self,
                           lambda report: join.start(None, url, code, token, ca, report),
                           self._done, self._failed)

    def resume(self) -> None:
        self.form.clear_errors()
        join = self.join
        self._running(True)
        self.run = JoinRun(join, self.tasks, self, lambda report: join.resume(report),
                           self._done, self._failed)

    def _running(self, running: bool) -> None:
        self.join_button.setEnabled(not running)
        self.resume_button.setEnabled(not running)

    def _done(self, report: Any) -> None:
        self._running(False)
        self.report = report
        if getattr(report, "finished", False):
            self.token.clear()
            self.joined.emit(report)
            self.accept()
            return
        self._offer_resume(self.join.state())

    def _failed(self, exc: BaseException) -> None:
        self._running(False)
        self.form.show_error(join_error(exc))
        state = self.join.state()
        if state.stage:  # registered and part downloaded: the rest can follow later
            self._offer_resume(state)

    def _offer_resume(self, state: Any) -> None:
        """The download stopped part way: 继续下载 now, or at the next start."""
        for widget in (self.hq_url, self.station_code, self.token, self.ca_bundle,
                       self.browse_button):
            widget.setEnabled(False)
        self.join_button.hide()
        self.resume_button.show()
        self.resume_button.setDefault(True)
        self.resume_button.setFocus()
        self.paused.setText(tr(
            "The download stopped with {done} of {total} station records loaded. Continue "
            "now, or close: the next start offers to continue where it stopped.",
            done=state.done, total=state.total))
        self.paused.show()
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Close"))

    def error_text(self, field: str | None = None) -> str:
        return self.form.error_text(field)
