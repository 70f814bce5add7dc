"""Refused input in the order editor: the message appears at its field, nothing is stored;
charges typed in yuan are kept in fen; a stale edit shows a message and reloads."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.domain.enums import ChargeKind
from app.i18n import tr
from app.services.order_queries import OrderFilter
from app.services.orders import OrderEdit
from app.ui.orders.editor_dialog import OrderEditor
from tests.ui.conftest import settle
from tests.ui.ui_helpers import create_order_via_ui, fill_new_order


def stored_counts(services) -> tuple[int, int, int]:
    return (len(services.orders.search(OrderFilter())), len(services.customers.search("")),
            services.outbox.pending_count())


def test_bad_customer_phone_is_shown_and_nothing_stored(qtbot, services, station, ctx_for,
                                                        runner):
    before = stored_counts(services)
    editor = OrderEditor(ctx_for(station["clerk"]), None)
    qtbot.addWidget(editor)
    fill_new_order(qtbot, runner, editor, phone="12345")
    qtbot.mouseClick(editor.new_form.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    expected = tr("'{value}' is not a valid mobile (11 digits starting with 1) or landline "
                  "(area code + number, e.g. 010-62345678).", value="12345")
    # the contact phone was left empty (it defaults to the customer's), so the message
    # appears at the customer's phone, where the wrong number was typed
    assert editor.new_form.error_text("phones") == expected
    assert editor.new_form.error_text("contact_phone") == ""
    assert editor.current_order() is None
    assert editor.new_form.save_button.isEnabled()  # the clerk can correct and retry
    assert stored_counts(services) == before


def test_bad_contact_phone_stores_no_customer_either(qtbot, services, station, ctx_for, runner):
    before = stored_counts(services)
    editor = OrderEditor(ctx_for(station["clerk"]), None)
    qtbot.addWidget(editor)
    fill_new_order(qtbot, runner, editor)
    editor.new_form.contact_phone.setText("call me")
    qtbot.mouseClick(editor.new_form.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert "call me" in editor.new_form.error_text("contact_phone")
    assert stored_counts(services) == before

    editor.new_form.contact_phone.clear()
    editor.new_form.customer_name.clear()
    qtbot.mouseClick(editor.new_form.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert editor.new_form.error_text("name") == tr("{label} is required.",
                                                    label="Customer name")
    assert editor.new_form.error_text("contact_phone") == ""
    assert stored_counts(services) == before


def test_charges_in_yuan_saved_as_fen_and_bad_price_refused(qtbot, services, station, ctx_for,
                                                            runner):
    editor = OrderEditor(ctx_for(station["manager"]), None)
    qtbot.addWidget(editor)
    detail = create_order_via_ui(qtbot, runner, editor)
    tab = editor.charges
    tab.add_line(ChargeKind.PARTS, "压缩机启动电容", 2, "35.5")
    tab.add_line(ChargeKind.LABOUR, "上门工时", 1, "abc")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert tab.error_text() == tr(
        "Line {line}: {problem}", line=2,
        problem=tr("'{value}' is not an amount in yuan (e.g. 12.50).", value="abc"))
    assert services.orders.detail(detail.id).charges == []

    tab.set_line(1, ChargeKind.LABOUR, "上门工时", 1, "80")
    with qtbot.waitSignal(editor.order_loaded, timeout=10_000):
        qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    saved = services.orders.detail(detail.id)
    assert [(c.kind, c.quantity, c.unit_price_fen) for c in saved.charges] == [
        (ChargeKind.PARTS, 2, 3550), (ChargeKind.LABOUR, 1, 8000)]
    assert saved.total_fen == 15100
    assert tab.total.text() == tr("Total: {amount}", amount="¥151.00")
    assert tab.error_text() == ""


def test_repair_record_added(qtbot, services, station, ctx_for, runner):
    editor = OrderEditor(ctx_for(station["manager"]), None)
    qtbot.addWidget(editor)
    detail = create_order_via_ui(qtbot, runner, editor)
    tab = editor.repairs
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert tab.form.error_text("diagnosis") == tr("Enter the diagnosis or the actions taken.")
    tab.diagnosis.setPlainText("启动电容失效")
    tab.actions.setPlainText("更换压缩机启动电容")
    tab.minutes.setValue(45)
    with qtbot.waitSignal(editor.order_loaded, timeout=10_000):
        qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert tab.table.rowCount() == 1
    assert tab.table.item(0, 2).text() == "启动电容失效"
    assert tab.diagnosis.toPlainText() == ""
    assert services.orders.detail(detail.id).repairs[0].labour_minutes == 45


def test_stale_edit_shows_message_and_reloads(qtbot, services, station, ctx_for, runner):
    ctx = ctx_for(station["clerk"])
    editor = OrderEditor(ctx, None)
    qtbot.addWidget(editor)
    detail = create_order_via_ui(qtbot, runner, editor)
    # someone else saves the order meanwhile
    services.orders.update(station["manager"], detail.id, OrderEdit(
        detail.order_type, detail.service_mode, "别人改过的描述", detail.contact_phone,
        detail.service_address, detail.product.id), detail.revision)
    settle(qtbot, runner)
    editor.fields.fault.setPlainText("我的修改")
    with qtbot.waitSignal(editor.order_loaded, timeout=10_000):
        qtbot.mouseClick(editor.fields.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert editor.message_text() == tr(
        "This {entity} was changed by someone else since you opened it; reopen it and try "
        "again.", entity="order")
    assert editor.fields.fault.toPlainText() == "别人改过的描述"
    assert services.orders.detail(detail.id).fault_description == "别人改过的描述"


def test_photo_added_and_thumbnail_shown(qtbot, services, station, ctx_for, runner, tmp_path):
    from PySide6.QtGui import QColor, QImage

    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("#3366cc"))
    photo = tmp_path / "现场照片.png"
    assert image.save(str(photo))
    editor = OrderEditor(ctx_for(station["clerk"]), None)
    qtbot.addWidget(editor)
    detail = create_order_via_ui(qtbot, runner, editor)
    with qtbot.waitSignal(editor.order_loaded, timeout=10_000):
        editor.photos.add_file(photo)
    settle(qtbot, runner)
    assert editor.photos.list.count() == 1
    item = editor.photos.list.item(0)
    assert item.text() == "现场照片.png"
    assert not item.icon().isNull()
    assert services.orders.detail(detail.id).attachments[0].path.is_file()
