"""零件订购 and 旧件 through their pages: the manager starts a draft from the suggestions and
submits it; head office's confirmation and shipment (applied as sync would) show; the clerk
receives part of what arrived and the stock goes up. A warranty repair's old part is packed
into a shipment by the clerk, the manager marks it shipped with its carrier, its manifest
saves as PDF. A technician sees none of the manager-only actions on any parts page."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.domain.parts import OldPartStatus, PartsOrderStatus, ShipmentStatus, part_id
from app.services.sync_apply import apply_change
from app.ui.parts.count_page import CountPage
from app.ui.parts.old_parts_page import OldPartsPage
from app.ui.parts.parts_orders_page import PartsOrdersPage
from app.ui.parts.stock_page import StockPage
from sync import protocol as p
from tests.services.helpers import new_order
from tests.ui.conftest import settle
from tests.ui.parts_helpers import on_hand, quiet_timers, seed_parts  # noqa: F401 - a fixture
from tests.ui.test_parts_sale import SavePrompts

pytestmark = pytest.mark.usefixtures("quiet_timers")


def _hq(services, order, status: str, lines: dict[str, tuple[int, int]], hq_seq: int) -> None:
    payload: dict[str, Any] = {
        "parts_order_id": order.id, "number": order.number, "status": status,
        "hq_revision": hq_seq, "note": "电机缺货", "confirmed_at": "2026-06-01T03:00:00+00:00",
        "shipped_at": "2026-06-02T03:00:00+00:00" if status == "shipped" else None,
        "lines": [{"part_id": part_id(no), "part_no": no, "quantity": 0,
                   "confirmed_quantity": c, "shipped_quantity": sh}
                  for no, (c, sh) in lines.items()]}
    change = p.Change(hq_seq, p.HqEntity.PARTS_ORDER_UPDATE.value, order.id, "upsert", payload)
    with services.db.write() as s:
        apply_change(s, change, services.parts_orders.clock())
    services.bus.publish({"parts_orders"})


def test_draft_submit_and_receive_in_part(qtbot, services, station, ctx_for, runner) -> None:
    seed_parts(services, station["manager"])
    boss = PartsOrdersPage(ctx_for(station["manager"]))
    qtbot.addWidget(boss)
    settle(qtbot, runner)
    with qtbot.waitSignal(boss.loaded, timeout=10_000):
        qtbot.mouseClick(boss.new_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    draft = boss.detail
    assert draft is not None and draft.status is PartsOrderStatus.DRAFT
    # GR-FAN-12 holds 2 at a threshold of 2: ordered up to twice the threshold
    assert [(x.part_no, x.quantity) for x in draft.lines] == [("GR-FAN-12", 2)]
    # the manager adds a part by number and submits
    qtbot.keyClicks(boss.picker.box, "MD-PUMP-08")
    qtbot.keyClick(boss.picker.box, Qt.Key.Key_Return)
    settle(qtbot, runner)
    assert "MD-PUMP-08" in boss.lines.parts
    row = boss.lines.parts.index("MD-PUMP-08")
    boss.lines.table.item(row, 3).setText("4")
    with qtbot.waitSignal(boss.loaded, timeout=10_000):
        qtbot.mouseClick(boss.submit_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    sent = boss.detail
    assert sent.status is PartsOrderStatus.SUBMITTED and not boss.save_button.isEnabled()
    ordered = {x.part_no: x.quantity for x in sent.lines}
    assert ordered["MD-PUMP-08"] == 4

    _hq(services, sent, "shipped", {no: (q, q) for no, q in ordered.items()}, 42)
    clerk = PartsOrdersPage(ctx_for(station["clerk"]))
    qtbot.addWidget(clerk)
    settle(qtbot, runner)
    assert clerk.new_button.isHidden()
    clerk.orders.selectRow(0)
    settle(qtbot, runner)
    assert clerk.detail.status is PartsOrderStatus.SHIPPED
    assert "电机缺货" in clerk.hq_note.text()
    assert clerk.receive_button.isEnabled() and not clerk.submit_button.isEnabled()
    row = clerk.lines.parts.index("MD-PUMP-08")
    for r in range(clerk.lines.table.rowCount()):
        clerk.lines.table.item(r, 7).setText("")
    clerk.lines.set_receive(row, 3)  # one is still on the way
    with qtbot.waitSignal(clerk.loaded, timeout=10_000):
        qtbot.mouseClick(clerk.receive_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert clerk.detail.status is PartsOrderStatus.PARTLY_RECEIVED
    assert on_hand(services, "MD-PUMP-08") == 4
    # more than is still awaited: the service's refusal at the form
    clerk.lines.set_receive(row, 5)
    qtbot.mouseClick(clerk.receive_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert clerk.form.error_text() and on_hand(services, "MD-PUMP-08") == 4


def test_old_parts_shipment_and_manifest(qtbot, services, station, ctx_for, runner,
                                         tmp_path: Path) -> None:
    seed_parts(services, station["manager"])
    order = new_order(services, station["clerk"], technician_id=station["tech"].user_id,
                      purchase_date=date(2026, 1, 10))
    services.order_parts.issue(station["tech"], order.id, part_id("GR-FAN-12"), 1)
    clerk = OldPartsPage(ctx_for(station["clerk"]))
    qtbot.addWidget(clerk)
    settle(qtbot, runner)
    assert clerk.old.rowCount() == 1 and clerk.carrier_box.isHidden()
    clerk.old.selectRow(0)
    with qtbot.waitSignal(clerk.shipment_changed, timeout=10_000) as made:
        qtbot.mouseClick(clerk.pack_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    shipment = made.args[0]
    assert shipment.number.startswith("RS-BJ001-")
    assert clerk.selected_shipment().number == shipment.number
    assert services.old_parts.old_parts()[0].status is OldPartStatus.PACKED

    boss = OldPartsPage(ctx_for(station["manager"]))
    qtbot.addWidget(boss)
    settle(qtbot, runner)
    boss.select_shipment(shipment.number)
    qtbot.mouseClick(boss.ship_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert boss.form.error_text("carrier")  # a carrier is required
    boss.carrier.setText("顺丰 SF1234567890")
    with qtbot.waitSignal(boss.shipment_changed, timeout=10_000) as shipped:
        qtbot.mouseClick(boss.ship_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert shipped.args[0].status is ShipmentStatus.SHIPPED
    prompts = SavePrompts(tmp_path / "manifest.pdf")
    boss.printer.prompts = prompts
    button = boss.findChild(type(boss.ship_button), "manifest_save")
    with qtbot.waitSignal(boss.printer.finished, timeout=30_000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert prompts.errors == [] and (tmp_path / "manifest.pdf").read_bytes()[:4] == b"%PDF"

    # head office inspects it; the result comes back by sync and shows in the list
    (old,) = services.old_parts.old_parts()
    change = p.Change(7, p.HqEntity.OLD_PART_INSPECTION.value, old.id, "upsert",
                      {"old_part_id": old.id, "tag_no": old.tag_no, "status": "inspected",
                       "result": "defect_confirmed", "note": "绕组烧毁",
                       "at": "2026-06-10T08:00:00+00:00"})
    with services.db.write() as s:
        kinds = apply_change(s, change, services.old_parts.clock())
    services.bus.publish(kinds)
    boss.status.setCurrentIndex(0)  # all states
    with qtbot.waitSignal(boss.loaded, timeout=10_000):
        boss.refresh()
    settle(qtbot, runner)
    assert boss.old.item(0, 5).text() == "总部已鉴定"
    assert boss.old.item(0, 7).text() == "确认故障"
    assert boss.old.item(0, 7).toolTip().endswith("绕组烧毁")


def test_a_technician_sees_no_manager_actions(qtbot, services, station, ctx_for,
                                              runner) -> None:
    seed_parts(services, station["manager"])
    services.counts.open(station["manager"])
    tech = ctx_for(station["tech"])
    stock = StockPage(tech)
    count = CountPage(tech)
    old = OldPartsPage(tech)
    for page in (stock, count, old):
        qtbot.addWidget(page)
        page.show()
    settle(qtbot, runner)
    stock.table.selectRow(0)
    settle(qtbot, runner)
    assert not stock.import_button.isVisible()
    assert not stock.detail.settings_box.isVisible()
    assert not count.post_box.isVisible() and not count.open_button.isVisible()
    assert count.scan.isEnabled()  # but a technician counts
    assert not old.carrier_box.isVisible()
    # and the services refuse anyway
    from app.ui.extensions import REGISTRY
    keys = [p.key for p in REGISTRY.pages(station["tech"])]
    assert "sales" not in keys and "parts_orders" not in keys
    stock.detail.save()
    settle(qtbot, runner)
    assert stock.detail.form.error_text()  # the service's refusal, should the button be used
