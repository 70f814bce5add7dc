"""盘点: the open count (or a posted one, to look at), its lines, and the scanner field — a
barcode scanner types the part number and Enter, and the cursor lands on that part's counted
cell; the count typed there is stored at once with that moment's on-hand as its book
quantity. Differences and their value show as they are entered. The manager opens a count
(all parts, or one shelf prefix) and posts it with a reason; anyone prints the count sheet.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import RuleViolation
from app.domain.parts import CountStatus
from app.domain.permissions import Permission
from app.i18n import tr
from app.services.stock_counts import COUNTS, CountDetail, CountLineInfo, CountSummary, PostResult
from app.ui.extensions import UiContext
from app.ui.formatting import local_time, yuan
from app.ui.parts.common import ErrorLine, enum_label
from app.ui.parts.count_table import CountTable
from app.ui.parts.printing import PartsPrinter
from app.ui.parts.sales_list import busy_bar
from app.ui.widgets.forms import ErrorForm
from app.ui.widgets.messages import show_message

SHEET = "count-sheet"


class CountPage(QWidget):
    #: a count's detail was shown
    loaded = Signal()
    #: a scanned part's counted cell has the cursor (its row)
    scanned = Signal(int)
    #: an entered count was stored (CountLineInfo)
    entered = Signal(object)
    #: the count was posted (PostResult)
    posted = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.count: CountDetail | None = None

        self.counts = QComboBox(objectName="count_choice")
        self.counts.activated.connect(lambda _i: self.show_count(self.counts.currentData()))
        self.open_prefix = QLineEdit(objectName="count_prefix")
        self.open_prefix.setPlaceholderText(tr("Shelf prefix (empty: every part)"))
        self.open_button = QPushButton(tr("Open a count"), objectName="open_count")
        self.open_button.clicked.connect(self.open_count)
        self.open_form = ErrorForm()
        self.open_form.add_row("Shelf location", self.open_prefix, "location", "count")
        self.open_form.add_general_error_row()
        open_box = QWidget()
        open_row = QHBoxLayout(open_box)
        open_row.setContentsMargins(0, 0, 0, 0)
        open_row.addLayout(self.open_form, 1)
        open_row.addWidget(self.open_button)
        open_box.setVisible(ctx.actor.may(Permission.COUNT_OPEN))

        self.heading = QLabel(objectName="count_heading")
        self.heading.setStyleSheet("font-weight: bold;")
        self.scan = QLineEdit(objectName="count_scan")
        self.scan.setPlaceholderText(tr("Scan or type a part number, Enter"))
        self.scan.returnPressed.connect(self.find_scanned)
        self.scan_error = ErrorLine("count_scan_error")
        self.table = CountTable()
        self.table.entered.connect(self.enter)
        self.summary = QLabel(objectName="count_summary")

        self.reason = QLineEdit(objectName="post_reason")
        self.reason.setPlaceholderText(tr("Why the stock is adjusted"))
        self.post_button = QPushButton(tr("Post the count"), objectName="post_count")
        self.post_button.clicked.connect(self.post)
        self.post_form = ErrorForm()
        self.post_form.add_row("Adjustment reason", self.reason, "reason")
        self.post_form.add_general_error_row()
        post_box = QWidget()
        post_row = QHBoxLayout(post_box)
        post_row.setContentsMargins(0, 0, 0, 0)
        post_row.addLayout(self.post_form, 1)
        post_row.addWidget(self.post_button)
        post_box.setVisible(ctx.actor.may(Permission.COUNT_POST))
        self.post_box = post_box

        self.printer = PartsPrinter(ctx, parent=self)
        self.preview_button = QPushButton(tr("Print preview"), objectName="count_preview")
        self.print_button = QPushButton(tr("Print count sheet"), objectName="count_print")
        self.save_button = QPushButton(tr("Save as PDF"), objectName="count_save")
        self.preview_button.clicked.connect(lambda: self._paper(self.printer.preview))
        self.print_button.clicked.connect(lambda: self._paper(self.printer.print_paper))
        self.save_button.clicked.connect(lambda: self._paper(self.printer.save))
        self.busy = busy_bar("count_busy")
        self.printer.busy.connect(self.busy.setVisible)

        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Count")))
        top.addWidget(self.counts, 1)
        top.addWidget(open_box, 2)
        scan_row = QHBoxLayout()
        scan_row.addWidget(QLabel(tr("Scanner")))
        scan_row.addWidget(self.scan, 1)
        papers = QHBoxLayout()
        papers.addWidget(self.summary, 1)
        for widget in (self.busy, self.preview_button, self.print_button, self.save_button):
            papers.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.heading)
        layout.addLayout(scan_row)
        layout.addWidget(self.scan_error)
        layout.addWidget(self.table, 1)
        layout.addLayout(papers)
        layout.addWidget(post_box)
        #: our own writes in flight: their announcements need no reload (the write's answer
        #: updates the row), which would also lose the table's scroll position
        self._writing = 0
        self._timer = QTimer(self, singleShot=True, interval=300)
        self._timer.timeout.connect(self._reload)
        ctx.changes.changed.connect(self._on_changed)
        self._show_nothing()
        self.refresh()

    # -- the page contract --------------------------------------------------------------------
    def focus_search(self) -> None:
        self.scan.setFocus()
        self.scan.selectAll()

    def show_with(self, part_no: str = "", **_what: object) -> None:
        """From a stock shortage on the conflict desk (issue 15): the part is looked up in the
        open count at once; with none open, 开始盘点 waits with the part number ready."""
        if not part_no:
            return
        self.scan.setText(part_no)
        if self.count is not None and self.count.status is CountStatus.OPEN:
            self.find_scanned()
            return
        self.open_button.setFocus()
        self.ctx.status_message(tr("Open a count, then scan {part} to count it.", part=part_no))

    def refresh(self) -> None:
        counts = self.ctx.services.counts
        self.ctx.tasks.run(lambda: counts.counts(limit=100), self._show_counts, owner=self)

    def _on_changed(self, kinds: frozenset[str]) -> None:
        # another window's entries; our own come back through ``enter``
        if COUNTS in kinds and not self._writing:
            self._timer.start()

    def _reload(self) -> None:
        if self.table.state() == QAbstractItemView.State.EditingState:
            self._timer.start()  # never pull the cell from under someone typing
        elif self.count is not None:
            self.show_count(self.count.id)
        else:
            self.refresh()

    def _write(self, call, done, failed) -> None:
        self._writing += 1

        def finish(callback):
            def inner(value) -> None:
                self._writing -= 1
                callback(value)
            return inner

        self.ctx.tasks.run(call, finish(done), finish(failed), owner=self)

    def _show_counts(self, summaries: list[CountSummary]) -> None:
        current = self.count.id if self.count else None
        self.counts.clear()
        for summary in summaries:
            self.counts.addItem(
                f"{summary.number}  {enum_label(CountStatus, summary.status)}  "
                f"{summary.counted_count}/{summary.line_count}", summary.id)
        if not summaries:
            self._show_nothing()
            return
        wanted = current or next((s.id for s in summaries if s.status is CountStatus.OPEN),
                                 summaries[0].id)
        self.counts.setCurrentIndex(max(0, self.counts.findData(wanted)))
        self.show_count(wanted)

    def show_count(self, count_id: str | None) -> None:
        if not count_id:
            return
        counts = self.ctx.services.counts
        self.ctx.tasks.run(lambda: counts.detail(count_id), self._show_detail,
                           self.scan_error.show_error, owner=self)

    def _show_nothing(self) -> None:
        self.heading.setText(tr("No stock count yet."))
        self.table.show_lines([], False)
        self._enable(False)

    def _show_detail(self, detail: CountDetail) -> None:
        self.count = detail
        is_open = detail.status is CountStatus.OPEN
        text = tr("{number} opened {when} by {who}", number=detail.number,
                  when=local_time(detail.opened_at), who=detail.opened_by_name)
        if not is_open:
            text += "  " + tr("posted {when} by {who}: {reason}",
                              when=local_time(detail.posted_at),
                              who=detail.posted_by_name, reason=detail.reason)
        self.heading.setText(text)
        same = self.table.part_ids == [line.part_id for line in detail.lines]
        scrolled = self.table.verticalScrollBar().value()
        self.table.show_lines(detail.lines, is_open)
        if same:
            self.table.verticalScrollBar().setValue(scrolled)
        self._enable(is_open)
        self._update_summary()
        self.loaded.emit()

    def _enable(self, is_open: bool) -> None:
        self.scan.setEnabled(is_open)
        may_post = self.ctx.actor.may(Permission.COUNT_POST)
        self.post_button.setEnabled(is_open and may_post)
        self.reason.setEnabled(is_open and may_post)
        self.open_button.setEnabled(not is_open and self.ctx.actor.may(Permission.COUNT_OPEN))
        has = self.count is not None
        for button in (self.preview_button, self.print_button, self.save_button):
            button.setEnabled(has)

    def _update_summary(self) -> None:
        d = self.count
        if d is None:
            self.summary.clear()
            return
        self.summary.setText(tr(
            "{counted} of {total} counted, {differ} differ, difference value {value}",
            counted=len(d.counted_lines), total=len(d.lines), differ=len(d.differences),
            value=yuan(d.value_fen)))

    # -- opening and posting (manager) --------------------------------------------------------
    def open_count(self) -> None:
        actor, counts, prefix = self.ctx.actor, self.ctx.services.counts, self.open_prefix.text()
        self.open_form.clear_errors()
        self._write(lambda: counts.open(actor, prefix), self._opened, self.open_form.show_error)

    def _opened(self, detail: CountDetail) -> None:
        self.count = detail
        self._show_detail(detail)
        self.refresh()
        self.focus_search()

    def post(self) -> None:
        if self.count is None:
            return
        actor, counts, count_id = self.ctx.actor, self.ctx.services.counts, self.count.id
        reason = self.reason.text()
        self.post_form.clear_errors()
        self._write(lambda: counts.post(actor, count_id, reason), self._posted,
                    self.post_form.show_error)

    def _posted(self, result: PostResult) -> None:
        self.reason.clear()
        self._show_detail(result.count)
        self.refresh()
        show_message(self, tr("{number} posted: {adjusted} adjustments, {uncounted} parts not "
                              "counted were left as they are.", number=result.count.number,
                              adjusted=len(result.adjustments),
                              uncounted=len(result.uncounted)), "Stock count")
        self.posted.emit(result)

    # -- scanning and entering ----------------------------------------------------------------
    def find_scanned(self) -> None:
        text = self.scan.text()
        if self.count is None or not text.strip():
            return
        counts, count_id = self.ctx.services.counts, self.count.id
        self.scan_error.clear_error()
        self.ctx.tasks.run(lambda: counts.find_line(count_id, text), self._found,
                           self._scan_failed, owner=self)

    def _found(self, line: CountLineInfo) -> None:
        row = self.table.update_line(line)
        if row is None:
            return
        self.scan.clear()
        self.table.focus_counted(row)
        self.scanned.emit(row)

    def _scan_failed(self, error: BaseException) -> None:
        self.scan_error.show_error(error)
        self.scan.setFocus()
        self.scan.selectAll()

    def enter(self, part_id: str, text: str) -> None:
        if self.count is None:
            return
        try:
            counted = int(text.strip())
        except ValueError:
            self.scan_error.show_error(RuleViolation(
                "Type the counted quantity as a whole number.", field="counted"))
            self._restore(part_id)
            return
        actor, counts, count_id = self.ctx.actor, self.ctx.services.counts, self.count.id
        self.scan_error.clear_error()
        self._write(lambda: counts.enter(actor, count_id, part_id, counted), self._entered,
                    lambda err: self._enter_failed(part_id, err))

    def _entered(self, line: CountLineInfo) -> None:
        self.table.update_line(line)
        if self.count is not None:
            lines = tuple(line if x.part_id == line.part_id else x for x in self.count.lines)
            self.count = _with_lines(self.count, lines)
        self._update_summary()
        self.scan.setFocus()  # ready for the next scan
        self.entered.emit(line)

    def _enter_failed(self, part_id: str, error: BaseException) -> None:
        self.scan_error.show_error(error)
        self._restore(part_id)

    def _restore(self, part_id: str) -> None:
        self.table.forget_typed(part_id)

    # -- printing -----------------------------------------------------------------------------
    def _paper(self, method) -> None:
        if self.count is not None:
            method(SHEET, self.count.number)


def _with_lines(detail: CountDetail, lines: tuple[CountLineInfo, ...]) -> CountDetail:
    return replace(detail, lines=lines)
