"""冲突: what sync could not settle on its own (a head-office cancel of finished work, a stale
head-office edit, an op head office refused). A person reads both sides and marks it
resolved with a note (managers; the service enforces it).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import Role
from app.i18n import tr
from app.services.sync_service import ConflictInfo
from app.ui.extensions import UiContext
from app.ui.formatting import local_time
from app.ui.widgets.messages import show_error

WATCHED = frozenset({"conflicts", "sync"})
HEADERS = ("Found", "Kind", "Record", "This station", "Head office", "Resolved")
#: conflict kinds as people read them
KIND_TEXT = {
    "cancel_after_completion": "Head office cancelled finished work",
    "stale_hq_edit": "Head office edited an order changed here",
    "rejected_op": "Head office refused a change",
    "hq_conflict": "Head office reported a clash",
    "unknown_order": "Head office named an unknown order",
    "unknown_change": "Head office sent something this version does not know",
    "unreadable_change": "Head office sent a change that could not be applied",
}


class ConflictsPage(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.conflicts: list[ConflictInfo] = []
        self.header = QLabel(objectName="conflicts_header")
        self.show_resolved = QCheckBox(tr("Show resolved"), objectName="show_resolved")
        self.show_resolved.toggled.connect(self.refresh)
        self.table = QTableWidget(0, len(HEADERS), objectName="conflicts_table")
        self.table.setHorizontalHeaderLabels([tr(h) for h in HEADERS])
        for column in (3, 4):
            self.table.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.note = QLineEdit(objectName="resolution_note")
        self.note.setPlaceholderText(tr("What was done about it"))
        self.resolve_button = QPushButton(tr("Mark resolved"), objectName="resolve_button")
        self.resolve_button.clicked.connect(self.resolve_selected)
        self.resolve_button.setEnabled(ctx.actor.role is Role.MANAGER)
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.show_resolved)
        bottom = QHBoxLayout()
        bottom.addWidget(self.note, 1)
        bottom.addWidget(self.resolve_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addLayout(bottom)
        ctx.changes.changed.connect(self._on_changed)
        self.refresh()

    def refresh(self) -> None:
        include = self.show_resolved.isChecked()
        self.ctx.tasks.run(lambda: self.ctx.services.sync.conflicts(include), self._show,
                           owner=self)

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if kinds & WATCHED:
            self.refresh()

    def _show(self, conflicts: list[ConflictInfo]) -> None:
        self.conflicts = conflicts
        self.table.setRowCount(len(conflicts))
        for row, c in enumerate(conflicts):
            resolved = ""
            if c.resolved_at is not None:
                resolved = f"{local_time(c.resolved_at)} {c.resolved_by or ''} {c.resolution_note}"
            cells = (local_time(c.created_at), tr(KIND_TEXT.get(c.kind, c.kind)),
                     f"{c.entity} {c.entity_id}", c.local_summary, c.remote_summary, resolved)
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeRowsToContents()
        open_count = sum(1 for c in conflicts if c.resolved_at is None)
        self.header.setText(tr("Sync conflicts to review: {n}", n=open_count))

    def resolve_selected(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.conflicts):
            return
        conflict_id, note = self.conflicts[row].id, self.note.text()
        self.ctx.tasks.run(
            lambda: self.ctx.services.sync.resolve_conflict(self.ctx.actor, conflict_id, note),
            lambda _info: self.note.clear(), lambda exc: show_error(self.window(), exc),
            owner=self)
