"""The settings page's sections, each a group box with its own error form: 站点信息与抬头,
总部连接, 打印, 语言, 备份. A section fills itself from what the services read, says what it
holds now (``values``: the page compares them to see unsaved changes) and adds its part to
the ``SettingsChange``. No section calls a service: the page does, on the task runner.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QWidget,
)

from app.i18n import LANGUAGE_NAMES as NAMES_BY_CODE
from app.i18n import tr
from app.printing.data import Paper
from app.services.backups import BackupInfo, BackupSettings
from app.services.station_settings import SYNC_MINUTES, SettingsChange, StationSettings
from app.ui.formatting import local_time
from app.ui.settings_page.image_picker import ImagePicker
from app.ui.tasks import TaskRunner
from app.ui.widgets.forms import ERROR_STYLE, ErrorForm

OK_STYLE = "color: #2e7d32;"
LANGUAGE_NAMES = tuple(NAMES_BY_CODE.items())  # every language with a catalogue, in its own name
BACKUP_KINDS = {"daily": "daily", "manual": "manual", "before-migration": "before an upgrade",
                "before-restore": "before a restore"}


def _row(*widgets: QWidget) -> QWidget:
    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    for w in widgets:
        layout.addWidget(w, 1 if isinstance(w, QLineEdit) else 0)
    if not any(isinstance(w, QLineEdit) for w in widgets):
        layout.addStretch(1)  # buttons keep their own width
    return holder


class Section(QGroupBox):
    edited = Signal()

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(tr(title), parent)
        self.form = ErrorForm(self)

    def values(self) -> dict[str, Any]:
        raise NotImplementedError

    def _watch(self, *widgets: QWidget) -> None:
        for w in widgets:
            if isinstance(w, QLineEdit):
                w.textEdited.connect(lambda _t: self.edited.emit())
            elif isinstance(w, QComboBox):
                w.currentIndexChanged.connect(lambda _i: self.edited.emit())
            elif isinstance(w, QSpinBox):
                w.valueChanged.connect(lambda _v: self.edited.emit())


class StationSection(Section):
    """站点信息与抬头: the station's name, address and phone; the logo and stamp images."""

    def __init__(self, tasks: TaskRunner) -> None:
        super().__init__("Station and letterhead")
        self.code = QLabel(objectName="station_code")
        self.name = QLineEdit(objectName="station_name")
        self.address = QLineEdit(objectName="station_address")
        self.phone = QLineEdit(objectName="station_phone")
        self.logo = ImagePicker(tasks, "logo", "Logo")
        self.stamp = ImagePicker(tasks, "stamp", "Stamp")
        self.form.add_row("Station code", self.code)
        self.form.add_row("Station name", self.name, "name")
        self.form.add_row("Address", self.address, "address")
        self.form.add_row("Service phone", self.phone, "phone")
        self.form.add_row("Logo (beside the name)", self.logo, "logo")
        self.form.add_row("Stamp (in the station-stamp box)", self.stamp, "stamp")
        self.form.add_general_error_row()
        self._watch(self.name, self.address, self.phone)
        for picker in (self.logo, self.stamp):
            picker.changed.connect(self.edited.emit)
            picker.changed.connect(self.form.clear_errors)
            picker.failed.connect(self.form.show_error)

    def fill(self, s: StationSettings) -> None:
        self.code.setText(s.code)
        self.name.setText(s.name)
        self.address.setText(s.address)
        self.phone.setText(s.phone)
        self.logo.set_stored(s.logo)
        self.stamp.set_stored(s.stamp)

    def values(self) -> dict[str, Any]:
        return {"name": self.name.text(), "address": self.address.text(),
                "phone": self.phone.text(), "logo": self.logo.key(), "stamp": self.stamp.key()}

    def change(self, change: SettingsChange, loaded: dict[str, Any]) -> SettingsChange:
        now = self.values()
        edits: dict[str, Any] = {k: now[k] for k in ("name", "address", "phone")
                                 if now[k] != loaded.get(k)}
        for picker in (self.logo, self.stamp):
            if now[picker.field] != loaded.get(picker.field):
                if picker.picked is not None:
                    edits[picker.field] = picker.picked.data
                else:
                    edits[f"drop_{picker.field}"] = True
        return replace(change, **edits)


