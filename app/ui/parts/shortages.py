"""库存短缺 on the stock page (issue 15), for the manager: the parts whose on-hand went below
zero because two devices of the station, offline, issued or sold the same units. Each with its
stock and the movements that took the units out; 盘点该配件 (Alt+P) opens the 盘点 page for
the chosen part, a double-click shows it in the stock list. Read off the GUI thread
(``StockShortages.shortages``); hidden when there is none or the user may not settle them.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.permissions import Permission
from app.i18n import tr
from app.services.stock_shortage import Shortage
from app.ui.extensions import UiContext
from app.ui.formatting import local_time
from app.ui.parts.common import ErrorLine, fill, make_table, row_key

HEADERS = ("Part number", "Part name", "On hand", "Taken out by")
WIDTHS = {0: 140, 1: 200, 2: 80}
SHORT_COLOUR = QColor("#b71c1c")


def movements_text(shortage: Shortage) -> str:
    lines = []
    for m in shortage.movements:
        device = tr("this device") if m.this_device else tr("another device")
        what = m.order_number or m.sale_number or m.reference
        lines.append(f"{local_time(m.created_at)} {m.username} ({device}) {m.quantity:+d} "
                     f"{what}".strip())
    return "; ".join(lines)


class ShortageBox(QGroupBox):
    loaded = Signal()
    #: show this part (its number) in the stock list
    show_part = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(tr("Stock shortages"), parent)
        self.setObjectName("stock_shortages")
        self.ctx = ctx
        self.shortages: list[Shortage] = []
        self.allowed = ctx.actor.may(Permission.CONFLICT_RESOLVE)
        self.setStyleSheet("QGroupBox#stock_shortages { color: #b71c1c; font-weight: bold; }")
        note = QLabel(tr("Two devices of the station issued the same units while offline. "
                         "Count these parts (or receive them) to put the stock right, then "
                         "settle the shortage on the conflicts page."))
        note.setWordWrap(True)
        note.setStyleSheet("font-weight: normal; color: palette(text);")
        self.table = make_table(HEADERS, "shortage_table", WIDTHS, stretch=3)
        self.table.doubleClicked.connect(lambda index: self._show(index.row()))
        self.count_button = QPushButton(tr("Count this &part…"), objectName="shortage_count")
        self.count_button.clicked.connect(self.count)
        self.error = ErrorLine("shortage_error")
        buttons = QHBoxLayout()
        buttons.addWidget(self.error, 1)
        buttons.addStretch(1)
        buttons.addWidget(self.count_button)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.hide()
        self.refresh()

    def refresh(self) -> None:
        if not self.allowed:
            return
        desk, actor = self.ctx.services.stock_shortages, self.ctx.actor
        self.ctx.tasks.run(lambda: desk.shortages(actor), self._fill, self.error.show_error,
                           owner=self)

    def _fill(self, shortages: list[Shortage]) -> None:
        self.shortages = shortages
        fill(self.table, shortages, lambda x: (
            x.part_no, x.name, tr("{n} short", n=x.on_hand), movements_text(x)),
            right=(2,), key=lambda x: x.part_no)
        for index, shortage in enumerate(shortages):
            self.table.item(index, 2).setForeground(SHORT_COLOUR)
            # the movements are cut in their column: one a line on hover
            self.table.item(index, 3).setToolTip(movements_text(shortage).replace("; ", "\n"))
        self.table.setFixedHeight(min(34 + 30 * max(len(shortages), 1), 150))
        self.setVisible(bool(shortages))
        if shortages and not self.table.selectionModel().selectedRows():
            self.table.selectRow(0)
        self.loaded.emit()

    def chosen_part_no(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return row_key(self.table, rows[0].row()) if rows else None

    def count(self) -> None:
        part_no = self.chosen_part_no()
        if part_no:
            self.ctx.open_page("counts", part_no=part_no)

    def _show(self, row: int) -> None:
        part_no = row_key(self.table, row)
        if part_no:
            self.show_part.emit(part_no)
