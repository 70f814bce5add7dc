"""The conflict desk's panels for a station of several devices (issue 15).

- A clash between two devices (``stale_device_edit``: this device edited a record before it
  had received another device's newer version; ``order_status_merged``: this device's
  further-along order status won at head office): the fields side by side, this device's
  value and the station's, with 保留本机 (Alt+O) / 采用对方 (Alt+T), which the page sends to
  ``DeviceClashDesk.settle`` ("ours" / "theirs").
- A stock shortage (``stock_shortage``: two devices offline both issued the last unit): the
  part, its on-hand (negative, in red) and the movements that took the units out, with
  盘点该配件 (Alt+P, opens the 盘点 page for it) and 标记已处理 (refused by the service until
  the stock is real again).
The panels only show and emit; the page runs the services off the GUI thread.
"""

from __future__ import annotations

import re
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import label, tr
from app.services.conflict_fields import FieldClash
from app.services.stock_shortage import Shortage
from app.services.sync_conflicts import FIELD_LABELS
from app.ui.formatting import local_time

DEVICE_KINDS = frozenset({"stale_device_edit", "order_status_merged"})
SHORTAGE_KIND = "stock_shortage"
SHORT_COLOUR = "#b71c1c"

KIND_TEXT = {
    "stale_device_edit": "Another device of the station changed this first",
    "order_status_merged": "The order's status was merged between devices",
    "stock_shortage": "Stock short: two devices issued the same units",
}
EXPLAIN = {
    "stale_device_edit": "This device changed the record before it had received another "
                         "device's newer version, so head office kept the other version. "
                         "Keep this device's values (they are sent again as a new change) "
                         "or take the other device's (already here).",
    "order_status_merged": "Two devices changed this order's status while offline; head "
                           "office kept the one further along (finished before cancelled "
                           "before open) and every device now has it. Keep it, or take the "
                           "other device's values back.",
    "stock_shortage": "Two devices, offline, both issued or sold the last units of this part, "
                      "so the stock shows less than nothing. Nothing was undone: count the "
                      "part (盘点) or receive it, then mark the shortage settled.",
}
EXTRA_LABELS = {"status": "Status", "number": "Number", "name": "Name", "phone": "Phone",
                "address": "Address", "role": "Role", "active": "Active",
                "display_name": "Name", "technician_id": "Technician", "notes": "Notes",
                "called_at": "Called at", "responded_at": "Responded at",
                "arrived_at": "Arrived at", "cleared_at": "Cleared at",
                "visited_at": "Visited at", "closed_at": "Closed at",
                "customer_id": "Customer", "product_id": "Product"}
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
MOVEMENT_KINDS = {"issued": "Issued to an order", "sold": "Sold"}


