"""What the printing actions do: read the order on the database worker, build the PDF and
its page images on the slow pool, then preview, print, save or open it. The paper size, the
printer and the save folder are remembered in the UI settings.

Every flow ends with ``finished(kind, result)`` or ``failed(kind, message)`` so windows and
tests can follow it; errors are also shown to the person through the prompts. A sheet holding
characters no embedded font draws (only text from head office can) is printed with 〓 for
them after the person, warned through the prompts, chose to go on; stopping ends the flow
quietly, like closing the printer dialog.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.domain.text_rules import shown
from app.i18n import render, tr
from app.printing.data import OrderSheet, Paper
from app.services import events
from app.ui.extensions import UiContext
from app.ui.printing.output import PrintJob, paper_of, set_paper
from app.ui.printing.prompts import PrintPrompts

PAPER_KEY = "printing.paper"
PRINTER_KEY = "printing.printer"
FOLDER_KEY = "printing.save_dir"
DOCUMENT_KEY = "printing.document"
DEFAULT_DOCUMENT = "report"


#: files handed to the system viewer are kept this long, then removed on a later open
VIEWER_FILES_KEPT = timedelta(days=7)


def prune(folder: Path, keep: str, now: float | None = None) -> None:
    """Removes the viewer's old PDFs from ``folder`` so it does not grow forever."""
    if not folder.is_dir():
        return
    cutoff = (time.time() if now is None else now) - VIEWER_FILES_KEPT.total_seconds()
    for old in folder.glob("*.pdf"):
        try:
            if old.name != keep and old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            pass  # open in a viewer on Windows: try again next time


@dataclass
class BatchOutcome:
    total: int
    printed: list[str] = field(default_factory=list)  # order numbers, in print order
    pages: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    cancelled: bool = False
    #: (order number, characters) of printed orders whose text from head office holds
    #: characters no font draws: they printed as 〓
    placeholders: list[tuple[str, list[str]]] = field(default_factory=list)


