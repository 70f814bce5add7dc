"""What the reports page asks the person (where to save an export) and hands to the desktop
(open the saved PDF to print it), in one replaceable object so tests answer without dialogs.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from app.i18n import tr
from app.ui.printing.prompts import PrintPrompts

FILTERS = {
    "xlsx": "Excel workbooks (*.xlsx)",
    "csv": "CSV files (*.csv)",
    "pdf": "PDF files (*.pdf)",
}
TITLES = {"xlsx": "Export to Excel", "csv": "Export to CSV", "pdf": "Print / PDF"}


class ReportPrompts:
    def __init__(self, printing: PrintPrompts | None = None) -> None:
        self.printing = printing or PrintPrompts()

    def save_path(self, parent: QWidget | None, suggested: Path, fmt: str) -> Path | None:
        """The file to write ``fmt`` to (its suffix added when the person left it out)."""
        name, _ = QFileDialog.getSaveFileName(parent, tr(TITLES[fmt]), str(suggested),
                                              tr(FILTERS[fmt]))
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == f".{fmt}" else path.with_name(f"{path.name}.{fmt}")

    def open_file(self, path: Path) -> bool:
        return self.printing.open_file(path)
