"""A form layout that shows a service's error next to the field it names.

``RuleViolation.field`` picks the row; the message appears in red under that field and the
field gets the focus. Errors naming no known field appear in the form's general error line.
``FieldErrors`` (several fields refused at once) marks every field it names together.
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
        """Shows ``error`` by its field (focusing it), else in the general line; several
        at once (``FieldErrors.errors``) each by its field, the first one focused."""
        self.clear_errors()
        self.add_errors(list(getattr(error, "errors", None) or [error]), focus=True)

    def add_errors(self, errors: list[BaseException], focus: bool = False) -> None:
        """Marks each error by its field (the others go to the general line) without clearing
        what is shown; ``focus`` puts the cursor in the first marked field."""
        general: list[str] = []
        focused = not focus
        for error in errors:
            field = getattr(error, "field", None)
            text = render(error)
            if field in self._rows:
                widget, label = self._rows[field]
                label.setText(text if label.isHidden() else f"{label.text()}\n{text}")
                label.show()
                widget.setProperty(INVALID_PROPERTY, True)
                widget.setStyleSheet("border: 1px solid #c62828;")
                if not focused:
                    widget.setFocus()
                    focused = True
            else:
                general.append(text)
        if general:
            shown = [] if self.general.isHidden() else [self.general.text()]
            self.general.setText("\n".join(shown + general))
            self.general.show()

    def invalid_fields(self) -> list[str]:
        """The fields marked red now (for tests and screen readers)."""
        return [name for name, (_w, label) in self._rows.items() if not label.isHidden()]

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
