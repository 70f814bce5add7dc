"""The parts papers (销售小票, 盘点表, 旧件返厂清单, 旧件标签) through the window's printing
controller: the sheet of the sale, count or shipment is read by its number on the database
worker (with the characters no font draws, as for orders), then previewed, printed or saved
by ``PrintController``. Each paper remembers its own paper size, since the receipt prints on
the 80 mm roll and the others on A4. While a paper is being built ``busy(True)`` drives the
page's progress bar.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSizeF, Signal
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget

from app.domain.text_rules import shown
from app.i18n import tr
from app.printing.data import Paper
from app.ui.extensions import UiContext
from app.ui.printing.controller import FOLDER_KEY, PrintController
from app.ui.printing.output import PrintJob, set_paper
from app.ui.printing.pages import render_pages
from app.ui.printing.prompts import PrintPrompts

PAPER_KEY = "printing.paper.{document}"
#: the roll is as long as the receipt; the printer's driver cuts it
ROLL_SIZE = QPageSize(QSizeF(80, 297), QPageSize.Unit.Millimeter, "80 mm",
                      QPageSize.SizeMatchPolicy.ExactMatch)


def roll_size(pdf: bytes) -> QPageSize:
    """The receipt's page on the 80 mm roll: as long as the PDF's first page."""
    image = render_pages(pdf, 12, 0, 0)[0]
    length = 80 * image.height() / max(1, image.width())
    return QPageSize(QSizeF(80, max(40.0, length)), QPageSize.Unit.Millimeter, "80 mm",
                     QPageSize.SizeMatchPolicy.ExactMatch)


class PartsPrinter(PrintController):
    """``preview(document, number)``, ``print_paper(...)``, ``save(...)`` of a parts paper."""

    busy = Signal(bool)

    def __init__(self, ctx: UiContext, prompts: PrintPrompts | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, prompts, parent)
        self.current = ""
        self.finished.connect(lambda *_: self.busy.emit(False))
        self.failed.connect(lambda *_: self.busy.emit(False))

    # -- the paper each document prints on ----------------------------------------------------
    def papers(self, document: str) -> tuple[Paper, ...]:
        return self.ctx.services.reports.spec(document).papers

    def paper(self) -> Paper:
        if not self.current:
            return super().paper()
        papers = self.papers(self.current)
        saved = self.ctx.settings.get(PAPER_KEY.format(document=self.current))
        return Paper(saved) if saved in {p.value for p in papers} else papers[0]

    def set_paper(self, paper: Paper) -> None:
        if self.current:
            self.ctx.settings.set(PAPER_KEY.format(document=self.current), Paper(paper).value)
        else:
            super().set_paper(paper)

    def new_printer(self) -> QPrinter:
        if self.paper() is not Paper.ROLL80:
            return super().new_printer()
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(ROLL_SIZE)
        printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        return printer

    def _remember(self, printer: QPrinter) -> None:
        pass  # the paper is the document's choice, not the print dialog's

    # -- the flows ----------------------------------------------------------------------------
    def preview(self, document: str, number: str) -> None:  # type: ignore[override]
        self._read(document, number, lambda sheet: self.preview_sheet(sheet, document))

    def print_paper(self, document: str, number: str) -> None:
        self.current = document
        printer = self._ask_printer()
        if printer is not None:
            self._read(document, number,
                       lambda sheet: self.print_sheet(sheet, document, printer=printer))

    def save(self, document: str, number: str) -> None:
        self._read(document, number, lambda sheet: self.save_sheet(sheet, document))

    def print_sheet(self, sheet, document: str | None = None, *,
                    printer: QPrinter | None = None) -> None:
        """As the orders' print, on the document's own paper (the roll included)."""
        self.current = document or self.current
        printer = printer or self._ask_printer()
        if printer is None:
            self.busy.emit(False)
            return
        name, reports, paper = self.current, self.ctx.services.reports, self.paper()
        if paper is not Paper.ROLL80:
            set_paper(printer, paper)
        self._jobs.append(printer)

        def work() -> int:
            pdf = reports.pdf(name, sheet, paper)
            if paper is Paper.ROLL80:
                # the roll is cut where the receipt ends: one page as long as its content
                printer.setPageSize(roll_size(pdf))
            job = PrintJob(printer)
            try:
                job.add(pdf)
            finally:
                job.finish()
            return job.pages

        self.busy.emit(True)
        self.ctx.tasks.run(work, lambda pages: self._printed(printer, pages),
                           lambda exc: self._failed("print", exc, printer), owner=self,
                           slow=True)

    def save_sheet(self, sheet, document: str | None = None, path: Path | None = None) -> None:
        self.current = document or self.current
        if path is None:
            folder = Path(self.ctx.settings.get(FOLDER_KEY) or Path.home())
            path = self.prompts.save_path(self.window,
                                          folder / f"{sheet.number}-{self.current}.pdf")
            if path is None:
                return
        self.busy.emit(True)
        super().save_sheet(sheet, self.current, path)

    def _read(self, document: str, number: str, then: Callable[[object], None]) -> None:
        self.current = document
        reports = self.ctx.services.reports

        def read() -> tuple[object, list[str]]:
            sheet = reports.subject_sheet(document, number)
            return sheet, reports.unprintable(sheet)

        def got(result: tuple[object, list[str]]) -> None:
            sheet, missing = result
            self.busy.emit(False)
            if not missing or self.prompts.confirm(self.window, tr(
                    "This paper holds characters that no font can draw: {chars}. They will "
                    "print as 〓. Go on?", chars=shown(missing))):
                then(sheet)

        self.busy.emit(True)
        self.ctx.tasks.run(read, got, lambda exc: self._failed(document, exc), owner=self)