def _cell(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    return item


def _table(name: str, headers: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(headers), objectName=name)
    table.setHorizontalHeaderLabels([tr(h) for h in headers])
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def field_name(name: str) -> str:
    return tr(FIELD_LABELS.get(name) or EXTRA_LABELS.get(name) or name)


def field_value(name: str, value: str | None, names: dict[str, str] | None = None) -> str:
    """The value as a person reads it: a status in words, a time in local time to the minute,
    a user by name; a key of another record never shown raw."""
    if value is None:
        return tr("(not known)")
    if names and value in names:
        return names[value]
    if UUID_RE.match(value):
        return tr("(another record)")
    if name.endswith("_at") and value:
        try:  # to the second: two devices' times of one step often share their minute
            return datetime.fromisoformat(value).astimezone().strftime("%Y-%m-%d %H:%M:%S")
        except ValueError:
            return value
    if name == "status":
        from app.domain.enums import OrderStatus

        try:
            return label(OrderStatus(value))
        except ValueError:
            return value
    return value if value else tr("(empty)")


class DeviceClashPanel(QWidget):
    """The fields of a clash between devices and the two answers."""

    chosen = Signal(str)  # "ours" | "theirs"

    def __init__(self, can_settle: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("device_clash_panel")
        self.can_settle = can_settle
        self.table = _table("device_clash_fields", ("Field", "This device", "The other device"))
        # the two sides share the width and a long value wraps inside its cell
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.keep_button = QPushButton(tr("Keep this device's (&O)"), objectName="keep_ours")
        self.take_button = QPushButton(tr("Take the other device's (&T)"),
                                       objectName="take_theirs")
        self.keep_button.clicked.connect(lambda: self.chosen.emit("ours"))
        self.take_button.clicked.connect(lambda: self.chosen.emit("theirs"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.keep_button)
        buttons.addWidget(self.take_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def show_fields(self, fields: tuple[FieldClash, ...], open_: bool,
                    names: dict[str, str] | None = None) -> None:
        """``names``: the station's users by id (a technician is shown by name)."""
        self.table.setRowCount(len(fields))
        for row, clash in enumerate(fields):
            cells = (_cell(field_name(clash.name)),
                     _cell(field_value(clash.name, clash.ours, names)),
                     _cell(field_value(clash.name, clash.theirs, names)))
            for column, cell in enumerate(cells):
                if column and clash.differs:
                    font = cell.font()
                    font.setBold(True)
                    cell.setFont(font)
                self.table.setItem(row, column, cell)
        self.table.resizeRowsToContents()
        rows = sum(self.table.rowHeight(r) for r in range(self.table.rowCount())) or 30
        self.table.setFixedHeight(min(self.table.horizontalHeader().height() + rows + 6, 320))
        for button in (self.keep_button, self.take_button):
            button.setVisible(open_)
            button.setEnabled(self.can_settle)


class ShortagePanel(QWidget):
    """A shortage's part, stock and issuing movements, with 盘点 and 标记已处理."""

    count_part = Signal(str)  # the part number
    settle = Signal()

    def __init__(self, can_settle: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortage_panel")
        self.can_settle = can_settle
        self.shortage: Shortage | None = None
        self.part = QLabel(objectName="shortage_part")
        self.part.setStyleSheet("font-weight: bold;")
        self.stock = QLabel(objectName="shortage_on_hand")
        self.stock.setStyleSheet(f"color: {SHORT_COLOUR}; font-weight: bold;")
        self.table = _table("shortage_movements",
                            ("Time", "User", "Device", "Quantity", "What", "For"))
        self.count_button = QPushButton(tr("Count this &part…"), objectName="shortage_count")
        self.count_button.clicked.connect(self._count)
        self.settle_button = QPushButton(tr("Mark &settled"), objectName="shortage_settle")
        self.settle_button.clicked.connect(self.settle.emit)
        top = QHBoxLayout()
        top.addWidget(self.part, 1)
        top.addWidget(self.stock)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.count_button)
        buttons.addWidget(self.settle_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def show_summary(self, summary: str, open_: bool) -> None:
        """For a user who may not settle shortages (their list is the manager's): the part
        and its stock as the conflict recorded them, and who settles it."""
        self.shortage = None
        self.part.setText(summary or "—")
        self.stock.setText(tr("Only the station manager can settle a stock shortage."))
        self.table.setRowCount(0)
        self.table.hide()
        self.count_button.hide()
        self.settle_button.setVisible(open_)
        self.settle_button.setEnabled(False)

    def show_shortage(self, shortage: Shortage | None, open_: bool) -> None:
        self.shortage = shortage
        self.table.show()
        if shortage is None:  # settled, or the stock is whole again
            self.part.setText(tr("The stock of this part is no longer short."))
            self.stock.clear()
            self.table.setRowCount(0)
        else:
            self.part.setText(f"{shortage.part_no} {shortage.name}")
            self.stock.setText(tr("On hand {n} (short)", n=shortage.on_hand))
            self.table.setRowCount(len(shortage.movements))
            for row, m in enumerate(shortage.movements):
                device = tr("this device") if m.this_device else tr("another device")
                cells = (local_time(m.created_at), m.username, device, f"{m.quantity:+d}",
                         tr(MOVEMENT_KINDS.get(m.kind, m.kind)),
                         m.order_number or m.sale_number or m.reference)
                for column, text in enumerate(cells):
                    item = _cell(text)
                    if column == 3:
                        item.setForeground(QColor(SHORT_COLOUR))
                    self.table.setItem(row, column, item)
            self.table.setFixedHeight(min(40 + 30 * max(len(shortage.movements), 1), 260))
        self.count_button.setVisible(shortage is not None)
        self.settle_button.setVisible(open_)
        self.settle_button.setEnabled(self.can_settle)

    def _count(self) -> None:
        if self.shortage is not None:
            self.count_part.emit(self.shortage.part_no)
