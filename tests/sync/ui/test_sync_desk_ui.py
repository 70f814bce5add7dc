"""The sync desk in the window (issue 9, items 2 and 3): a conflict settled field by field
both ways and synced; registration reachable from an unregistered window; a registration made
on the command line noticed without a restart; F9 from an open order window."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from app.services.orders import OrderEdit
from app.store.models import OutboxOp
from app.ui.sync import status as status_module
from app.ui.sync.conflicts import ConflictsPage
from app.ui.sync.register_dialog import RegisterDialog
from app.ui.sync.status import SyncStatusWidget
from tests.sync.ui.conftest import TOKEN
from tests.ui.conftest import settle

ORDER_ID = "7d0c1a52-8d7e-4c1b-9a55-0f6a1d2b3c4d"
SHOTS = Path("/tmp/sync-desk-shots")


def _dispatch(hq) -> None:  # type: ignore[no-untyped-def]
    hq.publish("dispatch_order", ORDER_ID, {
        "order_id": ORDER_ID, "number": "SO-BJ001-20260601-5001", "order_type": "repair",
        "service_mode": "on_site", "fault_description": "不制冷", "contact_phone": "13911112222",
        "service_address": "北京市海淀区1号", "customer": {
            "name": "陈女士", "phones": ["13911112222"], "address": "北京"},
        "hq_reference": "CC-1", "hq_revision": 1}, station="BJ001")


def _stale_edit(services, station, fake_sync, hq) -> None:  # type: ignore[no-untyped-def]
    fake_sync.register(station["manager"], "https://hq.example.com", "BJ001", TOKEN)
    _dispatch(hq)
    fake_sync.sync_now()
    order = services.orders.detail(ORDER_ID)
    services.orders.update(station["clerk"], ORDER_ID, OrderEdit(
        order.order_type, order.service_mode, order.fault_description, order.contact_phone,
        "北京市海淀区1号2单元", None), order.revision)
    hq.publish("order_update", ORDER_ID, {"order_id": ORDER_ID, "base_revision": 1,
                                          "hq_revision": 2, "fields": {
                                              "service_address": "北京市海淀区9号",
                                              "fault_description": "不制冷，有异响",
                                              "contact_phone": "13911113333"}},
               station="BJ001")
    fake_sync.sync_now()


def test_a_conflict_is_settled_field_by_field_and_synced(qtbot, services, station, runner,
                                                         ctx_for, fake_sync, hq) -> None:
    _stale_edit(services, station, fake_sync, hq)
    clerk_page = ConflictsPage(ctx_for(station["clerk"]))
    qtbot.addWidget(clerk_page)
    page = ConflictsPage(ctx_for(station["manager"]))
    qtbot.addWidget(page)
    page.resize(1100, 760)
    settle(qtbot, runner)
    assert page.table.rowCount() == 1
    assert page.table.item(0, 1).text() == "总部修改了本站已改动的工单"
    assert page.table.item(0, 2).text() == "SO-BJ001-20260601-5001"
    page.table.selectRow(0)
    settle(qtbot, runner)
    detail = page.detail
    # the fields side by side, in Chinese: this station, head office, where both started
    find = detail.findChild
    assert find(object, "service_address_ours").text() == "北京市海淀区1号2单元"
    assert find(object, "service_address_theirs").text() == "北京市海淀区9号"
    assert find(object, "service_address_base").text() == "北京市海淀区1号"
    assert "总部也修改了它" in detail.explain.text()
    assert "JSON" not in detail.explain.text() and "{" not in detail.sides.text()
    page.show()
    SHOTS.mkdir(exist_ok=True)
    page.grab().save(str(SHOTS / "conflict_fields.png"))
    # a clerk sees the same but cannot settle
    clerk_page.table.selectRow(0)
    settle(qtbot, runner)
    assert clerk_page.detail.findChild(object, "service_address_ours") is not None
    assert not clerk_page.detail.settle_button.isEnabled()

    # nothing chosen for a field that differs: the refusal names that field
    qtbot.mouseClick(detail.settle_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert "请选择" in detail.rows["contact_phone"].error.text()
    # an edited value is checked like the order form
    detail.rows["contact_phone"].buttons["edited"].setChecked(True)
    detail.rows["contact_phone"].editor.setText("12")
    detail.rows["service_address"].buttons["ours"].setChecked(True)
    detail.rows["fault_description"].buttons["theirs"].setChecked(True)
    qtbot.mouseClick(detail.settle_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert detail.rows["contact_phone"].error.text()
    assert services.orders.detail(ORDER_ID).fault_description == "不制冷"  # nothing stored
    # keep ours, take head office's, and a typed phone
    detail.rows["contact_phone"].editor.setText("13911114444")
    detail.note.setText("电话与客户核实")
    qtbot.mouseClick(detail.settle_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    qtbot.waitUntil(lambda: page.table.rowCount() == 0, timeout=5000)
    order = services.orders.detail(ORDER_ID)
    assert order.service_address == "北京市海淀区1号2单元"  # kept ours
    assert order.fault_description == "不制冷，有异响"  # took head office's
    assert order.contact_phone.replace(" ", "").replace("-", "") == "13911114444"
    with services.db.read() as s:
        events = [json.loads(o.payload) for o in s.scalars(
            select(OutboxOp).where(OutboxOp.entity == "sync_conflict"))]
    settled = [e for e in events if "resolution" in e]
    assert len(settled) == 1
    assert settled[0]["resolution"]["service_address"]["choice"] == "ours"
    assert settled[0]["resolution"]["fault_description"]["choice"] == "theirs"
    assert settled[0]["resolution"]["contact_phone"]["choice"] == "edited"
    fake_sync.sync_now()
    assert any(k[0] == "sync_conflict" and "resolution" in row
               for k, row in hq.books["BJ001"].rows.items())
    # settled conflicts stay readable, with how they were settled
    page.show_resolved.setChecked(True)
    settle(qtbot, runner)
    page.table.selectRow(0)
    settle(qtbot, runner)
    assert "由 boss" in page.detail.outcome.text()
    assert "保留本站" in page.detail.outcome.text() and "采用总部" in page.detail.outcome.text()
    page.grab().save(str(SHOTS / "conflict_settled.png"))


def test_a_late_cancel_offers_keep_the_completion(qtbot, services, station, runner, ctx_for,
                                                  fake_sync, hq) -> None:
    from tests.sync.station.test_sync_pull import work_to_completion

    fake_sync.register(station["manager"], "https://hq.example.com", "BJ001", TOKEN)
    _dispatch(hq)
    fake_sync.sync_now()
    work_to_completion(services, station, ORDER_ID)
    fake_sync.sync_now()
    hq.publish("cancel_order", ORDER_ID, {"order_id": ORDER_ID, "reason": "撤单"},
               station="BJ001")
    fake_sync.sync_now()
    page = ConflictsPage(ctx_for(station["manager"]))
    qtbot.addWidget(page)
    settle(qtbot, runner)
    page.table.selectRow(0)
    settle(qtbot, runner)
    detail = page.detail
    assert detail.keep_button.isVisibleTo(page) and detail.cancel_button.isVisibleTo(page)
    assert not detail.settle_button.isVisibleTo(page)
    assert "完工之后" in detail.explain.text()
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page, timeout=3000)
    detail.note.setFocus()
    detail.note.setText("已上门维修")
    qtbot.keyClick(detail.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, runner)  # Ctrl+Enter: the main action, keeping the completion
    qtbot.waitUntil(lambda: page.table.rowCount() == 0, timeout=5000)
    assert fake_sync.conflicts(include_resolved=True)[0].resolution["action"]["choice"] \
        == "keep_completion"


def _dialogs() -> list[RegisterDialog]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, RegisterDialog) and w.isVisible()]


def test_a_manager_registers_from_an_unregistered_window(qtbot, services, station, runner,
                                                         ctx_for, fake_sync, hq) -> None:
    widget = SyncStatusWidget(ctx_for(station["manager"]))
    qtbot.addWidget(widget)
    widget.show()
    settle(qtbot, runner)
    assert widget.label.text().startswith("未注册到总部")
    # 立即同步 and its menu stay reachable while unregistered
    assert widget.sync_action.isEnabled() and widget.button.isEnabled()
    assert widget.register_action.isEnabled()
    widget.sync_action.trigger()  # F9 / 立即同步 while unregistered: the registration
    settle(qtbot, runner)
    [dialog] = _dialogs()
    widget.sync_action.trigger()  # F9 again, inside the dialog: no second dialog
    settle(qtbot, runner)
    assert _dialogs() == [dialog]
    dialog.hq_url.setText("https://hq.example.com")
    dialog.token.setText(TOKEN)
    with qtbot.waitSignal(widget.finished, timeout=10_000) as blocker:
        dialog.save()  # registered, then the first sync starts by itself
    assert blocker.args == [True]
    settle(qtbot, runner)
    assert fake_sync.is_registered()
    assert widget.label.text().startswith("在线")
    for box in QApplication.topLevelWidgets():
        if isinstance(box, QMessageBox):
            box.close()


def test_a_clerk_is_told_to_ask_the_manager(qtbot, services, station, runner, ctx_for,
                                            fake_sync, hq, monkeypatch) -> None:
    said: list[str] = []
    monkeypatch.setattr(status_module, "show_message", lambda parent, text: said.append(text))
    widget = SyncStatusWidget(ctx_for(station["clerk"]))
    qtbot.addWidget(widget)
    settle(qtbot, runner)
    assert widget.sync_action.isEnabled()
    assert not widget.sync_now(manual=True)
    assert said == ["本站尚未向总部注册，请站长注册。"]
    assert _dialogs() == []


def test_a_registration_made_on_the_command_line_is_noticed(qtbot, services, station, runner,
                                                            ctx_for, fake_sync, hq) -> None:
    widget = SyncStatusWidget(ctx_for(station["clerk"]))
    qtbot.addWidget(widget)
    widget.show()
    settle(qtbot, runner)
    assert widget.label.text().startswith("未注册到总部")
    assert widget.watch.isActive()
    assert widget.watch.interval() == status_module.REGISTRATION_POLL_MS
    # what `repair-station register` does, in another process: no change announced here
    from app.services.events import ChangeBus
    from app.services.sync_service import SyncService
    from app.services.sync_token import FileTokenStore
    from tests.sync.station.fake_hq import fake_transport_factory

    elsewhere = SyncService(services.db, ChangeBus(), FileTokenStore(services.paths.root),
                            transport_factory=fake_transport_factory(hq))
    elsewhere.register(station["manager"], "https://hq.example.com", "BJ001", TOKEN)
    settle(qtbot, runner)
    assert widget.label.text().startswith("未注册到总部")
    widget.watch.timeout.emit()  # the poll
    settle(qtbot, runner)
    qtbot.waitUntil(lambda: widget.label.text().startswith("尚未同步"), timeout=5000)
    # the first sync comes soon, not after the background interval
    assert widget.timer.isActive()
    assert widget.timer.interval() == status_module.FIRST_SYNC_DELAY_MS


def test_f9_syncs_from_an_open_order_window(qtbot, services, station, runner,
                                            fake_sync, hq) -> None:
    from app.ui.orders.editor_dialog import OrderEditor
    from app.ui.window import close_main_window, open_main_window

    fake_sync.register(station["manager"], "https://hq.example.com", "BJ001", TOKEN)
    _dispatch(hq)
    fake_sync.sync_now()
    window = open_main_window(services, station["manager"], runner)
    qtbot.addWidget(window)
    window.show()
    settle(qtbot, runner)
    widget = window.findChild(SyncStatusWidget)
    assert widget is not None
    editor = OrderEditor(widget.ctx, ORDER_ID, parent=window)
    editor.show()
    editor.activateWindow()
    settle(qtbot, runner)
    hq.publish("notice", "n1", {"id": "n1", "title": "通知", "body": "内容"})
    with qtbot.waitSignal(widget.finished, timeout=10_000) as blocker:
        qtbot.keyClick(editor.tabs, Qt.Key.Key_F9)
    assert blocker.args == [True]
    settle(qtbot, runner)
    assert fake_sync.status().unread_notices == 1
    editor.close()
    close_main_window(window)


def test_f9_syncs_from_a_modal_dialog_too(qtbot, services, station, runner, fake_sync,
                                          hq) -> None:
    from PySide6.QtWidgets import QDialog, QLineEdit, QVBoxLayout

    from app.ui.window import close_main_window, open_main_window

    fake_sync.register(station["manager"], "https://hq.example.com", "BJ001", TOKEN)
    window = open_main_window(services, station["manager"], runner)
    qtbot.addWidget(window)
    window.show()
    settle(qtbot, runner)
    widget = window.findChild(SyncStatusWidget)
    assert widget is not None
    dialog = QDialog(window)
    field = QLineEdit(dialog)
    QVBoxLayout(dialog).addWidget(field)
    dialog.setModal(True)
    dialog.open()  # the main window is blocked: its own shortcuts do not reach it
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=3000)
    qtbot.waitUntil(lambda: widget.sync_action in dialog.actions(), timeout=3000)
    with qtbot.waitSignal(widget.finished, timeout=10_000) as blocker:
        qtbot.keyClick(field, Qt.Key.Key_F9)
    assert blocker.args == [True]
    dialog.close()
    close_main_window(window)
