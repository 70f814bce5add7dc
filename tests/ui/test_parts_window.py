"""The parts pages inside the main window at 1280 px (the navigation takes its share): every
column of the stock and sales tables starts in view, F5 and Ctrl+F reach the parts pages,
and a technician's navigation has no sales or parts ordering. Grabbed to /tmp/parts-window-*.png."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.ui.qt_app import ui_font
from app.ui.window import close_main_window, open_main_window
from tests.ui.conftest import settle
from tests.ui.parts_helpers import quiet_timers, seed_parts  # noqa: F401 - a fixture

pytestmark = pytest.mark.usefixtures("quiet_timers")


def _in_view(table) -> None:
    header = table.horizontalHeader()
    last = table.model().columnCount() - 1
    assert header.sectionPosition(last) + 20 < table.viewport().width(), table.objectName()


def _quiet(qtbot, runner) -> None:
    """Nothing pending when the window closes (the shell's busy label goes with it)."""
    qtbot.wait(400)
    settle(qtbot, runner)


def test_the_parts_pages_in_the_window(qtbot, qapp, services, station, runner) -> None:
    before = qapp.font()
    qapp.setFont(ui_font())
    try:
        seed_parts(services, station["manager"])
        window = open_main_window(services, station["clerk"], runner)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        settle(qtbot, runner)
        for key in ("stock", "sales", "counts", "parts_orders", "old_parts"):
            assert key in window.page_keys()
        stock = window.show_page("stock")
        settle(qtbot, runner)
        _in_view(stock.table)
        window.focus_search()
        assert stock.search_box.hasFocus()
        stock.search_box.setText("GR")
        window.refresh()  # F5
        settle(qtbot, runner)
        assert stock.table.rowCount() == 2
        window.grab().save("/tmp/parts-window-stock.png")

        sales = window.show_page("sales")
        settle(qtbot, runner)
        qtbot.keyClicks(sales.form.picker.box, "GR-CAP-35")
        qtbot.keyClick(sales.form.picker.box, Qt.Key.Key_Return)
        settle(qtbot, runner)
        _in_view(sales.form.lines.table)
        _in_view(sales.sales.table)
        window.grab().save("/tmp/parts-window-sale.png")
        _quiet(qtbot, runner)
        close_main_window(window)
    finally:
        qapp.setFont(before)


def test_a_technicians_navigation(qtbot, services, station, runner) -> None:
    # one window per test: the shell's busy label outlives a closed window's connection
    tech = open_main_window(services, station["tech"], runner)
    qtbot.addWidget(tech)
    settle(qtbot, runner)
    assert "sales" not in tech.page_keys() and "parts_orders" not in tech.page_keys()
    assert {"stock", "counts", "old_parts"} <= set(tech.page_keys())
    _quiet(qtbot, runner)
    close_main_window(tech)
