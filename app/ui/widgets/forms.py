"""A form layout that shows a service's error next to the field it names.

``RuleViolation.field`` picks the row; the message appears in red under that field and the
field gets the focus. Errors naming no known field appear in the form's general error line.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from app.i18n import render, tr

ERROR_STYLE = "color: #c62828;"
INVALID_PROPERTY = "invalid"


def error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


class ErrorForm(QFormLayout):
    """``add_row(label, widget, "phone")``; ``show_error(err)``; ``clear_errors()``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._rows: dict[str, tuple[QWidget, QLabel]] = {}
        self.general = error_label()

    def add_row(self, label_source: str, widget: QWidget, *fields: str) -> QWidget:
        """Adds ``widget`` under the translated label; ``fields`` are the error field names."""
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(widget)
        message = error_label()
        box.addWidget(message)
        self.addRow(tr(label_source), holder)
        for name in fields:
            self._rows[name] = (widget, message)
        return widget

    def add_general_error_row(self) -> None:
        self.addRow(self.general)

    def knows(self, field: str | None) -> bool:
        return field is not None and field in self._rows

    def show_error(self, error: BaseException) -> None:
        """Shows ``error`` by its field (focusing it), else in the general line."""
        self.clear_errors()
        field = getattr(error, "field", None)
        text = render(error)
        if field in self._rows:
            widget, label = self._rows[field]
            label.setText(text)
            label.show()
            widget.setProperty(INVALID_PROPERTY, True)
            widget.setStyleSheet("border: 1px solid #c62828;")
            widget.setFocus()
        else:
            self.general.setText(text)
            self.general.show()

    def error_text(self, field: str | None = None) -> str:
        """The message shown for ``field`` (or the general one); for tests and screen readers."""
        if field is None:
            return "" if self.general.isHidden() else self.general.text()
        widget_label = self._rows.get(field)
        if widget_label is None or widget_label[1].isHidden():
            return ""
        return widget_label[1].text()

    def clear_errors(self) -> None:
        self.general.hide()
        self.general.clear()
        for widget, label in self._rows.values():
            label.hide()
            label.clear()
            if widget.property(INVALID_PROPERTY):
                widget.setProperty(INVALID_PROPERTY, False)
                widget.setStyleSheet("")
