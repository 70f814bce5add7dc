"""The questions a status move asks (which technician, why cancel, how satisfied).

One object so tests can answer them without modal dialogs.
"""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QWidget

from app.i18n import tr
from app.services.users import UserInfo

SATISFACTION_LEVELS = (5, 4, 3, 2, 1)


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

    def satisfaction(self, parent: QWidget) -> int | None:
        items = [tr("{n} — {meaning}", n=n, meaning=tr(_MEANING[n])) for n in SATISFACTION_LEVELS]
        choice, ok = QInputDialog.getItem(parent, tr("Customer visit"),
                                          tr("Customer satisfaction:"), items, 0, False)
        if not ok:
            return None
        return SATISFACTION_LEVELS[items.index(choice)]


_MEANING = {
    5: "very satisfied",
    4: "satisfied",
    3: "neutral",
    2: "dissatisfied",
    1: "very dissatisfied",
}
