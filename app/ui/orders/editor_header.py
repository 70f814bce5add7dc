"""The top of an existing order: number, status, warranty, the three SLA promises in their
state colours, and one button per status move — enabled exactly by ``OrderDetail.actions``
(the service decides what this user may do now).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from app.domain.enums import OrderSource, WarrantyStatus
from app.domain.sla import Clock, ClockState, Promise
from app.domain.state_machine import Action
from app.i18n import tr
from app.services.orders import OrderDetail
from app.services.users import UserInfo
from app.ui.formatting import CLOCK_COLOURS, label, local_time, status_colour

if TYPE_CHECKING:
    from app.ui.orders.editor_dialog import OrderEditor

WARRANTY_COLOURS = {
    WarrantyStatus.IN_WARRANTY: "#2e7d32",
    WarrantyStatus.OUT_OF_WARRANTY: "#c62828",
    WarrantyStatus.UNKNOWN: "#616161",
}


class OrderHeader(QWidget):
    def __init__(self, editor: OrderEditor) -> None:
        super().__init__()
        self.editor = editor
        self.number = QLabel(objectName="order_number")
        self.number.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.status = QLabel(objectName="order_status")
        self.warranty = QLabel(objectName="order_warranty")
        #: why 保内/保外: the period that applied, the purchase date, the last covered day
        self.coverage = QLabel(objectName="order_coverage")
        self.source = QLabel(objectName="order_source")
        self.customer = QLabel(objectName="order_customer")
        top = QHBoxLayout()
        for widget in (self.number, self.status, self.warranty, self.coverage, self.source,
                       self.customer):
            top.addWidget(widget)
        top.addStretch(1)

        self.sla: dict[Promise, QLabel] = {}
        sla_row = QHBoxLayout()
        sla_row.addWidget(QLabel(tr("Service promises:")))
        for promise in Promise:
            indicator = QLabel(objectName=f"sla_{promise.value}")
            indicator.setMargin(4)
            self.sla[promise] = indicator
            sla_row.addWidget(indicator)
        sla_row.addStretch(1)

        self.buttons: dict[Action, QPushButton] = {}
        grid = QGridLayout()
        for i, action in enumerate(Action):
            button = QPushButton(label(action), objectName=f"action_{action.value}")
            button.setEnabled(False)
            button.clicked.connect(lambda _=False, a=action: self.do_action(a))
            self.buttons[action] = button
            grid.addWidget(button, 0, i)

        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top, 0, 0)
        layout.addLayout(sla_row, 1, 0)
        layout.addLayout(grid, 2, 0)

    def show_detail(self, d: OrderDetail) -> None:
        self.number.setText(d.number)
        self.status.setText(label(d.status))
        self.status.setStyleSheet(
            f"background: {status_colour(d.status).name()}; padding: 3px 8px; "
            "border-radius: 3px;")
        self.warranty.setText(label(d.warranty))
        self.warranty.setStyleSheet(
            f"color: {WARRANTY_COLOURS[d.warranty]}; font-weight: bold; padding: 0 6px;")
        self.coverage.setText(d.coverage_text)
        self.coverage.setStyleSheet(f"color: {WARRANTY_COLOURS[d.warranty]};")
        source = label(d.source)
        if d.source is OrderSource.HEAD_OFFICE and d.hq_reference:
            source += f" ({d.hq_reference})"
        # each value under its own caption: "Phone" alone before the name read as her phone
        self.source.setText(tr("Source: {source}", source=source))
        phones = "、".join(d.customer.phones)
        self.customer.setText(tr("Customer: {name} {phones}", name=d.customer.name,
                                 phones=phones).strip())
        for promise, indicator in self.sla.items():
            self._show_clock(indicator, d.sla[promise])
        for action, button in self.buttons.items():
            button.setEnabled(action in d.actions)

    def _show_clock(self, indicator: QLabel, clock: Clock) -> None:
        background, text = CLOCK_COLOURS[clock.state]
        indicator.setText(f"{label(clock.promise)}: {label(clock.state)}")
        indicator.setStyleSheet(f"background: {background}; color: {text}; border-radius: 3px;")
        tip = []
        if clock.deadline is not None:
            tip.append(tr("Deadline: {time}", time=local_time(clock.deadline)))
        if clock.done_at is not None:
            tip.append(tr("Done: {time}", time=local_time(clock.done_at)))
        indicator.setToolTip("\n".join(tip))
        indicator.setProperty("clock_state", clock.state.value)
        if clock.state is ClockState.OVERDUE:
            indicator.setText(f"⚠ {indicator.text()}")

    def do_action(self, action: Action) -> None:
        detail = self.editor.current_order()
        if detail is None:
            return
        ctx, editor = self.editor.ctx, self.editor
        if action is Action.ASSIGN:
            # the list of technicians is read off the GUI thread, then the user chooses
            ctx.tasks.run(ctx.services.users.technicians,
                          lambda techs: self._assign(detail, techs), owner=self)
            return
        kwargs: dict = {}
        if action is Action.CANCEL:
            reason = editor.prompts.cancel_reason(editor)
            if reason is None:
                return
            kwargs["reason"] = reason
        elif action is Action.VISIT:
            # the visit is recorded with its four scores by the visit dialog, never bare
            if editor.prompts.return_visit(editor, ctx, detail.id):
                editor.load()
            return
        self._move(detail, action, **kwargs)

    def _assign(self, detail: OrderDetail, technicians: list[UserInfo]) -> None:
        chosen = self.editor.prompts.choose_technician(self.editor, technicians,
                                                        detail.technician_id)
        if chosen is not None:
            self._move(detail, Action.ASSIGN, technician_id=chosen)

    def _move(self, detail: OrderDetail, action: Action, **kwargs) -> None:
        ctx = self.editor.ctx
        orders, actor, order_id, revision = (ctx.services.orders, ctx.actor, detail.id,
                                             detail.revision)
        self.editor.run_service(lambda: orders.transition(
            actor, order_id, action, expected_revision=revision, **kwargs))
