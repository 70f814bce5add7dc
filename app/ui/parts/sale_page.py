"""零件销售: the new-sale form above the day's sales. A sale just made is selected in the
list, ready for its receipt; the list follows every change announced for sales.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from app.services.sales import SALES, SaleDetail
from app.ui.extensions import UiContext
from app.ui.parts.sale_form import SaleForm
from app.ui.parts.sales_list import SalesList


class SalePage(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.form = SaleForm(ctx)
        self.sales = SalesList(ctx)
        self.form.sold.connect(self._sold)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.form)
        splitter.addWidget(self.sales)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._last = ""
        self._timer = QTimer(self, singleShot=True, interval=300)
        self._timer.timeout.connect(self.refresh)
        ctx.changes.changed.connect(self._on_changed)
        self.sales.loaded.connect(self._select_last)
        self.refresh()

    def refresh(self) -> None:
        self.sales.refresh()

    def focus_search(self) -> None:
        self.form.picker.focus_box()

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if SALES in kinds:
            self._timer.start()

    def _sold(self, sale: SaleDetail) -> None:
        self._last = sale.number
        self.sales.show_day(sale.sold_at.astimezone().date())
        self.refresh()

    def _select_last(self) -> None:
        if self._last:
            self.sales.select_number(self._last)
            self._last = ""