class HqSection(Section):
    """总部连接: where head office is (registering opens the register dialog), 测试连接, the
    sync interval and the company CA bundle."""

    register_clicked = Signal()
    test_clicked = Signal()

    def __init__(self) -> None:
        super().__init__("Head-office connection")
        self.url = QLabel(objectName="hq_url")
        self.url.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.register = QPushButton(tr("Register…"), objectName="register")
        self.register.clicked.connect(self.register_clicked.emit)
        self.test = QPushButton(tr("Test connection"), objectName="test_connection")
        self.test.clicked.connect(self.test_clicked.emit)
        self.result = QLabel(objectName="test_result")
        self.result.setWordWrap(True)
        self.minutes = QSpinBox(objectName="sync_minutes")
        self.minutes.setRange(*SYNC_MINUTES)
        self.minutes.setSuffix(tr(" min"))
        self.minutes.setMinimumWidth(120)
        self.minutes.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.ca = QLineEdit(objectName="ca_bundle")
        self.ca.setPlaceholderText(tr("optional: company CA bundle (PEM)"))
        browse = QPushButton(tr("Browse…"), objectName="ca_browse")
        browse.clicked.connect(self._browse)
        self.form.add_row("Head-office address", _row(self.url, self.register), "hq_url")
        self.form.add_row("Connection", _row(self.test, self.result), "token")
        self.form.add_row("Sync every", self.minutes, "sync_minutes")
        self.form.add_row("CA bundle", _row(self.ca, browse), "ca_bundle")
        self.form.add_general_error_row()
        self._watch(self.minutes, self.ca)

    def fill(self, s: StationSettings) -> None:
        self.url.setText(s.hq_url if s.registered else tr("Not registered with head office"))
        self.register.setText(tr("Register again…") if s.registered else tr("Register…"))
        self.test.setEnabled(s.registered)
        self.ca.setEnabled(s.registered)
        self.minutes.setValue(s.sync_minutes)
        self.ca.setText(s.ca_bundle)

    def show_result(self, text: str, ok: bool) -> None:
        self.result.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.result.setText(text)

    def values(self) -> dict[str, Any]:
        return {"sync_minutes": self.minutes.value(), "ca_bundle": self.ca.text().strip()}

    def change(self, change: SettingsChange, loaded: dict[str, Any]) -> SettingsChange:
        now = self.values()
        edits = {k: v for k, v in now.items() if v != loaded.get(k)}
        return replace(change, **edits)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("CA bundle"), "",
                                              "PEM (*.pem *.crt *.cer);;* (*)")
        if path:
            self.ca.setText(path)
            self.edited.emit()


def printer_names() -> list[str]:
    """The printers Qt knows on this computer (the system default first)."""
    names = QPrinterInfo.availablePrinterNames()
    default = QPrinterInfo.defaultPrinterName()
    return sorted(names, key=lambda n: (n != default, n))


class PrintSection(Section):
    """打印: per document, its printer and its paper (the printing dialog's last choice when
    none is set)."""

    def __init__(self, printers: Callable[[], list[str]] = printer_names) -> None:
        super().__init__("Printing")
        self.printers = printers
        self.grid = QGridLayout()
        self.form.addRow(self.grid)
        self.form.add_row("", QWidget(), "papers", "printers")
        self.form.add_general_error_row()
        self.rows: dict[str, tuple[QComboBox, QComboBox]] = {}
        for col, head in enumerate(("Printed document", "Printer", "Paper")):
            label = QLabel(tr(head))
            label.setStyleSheet("font-weight: bold;")
            self.grid.addWidget(label, 0, col)

    def fill(self, s: StationSettings) -> None:
        known = self.printers()
        for doc in s.documents:
            if doc.document not in self.rows:
                printer, paper = QComboBox(objectName=f"printer_{doc.document}"), QComboBox(
                    objectName=f"paper_{doc.document}")
                row = len(self.rows) + 1
                self.grid.addWidget(QLabel(tr(doc.title)), row, 0)
                self.grid.addWidget(printer, row, 1)
                self.grid.addWidget(paper, row, 2)
                self.grid.setColumnStretch(1, 1)
                self.rows[doc.document] = (printer, paper)
                self._watch(printer, paper)
            printer, paper = self.rows[doc.document]
            printer.blockSignals(True)
            paper.blockSignals(True)
            printer.clear()
            printer.addItem(tr("System default printer"), "")
            for name in known:
                printer.addItem(name, name)
            if doc.printer and doc.printer not in known:
                printer.addItem(tr("{name} (not connected)", name=doc.printer), doc.printer)
            printer.setCurrentIndex(max(printer.findData(doc.printer), 0))
            paper.clear()
            paper.addItem(tr("As last printed"), "")
            for option in doc.papers:
                paper.addItem(option.value, option.value)
            paper.setCurrentIndex(max(paper.findData(doc.paper.value if doc.paper else ""), 0))
            printer.blockSignals(False)
            paper.blockSignals(False)

    def values(self) -> dict[str, Any]:
        return {name: (printer.currentData(), paper.currentData())
                for name, (printer, paper) in self.rows.items()}

    def change(self, change: SettingsChange, loaded: dict[str, Any]) -> SettingsChange:
        printers: dict[str, str] = {}
        papers: dict[str, Paper | None] = {}
        for name, (printer, paper) in self.values().items():
            old = loaded.get(name, ("", ""))
            if printer != old[0]:
                printers[name] = printer
            if paper != old[1]:
                papers[name] = Paper(paper) if paper else None
        return replace(change, printers=printers, papers=papers)


