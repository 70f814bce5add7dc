"""The chosen part on the stock page: its catalogue facts, its movements newest first with
the balance after each, and (for the manager) its shelf location and low-stock threshold.
The services refuse anyone else anyway; a refusal shows under the field it names.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.parts import MovementKind
from app.domain.permissions import Permission
from app.i18n import tr
from app.services.parts_catalogue import PartInfo
from app.services.stock_queries import HistoryRow
from app.ui.extensions import UiContext
from app.ui.formatting import local_time, yuan
from app.ui.parts.common import enum_label, fill, make_table, signed
from app.ui.widgets.forms import ErrorForm

HISTORY_HEADERS = ("Time", "Movement", "Quantity", "Balance", "By", "Document", "Reason")
HISTORY_LIMIT = 200


class PartDetail(QWidget):
    #: the part's detail and history were shown
    loaded = Signal()
    #: the settings were saved (the fresh PartInfo)
    saved = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.part: PartInfo | None = None
        self.title = QLabel(objectName="part_title")
        self.title.setStyleSheet("font-weight: bold;")
        self.title.setWordWrap(True)
        self.title.setText(tr("Choose a part above to see its movements."))
        self.history = make_table(HISTORY_HEADERS, "history_table",
                                  {0: 150, 1: 90, 2: 60, 3: 60, 4: 80, 5: 190})
        self.rows: list[HistoryRow] = []
        self.older_button = QPushButton(tr("Older movements"), objectName="history_older")
        self.older_button.clicked.connect(self.load_older)
        self.older_button.hide()
        history_box = QGroupBox(tr("Movements"))
        box = QVBoxLayout(history_box)
        box.addWidget(self.title)
        box.addWidget(self.history)
        box.addWidget(self.older_button)

        self.location = QLineEdit(objectName="part_location")
        self.threshold = QSpinBox(objectName="part_threshold")
        self.threshold.setRange(0, 1_000_000)
        self.save_button = QPushButton(tr("Save"), objectName="save_part_setting")
        self.save_button.clicked.connect(self.save)
        self.form = ErrorForm()
        self.form.add_row("Shelf location", self.location, "location")
        self.form.add_row("Low-stock threshold", self.threshold, "low_stock_threshold")
        self.form.add_general_error_row()
        self.form.addRow(self.save_button)
        self.settings_box = QGroupBox(tr("Shelf settings"))
        self.settings_box.setLayout(self.form)
        manager = ctx.actor.may(Permission.PART_SETTINGS)
        for widget in (self.location, self.threshold, self.save_button):
            widget.setEnabled(False)
        self.settings_box.setVisible(manager)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(history_box, 3)
        layout.addWidget(self.settings_box, 1)

    def show_part(self, part_id: str | None) -> None:
        if part_id is None:
            self.part = None
            self.title.setText(tr("Choose a part above to see its movements."))
            self._show_history([], 0)
            return
        catalogue, stock = self.ctx.services.catalogue, self.ctx.services.stock
        self.ctx.tasks.run(
            lambda: (catalogue.get(part_id), stock.history(part_id, limit=HISTORY_LIMIT)),
            self._show, owner=self)

    def load_older(self) -> None:
        """The next page of the part's movements, older than the last one shown."""
        if self.part is None or not self.rows:
            return
        part_id, after, stock = self.part.id, self.rows[-1].cursor, self.ctx.services.stock
        self.ctx.tasks.run(lambda: stock.history(part_id, after, limit=HISTORY_LIMIT),
                           lambda rows: self._show_history(self.rows + rows, len(rows)),
                           owner=self)

    def _show_history(self, rows: list[HistoryRow], page: int) -> None:
        self.rows = rows
        fill(self.history, rows, lambda h: (
            local_time(h.created_at), enum_label(MovementKind, h.kind), signed(h.quantity),
            h.balance, h.username, h.reference, h.reason), right=(2, 3))
        self.older_button.setVisible(page == HISTORY_LIMIT)

    def _show(self, result: tuple[PartInfo, list[HistoryRow]]) -> None:
        part, rows = result
        self.part = part
        facts = [part.part_no, part.name, part.specification, part.unit,
                 tr("retail {price}", price=yuan(part.retail_price_fen)),
                 tr("station {price}", price=yuan(part.station_price_fen))]
        self.title.setText("  ".join(f for f in facts if f))
        self.title.setToolTip(part.models)
        self._show_history(rows, len(rows))
        self.form.clear_errors()
        self.location.setText(part.location)
        self.threshold.setValue(part.low_stock_threshold)
        for widget in (self.location, self.threshold, self.save_button):
            widget.setEnabled(self.ctx.actor.may(Permission.PART_SETTINGS))
        self.loaded.emit()

    def save(self) -> None:
        if self.part is None:
            return
        part, actor, catalogue = self.part, self.ctx.actor, self.ctx.services.catalogue
        location, threshold = self.location.text(), self.threshold.value()
        self.form.clear_errors()
        self.ctx.tasks.run(
            lambda: catalogue.set_setting(actor, part.id, location=location,
                                          low_stock_threshold=threshold,
                                          expected_revision=part.setting_revision),
            self._saved, self.form.show_error, owner=self)

    def _saved(self, part: PartInfo) -> None:
        self.part = part
        self.ctx.status_message(tr("Shelf settings of {part} saved.", part=part.part_no))
        self.saved.emit(part)
