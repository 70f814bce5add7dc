"""The review of the window of a station of several devices (issue 15), one test per fix: a
long device name stays in its place, a revoked token shows as revoked before head office's list
says so, a clash's long values wrap side by side and name the record, a clerk sees a shortage
as it is (not as settled) and cannot settle it, the offline registration is refused up front
to a clerk, shortcuts on every button, Chinese only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtWidgets import QDialogButtonBox, QLabel
from sqlalchemy import select

from app.services.sync_apply import add_conflict
from app.services.sync_store import sync_state
from app.store.models import Customer, SyncConflict, SyncDevice, SyncRegistration
from app.ui.settings_page.devices import DevicesSection
from app.ui.startup.join_dialog import JoinDialog
from app.ui.sync.register_dialog import RegisterDialog
from app.ui.sync.status import SyncStatusWidget
from tests.ui.conftest import settle
from tests.ui.test_devices_ui import _conflicts_page, _shortage, shot

LONG_NAME = "车间维修电脑" + "一二三四五六七八九十" * 5 + "ABCDEFGH"  # head office's 64 at most
LONG_ADDRESS = "北京市海淀区中关村南大街" + "某某小区某某号楼某某单元" * 12


def devices(services, *, name: str = "外勤笔记本", last_result: str = "ok") -> None:
    """This store is device 2 of BJ001 (``name``), beside 柜台电脑; the last sync's result."""
    now = datetime.now(UTC)
    with services.db.write() as s:
        reg = s.scalar(select(SyncRegistration))
        if reg is None:
            reg = SyncRegistration(hq_url="https://hq.example.com", station_code="BJ001")
            s.add(reg)
        reg.device_number, reg.device_name, reg.device_tag = 2, name, "B"
        for number, device, tag in ((1, "柜台电脑", ""), (2, name, "B")):
            s.add(SyncDevice(number=number, name=device, tag=tag, revoked=False,
                             last_push_at=now - timedelta(hours=1),
                             last_pull_at=now - timedelta(hours=1), high_water=10))
        state = sync_state(s)
        state.last_result = last_result
        state.last_message = "" if last_result == "ok" else (
            '{"template": "Head office has stopped this device (its token was revoked). Call '
            'head office.", "params": {}}')
        state.last_attempt_at = state.last_success_at = now


def test_the_indicator_cuts_a_long_device_name_and_tells_it_whole(qtbot, services, station,
                                                                  runner, ctx_for) -> None:
    devices(services, name=LONG_NAME)
    widget = SyncStatusWidget(ctx_for(station["clerk"]))
    qtbot.addWidget(widget)
    widget.show()
    settle(qtbot, runner)
    text = widget.label.text()
    assert text.startswith(LONG_NAME[:15] + "… · ") and LONG_NAME not in text
    assert "上次同步" in text  # the rest of the indicator still has its room
    assert widget.label.sizeHint().width() < 600
    assert f"本机：{LONG_NAME}" in widget.label.toolTip()
    shot(widget, "review-long-name")


def test_a_revoked_token_shows_as_revoked_at_once(qtbot, services, station, runner,
                                                  ctx_for) -> None:
    """Head office refused the token: the list it sent before still says 在用, the window
    must not."""
    devices(services, last_result="revoked")
    widget = SyncStatusWidget(ctx_for(station["manager"]))
    qtbot.addWidget(widget)
    widget.show()
    settle(qtbot, runner)
    assert "本机已被总部停用" in widget.label.text()
    section = DevicesSection(ctx_for(station["manager"]))
    qtbot.addWidget(section)
    section.resize(900, 620)
    section.show()
    settle(qtbot, runner)
    assert section.banner.isVisible() and "停用" in section.banner.text()
    assert section.unsent_table.isVisible()
    assert section.unsent_table.rowCount() == len(services.sync.unsent_changes(station["manager"], 500)) > 0
    assert section.export_button.isEnabled()
    assert section.table.item(1, 4).text() == "本机、已停用"
    shot(section, "review-revoked")


