"""回访: the queue of completed orders waiting for their call (order, customer, phone,
product, completed, due, unreachable calls; overdue rows in red, first), with the visit form
and its script below for the chosen order. After a visit the queue refreshes and the next
order is chosen; a call that reached nobody stays chosen with its count raised.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.services import events
from app.services.users import StationInfo
from app.services.visits import VISITS, QueueRow
from app.ui.extensions import UiContext
from app.ui.formatting import OVERDUE_TEXT, local_time
from app.ui.parts.common import ErrorLine, fill, make_table, row_key
from app.ui.visits.form import VisitForm

HEADERS = ("Order number", "Customer", "Phone", "Product", "Completed", "Due", "Calls",
           "Last call")


class VisitsPage(QWidget):
    #: the queue was (re)loaded
    loaded = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[QueueRow] = []
        self.station: StationInfo | None = None
        self._want: str | None = None
        self.count = QLabel(objectName="visit_count")
        self.refresh_button = QPushButton(tr("Refresh"), objectName="visit_refresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.error = ErrorLine("visit_queue_error")
        self.table = make_table(HEADERS, "visit_queue",
                                {0: 200, 1: 90, 2: 120, 3: 150, 4: 130, 5: 190, 6: 60},
                                stretch=7)
        self.table.itemSelectionChanged.connect(self._chosen)
        self.form = VisitForm(ctx)
        self.form.saved.connect(self._saved)
        self.form.attempted.connect(lambda _info: self.refresh())
        bar = QHBoxLayout()
        bar.addWidget(self.count)
        bar.addStretch(1)
        bar.addWidget(self.refresh_button)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(bar)
        top_layout.addWidget(self.error)
        top_layout.addWidget(self.table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(self.form)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._timer = QTimer(self, singleShot=True, interval=300)
        self._timer.timeout.connect(self.refresh)
        ctx.changes.changed.connect(self._on_changed)
        self.refresh()

    def refresh(self) -> None:
        visits, users = self.ctx.services.visits, self.ctx.services.users
        self._want = self._want or self.selected_order_id()
        actor = self.ctx.actor
        self.ctx.tasks.run(lambda: (visits.queue(viewer=actor), users.station()), self._show,
                           self.error.show_error, owner=self)

    def focus_search(self) -> None:
        self.table.setFocus()

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if kinds & {VISITS, events.ORDERS}:
            self._timer.start()

    def _show(self, result: tuple[list[QueueRow], StationInfo | None]) -> None:
        self.rows, self.station = result
        self.error.clear_error()
        want, self._want = self._want, None
        overdue = sum(r.overdue for r in self.rows)
        self.count.setText(tr("{count} waiting, {overdue} overdue", count=len(self.rows),
                              overdue=overdue) if self.rows else tr("Nothing to call back."))
        self.table.blockSignals(True)
        fill(self.table, self.rows, lambda r: (
            r.number, r.customer_name, r.phone, r.product_model, local_time(r.completed_at),
            f"⚠ {r.due_on.isoformat()} {tr('Overdue')}" if r.overdue else r.due_on.isoformat(),
            r.attempts or "", local_time(r.last_attempt_at)), right=(6,),
            key=lambda r: r.order_id)
        for index, r in enumerate(self.rows):
            if r.overdue:
                for col in range(self.table.columnCount()):
                    self.table.item(index, col).setForeground(QBrush(OVERDUE_TEXT))
        ids = [r.order_id for r in self.rows]
        self.table.blockSignals(False)
        if want in ids:
            self.table.selectRow(ids.index(want))
        elif self.rows:
            self.table.selectRow(0)
        else:
            self.form.set_call(None, self.station)
        self.loaded.emit()

    def selected_order_id(self) -> str | None:
        chosen = self.table.selectionModel().selectedRows()
        return row_key(self.table, chosen[0].row()) if chosen else None

    def select_order(self, order_id: str) -> None:
        ids = [r.order_id for r in self.rows]
        if order_id in ids:
            self.table.selectRow(ids.index(order_id))

    def _chosen(self) -> None:
        order_id = self.selected_order_id()
        row = next((r for r in self.rows if r.order_id == order_id), None)
        if row is None:
            self.form.set_call(None, self.station)
            return
        if self.form.row is not None and self.form.row.order_id == row.order_id:
            self.form.row = row  # a refresh after an attempt: keep what was chosen so far
            self.form.show_summary()
            return
        self.form.set_call(row, self.station)

    def _saved(self, _result: object) -> None:
        ids = [r.order_id for r in self.rows]
        done = self.form.row.order_id if self.form.row else None
        if done in ids:
            following = ids[ids.index(done) + 1:]
            self._want = following[0] if following else None
        self.form.set_call(None, self.station)
        self.refresh()
