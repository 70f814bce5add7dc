"""配件库存: the stock list (search by part number, name or model; on-hand, reserved,
available and value; 低库存 only), the chosen part's movements with their running balance,
the manager's shelf settings, and the manager's offline catalogue import with progress.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.domain.permissions import Permission
from app.i18n import tr
from app.services import events
from app.services.part_models import models_of
from app.services.parts_catalogue import ImportResult
from app.services.stock_queries import StockRow
from app.ui.extensions import UiContext
from app.ui.formatting import yuan
from app.ui.parts.common import ErrorLine, fill, make_table, row_key
from app.ui.parts.shortages import ShortageBox
from app.ui.parts.stock_detail import PartDetail
from app.ui.widgets.messages import show_message

HEADERS = ("Part number", "Part name", "Models", "Location", "On hand", "Reserved", "Available",
           "Value")
WIDTHS = {0: 140, 1: 200, 2: 200, 3: 90, 4: 70, 5: 70, 6: 70, 7: 120}
PAGE = 500
LOW_COLOUR = QColor("#fff3e0")
#: on hand below zero (two devices issued the same units; issue 15): red and 短缺
SHORT_COLOUR = QColor("#b71c1c")
WATCHED = frozenset({"parts", "stock", events.ORDERS, "conflicts"})


class StockPage(QWidget):
    #: the stock list was (re)loaded
    loaded = Signal()
    #: an import finished (ImportResult) or failed (the error)
    imported = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[StockRow] = []
        self._models: dict[str, str] = {}
        self.search_box = QLineEdit(objectName="stock_search")
        self.search_box.setPlaceholderText(tr("Part number, name or model — Enter searches"))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.returnPressed.connect(self.refresh)
        self.low_only = QCheckBox(tr("Low stock only"), objectName="low_only")
        self.whole_catalogue = QCheckBox(tr("Whole catalogue"), objectName="whole_catalogue")
        self.whole_catalogue.setToolTip(tr("Also parts this station never stocked"))
        for box in (self.low_only, self.whole_catalogue):
            box.toggled.connect(self.refresh)
        self.import_button = QPushButton(tr("Import catalogue CSV…"), objectName="import_csv")
        self.import_button.clicked.connect(self.import_catalogue)
        self.import_button.setVisible(ctx.actor.may(Permission.CATALOGUE_IMPORT))
        self.summary = QLabel(objectName="stock_summary")
        self.error = ErrorLine("stock_error")

        bar = QHBoxLayout()
        bar.addWidget(self.search_box, 1)
        bar.addWidget(self.low_only)
        bar.addWidget(self.whole_catalogue)
        bar.addWidget(self.import_button)

        self.table = make_table(HEADERS, "stock_table", WIDTHS, stretch=2)
        self.table.itemSelectionChanged.connect(self._chosen)
        self.more_button = QPushButton(tr("Show more"), objectName="stock_more")
        self.more_button.clicked.connect(self.load_more)
        self.more_button.hide()
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.table, 1)
        footer = QHBoxLayout()
        footer.addWidget(self.summary, 1)
        footer.addWidget(self.more_button)
        upper_layout.addLayout(footer)

        self.detail = PartDetail(ctx)
        self.detail.saved.connect(lambda _part: self.refresh())
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        self.shortages = ShortageBox(ctx)  # 库存短缺 (manager; hidden when there is none)
        self.shortages.show_part.connect(self.search)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.error)
        layout.addWidget(self.shortages)
        layout.addWidget(splitter, 1)
        self._timer = QTimer(self, singleShot=True, interval=300)
        self._timer.timeout.connect(self.refresh)
        ctx.changes.changed.connect(self._on_changed)
        self.refresh()

    # -- the page contract --------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def search(self, text: str) -> None:
        self.search_box.setText(text)
        self.refresh()

    def show_with(self, *, low: bool = False) -> None:
        """The whole held stock, or only the low-stock parts (the dashboard's 低库存)."""
        self.search_box.clear()
        for box, on in ((self.low_only, low), (self.whole_catalogue, False)):
            box.blockSignals(True)
            box.setChecked(on)
            box.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        self._load(None)
        self.shortages.refresh()

    def load_more(self) -> None:
        if self.rows:
            self._load(self.rows[-1].part_no)

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if kinds & WATCHED:
            self._timer.start()

    # -- loading ------------------------------------------------------------------------------
    def _load(self, after: str | None) -> None:
        text, low = self.search_box.text(), self.low_only.isChecked()
        held = not self.whole_catalogue.isChecked()
        stock, db = self.ctx.services.stock, self.ctx.services.db

        def read() -> tuple[list[StockRow], dict[str, str]]:
            rows = stock.stock_list(text, low=low, held=held, after=after, limit=PAGE)
            return rows, models_of(db, [r.part_id for r in rows])

        self.error.clear_error()
        self.ctx.tasks.run(read, lambda result: self._show(result, after is not None),
                           self.error.show_error, owner=self)

    def _show(self, result: tuple[list[StockRow], dict[str, str]], more: bool) -> None:
        rows, models = result
        chosen = self.selected_part_id()
        self.rows = (self.rows + rows) if more else rows
        self._models = {**self._models, **models} if more else dict(models)
        self.table.blockSignals(True)
        fill(self.table, self.rows, lambda r: (
            r.part_no, r.name, self._models.get(r.part_id, ""), r.location, r.on_hand,
            r.reserved, r.available, yuan(r.value_fen)),
            right=(4, 5, 6, 7), key=lambda r: r.part_id)
        for index, row in enumerate(self.rows):
            if row.low:
                for col in range(len(HEADERS)):
                    self.table.item(index, col).setBackground(LOW_COLOUR)
                self.table.item(index, 6).setToolTip(
                    tr("At or below the low-stock threshold of {n}", n=row.low_stock_threshold))
            if row.on_hand < 0:  # never hidden, never shown as a plain number
                for col in (4, 6):
                    item = self.table.item(index, col)
                    item.setForeground(SHORT_COLOUR)
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                    item.setToolTip(tr("Stock short: two devices issued the same units while "
                                       "offline. Count the part to put it right."))
                on_hand = self.table.item(index, 4)
                on_hand.setText(tr("{n} short", n=row.on_hand))
        self.table.blockSignals(False)
        self.more_button.setVisible(len(rows) == PAGE)
        value = sum(r.value_fen for r in self.rows)
        self.summary.setText(tr("{count} parts, worth {value}", count=len(self.rows),
                                value=yuan(value)))
        ids = [r.part_id for r in self.rows]
        if chosen in ids:
            self.table.selectRow(ids.index(chosen))
        self.detail.show_part(chosen if chosen in ids else None)
        self.loaded.emit()

    def selected_part_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return row_key(self.table, rows[0].row()) if rows else None

    def _chosen(self) -> None:
        self.detail.show_part(self.selected_part_id())

    def part_ids(self) -> list[str]:
        return [r.part_id for r in self.rows]

    # -- import -------------------------------------------------------------------------------
    def choose_file(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self, tr("Import catalogue CSV…"), str(Path.home()),
                                              tr("CSV files (*.csv)"))
        return Path(name) if name else None

    def import_catalogue(self, path: Path | None = None) -> None:
        path = path or self.choose_file()
        if path is None:
            return
        actor, catalogue = self.ctx.actor, self.ctx.services.catalogue

        def work(report, _cancelled) -> ImportResult:
            report(0, 0, tr("Reading {name}…", name=path.name))
            return catalogue.import_csv(actor, path)

        self.error.clear_error()
        self.progress = self.ctx.tasks.run_with_progress(
            work, self._imported, self._import_failed,
            title=tr("Importing the parts catalogue"), parent=self)

    def _imported(self, result: ImportResult) -> None:
        show_message(self, tr(
            "{rows} rows read: {added} added, {updated} updated, {unchanged} unchanged, "
            "{skipped} kept as head office sent them.", rows=result.rows, added=result.added,
            updated=result.updated, unchanged=result.unchanged,
            skipped=result.skipped_from_hq), "Import catalogue CSV…")
        self.refresh()
        self.imported.emit(result)

    def _import_failed(self, error: BaseException) -> None:
        self.error.show_error(error)
        self.imported.emit(error)

