"""The 设置 page (station manager): the sections of ``sections`` in a scrolling column, 保存
(Ctrl+S) and 取消 (back to what is stored). Everything is read and written on the task runner:
``StationSettingsService.save`` takes the station's details, letterhead, head office,
printing and language at once (all or nothing); the backup folder and hour go to
``BackupService.configure`` first and are put back when the rest is refused, so a refused
save stores nothing. Leaving the page with unsaved changes asks 保存 / 放弃 / 取消, as the
order desk does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.i18n import render, tr
from app.services.station_settings import SettingsChange
from app.ui.extensions import UiContext
from app.ui.orders.desk_prompts import Unsaved, ask_unsaved
from app.ui.settings_page.devices import DevicesSection
from app.ui.settings_page.encryption import EncryptionSection
from app.ui.settings_page.sections import (
    OK_STYLE,
    BackupSection,
    HqSection,
    LanguageSection,
    PrintSection,
    Section,
    StationSection,
)
from app.ui.widgets.forms import ERROR_STYLE

Button = QMessageBox.StandardButton


class SettingsPrompts:
    """The page's question, one object so tests answer it without a modal box."""

    def unsaved_changes(self, parent: QWidget, answered: Callable[[Unsaved], None]) -> None:
        ask_unsaved(parent, "The settings have changes that are not saved yet.",
                    "Save them before leaving?", "settings_unsaved_box", answered)


