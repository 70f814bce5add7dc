"""The day's counter sales: number, time, cashier, customer, payment, total, voided; the
chosen sale's receipt (销售小票) previewed, printed or saved on the 80 mm roll or A5, and the
manager's void with a reason (the stock comes back by a movement; nobody edits history).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.parts import PaymentMethod
from app.domain.permissions import Permission
from app.i18n import tr
from app.printing.data import Paper
from app.services.sales import SaleDetail, SaleSummary
from app.ui.extensions import UiContext
from app.ui.formatting import local_time, yuan
from app.ui.parts.common import ErrorLine, enum_label, fill, make_table, row_key
from app.ui.parts.printing import PAPER_KEY, PartsPrinter
from app.ui.widgets.forms import ErrorForm

HEADERS = ("Receipt number", "Time", "Cashier", "Customer", "Payment", "Total", "State")
RECEIPT = "receipt"
PAPER_NAMES = {Paper.ROLL80: "80 mm roll", Paper.A5: "A5"}


def busy_bar(object_name: str) -> QProgressBar:
    """An indeterminate bar shown while a paper is being built or printed."""
    bar = QProgressBar(objectName=object_name)
    bar.setRange(0, 0)
    bar.setMaximumWidth(160)
    bar.setTextVisible(False)
    bar.hide()
    return bar


class SalesList(QGroupBox):
    #: the list was (re)read
    loaded = Signal()
    #: a sale was voided (SaleDetail)
    voided = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(tr("Sales of the day"), parent)
        self.ctx = ctx
        self.sales: list[SaleSummary] = []
        today = ctx.services.sales.clock().astimezone().date()
        self.day = QDateEdit(QDate(today.year, today.month, today.day), objectName="sales_day")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.dateChanged.connect(lambda _d: self.refresh())
        self.takings = QLabel(objectName="sales_takings")
        self.find_box = QLineEdit(objectName="find_receipt")
        self.find_box.setPlaceholderText(tr("Receipt number (SA-…), Enter finds it"))
        self.find_box.setClearButtonEnabled(True)
        self.find_box.returnPressed.connect(self.find_receipt)
        self.find_error = ErrorLine("find_receipt_error")
        self._wanted = ""
        self.table = make_table(HEADERS, "sales_table", {0: 210, 1: 60, 2: 90, 3: 230, 4: 80,
                                                         5: 100})
        self.table.itemSelectionChanged.connect(self._chosen)

        self.printer = PartsPrinter(ctx, parent=self)
        self.paper = QComboBox(objectName="receipt_paper")
        for paper, name in PAPER_NAMES.items():
            self.paper.addItem(tr(name), paper.value)
        saved = ctx.settings.get(PAPER_KEY.format(document=RECEIPT), Paper.ROLL80.value)
        self.paper.setCurrentIndex(max(0, self.paper.findData(saved)))
        self.paper.activated.connect(self._paper_chosen)
        self.preview_button = QPushButton(tr("Print preview"), objectName="receipt_preview")
        self.print_button = QPushButton(tr("Print receipt"), objectName="receipt_print")
        self.save_button = QPushButton(tr("Save as PDF"), objectName="receipt_save")
        self.preview_button.clicked.connect(lambda: self._paper_call(self.printer.preview))
        self.print_button.clicked.connect(lambda: self._paper_call(self.printer.print_paper))
        self.save_button.clicked.connect(lambda: self._paper_call(self.printer.save))
        self.busy = busy_bar("receipt_busy")
        self.printer.busy.connect(self.busy.setVisible)

        self.void_reason = QLineEdit(objectName="void_reason")
        self.void_reason.setPlaceholderText(tr("Why the sale is voided"))
        self.void_button = QPushButton(tr("Void sale"), objectName="void_sale")
        self.void_button.clicked.connect(self.void_selected)
        self.void_form = ErrorForm()
        self.void_form.add_row("Void reason", self.void_reason, "reason", "sale")
        self.void_form.add_general_error_row()
        void_row = QHBoxLayout()
        void_row.addLayout(self.void_form, 1)
        void_row.addWidget(self.void_button)
        self.void_box = QWidget()
        self.void_box.setLayout(void_row)
        self.void_box.setVisible(ctx.actor.may(Permission.SALE_VOID))

        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Day")))
        top.addWidget(self.day)
        top.addWidget(self.find_box, 1)
        top.addWidget(self.find_error)
        top.addStretch(1)
        top.addWidget(self.takings)
        paper_row = QHBoxLayout()
        paper_row.addWidget(QLabel(tr("Paper")))
        paper_row.addWidget(self.paper)
        for widget in (self.preview_button, self.print_button, self.save_button, self.busy):
            paper_row.addWidget(widget)
        paper_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(paper_row)
        layout.addWidget(self.void_box)
        self._chosen()

    def refresh(self) -> None:
        day, sales = self.day.date().toPython(), self.ctx.services.sales
        viewer = self.ctx.actor
        self.ctx.tasks.run(lambda: (sales.sales_of_day(day, viewer=viewer),
                                    sales.takings(day, day)),
                           self._show, self.void_form.show_error, owner=self)

    def _show(self, result: tuple[list[SaleSummary], dict[PaymentMethod, int]]) -> None:
        sales, takings = result
        chosen = self.selected_sale_id()
        self.sales = sales
        self.table.blockSignals(True)
        fill(self.table, sales, lambda s: (
            s.number, local_time(s.sold_at)[-5:], s.cashier_name,
            "  ".join(p for p in (s.customer_name, s.customer_phone) if p),
            enum_label(PaymentMethod, s.payment_method), yuan(s.total_fen),
            tr("Voided") if s.voided else ""), right=(5,), key=lambda s: s.id)
        self.table.blockSignals(False)
        ids = [s.id for s in sales]
        if chosen in ids:
            self.table.selectRow(ids.index(chosen))
        shown = [f"{enum_label(PaymentMethod, m)} {yuan(v)}" for m, v in takings.items() if v]
        self.takings.setText(tr("Takings: {amounts}", amounts="  ".join(shown) or yuan(0)))
        if self._wanted:
            self.select_number(self._wanted)
            self._wanted = ""
        self._chosen()
        self.loaded.emit()

    def find_receipt(self) -> None:
        """A receipt brought back to the counter: its day's list, with it selected."""
        text, sales = self.find_box.text().strip(), self.ctx.services.sales
        self.find_error.clear_error()
        if text:
            self.ctx.tasks.run(lambda: sales.detail(text, viewer=self.ctx.actor), self._found,
                               self.find_error.show_error, owner=self)

    def _found(self, sale: SaleDetail) -> None:
        self._wanted = sale.number
        day = sale.sold_at.astimezone().date()
        if self.day.date().toPython() == day:
            self.refresh()
        else:
            self.show_day(day)  # the date's change reloads the list

    def show_day(self, day: date) -> None:
        self.day.setDate(QDate(day.year, day.month, day.day))

    def selected_sale_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return row_key(self.table, rows[0].row()) if rows else None

    def selected(self) -> SaleSummary | None:
        chosen = self.selected_sale_id()
        return next((s for s in self.sales if s.id == chosen), None)

    def select_number(self, number: str) -> None:
        for row, sale in enumerate(self.sales):
            if sale.number == number:
                self.table.selectRow(row)

    def _chosen(self) -> None:
        sale = self.selected()
        for button in (self.preview_button, self.print_button, self.save_button):
            button.setEnabled(sale is not None)
        self.void_button.setEnabled(self.ctx.actor.may(Permission.SALE_VOID) and sale is not None
                                    and not sale.voided)

    # -- printing -----------------------------------------------------------------------------
    def _paper_chosen(self) -> None:
        self.ctx.settings.set(PAPER_KEY.format(document=RECEIPT), self.paper.currentData())

    def _paper_call(self, method) -> None:
        sale = self.selected()
        if sale is not None:
            self._paper_chosen()
            method(RECEIPT, sale.number)

    # -- voiding ------------------------------------------------------------------------------
    def void_selected(self) -> None:
        sale = self.selected()
        if sale is None:
            return
        actor, sales, reason = self.ctx.actor, self.ctx.services.sales, self.void_reason.text()
        self.void_form.clear_errors()
        self.ctx.tasks.run(lambda: sales.void(actor, sale.id, reason), self._voided,
                           self.void_form.show_error, owner=self)

    def _voided(self, sale: SaleDetail) -> None:
        self.void_reason.clear()
        self.ctx.status_message(tr("Sale {number} voided.", number=sale.number))
        self.voided.emit(sale)
        self.refresh()
