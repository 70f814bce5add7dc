"""总览: the dashboard's tiles (``app.services.dashboard``), read off the GUI thread when
the page opens, on F5 and shortly after any change is committed. Each tile opens the list
behind its figure through ``ctx.open_page`` (the orders page filtered, the low-stock list,
the visit queue, the claims page, the SLA report of this month, the sync conflicts).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain.enums import OrderStatus
from app.i18n import tr
from app.services.dashboard import DashboardFigures
from app.ui.dashboard.tile import ALERT, GOOD, NORMAL, Tile
from app.ui.extensions import UiContext
from app.ui.formatting import local_time, yuan
from app.ui.parts.common import ErrorLine

REFRESH_DELAY_MS = 500
COLUMNS = 3
#: SLA compliance below this shows in red, at or above the goal in green
SLA_WARN = 0.8
SLA_GOAL = 0.95


@dataclass(frozen=True)
class TileSpec:
    key: str
    #: English source text of the caption
    caption: str
    #: the page it opens and what that page is asked to show
    page: str
    what: dict[str, Any]
    #: (figure, detail, colour) from the figures
    show: Callable[[DashboardFigures], tuple[str, str, str]]
    #: English source text of the tooltip saying what a click opens
    opens: str = "Click or press Enter to open the list"


def _sla(f: DashboardFigures) -> tuple[str, str, str]:
    share = f.sla_share
    if share is None:
        return "—", tr("No orders this month yet"), NORMAL
    colour = ALERT if share < SLA_WARN else GOOD if share >= SLA_GOAL else NORMAL
    return (f"{share * 100:.1f}%",
            tr("{within} of {orders} orders within the promises", within=f.sla_within,
               orders=f.sla_orders), colour)


TILES: tuple[TileSpec, ...] = (
    TileSpec("today_new", "New today", "orders", {"today": True},
             lambda f: (str(f.today_new), tr("Orders called in since midnight"), NORMAL)),
    TileSpec("open", "Open orders", "orders", {"status": "open"},
             lambda f: (str(f.open_orders), tr("Neither closed nor cancelled"), NORMAL)),
    TileSpec("overdue", "Overdue orders", "orders", {"overdue": True},
             lambda f: (str(f.overdue), tr("A promise running late right now"),
                        ALERT if f.overdue else GOOD)),
    # an order counts when it kept every promise; the report it opens counts each promise
    TileSpec("sla", "SLA this month", "reports", {"report": "sla", "preset": "this_month"},
             _sla, "Opens this month's service-time report (each promise on its own)"),
    TileSpec("waiting_parts", "Waiting for parts", "orders",
             {"status": OrderStatus.WAITING_PARTS.value},
             lambda f: (str(f.waiting_parts), tr("Orders in status waiting for parts"),
                        NORMAL)),
    TileSpec("low_stock", "Low stock", "stock", {"low": True},
             lambda f: (str(f.low_stock), tr("Parts at or below their threshold"),
                        ALERT if f.low_stock else NORMAL)),
    TileSpec("visits", "Visits due", "visits", {},
             lambda f: (str(f.visits_due),
                        tr("{late} past their day", late=f.visits_overdue),
                        ALERT if f.visits_overdue else NORMAL)),
    TileSpec("claims", "Claims awaiting decision", "claims", {},
             lambda f: (str(f.claims_waiting),
                        tr("Batches submitted, {amount} claimed",
                           amount=yuan(f.claims_waiting_fen)), NORMAL)),
    TileSpec("outbox", "Waiting for head office", "conflicts", {},
             lambda f: (str(f.outbox_pending), tr("Changes not yet received by head office"),
                        NORMAL),
             "Opens the sync conflicts; F9 sends the changes now"),
)


class DashboardPage(QWidget):
    #: the figures were read and shown (DashboardFigures)
    loaded = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.figures: DashboardFigures | None = None
        self._stale = False
        self.tiles: dict[str, Tile] = {}
        title = QLabel(tr("Overview"), objectName="dashboard_title")
        font = title.font()
        font.setPointSize(font.pointSize() + 6)
        font.setBold(True)
        title.setFont(font)
        self.updated = QLabel(objectName="dashboard_updated")
        self.updated.setStyleSheet("color: #57606a;")
        self.refresh_button = QPushButton(tr("Refresh"), objectName="dashboard_refresh")
        self.refresh_button.setToolTip("F5")
        self.refresh_button.setAutoDefault(False)
        self.refresh_button.clicked.connect(self.refresh)
        head = QHBoxLayout()
        head.addWidget(title)
        head.addSpacing(16)
        head.addWidget(self.updated)
        head.addStretch(1)
        head.addWidget(self.refresh_button)
        self.error = ErrorLine("dashboard_error")

        grid = QGridLayout()
        grid.setSpacing(12)
        for position, spec in enumerate(TILES):
            tile = Tile(spec.key, tr(spec.caption))
            tile.setToolTip(tr(spec.opens))
            tile.activated.connect(lambda s=spec: self.open_list(s.key))
            self.tiles[spec.key] = tile
            grid.addWidget(tile, position // COLUMNS, position % COLUMNS)
        for col in range(COLUMNS):
            grid.setColumnStretch(col, 1)
        hint = QLabel(tr("Each figure opens the list behind it (click, or Tab to it and press "
                         "Enter)."), objectName="dashboard_hint")
        hint.setStyleSheet("color: #57606a;")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(head)
        layout.addWidget(self.error)
        layout.addLayout(grid)
        layout.addWidget(hint)
        layout.addStretch(1)

        self._timer = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        ctx.changes.changed.connect(self._on_changed)
        self.refresh()

    def refresh(self) -> None:
        """Reads the figures again (F5, and after every committed change)."""
        if self.ctx.tasks.closed:  # a change seen while the program shuts down
            return
        service, actor = self.ctx.services.dashboard, self.ctx.actor
        self.ctx.tasks.run(lambda: service.figures(actor), self._show, self._failed,
                           owner=self)

    def _on_changed(self, _kinds: frozenset[str]) -> None:
        # a hidden dashboard reads nothing; it catches up when it is shown again
        if self.isVisible():
            self._timer.start()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.refresh()

    def _show(self, figures: DashboardFigures) -> None:
        self.error.clear_error()
        self.figures = figures
        for spec in TILES:
            self.tiles[spec.key].show_figure(*spec.show(figures))
        self.updated.setText(tr("Updated {time}", time=local_time(figures.computed_at)))
        self.loaded.emit(figures)

    def _failed(self, error: BaseException) -> None:
        self.error.show_error(error)

    def open_list(self, key: str) -> QWidget | None:
        """Opens the list behind tile ``key``."""
        spec = next(s for s in TILES if s.key == key)
        return self.ctx.open_page(spec.page, **spec.what)