class PrintController(QObject):
    finished = Signal(str, object)
    failed = Signal(str, str)

    def __init__(self, ctx: UiContext, prompts: PrintPrompts | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.prompts = prompts or PrintPrompts()
        self._jobs: list[QPrinter] = []  # keeps printers alive while a worker paints on them
        self.progress: QProgressDialog | None = None
        #: the manager's printer and paper per document (设置), read off the GUI thread
        self.defaults: dict[str, tuple[str, Paper | None]] = {}
        self._read_defaults()
        ctx.changes.changed.connect(self._on_changed)

    def _read_defaults(self) -> None:
        self.ctx.tasks.run(self.ctx.services.station_settings.print_defaults,
                           self._defaults_read, lambda _exc: None, owner=self)

    def _defaults_read(self, defaults: dict[str, tuple[str, Paper | None]]) -> None:
        self.defaults = defaults

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if events.STATION in kinds:
            self._read_defaults()

    @property
    def window(self) -> QWidget | None:
        """Where dialogs open: the owning editor or page (asked, never stored, so the
        controller holds no reference back to it)."""
        parent = self.parent()
        return parent if isinstance(parent, QWidget) else None

    # -- remembered choices -------------------------------------------------------------------
    def paper(self) -> Paper:
        """The document's paper set in 设置, else the one last printed on."""
        preset = self.defaults.get(self.document(), ("", None))[1]
        if preset is not None:
            return preset
        try:
            return Paper(self.ctx.settings.get(PAPER_KEY, Paper.A4.value))
        except ValueError:
            return Paper.A4

    def set_paper(self, paper: Paper) -> None:
        self.ctx.settings.set(PAPER_KEY, Paper(paper).value)

    def document(self) -> str:
        name = self.ctx.settings.get(DOCUMENT_KEY, DEFAULT_DOCUMENT)
        known = [d.name for d in self.ctx.services.reports.documents()]
        return name if name in known else DEFAULT_DOCUMENT

    def set_document(self, name: str) -> None:
        self.ctx.settings.set(DOCUMENT_KEY, name)

    def new_printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        # the document's printer set in 设置, else the one last printed on
        saved = self.defaults.get(self.document(), ("", None))[0] or self.ctx.settings.get(
            PRINTER_KEY)
        if saved and saved in QPrinterInfo.availablePrinterNames():
            printer.setPrinterName(saved)
        set_paper(printer, self.paper())
        return printer

    def _remember(self, printer: QPrinter) -> None:
        self.set_paper(paper_of(printer))
        if printer.outputFormat() == QPrinter.OutputFormat.NativeFormat and printer.printerName():
            self.ctx.settings.set(PRINTER_KEY, printer.printerName())

    # -- one order ----------------------------------------------------------------------------
    def preview(self, order_id: str, document: str | None = None) -> None:
        self._with_sheet("preview", order_id, lambda s: self.preview_sheet(s, document))

    def print_order(self, order_id: str, document: str | None = None) -> None:
        printer = self._ask_printer()
        if printer is not None:
            self._with_sheet("print", order_id,
                             lambda s: self.print_sheet(s, document, printer=printer))

    def save_pdf(self, order_id: str, document: str | None = None) -> None:
        self._with_sheet("save", order_id, lambda s: self.save_sheet(s, document))

    def open_external(self, order_id: str, document: str | None = None) -> None:
        self._with_sheet("open", order_id, lambda s: self.open_sheet(s, document))

    # -- an order already read ----------------------------------------------------------------
    def preview_sheet(self, sheet: OrderSheet, document: str | None = None) -> None:
        from app.ui.printing.preview import PreviewDialog

        dialog = PreviewDialog(self, sheet, document or self.document(), self.window)
        dialog.show()
        self.finished.emit("preview", dialog)

    def print_sheet(self, sheet: OrderSheet, document: str | None = None, *,
                    printer: QPrinter | None = None) -> None:
        printer = printer or self._ask_printer()
        if printer is None:
            return
        name, reports = document or self.document(), self.ctx.services.reports
        paper = paper_of(printer)
        self._jobs.append(printer)

        def work() -> int:
            job = PrintJob(printer)
            try:
                job.add(reports.pdf(name, sheet, paper))
            finally:
                job.finish()
            return job.pages

        self.ctx.tasks.run(work, lambda pages: self._printed(printer, pages),
                           lambda exc: self._failed("print", exc, printer), owner=self,
                           slow=True)

    def save_sheet(self, sheet: OrderSheet, document: str | None = None,
                   path: Path | None = None) -> None:
        name = document or self.document()
        if path is None:
            folder = Path(self.ctx.settings.get(FOLDER_KEY) or Path.home())
            path = self.prompts.save_path(self.window, folder / f"{sheet.number}-{name}.pdf")
            if path is None:
                return
        self.ctx.settings.set(FOLDER_KEY, str(path.parent))
        reports, paper = self.ctx.services.reports, self.paper()
        self.ctx.tasks.run(lambda: reports.save(name, sheet, paper, path),
                           lambda saved: self._done("save", saved),
                           lambda exc: self._failed("save", exc), owner=self, slow=True)

    def open_sheet(self, sheet: OrderSheet, document: str | None = None) -> None:
        name = document or self.document()
        path = self.ctx.services.paths.root / "print" / f"{sheet.number}-{name}.pdf"
        reports, paper = self.ctx.services.reports, self.paper()

        def opened(saved: Path) -> None:
            if not self.prompts.open_file(saved):
                self._failed("open", OSError(tr("No program is set up to open PDF files.")))
                return
            self._done("open", saved)

        def work() -> Path:
            prune(path.parent, keep=path.name)
            return reports.save(name, sheet, paper, path)

        self.ctx.tasks.run(work, opened, lambda exc: self._failed("open", exc), owner=self,
                           slow=True)

    # -- many orders --------------------------------------------------------------------------
    def batch_print(self, order_ids: list[str], document: str | None = None) -> None:
        """Prints the orders in one job in the background, with progress and cancel."""
        if not order_ids:
            return
        printer = self._ask_printer()
        if printer is None:
            return
        name, reports = document or self.document(), self.ctx.services.reports
        paper, ids = paper_of(printer), list(order_ids)
        self._jobs.append(printer)

        def work(report, cancelled) -> BatchOutcome:
            outcome = BatchOutcome(total=len(ids))
            job = PrintJob(printer)
            try:
                letterhead = reports.letterhead()
                for done, order_id in enumerate(ids):
                    if cancelled():
                        outcome.cancelled = True
                        break
                    try:
                        # a read only: SQLite serves it beside the database worker
                        sheet = reports.sheet(order_id, letterhead, viewer=self.ctx.actor)
                        pdf = reports.pdf(name, sheet, paper)
                        if cancelled():
                            outcome.cancelled = True
                            break
                        job.add(pdf)  # an order's pages are never cut in half
                        outcome.printed.append(sheet.number)
                        if missing := reports.unprintable(sheet):
                            outcome.placeholders.append((sheet.number, missing))
                    except OSError:
                        raise  # the printer itself failed: stop the job
                    except Exception as exc:  # one bad order must not stop the batch
                        outcome.failures.append((order_id, render(exc)))
                    report(done + 1, len(ids), tr("Printed {done} of {total}",
                                                  done=done + 1, total=len(ids)))
            finally:
                job.finish()
                outcome.pages = job.pages
            return outcome

        self.progress = self.ctx.tasks.run_with_progress(
            work, lambda outcome: self._batch_done(printer, outcome),
            lambda exc: self._failed("batch", exc, printer),
            title=tr("Printing {count} orders", count=len(ids)), parent=self.window,
        )

    # -- plumbing -----------------------------------------------------------------------------
    def _ask_printer(self) -> QPrinter | None:
        printer = self.new_printer()
        if not self.prompts.choose_printer(self.window, printer):
            return None
        self._remember(printer)
        return printer

    def _with_sheet(self, kind: str, order_id: str, then: Callable[[OrderSheet], None]) -> None:
        reports = self.ctx.services.reports

        def read() -> tuple[OrderSheet, list[str]]:
            # on the worker: the first look at the fonts' coverage reads the font files
            sheet = reports.sheet(order_id, viewer=self.ctx.actor)
            return sheet, reports.unprintable(sheet)

        def got(result: tuple[OrderSheet, list[str]]) -> None:
            sheet, missing = result
            if not missing or self.prompts.confirm(self.window, tr(
                    "This paper holds characters that no font can draw: {chars}. They will "
                    "print as 〓. Go on?", chars=shown(missing))):
                then(sheet)

        self.ctx.tasks.run(read, got, lambda exc: self._failed(kind, exc), owner=self)

    def _printed(self, printer: QPrinter, pages: int) -> None:
        self._release(printer)
        self.ctx.status_message(tr("Sent {pages} pages to the printer.", pages=pages))
        self._done("print", pages)

    def _batch_done(self, printer: QPrinter, outcome: BatchOutcome) -> None:
        self._release(printer)
        text = tr("Printed {done} of {total} orders.", done=len(outcome.printed),
                  total=outcome.total)
        if outcome.failures:
            self.prompts.error(self.window, text + "\n" + "\n".join(
                f"{key}: {message}" for key, message in outcome.failures))
        if outcome.placeholders:
            # a batch cannot stop to ask for each order; it says afterwards which ones
            self.prompts.error(self.window, tr(
                "These orders hold characters no font can draw; they printed as 〓:") + "\n"
                + "\n".join(f"{number}: {' '.join(chars)}"
                             for number, chars in outcome.placeholders))
        self.ctx.status_message(text)
        self._done("batch", outcome)

    def _release(self, printer: QPrinter | None) -> None:
        if printer is not None and printer in self._jobs:
            self._jobs.remove(printer)

    def _done(self, kind: str, result: object) -> None:
        self.finished.emit(kind, result)

    def report_failure(self, kind: str, exc: BaseException) -> None:
        """Shows a failed step (also of the preview dialog) and emits ``failed``."""
        self._failed(kind, exc)

    def _failed(self, kind: str, exc: BaseException, printer: QPrinter | None = None) -> None:
        self._release(printer)
        message = render(exc) if getattr(exc, "template", None) else (
            tr("Printing failed: {reason}", reason=str(exc) or type(exc).__name__))
        self.prompts.error(self.window, message)
        self.failed.emit(kind, message)
