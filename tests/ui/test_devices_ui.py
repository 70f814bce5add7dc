"""The window of a station of several devices (issue 15): the status bar names this device and
tells the others' last sync; the settings page lists the station's devices and, on a revoked
device, the changes head office never received with 导出 CSV."""

from __future__ import annotations

import csv
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from app.i18n import tr
from app.store.models import SyncDevice, SyncRegistration
from app.ui.settings_page.devices import DevicesSection
from app.ui.sync.status import SyncStatusWidget
from tests.ui.conftest import settle

SHOTS = Path(tempfile.gettempdir()) / "repair-station-shots"


def shot(widget, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    widget.grab().save(str(SHOTS / f"devices-{name}.png"))


def three_devices(services, *, revoked: bool = False) -> datetime:
    """This store is device 3 (外勤笔记本, C) of BJ001; 柜台电脑 synced an hour ago, 车间电脑
    three days ago, an old laptop revoked."""
    now = datetime.now(UTC)
    with services.db.write() as s:
        reg = s.scalar(select(SyncRegistration))
        if reg is None:
            reg = SyncRegistration(hq_url="https://hq.example.com", station_code="BJ001")
            s.add(reg)
        reg.device_number, reg.device_name, reg.device_tag = 3, "外勤笔记本", "C"
        for number, name, tag, ago, gone in ((1, "柜台电脑", "", timedelta(hours=1), False),
                                             (2, "车间电脑", "B", timedelta(days=3), False),
                                             (3, "外勤笔记本", "C", timedelta(minutes=5), revoked),
                                             (4, "旧笔记本", "D", timedelta(days=40), True)):
            s.add(SyncDevice(number=number, name=name, tag=tag, revoked=gone,
                             last_push_at=now - ago, last_pull_at=now - ago, high_water=10))
    return now


def test_the_indicator_names_this_device_and_the_others_last_sync(qtbot, services, station,
                                                                   runner, ctx_for) -> None:
    three_devices(services)
    widget = SyncStatusWidget(ctx_for(station["clerk"]))
    qtbot.addWidget(widget)
    widget.show()
    settle(qtbot, runner)
    assert widget.label.text().startswith("外勤笔记本 · ")
    tip = widget.label.toolTip()
    assert "本站其他设备" in tip and "柜台电脑" in tip and " 同步" in tip
    assert "车间电脑 3 天未同步" in tip
    assert "旧笔记本 40 天未同步 （已停用）" in tip
    assert "外勤笔记本" not in tip  # this device is the label, not one of the others
    shot(widget, "indicator")


def test_one_device_keeps_the_indicator_as_it_was(qtbot, services, station, runner,
                                                  ctx_for) -> None:
    widget = SyncStatusWidget(ctx_for(station["clerk"]))
    qtbot.addWidget(widget)
    settle(qtbot, runner)
    assert widget.label.text().startswith("未注册到总部")
    assert "本站其他设备" not in widget.label.toolTip()


def test_settings_list_the_station_devices(qtbot, services, station, runner, ctx_for) -> None:
    three_devices(services)
    section = DevicesSection(ctx_for(station["manager"]))
    qtbot.addWidget(section)
    section.resize(900, 420)
    section.show()
    settle(qtbot, runner)
    table = section.table
    rows = [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]
    assert [r[0] for r in rows] == ["柜台电脑", "车间电脑 (B)", "外勤笔记本 (C)", "旧笔记本 (D)"]
    assert rows[0][4] == "主设备、在用" and rows[2][4] == "本机、在用" and rows[3][4] == "已停用"
    assert table.item(2, 0).font().bold() and not table.item(0, 0).font().bold()
    assert section.banner.isHidden() and section.unsent_table.isHidden()
    assert "外勤笔记本" in section.summary.text()
    shot(section, "settings")


def test_a_revoked_device_shows_the_banner_and_exports_its_unsent_changes(
        qtbot, services, station, runner, ctx_for, tmp_path) -> None:
    three_devices(services, revoked=True)
    target = tmp_path / "unsent.csv"
    section = DevicesSection(ctx_for(station["manager"]), ask_path=lambda _p, _s: target)
    qtbot.addWidget(section)
    section.resize(900, 620)
    section.show()
    settle(qtbot, runner)
    assert section.banner.isVisible() and "停用" in section.banner.text()
    unsent = section.unsent_table.rowCount()
    assert unsent == len(services.sync.unsent_changes(station["manager"], 500)) > 0  # the station's set-up rows
    assert section.export_button.isEnabled()
    first = [section.unsent_table.item(0, c).text() for c in range(3)]
    assert first == ["1", "站点信息", "设立"]  # the station's set-up, in words
    assert section.export_button.text().startswith("导出")
    shot(section, "revoked")
    with qtbot.waitSignal(section.exported, timeout=10_000) as blocker:
        section.export_button.click()
    assert blocker.args == [unsent]
    with open(tmp_path / "unsent.csv", encoding="utf-8-sig") as f:
        lines = list(csv.reader(f))
    assert len(lines) == unsent + 1


# -- the conflict desk and the stock page ------------------------------------------------------
def _order_clash(services, station) -> tuple[str, str]:
    """An order this device edited, and head office's answer that another device's newer
    version stands: the conflict as the sync client records it."""
    from app.services.sync_apply import add_conflict
    from app.store.models import OutboxOp
    from tests.services.helpers import new_order

    order = new_order(services, station["clerk"], phone="13812345678")
    with services.db.write() as s:
        op_id = s.scalar(select(OutboxOp.op_id).where(OutboxOp.entity_id == order.id)
                         .order_by(OutboxOp.seq.desc()))
        add_conflict(s, f"op:{op_id}", "stale_device_edit", "service_order", order.id,
                     "This device's change was made before it had received another "
                     "device's newer version.", "Head office keeps the other device's version.",
                     datetime.now(UTC), fields={
                         "contact_phone": {"ours": "13812345678", "theirs": "13900001111",
                                           "base": None},
                         "status": {"ours": "accepted", "theirs": "in_workshop", "base": None}})
        from app.store.models import SyncConflict
        conflict_id = s.scalar(select(SyncConflict.id).where(
            SyncConflict.source_key == f"op:{op_id}"))
    return order.number, conflict_id


def _shortage(services, clock) -> str:
    """GR-CAP-35: one unit received here, two issued by another device (relayed): -1."""
    from app.domain.parts import MovementKind
    from app.services import stock_ledger as ledger
    from app.services.context import SYSTEM
    from app.services.stock_shortage import check_after_relay
    from app.store.models import StockMovement
    from tests.services.test_sales import add_part

    part = add_part(services, "GR-CAP-35", "压缩机启动电容", stock=1, clock=clock)
    with services.db.write() as s:
        move = StockMovement(part_id=part.id, kind=MovementKind.ISSUED.value, quantity=-2,
                             created_at=clock(), username="tech2", reason="",
                             reference="SO-BJ001-20260601-B0003")
        s.add(move)
        s.flush()
        assert check_after_relay(s, move.id, 2, clock())
        assert ledger.on_hand(s, part.id) == -1
    del SYSTEM
    return part.part_no


def _conflicts_page(qtbot, runner, ctx):
    from app.ui.sync.conflicts import ConflictsPage

    page = ConflictsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1000, 760)
    page.show()
    settle(qtbot, runner)
    return page


