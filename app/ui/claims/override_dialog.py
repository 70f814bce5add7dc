"""说明/强制提交: the manager's written reason to send a claim line despite a warning. The
dialog lists the line's warnings not yet explained, asks for the reason and gives it back; the
service keeps it (and refuses an empty one, so OK stays disabled until something is written).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.domain.claims import MAX_OVERRIDE_REASON, Check
from app.i18n import tr
from app.services.claims import ClaimLineInfo
from app.ui.formatting import label
from app.ui.widgets.text_field import MultiLineField


class OverrideDialog(QDialog):
    def __init__(self, line: ClaimLineInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="claim_override_dialog")
        self.setWindowTitle(tr("Explain and submit anyway"))
        self.warnings = [f for f in line.findings if f.check.overridable]
        intro = QLabel(tr("Line {n} of order {order}: write why head office should pay it "
                          "despite the warning. The reason is kept with the claim.",
                          n=line.position + 1, order=line.order_number))
        intro.setWordWrap(True)
        self.check = QComboBox(objectName="claim_override_check")
        for f in self.warnings:
            self.check.addItem(label(f.check), f.check.value)
        first_open = next((i for i, f in enumerate(self.warnings) if not f.overridden), 0)
        self.check.setCurrentIndex(first_open)
        self.detail = QLabel(objectName="claim_override_detail")
        self.detail.setWordWrap(True)
        self.reason = MultiLineField(objectName="claim_override_reason")
        self.reason.setPlaceholderText(tr("Reason (required, at most {n} characters)",
                                          n=MAX_OVERRIDE_REASON))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(tr("Keep the reason"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(tr("Warning"), self.check)
        form.addRow("", self.detail)
        form.addRow(tr("Reason"), self.reason)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.check.currentIndexChanged.connect(self._chosen)
        self.reason.textChanged.connect(self._typed)
        self._chosen()
        self.resize(460, 300)

    def _chosen(self) -> None:
        f = self.chosen_finding()
        if f is None:
            self.detail.clear()
        else:
            self.detail.setText(tr(f.template, **f.params))
        self._typed()

    def _typed(self) -> None:
        self.ok.setEnabled(bool(self.reason.toPlainText().strip()) and bool(self.warnings))

    def chosen_finding(self):
        i = self.check.currentIndex()
        return self.warnings[i] if 0 <= i < len(self.warnings) else None

    def answer(self) -> tuple[Check, str] | None:
        """(the warning, the reason as written) once accepted."""
        f = self.chosen_finding()
        if f is None:
            return None
        return f.check, self.reason.toPlainText()
