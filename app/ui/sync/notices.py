"""业务公告: head office's notices, newest first, with the unread count; opening one marks it
read. Bodies are shown as plain text (never interpreted as markup).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.services.sync_service import NoticeInfo
from app.ui.extensions import UiContext
from app.ui.formatting import local_time

WATCHED = frozenset({"notices", "sync"})


class NoticesPage(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.notices: list[NoticeInfo] = []
        self.header = QLabel(objectName="notices_header")
        self.table = QTableWidget(0, 2, objectName="notices_table")
        self.table.setHorizontalHeaderLabels([tr("Title"), tr("Published")])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.itemSelectionChanged.connect(self._selected)
        self.body = QPlainTextEdit(objectName="notice_body")
        self.body.setReadOnly(True)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.body)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(splitter)
        ctx.changes.changed.connect(self._on_changed)
        self.refresh()

    def refresh(self) -> None:
        self.ctx.tasks.run(self.ctx.services.sync.notices, self._show, owner=self)

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if kinds & WATCHED:
            self.refresh()

    def unread(self) -> int:
        return sum(1 for n in self.notices if n.read_at is None)

    def _show(self, notices: list[NoticeInfo]) -> None:
        current = self._current_id()
        self.notices = notices
        self.table.blockSignals(True)
        self.table.setRowCount(len(notices))
        for row, notice in enumerate(notices):
            title = QTableWidgetItem(notice.title)
            if notice.read_at is None:
                font = QFont(title.font())
                font.setBold(True)
                title.setFont(font)
            self.table.setItem(row, 0, title)
            self.table.setItem(row, 1, QTableWidgetItem(local_time(notice.published_at)))
            if notice.id == current:
                self.table.selectRow(row)
        self.table.blockSignals(False)
        self.header.setText(tr("Notices from head office: {total}, unread {unread}",
                               total=len(notices), unread=self.unread()))

    def _current_id(self) -> str | None:
        row = self.table.currentRow()
        return self.notices[row].id if 0 <= row < len(self.notices) else None

    def _selected(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.notices):
            self.body.clear()
            return
        notice = self.notices[row]
        self.body.setPlainText(f"{notice.title}\n{local_time(notice.published_at)}\n\n"
                               f"{notice.body}")
        if notice.read_at is None:
            self.ctx.tasks.run(
                lambda: self.ctx.services.sync.mark_notice_read(self.ctx.actor, notice.id),
                owner=self)
