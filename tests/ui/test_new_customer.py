"""新建客户 from the customer files page: bad input shown at its field with nothing stored;
a good one is saved and its file opened; technicians don't get the button."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.ui.customers.page import CustomersPage
from tests.ui.conftest import settle


def test_add_customer_refuses_bad_phone_then_saves(qtbot, services, station, ctx_for, runner):
    page = CustomersPage(ctx_for(station["clerk"]))
    qtbot.addWidget(page)
    settle(qtbot, runner)
    assert not page.new_customer_button.isHidden()
    dialog = page.new_customer()
    dialog.name.setText("孙丽娟")
    dialog.phones.setText("1360000")
    dialog.save()
    settle(qtbot, runner)
    assert "1360000" in dialog.form.error_text("phones")
    assert services.customers.search("孙丽娟") == []
    assert dialog.isVisible()

    dialog.phones.setText("13600002222, 010-62345678")
    dialog.address.setText("北京市海淀区学院路5号")
    with qtbot.waitSignal(page.file_loaded, timeout=10_000):
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save),
                         Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    [saved] = services.customers.search("孙丽娟")
    assert saved.phones == ("13600002222", "010-62345678")
    assert page.file.customer.id == saved.id
    assert not dialog.isVisible()


def test_technicians_have_no_add_customer_button(qtbot, services, station, ctx_for, runner):
    page = CustomersPage(ctx_for(station["tech"]))
    qtbot.addWidget(page)
    settle(qtbot, runner)
    assert page.new_customer_button.isHidden()
