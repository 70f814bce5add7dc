"""The sync indicator, 立即同步 off the GUI thread, registration, notices and conflicts pages."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from app.domain.enums import OrderSource, OrderType, ServiceMode
from app.services.customers import CustomerInput
from app.services.orders import NewOrder
from app.ui.sync.conflicts import ConflictsPage
from app.ui.sync.notices import NoticesPage
from app.ui.sync.register_dialog import RegisterDialog
from app.ui.sync.status import SyncStatusWidget
from tests.sync.ui.conftest import TOKEN
from tests.ui.conftest import settle

ORDER_ID = "7d0c1a52-8d7e-4c1b-9a55-0f6a1d2b3c4d"


def _dispatch(hq) -> None:  # type: ignore[no-untyped-def]
    hq.publish("dispatch_order", ORDER_ID, {
        "order_id": ORDER_ID, "number": "SO-BJ001-20260601-5001", "order_type": "repair",
        "service_mode": "on_site", "fault_description": "不制冷", "contact_phone": "13911112222",
        "service_address": "北京", "customer": {"name": "陈女士", "phones": ["13911112222"],
                                               "address": "北京"}, "hq_reference": "CC-1",
        "hq_revision": 1}, station="BJ001")


def test_register_then_sync_now_updates_the_indicator(qtbot, services, station, runner,
                                                      ctx_for, fake_sync, hq) -> None:
    ctx = ctx_for(station["manager"])
    widget = SyncStatusWidget(ctx)
    qtbot.addWidget(widget)
    settle(qtbot, runner)
    assert widget.label.text().startswith("未注册到总部")
    assert widget.sync_action.shortcut() == QKeySequence("F9")
    assert widget.sync_action.isEnabled()  # unregistered, 立即同步 leads to registering

    dialog = RegisterDialog(ctx, widget)
    qtbot.addWidget(dialog)
    settle(qtbot, runner)
    assert dialog.station_code.text() == "BJ001"
    dialog.hq_url.setText("https://hq.example.com")
    dialog.token.setText("wrong")
    dialog.save()
    settle(qtbot, runner)
    assert "令牌" in dialog.form.error_text()
    dialog.token.setText(TOKEN)
    with qtbot.waitSignal(dialog.registered, timeout=10_000):
        dialog.save()
    settle(qtbot, runner)
    assert fake_sync.is_registered()

    services.orders.create(station["clerk"], NewOrder(
        OrderType.REPAIR, OrderSource.PHONE, ServiceMode.ON_SITE, "不开机", "13800138000",
        customer=CustomerInput("王五", ("13800138000",)), service_address="北京市海淀区1号"))
    _dispatch(hq)
    hq.publish("notice", "n1", {"id": "n1", "title": "通知", "body": "内容"})
    settle(qtbot, runner)
    assert widget.status.pending > 0
    with qtbot.waitSignal(widget.finished, timeout=10_000) as blocker:
        widget.sync_action.trigger()  # what F9 does
    assert blocker.args == [True]
    settle(qtbot, runner)
    text = widget.label.text()
    assert text.startswith("在线") and widget.status.pending == 0 and "未读公告 1" in text
    assert services.orders.detail(ORDER_ID).source is OrderSource.HEAD_OFFICE


def test_sync_failure_shows_offline_with_the_reason(qtbot, services, station, runner, ctx_for,
                                                     fake_sync, hq) -> None:
    fake_sync.register(station["manager"], "https://hq.example.com", "BJ001", TOKEN)
    hq.revoked.add(TOKEN)
    widget = SyncStatusWidget(ctx_for(station["clerk"]))
    qtbot.addWidget(widget)
    settle(qtbot, runner)
    assert widget.button.menu() is None  # registering is for managers
    with qtbot.waitSignal(widget.finished, timeout=10_000) as blocker:
        assert widget.sync_now(manual=False)
    assert blocker.args == [False]
    settle(qtbot, runner)
    assert widget.label.text().startswith("离线")
    assert "吊销" in widget.label.toolTip()


def test_notices_page_marks_read_and_counts_unread(qtbot, services, station, runner, ctx_for,
                                                   fake_sync, hq) -> None:
    fake_sync.register(station["manager"], "https://hq.example.com", "BJ001", TOKEN)
    for n in range(3):
        hq.publish("notice", f"n{n}", {"id": f"n{n}", "title": f"公告{n}",
                                       "body": f"<b>正文{n}</b>",
                                       "published_at": f"2026-05-0{n + 1}T00:00:00+00:00"})
    fake_sync.sync_now()
    page = NoticesPage(ctx_for(station["clerk"]))
    qtbot.addWidget(page)
    settle(qtbot, runner)
    assert page.table.rowCount() == 3
    assert page.header.text() == "总部公告 3 条，未读 3 条"
    assert page.table.item(0, 0).text() == "公告2"  # newest first
    assert page.table.item(0, 0).font().bold()
    page.table.selectRow(0)
    settle(qtbot, runner)
    assert "<b>正文2</b>" in page.body.toPlainText()  # shown as text, never as markup
    qtbot.waitUntil(lambda: page.header.text() == "总部公告 3 条，未读 2 条", timeout=5000)
    assert fake_sync.status().unread_notices == 2


def test_conflicts_page_lets_a_manager_resolve(qtbot, services, station, runner, ctx_for,
                                               fake_sync, hq) -> None:
    fake_sync.register(station["manager"], "https://hq.example.com", "BJ001", TOKEN)
    hq.publish("price_list", "x", {"v": 1})  # something this version does not know
    fake_sync.sync_now()
    clerk_page = ConflictsPage(ctx_for(station["clerk"]))
    qtbot.addWidget(clerk_page)
    page = ConflictsPage(ctx_for(station["manager"]))
    qtbot.addWidget(page)
    settle(qtbot, runner)
    clerk_page.table.selectRow(0)
    settle(qtbot, runner)
    assert not clerk_page.detail.resolve_button.isEnabled()
    assert page.table.rowCount() == 1
    assert page.table.item(0, 1).text() == "总部发来了本版本不认识的数据"
    assert page.header.text() == "待处理的同步冲突：1"
    page.table.selectRow(0)
    settle(qtbot, runner)
    assert "本版本程序不认识" in page.detail.explain.text()
    assert '"v": 1' in page.detail.sides.text()  # an old free-text record stays readable
    page.detail.note.setText("已与总部确认")
    qtbot.mouseClick(page.detail.resolve_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    qtbot.waitUntil(lambda: page.table.rowCount() == 0, timeout=5000)
    page.show_resolved.setChecked(True)
    settle(qtbot, runner)
    assert page.table.rowCount() == 1
    assert "已与总部确认" in page.table.item(0, 3).text()
    assert fake_sync.status().open_conflicts == 0


def test_background_sync_never_holds_up_the_counter(qtbot, services, station, runner, ctx_for,
                                                   fake_sync, hq) -> None:
    from app.services.order_queries import OrderFilter
    from app.ui.sync import status as status_module

    fake_sync.register(station["manager"], "https://hq.example.com", "BJ001", TOKEN)
    widget = SyncStatusWidget(ctx_for(station["clerk"]))
    qtbot.addWidget(widget)
    settle(qtbot, runner)
    assert widget.timer.isActive()
    hq.faults = ["slow"]  # head office takes its time answering
    widget.timer.timeout.emit()  # the background timer fires
    assert widget.running
    assert hq.slow_started.wait(5)
    # meanwhile the counter keeps working: database work is served at once
    found: list[int] = []
    runner.run(lambda: len(services.orders.search(OrderFilter())), found.append)
    qtbot.waitUntil(lambda: bool(found), timeout=3000)
    assert widget.running
    with qtbot.waitSignal(widget.finished, timeout=10_000) as blocker:
        hq.slow_release.set()
    assert blocker.args == [True]
    assert widget.timer.isActive()
    assert widget.timer.interval() == status_module.BACKGROUND_INTERVAL_MS


def test_main_window_has_the_indicator_f9_and_the_pages(qtbot, services, station, runner,
                                                        fake_sync) -> None:
    from PySide6.QtGui import QAction

    from app.ui.window import close_main_window, open_main_window

    window = open_main_window(services, station["manager"], runner)
    qtbot.addWidget(window)
    settle(qtbot, runner)
    assert {"notices", "conflicts"} <= set(window.page_keys())
    assert window.findChild(SyncStatusWidget) is not None
    shortcuts = {a.shortcut().toString() for a in window.findChildren(QAction)}
    assert "F9" in shortcuts
    close_main_window(window)


def test_sync_now_against_a_real_local_server(qtbot, services, station, runner, ctx_for,
                                              tmp_path) -> None:
    from app.services.sync_service import SyncService
    from app.services.sync_token import FileTokenStore
    from sync.hq.admin import DispatchInput
    from tests.sync.faults.harness import LiveHq, fast_transport

    hq = LiveHq(tmp_path / "hq.sqlite3").start()
    try:
        assert hq.admin is not None
        token = hq.admin.add_station("BJ001", "北京海淀")
        services.sync = SyncService(services.db, services.bus,
                                    FileTokenStore(services.paths.root),
                                    transport_factory=fast_transport)
        services.sync.register(station["manager"], hq.url, "BJ001", token)
        hq.admin.dispatch("BJ001", [DispatchInput("周先生", "13612345678", "北京", "不出水")])
        hq.admin.notice("五一安排", "照常营业", "BJ001")
        widget = SyncStatusWidget(ctx_for(station["manager"]))
        qtbot.addWidget(widget)
        settle(qtbot, runner)
        with qtbot.waitSignal(widget.finished, timeout=20_000) as blocker:
            widget.sync_action.trigger()
        assert blocker.args == [True]
        settle(qtbot, runner)
        assert widget.label.text().startswith("在线")
        assert widget.status.pending == 0 and "未读公告 1" in widget.label.text()
        assert hq.admin.stations()[0].high_water > 0
    finally:
        hq.stop()


def test_register_with_no_line_takes_a_device_token_only(qtbot, services, station, runner,
                                                         ctx_for, fake_sync, hq) -> None:
    ctx = ctx_for(station["manager"])
    dialog = RegisterDialog(ctx)
    qtbot.addWidget(dialog)
    settle(qtbot, runner)
    assert "暂不连接总部" in dialog.offline.text()
    dialog.hq_url.setText("https://hq.example.com")
    dialog.offline.setChecked(True)
    dialog.token.setText(TOKEN)  # the station's own token: head office must check it
    dialog.save()
    settle(qtbot, runner)
    assert "设备令牌" in dialog.form.error_text("token") and not fake_sync.is_registered()
    dialog.token.setText("d3." + "x" * 43)
    with qtbot.waitSignal(dialog.registered, timeout=10_000):
        dialog.save()
    settle(qtbot, runner)
    assert fake_sync.is_registered() and not hq.requests  # nothing went on the line
    with services.db.read() as s:
        from app.store.models import SyncRegistration

        reg = s.get(SyncRegistration, 1)
        assert reg is not None and (reg.device_number, reg.device_tag) == (3, "C")

