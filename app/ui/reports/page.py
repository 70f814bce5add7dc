"""统计报表: choose a report, a date range (or a preset) and the filters; the figures are
computed off the GUI thread and shown as tables and charts (``ResultView``); 导出 Excel,
导出 CSV and 打印/PDF write the shown result through ``app.services.report_export`` on the
slow pool. A refused question (an end before the start) shows in the page.

Keys: F5 (the window's 刷新) runs the report again, Ctrl+E exports to Excel, Ctrl+Shift+E to
CSV, Ctrl+P saves the PDF and opens it for printing.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import OrderSource, OrderType
from app.domain.errors import RuleViolation
from app.domain.report_tables import ReportQuery, ReportResult
from app.i18n import tr
from app.printing.data import StationHeader
from app.services.station_reports import FilterChoices, ReportInfo
from app.ui.extensions import UiContext
from app.ui.formatting import label
from app.ui.parts.common import ErrorLine
from app.ui.reports.periods import PRESETS, preset_range
from app.ui.reports.prompts import ReportPrompts
from app.ui.reports.result_view import ResultView

FOLDER_KEY = "reports.save_dir"
SHORTCUTS = {"xlsx": "Ctrl+E", "csv": "Ctrl+Shift+E", "pdf": "Ctrl+P"}


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class ReportsPage(QWidget):
    #: a result is on screen (the ReportResult)
    shown = Signal(object)
    #: a run was refused or failed (the error)
    failed = Signal(object)
    #: an export finished (its Path) or failed (the error)
    exported = Signal(object)

    def __init__(self, ctx: UiContext, prompts: ReportPrompts | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.prompts = prompts or ReportPrompts()
        self.reports = ctx.services.station_reports
        self.tz: tzinfo = self.reports.tz or datetime.now().astimezone().tzinfo  # type: ignore[assignment]
        self.result: ReportResult | None = None
        self.view: ResultView | None = None
        self.station: StationHeader | None = None
        self._technicians: dict[str, str] = {}
        self._generation = 0
        self._ready = False
        self._wanted: tuple[str | None, str | None] | None = None

        self.report_choice = QComboBox(objectName="report_choice")
        self.report_choice.setMinimumWidth(160)
        self.report_choice.activated.connect(self.refresh)
        self.start_edit = self._date_edit("start_date")
        self.end_edit = self._date_edit("end_date")
        self.preset_buttons: dict[str, QPushButton] = {}
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Report")))
        top.addWidget(self.report_choice)
        top.addSpacing(12)
        top.addWidget(QLabel(tr("Date range")))
        top.addWidget(self.start_edit)
        top.addWidget(QLabel(tr("to")))
        top.addWidget(self.end_edit)
        top.addSpacing(8)
        for key, text in PRESETS:
            button = QPushButton(tr(text), objectName=f"preset_{key}")
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, k=key: self.use_preset(k))
            self.preset_buttons[key] = button
            top.addWidget(button)
        top.addStretch(1)

        self.technician_filter = self._filter("technician_filter")
        self.type_filter = self._filter("type_filter")
        for kind in OrderType:
            self.type_filter.addItem(label(kind), kind.value)
        self.category_filter = self._filter("category_filter")
        self.source_filter = self._filter("source_filter")
        for source in OrderSource:
            self.source_filter.addItem(label(source), source.value)
        self.busy = QProgressBar(objectName="report_busy")
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(90)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.run_button = self._button("Refresh", "run_report", "F5", self.refresh)
        self.excel_button = self._button("Export Excel", "export_xlsx", SHORTCUTS["xlsx"],
                                         lambda: self.export("xlsx"))
        self.csv_button = self._button("Export CSV", "export_csv", SHORTCUTS["csv"],
                                       lambda: self.export("csv"))
        self.pdf_button = self._button("Print / PDF", "export_pdf", SHORTCUTS["pdf"],
                                       lambda: self.export("pdf"))
        for button, fmt in ((self.excel_button, "xlsx"), (self.csv_button, "csv"),
                            (self.pdf_button, "pdf")):
            button.setShortcut(QKeySequence(SHORTCUTS[fmt]))
        filters = QHBoxLayout()
        for caption, combo in (("Technician", self.technician_filter),
                               ("Order type", self.type_filter),
                               ("Product category", self.category_filter),
                               ("Source", self.source_filter)):
            filters.addWidget(QLabel(tr(caption)))
            filters.addWidget(combo)
            filters.addSpacing(6)
        filters.addStretch(1)
        filters.addWidget(self.busy)
        for button in (self.run_button, self.excel_button, self.csv_button, self.pdf_button):
            filters.addWidget(button)

        self.error = ErrorLine("report_error")
        self.saved_label = QLabel(objectName="export_result")
        self.saved_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.saved_label.hide()
        self.placeholder = QLabel(tr("Choose a report and its dates; the figures show here."),
                                  objectName="report_placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet("color: #757575;")
        self.scroll = QScrollArea(objectName="report_area")
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.placeholder)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.error)
        layout.addWidget(self.saved_label)
        layout.addWidget(self.scroll, 1)

        self.use_preset("this_month", run=False)
        self._set_exportable(False)
        self.ctx.tasks.run(self._load_choices, self._show_choices, self._load_failed,
                           owner=self)

    # -- building -----------------------------------------------------------------------------
    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit(objectName=name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumWidth(110)
        return edit

    def _filter(self, name: str) -> QComboBox:
        combo = QComboBox(objectName=name)
        combo.addItem(tr("All"), None)
        combo.setMinimumWidth(90)
        combo.activated.connect(self.refresh)
        return combo

    def _button(self, text: str, name: str, keys: str, slot) -> QPushButton:  # type: ignore[no-untyped-def]
        button = QPushButton(tr(text), objectName=name)
        button.setToolTip(keys)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def _set_exportable(self, on: bool) -> None:
        for button in (self.excel_button, self.csv_button, self.pdf_button):
            button.setEnabled(on)

    # -- the choices --------------------------------------------------------------------------
    def _load_choices(self) -> tuple[list[ReportInfo], FilterChoices, StationHeader | None]:
        header = self.ctx.services.reports.letterhead_if_set_up()
        return self.reports.catalogue(), self.reports.choices(), header

    def _show_choices(self,
                      loaded: tuple[list[ReportInfo], FilterChoices, StationHeader | None]) -> None:
        catalogue, choices, self.station = loaded
        for info in catalogue:
            self.report_choice.addItem(tr(info.title), info.name)
        self._technicians = dict(choices.technicians)
        for tech_id, name in choices.technicians:
            self.technician_filter.addItem(name, tech_id)
        for category in choices.categories:
            self.category_filter.addItem(category, category)
        self._ready = True
        if self._wanted is not None:
            self.show_with(report=self._wanted[0], preset=self._wanted[1])
        else:
            self.refresh()

    def _load_failed(self, error: BaseException) -> None:
        self.error.show_error(error)
        self.failed.emit(error)

    def show_with(self, *, report: str | None = None, preset: str | None = None) -> None:
        """Runs ``report`` (when the catalogue has it) over ``preset`` (the dashboard's SLA
        figure opens the SLA report of this month)."""
        if not self._ready:
            self._wanted = (report, preset)
            return
        self._wanted = None
        index = self.report_choice.findData(report) if report else -1
        if index >= 0:
            self.report_choice.setCurrentIndex(index)
        if preset:
            self.use_preset(preset)
        else:
            self.refresh()

    # -- the question -------------------------------------------------------------------------
    def today(self) -> date:
        return self.reports.clock().astimezone(self.tz).date()

    def use_preset(self, key: str, run: bool = True) -> None:
        start, end = preset_range(key, self.today())
        self.set_range(start, end)
        if run:
            self.refresh()

    def set_range(self, start: date, end: date) -> None:
        self.start_edit.setDate(_qdate(start))
        self.end_edit.setDate(_qdate(end))

    def choose(self, combo: QComboBox, data: object) -> None:
        """Selects the entry of ``combo`` holding ``data`` (None: 全部)."""
        index = combo.findData(data)
        if index < 0:
            raise KeyError(data)
        combo.setCurrentIndex(index)

    def report_name(self) -> str | None:
        return self.report_choice.currentData()

    def query(self) -> ReportQuery:
        return ReportQuery(
            start=_day(self.start_edit.date()), end=_day(self.end_edit.date()),
            technician_id=self.technician_filter.currentData(),
            order_type=self.type_filter.currentData(),
            category=self.category_filter.currentData(),
            source=self.source_filter.currentData(),
        )

    # -- running ------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Runs the chosen report for the range and filters shown (the window's F5)."""
        name = self.report_name()
        if not self._ready or name is None:
            return
        query, actor, reports = self.query(), self.ctx.actor, self.reports
        self._generation += 1
        generation = self._generation
        self.error.clear_error()
        self._busy(True)
        self.ctx.tasks.run(lambda: reports.run(actor, name, query),
                           lambda result: self._show(generation, result),
                           lambda exc: self._failed(generation, exc), owner=self)

    def _busy(self, on: bool) -> None:
        self.busy.setVisible(on)
        self.run_button.setEnabled(not on)

    def _show(self, generation: int, result: ReportResult) -> None:
        if generation != self._generation:
            return
        self._busy(False)
        self.result = result
        self.view = ResultView(result, self.tz)
        self.view.setObjectName("report_result")
        old = self.scroll.takeWidget()
        if old is not None and old is not self.placeholder:
            old.deleteLater()
        self.scroll.setWidget(self.view)
        self._set_exportable(True)
        self.shown.emit(result)

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self._busy(False)
        self.error.show_error(error)
        self.failed.emit(error)

    # -- export -------------------------------------------------------------------------------
    def suggested_path(self, fmt: str) -> Path:
        folder = Path(self.ctx.settings.get(FOLDER_KEY) or Path.home())
        result = self.result
        assert result is not None
        stem = f"{tr(result.title)}_{result.query.start.isoformat()}_{result.query.end.isoformat()}"
        return folder / f"{stem}.{fmt}"

    def export(self, fmt: str, path: Path | None = None) -> None:
        """Writes the shown result as ``fmt`` (xlsx, csv, pdf) to ``path`` or where the person
        chooses; a PDF is then opened for printing."""
        result = self.result
        if result is None:
            self.error.show_error(RuleViolation("Run a report before exporting it."))
            return
        if path is None:
            path = self.prompts.save_path(self, self.suggested_path(fmt), fmt)
            if path is None:
                return
        self.ctx.settings.set(FOLDER_KEY, str(path.parent))
        tz, station = self.tz, self.station
        technician = self._technicians.get(result.query.technician_id or "")
        target = path

        def work() -> Path:
            from app.services import report_export  # openpyxl and reportlab: on first use

            return report_export.export(result, target, fmt, tz=tz, station=station,
                                        technician=technician)

        self.error.clear_error()
        self._set_exportable(False)
        self.ctx.tasks.run(work, lambda saved: self._exported(saved, fmt), self._export_failed,
                           owner=self, slow=True)

    def _exported(self, saved: Path, fmt: str) -> None:
        self._set_exportable(self.result is not None)
        message = tr("Saved to {path}", path=str(saved))
        self.saved_label.setText(message)
        self.saved_label.show()
        self.ctx.status_message(message)
        if fmt == "pdf":
            self.prompts.open_file(saved)
        self.exported.emit(saved)

    def _export_failed(self, error: BaseException) -> None:
        self._set_exportable(self.result is not None)
        self.error.show_error(error)
        self.exported.emit(error)
