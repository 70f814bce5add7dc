"""领用配件 on the order editor: an action in the editor's toolbar opens a window with the
parts on the order (issued, reserved, old-part tags), a part picker and a quantity to issue
from stock, and the return of unused units. Each write returns the fresh order, which the
editor shows at once, so its charge lines (the part's line, priced from the catalogue) are
current; the services also announce the change to every other view.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from app.domain.enums import OrderStatus
from app.domain.permissions import Permission
from app.i18n import tr
from app.services.order_parts import (
    MAX_LINE_QUANTITY,
    PARTS_STATES,
    Availability,
    OrderPartLine,
)
from app.services.orders import OrderDetail
from app.services.parts_catalogue import PartInfo
from app.ui.extensions import UiContext
from app.ui.formatting import yuan
from app.ui.parts.common import fill, make_table, row_key
from app.ui.parts.picker import PartPicker
from app.ui.widgets.forms import ErrorForm

HEADERS = ("Part number", "Part name", "On the order", "Issued", "Reserved", "Unit price",
           "Old-part tags")


def may_take_parts(ctx: UiContext, detail: OrderDetail | None) -> bool:
    """The assigned technician or the manager, on an order still being worked on."""
    if detail is None or OrderStatus(detail.status) not in PARTS_STATES:
        return False
    return ctx.actor.may(Permission.PARTS_ISSUE, assigned_to=detail.technician_id)


class OrderPartsDialog(QDialog):
    #: the parts on the order were (re)read
    lines_loaded = Signal()

    def __init__(self, ctx: UiContext, editor: Any) -> None:
        super().__init__(editor)
        self.ctx = ctx
        self.editor = editor
        self.part: PartInfo | None = None
        self.lines: list[OrderPartLine] = []
        self._allowed = False
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("order_parts_dialog")
        self.resize(960, 600)

        self.table = make_table(HEADERS, "order_parts_table",
                                {0: 140, 1: 200, 2: 80, 3: 70, 4: 60, 5: 100}, stretch=6)
        self.table.itemSelectionChanged.connect(self._line_chosen)

        self.picker = PartPicker(ctx, "issue_part_search")
        self.picker.picked.connect(self.choose_part)
        self.chosen = QLabel(tr("No part chosen"), objectName="issue_part_chosen")
        self.quantity = QSpinBox(objectName="issue_quantity")
        self.quantity.setRange(1, MAX_LINE_QUANTITY)
        self.issue_button = QPushButton(tr("Issue to this order"), objectName="issue_part")
        self.issue_button.setEnabled(False)
        self.issue_button.clicked.connect(self.issue)
        self.reserve_button = QPushButton(tr("Reserve for this order"),
                                          objectName="reserve_part")
        self.reserve_button.setToolTip(tr("Set units aside for this order, also more than "
                                          "the shelf holds: the order waits for them"))
        self.reserve_button.setEnabled(False)
        self.reserve_button.clicked.connect(self.reserve)
        self.issue_form = ErrorForm()
        self.issue_form.add_row("Part", self.picker, "part_id", "part_no", "text")
        self.issue_form.addRow("", self.chosen)
        self.issue_form.add_row("Quantity", self.quantity, "quantity")
        self.issue_form.add_general_error_row()
        issue_buttons = QHBoxLayout()
        issue_buttons.addWidget(self.issue_button, 1)
        issue_buttons.addWidget(self.reserve_button)
        self.issue_form.addRow(issue_buttons)
        self.picker.failed.connect(self.issue_form.show_error)
        issue_box = QGroupBox(tr("Issue parts from stock"))
        issue_box.setLayout(self.issue_form)

        self.return_quantity = QSpinBox(objectName="return_quantity")
        self.return_quantity.setRange(1, MAX_LINE_QUANTITY)
        self.return_reason = QLineEdit(objectName="return_reason")
        self.return_button = QPushButton(tr("Return unused to stock"), objectName="return_part")
        self.return_button.setEnabled(False)
        self.return_button.clicked.connect(self.return_selected)
        self.return_form = ErrorForm()
        self.return_form.add_row("Quantity", self.return_quantity, "quantity")
        self.return_form.add_row("Reason", self.return_reason, "reason")
        self.return_form.add_general_error_row()
        self.release_button = QPushButton(tr("Release the reservation"),
                                          objectName="release_part")
        self.release_button.setEnabled(False)
        self.release_button.clicked.connect(self.release_selected)
        return_buttons = QHBoxLayout()
        return_buttons.addWidget(self.return_button, 1)
        return_buttons.addWidget(self.release_button)
        self.return_form.addRow(return_buttons)
        return_box = QGroupBox(tr("Return the selected part"))
        return_box.setLayout(self.return_form)

        boxes = QHBoxLayout()
        boxes.addWidget(issue_box, 3)
        boxes.addWidget(return_box, 2)
        close = QDialogButtonBox()
        close.addButton(tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(boxes)
        layout.addWidget(close)
        editor.order_loaded.connect(self._order_loaded)
        self._order_loaded(editor.current_order())

    def _order_loaded(self, detail: OrderDetail | None) -> None:
        if detail is None:
            return
        self.setWindowTitle(tr("Parts of order {number}", number=detail.number))
        allowed = may_take_parts(self.ctx, detail)
        self.picker.setEnabled(allowed)
        self.quantity.setEnabled(allowed)
        self.issue_button.setEnabled(allowed and self.part is not None)
        self.reserve_button.setEnabled(allowed and self.part is not None)
        self._allowed = allowed
        self._line_chosen()
        self.reload()

    def reload(self) -> None:
        order_id, service = self.editor.order_id(), self.ctx.services.order_parts
        if order_id is None:
            return
        self.ctx.tasks.run(lambda: service.lines(order_id), self._show_lines,
                           self.issue_form.show_error, owner=self)

    def _show_lines(self, lines: list[OrderPartLine]) -> None:
        self.lines = lines
        chosen = self.selected_part_id()
        fill(self.table, lines, lambda ln: (
            ln.part_no, ln.name, ln.quantity, ln.issued, ln.reserved, yuan(ln.unit_price_fen),
            "、".join(ln.old_part_tags)), right=(2, 3, 4, 5), key=lambda ln: ln.part_id)
        ids = [ln.part_id for ln in lines]
        if chosen in ids:
            self.table.selectRow(ids.index(chosen))
        self._line_chosen()
        self.lines_loaded.emit()

    # -- issuing ------------------------------------------------------------------------------
    def choose_part(self, part: PartInfo) -> None:
        self.part = part
        self.issue_form.clear_errors()
        self.chosen.setText(f"{part.part_no}  {part.name}  {yuan(part.retail_price_fen)}")
        order_id, service = self.editor.order_id(), self.ctx.services.order_parts
        self.ctx.tasks.run(lambda: service.availability(part.id, order_id),
                           lambda free: self._show_available(part, free), owner=self)
        self.issue_button.setEnabled(self._allowed)
        self.reserve_button.setEnabled(self._allowed)
        self.quantity.setFocus()
        self.quantity.selectAll()

    def _show_available(self, part: PartInfo, free: Availability) -> None:
        if self.part is not None and self.part.id == part.id:
            self.chosen.setText(tr("{part}  {name}  {price}  — {free} {unit} free to issue "
                                   "({have} on the shelf)", part=part.part_no, name=part.name,
                                   price=yuan(part.retail_price_fen), free=free.available,
                                   unit=part.unit, have=free.on_hand))

    def issue(self) -> None:
        detail = self.editor.current_order()
        if detail is None or self.part is None:
            return
        actor, service = self.ctx.actor, self.ctx.services.order_parts
        order_id, revision, part_id = detail.id, detail.revision, self.part.id
        quantity = self.quantity.value()
        self.issue_form.clear_errors()
        self.editor.run_service(
            lambda: service.issue(actor, order_id, part_id, quantity, revision),
            self.issue_form, on_done=lambda _d: self._issued())

    def reserve(self) -> None:
        """Sets units aside for the order (it may then wait for parts from head office)."""
        detail = self.editor.current_order()
        if detail is None or self.part is None:
            return
        actor, service = self.ctx.actor, self.ctx.services.order_parts
        order_id, part_id, quantity = detail.id, self.part.id, self.quantity.value()
        self.issue_form.clear_errors()
        self.ctx.tasks.run(lambda: service.reserve(actor, order_id, part_id, quantity),
                           lambda _available: (self._issued(), self.reload()),
                           self.issue_form.show_error, owner=self)

    def _issued(self) -> None:
        self.part = None
        self.chosen.setText(tr("No part chosen"))
        self.issue_button.setEnabled(False)
        self.reserve_button.setEnabled(False)
        self.quantity.setValue(1)
        self.picker.focus_box()

    # -- returning ----------------------------------------------------------------------------
    def selected_part_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return row_key(self.table, rows[0].row()) if rows else None

    def _line_chosen(self) -> None:
        part_id = self.selected_part_id()
        line = next((ln for ln in self.lines if ln.part_id == part_id), None)
        self.return_button.setEnabled(self._allowed
                                      and line is not None and line.issued > 0)
        self.release_button.setEnabled(self._allowed
                                       and line is not None and line.reserved > 0)

    def return_selected(self) -> None:
        detail, part_id = self.editor.current_order(), self.selected_part_id()
        if detail is None or part_id is None:
            return
        actor, service = self.ctx.actor, self.ctx.services.order_parts
        order_id, revision = detail.id, detail.revision
        quantity, reason = self.return_quantity.value(), self.return_reason.text()
        self.return_form.clear_errors()
        self.editor.run_service(
            lambda: service.return_parts(actor, order_id, part_id, quantity, revision, reason),
            self.return_form, on_done=lambda _d: self.return_reason.clear())


    def release_selected(self) -> None:
        order_id, part_id = self.editor.order_id(), self.selected_part_id()
        if order_id is None or part_id is None:
            return
        actor, service = self.ctx.actor, self.ctx.services.order_parts
        self.return_form.clear_errors()
        self.ctx.tasks.run(lambda: service.release(actor, order_id, part_id),
                           lambda _available: self.reload(), self.return_form.show_error,
                           owner=self)


class OrderPartsAction(QAction):
    """领用配件 in the order editor's toolbar; enabled for whoever may take parts."""

    def __init__(self, ctx: UiContext, editor: Any) -> None:
        super().__init__(tr("Issue parts…"), editor)
        self.setObjectName("order_parts")
        self.setToolTip(tr("Issue parts from stock to this order, or return unused ones"))
        self.ctx = ctx
        self.editor = editor
        self.dialog: OrderPartsDialog | None = None
        self.setEnabled(False)
        editor.order_loaded.connect(self._order_loaded)
        self.triggered.connect(self.open_dialog)

    def _order_loaded(self, detail: OrderDetail) -> None:
        self.setEnabled(may_take_parts(self.ctx, detail))

    def open_dialog(self) -> OrderPartsDialog:
        if self.dialog is None:
            self.dialog = OrderPartsDialog(self.ctx, self.editor)
            self.dialog.destroyed.connect(self._closed)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.picker.focus_box()
        return self.dialog

    def _closed(self) -> None:
        self.dialog = None


def order_parts_action(ctx: UiContext, editor: Any) -> QAction | None:
    """The factory ``register_order_action`` takes; clerks do not take parts."""
    if not ctx.actor.may(Permission.PARTS_ISSUE):
        return None
    return OrderPartsAction(ctx, editor)
