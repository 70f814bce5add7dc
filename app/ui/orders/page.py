"""The orders page: one search box (Enter searches, so a barcode scanner works), filters, the
lazily loaded orders table, "new order", and the actions other areas register for the
selected orders. Double-click or Enter opens an order in its editor.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import OrderStatus, OrderType, Role
from app.domain.permissions import Permission
from app.domain.sla import Promise
from app.i18n import tr
from app.services import events
from app.services.order_queries import OrderFilter
from app.services.users import UserInfo
from app.ui.extensions import REGISTRY, UiContext
from app.ui.formatting import label
from app.ui.orders.desk_prompts import DeskPrompts
from app.ui.orders.editor_dialog import OrderEditor
from app.ui.orders.table_model import (
    COL_CALLED,
    COL_CUSTOMER,
    COL_MODEL,
    COL_NUMBER,
    COL_PHONE,
    COL_SLA,
    COL_STATUS,
    COL_TECH,
    COL_TYPE,
    OrdersTableModel,
)

REFRESH_DELAY_MS = 300
#: the status filter's entry for every order neither closed nor cancelled
OPEN = "open"
#: fixed widths: measuring a lazily loaded table's contents would read rows it has not got
COLUMN_WIDTHS = {
    COL_NUMBER: 235, COL_TYPE: 60, COL_STATUS: 95, COL_CUSTOMER: 80, COL_PHONE: 125,
    COL_MODEL: 150, COL_TECH: 85, COL_CALLED: 140,
}


class OrdersPage(QWidget):
    selection_changed = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.desk_prompts = DeskPrompts()
        self.editors: dict[str, OrderEditor] = {}
        self.model = OrdersTableModel(ctx.services.orders, ctx.tasks, ctx.services.orders.clock,
                                      self, viewer=ctx.actor)

        self.search_box = QLineEdit(objectName="order_search")
        self.search_box.setPlaceholderText(
            tr("Any part of an order number, phone, name, serial, model or fault — Enter searches"))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.returnPressed.connect(self.apply_filter)
        search_button = QPushButton(tr("Search"))
        search_button.clicked.connect(self.apply_filter)

        self.status_filter = QComboBox(objectName="status_filter")
        self.status_filter.addItem(tr("All states"), None)
        self.status_filter.addItem(tr("Open orders"), OPEN)
        for status in OrderStatus:
            self.status_filter.addItem(label(status), status)
        self.type_filter = QComboBox(objectName="type_filter")
        self.type_filter.addItem(tr("All types"), None)
        for kind in OrderType:
            self.type_filter.addItem(label(kind), kind.value)
        self.tech_filter = QComboBox(objectName="technician_filter")
        self.tech_filter.addItem(tr("All technicians"), None)
        if ctx.actor.role is Role.TECHNICIAN:
            # a technician starts with the orders assigned to them
            self.tech_filter.addItem(ctx.actor.display_name, ctx.actor.user_id)
            self.tech_filter.setCurrentIndex(1)
        self.overdue_only = QCheckBox(tr("Overdue only"), objectName="overdue_only")
        self.today_only = QCheckBox(tr("Called today"), objectName="today_only")
        self.today_only.toggled.connect(self.apply_filter)
        for combo in (self.status_filter, self.type_filter, self.tech_filter):
            combo.activated.connect(self.apply_filter)
        self.overdue_only.toggled.connect(self.apply_filter)

        filters = QHBoxLayout()
        filters.addWidget(self.search_box, 3)
        filters.addWidget(search_button)
        filters.addWidget(self.status_filter)
        filters.addWidget(self.type_filter)
        filters.addWidget(self.tech_filter)
        filters.addWidget(self.overdue_only)
        filters.addWidget(self.today_only)

        self.toolbar = QToolBar()
        self.new_button = QPushButton(tr("New order"), objectName="new_order")
        self.new_button.setToolTip("Ctrl+N")
        self.new_button.clicked.connect(self.new_order)
        # a toolbar shows its widgets through their actions; the matrix decides
        self.new_button_action = self.toolbar.addWidget(self.new_button)
        self.new_button_action.setVisible(ctx.actor.may(Permission.ORDER_CREATE))
        self.selection_actions = [
            action for factory in REGISTRY.selection_actions
            if (action := factory(ctx, self)) is not None
        ]
        if self.selection_actions:
            self.toolbar.addSeparator()
            for action in self.selection_actions:
                self.toolbar.addAction(action)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)
        self.rows_label = QLabel(objectName="rows_label")
        self.toolbar.addWidget(self.rows_label)

        self.table = QTableView(objectName="orders_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # the model column gives way so the SLA column stays on screen (1280 px and up)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_MODEL, QHeaderView.ResizeMode.Stretch)
        for col, width in COLUMN_WIDTHS.items():
            self.table.setColumnWidth(col, width)
        # type and status labels differ a lot in length between languages: measure them
        metrics = self.table.fontMetrics()
        for col, members in ((COL_TYPE, OrderType), (COL_STATUS, OrderStatus)):
            widest = max(metrics.horizontalAdvance(label(m)) for m in members)
            self.table.setColumnWidth(col, widest + 16)
        self.table.setColumnWidth(COL_NUMBER, metrics.horizontalAdvance(
            f"SO-BJ001-20260601-0001  {tr('HQ')}") + 16)
        # one late promise fits; all three at once are elided, whole in the tooltip
        self.table.setColumnWidth(COL_SLA, max(
            metrics.horizontalAdvance(f"⚠ {label(p)}") for p in Promise) + 24)
        self.table.doubleClicked.connect(self._open_index)
        self.table.activated.connect(self._open_index)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.table)

        self._pending_selection: list[str] = []
        self._pending_scroll = 0
        self.model.modelAboutToBeReset.connect(self._remember_view)
        self.model.reloaded.connect(self._restore_view)
        self.model.page_loaded.connect(self._show_row_count)
        self._refresh_timer = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.model.reload)
        ctx.changes.changed.connect(self._on_changed)
        self.apply_filter()
        ctx.tasks.run(ctx.services.users.technicians, self._fill_technicians, owner=self)

    # -- filter and refresh -------------------------------------------------------------------
    def current_filter(self) -> OrderFilter:
        # Qt hands a StrEnum back as a plain str; the filter wants the member
        status = self.status_filter.currentData()
        return OrderFilter(
            text=self.search_box.text().strip(),
            status=OrderStatus(status) if status and status != OPEN else None,
            order_type=self.type_filter.currentData(),
            technician_id=self.tech_filter.currentData(),
            overdue_only=self.overdue_only.isChecked(),
            open_only=status == OPEN,
            called_from=(self.ctx.services.dashboard.local_midnight()
                         if self.today_only.isChecked() else None),
        )

    def show_with(self, *, status: str | None = None, overdue: bool = False,
                  today: bool = False) -> None:
        """Shows the orders of one filter, every other filter cleared (the dashboard's tiles):
        ``status`` an OrderStatus value or "open" (neither closed nor cancelled), ``overdue``
        the late ones, ``today`` those called since midnight."""
        self.search_box.clear()
        self.type_filter.setCurrentIndex(0)
        self.tech_filter.setCurrentIndex(0)
        wanted = [i for i in range(self.status_filter.count())
                  if status is not None and self.status_filter.itemData(i) == status]
        self.status_filter.setCurrentIndex(wanted[0] if wanted else 0)
        for box, on in ((self.overdue_only, overdue), (self.today_only, today)):
            box.blockSignals(True)
            box.setChecked(on)
            box.blockSignals(False)
        self.apply_filter()

    def apply_filter(self) -> None:
        self.model.set_filter(self.current_filter())

    def search(self, text: str) -> None:
        self.search_box.setText(text)
        self.apply_filter()

    def refresh(self) -> None:
        self.model.reload()

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if events.ORDERS in kinds:
            self._refresh_timer.start()

    def _show_row_count(self) -> None:
        count = self.model.rowCount()
        if self.model.complete:
            self.rows_label.setText(tr("{count} orders", count=count))
        else:
            # never counted: the table only knows what it has loaded so far
            self.rows_label.setText(tr("{count} shown — scroll for more", count=count))

    def _fill_technicians(self, technicians: list[UserInfo]) -> None:
        for tech in technicians:
            if self.tech_filter.findData(tech.id) < 0:
                self.tech_filter.addItem(tech.display_name, tech.id)

    def _remember_view(self) -> None:
        self._pending_selection = self.selected_order_ids()
        self._pending_scroll = self.table.verticalScrollBar().value()

    def _restore_view(self) -> None:
        wanted = set(self._pending_selection)
        if wanted:
            selection = self.table.selectionModel()
            for row in range(self.model.rowCount()):
                if self.model.row_at(row).id in wanted:
                    selection.select(
                        self.model.index(row, 0),
                        selection.SelectionFlag.Select | selection.SelectionFlag.Rows,
                    )
        self.table.verticalScrollBar().setValue(self._pending_scroll)

    # -- selection and editors ----------------------------------------------------------------
    def selected_order_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.row_at(r).id for r in rows]

    def order_ids_to_print(self, then: Callable[[list[str]], None]) -> None:
        """The selected orders for a batch print, handed to ``then``; when cancelled or closed
        orders are among them it first asks whether they go too (Cancel prints nothing)."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        chosen = [self.model.row_at(r) for r in rows]
        finished = {OrderStatus.CANCELLED.value, OrderStatus.CLOSED.value}
        ids = [r.id for r in chosen]
        still_open = [r.id for r in chosen if r.status not in finished]
        if len(still_open) == len(ids):
            then(ids)
            return

        def answered(include: bool | None) -> None:
            if include is None:
                return
            wanted = ids if include else still_open
            if wanted:
                then(wanted)

        self.desk_prompts.include_finished(self, len(ids) - len(still_open), len(ids), answered)

    def _on_selection(self) -> None:
        self.selection_changed.emit()

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_order(self.model.row_at(index.row()).id)

    def open_order(self, order_id: str) -> OrderEditor:
        return open_editor(self.ctx, self.editors, order_id, parent=self)

    def new_order(self, customer_id: str | None = None) -> OrderEditor:
        editor = OrderEditor(self.ctx, None, customer_id=customer_id, parent=self)
        editor.show()
        return editor


def open_editor(ctx: UiContext, editors: dict[str, OrderEditor], order_id: str,
                parent: QWidget) -> OrderEditor:
    """Shows the order's editor, reusing one already open for it."""
    editor = editors.get(order_id)
    if editor is None:
        editor = OrderEditor(ctx, order_id, parent=parent)
        editors[order_id] = editor
        editor.finished.connect(lambda _code, key=order_id: editors.pop(key, None))
    editor.show()
    editor.raise_()
    editor.activateWindow()
    return editor
