"""The order editor says who pays: 保内/保外 with its reason in the header, a 付费方 column
the user cannot type in, the 客户应付 / 厂家索赔 totals of the saved lines, and the travel
distance of an on-site order saved with the order."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from app.domain.enums import ChargeKind, OrderSource, OrderType, ServiceMode
from app.services.customers import CustomerInput, ProductInput
from app.services.orders import ChargeInput, NewOrder
from app.services.warranty_policy import DEMO_POLICY_CSV
from app.ui.orders.editor_charges import COL_DESCRIPTION, COL_PAYER
from app.ui.orders.editor_dialog import OrderEditor
from tests.ui.conftest import settle


def order(services, station, bought: date, mode: ServiceMode = ServiceMode.ON_SITE):
    services.policy.import_bytes(station["manager"], DEMO_POLICY_CSV.encode(), "demo")
    created = services.orders.create(station["clerk"], NewOrder(
        OrderType.REPAIR, OrderSource.PHONE, mode, "不制冷", "13812345678",
        customer=CustomerInput("李雷", ("13812345678",), "北京市海淀区学院路1号"),
        product=ProductInput("KFR-35GW/BP3DN1Y", "SN1", bought, "FP1", 12),
        technician_id=station["tech"].user_id))
    return services.orders.set_charges(station["manager"], created.id, [
        ChargeInput(ChargeKind.LABOUR, "维修工时费", 1, 8000),
        ChargeInput(ChargeKind.OTHER, "加购遥控器", 1, 6800)], created.revision)


def payers(editor: OrderEditor) -> dict[str, str]:
    table = editor.charges.table
    return {table.item(r, COL_DESCRIPTION).text(): table.item(r, COL_PAYER).text()
            for r in range(table.rowCount())}


def test_the_editor_shows_the_coverage_the_payers_and_both_totals(qtbot, services, station,
                                                                   ctx_for, runner,
                                                                   tmp_path) -> None:
    detail = order(services, station, date(2025, 12, 1))
    editor = OrderEditor(ctx_for(station["manager"]), detail.id)
    qtbot.addWidget(editor)
    settle(qtbot, runner)
    assert editor.header.warranty.text() == "保内"
    assert editor.header.coverage.text() == "保内：空调整机12个月，购机2025-12-01，保修至2026-11-30"
    assert payers(editor) == {"维修工时费": "厂家", "加购遥控器": "客户"}
    assert editor.charges.split.text() == "客户应付：¥68.00    厂家索赔：¥80.00"
    # the payer cannot be typed: the column is read-only
    item = editor.charges.table.item(0, COL_PAYER)
    assert not item.flags() & Qt.ItemFlag.ItemIsEditable
    # a new line says its payer is decided on saving, then shows the policy's answer
    editor.tabs.setCurrentWidget(editor.charges)
    row = editor.charges.add_line(ChargeKind.TRAVEL, "上门费", 1, "30")
    assert editor.charges.table.item(row, COL_PAYER).text() == "保存后确定"
    qtbot.mouseClick(editor.charges.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert payers(editor)["上门费"] == "厂家"
    assert services.orders.detail(detail.id).claimed_fen == 8000 + 3000
    assert editor.charges.split.text() == "客户应付：¥68.00    厂家索赔：¥110.00"
    editor.resize(1100, 600)
    editor.grab().save(str(tmp_path / "payers.png"))


def test_out_of_warranty_and_the_travel_distance(qtbot, services, station, ctx_for,
                                                 runner) -> None:
    detail = order(services, station, date(2023, 3, 1))
    editor = OrderEditor(ctx_for(station["clerk"]), detail.id)
    qtbot.addWidget(editor)
    settle(qtbot, runner)
    assert editor.header.warranty.text() == "保外"
    assert editor.header.coverage.text() == "保外：已过保修期（至2024-02-29）"
    assert set(payers(editor).values()) == {"客户"}
    fields = editor.fields
    assert fields.travel_km.isEnabled() and fields.travel_km.text() == "未填"
    fields.travel_km.setValue(18)
    qtbot.mouseClick(fields.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert services.orders.detail(detail.id).travel_km == 18
    # a workshop order has no distance to type
    fields.service_mode.setCurrentIndex(fields.service_mode.findData(ServiceMode.WORKSHOP))
    assert not fields.travel_km.isEnabled()
