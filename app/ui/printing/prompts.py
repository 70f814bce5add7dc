"""The questions printing asks a person (which printer, where to save, whether to print a
paper with characters no font draws) and what it hands to the desktop (open a file, show an
error), in one replaceable object so tests answer them without modal dialogs.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from app.i18n import tr


class PrintPrompts:
    def choose_printer(self, parent: QWidget | None, printer: QPrinter) -> bool:
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle(tr("Print"))
        return dialog.exec() == QDialog.DialogCode.Accepted

    def save_path(self, parent: QWidget | None, suggested: Path) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(parent, tr("Save as PDF"), str(suggested),
                                              tr("PDF files (*.pdf)"))
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")

    def open_file(self, path: Path) -> bool:
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def error(self, parent: QWidget | None, message: str) -> None:
        QMessageBox.warning(parent, tr("Printing"), message)

    def confirm(self, parent: QWidget | None, message: str) -> bool:
        """A warning the person may go on past; stopping is the default."""
        box = QMessageBox(QMessageBox.Icon.Warning, tr("Printing"), message,
                          QMessageBox.StandardButton.NoButton, parent)
        go_on = box.addButton(tr("Go on"), QMessageBox.ButtonRole.AcceptRole)
        stop = box.addButton(tr("Stop"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(stop)
        box.setEscapeButton(stop)
        box.exec()
        return box.clickedButton() is go_on
