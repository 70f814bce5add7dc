"""Registering the station with head office (manager only): address, station code, token and
an optional company CA bundle. The check against head office runs off the GUI thread; the
token field never echoes and the token is handed straight to the service. 暂不连接总部 takes a
device token with no line (a laptop set up from another device's backup): head office checks
it at the first sync.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import RuleViolation
from app.domain.permissions import Permission
from app.i18n import tr
from app.services.errors import PermissionDenied
from app.ui.extensions import UiContext
from app.ui.widgets.ca_bundle import CaBundleField
from app.ui.widgets.forms import ErrorForm
from sync import protocol as p


class RegisterDialog(QDialog):
    registered = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(tr("Register with head office"))
        self.form = ErrorForm()
        self.hq_url = QLineEdit(objectName="hq_url")
        self.hq_url.setPlaceholderText("https://hq.example.com")
        self.station_code = QLineEdit(objectName="station_code")
        self.token = QLineEdit(objectName="token")
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        ca_row = CaBundleField("ca_bundle")
        self.ca_bundle = ca_row.edit
        self.form.add_row("Head-office address", self.hq_url, "hq_url")
        self.form.add_row("Station code", self.station_code, "station_code")
        self.form.add_row("Token", self.token, "token")
        self.form.add_row("CA bundle", ca_row, "ca_bundle")
        self.offline = QCheckBox(tr("No &line now: this device was set up from another "
                                    "device's backup (head office checks the token at the "
                                    "first sync)"), objectName="offline")
        self.form.addRow(self.offline)
        self.form.add_general_error_row()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)
        if not ctx.actor.may(Permission.SYNC_REGISTER):  # the service refuses: say so first
            for widget in (self.hq_url, self.station_code, self.token, ca_row, self.offline,
                           self.buttons.button(QDialogButtonBox.StandardButton.Save)):
                widget.setEnabled(False)
            self.form.show_error(PermissionDenied(
                "Your role ({role}) may not {doing}.", role=ctx.actor.role,
                doing="register the station with head office"))
        ctx.tasks.run(ctx.services.sync.status, self._fill, owner=self)

    def _fill(self, status) -> None:  # type: ignore[no-untyped-def]
        if status.registered:
            self.hq_url.setText(status.hq_url)
            self.station_code.setText(status.station_code)
        elif not self.station_code.text():
            self.ctx.tasks.run(self.ctx.services.users.station, self._fill_code, owner=self)

    def _fill_code(self, station) -> None:  # type: ignore[no-untyped-def]
        if station is not None and not self.station_code.text():
            self.station_code.setText(station.code)

    def save(self) -> None:
        if not self.ctx.actor.may(Permission.SYNC_REGISTER):
            self.form.show_error(PermissionDenied(
                "Your role ({role}) may not {doing}.", role=self.ctx.actor.role,
                doing="register the station with head office"))
            return
        self.form.clear_errors()
        self.buttons.setEnabled(False)
        url, code = self.hq_url.text(), self.station_code.text()
        token, ca = self.token.text(), self.ca_bundle.text().strip() or None
        offline = self.offline.isChecked()
        if offline and p.token_device(token) is None:
            self.buttons.setEnabled(True)
            self.form.show_error(RuleViolation(
                "Registering with no line needs a device token (it begins d2., d3., …).", field="token"))
            return
        self.ctx.tasks.run(
            lambda: self.ctx.services.sync.register(self.ctx.actor, url, code, token, ca,
                                                    check=not offline),
            self._saved, self._failed, owner=self, slow=True)

    def _saved(self, _result: object) -> None:
        self.token.clear()
        self.registered.emit()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.form.show_error(exc)
