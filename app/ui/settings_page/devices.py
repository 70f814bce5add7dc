"""The settings page's 本站设备 section (issue 15): the station's devices as head office last
listed them (name, letter, last push and pull, this one marked, revoked ones marked), read
off the GUI thread and again on 刷新 (Alt+R) or after a sync. On a device head office has
revoked (a lost laptop, found again): a red banner, and 未送达总部的更改 — the outbox rows head
office never acknowledged — with 导出 CSV (Alt+E) so the manager can re-enter them elsewhere.
Nothing here is edited: the page's 保存 / 取消 do not concern it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.permissions import Permission
from app.i18n import render, tr
from app.services import events
from app.services.device_status import (
    DeviceRow,
    DeviceStatus,
    UnsentChange,
    action_text,
    entity_text,
    summary_text,
)
from app.services.sync_store import SYNC
from app.ui.extensions import UiContext
from app.ui.formatting import local_time
from app.ui.sync.device_text import device_label, last_sync, sync_phrase
from app.ui.widgets.forms import ERROR_STYLE
from sync.client import SyncError

DEVICE_COLUMNS = ("Device", "Letter", "Last upload", "Last download", "Status")
UNSENT_COLUMNS = ("No.", "Data", "Action", "User", "Made at", "Summary")
BANNER_STYLE = ("background: #ffebee; color: #b71c1c; border: 1px solid #b71c1c; "
                "padding: 6px; font-weight: bold;")


def ask_csv_path(parent: QWidget, suggested: Path) -> Path | None:
    """Where to save the unsent changes (.csv added when left out); None when cancelled."""
    name, _ = QFileDialog.getSaveFileName(parent, tr("Export the unsent changes"),
                                          str(suggested), tr("CSV files (*.csv)"))
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".csv" else path.with_name(f"{path.name}.csv")


def _item(text: str, tip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if tip:
        item.setToolTip(tip)
    return item


def _table(name: str, columns: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(columns), objectName=name)
    table.setHorizontalHeaderLabels([tr(c) for c in columns])
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def device_state(row: DeviceRow, primary: int | None) -> str:
    marks = []
    if row.this_device:
        marks.append(tr("this device"))
    if row.number == primary:
        marks.append(tr("primary"))
    marks.append(tr("revoked") if row.revoked else tr("in use"))
    return "、".join(marks)


class DevicesSection(QGroupBox):
    """本站设备: read on the worker when built, after every sync and on 刷新."""

    loaded = Signal()
    exported = Signal(int)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None,
                 ask_path: Callable[[QWidget, Path], Path | None] = ask_csv_path) -> None:
        super().__init__(tr("Devices of this station"), parent)
        self.setObjectName("devices_section")
        self.ctx = ctx
        self.ask_path = ask_path
        self.status: DeviceStatus | None = None
        self.unsent: list[UnsentChange] = []
        self._shown_revoked = False
        layout = QVBoxLayout(self)
        self.banner = QLabel(objectName="device_revoked_banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.hide()
        layout.addWidget(self.banner)
        self.summary = QLabel(objectName="devices_summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = _table("devices_table", DEVICE_COLUMNS)
        # a long name (64 characters) is cut in its column, never pushing the rest away
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.setMinimumHeight(120)
        layout.addWidget(self.table)
        self.unsent_title = QLabel(tr("Changes head office never received"),
                                   objectName="unsent_title")
        self.unsent_title.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.unsent_title)
        self.unsent_table = _table("unsent_table", UNSENT_COLUMNS)
        self.unsent_table.setMinimumHeight(160)
        layout.addWidget(self.unsent_table)
        self.error = QLabel(objectName="devices_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.export_button = QPushButton(tr("&Export CSV…"), objectName="unsent_export")
        self.export_button.clicked.connect(self.export)
        buttons.addWidget(self.export_button)
        self.refresh_button = QPushButton(tr("&Refresh"), objectName="devices_refresh")
        self.refresh_button.clicked.connect(self.reload)
        buttons.addWidget(self.refresh_button)
        layout.addLayout(buttons)
        self._show_unsent(False)
        ctx.changes.changed.connect(self._on_changed)
        self.reload()

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if kinds & {SYNC, events.OUTBOX}:
            self.reload()

    # -- reading ------------------------------------------------------------------------------
    def reload(self) -> None:
        sync, actor = self.ctx.services.sync, self.ctx.actor

        def read() -> tuple[DeviceStatus, list[UnsentChange]]:
            status = sync.device_status()
            if (not status.revoked and len(status.devices) > 1
                    and sync.status().last_result == SyncError.REVOKED):
                # head office refused this device's token: its list here still says in use
                status = replace(status, revoked=True, devices=tuple(
                    replace(r, revoked=True) if r.this_device else r for r in status.devices))
            allowed = actor.may(Permission.UNSENT_VIEW)
            return status, (sync.unsent_changes(actor, 500) if status.revoked and allowed
                            else [])

        self.refresh_button.setEnabled(False)
        self.ctx.tasks.run(read, self._fill, self._failed, owner=self)

    def _failed(self, exc: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        self.error.setText(render(exc))
        self.error.show()

    def _fill(self, found: tuple[DeviceStatus, list[UnsentChange]]) -> None:
        status, unsent = found
        self.status, self.unsent = status, unsent
        self.refresh_button.setEnabled(True)
        self.error.hide()
        now = datetime.now(UTC)
        primary = next((r.number for r in status.devices if not r.revoked), None)
        self.table.setRowCount(len(status.devices))
        for i, row in enumerate(status.devices):
            when = last_sync(row)
            cells = (_item(device_label(row), device_label(row)), _item(row.tag or "—"),
                     _item(local_time(row.last_push_at) or "—"),
                     _item(local_time(row.last_pull_at) or "—",
                           sync_phrase(when, now)),
                     _item(device_state(row, primary)))
            for column, cell in enumerate(cells):
                if row.this_device:
                    font = cell.font()
                    font.setBold(True)
                    cell.setFont(font)
                if row.revoked:
                    cell.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(i, column, cell)
        if not status.devices:
            self.summary.setText(tr("Head office has not listed this station's devices yet: "
                                    "they appear after the next sync."))
        else:
            self.summary.setText(tr("This device: {name} (device {n}).",
                                    name=status.name or tr("Device {n}", n=status.number),
                                    n=status.number))
        if status.revoked:
            self.banner.setText(tr(
                "Head office has revoked this device: it can no longer sync. The changes below "
                "never reached head office; export them and enter them again on a device of "
                "the station that still syncs."))
        self.banner.setVisible(status.revoked)
        if status.revoked and not self._shown_revoked:  # the manager is brought to it once
            self._shown_revoked = True
            scroll = self.parent()
            while scroll is not None and not isinstance(scroll, QScrollArea):
                scroll = scroll.parent()
            if isinstance(scroll, QScrollArea) and scroll.widget() is not None:
                area = scroll

                def bring() -> None:
                    top = self.mapTo(area.widget(), QPoint(0, 0)).y()
                    area.verticalScrollBar().setValue(top)

                QTimer.singleShot(0, self, bring)
        self._show_unsent(status.revoked)
        self.unsent_table.setRowCount(len(unsent))
        for i, change in enumerate(unsent):
            cells = (str(change.seq), entity_text(change.entity), action_text(change.action),
                     change.username,
                     local_time(change.created_at), summary_text(change.summary))
            for column, text in enumerate(cells):
                self.unsent_table.setItem(i, column, _item(text, text if column == 5 else ""))
        self.export_button.setEnabled(bool(unsent))
        self.loaded.emit()

    def _show_unsent(self, shown: bool) -> None:
        for widget in (self.unsent_title, self.unsent_table, self.export_button):
            widget.setVisible(shown)

    # -- export -------------------------------------------------------------------------------
    def export(self) -> None:
        if not self.unsent:
            return
        suggested = Path.home() / f"unsent-{datetime.now():%Y%m%d-%H%M}.csv"
        path = self.ask_path(self.window(), suggested)
        if path is None:
            return
        self.export_button.setEnabled(False)
        sync, actor = self.ctx.services.sync, self.ctx.actor
        self.ctx.tasks.run(lambda: sync.export_unsent(actor, path), self._exported,
                           self._export_failed, owner=self)

    def _exported(self, count: int) -> None:
        self.export_button.setEnabled(True)
        self.ctx.status_message(tr("{n} unsent changes exported.", n=count))
        self.exported.emit(count)

    def _export_failed(self, exc: BaseException) -> None:
        self.export_button.setEnabled(True)
        self.error.setText(render(exc))
        self.error.show()
