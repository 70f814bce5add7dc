"""Qt fixtures for the printing window tests: the UI tests' warning guard and runner, and
prompts that answer without modal dialogs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPrintSupport import QPrinter

from app.printing.data import Paper
from app.ui.printing.output import set_paper
from tests.ui.conftest import ctx_for, fail_on_qt_warnings, runner  # noqa: F401 - fixtures


class FakePrompts:
    """Chooses a PDF-file 'printer' at a low resolution, a save path, and records the rest."""

    def __init__(self, folder: Path, paper: Paper = Paper.A4, accept: bool = True) -> None:
        self.folder = folder
        self.paper = paper
        self.accept = accept
        self.printed_to = folder / "printer-output.pdf"
        self.saved_to = folder / "saved.pdf"
        self.opened: list[Path] = []
        self.errors: list[str] = []
        self.suggested: list[Path] = []

    def choose_printer(self, parent, printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(self.printed_to))
        printer.setResolution(72)
        set_paper(printer, self.paper)
        return self.accept

    def save_path(self, parent, suggested: Path) -> Path | None:
        self.suggested.append(suggested)
        return self.saved_to

    def open_file(self, path: Path) -> bool:
        self.opened.append(path)
        return True

    def error(self, parent, message: str) -> None:
        self.errors.append(message)