class SettingsPage(QWidget):
    loaded = Signal()
    saved = Signal()
    failed = Signal(object)

    def __init__(self, ctx: UiContext, prompts: SettingsPrompts | None = None,
                 printers: Callable[[], list[str]] | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.prompts = prompts or SettingsPrompts()
        self._loaded: dict[str, Any] | None = None
        self._asking = False
        self._busy = False
        self.station = StationSection(ctx.tasks)
        self.hq = HqSection()
        self.printing = PrintSection(printers) if printers else PrintSection()
        self.language = LanguageSection()
        self.backup = BackupSection()
        self.sections: tuple[Section, ...] = (self.station, self.hq, self.printing,
                                              self.language, self.backup)
        title = QLabel(tr("Settings"))
        title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.message = QLabel(objectName="settings_message")
        self.message.setWordWrap(True)
        self.save_button = QPushButton(tr("Save (Ctrl+S)"), objectName="settings_save")
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton(tr("Cancel"), objectName="settings_cancel")
        self.cancel_button.clicked.connect(self.reload)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        column = QWidget(objectName="settings_column")
        inner = QVBoxLayout(column)
        for section in self.sections:
            inner.addWidget(section)
            section.edited.connect(self._edited)
        self.encryption = EncryptionSection(ctx)  # 数据加密: nothing to save, only to see
        inner.addWidget(self.encryption)
        self.devices = DevicesSection(ctx)  # 本站设备: head office's list, nothing to save
        inner.addWidget(self.devices)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(column)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.save)
        self.hq.register_clicked.connect(self.register)
        self.hq.test_clicked.connect(self.test_connection)
        self.backup.backup_clicked.connect(self.backup_now)
        self._enable()
        self.reload()

    # -- reading ----------------------------------------------------------------------------
    def reload(self) -> None:
        """Shows what is stored (取消 throws the edits away)."""
        services = self.ctx.services

        def read():  # type: ignore[no-untyped-def]
            return (services.station_settings.current(), services.backups.settings(),
                    services.backups.last_backup())

        self.ctx.tasks.run(read, self._fill, self._failed, owner=self)

    def _fill(self, result) -> None:  # type: ignore[no-untyped-def]
        settings, backup, last = result
        for section in (self.station, self.hq, self.printing, self.language):
            section.fill(settings)
        self.backup.fill(backup, last)
        for section in self.sections:
            section.form.clear_errors()
        self._loaded = self.values()
        self._enable()
        self.loaded.emit()

    def values(self) -> dict[str, Any]:
        return {type(s).__name__: s.values() for s in self.sections}

    def has_unsaved(self) -> bool:
        return self._loaded is not None and self.values() != self._loaded

    def change(self) -> SettingsChange:
        """What the edits change (unchanged fields left out)."""
        loaded = self._loaded or {}
        change = SettingsChange()
        for section in (self.station, self.hq, self.printing, self.language):
            change = section.change(change, loaded.get(type(section).__name__, {}))
        return change

    # -- saving -----------------------------------------------------------------------------
    def save(self) -> None:
        if self._busy or self._loaded is None:
            return
        for section in self.sections:
            section.form.clear_errors()
        self._say("")
        actor, services = self.ctx.actor, self.ctx.services
        change = self.change()
        backup = self.backup.values()
        backup_before = self._loaded.get(type(self.backup).__name__, {})

        def work():  # type: ignore[no-untyped-def]
            configured = False
            if backup != backup_before:
                services.backups.configure(actor, backup["folder"], backup["hour"])
                configured = True
            try:
                return services.station_settings.save(actor, change)
            except Exception:
                if configured:  # nothing stored half: the backup settings go back too
                    services.backups.configure(actor, backup_before["folder"],
                                               backup_before["hour"])
                raise

        self._busy = True
        self._enable()
        self.ctx.tasks.run(work, self._saved, self._save_failed, owner=self)

    def _saved(self, _settings) -> None:  # type: ignore[no-untyped-def]
        self._busy = False
        self._say(tr("Settings saved."), ok=True)
        self.ctx.status_message(tr("Settings saved."))
        self.reload()
        self.saved.emit()

    def _save_failed(self, exc: BaseException) -> None:
        self._busy = False
        self._enable()
        self.show_error(exc)
        self.failed.emit(exc)

    def show_error(self, exc: BaseException) -> None:
        """Each refusal under its field, in whichever section has it; the rest at the foot."""
        errors = list(getattr(exc, "errors", None) or [exc])
        rest = []
        first = True
        for error in errors:
            field = getattr(error, "field", None)
            section = next((s for s in self.sections if s.form.knows(field)), None)
            if section is None:
                rest.append(render(error))
                continue
            section.form.add_errors([error], focus=first)
            first = False
        self._say("\n".join(rest) if rest else tr("Some settings were refused; see the "
                                                  "marked fields."))

    def error_text(self, field: str) -> str:
        """The message shown under ``field`` (for tests and screen readers)."""
        return next((s.form.error_text(field) for s in self.sections if s.form.knows(field)),
                    "")

    # -- head office ------------------------------------------------------------------------
    def register(self) -> None:
        from app.ui.sync.register_dialog import RegisterDialog

        dialog = RegisterDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.registered.connect(self._registered)
        dialog.open()

    def _registered(self) -> None:
        services = self.ctx.services
        self.ctx.tasks.run(services.station_settings.current, self._refill_hq, owner=self)

    def _refill_hq(self, settings) -> None:  # type: ignore[no-untyped-def]
        self.hq.fill(settings)
        if self._loaded is not None:
            self._loaded[type(self.hq).__name__] = self.hq.values()

    def test_connection(self) -> None:
        self.hq.test.setEnabled(False)
        self.hq.show_result(tr("Testing…"), ok=True)
        ca = self.hq.ca.text()
        service = self.ctx.services.station_settings
        self.ctx.tasks.run(lambda: service.test_connection(ca_bundle=ca), self._tested,
                           self._test_failed, owner=self, slow=True)

    def _tested(self, hq_id: str) -> None:
        self.hq.test.setEnabled(True)
        self.hq.show_result(tr("Head office answered; the token works."), ok=True)

    def _test_failed(self, exc: BaseException) -> None:
        self.hq.test.setEnabled(True)
        self.hq.show_result(render(exc), ok=False)

    # -- backups ----------------------------------------------------------------------------
    def backup_now(self) -> None:
        actor, backups = self.ctx.actor, self.ctx.services.backups
        self.backup.now.setEnabled(False)
        self.ctx.tasks.run_with_progress(
            lambda _report, _cancelled: backups.backup_now(actor), self._backed_up,
            self._backup_failed, title=tr("Backing up the station…"), parent=self)

    def _backed_up(self, info) -> None:  # type: ignore[no-untyped-def]
        self.backup.now.setEnabled(True)
        self.backup.show_last(info)
        self._say(tr("Backup made: {path}", path=str(info.path)), ok=True)

    def _backup_failed(self, exc: BaseException) -> None:
        self.backup.now.setEnabled(True)
        self._say(render(exc))

    # -- leaving ----------------------------------------------------------------------------
    def hideEvent(self, event: QHideEvent) -> None:
        """Leaving for another page with unsaved edits asks first (not when the window
        itself closes or hides)."""
        super().hideEvent(event)
        if not self._asking and self.has_unsaved():
            self._asking = True
            # once the page switch is over (answering 取消 switches back)
            QTimer.singleShot(0, self._ask_leaving)

    def _ask_leaving(self) -> None:
        window = self.window()
        if (self.isVisible() or not self.has_unsaved() or window is self
                or not window.isVisible()):
            self._asking = False  # back already, or the window itself went
            return
        self.prompts.unsaved_changes(window, self._answered)

    def _answered(self, choice: Unsaved) -> None:
        self._asking = False
        if choice is Unsaved.SAVE:
            self.save()
        elif choice is Unsaved.DISCARD:
            self.reload()
        else:
            self.ctx.open_page("settings")

    # -- helpers ----------------------------------------------------------------------------
    def _edited(self) -> None:
        self._enable()

    def _enable(self) -> None:
        ready = self._loaded is not None and not self._busy
        self.save_button.setEnabled(ready)
        self.cancel_button.setEnabled(ready)

    def _say(self, text: str, ok: bool = False) -> None:
        self.message.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.message.setText(text)

    def _failed(self, exc: BaseException) -> None:
        self._say(render(exc))