def test_the_devices_table_keeps_every_column_in_view_with_a_long_name(
        qtbot, services, station, runner, ctx_for) -> None:
    devices(services, name=LONG_NAME)
    section = DevicesSection(ctx_for(station["manager"]))
    qtbot.addWidget(section)
    section.resize(900, 420)
    section.show()
    settle(qtbot, runner)
    table = section.table
    last = table.columnCount() - 1
    assert table.columnViewportPosition(last) + table.columnWidth(last) <= \
        table.viewport().width()
    assert table.item(1, 0).toolTip() == f"{LONG_NAME} (B)"  # the whole name on hover
    shot(section, "review-long-table")


def _customer_clash(services, station) -> str:
    """Another device changed a customer first; this device's long address lost."""
    from tests.services.helpers import new_order

    new_order(services, station["clerk"], phone="13812345678")
    with services.db.write() as s:
        customer = s.scalars(select(Customer)).first()
        assert customer is not None
        add_conflict(s, "op:review-1", "stale_device_edit", "customer", customer.id,
                     "This device's change was made before it had received another "
                     "device's newer version.", "Head office keeps the other device's version.",
                     datetime.now(UTC), fields={
                         "address": {"ours": LONG_ADDRESS, "theirs": "北京市朝阳区",
                                     "base": None},
                         "name": {"ours": "外勤改的名字", "theirs": "车间改的名字", "base": None}})
        return s.scalar(select(SyncConflict.id).where(SyncConflict.source_key == "op:review-1"))


def test_a_device_clash_wraps_long_values_side_by_side_and_names_the_record(
        qtbot, services, station, runner, ctx_for) -> None:
    conflict_id = _customer_clash(services, station)
    page = _conflicts_page(qtbot, runner, ctx_for(station["manager"]))
    page.select(conflict_id)
    settle(qtbot, runner)
    title = page.detail.title.text()
    assert title == "本站另一台设备先改过：客户 车间改的名字", title
    assert "customer" not in title
    table = page.detail.device_panel.table
    assert table.columnViewportPosition(2) + table.columnWidth(2) <= table.viewport().width()
    assert abs(table.columnWidth(1) - table.columnWidth(2)) <= 2  # the two sides alike
    address_row = next(r for r in range(table.rowCount()) if table.item(r, 1).text() ==
                       LONG_ADDRESS)
    assert table.rowHeight(address_row) > 40  # wrapped onto more lines, nothing cut
    assert table.height() >= table.horizontalHeader().height() + sum(
        table.rowHeight(r) for r in range(table.rowCount()))
    page.grab().save(str(__import__("tests.ui.test_devices_ui", fromlist=["SHOTS"]).SHOTS
                         / "devices-review-clash.png"))


def test_a_clerk_sees_the_shortage_as_it_is_and_cannot_settle_it(
        qtbot, services, station, runner, ctx_for, clock) -> None:
    part_no = _shortage(services, clock)
    page = _conflicts_page(qtbot, runner, ctx_for(station["clerk"]))
    conflict = next(c for c in page.conflicts if c.kind == "stock_shortage")
    page.select(conflict.id)
    settle(qtbot, runner)
    panel = page.detail.shortage_panel
    assert "不再短缺" not in panel.part.text()  # it is still short: never said otherwise
    assert part_no in panel.part.text() and "-1" in panel.part.text()
    assert panel.stock.text() == "库存短缺只能由站长处理。"
    assert not panel.settle_button.isEnabled() and not panel.count_button.isVisible()
    assert part_no in page.detail.title.text() and "part" not in page.detail.title.text()


def test_the_shortage_settle_button_has_its_shortcut(qtbot, services, station, runner,
                                                     ctx_for, clock) -> None:
    _shortage(services, clock)
    page = _conflicts_page(qtbot, runner, ctx_for(station["manager"]))
    conflict = next(c for c in page.conflicts if c.kind == "stock_shortage")
    page.select(conflict.id)
    settle(qtbot, runner)
    panel = page.detail.shortage_panel
    assert panel.settle_button.text() == "标记已处理(&S)"
    assert panel.count_button.text() == "盘点该配件(&P)…"


def test_the_register_dialog_refuses_a_clerk_up_front(qtbot, services, station, runner,
                                                      ctx_for) -> None:
    dialog = RegisterDialog(ctx_for(station["clerk"]))
    qtbot.addWidget(dialog)
    dialog.show()
    settle(qtbot, runner)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert not dialog.offline.isEnabled() and not dialog.token.isEnabled()
    assert not save.isEnabled()
    assert "信息员" in dialog.form.error_text()
    assert save.text() == "保存"
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"


