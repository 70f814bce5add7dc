"""The orders page: pages loaded lazily on scroll, filters, refresh on announcements,
multi-selection for registered actions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from app.domain.enums import OrderSource, OrderStatus, OrderType, ServiceMode
from app.domain.state_machine import Action
from app.services.customers import CustomerInput
from app.services.orders import NewOrder
from app.ui.orders.page import OrdersPage
from app.ui.orders.table_model import COL_NUMBER, COL_SLA, COL_STATUS
from tests.ui.conftest import settle

ORDERS = 250


@pytest.fixture
def make_orders(services, station, clock):
    """``make_orders(n)``: n orders of one customer, a minute apart, every 10th from HQ."""
    return lambda count: _create(services, station, clock, count)


@pytest.fixture
def many_orders(make_orders):
    return make_orders(ORDERS)


@pytest.fixture
def some_orders(make_orders):
    return make_orders(20)


def _create(services, station, clock, count: int) -> list[str]:
    clerk = station["clerk"]
    first = services.orders.create(clerk, NewOrder(
        OrderType.REPAIR, OrderSource.PHONE, ServiceMode.ON_SITE, "不制冷", "13912345678",
        customer=CustomerInput("刘德明", ("13912345678",), "北京市海淀区学院路20号")))
    ids = [first.id]
    for i in range(1, count):
        clock.now += timedelta(minutes=1)
        source = OrderSource.HEAD_OFFICE if i % 10 == 0 else OrderSource.PHONE
        ids.append(services.orders.create(clerk, NewOrder(
            OrderType.REPAIR, source, ServiceMode.ON_SITE, f"故障 {i}", "13912345678",
            customer_id=first.customer.id)).id)
    return ids


def loaded_ids(page: OrdersPage) -> list[str]:
    return [page.model.row_at(r).id for r in range(page.model.rowCount())]


def test_pages_are_fetched_as_the_user_scrolls(qtbot, services, station, ctx_for, runner,
                                               many_orders):
    page = OrdersPage(ctx_for(station["clerk"]))
    qtbot.addWidget(page)
    page.resize(1000, 500)
    page.show()
    settle(qtbot, runner)
    assert page.model.rowCount() == 100 and page.model.pages_loaded == 1
    assert page.model.canFetchMore()
    assert page.rows_label.text() == "已显示 100 张,向下滚动加载更多"

    for expected in (200, ORDERS):
        with qtbot.waitSignal(page.model.page_loaded, timeout=10_000):
            page.table.scrollToBottom()
        settle(qtbot, runner)
        assert page.model.rowCount() == expected
    assert not page.model.canFetchMore()
    assert page.rows_label.text() == f"共 {ORDERS} 张工单"
    # newest first, each order once
    assert loaded_ids(page) == list(reversed(many_orders))


def test_head_office_rows_are_tagged_and_overdue_marked(qtbot, services, station, ctx_for,
                                                        runner, some_orders, clock):
    clock.now += timedelta(hours=1)  # every order is past its 30-minute response promise
    page = OrdersPage(ctx_for(station["clerk"]))
    qtbot.addWidget(page)
    settle(qtbot, runner)
    model = page.model
    hq_rows = [r for r in range(model.rowCount())
               if model.row_at(r).source == OrderSource.HEAD_OFFICE.value]
    assert hq_rows
    hq_text = model.index(hq_rows[0], COL_NUMBER).data()
    assert hq_text.endswith("总部") and hq_text.startswith("SO-BJ001-")
    assert model.index(0, COL_STATUS).data() == "已受理"
    assert "30分钟响应" in model.index(0, COL_SLA).data()


def test_filters_and_refresh_after_a_change(qtbot, services, station, ctx_for, runner,
                                            some_orders):
    page = OrdersPage(ctx_for(station["clerk"]))
    qtbot.addWidget(page)
    settle(qtbot, runner)
    services.orders.transition(station["clerk"], some_orders[3], Action.ACCEPT)
    # the "orders" announcement refreshes the table by itself
    qtbot.waitUntil(lambda: any(page.model.row_at(r).status == OrderStatus.ACCEPTED.value
                                for r in range(page.model.rowCount())), timeout=5000)
    settle(qtbot, runner)
    page.status_filter.setCurrentIndex(page.status_filter.findData(OrderStatus.ACCEPTED))
    page.apply_filter()
    settle(qtbot, runner)
    assert loaded_ids(page) == [some_orders[3]]

    page.status_filter.setCurrentIndex(0)
    page.overdue_only.setChecked(True)  # toggling applies the filter
    settle(qtbot, runner)
    assert page.model.rowCount() == 0  # the test clock has not moved past any promise


def test_multi_selection_and_enter_opens_editor(qtbot, services, station, ctx_for, runner,
                                                some_orders):
    page = OrdersPage(ctx_for(station["clerk"]))
    qtbot.addWidget(page)
    page.show()
    settle(qtbot, runner)
    selection = page.table.selectionModel()
    for row in (0, 2, 5):
        selection.select(page.model.index(row, 0),
                         selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
    assert page.selected_order_ids() == [page.model.row_at(r).id for r in (0, 2, 5)]

    page.table.setCurrentIndex(page.model.index(2, 0))
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    settle(qtbot, runner)
    editor = page.editors[page.model.row_at(2).id]
    assert editor.current_order().id == page.model.row_at(2).id
    # opening the same order again reuses the window
    assert page.open_order(page.model.row_at(2).id) is editor


def test_a_technician_starts_with_their_own_orders(qtbot, services, station, ctx_for, runner,
                                                  some_orders):
    tech = station["tech"]
    services.orders.transition(station["clerk"], some_orders[0], Action.ACCEPT)
    services.orders.transition(station["clerk"], some_orders[0], Action.ASSIGN,
                               technician_id=tech.user_id)
    page = OrdersPage(ctx_for(tech))
    qtbot.addWidget(page)
    settle(qtbot, runner)
    assert page.tech_filter.currentData() == tech.user_id
    assert loaded_ids(page) == [some_orders[0]]
    names = [page.tech_filter.itemText(i) for i in range(page.tech_filter.count())]
    assert names.count("王师傅") == 1  # not listed twice once the technicians arrive
    page.tech_filter.setCurrentIndex(0)
    page.apply_filter()
    settle(qtbot, runner)
    assert page.model.rowCount() == len(some_orders)
