"""In the order editor: a record entered by mistake voided with a reason (struck through,
missing from the printed report), completion locking the work, times entered afterwards,
and taking payment at completion with the day's summary following."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from app.domain.enums import ChargeKind
from app.domain.parts import PaymentMethod
from app.domain.payments import PaymentStatus
from app.domain.state_machine import Action
from app.services.orders import ChargeInput
from app.ui.orders import editor_repairs
from app.ui.payments import payment_dialog
from app.ui.payments.day_page import DaySummaryPage
from tests.services.helpers import new_order
from tests.ui.conftest import settle
from tests.ui.test_order_flow import open_editor


def _started(services, station, clock):
    clerk, tech = station["clerk"], station["tech"]
    order = new_order(services, clerk)
    services.orders.transition(clerk, order.id, Action.ACCEPT)
    services.orders.transition(clerk, order.id, Action.ASSIGN, technician_id=tech.user_id)
    clock.now += timedelta(hours=1)
    order = services.orders.transition(tech, order.id, Action.START_ON_SITE)
    order = services.orders.add_repair_record(tech, order.id, "压缩机不启动", "更换电容", 30)
    return services.orders.add_repair_record(tech, order.id, "录错了", "录错了", 0)


def _action(editor, name):
    return next(a for a in editor.order_actions if a.objectName() == name)


def test_a_voided_record_is_struck_through_and_not_printed(qtbot, services, station, clock,
                                                           ctx_for, runner, monkeypatch):
    order = _started(services, station, clock)
    editor = open_editor(qtbot, runner, ctx_for(station["tech"]), order.id)
    tab = editor.repairs
    assert tab.edit_button.isEnabled() is False  # nothing chosen yet
    tab.table.selectRow(1)
    assert tab.void_button.isEnabled()
    monkeypatch.setattr(editor_repairs.reason, "ask_reason", lambda *a: "录入错误")
    with qtbot.waitSignal(editor.order_loaded, timeout=10_000):
        qtbot.mouseClick(tab.void_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    item = tab.table.item(1, 2)
    assert item.font().strikeOut() and "录入错误" in item.text()
    sheet = services.reports.sheet(order.number)
    assert [r.diagnosis for r in sheet.repairs] == ["压缩机不启动"]
    tab.table.selectRow(1)
    assert not tab.void_button.isEnabled()  # already voided


def test_completion_locks_the_tabs_and_times_can_be_entered(qtbot, services, station, clock,
                                                            ctx_for, runner):
    order = _started(services, station, clock)
    clock.now += timedelta(hours=1)
    services.orders.transition(station["tech"], order.id, Action.COMPLETE)
    editor = open_editor(qtbot, runner, ctx_for(station["tech"]), order.id)
    assert not editor.repairs.add_button.isEnabled()
    editor.repairs.table.selectRow(0)
    assert not editor.repairs.void_button.isEnabled()
    assert not editor.photos.add_button.isEnabled()
    times = _action(editor, "enter_times")
    assert times.isEnabled()
    dialog = times.open_dialog()
    qtbot.addWidget(dialog)
    real = order.called_at + timedelta(minutes=40)
    dialog.arrived.change.setChecked(True)
    local = real.astimezone().replace(tzinfo=None)
    dialog.arrived.edit.setDateTime(local)
    with qtbot.waitSignal(editor.order_loaded, timeout=10_000):
        dialog.save()
    settle(qtbot, runner)
    assert services.orders.detail(order.id).arrived_at == real.replace(second=0, microsecond=0)
    # a time before the call is refused next to its field
    dialog = times.open_dialog()
    qtbot.addWidget(dialog)
    dialog.arrived.change.setChecked(True)
    dialog.arrived.edit.setDateTime((order.called_at - timedelta(hours=1))
                                    .astimezone().replace(tzinfo=None))
    dialog.save()
    settle(qtbot, runner)
    assert "来电" in dialog.form.error_text("arrived_at")
    # a clerk has no such action at all
    clerk_editor = open_editor(qtbot, runner, ctx_for(station["clerk"]), order.id)
    assert all(a.objectName() != "enter_times" for a in clerk_editor.order_actions)


def test_payment_at_completion_and_the_day_summary(qtbot, services, station, clock, ctx_for,
                                                   runner, monkeypatch):
    tech = station["tech"]
    order = _started(services, station, clock)
    order = services.orders.set_charges(
        tech, order.id, [ChargeInput(ChargeKind.LABOUR, "工时费", 1, 12000)], order.revision)
    clerk_ctx = ctx_for(station["clerk"])
    editor = open_editor(qtbot, runner, clerk_ctx, order.id)
    assert not _action(editor, "order_payment").isEnabled()  # not completed yet
    services.orders.transition(tech, order.id, Action.COMPLETE)
    editor.load()
    settle(qtbot, runner)
    action = _action(editor, "order_payment")
    assert action.isEnabled()
    dialog = action.open_dialog()
    qtbot.addWidget(dialog)
    settle(qtbot, runner)
    assert dialog.amount.text() == "120.00" and "120.00" in dialog.summary.text()
    assert not dialog.waive_button.isVisible() or not dialog.waive_button.isVisibleTo(dialog)
    dialog.amount.setText("500")
    dialog.receive()
    settle(qtbot, runner)
    assert "120.00" in dialog.form.error_text("amount_fen")
    dialog.amount.setText("100")
    dialog.method.setCurrentIndex(dialog.method.findData(PaymentMethod.WECHAT))
    dialog.receive()
    settle(qtbot, runner)
    assert dialog.table.rowCount() == 1 and dialog.amount.text() == "20.00"
    state = services.payments.state(order.id)
    assert state.status is PaymentStatus.PARTLY_PAID
    page = DaySummaryPage(clerk_ctx)
    qtbot.addWidget(page)
    settle(qtbot, runner)
    wechat_row = [page.table.item(r, 1).text() for r in range(page.table.rowCount())
                  if page.table.item(r, 0).text() == "微信"]
    assert wechat_row == ["¥100.00"]
    # the manager waives the rest with a reason
    boss_editor = open_editor(qtbot, runner, ctx_for(station["manager"]), order.id)
    boss_dialog = _action(boss_editor, "order_payment").open_dialog()
    qtbot.addWidget(boss_dialog)
    settle(qtbot, runner)
    monkeypatch.setattr(payment_dialog.reason, "ask_reason", lambda *a: "老客户优惠")
    boss_dialog.waive()
    settle(qtbot, runner)
    assert services.payments.state(order.id).status is PaymentStatus.WAIVED