def test_the_register_dialog_offline_option_for_the_manager(qtbot, services, station, runner,
                                                            ctx_for) -> None:
    dialog = RegisterDialog(ctx_for(station["manager"]))
    qtbot.addWidget(dialog)
    dialog.show()
    settle(qtbot, runner)
    assert dialog.offline.isEnabled() and dialog.token.isEnabled()
    assert dialog.offline.text().startswith("暂不连接总部(&L)")
    assert dialog.form.error_text() == ""


def test_the_join_dialog_speaks_chinese_only(qtbot, services, runner) -> None:
    from tests.ui.test_join_ui import StubJoin

    dialog = JoinDialog(StubJoin(), runner)
    qtbot.addWidget(dialog)
    dialog.show()
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "repair-station" not in texts and "add-device" not in texts
    assert "令牌只显示一次" in texts


def test_the_unsent_changes_name_their_data_and_action_in_chinese(qtbot, services, station,
                                                                  runner, ctx_for) -> None:
    """An order made on the revoked laptop: its customer, order and notification rows read
    in words (no ``notification``, ``notify.order_received``, ``received``)."""
    import re

    from tests.services.helpers import new_order

    order = new_order(services, station["clerk"], phone="13812345678")
    devices(services, last_result="revoked")
    section = DevicesSection(ctx_for(station["manager"]))
    qtbot.addWidget(section)
    section.resize(900, 620)
    section.show()
    settle(qtbot, runner)
    table = section.unsent_table
    rows = [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]
    words = {(r[1], r[2]) for r in rows}
    assert ("通知", "通知") in words and ("工单", "新建") in words, words
    code = re.compile(r"\b[a-z]+[._][a-z_.]+\b|\b(received|accepted|assigned)\b")
    for row in rows:
        for column in (1, 2, 5):
            assert not code.search(row[column]), row
    summary = next(r[5] for r in rows if order.number in r[5])
    assert summary == f"{order.number} 已受理", summary


def test_the_conflict_list_names_a_shortage_by_its_part(qtbot, services, station, runner,
                                                        ctx_for, clock) -> None:
    part_no = _shortage(services, clock)
    page = _conflicts_page(qtbot, runner, ctx_for(station["clerk"]))
    row = next(i for i, c in enumerate(page.conflicts) if c.kind == "stock_shortage")
    subject = page.table.item(row, 2).text()
    assert subject.startswith(f"{part_no} 压缩机启动电容") and "-1" in subject, subject


def test_a_clerk_gets_no_note_field_for_a_clash_they_cannot_settle(
        qtbot, services, station, runner, ctx_for) -> None:
    conflict_id = _customer_clash(services, station)
    page = _conflicts_page(qtbot, runner, ctx_for(station["clerk"]))
    page.select(conflict_id)
    settle(qtbot, runner)
    assert not page.detail.note.isVisible()
    assert not page.detail.device_panel.keep_button.isEnabled()
    manager = _conflicts_page(qtbot, runner, ctx_for(station["manager"]))
    manager.select(conflict_id)
    settle(qtbot, runner)
    assert manager.detail.note.isVisible()


def test_a_revoked_device_settings_page_opens_at_its_devices(qtbot, services, station, runner,
                                                             ctx_for) -> None:
    """The banner and the unsent changes are below the station, head office and printing
    sections: a revoked device's settings page scrolls down to them."""
    from app.ui.settings_page.page import SettingsPage

    devices(services, last_result="revoked")
    page = SettingsPage(ctx_for(station["manager"]))
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    settle(qtbot, runner)
    qtbot.waitUntil(lambda: page.devices.banner.isVisible())
    qtbot.wait(20)
    banner = page.devices.banner
    top = banner.mapTo(page, banner.rect().topLeft()).y()
    assert 0 <= top < page.height(), top  # on screen, not far below
    page.grab().save(str(__import__("tests.ui.test_devices_ui", fromlist=["SHOTS"]).SHOTS
                         / "devices-review-revoked-page.png"))


