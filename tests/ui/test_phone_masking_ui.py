"""Phones on screen by role: the orders list and the customer file show the manager masked
numbers and the clerk whole ones; the manager's 显示完整号码 (Ctrl+Shift+M) in the order
editor and on the customer file shows the whole number and the audit records it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from sqlalchemy import select

import app.ui.masking  # noqa: F401 - registers the order editor's action
from app.services.phone_view import REVEAL_ACTION
from app.store.models import AuditEntry
from app.ui.customers.page import CustomersPage
from app.ui.orders.editor_dialog import OrderEditor
from app.ui.orders.page import OrdersPage
from app.ui.orders.table_model import COL_PHONE
from tests.services.helpers import new_order
from tests.ui.conftest import settle

SHOTS = Path("/tmp/masking-shots")
PHONE, MASK = "13812345678", "138****5678"
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _shot(widget, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


def _reveals(services) -> list[tuple[str, str]]:
    with services.db.read() as s:
        return [(e.username, e.entity) for e in s.scalars(
            select(AuditEntry).where(AuditEntry.action == REVEAL_ACTION))]


def _orders_page(qtbot, runner, ctx) -> OrdersPage:
    page = OrdersPage(ctx)
    qtbot.addWidget(page)
    settle(qtbot, runner)
    return page


def test_the_orders_list_masks_for_the_manager_only(qtbot, services, station, ctx_for,
                                                    runner) -> None:
    new_order(services, station["clerk"], phone=PHONE)
    for who, shown in (("manager", MASK), ("clerk", PHONE)):
        page = _orders_page(qtbot, runner, ctx_for(station[who]))
        assert page.model.rowCount() == 1
        assert page.model.index(0, COL_PHONE).data() == shown, who
        if who == "manager":
            page.resize(1100, 300)
            _shot(page, "orders-manager")


def test_the_customer_file_masks_and_reveals_by_keyboard(qtbot, services, station, ctx_for,
                                                         runner) -> None:
    order = new_order(services, station["clerk"], phone=PHONE, name="李雷")
    clerk_page = CustomersPage(ctx_for(station["clerk"]))
    qtbot.addWidget(clerk_page)
    settle(qtbot, runner)
    with qtbot.waitSignal(clerk_page.file_loaded, timeout=10_000):
        clerk_page.show_customer(order.customer.id)
    assert PHONE in clerk_page.title.text()
    assert clerk_page.details.phones.text() == PHONE
    assert not clerk_page.findChild(type(clerk_page.new_order_button),
                                    "customer_reveal_phone").isVisible()

    page = CustomersPage(ctx_for(station["manager"]))
    qtbot.addWidget(page)
    page.resize(1100, 600)
    page.show()
    settle(qtbot, runner)
    assert MASK in page.results.item(0).text() and PHONE not in page.results.item(0).text()
    with qtbot.waitSignal(page.file_loaded, timeout=10_000):
        page.show_customer(order.customer.id)
    settle(qtbot, runner)
    assert MASK in page.title.text() and page.details.phones.text() == MASK
    button = page.findChild(type(page.new_order_button), "customer_reveal_phone")
    assert button.isVisible() and button.isEnabled()
    _shot(page, "customer-manager-masked")
    assert _reveals(services) == []

    page.activateWindow()
    with qtbot.waitSignal(button.clicked, timeout=5_000):  # a button's shortcut animates
        qtbot.keyClick(page.details.name, Qt.Key.Key_M, CTRL_SHIFT)
    settle(qtbot, runner)
    assert PHONE in page.title.text() and page.details.phones.text() == PHONE
    assert _reveals(services) == [("boss", "customer")]
    assert not button.isEnabled()
    _shot(page, "customer-manager-revealed")


def test_the_order_editor_reveals_for_the_manager_by_keyboard(qtbot, services, station,
                                                              ctx_for, runner) -> None:
    order = new_order(services, station["clerk"], phone=PHONE)
    clerk_editor = OrderEditor(ctx_for(station["clerk"]), order.id)
    qtbot.addWidget(clerk_editor)
    settle(qtbot, runner)
    assert clerk_editor.fields.contact_phone.text() == PHONE
    assert all(a.objectName() != "order_reveal_phone" for a in clerk_editor.order_actions)

    editor = OrderEditor(ctx_for(station["manager"]), order.id)
    qtbot.addWidget(editor)
    editor.resize(1000, 700)
    editor.show()
    settle(qtbot, runner)
    assert editor.fields.contact_phone.text() == MASK
    assert MASK in editor.header.customer.text()
    action = next(a for a in editor.order_actions if a.objectName() == "order_reveal_phone")
    assert action.isEnabled() and action.text() == "显示完整号码"
    _shot(editor, "editor-manager-masked")

    editor.activateWindow()
    with qtbot.waitSignal(editor.order_loaded, timeout=10_000):
        qtbot.keyClick(editor.fields.fault, Qt.Key.Key_M, CTRL_SHIFT)
    settle(qtbot, runner)
    assert editor.fields.contact_phone.text() == PHONE
    assert PHONE in editor.header.customer.text()
    assert not editor.has_unsaved() and not action.isEnabled()
    assert _reveals(services) == [("boss", "service_order")]
    _shot(editor, "editor-manager-revealed")
