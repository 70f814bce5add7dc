"""Customer files (edit with revision, add/edit products, new order for the customer) and
the manager's users page."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from app.domain.enums import OrderSource, OrderType, Role, ServiceMode
from app.i18n import tr
from app.services.customers import CustomerInput, ProductInput
from app.services.orders import NewOrder
from app.ui.customers.page import CustomersPage
from app.ui.users.page import UsersPage
from tests.conftest import PASSWORD
from tests.ui.conftest import settle


def make_customer(services, station):
    clerk = station["clerk"]
    customer = services.customers.create(clerk, CustomerInput("周建华", ("13600001111",),
                                                              "北京市朝阳区望京街9号"))
    services.customers.add_product(clerk, customer.id, ProductInput("BCD-470WDPG", "SN-FRIDGE-1"))
    return customer


def open_customer(qtbot, runner, ctx, text: str) -> CustomersPage:
    page = CustomersPage(ctx)
    qtbot.addWidget(page)
    settle(qtbot, runner)
    with qtbot.waitSignal(page.file_loaded, timeout=10_000):
        page.search(text)
    settle(qtbot, runner)
    return page


def test_find_by_serial_edit_customer_and_refuse_bad_phone(qtbot, services, station, ctx_for,
                                                           runner):
    customer = make_customer(services, station)
    page = open_customer(qtbot, runner, ctx_for(station["clerk"]), "sn-fridge-1")
    assert page.file.customer.id == customer.id
    assert page.details.name.text() == "周建华"

    page.details.phones.setText("13600001111, 0755-1234")
    qtbot.mouseClick(page.details.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert "0755-1234" in page.details.form.error_text("phones")
    assert services.customers.get(customer.id).phones == ("13600001111",)

    page.details.phones.setText("13600001111、010-62345678")
    page.details.notes.setPlainText("下午在家")
    with qtbot.waitSignal(page.file_loaded, timeout=10_000):
        qtbot.mouseClick(page.details.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    saved = services.customers.get(customer.id)
    assert saved.phones == ("13600001111", "010-62345678") and saved.notes == "下午在家"
    assert saved.revision == customer.revision + 1


def test_add_and_edit_product(qtbot, services, station, ctx_for, runner):
    make_customer(services, station)
    page = open_customer(qtbot, runner, ctx_for(station["tech"]), "13600001111")
    dialog = page.products.add_product()
    dialog.model.setText("XQG100-14B")
    dialog.serial.setText("sn-washer-2")
    dialog.has_date.setChecked(True)
    dialog.purchase_date.setDate(QDate(2099, 1, 1))
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert dialog.form.error_text("purchase_date") == tr("{label} cannot be in the future.",
                                                         label="Purchase date")
    dialog.purchase_date.setDate(QDate(2026, 3, 1))
    with qtbot.waitSignal(page.file_loaded, timeout=10_000):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save),
                         Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert [p.serial_no for p in page.file.products] == ["SN-FRIDGE-1", "SN-WASHER-2"]
    assert page.file.products[1].purchase_date == date(2026, 3, 1)

    # the technician registers units on site; the desk keeps their warranty facts
    assert not page.products.edit_button.isEnabled()
    page = open_customer(qtbot, runner, ctx_for(station["clerk"]), "13600001111")
    page.products.table.selectRow(0)
    edit = page.products.edit_selected()
    settle(qtbot, runner)
    assert edit.save_button.isEnabled()  # its revision arrived
    edit.invoice.setText("FP-0001")
    with qtbot.waitSignal(page.file_loaded, timeout=10_000):
        qtbot.mouseClick(edit.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert page.file.products[0].invoice_no == "FP-0001"
    assert page.products.table.item(0, 3).text() == "FP-0001"


def test_new_order_for_this_customer_offers_their_products(qtbot, services, station, ctx_for,
                                                           runner):
    customer = make_customer(services, station)
    services.orders.create(station["clerk"], NewOrder(
        OrderType.REPAIR, OrderSource.PHONE, ServiceMode.ON_SITE, "冷藏室不凉", "13600001111",
        customer_id=customer.id))
    page = open_customer(qtbot, runner, ctx_for(station["clerk"]), "周建")
    assert page.history.rowCount() == 1
    editor = page.new_order()
    qtbot.addWidget(editor)
    settle(qtbot, runner)
    form = editor.new_form
    assert form.customer_choice.currentData() == customer.id
    assert not form.customer_name.isEnabled()
    assert form.product_choice.itemText(0) == "BCD-470WDPG  SN-FRIDGE-1"
    form.fault.setPlainText("冷冻室结冰")
    with qtbot.waitSignal(editor.order_loaded, timeout=10_000):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    detail = editor.current_order()
    assert detail.customer.id == customer.id and detail.product.serial_no == "SN-FRIDGE-1"
    assert detail.contact_phone == "13600001111"
    # the customer's page refreshes its history from the announcement
    qtbot.waitUntil(lambda: page.history.rowCount() == 2, timeout=5000)


def test_manager_adds_user_resets_password_and_deactivates(qtbot, services, station, ctx_for,
                                                           runner):
    page = UsersPage(ctx_for(station["manager"]))
    qtbot.addWidget(page)
    settle(qtbot, runner)
    assert page.table.rowCount() == 4

    dialog = page.open_dialog(None)
    dialog.username.setText("tech3")
    dialog.display_name.setText("钱师傅")
    dialog.role.setCurrentIndex(dialog.role.findData(Role.TECHNICIAN))
    dialog.passwords.password.setText("short")
    dialog.passwords.again.setText("short")
    dialog.save()
    settle(qtbot, runner)
    assert dialog.form.error_text("password") == tr(
        "Password must be at least {n} characters.", n=8)
    dialog.passwords.password.setText("new-tech-pass")
    dialog.passwords.again.setText("new-tech-pass")
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        dialog.save()
    settle(qtbot, runner)
    assert page.table.rowCount() == 5
    assert services.users.login("tech3", "new-tech-pass").role is Role.TECHNICIAN

    row = next(i for i, u in enumerate(page.users) if u.username == "clerk")
    page.table.selectRow(row)
    reset = page.open_dialog(page.selected_user())
    reset.passwords.password.setText("clerk-new-pass")
    reset.passwords.again.setText("clerk-new-pass")
    reset.save()
    settle(qtbot, runner)
    assert services.users.login("clerk", "clerk-new-pass").username == "clerk"

    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.toggle_selected()
    settle(qtbot, runner)
    assert page.table.item(row, 3).text() == tr("No")
    assert all(u.username != "clerk" for u in services.users.list_users())


def test_manager_changes_roles_but_never_removes_the_last_manager(qtbot, services, station,
                                                                  ctx_for, runner):
    page = UsersPage(ctx_for(station["manager"]))
    qtbot.addWidget(page)
    settle(qtbot, runner)
    boss_row = next(i for i, u in enumerate(page.users) if u.username == "boss")
    page.table.selectRow(boss_row)
    assert page.role_choice.currentData() == Role.MANAGER
    page.role_choice.setCurrentIndex(page.role_choice.findData(Role.CLERK))
    page.change_role()
    settle(qtbot, runner)
    box = page.findChild(QMessageBox, "message_box")
    assert box is not None and "站长" in box.text()
    box.close()
    assert services.users.login("boss", PASSWORD).role is Role.MANAGER

    tech_row = next(i for i, u in enumerate(page.users) if u.username == "tech")
    page.table.selectRow(tech_row)
    assert page.role_choice.currentData() == Role.TECHNICIAN
    page.role_choice.setCurrentIndex(page.role_choice.findData(Role.MANAGER))
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        qtbot.mouseClick(page.role_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert services.users.login("tech", PASSWORD).role is Role.MANAGER
    assert page.table.item(tech_row, 2).text() == "站长"
