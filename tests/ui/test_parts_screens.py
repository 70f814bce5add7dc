"""The parts pages at 1280 px wide with realistic content, grabbed to /tmp/parts-*.png so a
person can look at them (nothing cut, no column off screen), in Chinese and in English; and
the pages register in the window's navigation."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.domain.parts import PaymentMethod
from app.i18n import set_language
from app.services.sales import NewSale, SaleLineInput
from app.ui.extensions import REGISTRY
from app.ui.orders.editor_dialog import OrderEditor
from app.ui.parts.count_page import CountPage
from app.ui.parts.old_parts_page import OldPartsPage
from app.ui.parts.parts_orders_page import PartsOrdersPage
from app.ui.parts.sale_page import SalePage
from app.ui.parts.stock_page import StockPage
from app.ui.qt_app import ui_font
from tests.services.helpers import new_order
from tests.ui.conftest import settle
from tests.ui.parts_helpers import quiet_timers, seed_parts  # noqa: F401 - a fixture

WIDTH, HEIGHT = 1280, 760

pytestmark = pytest.mark.usefixtures("quiet_timers")


@pytest.fixture
def window_font(qapp):
    """The font the program sets at start (the bundled CJK font when the system has none)."""
    before = qapp.font()
    qapp.setFont(ui_font())
    yield
    qapp.setFont(before)


def _shown(qtbot, runner, page):
    qtbot.addWidget(page)
    page.resize(WIDTH, HEIGHT)
    page.show()
    qtbot.waitExposed(page)
    settle(qtbot, runner)
    qtbot.wait(50)
    return page


def _fits(table) -> None:
    """Every column starts inside the table's viewport."""
    header = table.horizontalHeader()
    last = table.model().columnCount() - 1
    assert header.sectionPosition(last) < table.viewport().width(), table.objectName()


def test_parts_pages_are_registered() -> None:
    keys = [p.key for p in REGISTRY.pages()]
    for key in ("stock", "sales", "counts", "parts_orders", "old_parts"):
        assert key in keys


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_grab_the_parts_pages(qtbot, services, station, ctx_for, runner, language,
                              window_font) -> None:
    set_language(language)
    boss = station["manager"]
    seed_parts(services, boss)
    ctx = ctx_for(boss)
    order = new_order(services, station["clerk"], technician_id=station["tech"].user_id,
                      purchase_date=services.orders.clock().date().replace(month=1))
    services.order_parts.issue(station["tech"], order.id,
                               services.catalogue.by_number("GR-FAN-12").id, 1)

    stock = _shown(qtbot, runner, StockPage(ctx))
    stock.table.selectRow(0)
    settle(qtbot, runner)
    _fits(stock.table)
    stock.grab().save(f"/tmp/parts-stock-{language}.png")

    services.sales.sell(station["clerk"], NewSale(
        [SaleLineInput(services.catalogue.by_number("MD-PUMP-08").id, 1)],
        PaymentMethod.WECHAT, customer_name="韩梅梅", customer_phone="13812345678"))
    sale = _shown(qtbot, runner, SalePage(ctx))
    sale.sales.table.selectRow(0)
    for number in ("GR-CAP-35", "XQB-BELT-01"):
        qtbot.keyClicks(sale.form.picker.box, number)
        qtbot.keyClick(sale.form.picker.box, Qt.Key.Key_Return)
        settle(qtbot, runner)
    sale.grab().save(f"/tmp/parts-sale-{language}.png")
    _fits(sale.form.lines.table)
    _fits(sale.sales.table)

    services.counts.open(boss)
    services.counts.enter(boss, services.counts.current().id,
                          services.catalogue.by_number("GR-CAP-35").id, 4)
    count = _shown(qtbot, runner, CountPage(ctx))
    _fits(count.table)
    count.grab().save(f"/tmp/parts-count-{language}.png")

    orders = _shown(qtbot, runner, PartsOrdersPage(ctx))
    orders.new_draft()
    settle(qtbot, runner)
    orders.grab().save(f"/tmp/parts-orders-{language}.png")

    editor = OrderEditor(ctx_for(station["tech"]), order.id)
    qtbot.addWidget(editor)
    settle(qtbot, runner)
    action = next(a for a in editor.order_actions if a.objectName() == "order_parts")
    dialog = action.open_dialog()
    settle(qtbot, runner)
    qtbot.keyClicks(dialog.picker.box, "GR")
    qtbot.keyClick(dialog.picker.box, Qt.Key.Key_Return)
    settle(qtbot, runner)
    _fits(dialog.table)
    dialog.grab().save(f"/tmp/parts-order-issue-{language}.png")
    editor.tabs.setCurrentWidget(editor.charges)
    editor.grab().save(f"/tmp/parts-order-charges-{language}.png")

    old = _shown(qtbot, runner, OldPartsPage(ctx))
    _fits(old.old)
    old.grab().save(f"/tmp/parts-old-{language}.png")
    qtbot.wait(400)  # the pages' refresh timers after the announcements
    settle(qtbot, runner)
