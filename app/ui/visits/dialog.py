"""The visit dialog: the same form for one order, opened by the order editor's 回访 action;
it closes (accepted) once the visit is saved."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from app.i18n import tr
from app.services.users import StationInfo
from app.services.visits import QueueRow
from app.ui.extensions import UiContext
from app.ui.parts.common import ErrorLine
from app.ui.visits.form import VisitForm


class VisitDialog(QDialog):
    def __init__(self, ctx: UiContext, order_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(tr("Return visit"))
        self.resize(980, 560)
        self.error = ErrorLine("visit_dialog_error")
        self.form = VisitForm(ctx)
        self.form.saved.connect(lambda _result: self.accept())
        buttons = QDialogButtonBox()
        close = buttons.addButton(tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.error)
        layout.addWidget(self.form, 1)
        layout.addWidget(buttons)
        visits, users = ctx.services.visits, ctx.services.users
        ctx.tasks.run(lambda: (visits.queue_row(order_id, viewer=ctx.actor), users.station()),
                      self._show,
                      self.error.show_error, owner=self)

    def _show(self, result: tuple[QueueRow, StationInfo | None]) -> None:
        row, station = result
        self.setWindowTitle(tr("Return visit {number}", number=row.number))
        self.form.set_call(row, station)
        self.form.rows[next(iter(self.form.rows))].setFocus()
