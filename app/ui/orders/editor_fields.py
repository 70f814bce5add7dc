"""The "order details" tab of an existing order: the editable fields (type, service mode,
fault, contact phone, address, product) saved with the revision they were read at, and the
order's times and people for reading.
"""

from __future__ import annotations

from enum import Enum
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import OrderType, ServiceMode
from app.domain.permissions import Permission
from app.domain.visits import ASPECT_LABELS
from app.domain.warranty_policy import MAX_KM
from app.i18n import tr
from app.services.customers import CustomerFile
from app.services.orders import OrderDetail, OrderEdit
from app.ui.formatting import label, local_time
from app.ui.knowledge.order_editor import order_panel
from app.ui.widgets.forms import ErrorForm
from app.ui.widgets.text_field import MultiLineField

if TYPE_CHECKING:
    from app.ui.orders.editor_dialog import OrderEditor


def enum_combo(enum_type: type[Enum], name: str) -> QComboBox:
    combo = QComboBox(objectName=name)
    for member in enum_type:
        combo.addItem(label(member), member)
    return combo


def select_data(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)


class OrderFieldsTab(QWidget):
    def __init__(self, editor: OrderEditor) -> None:
        super().__init__()
        self.editor = editor
        self._customer_id: str | None = None
        self._products: list[tuple[str, str]] = []
        self._saved_values: list[object] | None = None
        self.form = ErrorForm()
        self.order_type = enum_combo(OrderType, "order_type")
        self.service_mode = enum_combo(ServiceMode, "service_mode")
        self.fault = MultiLineField(objectName="fault_description")
        self.fault.setMaximumHeight(90)
        self.contact_phone = QLineEdit(objectName="contact_phone")
        self.service_address = QLineEdit(objectName="service_address")
        self.product = QComboBox(objectName="product")
        # the distance to an on-site customer: claims use the policy's travel band for it
        self.travel_km = QSpinBox(objectName="travel_km")
        self.travel_km.setRange(-1, MAX_KM)
        self.travel_km.setSpecialValueText(tr("(not entered)"))
        self.travel_km.setSuffix(tr(" km"))
        self.service_mode.currentIndexChanged.connect(lambda _i: self._enable_travel())
        self.form.add_row("Order type", self.order_type, "order_type")
        self.form.add_row("Service mode", self.service_mode, "service_mode")
        self.form.add_row("Fault description", self.fault, "fault_description")
        self.form.add_row("Contact phone", self.contact_phone, "contact_phone")
        self.form.add_row("Service address", self.service_address, "service_address")
        self.form.add_row("Product", self.product, "product_id")
        self.form.add_row("Travel distance (km)", self.travel_km, "travel_km")
        self.form.add_general_error_row()
        self.save_button = QPushButton(tr("Save changes"), objectName="save_order")
        self.save_button.clicked.connect(self.save)

        self.facts = QFormLayout()
        self.fact_labels: dict[str, QLabel] = {}
        for key, text in (
            ("customer", "Customer"), ("technician", "Technician"), ("called", "Called at"),
            ("responded", "Accepted at"), ("arrived", "Service started"),
            ("cleared", "Completed at"), ("visited", "Visited at"), ("closed", "Closed at"),
            ("satisfaction", "Satisfaction"), ("cancel", "Cancel reason"),
            ("related", "Related order:"), ("complaints", "Complaints about this order:"),
        ):
            value = QLabel(objectName=f"fact_{key}")
            value.setWordWrap(True)
            self.fact_labels[key] = value
            self.facts.addRow(tr(text), value)
        # a complaint and the order it is about open each other
        for key in ("related", "complaints"):
            self.fact_labels[key].linkActivated.connect(self._open_linked)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        left = QVBoxLayout()
        left.addLayout(self.form)
        left.addLayout(buttons)
        self.knowledge = order_panel(editor, self.fault)  # 相似维修 as the fault is typed
        left.addWidget(self.knowledge)
        left.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addLayout(self.facts, 2)

    def show_detail(self, d: OrderDetail) -> None:
        select_data(self.order_type, d.order_type)
        select_data(self.service_mode, d.service_mode)
        self.fault.setPlainText(d.fault_description)
        self.contact_phone.setText(d.contact_phone)
        self.service_address.setText(d.service_address)
        self.travel_km.setValue(-1 if d.travel_km is None else d.travel_km)
        current = d.product.id if d.product else None
        if self._customer_id != d.customer.id:
            self._customer_id = d.customer.id
            self._products = (
                [(d.product.id, _product_text(d.product.model, d.product.serial_no))]
                if d.product else []
            )
            ctx, customer_id = self.editor.ctx, d.customer.id
            ctx.tasks.run(lambda: ctx.services.customers.file(customer_id, viewer=ctx.actor),
                          self._show_customer_products, owner=self)
        self._set_products(self._products, current)
        may_edit = self.editor.ctx.actor.may(Permission.ORDER_EDIT) and d.status.open
        for widget in (self.order_type, self.service_mode, self.fault, self.contact_phone,
                       self.service_address, self.product, self.save_button):
            widget.setEnabled(may_edit)
        self._enable_travel()
        facts = {
            "customer": f"{d.customer.name}  {'、'.join(d.customer.phones)}\n{d.customer.address}",
            "technician": d.technician_name,
            "called": local_time(d.called_at), "responded": local_time(d.responded_at),
            "arrived": local_time(d.arrived_at), "cleared": local_time(d.cleared_at),
            "visited": local_time(d.visited_at), "closed": local_time(d.closed_at),
            "satisfaction": _satisfaction(d), "cancel": d.cancel_reason,
            "related": _links([d.links.related_order] if d.links.related_order else []),
            "complaints": _links(list(d.links.complaints)),
        }
        for key, text in facts.items():
            self.fact_labels[key].setText(text)
        self._saved_values = self._values()

    def _values(self) -> list[object]:
        """What the editable fields hold now (every field of the tab, whoever added it)."""
        values: list[object] = []
        for widget in self.findChildren(QWidget):
            if isinstance(widget, QLineEdit) and not widget.isReadOnly():
                values.append(widget.text())
            elif isinstance(widget, QPlainTextEdit) and not widget.isReadOnly():
                values.append(widget.toPlainText())
            elif isinstance(widget, QComboBox):
                values.append(widget.currentData())
            elif isinstance(widget, QAbstractSpinBox):
                values.append(widget.text())
        return values

    def has_unsaved(self) -> bool:
        """The user changed a field since the order was shown (and may still save it)."""
        return (self.save_button.isEnabled() and self._saved_values is not None
                and self._values() != self._saved_values)

    def _enable_travel(self) -> None:
        """The distance is typed for an on-site order, by whoever may edit the order."""
        on_site = self.service_mode.currentData() == ServiceMode.ON_SITE
        self.travel_km.setEnabled(self.save_button.isEnabled() and on_site)

    def _show_customer_products(self, file: CustomerFile) -> None:
        detail = self.editor.current_order()
        current = detail.product.id if detail and detail.product else None
        self._products = [(p.id, _product_text(p.model, p.serial_no)) for p in file.products]
        self._set_products(self._products, current)

    def _set_products(self, products: list[tuple[str, str]], current: str | None) -> None:
        self.product.clear()
        self.product.addItem(tr("(no product)"), None)
        for product_id, text in products:
            self.product.addItem(text, product_id)
        select_data(self.product, current)

    def save(self) -> None:
        detail = self.editor.current_order()
        if detail is None:
            return
        edit = OrderEdit(
            order_type=self.order_type.currentData(),
            service_mode=self.service_mode.currentData(),
            fault_description=self.fault.toPlainText(),
            contact_phone=self.contact_phone.text(),
            service_address=self.service_address.text(),
            product_id=self.product.currentData(),
            travel_km=None if self.travel_km.value() < 0 else self.travel_km.value(),
        )
        ctx, order_id, revision = self.editor.ctx, detail.id, detail.revision
        self.editor.run_service(
            lambda: ctx.services.orders.update(ctx.actor, order_id, edit, revision), self.form)

    def _open_linked(self, order_id: str) -> None:
        from app.ui.orders.editor_dialog import OrderEditor

        OrderEditor(self.editor.ctx, order_id, parent=self.editor.parentWidget()).show()


def _satisfaction(d: OrderDetail) -> str:
    """The overall number, then the return visit's four scores when recorded."""
    if d.links.visit_scores is None:
        return str(d.satisfaction or "")
    scores = "  ".join(f"{tr(text)} {score}" for text, score
                       in zip(ASPECT_LABELS.values(), d.links.visit_scores, strict=True))
    return f"{d.satisfaction or ''}  ({scores})"


def _links(refs: list) -> str:
    return "  ".join(f'<a href="{escape(r.id)}">{escape(r.number)}</a> {escape(label(r.status))}'
                     for r in refs)


def _product_text(model: str, serial: str) -> str:
    return f"{model}  {serial}" if serial else model
