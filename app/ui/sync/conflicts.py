"""冲突: what sync could not settle on its own, as a person settles it.

The list above (newest first, open ones unless 显示已解决), the chosen conflict below
(``ConflictDetail``): a stale head-office edit field by field, a late cancel of finished work
with 确认保留完工 / 取消工单, other kinds explained with 标记已处理. Settling runs through
``app.services.sync_conflicts.ConflictDesk`` off the GUI thread (managers; the services
enforce it) and is synced to head office with the next sync.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.permissions import P
from app.i18n import tr
from app.services.device_clash_fields import device_clash_fields
from app.services.sync_conflicts import ConflictDesk, ConflictInfo
from app.ui.extensions import UiContext
from app.ui.formatting import local_time
from app.ui.sync.conflict_detail import KIND_TEXT, ConflictDetail
from app.ui.sync.device_conflicts import DEVICE_KINDS, SHORTAGE_KIND

WATCHED = frozenset({"conflicts", "sync", "orders"})
HEADERS = ("Found", "Kind", "Record", "Resolved")


def conflict_desk(ctx: UiContext) -> ConflictDesk:
    services = ctx.services
    return ConflictDesk(services.db, services.bus, services.orders, services.sync.clock)


class ConflictsPage(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.desk = conflict_desk(ctx)
        self.conflicts: list[ConflictInfo] = []
        self.header = QLabel(objectName="conflicts_header")
        self.show_resolved = QCheckBox(tr("Show resolved"), objectName="show_resolved")
        self.show_resolved.toggled.connect(self.refresh)
        self.table = QTableWidget(0, len(HEADERS), objectName="conflicts_table")
        self.table.setHorizontalHeaderLabels([tr(h) for h in HEADERS])
        header = self.table.horizontalHeader()
        for column in (0, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.itemSelectionChanged.connect(self._selected)
        self.detail = ConflictDetail(ctx.actor.may(P.CONFLICT_RESOLVE))
        self.detail.settle_fields.connect(self._settle_fields)
        self.detail.settle_cancel.connect(self._settle_cancel)
        self.detail.acknowledge.connect(self._acknowledge)
        self.detail.settle_device.connect(self._settle_device)
        self.detail.settle_shortage.connect(self._settle_shortage)
        self.detail.count_part.connect(lambda part_no: ctx.open_page("counts", part_no=part_no))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.detail)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(1, 2)
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.show_resolved)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter)
        ctx.changes.changed.connect(self._on_changed)
        self.refresh()

    # -- the list -----------------------------------------------------------------------------
    def refresh(self) -> None:
        include = self.show_resolved.isChecked()
        self.ctx.tasks.run(lambda: self.desk.conflicts(include), self._show, owner=self)

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if kinds & WATCHED:
            self.refresh()

    def _show(self, conflicts: list[ConflictInfo]) -> None:
        current = self._current_id()
        self.conflicts = conflicts
        self.table.blockSignals(True)
        self.table.setRowCount(len(conflicts))
        chosen = -1
        for row, c in enumerate(conflicts):
            resolved = tr("Waiting to be settled")
            if c.resolved_at is not None:
                resolved = tr("Settled {time} by {user}", time=local_time(c.resolved_at),
                              user=c.resolved_by or "?")
                if c.resolution_note:
                    resolved += f" · {c.resolution_note}"
            subject = c.order_number or f"{tr(c.entity)} {c.entity_id}"
            if c.kind == SHORTAGE_KIND and c.local_summary:  # the part by its number
                subject = c.local_summary
            cells = (local_time(c.created_at), tr(KIND_TEXT.get(c.kind, c.kind)), subject,
                     resolved)
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
            if c.id == current:
                chosen = row
        self.table.blockSignals(False)
        if chosen >= 0:
            self.table.selectRow(chosen)
        self._selected()
        open_count = sum(1 for c in conflicts if c.resolved_at is None)
        self.header.setText(tr("Sync conflicts to review: {n}", n=open_count))

    def _current_id(self) -> str | None:
        row = self.table.currentRow()
        return self.conflicts[row].id if 0 <= row < len(self.conflicts) else None

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        row = rows[0].row() if rows else -1
        conflict = self.conflicts[row] if 0 <= row < len(self.conflicts) else None
        shown = self.detail.conflict
        same = (conflict is not None and shown is not None and conflict.id == shown.id
                and conflict.resolved_at == shown.resolved_at
                and conflict.order_status == shown.order_status)
        if not same:  # a refresh of the same conflict keeps the choices being made
            self.detail.show_conflict(conflict)
            if conflict is not None:
                self._read_more(conflict)

    def _read_more(self, conflict: ConflictInfo) -> None:
        """A device clash's fields, a shortage's part and movements (issue 15)."""
        services, actor, open_ = self.ctx.services, self.ctx.actor, conflict.resolved_at is None
        conflict_id = conflict.id

        def still(show):  # type: ignore[no-untyped-def]
            def inner(value) -> None:  # type: ignore[no-untyped-def]
                shown = self.detail.conflict
                if shown is not None and shown.id == conflict_id:
                    show(value)
            return inner

        if conflict.kind in DEVICE_KINDS:
            def read_fields():  # type: ignore[no-untyped-def]
                names = {u.id: u.display_name or u.username
                         for u in services.users.list_users(active_only=False)}
                return device_clash_fields(services.db, conflict_id), names

            def fields_read(found) -> None:  # type: ignore[no-untyped-def]
                fields, names = found
                self.detail.device_panel.show_fields(fields, open_, names)
                named = next((f.theirs or f.ours for f in fields
                              if f.name in ("number", "name", "part_no") and (f.theirs or f.ours)),
                             None)
                if named and not conflict.order_number:  # the record by its name, not its key
                    self.detail.title.setText(tr("{kind}: {subject}", kind=tr(
                        KIND_TEXT.get(conflict.kind, conflict.kind)),
                        subject=f"{tr(conflict.entity)} {named}"))

            self.ctx.tasks.run(read_fields, still(fields_read), lambda _exc: None, owner=self)
        elif conflict.kind == SHORTAGE_KIND:
            def find():  # type: ignore[no-untyped-def]
                return next((x for x in services.stock_shortages.shortages(actor)
                             if x.conflict_id == conflict_id), None)

            def shown(found) -> None:  # type: ignore[no-untyped-def]
                self.detail.shortage_panel.show_shortage(found, open_)
                if found is not None:  # the part by its number, not its key
                    self.detail.title.setText(tr("{kind}: {subject}", kind=tr(
                        KIND_TEXT[SHORTAGE_KIND]), subject=f"{found.part_no} {found.name}"))

            if not self.ctx.actor.may(P.CONFLICT_RESOLVE):  # the manager's list
                self.detail.shortage_panel.show_summary(conflict.local_summary, open_)
                if conflict.local_summary:
                    self.detail.title.setText(tr("{kind}: {subject}", kind=tr(
                        KIND_TEXT[SHORTAGE_KIND]), subject=conflict.local_summary))
                return
            self.ctx.tasks.run(find, still(shown), lambda _exc: None, owner=self)

    def select(self, conflict_id: str) -> None:
        """Shows the conflict ``conflict_id`` below (tests, links)."""
        for row, c in enumerate(self.conflicts):
            if c.id == conflict_id:
                self.table.selectRow(row)
                return

    # -- settling -----------------------------------------------------------------------------
    def _settle_fields(self, choices: dict, note: str) -> None:  # type: ignore[type-arg]
        conflict = self.detail.conflict
        if conflict is None:
            return
        actor, conflict_id = self.ctx.actor, conflict.id
        self._run(lambda: self.desk.settle_fields(actor, conflict_id, choices, note))

    def _settle_cancel(self, choice: str, note: str) -> None:
        conflict = self.detail.conflict
        if conflict is None:
            return
        actor, conflict_id = self.ctx.actor, conflict.id
        self._run(lambda: self.desk.settle_cancel(actor, conflict_id, choice, note))

    def _acknowledge(self, note: str) -> None:
        conflict = self.detail.conflict
        if conflict is None:
            return
        actor, conflict_id = self.ctx.actor, conflict.id
        self._run(lambda: self.desk.acknowledge(actor, conflict_id, note))

    def _settle_device(self, choice: str, note: str) -> None:
        conflict = self.detail.conflict
        if conflict is None:
            return
        desk, actor, conflict_id = self.ctx.services.device_clashes, self.ctx.actor, conflict.id
        self._run(lambda: desk.settle(actor, conflict_id, choice, note))

    def _settle_shortage(self, note: str) -> None:
        conflict = self.detail.conflict
        if conflict is None:
            return
        desk, actor, conflict_id = self.ctx.services.stock_shortages, self.ctx.actor, conflict.id
        self._run(lambda: desk.settle(actor, conflict_id, note))

    def _run(self, work) -> None:  # type: ignore[no-untyped-def]
        self.detail.setEnabled(False)
        self.ctx.tasks.run(work, self._settled, self._failed, owner=self)

    def _settled(self, info: ConflictInfo) -> None:
        self.detail.setEnabled(True)
        self.ctx.status_message(tr("Conflict settled; head office hears of it at the next "
                                   "sync."))
        self.detail.show_conflict(info)
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self.detail.setEnabled(True)
        self.detail.show_error(exc)
