"""The orders table model: loads pages of ``OrderService.search`` lazily through the task
runner (``canFetchMore``/``fetchMore``) with a keyset cursor, so a million orders cost no
more than the rows the user scrolls to. It never counts and never loads everything.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import Enum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from app.domain.enums import OrderSource, OrderStatus, OrderType
from app.domain.sla import ClockState, SlaTimes, clocks
from app.i18n import tr
from app.services.context import Actor
from app.services.order_queries import OrderFilter, OrderRow
from app.services.orders import OrderService
from app.ui.formatting import HEAD_OFFICE_TEXT, OVERDUE_TEXT, label, local_time, status_colour
from app.ui.tasks import TaskRunner

PAGE_SIZE = 100
#: a refresh re-reads at most this many already-loaded rows in one go
MAX_RELOAD = 2000

COLUMNS = (
    "Order number", "Type", "Status", "Customer", "Phone", "Product model", "Technician",
    "Called at", "SLA",
)
COL_NUMBER, COL_TYPE, COL_STATUS, COL_CUSTOMER, COL_PHONE, COL_MODEL, COL_TECH, COL_CALLED, \
    COL_SLA = range(len(COLUMNS))

Index = QModelIndex | QPersistentModelIndex


class OrdersTableModel(QAbstractTableModel):
    #: a page arrived (rows appended or the table reloaded)
    page_loaded = Signal()
    #: the table was replaced by a refresh or a new filter
    reloaded = Signal()

    def __init__(
        self, orders: OrderService, tasks: TaskRunner, now: Callable[[], datetime],
        parent=None, viewer: Actor | None = None,
    ) -> None:
        super().__init__(parent)
        self._orders = orders
        #: whose phones the rows show (app.domain.phone_mask: masked for the manager)
        self._viewer = viewer
        self._tasks = tasks
        self._now = now
        self._filter = OrderFilter()
        self._rows: list[OrderRow] = []
        self._late: list[str] = []
        self._has_more = True
        self._loading = False
        self._generation = 0
        self._pages_loaded = 0

    # -- loading ------------------------------------------------------------------------------
    @property
    def order_filter(self) -> OrderFilter:
        return self._filter

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def pages_loaded(self) -> int:
        return self._pages_loaded

    @property
    def complete(self) -> bool:
        """Every row matching the filter is loaded."""
        return not self._has_more

    def set_filter(self, flt: OrderFilter) -> None:
        """Starts over with ``flt``: clears the table and loads the first page."""
        self._filter = flt
        self._generation += 1
        self.beginResetModel()
        self._rows, self._late = [], []
        self._has_more, self._loading, self._pages_loaded = True, False, 0
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def reload(self) -> None:
        """Re-reads the rows already shown (after a change), keeping the filter."""
        self._generation += 1
        generation, flt = self._generation, self._filter
        limit = max(PAGE_SIZE, min(len(self._rows), MAX_RELOAD))
        self._loading = True
        viewer = self._viewer
        self._tasks.run(lambda: self._orders.search(flt, None, limit, viewer=viewer),
                        lambda rows: self._replace(generation, rows, limit),
                        lambda err: self._failed(generation, err), owner=self)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 - Qt's API
        return not parent.isValid() and self._has_more and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008 - Qt's API
        if not self.canFetchMore(parent):
            return
        self._loading = True
        generation, flt = self._generation, self._filter
        after = (self._rows[-1].called_at, self._rows[-1].id) if self._rows else None
        viewer = self._viewer
        self._tasks.run(lambda: self._orders.search(flt, after, PAGE_SIZE, viewer=viewer),
                        lambda rows: self._append(generation, rows),
                        lambda err: self._failed(generation, err), owner=self)

    def _append(self, generation: int, rows: list[OrderRow]) -> None:
        if generation != self._generation:
            return  # a newer filter or reload replaced this request
        self._loading = False
        self._has_more = len(rows) == PAGE_SIZE
        self._pages_loaded += 1
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self._late.extend(self._late_text(r) for r in rows)
            self.endInsertRows()
        self.page_loaded.emit()

    def _replace(self, generation: int, rows: list[OrderRow], limit: int) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self._rows = list(rows)
        self._late = [self._late_text(r) for r in rows]
        self._has_more = len(rows) == limit
        self._loading = False
        self.endResetModel()
        self.reloaded.emit()
        self.page_loaded.emit()

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            self._loading = False
            self._has_more = False
        if self._tasks.default_error is not None:
            self._tasks.default_error(error)

    def _late_text(self, row: OrderRow) -> str:
        """Which promises are running late now (empty when none); a cancelled order's
        promises are stopped."""
        if row.status == OrderStatus.CANCELLED.value:
            return label(ClockState.STOPPED)
        if not OrderStatus(row.status).open:
            return ""
        sla = clocks(SlaTimes(row.called_at, row.responded_at, row.arrived_at, row.cleared_at),
                     self._now())
        late = [label(c.promise) for c in sla.values() if c.state is ClockState.OVERDUE]
        return ("⚠ " + "、".join(late)) if late else ""

    # -- reading ------------------------------------------------------------------------------
    def row_at(self, row: int) -> OrderRow:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col, index.row())
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if role == Qt.ItemDataRole.BackgroundRole and col == COL_STATUS:
            return status_colour(row.status)
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == COL_SLA:
                return OVERDUE_TEXT
            if col == COL_NUMBER and row.source == OrderSource.HEAD_OFFICE.value:
                return HEAD_OFFICE_TEXT
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_SLA:
            return self._late[index.row()] or None  # whole, when the column elides it
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_NUMBER \
                and row.source == OrderSource.HEAD_OFFICE.value:
            return tr("Dispatched by head office")
        return None

    def _display(self, row: OrderRow, col: int, position: int) -> str:
        if col == COL_NUMBER:
            if row.source == OrderSource.HEAD_OFFICE.value:
                return f"{row.number}  {tr('HQ')}"
            return row.number
        if col == COL_TYPE:
            return _label(OrderType, row.order_type)
        if col == COL_STATUS:
            return _label(OrderStatus, row.status)
        if col == COL_CUSTOMER:
            return row.customer_name
        if col == COL_PHONE:
            return row.contact_phone
        if col == COL_MODEL:
            return row.product_model
        if col == COL_TECH:
            return row.technician_name
        if col == COL_CALLED:
            return local_time(row.called_at)
        return self._late[position]


def _label(enum_type: type[Enum], value: str) -> str:
    try:
        return label(enum_type(value))
    except ValueError:
        return value
