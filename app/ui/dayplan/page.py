"""派工看板 — the day plan: one column per technician with the booked visits of the chosen day
as cards in time order (time, order, customer, address, fault, parts set aside). The desk
moves a visit by dragging its card to another technician's column (onto a card: right after
that visit) or by keyboard: Alt+Left/Right to the technician beside, Alt+Up/Down 30 minutes
earlier or later. Each move asks why and whose reason it is, then shows the booking's
warnings to acknowledge. Ctrl+Left/Right (or the date box) change the day; 打印路线单 prints
the selected technician's route sheet through the print flow.

``own=True`` is the technician's 今日行程: his own column only, opening on today, read only.
Every read and move runs on the task runner; the page follows the appointments' changes.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.appointments import WarningsPending
from app.domain.text_rules import shown
from app.i18n import render, tr
from app.services.appointment_types import PlanVisit
from app.services.appointments import APPOINTMENTS
from app.ui.dayplan.columns import VisitColumn, window_text
from app.ui.dayplan.move_dialog import MovePrompts
from app.ui.extensions import UiContext
from app.ui.parts.common import ErrorLine
from app.ui.parts.printing import PartsPrinter
from app.ui.parts.sales_list import busy_bar

SLOT = timedelta(minutes=30)
DOCUMENT = "route-sheet"


class DayPlanPage(QWidget):
    def __init__(self, ctx: UiContext, own: bool = False,
                 prompts: MovePrompts | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.own = own
        self.prompts = prompts or MovePrompts()
        self.printer = PartsPrinter(ctx, parent=self)
        self.columns: list[VisitColumn] = []
        self.usernames: dict[str, str] = {}
        self.selected_id: str | None = None
        self.loads = 0  # plans shown (for tests)
        #: a move of this page is being stored: its answer redraws the plan, not the change
        self.moving = False

        self.day_box = QDateEdit(objectName="plan_day", calendarPopup=True)
        self.day_box.setDisplayFormat("yyyy-MM-dd")
        self.day_box.setDate(QDate.currentDate())
        self.day_box.dateChanged.connect(lambda _d: self.reload())
        prev_button = QPushButton(tr("Previous day"), objectName="plan_prev")
        next_button = QPushButton(tr("Next day"), objectName="plan_next")
        today_button = QPushButton(tr("Today"), objectName="plan_today")
        prev_button.clicked.connect(lambda: self.step_day(-1))
        next_button.clicked.connect(lambda: self.step_day(1))
        today_button.clicked.connect(lambda: self.set_day(date.today()))
        self.print_button = QPushButton(tr("Print route sheet"), objectName="plan_print")
        self.print_button.setShortcut(QKeySequence("Ctrl+P"))
        self.print_button.clicked.connect(self.print_route_sheet)
        self.busy = busy_bar("plan_busy")
        self.printer.busy.connect(self.busy.setVisible)
        self.error = ErrorLine("plan_error")
        self.empty = QLabel(tr("No visits are booked for this day."), objectName="plan_empty")
        self.empty.hide()
        hint = (tr("Ctrl+Left/Right: another day") if own else tr(
            "Select a visit, then Alt+Left/Right: another technician, Alt+Up/Down: 30 minutes "
            "earlier or later; or drag it to another column. Ctrl+Left/Right: another day."))
        self.hint = QLabel(hint, objectName="plan_hint")
        self.hint.setWordWrap(True)

        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("Day")))
        for widget in (self.day_box, prev_button, next_button, today_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.busy)
        bar.addWidget(self.print_button)
        self.board = QWidget(objectName="plan_board")
        self.board_layout = QHBoxLayout(self.board)
        self.board_layout.setAlignment(Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea(objectName="plan_scroll")
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.board)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.hint)
        layout.addWidget(self.error)
        layout.addWidget(self.empty)
        layout.addWidget(scroll, 1)

        for keys, slot in (("Ctrl+Left", lambda: self.step_day(-1)),
                           ("Ctrl+Right", lambda: self.step_day(1)),
                           ("Alt+Left", lambda: self.move_selected(column=-1)),
                           ("Alt+Right", lambda: self.move_selected(column=1)),
                           ("Alt+Up", lambda: self.move_selected(minutes=-SLOT)),
                           ("Alt+Down", lambda: self.move_selected(minutes=SLOT))):
            action = QAction(self, shortcut=QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
        ctx.changes.changed.connect(self._on_changed)
        self.reload()

    # -- the day ------------------------------------------------------------------------------
    def day(self) -> date:
        return self.day_box.date().toPython()

    def set_day(self, day: date) -> None:
        self.day_box.setDate(QDate(day.year, day.month, day.day))

    def step_day(self, days: int) -> None:
        self.set_day(self.day() + timedelta(days=days))

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if APPOINTMENTS in kinds and not self.moving:
            self.reload()

    def reload(self) -> None:
        services, actor, day, own = self.ctx.services, self.ctx.actor, self.day(), self.own

        def read() -> tuple[list[tuple[str, str]], dict[str, str], list[PlanVisit]]:
            users = {u.id: u.username for u in services.users.list_users(active_only=False)}
            if own:
                return [(actor.user_id, actor.display_name)], users, \
                    services.appointments.day_plan(actor, day, actor.user_id)
            return services.appointments.technicians(), users, \
                services.appointments.day_plan(actor, day)

        self.ctx.tasks.run(read, lambda got: self._show(day, *got), self.error.show_error,
                           owner=self)

    def _show(self, day: date, technicians: list[tuple[str, str]], usernames: dict[str, str],
              visits: list[PlanVisit]) -> None:
        if day != self.day():
            return  # an older day's answer
        self.usernames = usernames
        people = list(technicians)
        known = {tid for tid, _ in people}
        for v in visits:
            if (v.technician_id or "") not in known:
                people.append((v.technician_id or "", v.technician_name or tr("Not assigned")))
                known.add(v.technician_id or "")
        for column in self.columns:  # the focus passing between them must not choose a card
            column.blockSignals(True)
        for column in self.columns:
            column.setParent(None)
            column.deleteLater()
        for label in self.board.findChildren(QLabel, "column_head"):
            label.setParent(None)
            label.deleteLater()
        self.columns = []
        for tid, name in people:
            column = VisitColumn(tid, name)
            column.show_visits([v for v in visits if (v.technician_id or "") == tid], None)
            column.dropped.connect(self._dropped)
            if self.own:
                column.setDragDropMode(VisitColumn.DragDropMode.NoDragDrop)
            head = QLabel(f"{name} ({column.count()})", objectName="column_head")
            head.setStyleSheet("font-weight: bold")
            holder = QWidget()
            holder.setFixedWidth(column.width() + 4)
            holder_layout = QVBoxLayout(holder)
            holder_layout.setContentsMargins(0, 0, 0, 0)
            holder_layout.addWidget(head)
            holder_layout.addWidget(column, 1)
            self.board_layout.addWidget(holder)
            self.columns.append(column)
        self.empty.setVisible(not visits)
        self.error.hide()
        self._reselect()
        for column in self.columns:  # after the reselection: only a person's choice counts
            column.itemPressed.connect(self._current_changed)
            column.currentItemChanged.connect(self._current_changed)
        self.loads += 1

    def _reselect(self) -> None:
        for column in self.columns:
            for row, visit in enumerate(column.visits()):
                if visit.appointment_id == self.selected_id:
                    column.setCurrentRow(row)
                    column.setFocus()
                    return

    def _current_changed(self, current, _previous=None) -> None:  # type: ignore[no-untyped-def]
        if current is not None:
            self.selected_id = current.data(Qt.ItemDataRole.UserRole).appointment_id

    # -- which card ---------------------------------------------------------------------------
    def selected(self) -> tuple[int, PlanVisit] | None:
        """(column index, visit) of the selected card."""
        for n, column in enumerate(self.columns):
            for visit in column.visits():
                if visit.appointment_id == self.selected_id:
                    return n, visit
        return None

    def select(self, order_number: str) -> None:
        for column in self.columns:
            for row, visit in enumerate(column.visits()):
                if visit.order_number == order_number:
                    self.selected_id = visit.appointment_id
                    column.setCurrentRow(row)
                    column.setFocus()

    # -- moving -------------------------------------------------------------------------------
    def move_selected(self, *, column: int = 0, minutes: timedelta = timedelta()) -> None:
        found = self.selected()
        if found is None or self.own:
            return
        n, visit = found
        target = n + column
        if not 0 <= target < len(self.columns):
            return
        self.request_move(visit, self.columns[target].technician_id,
                          visit.starts_at + minutes)

    def _dropped(self, appointment_id: str, technician_id: str, row: int) -> None:
        visit = next((v for c in self.columns for v in c.visits()
                      if v.appointment_id == appointment_id), None)
        if visit is None:
            return
        column = next(c for c in self.columns if c.technician_id == technician_id)
        onto = column.visit_at(row)
        starts = onto.ends_at if onto is not None and onto is not visit else visit.starts_at
        if technician_id == (visit.technician_id or "") and starts == visit.starts_at:
            return
        self.selected_id = appointment_id
        self.request_move(visit, technician_id, starts)

    def request_move(self, visit: PlanVisit, technician_id: str, starts_at: datetime) -> None:
        ends_at = starts_at + (visit.ends_at - visit.starts_at)
        name = next((c.technician_name for c in self.columns
                     if c.technician_id == technician_id), "")
        moved = replace(visit, starts_at=starts_at, ends_at=ends_at)
        what = tr("Move {order} ({customer}) to {technician}, {window}",
                  order=visit.order_number, customer=visit.customer_name, technician=name,
                  window=window_text(moved, None))
        answer = self.prompts.move_reason(self, what)
        if answer is None:
            return
        reason, party = answer
        self._move(visit.appointment_id, technician_id or None, starts_at, ends_at, reason,
                   party.value, frozenset())

    def _move(self, appointment_id: str, technician_id: str | None, starts_at: datetime,
              ends_at: datetime, reason: str, party: str, acknowledged: frozenset[str]) -> None:
        service, actor = self.ctx.services.appointments, self.ctx.actor

        def failed(exc: BaseException) -> None:
            self.moving = False
            if isinstance(exc, WarningsPending) and self.prompts.confirm_warnings(
                    self, render(exc)):
                kinds = frozenset(w.kind.value for w in exc.warnings)
                self._move(appointment_id, technician_id, starts_at, ends_at, reason, party,
                           acknowledged | kinds)
            elif not isinstance(exc, WarningsPending):
                self.error.show_error(exc)

        def moved(info) -> None:  # type: ignore[no-untyped-def]
            self.moving = False
            self.selected_id = info.id  # the new booking replaces the moved one
            self.ctx.status_message(tr("Visit moved."))
            self.reload()

        self.moving = True
        self.ctx.tasks.run(lambda: service.move(actor, appointment_id, technician_id,
                                                starts_at, ends_at, reason, party,
                                                acknowledged), moved, failed, owner=self)

    # -- the route sheet ----------------------------------------------------------------------
    def print_route_sheet(self) -> None:
        found = self.selected()
        column = self.columns[found[0]] if found else next(
            (c for c in self.columns if c.hasFocus()), self.columns[0] if self.columns else None)
        username = self.usernames.get(column.technician_id) if column is not None else None
        if not username:
            self.error.setText(tr("Select a technician's visit first."))
            self.error.show()
            return
        services, actor, day = self.ctx.services, self.ctx.actor, self.day()

        def read():  # type: ignore[no-untyped-def]
            sheet = services.route_sheets.route_sheet(actor, username, day)
            return sheet, services.reports.unprintable(sheet)

        def got(result) -> None:  # type: ignore[no-untyped-def]
            sheet, missing = result
            self.busy.hide()
            if missing and not self.printer.prompts.confirm(self, tr(
                    "This paper holds characters that no font can draw: {chars}. They will "
                    "print as 〓. Go on?", chars=shown(missing))):
                return
            self.printer.current = DOCUMENT
            self.printer.preview_sheet(sheet, DOCUMENT)

        def failed(exc: BaseException) -> None:
            self.busy.hide()
            self.error.show_error(exc)

        self.busy.show()
        self.ctx.tasks.run(read, got, failed, owner=self)
