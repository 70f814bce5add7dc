"""Search by any part in the window: the last four digits of a phone typed in the orders
page's search box find the order, the search running on the database worker (the window
keeps answering meanwhile); the status-bar indicator builds a missing index after log-in and
hides when it is complete."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt

from app.services.search_build import index_ready
from app.ui.orders.page import OrdersPage
from app.ui.search.status import SearchIndexStatus
from tests.services.helpers import new_order
from tests.ui.conftest import settle


def _ready(services) -> bool:
    with services.db.read() as s:
        return index_ready(s.connection(), "orders")


def test_the_indicator_builds_the_index_then_hides(qtbot, services, station, ctx_for,
                                                  runner) -> None:
    new_order(services, station["clerk"], name="张小明", phone="13812348000")
    assert not _ready(services)
    status = SearchIndexStatus(ctx_for(station["clerk"]))
    qtbot.addWidget(status)
    status.builder.batch = 1  # several steps, each its own task
    with qtbot.waitSignal(status.finished, timeout=10_000):
        pass
    settle(qtbot, runner)
    assert _ready(services) and status.isHidden()


def test_last_four_phone_digits_find_the_order_off_the_gui_thread(qtbot, services, station,
                                                                 ctx_for, runner) -> None:
    clerk = station["clerk"]
    wanted = new_order(services, clerk, name="张小明", phone="13812348000", serial="SNA1")
    new_order(services, clerk, name="李雷", phone="15011112222", serial="SNB2")
    status = SearchIndexStatus(ctx_for(clerk))  # the window's start: build after log-in
    qtbot.addWidget(status)
    settle(qtbot, runner)
    assert _ready(services)

    threads: list[str] = []
    search = services.orders.search

    def spy(*args, **kwargs):
        threads.append(threading.current_thread().name)
        return search(*args, **kwargs)

    services.orders.search = spy  # type: ignore[method-assign]
    page = OrdersPage(ctx_for(clerk))
    qtbot.addWidget(page)
    page.show()
    settle(qtbot, runner)
    assert page.model.rowCount() == 2

    qtbot.keyClicks(page.search_box, "8000")
    qtbot.keyClick(page.search_box, Qt.Key.Key_Return)
    # the page did not wait for the database: the result has not arrived yet
    assert page.model.loading and page.model.rowCount() == 0
    settle(qtbot, runner)
    assert [page.model.row_at(r).id for r in range(page.model.rowCount())] == [wanted.id]
    assert threads and all(name.startswith("db") for name in threads)
    assert threading.main_thread().name not in threads
