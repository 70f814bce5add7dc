"""相似维修 in the order editor: the panel under the fault of an existing order (its own model,
the order itself left out, a suggestion copied into the repair record form) and under the
fault of a new order (the model typed on the form)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from app.i18n import tr
from app.services.knowledge import Suggestion
from app.ui.knowledge.suggestions import SuggestionPanel

if TYPE_CHECKING:
    from app.ui.orders.editor_dialog import OrderEditor

PANEL_HEIGHT = 190


def order_panel(editor: OrderEditor, fault: QPlainTextEdit) -> SuggestionPanel:
    """For the details tab of an existing order."""
    panel = SuggestionPanel(editor.ctx, limit=5)
    panel.setMaximumHeight(PANEL_HEIGHT)

    def model() -> str | None:
        detail = editor.current_order()
        return detail.product.model if detail and detail.product else None

    panel.follow(fault, model, editor.order_id)
    panel.offer_copy(lambda s: copy_to_repair_form(editor, s))
    return panel


def new_order_panel(editor: OrderEditor, fault: QPlainTextEdit,
                    model: QLineEdit) -> SuggestionPanel:
    """For the new-order form: the model is what the clerk typed for the product."""
    panel = SuggestionPanel(editor.ctx, limit=5)  # beside the order's fields: their height
    panel.follow(fault, lambda: model.text().strip() or None)
    return panel


def copy_to_repair_form(editor: OrderEditor, s: Suggestion) -> None:
    """Puts the suggestion's diagnosis and actions into the repair record form (when the
    user may add a record there) and shows that tab; nothing is saved until 添加维修记录."""
    repairs = getattr(editor, "repairs", None)
    if repairs is None or not repairs.diagnosis.isEnabled():
        editor.show_message(tr("No repair record can be added to this order now."))
        return
    repairs.diagnosis.setPlainText(s.diagnosis)
    repairs.actions.setPlainText(s.actions)
    editor.tabs.setCurrentWidget(repairs)
