"""维修知识库: type a symptom (and a model if known) and read what past repairs of it found,
did and used, best first; the selected suggestion is shown whole below the list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.ui.extensions import UiContext
from app.ui.knowledge.suggestions import SuggestionPanel, suggestion_tip

PAGE_LIMIT = 20


class KnowledgePage(QWidget):
    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.symptom = QLineEdit(objectName="knowledge_symptom")
        self.symptom.setPlaceholderText(
            tr("Type the fault as the customer describes it, e.g. 不制冷"))
        self.symptom.setClearButtonEnabled(True)
        self.model = QLineEdit(objectName="knowledge_model")
        self.model.setPlaceholderText(tr("Product model (optional)"))
        self.model.setMaximumWidth(240)
        self.look_up = QPushButton(tr("Look up"), objectName="knowledge_look_up")
        self.results = SuggestionPanel(ctx, limit=PAGE_LIMIT)
        self.results.set_model_source(lambda: self.model.text().strip() or None)
        self.detail = QLabel(objectName="knowledge_detail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setStyleSheet("QLabel { background: #f7f7f7; padding: 6px; }")

        self.symptom.textChanged.connect(self.results.ask)
        self.model.textChanged.connect(lambda _t: self.results.ask(self.symptom.text()))
        self.symptom.returnPressed.connect(self.refresh)
        self.model.returnPressed.connect(self.refresh)
        self.look_up.clicked.connect(self.refresh)
        self.results.list.currentRowChanged.connect(self._selected)
        self.results.answered.connect(lambda _found: self._selected(
            self.results.list.currentRow()))

        form = QFormLayout()
        row = QHBoxLayout()
        row.addWidget(self.symptom, 1)
        row.addWidget(self.model)
        row.addWidget(self.look_up)
        form.addRow(tr("Symptom"), row)
        layout = QVBoxLayout(self)
        title = QLabel(tr("Repair knowledge"))
        title.setStyleSheet("font-size: 16px; font-weight: bold;")
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.detail)
        self._selected(-1)

    def refresh(self) -> None:
        self.results.ask_now(self.symptom.text())

    def focus_search(self) -> None:
        self.symptom.setFocus()
        self.symptom.selectAll()

    def _selected(self, row: int) -> None:
        found = self.results.suggestions
        if 0 <= row < len(found):
            self.detail.setText(suggestion_tip(found[row]))
            self.detail.show()
        else:
            self.detail.hide()
