"""The new-order form as a clerk uses it from the keyboard (issue 9, items 5 and 6): every
missing field marked at once, Tab walking the whole form (and leaving 故障描述 without
typing a tab), Ctrl+Enter saving, Esc or the close button on unsaved edits asking, and the
warnings before saving with the clerk's reason."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from app.domain.enums import ServiceMode
from app.i18n import tr
from app.services.order_queries import OrderFilter
from app.services.order_warnings import ACK_ACTION
from app.store.models import AuditEntry
from app.ui.orders.desk_prompts import Unsaved
from app.ui.orders.editor_dialog import OrderEditor
from app.ui.orders.editor_fields import select_data
from tests.ui.conftest import settle
from tests.ui.ui_helpers import SERIAL, create_order_via_ui, fill_new_order


class AnswerUnsaved:
    def __init__(self, answer: Unsaved) -> None:
        self.answer = answer
        self.asked = 0

    def unsaved_changes(self, parent, answered) -> None:
        self.asked += 1
        answered(self.answer)


def _order_count(services) -> int:
    return len(services.orders.search(OrderFilter()))


def _shown(qtbot, runner, editor: OrderEditor) -> None:
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    settle(qtbot, runner)


# -- every missing field at once --------------------------------------------------------------
def test_an_empty_form_marks_every_missing_field_at_once(qtbot, services, station, ctx_for,
                                                         runner) -> None:
    editor = OrderEditor(ctx_for(station["clerk"]), None)
    qtbot.addWidget(editor)
    _shown(qtbot, runner, editor)
    form = editor.new_form
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert form.error_text("name") == tr("{label} is required.", label="Customer name")
    assert form.error_text("phones") == tr("At least one phone number is required.")
    assert form.error_text("fault_description") == tr(
        "Fault description is required for a repair order.")
    # the empty contact phone stands for the customer's: one message, at the customer's
    assert form.error_text("contact_phone") == ""
    assert form.customer_form.invalid_fields() == ["name", "phones"]
    assert "fault_description" in form.order_form.invalid_fields()
    assert QApplication.focusWidget() is form.customer_name  # the first one to fix
    assert _order_count(services) == 0

    # fixing two of them leaves exactly the third marked
    form.customer_name.setText("刘德明")
    form.customer_phone.setText("13912345678")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert form.customer_form.invalid_fields() == []
    assert form.order_form.invalid_fields() == ["fault_description"]


# -- the keyboard -----------------------------------------------------------------------------
def test_tab_walks_the_whole_new_order_in_reading_order(qtbot, services, station, ctx_for,
                                                        runner) -> None:
    editor = OrderEditor(ctx_for(station["clerk"]), None)
    qtbot.addWidget(editor)
    _shown(qtbot, runner, editor)
    form = editor.new_form
    assert QApplication.focusWidget() is form.lookup
    walked = [QApplication.focusWidget().objectName()]
    for _ in range(21):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        walked.append(QApplication.focusWidget().objectName())
    assert walked[:walked.index("create_order") + 1] == [
        "customer_lookup", "find_customer", "customer_choice", "customer_name",
        "customer_phone", "customer_address", "product_choice", "model", "serial_no",
        "has_purchase_date", "invoice_no", "warranty_months", "order_type", "source",
        "service_mode", "fault_description", "contact_phone", "service_address",
        "technician", "hq_reference", "create_order"]


def test_the_whole_order_typed_from_the_keyboard(qtbot, services, station, ctx_for,
                                                 runner) -> None:
    editor = OrderEditor(ctx_for(station["clerk"]), None)
    qtbot.addWidget(editor)
    _shown(qtbot, runner, editor)
    form = editor.new_form

    def tab_to(widget) -> None:
        for _ in range(30):
            if QApplication.focusWidget() is widget:
                return
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        raise AssertionError(f"Tab never reached {widget.objectName()}")

    qtbot.keyClicks(form.lookup, "13912345678")
    qtbot.keyClick(form.lookup, Qt.Key.Key_Return)  # nobody found: the phone carries over
    settle(qtbot, runner)
    tab_to(form.customer_name)
    qtbot.keyClicks(form.customer_name, "Liu Deming")
    tab_to(form.customer_address)
    qtbot.keyClicks(form.customer_address, "20 Xueyuan Road")
    tab_to(form.model)
    qtbot.keyClicks(form.model, "KFR-35GW")
    qtbot.keyClick(form.model, Qt.Key.Key_Tab)
    qtbot.keyClicks(form.serial, "SNKEY1")
    tab_to(form.service_mode)
    qtbot.keyClick(form.service_mode, Qt.Key.Key_Down)  # a combo chosen by the keyboard
    assert form.service_mode.currentData() == ServiceMode.WORKSHOP
    qtbot.keyClick(form.service_mode, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.fault
    qtbot.keyClicks(form.fault, "no cooling")
    qtbot.keyClick(form.fault, Qt.Key.Key_Tab)  # leaves the field, types nothing
    assert QApplication.focusWidget() is form.contact_phone
    with qtbot.waitSignal(editor.order_loaded, timeout=10_000) as blocker:
        qtbot.keyClick(form.contact_phone, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    detail = blocker.args[0]
    assert detail.fault_description == "no cooling"
    assert detail.customer.name == "Liu Deming" and detail.product.serial_no == "SNKEY1"
    assert detail.service_mode is ServiceMode.WORKSHOP


def test_tab_leaves_the_fault_description_and_never_types_a_tab(qtbot, services, station,
                                                                ctx_for, runner) -> None:
    editor = OrderEditor(ctx_for(station["clerk"]), None)
    qtbot.addWidget(editor)
    _shown(qtbot, runner, editor)
    form = editor.new_form
    form.fault.setFocus()
    qtbot.keyClicks(form.fault, "fan stops")
    qtbot.keyClick(form.fault, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert form.fault.toPlainText() == "fan stops"
    qtbot.keyClick(form.fault, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.contact_phone
    qtbot.keyClick(form.contact_phone, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is form.fault
    qtbot.keyClick(form.fault, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is form.service_mode
    assert "\t" not in form.fault.toPlainText()


def test_ctrl_enter_saves_the_details_tab(qtbot, services, station, ctx_for, runner) -> None:
    editor = OrderEditor(ctx_for(station["clerk"]), None)
    qtbot.addWidget(editor)
    detail = create_order_via_ui(qtbot, runner, editor)
    editor.fields.service_address.setText("北京市海淀区学院路21号")
    assert editor.has_unsaved()
    editor.fields.service_address.setFocus()
    with qtbot.waitSignal(editor.order_loaded, timeout=10_000) as blocker:
        qtbot.keyClick(editor.fields.service_address, Qt.Key.Key_Enter,
                       Qt.KeyboardModifier.ControlModifier)
    assert blocker.args[0].service_address == "北京市海淀区学院路21号"
    assert blocker.args[0].revision > detail.revision
    assert not editor.has_unsaved()


# -- unsaved edits ----------------------------------------------------------------------------
def test_esc_on_an_untouched_form_just_closes(qtbot, services, station, ctx_for, runner):
    editor = OrderEditor(ctx_for(station["clerk"]), None)
    # closing deletes it (WA_DeleteOnClose): not handed to qtbot
    editor.desk_prompts = prompts = AnswerUnsaved(Unsaved.CANCEL)
    _shown(qtbot, runner, editor)
    qtbot.keyClick(editor.new_form.lookup, Qt.Key.Key_Escape)
    assert prompts.asked == 0 and not editor.isVisible()


def test_esc_on_unsaved_edits_asks_and_cancel_keeps_them(qtbot, services, station, ctx_for,
                                                         runner) -> None:
    editor = OrderEditor(ctx_for(station["clerk"]), None)
    # closing deletes it (WA_DeleteOnClose): not handed to qtbot
    editor.desk_prompts = prompts = AnswerUnsaved(Unsaved.CANCEL)
    fill_new_order(qtbot, runner, editor)
    qtbot.keyClick(editor.new_form.fault, Qt.Key.Key_Escape)
    assert prompts.asked == 1 and editor.isVisible()
    assert editor.new_form.fault.toPlainText() == "空调不制冷,外机不转"
    editor.close()  # the window's close button asks the same
    assert prompts.asked == 2 and editor.isVisible()
    prompts.answer = Unsaved.DISCARD
    qtbot.keyClick(editor.new_form.fault, Qt.Key.Key_Escape)
    assert prompts.asked == 3 and not editor.isVisible()
    assert _order_count(services) == 0


def test_save_on_closing_saves_then_closes(qtbot, services, station, ctx_for, runner) -> None:
    editor = OrderEditor(ctx_for(station["clerk"]), None)
    # closing deletes it (WA_DeleteOnClose): not handed to qtbot
    editor.desk_prompts = AnswerUnsaved(Unsaved.SAVE)
    fill_new_order(qtbot, runner, editor)
    with qtbot.waitSignal(editor.finished, timeout=10_000):
        editor.close()
    assert _order_count(services) == 1


def test_save_on_closing_that_fails_keeps_the_window(qtbot, services, station, ctx_for,
                                                     runner) -> None:
    editor = OrderEditor(ctx_for(station["clerk"]), None)
    qtbot.addWidget(editor)
    editor.desk_prompts = AnswerUnsaved(Unsaved.SAVE)
    fill_new_order(qtbot, runner, editor)
    editor.new_form.customer_name.clear()
    editor.close()
    settle(qtbot, runner)
    assert editor.isVisible() and editor.new_form.error_text("name")
    # a later successful save does not close the window by surprise
    editor.new_form.customer_name.setText("刘德明")
    with qtbot.waitSignal(editor.order_loaded, timeout=10_000):
        editor.new_form.save()
    settle(qtbot, runner)
    assert editor.isVisible()


def test_an_edited_order_asks_and_the_real_question_reads_save_discard_cancel(
        qtbot, services, station, ctx_for, runner) -> None:
    editor = OrderEditor(ctx_for(station["clerk"]), None)
    # closing deletes it (WA_DeleteOnClose): not handed to qtbot
    create_order_via_ui(qtbot, runner, editor)
    assert not editor.has_unsaved()
    editor.fields.fault.setPlainText("改了")
    qtbot.keyClick(editor.fields.fault, Qt.Key.Key_Escape)
    box = editor.findChild(QMessageBox, "unsaved_box")
    assert box is not None and box.isVisible()
    assert sorted(b.text() for b in box.buttons()) == sorted(["保存", "放弃", "取消"])
    box.button(QMessageBox.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: editor.findChild(QMessageBox, "unsaved_box") is None)
    assert editor.isVisible() and editor.fields.fault.toPlainText() == "改了"
    editor.reject()
    box = editor.findChild(QMessageBox, "unsaved_box")
    with qtbot.waitSignal(editor.finished, timeout=5_000):
        box.button(QMessageBox.StandardButton.Discard).click()


# -- warnings before saving -------------------------------------------------------------------
def test_on_site_without_address_warns_and_goes_on_with_a_reason(qtbot, services, station,
                                                                 ctx_for, runner) -> None:
    editor = OrderEditor(ctx_for(station["clerk"]), None)
    qtbot.addWidget(editor)
    fill_new_order(qtbot, runner, editor)
    form = editor.new_form
    form.customer_address.clear()
    select_data(form.service_mode, ServiceMode.ON_SITE)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert form.warning_texts() == [tr(
        "An on-site order has no address: the technician will not know where to go.")]
    assert _order_count(services) == 0
    qtbot.mouseClick(form.save_anyway, Qt.MouseButton.LeftButton)  # no reason yet
    settle(qtbot, runner)
    assert _order_count(services) == 0 and not form.ack_error.isHidden()
    form.ack_reason.setText("客户到时电话告知地址")
    with qtbot.waitSignal(editor.order_loaded, timeout=10_000) as blocker:
        qtbot.mouseClick(form.save_anyway, Qt.MouseButton.LeftButton)
    order = blocker.args[0]
    with services.db.read() as s:
        detail = s.query(AuditEntry.detail).filter(AuditEntry.entity_id == order.id,
                                                   AuditEntry.action == ACK_ACTION).scalar()
    assert "客户到时电话告知地址" in detail


def test_a_serial_with_open_orders_lists_them_to_open(qtbot, services, station, ctx_for,
                                                      runner) -> None:
    first_editor = OrderEditor(ctx_for(station["clerk"]), None)
    qtbot.addWidget(first_editor)
    first = create_order_via_ui(qtbot, runner, first_editor)
    editor = OrderEditor(ctx_for(station["clerk"]), None)
    qtbot.addWidget(editor)
    fill_new_order(qtbot, runner, editor, phone="13712345678", serial=SERIAL.lower(),
                   name="王五")
    form = editor.new_form
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert first.number in form.warning_texts()[0]
    button = form.findChild(type(form.save_button), f"open_warned_{first.number}")
    assert button is not None and tr("Received") not in button.text()
    assert "已受理" in button.text()
    with qtbot.waitSignal(first_editor.order_loaded, timeout=10_000, raising=False):
        button.click()
    settle(qtbot, runner)
    opened = form.opened_editors[-1]
    qtbot.addWidget(opened)
    assert opened.current_order().number == first.number
    form.ack_reason.setText("另一位家人报修同一台")
    with qtbot.waitSignal(editor.order_loaded, timeout=10_000):
        qtbot.mouseClick(form.save_anyway, Qt.MouseButton.LeftButton)
    assert _order_count(services) == 2


def test_tab_leaves_the_repair_record_and_customer_notes_too(qtbot, services, station, ctx_for,
                                                             runner) -> None:
    from app.ui.customers.new_customer import NewCustomerDialog

    editor = OrderEditor(ctx_for(station["clerk"]), None)
    qtbot.addWidget(editor)
    create_order_via_ui(qtbot, runner, editor)
    for field in (editor.repairs.diagnosis, editor.repairs.actions):
        assert field.tabChangesFocus()
    dialog = NewCustomerDialog(ctx_for(station["clerk"]))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.notes.setFocus()
    qtbot.keyClicks(dialog.notes, "call first")
    qtbot.keyClick(dialog.notes, Qt.Key.Key_Tab)
    assert dialog.notes.toPlainText() == "call first"
    assert QApplication.focusWidget() is not dialog.notes


def test_ctrl_enter_in_the_fault_description_saves_without_a_new_line(qtbot, services, station,
                                                                      ctx_for, runner) -> None:
    editor = OrderEditor(ctx_for(station["clerk"]), None)
    qtbot.addWidget(editor)
    fill_new_order(qtbot, runner, editor)
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    editor.new_form.fault.setFocus()
    with qtbot.waitSignal(editor.order_loaded, timeout=10_000) as blocker:
        qtbot.keyClick(editor.new_form.fault, Qt.Key.Key_Return,
                       Qt.KeyboardModifier.ControlModifier)
    assert blocker.args[0].fault_description == "空调不制冷,外机不转"


def test_a_repair_record_typed_but_not_added_counts_as_unsaved(qtbot, services, station,
                                                               ctx_for, runner) -> None:
    from app.domain.state_machine import Action
    from tests.services.helpers import new_order

    clerk, tech = station["clerk"], station["tech"]
    order = new_order(services, clerk)
    services.orders.transition(clerk, order.id, Action.ACCEPT)
    services.orders.transition(clerk, order.id, Action.ASSIGN, technician_id=tech.user_id)
    services.orders.transition(tech, order.id, Action.START_ON_SITE)
    editor = OrderEditor(ctx_for(tech), order.id)
    # closing deletes it (WA_DeleteOnClose): not handed to qtbot
    editor.desk_prompts = prompts = AnswerUnsaved(Unsaved.SAVE)
    _shown(qtbot, runner, editor)
    assert not editor.has_unsaved()
    editor.repairs.diagnosis.setPlainText("电容鼓包")
    assert editor.has_unsaved()
    with qtbot.waitSignal(editor.finished, timeout=10_000):
        editor.close()
    settle(qtbot, runner)
    assert prompts.asked == 1
    assert [r.diagnosis for r in services.orders.detail(order.id).repairs] == ["电容鼓包"]