def test_a_device_clash_shows_both_sides_and_takes_the_other_device(
        qtbot, services, station, runner, ctx_for) -> None:
    number, conflict_id = _order_clash(services, station)
    page = _conflicts_page(qtbot, runner, ctx_for(station["manager"]))
    page.select(conflict_id)
    settle(qtbot, runner)
    detail = page.detail
    assert detail.title.text().startswith("本站另一台设备先改过") and number in detail.title.text()
    table = detail.device_panel.table
    rows = {table.item(r, 0).text(): (table.item(r, 1).text(), table.item(r, 2).text())
            for r in range(table.rowCount())}
    assert rows["联系电话"] == ("13812345678", "13900001111")
    assert table.item(0, 0).text() == "状态"  # the status first, in words
    assert (table.item(0, 1).text(), table.item(0, 2).text()) == ("已接单", "返厂维修中")
    assert detail.grid_holder.isHidden()  # not the head-office edit's three-way grid
    panel = detail.device_panel
    assert panel.keep_button.isVisible() and panel.take_button.isVisible()
    assert panel.keep_button.text() == "保留本机(&O)" and panel.take_button.text() == "采用对方(&T)"
    assert not detail.resolve_button.isVisible()
    page.grab().save(str(SHOTS / "devices-clash.png"))
    detail.note.setText("电话以车间电脑为准")
    panel.take_button.click()
    settle(qtbot, runner)
    info = next(c for c in services.sync.conflicts(include_resolved=True) if c.id == conflict_id)
    assert info.resolved_at is not None and info.resolution_note == "电话以车间电脑为准"
    assert info.resolution["action"]["choice"] == "theirs"
    assert not panel.take_button.isVisible()  # settled: read only


