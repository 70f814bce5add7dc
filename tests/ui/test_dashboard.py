"""总览: the manager's first page; its tiles show the service's figures, follow committed
changes, and each opens the list behind it (the orders page filtered, the low-stock list,
the visit queue); other roles start on the orders page and never see it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from app.domain.enums import OrderStatus
from app.ui.dashboard.page import REFRESH_DELAY_MS
from app.ui.window import close_main_window, open_main_window
from tests.services.helpers import new_order
from tests.ui.conftest import settle
from tests.ui.parts_helpers import seed_parts


def _numbers(page) -> set[str]:
    return {page.model.row_at(r).number for r in range(page.model.rowCount())}


def test_the_manager_starts_on_the_dashboard_and_each_tile_opens_its_list(
        qtbot, services, station, runner, clock) -> None:
    clerk = station["clerk"]
    seed_parts(services, station["manager"])  # GR-FAN-12 sits at its threshold
    late = new_order(services, clerk, phone="13800000001", serial="SN-1")
    clock.now += timedelta(hours=1)  # the first call waited an hour: respond overdue
    fresh = new_order(services, clerk, phone="13800000002", serial="SN-2")
    window = open_main_window(services, station["manager"], runner)
    qtbot.addWidget(window)
    window.show()
    settle(qtbot, runner)
    assert window.page_keys()[0] == "dashboard"
    dashboard = window.page("dashboard")
    assert window.current_page() is dashboard
    tiles = dashboard.tiles
    assert tiles["today_new"].figure.text() == "2"
    assert tiles["open"].figure.text() == "2"
    assert tiles["overdue"].figure.text() == "1"
    assert tiles["low_stock"].figure.text() == "1"
    assert tiles["sla"].figure.text() == "50.0%"
    assert tiles["outbox"].figure.text() == str(services.outbox.pending_count())
    assert tiles["overdue"].caption.text() == "超时工单"

    # Enter on the overdue tile: the orders page with only the late order
    tiles["overdue"].setFocus()
    qtbot.keyClick(tiles["overdue"], Qt.Key.Key_Return)
    orders = window.current_page()
    assert orders is window.page("orders")
    assert orders.overdue_only.isChecked() and not orders.today_only.isChecked()
    settle(qtbot, runner)
    assert _numbers(orders) == {late.number}

    window.show_page("dashboard")
    qtbot.mouseClick(tiles["today_new"], Qt.MouseButton.LeftButton)
    assert window.current_page() is orders
    assert orders.today_only.isChecked() and not orders.overdue_only.isChecked()
    settle(qtbot, runner)
    assert _numbers(orders) == {late.number, fresh.number}

    services.orders.transition(station["manager"], fresh.id, _cancel(), reason="客户取消")
    settle(qtbot, runner)
    dashboard.open_list("open")
    assert orders.status_filter.currentText() == "未结工单"
    settle(qtbot, runner)
    assert _numbers(orders) == {late.number}

    dashboard.open_list("waiting_parts")
    assert orders.status_filter.currentData() == OrderStatus.WAITING_PARTS
    settle(qtbot, runner)
    assert _numbers(orders) == set()

    stock = dashboard.open_list("low_stock")
    assert stock is window.page("stock") and stock.low_only.isChecked()
    settle(qtbot, runner)
    assert [r.part_no for r in stock.rows] == ["GR-FAN-12"]
    # the SLA share opens the SLA report of this month
    reports = dashboard.open_list("sla")
    assert reports is window.page("reports")
    settle(qtbot, runner)
    assert reports.result is not None and reports.result.name == "sla"
    assert (reports.result.query.start, reports.result.query.end) == (date(2026, 6, 1),
                                                                       date(2026, 6, 1))
    assert dashboard.open_list("visits") is window.page("visits")
    assert dashboard.open_list("claims") is window.page("claims")
    assert dashboard.open_list("outbox") is window.page("conflicts")
    _quiet(qtbot, runner)
    close_main_window(window)


def _cancel():
    from app.domain.state_machine import Action

    return Action.CANCEL


def test_the_tiles_follow_committed_changes(qtbot, services, station, runner) -> None:
    window = open_main_window(services, station["manager"], runner)
    qtbot.addWidget(window)
    window.show()
    settle(qtbot, runner)
    dashboard = window.page("dashboard")
    assert dashboard.tiles["today_new"].figure.text() == "0"
    assert dashboard.tiles["sla"].figure.text() == "—"
    new_order(services, station["clerk"])
    qtbot.waitUntil(lambda: dashboard.tiles["today_new"].figure.text() == "1", timeout=5000)
    assert dashboard.tiles["open"].figure.text() == "1"
    # hidden, it reads nothing; shown again, it catches up
    window.show_page("orders")
    _quiet(qtbot, runner)
    new_order(services, station["clerk"], phone="13800000009", serial="SN-9")
    _quiet(qtbot, runner)
    assert dashboard.tiles["today_new"].figure.text() == "1"
    window.show_page("dashboard")
    qtbot.waitUntil(lambda: dashboard.tiles["today_new"].figure.text() == "2", timeout=5000)
    _quiet(qtbot, runner)
    close_main_window(window)


def _quiet(qtbot, runner) -> None:
    """Lets the pages' refresh timers after the last change fire before the runner stops."""
    qtbot.wait(REFRESH_DELAY_MS + 100)
    settle(qtbot, runner)


@pytest.mark.parametrize("role", ["clerk", "tech"])
def test_other_roles_start_on_the_orders_page(qtbot, services, station, runner,
                                              role: str) -> None:
    window = open_main_window(services, station[role], runner)
    qtbot.addWidget(window)
    settle(qtbot, runner)
    # a technician starts on his own plan of today (今日行程), then his orders
    first = ["my_day", "orders"] if role == "tech" else ["orders"]
    assert window.page_keys()[:len(first)] == first
    assert "dashboard" not in window.page_keys() and "reports" not in window.page_keys()
    assert window.open_page("dashboard") is None
    close_main_window(window)
