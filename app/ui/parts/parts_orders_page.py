"""零件订购: the station's orders of parts to head office, newest first, and the chosen one:
a draft (the manager edits its lines, starting from the quantities the stock suggests, and
submits it), then its status and what head office confirmed and shipped as sync brings it,
and the receipt of what arrived (partial receipts too), each a stock movement.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import RuleViolation
from app.domain.parts import PartsOrderStatus
from app.domain.permissions import Permission
from app.i18n import tr
from app.services.parts_orders import (
    PARTS_ORDERS,
    LineInput,
    PartsOrderDetail,
    PartsOrderRow,
    Suggestion,
    SuggestReason,
)
from app.ui.extensions import UiContext
from app.ui.formatting import local_time
from app.ui.parts.common import enum_label, fill, make_table, row_key
from app.ui.parts.parts_order_lines import PartsOrderLines
from app.ui.parts.picker import PartPicker
from app.ui.widgets.forms import ErrorForm

HEADERS = ("Parts order", "Status", "Created", "Lines", "Units", "Received")
REASONS = {SuggestReason.LOW_STOCK: "low stock", SuggestReason.WAITING_ORDERS: "orders waiting"}


class PartsOrdersPage(QWidget):
    #: the chosen order was shown (PartsOrderDetail or None for a new draft)
    loaded = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail: PartsOrderDetail | None = None
        manager = ctx.actor.may(Permission.PARTS_ORDER)
        self.orders = make_table(HEADERS, "parts_orders_table",
                                 {0: 210, 1: 110, 2: 140, 3: 60, 4: 60})
        self.orders.itemSelectionChanged.connect(self._chosen)
        self.new_button = QPushButton(tr("New draft from suggestions"),
                                      objectName="new_parts_order")
        self.new_button.clicked.connect(self.new_draft)
        self.new_button.setVisible(manager)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        new_row = QHBoxLayout()
        new_row.addWidget(self.new_button)
        new_row.addStretch(1)
        left_layout.addLayout(new_row)
        left_layout.addWidget(self.orders, 1)

        self.heading = QLabel(objectName="parts_order_heading")
        self.heading.setStyleSheet("font-weight: bold;")
        self.heading.setWordWrap(True)
        self.hq_note = QLabel(objectName="parts_order_hq_note")
        self.hq_note.setWordWrap(True)
        self.lines = PartsOrderLines()
        self.picker = PartPicker(ctx, "parts_order_add")
        self.picker.picked.connect(lambda p: self.lines.add_part(p.part_no, p.name, p.unit, 1))
        self.remove_button = QPushButton(tr("Remove line"), objectName="parts_order_remove")
        self.remove_button.clicked.connect(self.lines.remove_selected)
        self.note = QLineEdit(objectName="parts_order_note")
        self.save_button = QPushButton(tr("Save draft"), objectName="save_parts_order")
        self.submit_button = QPushButton(tr("Submit to head office"),
                                         objectName="submit_parts_order")
        self.cancel_reason = QLineEdit(objectName="parts_order_cancel_reason")
        self.cancel_button = QPushButton(tr("Cancel parts order"), objectName="cancel_parts_order")
        self.receive_button = QPushButton(tr("Receive what arrived"),
                                          objectName="receive_parts_order")
        self.save_button.clicked.connect(self.save)
        self.submit_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.cancel)
        self.receive_button.clicked.connect(self.receive)
        self.form = ErrorForm()
        self.form.add_row("Add a part", self.picker, "part", "part_no", "text")
        self.form.add_row("Note", self.note, "note")
        self.form.add_row("Cancel reason", self.cancel_reason, "reason")
        self.form.add_general_error_row()
        buttons = QHBoxLayout()
        for button in (self.remove_button, self.save_button, self.submit_button,
                       self.cancel_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.receive_button)
        right = QGroupBox(tr("Parts order"))
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.heading)
        right_layout.addWidget(self.hq_note)
        right_layout.addWidget(self.lines, 1)
        right_layout.addLayout(self.form)
        right_layout.addLayout(buttons)

        # one above the other: at 1280 px both tables keep every column in view
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._timer = QTimer(self, singleShot=True, interval=300)
        self._timer.timeout.connect(self.refresh)
        ctx.changes.changed.connect(self._on_changed)
        self._show_detail(None)
        self.refresh()

    # -- the list -----------------------------------------------------------------------------
    def focus_search(self) -> None:
        """Ctrl+F: the draft's part box (a scanner adds a part by its number)."""
        if self.picker.isEnabled():
            self.picker.focus_box()

    def refresh(self) -> None:
        service = self.ctx.services.parts_orders
        self.ctx.tasks.run(service.list_orders, self._show_orders, self.form.show_error,
                           owner=self)

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if PARTS_ORDERS in kinds:
            self._timer.start()

    def _show_orders(self, rows: list[PartsOrderRow]) -> None:
        chosen = self.detail.id if self.detail else None
        self.orders.blockSignals(True)
        fill(self.orders, rows, lambda r: (
            r.number, enum_label(PartsOrderStatus, r.status), local_time(r.created_at),
            r.lines, r.quantity, r.received), right=(3, 4, 5), key=lambda r: r.id)
        ids = [r.id for r in rows]
        if chosen in ids:
            self.orders.selectRow(ids.index(chosen))
        self.orders.blockSignals(False)
        if chosen in ids:
            self.show_order(chosen)

    def _chosen(self) -> None:
        rows = self.orders.selectionModel().selectedRows()
        if rows:
            self.show_order(row_key(self.orders, rows[0].row()))

    def show_order(self, order_id: str) -> None:
        service = self.ctx.services.parts_orders
        self.ctx.tasks.run(lambda: service.detail(order_id), self._show_detail,
                           self.form.show_error, owner=self)

    # -- the chosen order ---------------------------------------------------------------------
    def _show_detail(self, detail: PartsOrderDetail | None) -> None:
        self.detail = detail
        self.form.clear_errors()
        manager = self.ctx.actor.may(Permission.PARTS_ORDER)
        draft = detail is not None and detail.editable
        receiving = detail is not None and detail.receivable
        if detail is None:
            self.heading.setText(tr("Choose a parts order, or start a draft."))
            self.hq_note.clear()
            self.lines.show_lines([], False, False)
        else:
            when = [tr("created {when}", when=local_time(detail.created_at))]
            for text, moment in (("submitted {when}", detail.submitted_at),
                                 ("confirmed {when}", detail.confirmed_at),
                                 ("shipped {when}", detail.shipped_at)):
                if moment is not None:
                    when.append(tr(text, when=local_time(moment)))
            self.heading.setText(f"{detail.number}  {enum_label(PartsOrderStatus, detail.status)}"
                                 f"  ({'，'.join(when)})")
            self.hq_note.setText(tr("Head office: {note}", note=detail.hq_note)
                                 if detail.hq_note else "")
            self.note.setText(detail.note)
            self.lines.show_lines(detail.lines, draft, receiving)
        may_receive = self.ctx.actor.may(Permission.PARTS_RECEIVE)
        for widget in (self.picker, self.remove_button, self.save_button, self.submit_button,
                       self.note):
            widget.setEnabled(draft and manager)
        cancellable = detail is not None and detail.status in (PartsOrderStatus.DRAFT,
                                                               PartsOrderStatus.SUBMITTED)
        self.cancel_button.setEnabled(cancellable and manager)
        self.cancel_reason.setEnabled(cancellable and manager)
        self.receive_button.setEnabled(receiving and may_receive)
        self.loaded.emit(detail)

    def new_draft(self) -> None:
        """A draft holding what the stock suggests (low stock, orders waiting for parts)."""
        service, actor = self.ctx.services.parts_orders, self.ctx.actor

        def work() -> PartsOrderDetail:
            suggestions: list[Suggestion] = service.suggest()
            note = "；".join(f"{s.part_no} {'、'.join(tr(REASONS[r]) for r in s.reasons)}"
                            for s in suggestions)[:200]
            return service.create_draft(actor, [LineInput(s.part_no, s.quantity)
                                                for s in suggestions], note)

        self.ctx.tasks.run(work, self._saved, self.form.show_error, owner=self)

    def _saved(self, detail: PartsOrderDetail) -> None:
        self._show_detail(detail)
        self.refresh()

    def _write(self, call) -> None:
        self.form.clear_errors()
        self.ctx.tasks.run(call, self._saved, self.form.show_error, owner=self)

    def _draft_write(self, then_submit: bool) -> None:
        """Saves the draft as edited (lines and note), then submits it when asked."""
        if self.detail is None:
            return
        try:
            lines = self.lines.ordered()
        except RuleViolation as err:
            self.form.show_error(err)
            return
        service, actor, d, note = (self.ctx.services.parts_orders, self.ctx.actor, self.detail,
                                   self.note.text())

        def work() -> PartsOrderDetail:
            saved = service.update_draft(actor, d.id, lines, note, d.revision)
            return service.submit(actor, d.id, saved.revision) if then_submit else saved

        self._write(work)

    def save(self) -> None:
        self._draft_write(then_submit=False)

    def submit(self) -> None:
        self._draft_write(then_submit=True)

    def cancel(self) -> None:
        if self.detail is None:
            return
        service, actor, d = self.ctx.services.parts_orders, self.ctx.actor, self.detail
        reason = self.cancel_reason.text()
        self._write(lambda: service.cancel(actor, d.id, reason, d.revision))

    def receive(self) -> None:
        if self.detail is None:
            return
        try:
            lines = self.lines.received()
        except RuleViolation as err:
            self.form.show_error(err)
            return
        service, actor, d = self.ctx.services.parts_orders, self.ctx.actor, self.detail
        self._write(lambda: service.receive(actor, d.id, lines, d.revision))
