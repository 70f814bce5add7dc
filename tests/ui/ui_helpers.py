"""Driving the new-order form the way a clerk does (shared by the UI tests)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.services.orders import OrderDetail
from app.ui.orders.editor_dialog import OrderEditor
from tests.ui.conftest import settle

PHONE = "13912345678"
SERIAL = "SN20260601A"


def fill_new_order(qtbot, runner, editor: OrderEditor, phone: str = PHONE,
                   serial: str = SERIAL, name: str = "刘德明") -> None:
    form = editor.new_form
    assert form is not None
    editor.show()  # a shown dialog, so Enter reaches its default button as for a user
    settle(qtbot, runner)
    qtbot.keyClicks(form.lookup, phone)
    qtbot.keyClick(form.lookup, Qt.Key.Key_Return)
    settle(qtbot, runner)
    assert form.customer_phone.text() == phone  # nobody found: the phone carries over
    # Enter only searched: it did not also try to save the half-filled order
    assert form.error_text("name") == "" and form.save_button.isEnabled()
    form.customer_name.setText(name)
    form.customer_address.setText("北京市海淀区学院路20号")
    form.model.setText("KFR-35GW/BP3DN1Y")
    form.serial.setText(serial)
    form.fault.setPlainText("空调不制冷,外机不转")


def create_order_via_ui(qtbot, runner, editor: OrderEditor, **kwargs) -> OrderDetail:
    fill_new_order(qtbot, runner, editor, **kwargs)
    with qtbot.waitSignal(editor.order_loaded, timeout=10_000) as blocker:
        qtbot.mouseClick(editor.new_form.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    return blocker.args[0]
