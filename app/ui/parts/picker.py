"""Choosing a part: a box for its number or name (Enter searches, so a barcode scanner that
types the number and Enter picks the part at once) and the list of matches. An exact part
number, or a single match, is picked straight away; otherwise the person picks from the list.
"""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.i18n import tr
from app.services.parts_catalogue import PartInfo
from app.ui.extensions import UiContext
from app.ui.formatting import yuan

MATCHES = 30


class PartPicker(QWidget):
    #: a part was chosen (PartInfo)
    picked = Signal(object)
    #: a search finished (for tests)
    searched = Signal()
    #: the search was refused (the service's error)
    failed = Signal(object)

    def __init__(self, ctx: UiContext, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.box = QLineEdit(objectName=object_name)
        self.box.setPlaceholderText(tr("Part number or name — scan or type, Enter"))
        self.box.setClearButtonEnabled(True)
        self.box.returnPressed.connect(self.search)
        self.matches = QListWidget(objectName=f"{object_name}_matches")
        self.matches.setMaximumHeight(110)
        self.matches.hide()
        self.matches.itemActivated.connect(self._chosen)
        self.matches.itemDoubleClicked.connect(self._chosen)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.box)
        layout.addWidget(self.matches)

    def focus_box(self) -> None:
        self.box.setFocus()
        self.box.selectAll()

    def search(self) -> None:
        text = self.box.text().strip()
        if not text:
            return
        catalogue = self.ctx.services.catalogue
        self.ctx.tasks.run(lambda: catalogue.search(text, limit=MATCHES),
                           lambda found: self._show(text, found), self.failed.emit, owner=self)

    def _show(self, text: str, found: list[PartInfo]) -> None:
        wanted = unicodedata.normalize("NFKC", text).strip().upper()
        exact = [p for p in found if p.part_no == wanted]
        self.matches.clear()
        if exact or len(found) == 1:
            self.matches.hide()
            self._pick((exact or found)[0])
        else:
            for part in found:
                item = QListWidgetItem(f"{part.part_no}  {part.name}  {part.specification}  "
                                       f"{yuan(part.retail_price_fen)}")
                item.setData(Qt.ItemDataRole.UserRole, part)
                self.matches.addItem(item)
            if not found:
                self.matches.addItem(tr("No part matches '{text}'.", text=text))
            self.matches.show()
            if found:
                self.matches.setCurrentRow(0)
        self.searched.emit()

    def _chosen(self, item: QListWidgetItem) -> None:
        part = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(part, PartInfo):
            self.matches.hide()
            self._pick(part)

    def _pick(self, part: PartInfo) -> None:
        self.box.clear()
        self.picked.emit(part)
