"""The questions a status move asks (which technician, why cancel, the return visit).

One object so tests can answer them without modal dialogs.
"""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QWidget

from app.i18n import tr
from app.services.users import UserInfo


class Prompts:
    def choose_technician(self, parent: QWidget, technicians: list[UserInfo],
                          current_id: str | None) -> str | None:
        if not technicians:
            return None
        names = [t.display_name for t in technicians]
        start = next((i for i, t in enumerate(technicians) if t.id == current_id), 0)
        name, ok = QInputDialog.getItem(parent, tr("Assign"), tr("Technician:"), names, start,
                                        False)
        if not ok:
            return None
        return technicians[names.index(name)].id

    def cancel_reason(self, parent: QWidget) -> str | None:
        text, ok = QInputDialog.getText(parent, tr("Cancel order"), tr("Reason for cancelling:"))
        return text if ok else None

    def return_visit(self, parent: QWidget, ctx, order_id: str) -> bool:
        """The return-visit dialog (four scores, comments, complaint); True once saved."""
        from app.ui.visits.dialog import VisitDialog

        return VisitDialog(ctx, order_id, parent).exec() == VisitDialog.DialogCode.Accepted
