"""保养提醒: the products due for periodic maintenance by the chosen horizon (the overdue
marked and first), 生成保养工单 (Ctrl+G) for the selected products — one order opens in its
editor — and the call list exported to Excel or CSV for an SMS or phone campaign.

Every service call runs on the TaskRunner; the page holds only the rows it shows. A product
with open orders needs a reason before its maintenance order is made (the order desk's
warning), typed in the box that appears under the list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import RuleViolation
from app.domain.permissions import Permission
from app.i18n import label, render, tr
from app.services import events
from app.services.maintenance import DEFAULT_DAYS, DuePage, DueProduct, ExportDone
from app.services.order_types import OrderDetail
from app.services.order_warnings import Ack, WarningsPending
from app.services.warranty_policy import POLICY
from app.ui.extensions import UiContext
from app.ui.parts.common import ErrorLine, fill, make_table, selected_keys
from app.ui.reports.prompts import ReportPrompts

HEADERS = ("Due on", "State", "Customer", "Phone", "Address", "Model", "Serial number",
           "Category", "Last service")
HORIZONS = (7, 15, 30, 60, 90, 180, 365)
PAGE_ROWS = 200
OVERDUE_COLOUR = QColor("#c62828")
OVERDUE_BACKGROUND = QColor("#fdecea")
CREATE_SHORTCUT = "Ctrl+G"


@dataclass
class Created:
    """What one press of 生成保养工单 did, product by product."""

    orders: list[OrderDetail] = field(default_factory=list)
    #: products whose open orders want a reason (product id, the warning's text)
    warned: list[tuple[str, str]] = field(default_factory=list)
    refused: list[BaseException] = field(default_factory=list)


class MaintenancePage(QWidget):
    loaded = Signal()
    #: the orders 生成保养工单 made (list[OrderDetail])
    orders_created = Signal(object)
    exported = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None,
                 prompts: ReportPrompts | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.prompts = prompts or ReportPrompts()
        self.rows: list[DueProduct] = []
        self.total = 0
        self.opened_editors: list[QWidget] = []
        self._warned_ids: list[str] = []

        self.horizon = QComboBox(objectName="maintenance_horizon")
        for days in HORIZONS:
            self.horizon.addItem(tr("Due within {days} days", days=days), days)
        self.horizon.setCurrentIndex(HORIZONS.index(DEFAULT_DAYS))
        self.horizon.activated.connect(lambda _i: self.refresh())
        self.summary = QLabel(objectName="maintenance_summary")
        self.refresh_button = QPushButton(tr("Refresh"), objectName="maintenance_refresh")
        self.refresh_button.setToolTip("F5")
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Horizon")))
        top.addWidget(self.horizon)
        top.addWidget(self.summary, 1)
        top.addWidget(self.refresh_button)

        self.table = make_table(HEADERS, "maintenance_table",
                                {0: 96, 1: 110, 2: 90, 3: 120, 5: 150, 6: 130, 7: 80,
                                 8: 150}, stretch=4)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _i: self.create_orders())
        self.more_button = QPushButton(tr("Show more"), objectName="maintenance_more")
        self.more_button.clicked.connect(self.load_more)

        self.create_button = QPushButton(
            f"{tr('Create maintenance orders')} ({CREATE_SHORTCUT})",
            objectName="maintenance_create")
        self.create_button.clicked.connect(self.create_orders)
        QShortcut(QKeySequence(CREATE_SHORTCUT), self, activated=self.create_orders,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.xlsx_button = QPushButton(tr("Export to Excel"), objectName="maintenance_xlsx")
        self.xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        self.csv_button = QPushButton(tr("Export to CSV"), objectName="maintenance_csv")
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        may_export = ctx.actor.may(Permission.CAMPAIGN_EXPORT)
        self.xlsx_button.setVisible(may_export)
        self.csv_button.setVisible(may_export)
        buttons = QHBoxLayout()
        buttons.addWidget(self.create_button)
        buttons.addStretch(1)
        buttons.addWidget(self.more_button)
        buttons.addWidget(self.xlsx_button)
        buttons.addWidget(self.csv_button)

        # the order desk's warning: open orders on a product want a reason to go on
        self.warn_box = QGroupBox(tr("Check before creating"), objectName="maintenance_warn")
        self.warn_text = QLabel(objectName="maintenance_warn_text")
        self.warn_text.setWordWrap(True)
        self.ack_reason = QLineEdit(objectName="maintenance_ack_reason")
        self.ack_reason.setPlaceholderText(tr("Reason for creating anyway"))
        self.ack_reason.returnPressed.connect(self.create_anyway)
        self.anyway_button = QPushButton(tr("Create anyway"), objectName="maintenance_anyway")
        self.anyway_button.clicked.connect(self.create_anyway)
        warn_row = QHBoxLayout()
        warn_row.addWidget(self.ack_reason, 1)
        warn_row.addWidget(self.anyway_button)
        warn_layout = QVBoxLayout(self.warn_box)
        warn_layout.addWidget(self.warn_text)
        warn_layout.addLayout(warn_row)
        self.warn_box.hide()

        self.error = ErrorLine("maintenance_error")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.warn_box)
        layout.addWidget(self.error)
        self._timer = QTimer(self, singleShot=True, interval=300)
        self._timer.timeout.connect(self.refresh)
        ctx.changes.changed.connect(self._on_changed)
        self._update_buttons()
        self.refresh()

    # -- the list -----------------------------------------------------------------------------
    def days(self) -> int:
        return int(self.horizon.currentData())

    def refresh(self) -> None:
        service, days = self.ctx.services.maintenance, self.days()
        self.ctx.tasks.run(lambda: service.due(days, limit=PAGE_ROWS), self._show,
                           self.error.show_error, owner=self)

    def load_more(self) -> None:
        service, days, offset = self.ctx.services.maintenance, self.days(), len(self.rows)
        self.ctx.tasks.run(lambda: service.due(days, limit=PAGE_ROWS, offset=offset),
                           lambda page: self._show(page, append=True), self.error.show_error,
                           owner=self)

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if kinds & {events.ORDERS, events.CUSTOMERS, POLICY}:
            self._timer.start()

    def _show(self, page: DuePage, append: bool = False) -> None:
        chosen = set(selected_keys(self.table))
        self.rows = (self.rows if append else []) + list(page.rows)
        self.total = page.total
        fill(self.table, self.rows, lambda r: (
            r.due_on.isoformat(), _state(r), r.customer_name, r.phone, r.address, r.model,
            r.serial_no, r.category, f"{r.last_service.isoformat()} {label(r.basis)}"),
            key=lambda r: r.product_id)
        for row, item in enumerate(self.rows):
            if item.overdue:
                for col in range(self.table.columnCount()):
                    cell = self.table.item(row, col)
                    cell.setBackground(QBrush(OVERDUE_BACKGROUND))
                    if col in (0, 1):
                        cell.setForeground(QBrush(OVERDUE_COLOUR))
            if item.product_id in chosen:
                self.table.selectRow(row)
        overdue = sum(1 for r in self.rows if r.overdue)
        self.summary.setText(tr(
            "{count} products due by {horizon} ({overdue} overdue among those shown)",
            count=page.total, horizon=page.horizon.isoformat(), overdue=overdue))
        self.more_button.setVisible(len(self.rows) < page.total)
        self._update_buttons()
        self.loaded.emit()

    def selected_product_ids(self) -> list[str]:
        return [k for k in selected_keys(self.table) if k]

    def select_product(self, product_id: str) -> None:
        for row, item in enumerate(self.rows):
            if item.product_id == product_id:
                self.table.selectRow(row)

    def _update_buttons(self) -> None:
        may_create = self.ctx.actor.may(Permission.ORDER_CREATE)
        self.create_button.setEnabled(may_create and bool(self.selected_product_ids()))
        for button in (self.xlsx_button, self.csv_button):
            button.setEnabled(bool(self.total))

    # -- 生成保养工单 ---------------------------------------------------------------------------
    def create_orders(self, acknowledged: Ack | None = None,
                      product_ids: list[str] | None = None) -> None:
        ids = product_ids if product_ids is not None else self.selected_product_ids()
        if not ids or not self.ctx.actor.may(Permission.ORDER_CREATE):
            return
        service, actor = self.ctx.services.maintenance, self.ctx.actor
        self.error.clear_error()
        self.create_button.setEnabled(False)

        def work() -> Created:
            done = Created()
            for product_id in ids:
                try:
                    done.orders.append(service.create_order(actor, product_id, acknowledged))
                except WarningsPending as exc:
                    done.warned.append((product_id, render(exc)))
                except RuleViolation as exc:  # shown; the other products still get theirs
                    done.refused.append(exc)
            return done

        self.ctx.tasks.run(work, self._created, self._create_failed, owner=self)

    def create_anyway(self) -> None:
        if self._warned_ids:
            self.create_orders(Ack(self.ack_reason.text()), list(self._warned_ids))

    def _created(self, done: Created) -> None:
        self._update_buttons()
        no_reason = any(getattr(e, "field", None) == "ack_reason" for e in done.refused)
        if done.warned:
            self._warned_ids = [pid for pid, _text in done.warned]
            self.warn_text.setText("\n".join(text for _pid, text in done.warned))
            self.warn_box.show()
            self.ack_reason.setFocus()
        elif no_reason:  # 仍然生成 without a reason: the box stays for one
            self.ack_reason.setFocus()
        else:
            self._warned_ids = []
            self.warn_box.hide()
            self.ack_reason.clear()
        if done.refused:
            self.error.setText("\n".join(render(e) for e in done.refused))
            self.error.show()
        if done.orders:
            numbers = "、".join(o.number for o in done.orders)
            self.ctx.status_message(tr("Maintenance orders created: {numbers}",
                                       numbers=numbers))
            if len(done.orders) == 1:
                self.open_order(done.orders[0].id)
            self.orders_created.emit(done.orders)
            self.refresh()

    def _create_failed(self, error: BaseException) -> None:
        self._update_buttons()
        if getattr(error, "field", None) == "ack_reason":
            self.warn_box.show()
            self.ack_reason.setFocus()
        self.error.show_error(error)

    def open_order(self, order_id: str) -> QWidget:
        """The new order in its own editor window (this list stays where it is)."""
        from app.ui.orders.editor_dialog import OrderEditor

        editor = OrderEditor(self.ctx, order_id, parent=self)
        editor.show()
        self.opened_editors.append(editor)
        return editor

    # -- the call list ------------------------------------------------------------------------
    def export(self, fmt: str) -> None:
        suggested = Path.home() / f"{tr('Maintenance due')}-{date.today().isoformat()}.{fmt}"
        path = self.prompts.save_path(self, suggested, fmt)
        if path is not None:
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        service, actor, days = self.ctx.services.maintenance, self.ctx.actor, self.days()
        self.error.clear_error()
        self.ctx.tasks.run(lambda: service.export(actor, path, days), self._exported,
                           self.error.show_error, owner=self, slow=False)

    def _exported(self, done: ExportDone) -> None:
        self.ctx.status_message(tr("Wrote {rows} products due for maintenance to {file}.",
                                   rows=done.rows, file=done.path))
        self.exported.emit(done)


def _state(row: DueProduct) -> str:
    if row.overdue:
        return tr("{days} days overdue", days=row.overdue_days)
    if row.overdue_days == 0:
        return tr("Due today")
    return tr("Due in {days} days", days=-row.overdue_days)