def test_a_clerk_sees_a_device_clash_but_cannot_settle_it(qtbot, services, station, runner,
                                                          ctx_for) -> None:
    _number, conflict_id = _order_clash(services, station)
    page = _conflicts_page(qtbot, runner, ctx_for(station["clerk"]))
    page.select(conflict_id)
    settle(qtbot, runner)
    assert page.detail.device_panel.table.rowCount() == 2
    assert not page.detail.device_panel.keep_button.isEnabled()


def test_a_stock_shortage_on_the_desk_opens_the_count(qtbot, services, station, runner,
                                                      ctx_for, clock) -> None:
    part_no = _shortage(services, clock)
    ctx = ctx_for(station["manager"])
    opened: list[tuple] = []
    ctx.open_page = lambda key, **what: opened.append((key, what))
    page = _conflicts_page(qtbot, runner, ctx)
    conflict = next(c for c in page.conflicts if c.kind == "stock_shortage")
    page.select(conflict.id)
    settle(qtbot, runner)
    panel = page.detail.shortage_panel
    assert panel.part.text() == "GR-CAP-35 压缩机启动电容"
    assert panel.stock.text() == "现有 -1（短缺）"
    assert panel.table.rowCount() >= 1
    cells = [panel.table.item(0, c).text() for c in range(panel.table.columnCount())]
    assert cells[1:5] == ["tech2", tr("another device"), "-2", "工单领用"]
    assert cells[5] == "SO-BJ001-20260601-B0003"
    page.grab().save(str(SHOTS / "devices-shortage-conflict.png"))
    panel.count_button.click()
    assert opened == [("counts", {"part_no": part_no})]
    panel.settle_button.click()  # still short: refused, and said so
    settle(qtbot, runner)
    assert "盘点" in page.detail.general.text() or page.detail.general.text()
    assert conflict.id in {c.id for c in services.sync.conflicts() if c.resolved_at is None}


def test_the_stock_page_shows_a_shortage_in_red_under_every_filter(
        qtbot, services, station, runner, ctx_for, clock) -> None:
    from app.ui.parts.stock_page import SHORT_COLOUR, StockPage

    _shortage(services, clock)
    ctx = ctx_for(station["manager"])
    opened: list[tuple] = []
    ctx.open_page = lambda key, **what: opened.append((key, what))
    page = StockPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    settle(qtbot, runner)
    row = page.part_ids().index(page.rows[[r.part_no for r in page.rows].index("GR-CAP-35")]
                                .part_id)
    on_hand = page.table.item(row, 4)
    assert on_hand.text() == "-1 短缺" and on_hand.foreground().color() == SHORT_COLOUR
    page.low_only.setChecked(True)  # no threshold set: a shortage still shows
    settle(qtbot, runner)
    assert [r.part_no for r in page.rows] == ["GR-CAP-35"]
    box = page.shortages
    assert box.isVisible() and box.table.rowCount() == 1
    assert box.table.item(0, 2).text() == "-1 短缺"
    page.grab().save(str(SHOTS / "devices-stock.png"))
    box.count_button.click()
    assert opened == [("counts", {"part_no": "GR-CAP-35"})]


def test_the_shortage_list_is_the_managers(qtbot, services, station, runner, ctx_for,
                                           clock) -> None:
    from app.ui.parts.stock_page import StockPage

    _shortage(services, clock)
    page = StockPage(ctx_for(station["clerk"]))
    qtbot.addWidget(page)
    page.show()
    settle(qtbot, runner)
    assert not page.shortages.isVisible()
    assert "-1 短缺" in [page.table.item(r, 4).text() for r in range(page.table.rowCount())]
