"""The 保养提醒 page: registered for the desk (not a technician); the list shows the due
products with the overdue marked and first; the horizon selector; 生成保养工单 (button and
Ctrl+G) creates the maintenance order and opens it; a product with open orders asks for a
reason first; the export writes the call list; a technician's page offers no export."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from app.domain.enums import OrderType
from app.services.warranty_policy import DEMO_POLICY_CSV
from app.store.models import ServiceOrder
from app.ui.extensions import REGISTRY
from app.ui.maintenance.page import OVERDUE_BACKGROUND, MaintenancePage
from tests.services.helpers import new_order
from tests.services.test_maintenance import product
from tests.ui.conftest import settle

SHOTS = Path(tempfile.gettempdir()) / "repair-station-shots"


def maintenance_orders(services) -> int:
    with services.db.read() as s:
        return s.scalar(select(func.count()).select_from(ServiceOrder).where(
            ServiceOrder.order_type == OrderType.MAINTENANCE.value))


def open_page(qtbot, runner, ctx) -> MaintenancePage:
    page = MaintenancePage(ctx)
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.show()
    settle(qtbot, runner)
    return page


def finish(qtbot, runner, page: MaintenancePage) -> None:
    """Lets the refresh the orders' change announced run before the runner stops."""
    qtbot.waitUntil(lambda: not page._timer.isActive())
    settle(qtbot, runner)
    for editor in page.opened_editors:
        if shiboken6.isValid(editor):
            editor.close()
    settle(qtbot, runner)


def setup(services, station) -> dict[str, str]:
    services.policy.import_bytes(station["manager"], DEMO_POLICY_CSV.encode("utf-8"))
    clerk = station["clerk"]
    return {
        "late": product(services, clerk, "KFR-35GW", date(2025, 1, 10), name="李雷",
                        serial="A1", phone="13800000001"),
        "soon": product(services, clerk, "CXW-200", date(2025, 12, 20), name="韩梅梅",
                        serial="A2", phone="13800000002"),
        "later": product(services, clerk, "EC6002", date(2025, 8, 1), name="王芳",
                         serial="A3", phone="13800000003"),
    }


def test_page_is_registered_for_the_desk_only(station) -> None:
    import app.ui.areas as areas

    areas.load_areas()
    assert "maintenance" in [p.key for p in REGISTRY.pages(station["clerk"])]
    assert "maintenance" in [p.key for p in REGISTRY.pages(station["manager"])]
    assert "maintenance" not in [p.key for p in REGISTRY.pages(station["tech"])]


def test_the_list_shows_due_products_and_the_button_creates_the_order(
        qtbot, runner, services, station, ctx_for) -> None:
    ids = setup(services, station)
    ctx = ctx_for(station["clerk"])
    messages: list[str] = []
    ctx.status_message = messages.append
    page = open_page(qtbot, runner, ctx)
    table = page.table
    # 30 days from 2026-06-01: the air conditioner is overdue, the range hood due on 6-20
    assert [r.product_id for r in page.rows] == [ids["late"], ids["soon"]]
    assert table.item(0, 2).text() == "李雷" and table.item(0, 3).text() == "13800000001"
    assert "逾期" in table.item(0, 1).text()
    assert table.item(0, 0).background().color() == OVERDUE_BACKGROUND
    assert table.item(1, 1).text() == "19 天后到期"
    assert "2 台" in page.summary.text()
    assert not page.create_button.isEnabled()
    SHOTS.mkdir(exist_ok=True)
    page.grab().save(str(SHOTS / "maintenance-page.png"))
    # a wider horizon lists the water heater too
    page.horizon.setCurrentIndex(page.horizon.findData(90))
    page.horizon.activated.emit(page.horizon.currentIndex())
    settle(qtbot, runner)
    assert [r.product_id for r in page.rows] == [ids["late"], ids["soon"], ids["later"]]

    page.select_product(ids["late"])
    assert page.create_button.isEnabled()
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert maintenance_orders(services) == 1
    (editor,) = page.opened_editors
    order = editor.current_order()
    assert order.order_type is OrderType.MAINTENANCE and order.product.id == ids["late"]
    assert order.contact_phone == "13800000001"
    assert any(order.number in m for m in messages)
    # the product with its open maintenance order has left the list
    qtbot.waitUntil(lambda: not page._timer.isActive())
    settle(qtbot, runner)
    assert ids["late"] not in [r.product_id for r in page.rows]
    # Ctrl+G on the selection
    page.select_product(ids["soon"])
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, runner)
    assert maintenance_orders(services) == 2
    finish(qtbot, runner, page)


def test_open_orders_on_the_product_ask_for_a_reason(qtbot, runner, services, station,
                                                     ctx_for) -> None:
    services.policy.import_bytes(station["manager"], DEMO_POLICY_CSV.encode("utf-8"))
    repair = new_order(services, station["clerk"], serial="SN-OPEN",
                       purchase_date=date(2025, 1, 1))
    page = open_page(qtbot, runner, ctx_for(station["clerk"]))
    page.select_product(repair.product.id)
    page.create_orders()
    settle(qtbot, runner)
    assert not page.warn_box.isHidden() and "SN-OPEN" in page.warn_text.text()
    assert maintenance_orders(services) == 0
    SHOTS.mkdir(exist_ok=True)
    page.grab().save(str(SHOTS / "maintenance-warning.png"))
    page.create_anyway()  # no reason yet: refused, nothing stored
    settle(qtbot, runner)
    assert maintenance_orders(services) == 0 and page.error.text_shown()
    page.ack_reason.setText("客户来电时顺便保养")
    qtbot.mouseClick(page.anyway_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert maintenance_orders(services) == 1 and page.warn_box.isHidden()
    finish(qtbot, runner, page)


def test_export_writes_the_call_list_and_a_technician_gets_no_button(
        qtbot, runner, services, station, ctx_for, tmp_path) -> None:
    setup(services, station)
    page = open_page(qtbot, runner, ctx_for(station["clerk"]))
    assert page.xlsx_button.isVisibleTo(page) and page.xlsx_button.isEnabled()
    done: list = []
    page.exported.connect(done.append)
    page.export_to(tmp_path / "due.xlsx")
    settle(qtbot, runner)
    assert done and done[0].rows == 2 and (tmp_path / "due.xlsx").exists()
    tech_page = open_page(qtbot, runner, ctx_for(station["tech"]))
    assert not tech_page.xlsx_button.isVisibleTo(tech_page)
    assert not tech_page.create_button.isEnabled()
