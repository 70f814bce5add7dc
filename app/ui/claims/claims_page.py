"""三包索赔: the month's claim batch. The manager picks the period and builds (or updates) its
draft from the finished in-warranty orders; each line shows what the checks found (blocked in
red: remove the line; warnings in amber: explain them in writing, 说明/强制提交); 提交 stays
disabled, its tooltip saying why, until nothing is open. After submission the lines show head
office's decisions as sync brings them, then the settlement statement, which the manager marks
paid. The claim list and the statement print through the registered papers. A clerk sees all
of it read-only; every call goes through the task runner.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.domain.claims import ClaimStatus, Severity
from app.domain.permissions import Permission
from app.i18n import tr
from app.services.claims import CLAIMS, ClaimBatchDetail, ClaimBatchRow, ClaimLineInfo
from app.ui.claims.lines_table import (
    fill_lines,
    fill_overrides,
    make_lines_table,
    make_overrides_table,
)
from app.ui.claims.override_dialog import OverrideDialog
from app.ui.extensions import UiContext
from app.ui.formatting import label, local_time, yuan
from app.ui.parts.common import ErrorLine, fill, make_table, row_key
from app.ui.parts.printing import PartsPrinter

BATCH_HEADERS = ("Claim batch", "Period", "Status", "Lines", "Claimed", "Submitted on", "Payable")
BATCH_PAPER = "claim-batch"
STATEMENT_PAPER = "settlement"


def recent_periods(today: date, count: int = 12) -> list[str]:
    """Last month first (the month a station usually claims), then this month and earlier."""
    out = []
    year, month = today.year, today.month
    for _ in range(count + 1):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return [out[1], out[0], *out[2:]]


class ClaimsPage(QWidget):
    #: the chosen batch was shown (ClaimBatchDetail or None)
    loaded = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail: ClaimBatchDetail | None = None
        self.manager = ctx.actor.may(Permission.CLAIM_MANAGE)
        self.prompts_dialog = OverrideDialog  # tests replace it with a non-modal stand-in

        self.period = QComboBox(objectName="claim_period")
        self.period.setEditable(True)
        self.period.addItems(recent_periods(ctx.services.claims.clock().astimezone().date()))
        self.build_button = QPushButton(tr("Build / update claims"), objectName="claim_build")
        self.build_button.setShortcut(QKeySequence("Ctrl+B"))
        self.build_button.setToolTip(tr("Gather the period's finished in-warranty orders into "
                                        "its draft batch (Ctrl+B)"))
        self.build_button.clicked.connect(self.build)
        self.build_button.setVisible(self.manager)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Claim month")))
        top.addWidget(self.period)
        top.addWidget(self.build_button)
        top.addStretch(1)
        if not self.manager:
            top.addWidget(QLabel(tr("Read only: only the station manager builds and submits "
                                    "claims."), objectName="claim_read_only"))
        self.batches = make_table(BATCH_HEADERS, "claim_batches_table",
                                  {0: 210, 1: 80, 2: 80, 3: 50, 4: 100, 5: 140})
        self.batches.itemSelectionChanged.connect(self._chosen)

        self.heading = QLabel(objectName="claim_heading")
        self.heading.setStyleSheet("font-weight: bold;")
        self.heading.setWordWrap(True)
        self.summary = QLabel(objectName="claim_summary")
        self.summary.setWordWrap(True)
        self.lines = make_lines_table()
        self.lines.itemSelectionChanged.connect(self._line_chosen)
        self.lines.itemDoubleClicked.connect(lambda *_: self.override())
        self.overrides = make_overrides_table()
        self.overrides.setMaximumHeight(130)

        self.override_button = QPushButton(tr("Explain / submit anyway…"),
                                           objectName="claim_override")
        self.override_button.clicked.connect(self.override)
        self.remove_button = QPushButton(tr("Remove line"), objectName="claim_remove_line")
        self.remove_button.clicked.connect(self.remove_line)
        self.submit_button = QPushButton(tr("Submit to head office"), objectName="claim_submit")
        self.submit_button.clicked.connect(self.submit)
        self.print_button = self._paper_button("Print claim list", "claim_print", BATCH_PAPER)
        self.statement_button = self._paper_button("Print settlement", "claim_print_statement",
                                                   STATEMENT_PAPER)
        self.error = ErrorLine("claim_error")

        self.statement = QGroupBox(tr("Settlement statement"), objectName="claim_statement")
        grid = QGridLayout(self.statement)
        self.figures: dict[str, QLabel] = {}
        for i, (key, text) in enumerate((("statement_no", "Statement no."),
                                         ("claimed", "Claimed"), ("approved", "Approved"),
                                         ("deducted", "Deducted"), ("payable", "Payable"))):
            grid.addWidget(QLabel(tr(text)), 0, i)
            value = QLabel(objectName=f"claim_statement_{key}")
            value.setStyleSheet("font-weight: bold;")
            grid.addWidget(value, 1, i)
            self.figures[key] = value
        self.paid_note = QLineEdit(objectName="claim_paid_note")
        self.paid_note.setPlaceholderText(tr("Payment note (bank, date)"))
        self.paid_button = QPushButton(tr("Mark paid"), objectName="claim_mark_paid")
        self.paid_button.clicked.connect(self.mark_paid)
        self.paid_state = QLabel(objectName="claim_paid_state")
        grid.addWidget(self.paid_note, 2, 0, 1, 3)
        grid.addWidget(self.paid_button, 2, 3)
        grid.addWidget(self.paid_state, 2, 4)

        buttons = QHBoxLayout()
        for button in (self.override_button, self.remove_button, self.submit_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.statement_button)
        right = QGroupBox(tr("Claim batch"))
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.heading)
        right_layout.addWidget(self.summary)
        right_layout.addWidget(self.lines, 1)
        right_layout.addLayout(buttons)
        right_layout.addWidget(self.error)
        right_layout.addWidget(QLabel(tr("Reasons kept with the claim")))
        right_layout.addWidget(self.overrides)
        right_layout.addWidget(self.statement)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addWidget(self.batches, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 4)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.printer = PartsPrinter(ctx, parent=self)
        self.printer.failed.connect(self._print_failed)
        self._timer = QTimer(self, singleShot=True, interval=300)
        self._timer.timeout.connect(self.refresh)
        ctx.changes.changed.connect(self._on_changed)
        self._show_detail(None)
        self.refresh()

    # -- the list -----------------------------------------------------------------------------
    def refresh(self) -> None:
        self.ctx.tasks.run(self.ctx.services.claims.list, self._show_batches,
                           self.error.show_error, owner=self)

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if CLAIMS in kinds:
            self._timer.start()

    def _show_batches(self, rows: list[ClaimBatchRow]) -> None:
        chosen = self.detail.id if self.detail else None
        self.batches.blockSignals(True)
        fill(self.batches, rows, lambda r: (
            r.number, r.period, label(r.status), r.lines, yuan(r.total_fen),
            local_time(r.submitted_at) if r.submitted_at else "",
            yuan(r.payable_fen) if r.status in (ClaimStatus.SETTLED, ClaimStatus.PAID) else ""),
            right=(3, 4, 6), key=lambda r: r.id)
        ids = [r.id for r in rows]
        if chosen in ids:
            self.batches.selectRow(ids.index(chosen))
        self.batches.blockSignals(False)
        if chosen in ids:
            self.show_batch(chosen)

    def _chosen(self) -> None:
        rows = self.batches.selectionModel().selectedRows()
        if rows:
            self.show_batch(row_key(self.batches, rows[0].row()))

    def show_batch(self, batch_id: str) -> None:
        service = self.ctx.services.claims
        self.ctx.tasks.run(lambda: service.detail(batch_id), self._show_detail,
                           self.error.show_error, owner=self)

    # -- the chosen batch ---------------------------------------------------------------------
    def _show_detail(self, detail: ClaimBatchDetail | None) -> None:
        self.detail = detail
        fill_lines(self.lines, detail)
        fill_overrides(self.overrides, detail)
        if detail is None:
            self.heading.setText(tr("Choose a claim batch, or build the period's claims."))
            self.summary.clear()
        else:
            self.heading.setText(f"{detail.number}  {detail.period}  {label(detail.status)}")
            self.summary.setText(self._summary(detail))
        self._show_statement(detail)
        self._enable()
        self.loaded.emit(detail)

    def _summary(self, d: ClaimBatchDetail) -> str:
        blocked = sum(1 for line, f in d.problems if f.severity is Severity.BLOCKED)
        open_warnings = len(d.problems) - blocked
        parts = [tr("{n} lines, claimed {amount}", n=len(d.lines), amount=yuan(d.total_fen))]
        if d.editable:
            parts.append(tr("{blocked} blocked, {warnings} warnings to explain",
                            blocked=blocked, warnings=open_warnings))
        else:
            decided = sum(1 for x in d.lines if x.decision is not None)
            parts.append(tr("{decided} of {n} lines decided, approved so far {amount}",
                            decided=decided, n=len(d.lines), amount=yuan(d.decided_fen)))
        return "；".join(parts)

    def _show_statement(self, d: ClaimBatchDetail | None) -> None:
        settled = d is not None and d.status in (ClaimStatus.SETTLED, ClaimStatus.PAID)
        self.statement.setVisible(d is not None and not d.editable)
        values = {"statement_no": d.statement_no if settled and d else "",
                  "claimed": yuan(d.claimed_fen) if settled and d else "",
                  "approved": yuan(d.approved_fen) if settled and d else "",
                  "deducted": yuan(d.deducted_fen) if settled and d else "",
                  "payable": yuan(d.payable_fen) if settled and d else ""}
        for key, value in values.items():
            self.figures[key].setText(value or "—")
        if d is not None and d.status is ClaimStatus.PAID:
            self.paid_state.setText(tr("Paid {when} {note}", when=local_time(d.paid_at),
                                       note=d.paid_note) if d.paid_at else "")
        elif d is not None and not settled:
            self.paid_state.setText(tr("Awaiting head office's statement"))
        else:
            self.paid_state.clear()

    def _enable(self) -> None:
        d = self.detail
        draft = d is not None and d.editable and self.manager
        line = self._current_line()
        self.override_button.setEnabled(
            draft and line is not None and any(f.check.overridable for f in line.findings))
        self.remove_button.setEnabled(draft and line is not None)
        self.submit_button.setEnabled(draft and d is not None and d.submittable)
        self.submit_button.setToolTip(self._why_not_submit())
        self.print_button.setEnabled(d is not None)
        self.statement_button.setEnabled(
            d is not None and d.status in (ClaimStatus.SETTLED, ClaimStatus.PAID))
        can_pay = d is not None and d.status is ClaimStatus.SETTLED and \
            self.ctx.actor.may(Permission.CLAIM_MARK_PAID)
        self.paid_button.setEnabled(can_pay)
        self.paid_note.setEnabled(can_pay)
        self.build_button.setEnabled(self.manager)

    def _why_not_submit(self) -> str:
        d = self.detail
        if not self.manager:
            return tr("Only the station manager submits claims.")
        if d is None:
            return tr("Choose a claim batch first.")
        if not d.editable:
            return tr("Already submitted {when}; only head office's decisions change it now.",
                      when=local_time(d.submitted_at) if d.submitted_at else "")
        if not d.lines:
            return tr("The batch has no lines.")
        if d.problems:
            shown = [tr("Line {n}: {check}", n=line.position + 1, check=label(f.check))
                     for line, f in d.problems[:8]]
            more = len(d.problems) - len(shown)
            if more > 0:
                shown.append(tr("and {n} more", n=more))
            return tr("Not yet: remove the blocked lines and explain each warning.") + "\n" + \
                "\n".join(shown)
        return tr("Send the batch to head office at the next sync.")

    def _line_chosen(self) -> None:
        self._enable()

    def _current_line(self) -> ClaimLineInfo | None:
        if self.detail is None:
            return None
        rows = self.lines.selectionModel().selectedRows()
        if not rows:
            return None
        key = row_key(self.lines, rows[0].row())
        return next((x for x in self.detail.lines if x.id == key), None)

    def select_line(self, line_id: str) -> None:
        ids = [x.id for x in self.detail.lines] if self.detail else []
        if line_id in ids:
            self.lines.selectRow(ids.index(line_id))

    # -- writing ------------------------------------------------------------------------------
    def _write(self, call) -> None:
        self.error.clear_error()
        self.ctx.tasks.run(call, self._written, self.error.show_error, owner=self)

    def _written(self, detail: ClaimBatchDetail) -> None:
        chosen = self._current_line()
        self._show_detail(detail)
        if chosen is not None:
            self.select_line(chosen.id)
        self.refresh()

    def build(self) -> None:
        service, actor, period = self.ctx.services.claims, self.ctx.actor, \
            self.period.currentText()
        self._write(lambda: service.build(actor, period))

    def override(self) -> None:
        line, d = self._current_line(), self.detail
        if line is None or d is None or not self.override_button.isEnabled():
            return
        dialog = self.prompts_dialog(line, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        answer = dialog.answer()
        if answer is None:
            return
        check, reason = answer
        service, actor = self.ctx.services.claims, self.ctx.actor
        self._write(lambda: service.override(actor, d.id, line.id, check.value, reason))

    def remove_line(self) -> None:
        line, d = self._current_line(), self.detail
        if line is None or d is None:
            return
        service, actor = self.ctx.services.claims, self.ctx.actor
        self._write(lambda: service.remove_line(actor, d.id, line.id))

    def submit(self) -> None:
        if self.detail is None:
            return
        service, actor, d = self.ctx.services.claims, self.ctx.actor, self.detail
        self._write(lambda: service.submit(actor, d.id))

    def mark_paid(self) -> None:
        if self.detail is None:
            return
        service, actor, d, note = (self.ctx.services.claims, self.ctx.actor, self.detail,
                                   self.paid_note.text())
        self._write(lambda: service.mark_paid(actor, d.id, note))

    def _print_failed(self, _kind: str, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def _paper_button(self, text: str, name: str, document: str) -> QPushButton:
        """A button whose menu previews, prints or saves ``document`` as PDF."""
        button = QPushButton(tr(text), objectName=name)
        menu = QMenu(button)
        for label_text, how in (("Preview", "preview"), ("Print…", "print"),
                                ("Save as PDF…", "save")):
            action = menu.addAction(tr(label_text))
            action.setObjectName(f"{name}_{how}")
            action.triggered.connect(lambda _=False, d=document, h=how: self.paper(d, h))
        button.setMenu(menu)
        return button

    def paper(self, document: str, how: str = "preview") -> None:
        """The claim list or the statement of the shown batch, through the print window."""
        if self.detail is None:
            return
        self.error.clear_error()
        number = self.detail.number
        if how == "print":
            self.printer.print_paper(document, number)
        elif how == "save":
            self.printer.save(document, number)
        else:
            self.printer.preview(document, number)
