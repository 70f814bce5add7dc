"""The screens read the permission matrix (issue 9, item 1): a technician is never offered an
action the matrix denies him — no new order, no editing another technician's order, no moves,
charges, photos or records on it, no waiver, no users, sales, parts-ordering, claims or
takings pages — and a clerk is not offered the technician's own actions (parts, times). Each
check is against ``app.domain.permissions`` itself, and the same screens offer the actions to
those the matrix allows, so the test cannot pass on a screen that offers nothing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QPushButton, QWidget

from app.domain.charges import Charge
from app.domain.enums import ChargeKind
from app.domain.permissions import Permission, View
from app.domain.state_machine import PERMISSION_OF, Action
from app.services.context import Actor
from app.services.orders import OrderDetail
from app.ui.feedback.order_action import FeedbackOrderAction
from app.ui.orders.editor_dialog import OrderEditor
from app.ui.orders.times_dialog import TimesAction
from app.ui.parts.order_parts import OrderPartsAction
from app.ui.payments.payment_dialog import PaymentAction, PaymentDialog
from app.ui.window import close_main_window, open_main_window
from tests.services.helpers import new_order
from tests.services.test_order_parts import OUT_OF_WARRANTY
from tests.ui.conftest import settle

P = Permission
GRABS = Path("/tmp/permissions-ui")

#: the editor's buttons and the permission each one takes (the moves: action_<move>)
EDITOR_BUTTONS: dict[str, Permission] = {
    "save_order": P.ORDER_EDIT,
    "add_charge": P.ORDER_CHARGES,
    "remove_charge": P.ORDER_CHARGES,
    "save_charges": P.ORDER_CHARGES,
    "add_photo": P.ORDER_PHOTO,
    "void_photo": P.ORDER_CORRECT,
    "add_repair": P.ORDER_REPAIR_RECORD,
    "edit_repair": P.ORDER_CORRECT,
    "void_repair": P.ORDER_CORRECT,
} | {f"action_{a.value}": PERMISSION_OF[a] for a in Action}
#: the editor's toolbar actions other areas add
EDITOR_ACTIONS: dict[type, Permission] = {
    OrderPartsAction: P.PARTS_ISSUE,
    TimesAction: P.ORDER_TIMES,
    PaymentAction: P.PAYMENT_TAKE,
    FeedbackOrderAction: P.FEEDBACK_WRITE,
}
#: pages shown only to those who may act on (or, for reading desks, see) them
PAGES = {
    "users": lambda a: a.may(P.USER_MANAGE),
    "sales": lambda a: a.may(P.SALE_CREATE),
    "parts_orders": lambda a: a.may(P.PARTS_ORDER) or a.may(P.PARTS_RECEIVE),
    "visits": lambda a: a.may(P.VISIT_RECORD),
    "claims": lambda a: a.sees(View.CLAIMS),
    "day_summary": lambda a: a.sees(View.DAY_TAKINGS),
    "dashboard": lambda a: a.may(P.REPORT_VIEW),
    "reports": lambda a: a.may(P.REPORT_VIEW),
}


def grab(widget: QWidget, name: str) -> None:
    GRABS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(GRABS / f"{name}.png"))


def on_site(services, station, worker: str, serial: str, phone: str) -> OrderDetail:
    order = new_order(services, station["clerk"], technician_id=station[worker].user_id,
                      serial=serial, phone=phone)
    services.orders.transition(station[worker], order.id, Action.START_ON_SITE)
    services.orders.add_repair_record(station[worker], order.id, "电容鼓包", "更换电容", 30)
    return services.orders.detail(order.id)


def open_editor(qtbot, runner, ctx, order_id: str) -> OrderEditor:
    editor = OrderEditor(ctx, order_id)
    qtbot.addWidget(editor)
    editor.show()
    settle(qtbot, runner)
    assert editor.current_order() is not None
    return editor


def offered(editor: OrderEditor) -> dict[str, Permission]:
    """Every enabled, shown editor button or toolbar action that takes a permission."""
    out = {}
    for button in editor.findChildren(QPushButton):
        permission = EDITOR_BUTTONS.get(button.objectName())
        if permission is not None and button.isEnabled() and not button.isHidden():
            out[button.objectName()] = permission
    for action in editor.order_actions:
        permission = EDITOR_ACTIONS.get(type(action))
        if permission is not None and action.isEnabled():
            out[type(action).__name__] = permission
    return out


def assert_only_allowed(editor: OrderEditor, actor: Actor) -> dict[str, Permission]:
    detail = editor.current_order()
    shown = offered(editor)
    denied = {name: p for name, p in shown.items()
              if not actor.may(p, assigned_to=detail.technician_id)}
    assert not denied, f"{actor.username} is offered what the matrix denies: {denied}"
    return shown


def test_a_technician_sees_no_page_or_window_action_he_may_not_use(qtbot, services, station,
                                                                   runner) -> None:
    tech = station["tech"]
    window = open_main_window(services, tech, runner)
    window.show()
    settle(qtbot, runner)
    grab(window, "technician-window")
    for key, shown in PAGES.items():
        assert (key in window.page_keys()) is shown(tech), key
    assert not {"users", "sales", "parts_orders", "claims", "day_summary",
                "visits"} & set(window.page_keys())

    # 新建工单: neither Ctrl+N, nor the orders page, nor the customer file offers it
    assert not window.new_order_action.isEnabled()
    window.new_order()
    assert not window.page("orders").findChildren(OrderEditor)
    assert not window.page("orders").new_button_action.isVisible()
    assert not window.page("orders").new_button.isVisible()
    customers = window.page("customers")
    assert customers.new_order_button.isHidden() and customers.new_customer_button.isHidden()
    # parts pages he may open: nothing of the manager's on them
    assert window.page("stock").import_button.isHidden()
    assert window.page("old_parts").carrier_box.isHidden()
    # no page he is shown offers importing the warranty policy (三包政策: the manager's)
    for key in window.page_keys():
        page = window.page(key)
        offers = [w.text() for w in page.findChildren(QPushButton) + page.findChildren(QAction)
                  if "政策" in w.text() and w.isEnabled() and not (
                      isinstance(w, QPushButton) and w.isHidden())]
        assert not offers, (key, offers)
    counts = window.page("counts")
    assert not counts.open_button.isVisibleTo(counts) and not counts.post_button.isVisibleTo(
        counts)
    close_main_window(window)


def test_the_manager_is_offered_those_pages_and_the_new_order(qtbot, services, station,
                                                             runner) -> None:
    window = open_main_window(services, station["manager"], runner)
    window.show()
    settle(qtbot, runner)
    assert set(PAGES) <= set(window.page_keys())
    assert window.new_order_action.isEnabled()
    # the manager starts on the dashboard; the orders page offers the new order
    assert window.show_page("orders").new_button.isVisible()
    close_main_window(window)


def test_on_another_technicians_order_a_technician_is_offered_nothing_that_writes(
        qtbot, services, station, runner, ctx_for) -> None:
    tech = station["tech"]
    other = on_site(services, station, "tech2", "SN-OTHER", "13812340001")
    editor = open_editor(qtbot, runner, ctx_for(tech), other.id)
    grab(editor, "technician-on-another-order")
    shown = assert_only_allowed(editor, tech)
    assert not shown, shown  # no move, field, charge, photo, record, parts, times or payment
    assert not editor.header.buttons[Action.COMPLETE].isEnabled()


def test_on_his_own_order_a_technician_is_offered_his_work_and_nothing_more(
        qtbot, services, station, runner, ctx_for) -> None:
    tech = station["tech"]
    own = on_site(services, station, "tech", "SN-OWN", "13812340002")
    editor = open_editor(qtbot, runner, ctx_for(tech), own.id)
    grab(editor, "technician-on-his-order")
    shown = assert_only_allowed(editor, tech)
    assert {"add_repair", "add_photo", "save_charges", "action_complete",
            "OrderPartsAction", "TimesAction"} <= set(shown)
    assert "save_order" not in shown  # the order's fields are the desk's


def test_a_technician_is_not_offered_the_waiver(qtbot, services, station, runner,
                                                ctx_for) -> None:
    tech = station["tech"]
    order = new_order(services, station["clerk"], technician_id=tech.user_id,
                      serial="SN-PAY", phone="13812340003", purchase_date=OUT_OF_WARRANTY)
    services.orders.transition(tech, order.id, Action.START_ON_SITE)
    order = services.orders.detail(order.id)
    services.orders.set_charges(tech, order.id, [Charge(ChargeKind.LABOUR, "维修工时", 1, 5000)],
                                order.revision)
    services.orders.transition(tech, order.id, Action.COMPLETE)
    editor = open_editor(qtbot, runner, ctx_for(tech), order.id)
    action = next(a for a in editor.order_actions if isinstance(a, PaymentAction))
    assert action.isEnabled()  # he takes the money on his own order
    dialog = action.open_dialog()
    assert isinstance(dialog, PaymentDialog)
    qtbot.addWidget(dialog)
    settle(qtbot, runner)
    grab(dialog, "technician-payment")
    assert dialog.waive_button.isHidden()
    assert dialog.receive_button.isEnabled()
    dialog.close()

    boss_dialog = PaymentDialog(ctx_for(station["manager"]), editor, order)
    qtbot.addWidget(boss_dialog)
    assert not boss_dialog.waive_button.isHidden()


def test_a_clerk_is_not_offered_the_technicians_actions(qtbot, services, station, runner,
                                                       ctx_for) -> None:
    clerk = station["clerk"]
    order = on_site(services, station, "tech", "SN-DESK", "13812340004")
    editor = open_editor(qtbot, runner, ctx_for(clerk), order.id)
    grab(editor, "clerk-on-an-order")
    kinds = {type(a) for a in editor.order_actions}
    assert OrderPartsAction not in kinds and TimesAction not in kinds  # issue parts, times
    shown = assert_only_allowed(editor, clerk)
    assert not {"action_start_workshop", "action_wait_parts", "action_complete",
                "void_repair", "edit_repair"} & set(shown)
    assert {"save_order", "add_repair", "save_charges"} <= set(shown)  # the desk's own work
