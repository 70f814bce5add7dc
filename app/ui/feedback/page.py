"""质量反馈: the station's quality feedback cards, newest first (number, status, model, serial,
cause, date), searched by number, model, serial, part, fault or order number and filtered by
status, with the chosen card in its form beside the list. 新建反馈卡 starts a card of its own;
a card from an order starts in the order editor (填写质量反馈卡).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.domain.feedback import CAUSE_TEXT, STATUS_TEXT, FeedbackStatus
from app.i18n import tr
from app.services.feedback import FEEDBACK, FeedbackDetail, FeedbackRow
from app.ui.extensions import UiContext
from app.ui.feedback.form import FeedbackForm, FeedbackPrompts
from app.ui.formatting import local_time
from app.ui.parts.common import ErrorLine, fill, make_table, row_key

HEADERS = ("Card number", "Status", "Product model", "Serial no.", "Cause category",
           "Filled in on")


class FeedbackPage(QWidget):
    #: the list was (re)read
    listed = Signal()

    def __init__(self, ctx: UiContext, prompts: FeedbackPrompts | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.prompts = prompts or FeedbackPrompts()
        self.rows: list[FeedbackRow] = []
        self.search = QLineEdit(objectName="feedback_search")
        self.search.setPlaceholderText(tr("Number, model, serial, part, fault or order"))
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox(objectName="feedback_status_filter")
        self.status.addItem(tr("All"), "")
        for status in FeedbackStatus:
            self.status.addItem(tr(STATUS_TEXT[status]), status.value)
        self.new_button = QPushButton(tr("New feedback card"), objectName="feedback_new")
        self.new_button.clicked.connect(self.new_card)
        self.table = make_table(HEADERS, "feedback_table",
                                {0: 178, 1: 56, 3: 100, 4: 84, 5: 90}, stretch=2)
        self.table.itemSelectionChanged.connect(self._chosen)
        self.error = ErrorLine("feedback_list_error")
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.status)
        top.addWidget(self.new_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addWidget(self.error)
        left_layout.addWidget(self.table, 1)
        self.form = FeedbackForm(ctx, self.prompts)
        self.form.loaded.connect(self._card_written)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.form)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        # at 1280 px beside the navigation every column of the list stays in view
        splitter.setSizes([700, 420])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.status.currentIndexChanged.connect(lambda _i: self.refresh())
        self._changes = QTimer(self, singleShot=True, interval=300)
        self._changes.timeout.connect(self.refresh)
        ctx.changes.changed.connect(self._on_changed)
        self.refresh()

    # -- the window's contract ----------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def refresh(self) -> None:
        service, status, text = (self.ctx.services.feedback, self.status.currentData(),
                                 self.search.text())
        self.ctx.tasks.run(lambda: service.list(status or None, text), self._show_rows,
                           self.error.show_error, owner=self)

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if FEEDBACK in kinds:
            self._changes.start()

    # -- the list -----------------------------------------------------------------------------
    def _show_rows(self, rows: list[FeedbackRow]) -> None:
        self.error.clear_error()
        self.rows = rows
        chosen = self.form.detail.id if self.form.detail else None
        self.table.blockSignals(True)
        fill(self.table, rows, lambda r: (
            r.number, tr(STATUS_TEXT[r.status]), r.product_model, r.serial_no,
            tr(CAUSE_TEXT[r.cause_category]) if r.cause_category else "",
            local_time(r.created_at)[:10]), key=lambda r: r.id)
        # the card number is never elided; the model takes what is left
        for column in (0, 1, 3, 4, 5):
            self.table.resizeColumnToContents(column)
        ids = [r.id for r in rows]
        if chosen in ids:
            self.table.selectRow(ids.index(chosen))
        self.table.blockSignals(False)
        self.listed.emit()

    def _chosen(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        card_id = row_key(self.table, rows[0].row())
        if self.form.detail is not None and card_id == self.form.detail.id:
            return
        if self.form.dirty() and not self.prompts.discard_changes(self):
            self._reselect()
            return
        self.form.load(card_id)

    def _reselect(self) -> None:
        ids = [r.id for r in self.rows]
        current = self.form.detail.id if self.form.detail else None
        self.table.blockSignals(True)
        if current in ids:
            self.table.selectRow(ids.index(current))
        else:
            self.table.clearSelection()
        self.table.blockSignals(False)

    def select_card(self, card_id: str) -> None:
        """Shows the card (the list selects it when it lists it)."""
        self.form.load(card_id)

    def new_card(self) -> None:
        if self.form.dirty() and not self.prompts.discard_changes(self):
            return
        service, actor = self.ctx.services.feedback, self.ctx.actor
        self.form.write(lambda: service.new(actor))

    def _card_written(self, detail: FeedbackDetail) -> None:
        ids = [r.id for r in self.rows]
        if detail.id in ids:
            self.table.blockSignals(True)
            self.table.selectRow(ids.index(detail.id))
            self.table.blockSignals(False)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape and self.form.dirty():
            if self.prompts.discard_changes(self):
                self.form.show_card(self.form.detail)
            return
        super().keyPressEvent(event)
