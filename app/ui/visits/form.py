"""The return-visit form (回访): the call script beside the four aspects, each a row of radio
buttons 1-5 with none chosen (the clerk must choose each; 保存 stays disabled until all four
are, and the service checks again), the customer's comments, 转投诉 with the complaint text
prefilled from the low scores, and 无人接听, which records an unreachable call with its time.

Keyboard: Tab moves between rows, the keys 1-5 choose a row's score and move on, Ctrl+Enter
saves. Used by the 回访 page and by the order editor's 回访 action (``dialog``).
"""

from __future__ import annotations

from dataclasses import replace
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.domain import visits as dv
from app.i18n import tr
from app.services.users import StationInfo
from app.services.visits import QueueRow, VisitInfo, VisitResult
from app.ui.extensions import UiContext
from app.ui.formatting import local_time
from app.ui.widgets.forms import ErrorForm
from app.ui.widgets.text_field import MultiLineField

_DIGITS = {getattr(Qt.Key, f"Key_{n}"): n for n in dv.SCORES}


class AspectRow(QWidget):
    """One aspect: five radio buttons, none checked until the clerk chooses."""

    changed = Signal()

    def __init__(self, aspect: dv.Aspect, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName=f"aspect_{aspect.value}")
        self.aspect = aspect
        self.group = QButtonGroup(self)
        self.buttons: dict[int, QRadioButton] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for n in dv.SCORES:
            button = QRadioButton(f"{n} {tr(dv.SCORE_MEANINGS[n])}",
                                  objectName=f"score_{aspect.value}_{n}")
            button.setToolTip(tr(dv.SCORE_MEANINGS[n]))
            self.group.addButton(button, n)
            self.buttons[n] = button
            layout.addWidget(button)
        layout.addStretch(1)
        self.group.idToggled.connect(lambda _id, on: on and self.changed.emit())
        self.setFocusProxy(self.buttons[1])

    def score(self) -> int | None:
        chosen = self.group.checkedId()
        return chosen if chosen in dv.SCORES else None

    def set_score(self, score: int) -> None:
        self.buttons[score].setChecked(True)
        self.buttons[score].setFocus()

    def clear(self) -> None:
        self.group.setExclusive(False)
        for button in self.buttons.values():
            button.setChecked(False)
        self.group.setExclusive(True)
        self.changed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        score = _DIGITS.get(Qt.Key(event.key()))
        if score is not None and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.set_score(score)
            self.focusNextChild()
            event.accept()
            return
        super().keyPressEvent(event)


