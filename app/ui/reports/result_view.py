"""One ``ReportResult`` on screen, whatever the report: its title and range, then each table
(read-only, as tall as its rows) beside the charts drawn from it, then the notes saying how
the figures are counted."""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.report_tables import ReportResult, Table
from app.i18n import tr
from app.ui.reports.charts import make_chart
from app.ui.reports.table_model import ReportTableModel

ROW_HEIGHT = 24
#: a longer table scrolls inside its own frame
MAX_VISIBLE_ROWS = 18
MIN_COLUMN = 70
#: a wider table scrolls sideways (its charts keep the rest of the row)
MAX_TABLE_WIDTH = 1080
#: a table at most this wide has its charts beside it; a wider one has them under it
BESIDE_WIDTH = 560


def _heading(text: str, delta: int = 2) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSize(font.pointSize() + delta)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def table_view(table: Table, tz: tzinfo | None) -> QTableView:
    view = QTableView(objectName=f"table_{table.key}")
    model = ReportTableModel(table, tz, view)
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setMinimumSectionSize(MIN_COLUMN)
    header.setStretchLastSection(False)
    view.resizeColumnsToContents()
    rows = min(model.rowCount(), MAX_VISIBLE_ROWS)
    height = header.sizeHint().height() + max(rows, 1) * ROW_HEIGHT + 2 * view.frameWidth() + 2
    width = sum(header.sectionSize(c) for c in range(model.columnCount()))
    width += 2 * view.frameWidth()
    if model.rowCount() > MAX_VISIBLE_ROWS:
        width += view.verticalScrollBar().sizeHint().width()
    if width > MAX_TABLE_WIDTH:  # it scrolls sideways: the scroll bar must not hide a row
        height += view.horizontalScrollBar().sizeHint().height()
    view.setFixedHeight(height)
    view.setFixedWidth(min(width, MAX_TABLE_WIDTH))
    view.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    return view


class ResultView(QWidget):
    """Shows ``result``; ``tables`` and ``charts`` keep the shown views by table key."""

    def __init__(self, result: ReportResult, tz: tzinfo | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result = result
        self.tables: dict[str, QTableView] = {}
        self.charts: dict[str, list[QWidget]] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(8)
        title = _heading(tr(result.title), 4)
        title.setObjectName("result_title")
        layout.addWidget(title)
        layout.addWidget(QLabel(tr("{start} to {end}", start=result.query.start.isoformat(),
                                   end=result.query.end.isoformat()),
                                objectName="result_range"))
        for table in result.tables:
            layout.addWidget(_heading(tr(table.title)))
            view = table_view(table, tz)
            self.tables[table.key] = view
            charts = [make_chart(spec, table, tz) for spec in result.charts
                      if spec.table == table.key]
            if charts:
                self.charts[table.key] = charts
            row = QHBoxLayout()
            row.addWidget(view, 0, Qt.AlignmentFlag.AlignTop)
            if charts and view.width() <= BESIDE_WIDTH:
                for chart in charts:
                    row.addWidget(chart, 1)
                layout.addLayout(row)
                continue
            row.addStretch(1)
            layout.addLayout(row)
            if charts:  # under a wide table, side by side across the page
                under = QHBoxLayout()
                for chart in charts:
                    under.addWidget(chart, 1)
                layout.addLayout(under)
        # charts over a table not in the result would be a report's bug: they are not drawn
        if result.notes:
            notes = QLabel("\n".join(f"· {tr(n)}" for n in result.notes), objectName="notes")
            notes.setWordWrap(True)
            notes.setStyleSheet("color: #555555;")
            layout.addWidget(notes)
        layout.addStretch(1)
