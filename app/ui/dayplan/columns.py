"""One technician's column of the day plan: his booked visits as cards in time order. A card
dragged onto another column (or onto a card there) is not moved by Qt: the column announces
``dropped(appointment_id, technician_id, row)`` and the page asks the service to move it.
"""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem

from app.i18n import tr
from app.services.appointment_types import PlanVisit

#: the longest fault a card shows (the whole fault is its tooltip and on the route sheet)
CARD_FAULT = 60
COLUMN_WIDTH = 260
ROLE_VISIT = Qt.ItemDataRole.UserRole


def window_text(visit: PlanVisit, tz: tzinfo | None) -> str:
    start, end = visit.starts_at.astimezone(tz), visit.ends_at.astimezone(tz)
    return f"{start:%H:%M}–{end:%H:%M}"


def card_text(visit: PlanVisit, tz: tzinfo | None) -> str:
    fault = visit.fault if len(visit.fault) <= CARD_FAULT else visit.fault[:CARD_FAULT] + "…"
    lines = [f"{window_text(visit, tz)}  {visit.customer_name}", visit.order_number,
             visit.phone, visit.address, fault]
    if visit.parts:
        lines.append(tr("Parts: {parts}", parts="、".join(
            f"{p.name} ×{p.quantity}" for p in visit.parts)))
    return "\n".join(line for line in lines if line)


class VisitColumn(QListWidget):
    """The cards of one technician (``technician_id`` "" for visits nobody is booked for)."""

    dropped = Signal(str, str, int)

    def __init__(self, technician_id: str, name: str) -> None:
        super().__init__()
        self.technician_id = technician_id
        self.technician_name = name
        self.setObjectName(f"column_{technician_id or 'none'}")
        self.setAccessibleName(name)
        self.setWordWrap(True)
        self.setSpacing(3)
        self.setFixedWidth(COLUMN_WIDTH)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setStyleSheet("QListWidget::item { border: 1px solid #9aa5b1; border-radius: 4px;"
                           " padding: 4px; background: #f7f9fb; color: #1f2933; }"
                           "QListWidget::item:selected { background: #cfe3ff;"
                           " border: 2px solid #2f6fd6; }")

    def show_visits(self, visits: list[PlanVisit], tz: tzinfo | None) -> None:
        self.clear()
        for visit in visits:
            item = QListWidgetItem(card_text(visit, tz))
            item.setData(ROLE_VISIT, visit)
            item.setToolTip(f"{visit.address}\n{visit.fault}")
            self.addItem(item)

    def visits(self) -> list[PlanVisit]:
        return [self.item(i).data(ROLE_VISIT) for i in range(self.count())]

    def visit_at(self, row: int) -> PlanVisit | None:
        item = self.item(row) if row >= 0 else None
        return None if item is None else item.data(ROLE_VISIT)

    # -- drag and drop ------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if isinstance(event.source(), VisitColumn):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if isinstance(event.source(), VisitColumn):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        source = event.source()
        item = source.currentItem() if isinstance(source, VisitColumn) else None
        # the plan is redrawn from the service once the move is stored: Qt moves nothing
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()
        if item is None:
            return
        row = self.indexAt(event.position().toPoint()).row()
        self.dropped.emit(item.data(ROLE_VISIT).appointment_id, self.technician_id, row)