class VisitForm(QWidget):
    #: the visit was recorded (VisitResult)
    saved = Signal(object)
    #: an unreachable call was recorded (VisitInfo)
    attempted = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="visit_form")
        self.ctx = ctx
        self.row: QueueRow | None = None
        self.station: StationInfo | None = None
        self._prefill = ""
        self.summary = QLabel(objectName="visit_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.script = QTextBrowser(objectName="visit_script")
        self.script.setMinimumWidth(280)
        self.rows = {aspect: AspectRow(aspect) for aspect in dv.ASPECTS}
        self.comments = MultiLineField(objectName="visit_comments")
        self.comments.setTabChangesFocus(True)
        self.comments.setFixedHeight(64)
        self.complaint = QCheckBox(tr("Open a complaint (转投诉)"), objectName="visit_complaint")
        self.complaint_text = MultiLineField(objectName="visit_complaint_text")
        self.complaint_text.setTabChangesFocus(True)
        self.complaint_text.setFixedHeight(56)
        self.note = QLineEdit(objectName="attempt_note")
        self.note.setPlaceholderText(tr("Note of the call (optional)"))
        self.note.setMaxLength(dv.MAX_ATTEMPT_NOTE)
        self.attempt_button = QPushButton(tr("No answer"), objectName="attempt_button")
        self.save_button = QPushButton(tr("Save visit"), objectName="save_visit")
        self.save_button.setDefault(False)
        self.save_button.setAutoDefault(False)
        self.attempt_button.setAutoDefault(False)

        self.errors = ErrorForm()
        hint = QLabel(tr("Score 1-5 (keys 1-5 in a row; Ctrl+Enter saves)"))
        hint.setStyleSheet("color: #616161;")
        self.errors.addRow(hint)
        for aspect, row in self.rows.items():
            self.errors.add_row(dv.ASPECT_LABELS[aspect], row, f"score_{aspect.value}")
            row.changed.connect(self._scores_changed)
        self.errors.add_row("Comments", self.comments, "comments", "scores")
        self.errors.addRow(self.complaint)
        self.errors.add_row("Complaint text", self.complaint_text, "complaint_text")
        self.errors.add_general_error_row()
        buttons = QHBoxLayout()
        buttons.addWidget(self.note, 1)
        buttons.addWidget(self.attempt_button)
        buttons.addSpacing(16)
        buttons.addWidget(self.save_button)
        fields = QVBoxLayout()
        fields.addWidget(self.summary)
        fields.addLayout(self.errors)
        fields.addLayout(buttons)
        fields.addStretch(1)
        script_box = QVBoxLayout()
        script_title = QLabel(tr("Call script"))
        script_title.setStyleSheet("font-weight: bold;")
        script_box.addWidget(script_title)
        script_box.addWidget(self.script, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(script_box, 2)
        layout.addLayout(fields, 3)

        self.complaint.toggled.connect(self._complaint_toggled)
        self.comments.textChanged.connect(self._refill_complaint)
        self.save_button.clicked.connect(self.save)
        self.attempt_button.clicked.connect(self.record_attempt)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.save)
        self.set_call(None, None)

    # -- showing a call -------------------------------------------------------------------------
    def set_call(self, row: QueueRow | None, station: StationInfo | None) -> None:
        """Starts the form afresh for ``row`` (None: nothing chosen)."""
        self.row, self.station = row, station or self.station
        self.errors.clear_errors()
        for aspect_row in self.rows.values():
            aspect_row.clear()
        self.comments.clear()
        self.complaint.setChecked(False)
        self.complaint_text.clear()
        self._prefill = ""
        self.note.clear()
        for widget in (*self.rows.values(), self.comments, self.complaint, self.note,
                       self.attempt_button):
            widget.setEnabled(row is not None)
        self.show_summary()
        self._show_script()
        self._update_buttons()

    def show_attempt(self, info: VisitInfo) -> None:
        """After a call that reached nobody: the count in the summary goes up."""
        if self.row is None or info.order_id != self.row.order_id:
            return
        last = info.attempts[-1] if info.attempts else None
        self.row = replace(self.row, attempts=len(info.attempts),
                           last_attempt_at=last.attempted_at if last else None,
                           last_attempt_note=last.note if last else "")
        self.note.clear()
        self.show_summary()

    def show_summary(self) -> None:
        r = self.row
        if r is None:
            self.summary.setText(tr("Choose an order in the list to call."))
            return
        lines = [tr("Order {number} · {customer} · {phone}", number=r.number,
                    customer=r.customer_name, phone=r.phone),
                 tr("Completed {completed}, call by {due}",
                    completed=local_time(r.completed_at), due=r.due_on.isoformat())]
        if r.overdue:
            lines[-1] += f"  ⚠ {tr('Overdue')}"
        if r.attempts:
            lines.append(tr("Unreachable calls: {calls}", calls=r.attempts) + "  " + tr(
                "Call {time}: {note}", time=local_time(r.last_attempt_at),
                note=r.last_attempt_note or tr("No answer")))
        self.summary.setText("\n".join(lines))

    def _show_script(self) -> None:
        r, st = self.row, self.station
        params = {
            "station": st.name if st else "", "phone": st.phone if st else "",
            "customer": r.customer_name if r else "", "product": r.product_model if r else "",
            "completed": local_time(r.completed_at)[:10] if r else "",
            "number": r.number if r else "",
        }
        items = [f"<li>{escape(tr(line, **params))}</li>" for line in dv.SCRIPT]
        if self._dissatisfied():
            items.insert(len(dv.SCRIPT) - 2, '<li style="color:#b71c1c;"><b>'
                         f"{escape(tr(dv.SCRIPT_DISSATISFIED))}</b></li>")
        self.script.setHtml(f"<ol>{''.join(items)}</ol>")

    # -- the answers ------------------------------------------------------------------------------
    def scores(self) -> dict[str, int | None]:
        return {aspect.value: row.score() for aspect, row in self.rows.items()}

    def _complete(self) -> bool:
        return all(score is not None for score in self.scores().values())

    def _dissatisfied(self) -> bool:
        return any(s is not None and s <= dv.DISSATISFIED_AT for s in self.scores().values())

    def _scores_changed(self) -> None:
        if self.row is not None and self._dissatisfied() and not self.complaint.isChecked():
            self.complaint.setChecked(True)  # offered; the clerk unticks it if the customer declines
        self._refill_complaint()
        self._show_script()
        self._update_buttons()

    def _complaint_toggled(self, on: bool) -> None:
        self.complaint_text.setEnabled(on)
        self._refill_complaint()

    def _refill_complaint(self) -> None:
        """The prefilled complaint text follows the scores until the clerk edits it."""
        if self.row is None or not self.complaint.isChecked():
            return
        current = self.complaint_text.toPlainText()
        if current and current != self._prefill:
            return
        low = [tr("{aspect} {score}", aspect=tr(dv.ASPECT_LABELS[a]), score=s)
               for a, s in ((dv.Aspect(k), v) for k, v in self.scores().items())
               if s is not None and s <= dv.DISSATISFIED_AT]
        text = tr("Return visit of {number}: dissatisfied with {aspects}.",
                  number=self.row.number, aspects="、".join(low) or "—")
        comments = self.comments.toPlainText().strip()
        if comments:
            text += "\n" + tr("Customer's words: {comments}", comments=comments)
        self._prefill = text
        self.complaint_text.setPlainText(text)

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self.row is not None and self._complete())
        self.complaint_text.setEnabled(self.row is not None and self.complaint.isChecked())

    # -- writing ----------------------------------------------------------------------------------
    def save(self) -> None:
        if self.row is None or not self.save_button.isEnabled():
            return
        row, actor, service = self.row, self.ctx.actor, self.ctx.services.visits
        scores, comments = self.scores(), self.comments.toPlainText()
        complaint = self.complaint.isChecked()
        text = self.complaint_text.toPlainText() if complaint else ""
        self.errors.clear_errors()
        self.save_button.setEnabled(False)
        self.ctx.tasks.run(
            lambda: service.record_visit(actor, row.order_id, scores, comments,
                                         open_complaint=complaint, complaint_text=text,
                                         expected_revision=row.order_revision),
            self._saved, self._failed, owner=self)

    def _saved(self, result: VisitResult) -> None:
        if result.complaint is not None:
            self.ctx.status_message(tr("Visit of order {number} saved; complaint {complaint} "
                                       "opened.", number=result.order.number,
                                       complaint=result.complaint.number))
        else:
            self.ctx.status_message(tr("Visit of order {number} saved.",
                                       number=result.order.number))
        self.saved.emit(result)

    def _failed(self, error: BaseException) -> None:
        self.errors.show_error(error)
        self._update_buttons()

    def record_attempt(self) -> None:
        if self.row is None:
            return
        row, actor, service, note = (self.row, self.ctx.actor, self.ctx.services.visits,
                                     self.note.text())
        self.errors.clear_errors()
        self.ctx.tasks.run(lambda: service.record_attempt(actor, row.order_id, note),
                           self._attempted, self._failed, owner=self)

    def _attempted(self, info: VisitInfo) -> None:
        last = info.attempts[-1] if info.attempts else None
        self.ctx.status_message(tr("Call recorded at {time}.",
                                   time=local_time(last.attempted_at if last else None)))
        self.show_attempt(info)
        self.attempted.emit(info)
