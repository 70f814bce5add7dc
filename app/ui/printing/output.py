"""Sending PDFs to a printer: each page rendered by pdfium at the printer's resolution and
drawn with QPainter onto the QPrinter, page after page, in one print job.

Qt supports painting on a QPrinter from a worker thread, so a batch streams order after
order without holding every page in memory and without blocking the window.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter

from app.printing.data import Paper
from app.ui.printing.pages import page_count, render_pages

#: enough for sharp text on office printers, small enough to keep a page in memory
MAX_DPI = 300
PAGE_SIZES = {Paper.A4: QPageSize.PageSizeId.A4, Paper.A5: QPageSize.PageSizeId.A5}


def set_paper(printer: QPrinter, paper: Paper) -> None:
    printer.setPageSize(QPageSize(PAGE_SIZES[paper]))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)


def paper_of(printer: QPrinter) -> Paper:
    """The paper chosen in the print dialog (A5 when A5, A4 for anything else)."""
    size_id = printer.pageLayout().pageSize().id()
    return Paper.A5 if size_id == QPageSize.PageSizeId.A5 else Paper.A4


class PrintJob:
    """One print job on ``printer``: ``add(pdf)`` draws every page of one PDF."""

    def __init__(self, printer: QPrinter) -> None:
        self.printer = printer
        self.painter: QPainter | None = None
        self.pages = 0
        self.dpi = min(printer.resolution(), MAX_DPI)
        # paint in paper coordinates: the PDF carries its own margins
        printer.setFullPage(True)

    def add(self, pdf: bytes, cancelled: Callable[[], bool] = lambda: False) -> int:
        """Prints the PDF's pages; returns how many were printed."""
        printed = 0
        for index in range(page_count(pdf)):
            if cancelled():
                break
            image = render_pages(pdf, self.dpi, index, index)[0]
            if self.painter is None:
                self.painter = QPainter()
                if not self.painter.begin(self.printer):
                    self.painter = None
                    raise OSError("the printer could not be opened")
            elif not self.printer.newPage():
                raise OSError("the printer refused a new page")
            self.painter.drawImage(_fit(self.printer, image), image)
            printed += 1
            self.pages += 1
        return printed

    def finish(self) -> None:
        if self.painter is not None:
            self.painter.end()
            self.painter = None


def _fit(printer: QPrinter, image: QImage) -> QRectF:
    """The page's place on the paper: scaled to fit, aspect kept, from the top left (a PDF
    page on the paper it was made for fills it exactly)."""
    paper = printer.pageLayout().fullRectPixels(printer.resolution())
    scale = min(paper.width() / image.width(), paper.height() / image.height())
    return QRectF(0, 0, image.width() * scale, image.height() * scale)


def print_pdfs(printer: QPrinter, pdfs: Iterable[bytes],
               cancelled: Callable[[], bool] = lambda: False) -> int:
    """Prints each PDF of ``pdfs`` in one job; returns the pages printed."""
    job = PrintJob(printer)
    try:
        for pdf in pdfs:
            if cancelled():
                break
            job.add(pdf, cancelled)
    finally:
        job.finish()
    return job.pages
