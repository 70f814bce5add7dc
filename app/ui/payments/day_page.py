"""收款日结: the day's takings per payment method — the orders' payments and the counter
sales apart, their totals, and what the manager waived — for checking the till."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain.parts import PaymentMethod
from app.i18n import tr
from app.services import events
from app.services.payments import DaySummary
from app.services.sales import SALES
from app.ui.extensions import UiContext
from app.ui.formatting import label, yuan
from app.ui.parts.common import fill, make_table

HEADERS = ("Payment method", "Orders", "Counter sales", "Total")


class DaySummaryPage(QWidget):
    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("day_summary_page")
        today = ctx.services.payments.clock().astimezone().date()
        self.day = QDateEdit(QDate(today.year, today.month, today.day), objectName="summary_day")
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setCalendarPopup(True)
        self.day.dateChanged.connect(lambda _d: self.refresh())
        refresh = QPushButton(tr("Refresh"))
        refresh.clicked.connect(self.refresh)
        self.table = make_table(HEADERS, "day_summary_table", {0: 140, 1: 120, 2: 120},
                                stretch=3)
        self.totals = QLabel(objectName="day_summary_totals")
        self.totals.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Day")))
        top.addWidget(self.day)
        top.addWidget(refresh)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals)
        ctx.changes.changed.connect(self._changed)
        self.refresh()

    def chosen_day(self) -> date:
        return self.day.date().toPython()

    def refresh(self) -> None:
        service, day = self.ctx.services.payments, self.chosen_day()
        self.ctx.tasks.run(lambda: service.day_summary(day), self.show_summary, owner=self)

    def _changed(self, kinds: frozenset[str]) -> None:
        if events.ORDERS in kinds or SALES in kinds:
            self.refresh()

    def show_summary(self, summary: DaySummary) -> None:
        fill(self.table, list(PaymentMethod), lambda m: (
            label(m), yuan(summary.orders[m]), yuan(summary.sales[m]),
            yuan(summary.method_total(m))), right=(1, 2, 3))
        self.totals.setText(tr(
            "{day}: takings {total} ({payments} order payments; counter sales {sales}); "
            "waived {waived}", day=summary.day.isoformat(), total=yuan(summary.total_fen),
            payments=summary.payments, sales=yuan(sum(summary.sales.values())),
            waived=yuan(summary.waived_fen)))
