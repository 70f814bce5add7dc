"""The 预约 dialog of an order: the booked visit (or none) with the 24 h on-site promise against
it, a form for the day, the start and end time and the technician, and the order's earlier
bookings. With no booking, 预约 books; with one, 改约 moves it (the reason and whose it is are
asked) and 取消预约 cancels it. A warning (the technician double-booked, the window after the
promise) is listed with 仍然预约, which sends the same booking acknowledged.

Keys: Ctrl+Return books or moves, Ctrl+Shift+Return goes on despite the warnings,
Ctrl+Shift+Backspace cancels the booking; the editor's action opens the dialog with
Ctrl+Shift+Y. Every service call runs on the task runner.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.appointments import BOOKABLE, AppointmentStatus, ReasonParty, WarningsPending
from app.domain.enums import OrderStatus, ServiceMode
from app.domain.permissions import Permission
from app.i18n import label, render, tr
from app.services.appointment_types import AppointmentInfo
from app.services.orders import OrderDetail
from app.ui.extensions import UiContext
from app.ui.formatting import local_time
from app.ui.widgets.forms import ERROR_STYLE, ErrorForm

ACTION_SHORTCUT = "Ctrl+Shift+Y"
SAVE_SHORTCUT = "Ctrl+Return"
ANYWAY_SHORTCUT = "Ctrl+Shift+Return"
CANCEL_SHORTCUT = "Ctrl+Shift+Backspace"
LATE_STYLE = "color: #c62828; font-weight: bold;"
OK_STYLE = "color: #2e7d32;"


def may_book(ctx: UiContext, detail: OrderDetail | None) -> bool:
    return (detail is not None and ServiceMode(detail.service_mode) is ServiceMode.ON_SITE
            and OrderStatus(detail.status) in BOOKABLE
            and ctx.actor.may(Permission.APPOINTMENT_BOOK))


def _local(day: date, at: time) -> datetime:
    return datetime.combine(day, at).astimezone()  # the station's local time, made aware


class AppointmentDialog(QDialog):
    def __init__(self, ctx: UiContext, editor: Any, detail: OrderDetail) -> None:
        super().__init__(editor)
        self.ctx = ctx
        self.editor = editor
        self.detail = detail
        self.current: AppointmentInfo | None = None
        self.deadline: datetime | None = None
        self.pending: frozenset[str] = frozenset()
        self.setObjectName("appointment_dialog")
        self.setWindowTitle(tr("Visit booking — {number}", number=detail.number))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(620, 560)

        self.booked = QLabel(objectName="appointment_current")
        self.promise = QLabel(objectName="appointment_promise")
        self.booked.setWordWrap(True)
        self.promise.setWordWrap(True)
        start = datetime.now().astimezone().replace(minute=0, second=0, microsecond=0)
        start += timedelta(hours=1)
        self.day = QDateEdit(QDate(start.date()), objectName="appointment_day")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.starts = QTimeEdit(QTime(start.hour, 0), objectName="appointment_starts")
        self.ends = QTimeEdit(QTime(min(start.hour + 2, 23), 0), objectName="appointment_ends")
        for edit in (self.starts, self.ends):
            edit.setDisplayFormat("HH:mm")
        times = QWidget()
        row = QHBoxLayout(times)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.starts)
        row.addWidget(QLabel("—"))
        row.addWidget(self.ends)
        row.addStretch(1)
        self.technician = QComboBox(objectName="appointment_technician")
        self.technician.addItem(tr("(not assigned yet)"), None)
        self.reason = QLineEdit(objectName="appointment_reason")
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText(tr("Why the visit is moved or cancelled"))
        self.party = QComboBox(objectName="appointment_party")
        self.party.addItem(tr("— whose reason —"), "")
        for party in ReasonParty:
            self.party.addItem(label(party), party.value)

        self.form = ErrorForm()
        self.form.add_row("Day", self.day)
        self.form.add_row("Time", times, "starts_at", "ends_at")
        self.form.add_row("Technician", self.technician, "technician_id")
        self.form.add_row("Reason", self.reason, "reason")
        self.form.add_row("Whose reason", self.party, "reason_party")
        self.form.add_general_error_row()

        self.warnings = QLabel(objectName="appointment_warnings")
        self.warnings.setStyleSheet(ERROR_STYLE)
        self.warnings.setWordWrap(True)
        self.warnings.hide()
        self.anyway = QPushButton(tr("Book anyway"), objectName="appointment_anyway")
        self.anyway.setShortcut(QKeySequence(ANYWAY_SHORTCUT))
        self.anyway.setToolTip(ANYWAY_SHORTCUT)
        self.anyway.hide()
        self.anyway.clicked.connect(lambda: self.save(acknowledge=True))
        self.save_button = QPushButton(tr("Book the visit"), objectName="appointment_save")
        self.save_button.setToolTip(SAVE_SHORTCUT)
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(lambda: self.save())
        self.cancel_button = QPushButton(tr("Cancel booking"), objectName="appointment_cancel")
        self.cancel_button.setShortcut(QKeySequence(CANCEL_SHORTCUT))
        self.cancel_button.setToolTip(CANCEL_SHORTCUT)
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.cancel_booking)
        close = QPushButton(tr("Close"), objectName="appointment_close")
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.anyway)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        self.history = QListWidget(objectName="appointment_history")

        layout = QVBoxLayout(self)
        layout.addWidget(self.booked)
        layout.addWidget(self.promise)
        layout.addLayout(self.form)
        layout.addWidget(self.warnings)
        layout.addLayout(buttons)
        layout.addWidget(QLabel(tr("Earlier bookings")))
        layout.addWidget(self.history, 1)
        for edit in (self.day, self.starts, self.ends, self.technician):
            signal = (edit.currentIndexChanged if isinstance(edit, QComboBox)
                      else edit.dateChanged if isinstance(edit, QDateEdit) else edit.timeChanged)
            signal.connect(self._changed)
        for keys in (SAVE_SHORTCUT, "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.save)
        self._set_booked(None)
        self.load()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Ctrl+Return also from a field that keeps Return for itself (a time edit, a
        list): the key comes back here when the field leaves it."""
        ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if ctrl and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            if shift and self.anyway.isVisible():
                self.save(acknowledge=True)
            elif not shift:
                self.save()
            event.accept()
            return
        super().keyPressEvent(event)

    # -- loading ------------------------------------------------------------------------------
    def load(self) -> None:
        svc, order_id = self.ctx.services.appointments, self.detail.id
        self.ctx.tasks.run(lambda: (svc.current(order_id), svc.history(order_id),
                                    svc.technicians(), svc.promise_deadline(order_id)),
                           self._show, self.form.show_error, owner=self)

    def _show(self, result: tuple[Any, list[AppointmentInfo], list[tuple[str, str]],
                                  datetime]) -> None:
        current, history, technicians, deadline = result
        self.deadline = deadline
        chosen = (current.technician_id if current is not None
                  else self.technician.currentData() or self.detail.technician_id)
        self.technician.blockSignals(True)
        while self.technician.count() > 1:
            self.technician.removeItem(1)
        for user_id, name in technicians:
            self.technician.addItem(name, user_id)
        index = self.technician.findData(chosen)
        self.technician.setCurrentIndex(max(index, 0))
        self.technician.blockSignals(False)
        self.history.clear()
        for info in history:
            if info.status is AppointmentStatus.BOOKED:
                continue
            text = f"{local_time(info.starts_at)}–{info.ends_at.astimezone():%H:%M}  " \
                   f"{info.technician_name or tr('(not assigned yet)')}  {label(info.status)}"
            if info.reason:
                party = label(info.reason_party) if info.reason_party else ""
                text += f"  {party}：{info.reason}"
            self.history.addItem(text)
        self._set_booked(current)
        self._changed()

    def _set_booked(self, current: AppointmentInfo | None) -> None:
        self.current = current
        moving = current is not None
        if current is None:
            self.booked.setText(tr("No visit is booked for this order yet."))
        else:
            self.booked.setText(tr("Booked: {window} ({day}), {technician}",
                                   window=current.window_text,
                                   day=f"{current.starts_at.astimezone():%Y-%m-%d}",
                                   technician=current.technician_name
                                   or tr("(not assigned yet)")))
            start, end = current.starts_at.astimezone(), current.ends_at.astimezone()
            for w in (self.day, self.starts, self.ends):
                w.blockSignals(True)
            self.day.setDate(QDate(start.date()))
            self.starts.setTime(QTime(start.hour, start.minute))
            self.ends.setTime(QTime(end.hour, end.minute))
            for w in (self.day, self.starts, self.ends):
                w.blockSignals(False)
        self.save_button.setText(tr("Move the visit") if moving else tr("Book the visit"))
        self.cancel_button.setVisible(moving)
        self.reason.setEnabled(moving)
        self.party.setEnabled(moving)

    def _changed(self, *_args: object) -> None:
        """The promise against the window the form shows; a change clears the warnings."""
        self.pending = frozenset()
        self.warnings.hide()
        self.anyway.hide()
        if self.deadline is None:
            self.promise.setText("")
            return
        starts, _ends = self.window()
        late = starts > self.deadline and self.detail.arrived_at is None
        text = tr("24-hour on-site promise: by {deadline}", deadline=local_time(self.deadline))
        if late:
            text += " — " + tr("this window starts after it")
        self.promise.setText(text)
        self.promise.setStyleSheet(LATE_STYLE if late else OK_STYLE)

    # -- acting -------------------------------------------------------------------------------
    def window(self) -> tuple[datetime, datetime]:
        day = self.day.date().toPython()
        return (_local(day, self.starts.time().toPython()),
                _local(day, self.ends.time().toPython()))

    def save(self, acknowledge: bool = False) -> None:
        starts, ends = self.window()
        technician = self.technician.currentData()
        acked = self.pending if acknowledge else frozenset()
        ctx, svc, current = self.ctx, self.ctx.services.appointments, self.current
        reason, party = self.reason.text(), self.party.currentData() or ""
        self.form.clear_errors()
        if current is None:
            order_id = self.detail.id

            def call() -> AppointmentInfo:
                return svc.book(ctx.actor, order_id, technician, starts, ends, acked)
        else:
            appointment_id = current.id

            def call() -> AppointmentInfo:
                return svc.move(ctx.actor, appointment_id, technician, starts, ends, reason,
                                party, acked)
        ctx.tasks.run(call, self._saved, self._refused, owner=self)

    def cancel_booking(self) -> None:
        if self.current is None:
            return
        ctx, svc, appointment_id = self.ctx, self.ctx.services.appointments, self.current.id
        reason, party = self.reason.text(), self.party.currentData() or ""
        self.form.clear_errors()
        ctx.tasks.run(lambda: svc.cancel(ctx.actor, appointment_id, reason, party),
                      lambda _none: self._done(tr("The booking is cancelled.")),
                      self._refused, owner=self)

    def _saved(self, info: AppointmentInfo) -> None:
        self._done(tr("Visit booked: {window}, {technician}", window=info.window_text,
                      technician=info.technician_name or tr("(not assigned yet)")))

    def _done(self, message: str) -> None:
        self.reason.clear()
        self.party.setCurrentIndex(0)
        self.ctx.status_message(message)
        self.load()

    def _refused(self, error: BaseException) -> None:
        if isinstance(error, WarningsPending):
            self.pending = frozenset(w.kind.value for w in error.warnings)
            self.warnings.setText("\n".join(render(e) for e in error.params["warnings"]))
            self.warnings.show()
            self.anyway.setText(tr("Book anyway") if self.current is None
                                else tr("Move anyway"))
            self.anyway.show()
            self.anyway.setFocus()
            return
        self.form.show_error(error)

    def warning_text(self) -> str:
        return "" if self.warnings.isHidden() else self.warnings.text()


class AppointmentAction(QAction):
    def __init__(self, ctx: UiContext, editor: Any) -> None:
        super().__init__(tr("Book visit…"), editor)
        self.setObjectName("book_visit")
        self.setToolTip(tr("Book, move or cancel the visit with the customer ({keys})",
                           keys=ACTION_SHORTCUT))
        self.setShortcut(QKeySequence(ACTION_SHORTCUT))
        self.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.ctx = ctx
        self.editor = editor
        self.dialog: AppointmentDialog | None = None
        self.setEnabled(False)
        editor.order_loaded.connect(lambda detail: self.setEnabled(may_book(ctx, detail)))
        self.triggered.connect(self.open_dialog)

    def open_dialog(self) -> AppointmentDialog | None:
        detail = self.editor.current_order()
        if detail is None or not may_book(self.ctx, detail):
            return None
        self.dialog = AppointmentDialog(self.ctx, self.editor, detail)
        self.dialog.show()
        return self.dialog


def appointment_action(ctx: UiContext, editor: Any) -> QAction | None:
    """The factory ``register_order_action`` takes; technicians do not book visits."""
    if not ctx.actor.may(Permission.APPOINTMENT_BOOK):
        return None
    return AppointmentAction(ctx, editor)
