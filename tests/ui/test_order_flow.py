"""An order's life through the window: created in the editor, found on the orders page by
phone and by serial (typed + Enter, as a scanner does), moved through every state with the
status buttons by the right people, and seen in the customer's repair history.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.domain.enums import OrderStatus, WarrantyStatus
from app.domain.state_machine import Action
from app.ui.customers.page import CustomersPage
from app.ui.orders.editor_dialog import OrderEditor
from app.ui.orders.page import OrdersPage
from tests.ui.conftest import FakePrompts, settle
from tests.ui.ui_helpers import PHONE, SERIAL, create_order_via_ui


def open_editor(qtbot, runner, ctx, order_id, prompts=None) -> OrderEditor:
    editor = OrderEditor(ctx, order_id, prompts=prompts)
    qtbot.addWidget(editor)
    settle(qtbot, runner)
    assert editor.current_order() is not None
    return editor


def press(qtbot, runner, editor: OrderEditor, action: Action) -> None:
    button = editor.header.buttons[action]
    assert button.isEnabled(), f"{action} should be enabled"
    with qtbot.waitSignal(editor.order_loaded, timeout=10_000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)


def enabled_actions(editor: OrderEditor) -> set[Action]:
    return {a for a, b in editor.header.buttons.items() if b.isEnabled()}


def test_create_find_move_and_see_in_history(qtbot, services, station, ctx_for, runner):
    clerk_ctx, tech_ctx = ctx_for(station["clerk"]), ctx_for(station["tech"])

    # the clerk takes the call
    editor = OrderEditor(clerk_ctx, None)
    qtbot.addWidget(editor)
    detail = create_order_via_ui(qtbot, runner, editor)
    assert detail.number.startswith("SO-BJ001-")
    assert detail.status is OrderStatus.RECEIVED
    assert detail.customer.phones == (PHONE,)
    assert detail.product is not None and detail.product.serial_no == SERIAL
    assert detail.warranty is WarrantyStatus.UNKNOWN
    assert editor.header.number.text() == detail.number
    assert enabled_actions(editor) == set(detail.actions) == {Action.ACCEPT}

    # found on the orders page by phone, and by serial typed like a scanner
    page = OrdersPage(clerk_ctx)
    qtbot.addWidget(page)
    settle(qtbot, runner)
    page.search(PHONE)
    settle(qtbot, runner)
    assert [page.model.row_at(r).id for r in range(page.model.rowCount())] == [detail.id]
    page.search_box.clear()
    qtbot.keyClicks(page.search_box, SERIAL.lower())
    qtbot.keyClick(page.search_box, Qt.Key.Key_Return)
    settle(qtbot, runner)
    assert page.model.rowCount() == 1
    assert page.model.row_at(0).number == detail.number
    page.search("13800000000")
    settle(qtbot, runner)
    assert page.model.rowCount() == 0

    # clerk: accept, then assign to the technician
    tech_id = station["tech"].user_id
    clerk_editor = open_editor(qtbot, runner, clerk_ctx, detail.id,
                               FakePrompts(technician_id=tech_id, satisfaction=5))
    press(qtbot, runner, clerk_editor, Action.ACCEPT)
    assert clerk_editor.current_order().status is OrderStatus.ACCEPTED
    press(qtbot, runner, clerk_editor, Action.ASSIGN)
    assigned = clerk_editor.current_order()
    assert assigned.status is OrderStatus.ASSIGNED and assigned.technician_id == tech_id
    # a clerk cannot start the service: the button stays disabled
    assert not clerk_editor.header.buttons[Action.START_ON_SITE].isEnabled()

    # the other technician may not work it; the assigned one goes on site and completes
    other = open_editor(qtbot, runner, ctx_for(station["tech2"]), detail.id)
    assert enabled_actions(other) == set()
    tech_editor = open_editor(qtbot, runner, tech_ctx, detail.id)
    assert enabled_actions(tech_editor) == {Action.START_ON_SITE, Action.START_WORKSHOP}
    press(qtbot, runner, tech_editor, Action.START_ON_SITE)
    assert tech_editor.current_order().status is OrderStatus.ON_SITE
    press(qtbot, runner, tech_editor, Action.COMPLETE)
    assert tech_editor.current_order().status is OrderStatus.COMPLETED

    # the clerk's editor was opened earlier: reload it, then visit (satisfaction) and close
    clerk_editor.load()
    settle(qtbot, runner)
    press(qtbot, runner, clerk_editor, Action.VISIT)
    visited = clerk_editor.current_order()
    assert visited.status is OrderStatus.VISITED and visited.satisfaction == 5
    press(qtbot, runner, clerk_editor, Action.CLOSE)
    closed = clerk_editor.current_order()
    assert closed.status is OrderStatus.CLOSED
    assert enabled_actions(clerk_editor) == set()  # only a manager may reopen
    assert clerk_editor.prompts.asked == ["technician", "visit"]
    assert services.orders.detail(detail.id).status is OrderStatus.CLOSED

    # the orders page refreshed itself from the "orders" announcement
    page.search(PHONE)
    settle(qtbot, runner)
    assert page.model.row_at(0).status == OrderStatus.CLOSED.value

    # the customer's file shows the order; a history row opens it
    customers = CustomersPage(clerk_ctx)
    qtbot.addWidget(customers)
    settle(qtbot, runner)
    with qtbot.waitSignal(customers.file_loaded, timeout=10_000):
        customers.search(PHONE)
    settle(qtbot, runner)
    assert customers.result_ids() == [detail.customer.id]
    assert customers.history.rowCount() == 1
    assert customers.history.item(0, 0).text() == detail.number
    assert customers.products.table.item(0, 1).text() == SERIAL
    opened = customers.open_history_row(0)
    qtbot.addWidget(opened)
    settle(qtbot, runner)
    assert opened.current_order().id == detail.id


def test_manager_cancels_with_reason(qtbot, services, station, ctx_for, runner):
    clerk_ctx = ctx_for(station["clerk"])
    editor = OrderEditor(clerk_ctx, None)
    qtbot.addWidget(editor)
    detail = create_order_via_ui(qtbot, runner, editor)
    assert Action.CANCEL not in enabled_actions(editor)  # clerks may not cancel

    prompts = FakePrompts(reason="客户已自行修好")
    boss = open_editor(qtbot, runner, ctx_for(station["manager"]), detail.id, prompts)
    press(qtbot, runner, boss, Action.CANCEL)
    cancelled = boss.current_order()
    assert cancelled.status is OrderStatus.CANCELLED
    assert cancelled.cancel_reason == "客户已自行修好"
    assert enabled_actions(boss) == {Action.REOPEN}


def test_cancelled_prompt_changes_nothing(qtbot, services, station, ctx_for, runner):
    editor = OrderEditor(ctx_for(station["clerk"]), None)
    qtbot.addWidget(editor)
    detail = create_order_via_ui(qtbot, runner, editor)
    prompts = FakePrompts(reason=None)  # the manager closes the reason box
    boss = open_editor(qtbot, runner, ctx_for(station["manager"]), detail.id, prompts)
    qtbot.mouseClick(boss.header.buttons[Action.CANCEL], Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert prompts.asked == ["reason"]
    assert services.orders.detail(detail.id).status is OrderStatus.RECEIVED
