"""The order desk's small things (issue 9, item 8), each as the person met it: a cancelled
order's promises, batch printing finished orders, the customer search that finds nobody,
the whole add-user error, the English order header and the SLA column at 1280 px."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import QMessageBox

from app.domain.enums import OrderSource, OrderType, Role, ServiceMode
from app.domain.sla import ClockState, Promise
from app.domain.state_machine import Action
from app.i18n import set_language
from app.services.customers import CustomerInput
from app.services.orders import NewOrder
from app.ui.customers.page import CustomersPage
from app.ui.formatting import label
from app.ui.orders.editor_dialog import OrderEditor
from app.ui.orders.page import OrdersPage
from app.ui.orders.table_model import COL_SLA
from app.ui.printing import batch_print_factory
from app.ui.users.page import UserDialog
from app.ui.window import open_main_window
from tests.ui.conftest import settle


def _order(services, station, phone: str = "13912345678", name: str = "周晓明"):
    return services.orders.create(station["clerk"], NewOrder(
        OrderType.REPAIR, OrderSource.PHONE, ServiceMode.ON_SITE, "不制冷", phone,
        customer=CustomerInput(name, (phone,), "北京市海淀区学院路20号")))


def test_a_cancelled_order_shows_its_promises_stopped(qtbot, services, station, ctx_for,
                                                      runner) -> None:
    order = _order(services, station)
    services.orders.transition(station["manager"], order.id, Action.CANCEL, reason="客户取消")
    editor = OrderEditor(ctx_for(station["clerk"]), order.id)
    qtbot.addWidget(editor)
    settle(qtbot, runner)
    for promise in Promise:
        indicator = editor.header.sla[promise]
        assert indicator.property("clock_state") == ClockState.STOPPED.value
        assert "已取消" in indicator.text() and "未开始" not in indicator.text()


class AnswerFinished:
    def __init__(self, answer: bool | None) -> None:
        self.answer = answer
        self.asked: list[tuple[int, int]] = []

    def include_finished(self, parent, finished, total, answered) -> None:
        self.asked.append((finished, total))
        answered(self.answer)


def test_batch_printing_asks_about_cancelled_and_closed_orders(qtbot, services, station,
                                                               ctx_for, runner) -> None:
    kept = _order(services, station)
    cancelled = _order(services, station, "13812345678", "李雷")
    services.orders.transition(station["manager"], cancelled.id, Action.CANCEL, reason="重复")
    page = OrdersPage(ctx_for(station["clerk"]))
    qtbot.addWidget(page)
    settle(qtbot, runner)
    page.table.selectAll()
    printed: list[list[str]] = []
    for answer, expected in ((True, {kept.id, cancelled.id}), (False, {kept.id}), (None, None)):
        page.desk_prompts = prompts = AnswerFinished(answer)
        printed.clear()
        page.order_ids_to_print(printed.append)
        assert prompts.asked == [(1, 2)]
        assert (set(printed[0]) if printed else None) == expected
    # only open orders selected: nothing to ask
    page.table.clearSelection()
    page.table.selectRow(next(r for r in range(page.model.rowCount())
                              if page.model.row_at(r).id == kept.id))
    page.desk_prompts = prompts = AnswerFinished(None)
    printed.clear()
    page.order_ids_to_print(printed.append)
    assert prompts.asked == [] and printed == [[kept.id]]


def test_the_batch_print_action_goes_through_the_question(qtbot, services, station, ctx_for,
                                                          runner) -> None:
    cancelled = _order(services, station)
    services.orders.transition(station["manager"], cancelled.id, Action.CANCEL, reason="重复")
    page = OrdersPage(ctx_for(station["clerk"]))
    qtbot.addWidget(page)
    settle(qtbot, runner)
    action = batch_print_factory(page.ctx, page)
    page.table.selectAll()
    assert action.isEnabled()
    sent: list[list[str]] = []
    action.controller.batch_print = lambda ids, document=None: sent.append(ids)
    action.trigger()
    box = page.findChild(QMessageBox, "include_finished_box")
    assert box is not None and box.text() == "包含已取消/已结单的工单?"
    box.button(QMessageBox.StandardButton.No).click()  # leave them out: nothing left
    qtbot.waitUntil(lambda: page.findChild(QMessageBox, "include_finished_box") is None)
    assert sent == []
    action.trigger()
    box = page.findChild(QMessageBox, "include_finished_box")
    box.button(QMessageBox.StandardButton.Yes).click()
    assert sent == [[cancelled.id]]


def test_a_search_that_finds_nobody_clears_the_file_and_says_so(qtbot, services, station,
                                                                ctx_for, runner) -> None:
    _order(services, station)
    page = CustomersPage(ctx_for(station["clerk"]))
    qtbot.addWidget(page)
    page.search("13912345678")
    settle(qtbot, runner)
    assert page.file is not None and page.details.name.text() == "周晓明"
    page.search("13700000000")
    settle(qtbot, runner)
    assert page.file is None and page.details.name.text() == ""
    assert page.history.rowCount() == 0 and not page.right.isEnabled()
    assert not page.not_found.isHidden() and "未找到" in page.not_found.text()
    dialog = page.new_customer()
    qtbot.addWidget(dialog)
    assert dialog.phones.text() == "13700000000"  # the searched phone is taken
    page.search("13912345678")
    settle(qtbot, runner)
    assert page.not_found.isHidden() and page.file is not None


def test_the_add_user_error_is_shown_whole(qtbot, services, station, ctx_for, runner) -> None:
    dialog = UserDialog(ctx_for(station["manager"]), None, None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.username.setText("A B")  # the longest refusal: what a user name may hold
    dialog.display_name.setText("新信息员")
    dialog.role.setCurrentIndex(dialog.role.findData(Role.CLERK))
    dialog.passwords.password.setText("x")
    dialog.passwords.again.setText("x")
    dialog.save()
    settle(qtbot, runner)
    shown = [lbl for lbl in dialog.findChildren(type(dialog.form.general))
             if lbl.isVisible() and lbl.text() and lbl.styleSheet()]
    assert shown, "an error is shown"
    qtbot.wait(50)
    for lbl in shown:
        assert lbl.wordWrap()
        needed = lbl.heightForWidth(lbl.width())
        assert lbl.height() >= needed, (lbl.text(), lbl.height(), needed)
        assert lbl.geometry().right() <= dialog.width()


def test_the_english_header_labels_source_and_customer(qtbot, services, station, ctx_for,
                                                       runner) -> None:
    order = _order(services, station)
    set_language("en")
    editor = OrderEditor(ctx_for(station["clerk"]), order.id)
    qtbot.addWidget(editor)
    settle(qtbot, runner)
    assert editor.header.source.text() == f"Source: {label(OrderSource.PHONE)}"
    assert editor.header.customer.text() == "Customer: 周晓明 13912345678"
    set_language("zh_CN")


def test_the_sla_column_is_on_screen_at_1280_px(qtbot, services, station, runner,
                                                clock) -> None:
    for i in range(3):
        _order(services, station, f"1391234567{i}", f"客户{i}")
        clock.now += timedelta(minutes=1)
    for language in ("zh_CN", "en"):
        set_language(language)
        window = open_main_window(services, station["manager"], runner)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        page = window.show_page("orders")  # the manager starts on the dashboard
        settle(qtbot, runner)
        table = page.table
        header = table.horizontalHeader()
        right = header.sectionViewportPosition(COL_SLA) + header.sectionSize(COL_SLA)
        # any one late promise fits (several at once elide, whole in the tooltip)
        widest = max(table.fontMetrics().horizontalAdvance(f"⚠ {label(p)}") for p in Promise)
        assert header.sectionSize(COL_SLA) >= widest
        assert right <= table.viewport().width(), (language, right, table.viewport().width())
        assert table.horizontalScrollBar().maximum() == 0
        window.close()
    set_language("zh_CN")


def test_the_user_and_customer_dialogs_mark_every_field_at_once(qtbot, services, station,
                                                                ctx_for, runner) -> None:
    from app.ui.customers.new_customer import NewCustomerDialog

    users = UserDialog(ctx_for(station["manager"]), None, None)
    qtbot.addWidget(users)
    users.show()
    users.save()
    settle(qtbot, runner)
    assert users.form.invalid_fields() == ["username", "display_name", "password"]
    customers = NewCustomerDialog(ctx_for(station["clerk"]))
    qtbot.addWidget(customers)
    customers.show()
    customers.save()
    settle(qtbot, runner)
    assert customers.form.invalid_fields() == ["name", "phones"]