def test_the_stock_shortage_list_tells_its_movements_on_hover(qtbot, services, station, runner,
                                                              ctx_for, clock) -> None:
    from app.ui.parts.stock_page import StockPage

    _shortage(services, clock)
    page = StockPage(ctx_for(station["manager"]))
    qtbot.addWidget(page)
    page.show()
    settle(qtbot, runner)
    tip = page.shortages.table.item(0, 3).toolTip()
    assert "tech2" in tip and "SO-BJ001-20260601-B0003" in tip


class _FailingJoin:
    """A join that fails at once as the line or head office answered."""

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def state(self):
        from app.services.device_join import JoinState

        return JoinState("", 0, 0)

    def cancel(self) -> None:
        pass

    def start(self, *_args, **_kw):
        raise self.error

    def resume(self, *_args, **_kw):
        raise self.error


def test_a_failed_join_speaks_of_joining_not_of_syncing(qtbot, services, runner) -> None:
    """No F9, no 'changes waiting to be sent', no 'register again' on a PC that is joining:
    the address or the token, by its field."""
    from sync.client import SyncError

    for code, field, words in ((SyncError.OFFLINE, "hq_url", "总部地址"),
                               (SyncError.UNAUTHORIZED, "token", "设备令牌")):
        dialog = JoinDialog(_FailingJoin(SyncError(code, "Head office cannot be reached.")),
                            runner)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.join_button.click()
        settle(qtbot, runner)
        shown = dialog.error_text(field)
        assert words in shown, shown
        assert "F9" not in shown and "待上传" not in shown and "重新注册" not in shown
        assert dialog.join_button.isEnabled()


def test_an_order_merge_shows_times_locally_and_the_technician_by_name(
        qtbot, services, station, runner, ctx_for) -> None:
    """No ``responded_at``, no ISO time, no user key: 响应时间 in local time, the technician
    by name (the live rig's 设备之间合并了工单状态 showed all three raw)."""
    from app.store.models import OutboxOp
    from app.ui.formatting import local_time
    from tests.services.helpers import new_order

    order = new_order(services, station["clerk"], phone="13812345678")
    when = datetime(2026, 12, 1, 19, 12, 17, 853886, tzinfo=UTC)
    tech = station["tech"] if "tech" in station else next(
        a for a in station.values() if a.role.value == "technician")
    with services.db.write() as s:
        op_id = s.scalar(select(OutboxOp.op_id).where(OutboxOp.entity_id == order.id)
                         .order_by(OutboxOp.seq.desc()))
        add_conflict(s, f"op:{op_id}", "order_status_merged", "service_order", order.id,
                     "merged", "merged", datetime.now(UTC), fields={
                         "status": {"ours": "assigned", "theirs": "accepted", "base": None},
                         "responded_at": {"ours": when.isoformat(),
                                          "theirs": (when - timedelta(seconds=1)).isoformat(),
                                          "base": None},
                         "technician_id": {"ours": tech.user_id, "theirs": None, "base": None},
                         "customer_id": {"ours": order.customer_id if hasattr(
                             order, "customer_id") else "93c65ce9-40f9-4ff0-8923-4ee2639a032b",
                             "theirs": "93c65ce9-40f9-4ff0-8923-4ee2639a032b", "base": None}})
        conflict_id = s.scalar(select(SyncConflict.id).where(
            SyncConflict.source_key == f"op:{op_id}"))
    page = _conflicts_page(qtbot, runner, ctx_for(station["manager"]))
    page.select(conflict_id)
    settle(qtbot, runner)
    table = page.detail.device_panel.table
    rows = {table.item(r, 0).text(): (table.item(r, 1).text(), table.item(r, 2).text())
            for r in range(table.rowCount())}
    # to the second: the two sides' times share their minute and must not look alike
    assert rows["响应时间"][0] == when.astimezone().strftime("%Y-%m-%d %H:%M:%S"), rows
    assert rows["响应时间"][0] != rows["响应时间"][1]
    assert rows["响应时间"][0].startswith(local_time(when))
    assert rows["维修工程师"] == (tech.display_name, "（不详）"), rows
    assert rows["客户"][1] == "（另一条记录）", rows
    for ours, theirs in rows.values():
        assert "T19:" not in ours + theirs and "+00:00" not in ours + theirs
        assert tech.user_id not in ours + theirs
