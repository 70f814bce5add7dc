"""旧件: every old part collected from warranty repairs (tag, part, order, state, and head
office's inspection result once sync brings it), a return shipment made from the selected
collected ones, and the shipments: the manager marks one shipped with its carrier; anyone
prints its manifest (旧件返厂清单) and its sheet of tag labels (旧件标签).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.domain.parts import InspectionResult, OldPartStatus, ShipmentStatus
from app.domain.permissions import Permission
from app.i18n import tr
from app.services.old_parts import OldPartInfo, ShipmentInfo
from app.services.order_parts import OLD_PARTS
from app.ui.extensions import UiContext
from app.ui.formatting import local_time
from app.ui.parts.common import enum_label, fill, make_table, row_key, selected_keys
from app.ui.parts.printing import PartsPrinter
from app.ui.parts.sales_list import busy_bar
from app.ui.widgets.forms import ErrorForm

OLD_HEADERS = ("Tag", "Part number", "Part name", "Order", "Collected", "State", "Shipment",
               "Inspection")
SHIP_HEADERS = ("Shipment", "State", "Created", "By", "Old parts", "Shipped at", "Carrier")
PAPERS = (("manifest", "Manifest"), ("old-part-tags", "Tag labels"))


class OldPartsPage(QWidget):
    loaded = Signal()
    #: a shipment was created or shipped (ShipmentInfo)
    shipment_changed = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.shipments: list[ShipmentInfo] = []
        self.status = QComboBox(objectName="old_part_status")
        self.status.addItem(tr("All states"), None)
        for status in OldPartStatus:
            self.status.addItem(enum_label(OldPartStatus, status), status.value)
        self.status.setCurrentIndex(1)  # collected: what waits to be packed
        self.status.activated.connect(lambda _i: self.refresh())
        # the name takes what is left: at 1280 px beside the navigation every column shows
        self.old = make_table(OLD_HEADERS, "old_parts_table",
                              {0: 195, 1: 120, 3: 200, 4: 90, 5: 96, 6: 200, 7: 90},
                              stretch=2)
        self.old.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.old.itemSelectionChanged.connect(self._update_buttons)
        self.pack_button = QPushButton(tr("New shipment from the selected"),
                                       objectName="create_shipment")
        self.pack_button.clicked.connect(self.create_shipment)
        self.form = ErrorForm()
        old_box = QGroupBox(tr("Collected old parts"))
        old_layout = QVBoxLayout(old_box)
        bar = QHBoxLayout()
        bar.addWidget(self.status)
        bar.addStretch(1)
        bar.addWidget(self.pack_button)
        old_layout.addLayout(bar)
        old_layout.addWidget(self.old, 1)

        self.ships = make_table(SHIP_HEADERS, "shipments_table",
                                {0: 210, 1: 96, 2: 140, 3: 80, 4: 70, 5: 140})
        self.ships.itemSelectionChanged.connect(self._update_buttons)
        self.carrier = QLineEdit(objectName="shipment_carrier")
        self.carrier.setPlaceholderText(tr("Carrier and waybill number"))
        self.ship_button = QPushButton(tr("Mark shipped"), objectName="ship_shipment")
        self.ship_button.clicked.connect(self.ship)
        self.form.add_row("Carrier", self.carrier, "carrier", "shipment", "old_part_ids")
        self.form.add_general_error_row()
        self.printer = PartsPrinter(ctx, parent=self)
        self.busy = busy_bar("shipment_busy")
        self.printer.busy.connect(self.busy.setVisible)
        self.paper_buttons: list[QPushButton] = []
        papers = QHBoxLayout()
        for document, title in PAPERS:
            for verb, method in (("Print preview", self.printer.preview),
                                 ("Print", self.printer.print_paper),
                                 ("Save as PDF", self.printer.save)):
                button = QPushButton(f"{tr(title)}: {tr(verb)}",
                                     objectName=f"{document}_{method.__name__}")
                button.clicked.connect(lambda _=False, m=method, d=document: self._paper(m, d))
                papers.addWidget(button)
                self.paper_buttons.append(button)
        papers.addWidget(self.busy)
        papers.addStretch(1)
        ship_box = QGroupBox(tr("Return shipments"))
        ship_layout = QVBoxLayout(ship_box)
        ship_layout.addWidget(self.ships, 1)
        carrier_row = QHBoxLayout()
        carrier_row.addLayout(self.form, 1)
        carrier_row.addWidget(self.ship_button)
        self.carrier_box = QWidget()
        self.carrier_box.setLayout(carrier_row)
        self.carrier_box.setVisible(ctx.actor.may(Permission.OLD_PART_SHIP))
        ship_layout.addWidget(self.carrier_box)
        ship_layout.addLayout(papers)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(old_box)
        splitter.addWidget(ship_box)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._timer = QTimer(self, singleShot=True, interval=300)
        self._timer.timeout.connect(self.refresh)
        ctx.changes.changed.connect(self._on_changed)
        self._update_buttons()
        self.refresh()

    def refresh(self) -> None:
        service, wanted = self.ctx.services.old_parts, self.status.currentData()
        status = OldPartStatus(wanted) if wanted else None
        self.ctx.tasks.run(lambda: (service.old_parts(status), service.shipments()),
                           self._show, self.form.show_error, owner=self)

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if OLD_PARTS in kinds:
            self._timer.start()

    def _show(self, result: tuple[list[OldPartInfo], list[ShipmentInfo]]) -> None:
        olds, ships = result
        chosen = self.selected_shipment_id()
        fill(self.old, olds, lambda o: (
            o.tag_no, o.part_no, o.part_name, o.order_no, local_time(o.collected_at)[:10],
            enum_label(OldPartStatus, o.status), o.shipment_no, _inspection(o)),
            key=lambda o: o.id)
        for row, old in enumerate(olds):
            if old.inspection_result:
                self.old.item(row, 7).setToolTip("  ".join(
                    t for t in (local_time(old.inspected_at), old.inspection_note) if t))
        self.shipments = ships
        self.ships.blockSignals(True)
        fill(self.ships, ships, lambda s: (
            s.number, enum_label(ShipmentStatus, s.status), local_time(s.created_at),
            s.created_by, len(s.parts), local_time(s.shipped_at), s.carrier),
            right=(4,), key=lambda s: s.id)
        ids = [s.id for s in ships]
        if chosen in ids:
            self.ships.selectRow(ids.index(chosen))
        self.ships.blockSignals(False)
        self._update_buttons()
        self.loaded.emit()

    def selected_shipment_id(self) -> str | None:
        rows = self.ships.selectionModel().selectedRows()
        return row_key(self.ships, rows[0].row()) if rows else None

    def selected_shipment(self) -> ShipmentInfo | None:
        chosen = self.selected_shipment_id()
        return next((s for s in self.shipments if s.id == chosen), None)

    def select_shipment(self, number: str) -> None:
        for row, ship in enumerate(self.shipments):
            if ship.number == number:
                self.ships.selectRow(row)

    def _update_buttons(self) -> None:
        ship = self.selected_shipment()
        self.pack_button.setEnabled(self.ctx.actor.may(Permission.OLD_PART_PACK)
                                    and bool(selected_keys(self.old)))
        self.ship_button.setEnabled(self.ctx.actor.may(Permission.OLD_PART_SHIP) and ship is not None
                                    and ship.status is ShipmentStatus.OPEN)
        for button in self.paper_buttons:
            button.setEnabled(ship is not None)

    def create_shipment(self) -> None:
        ids, service, actor = selected_keys(self.old), self.ctx.services.old_parts, self.ctx.actor
        self.form.clear_errors()
        self.ctx.tasks.run(lambda: service.create_shipment(actor, ids), self._changed,
                           self.form.show_error, owner=self)

    def ship(self) -> None:
        ship = self.selected_shipment()
        if ship is None:
            return
        service, actor, carrier = self.ctx.services.old_parts, self.ctx.actor, self.carrier.text()
        self.form.clear_errors()
        self.ctx.tasks.run(lambda: service.ship(actor, ship.id, carrier), self._changed,
                           self.form.show_error, owner=self)

    def _changed(self, ship: ShipmentInfo) -> None:
        self.carrier.clear()
        self.shipment_changed.emit(ship)
        self.loaded.connect(self._select_after_reload)
        self._pending = ship.number
        self.refresh()

    def _select_after_reload(self) -> None:
        self.loaded.disconnect(self._select_after_reload)
        self.select_shipment(self._pending)

    def _paper(self, method, document: str) -> None:
        ship = self.selected_shipment()
        if ship is not None:
            method(document, ship.number)


def _inspection(old: OldPartInfo) -> str:
    """Head office's result; when and its note are in the cell's tooltip."""
    if not old.inspection_result:
        return ""
    return enum_label(InspectionResult, old.inspection_result)