class LanguageSection(Section):
    """语言: the interface language the program starts in next time."""

    def __init__(self) -> None:
        super().__init__("Language")
        self.language = QComboBox(objectName="language")
        for code, name in LANGUAGE_NAMES:
            self.language.addItem(name, code)
        note = QLabel(tr("Takes effect the next time the program starts."))
        note.setStyleSheet("color: #555;")
        self.language.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.form.add_row("Interface language", _row(self.language, note), "language")
        self.form.add_general_error_row()
        self._watch(self.language)

    def fill(self, s: StationSettings) -> None:
        self.language.setCurrentIndex(max(self.language.findData(s.language), 0))

    def values(self) -> dict[str, Any]:
        return {"language": self.language.currentData()}

    def change(self, change: SettingsChange, loaded: dict[str, Any]) -> SettingsChange:
        now = self.values()["language"]
        return replace(change, language=now) if now != loaded.get("language") else change


class BackupSection(Section):
    """备份: the folder and the hour of the daily backup, 立即备份, the last backup's time."""

    backup_clicked = Signal()

    def __init__(self) -> None:
        super().__init__("Backups")
        self.folder = QLineEdit(objectName="backup_folder")
        self.folder.setPlaceholderText(tr("empty: the data folder's backups"))
        browse = QPushButton(tr("Browse…"), objectName="backup_browse")
        browse.clicked.connect(self._browse)
        self.hour = QSpinBox(objectName="backup_hour")
        self.hour.setRange(0, 23)
        self.hour.setPrefix(tr("daily from "))
        self.hour.setSuffix(":00")
        self.hour.setMinimumWidth(120)
        self.hour.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.now = QPushButton(tr("Back up now"), objectName="backup_now")
        self.now.clicked.connect(self.backup_clicked.emit)
        self.last = QLabel(objectName="last_backup")
        self.where = QLabel(objectName="backup_where")
        self.where.setStyleSheet("color: #555;")
        self.form.add_row("Backup folder", _row(self.folder, browse), "folder")
        self.form.add_row("", self.where)
        self.form.add_row("Daily backup", self.hour, "hour")
        self.form.add_row("Last backup", _row(self.last, self.now))
        self.form.add_general_error_row()
        self._watch(self.folder, self.hour)

    def fill(self, settings: BackupSettings, last: BackupInfo | None) -> None:
        self.folder.setText(settings.custom_folder)
        self.where.setText(tr("Backups go to {folder}", folder=str(settings.folder)))
        self.hour.setValue(settings.hour)
        self.show_last(last)

    def show_last(self, last: BackupInfo | None) -> None:
        if last is None:
            self.last.setText(tr("No backup yet"))
            return
        self.last.setText(tr("{time} ({kind}), {count} attachments", time=local_time(
            last.created_at), kind=tr(BACKUP_KINDS.get(last.kind, last.kind)),
            count=last.attachments))

    def values(self) -> dict[str, Any]:
        return {"folder": self.folder.text().strip(), "hour": self.hour.value()}

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, tr("Backup folder"), self.folder.text())
        if path:
            self.folder.setText(path)
            self.edited.emit()
