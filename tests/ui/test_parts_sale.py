"""零件销售 at the counter: the clerk scans parts (a second scan adds one), sells with a
discount by WeChat, sees the stock page's on-hand go down, saves the receipt as PDF on the
80 mm roll; a refusal shows at its field; the manager voids the sale with a reason and the
stock comes back. A technician does not see the sales page."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.domain.parts import PaymentMethod
from app.printing.data import Paper
from app.services.customers import CustomerInput
from app.ui.parts.printing import PAPER_KEY
from app.ui.parts.sale_page import SalePage
from app.ui.parts.stock_page import StockPage
from app.ui.printing.prompts import PrintPrompts
from tests.ui.conftest import settle
from tests.ui.parts_helpers import on_hand, quiet_timers, seed_parts  # noqa: F401 - a fixture

pytestmark = pytest.mark.usefixtures("quiet_timers")


class SavePrompts(PrintPrompts):
    def __init__(self, path: Path) -> None:
        self.path = path
        self.errors: list[str] = []

    def save_path(self, parent, suggested):
        return self.path

    def error(self, parent, message):
        self.errors.append(message)


def scan(qtbot, runner, page: SalePage, number: str) -> None:
    qtbot.keyClicks(page.form.picker.box, number)
    qtbot.keyClick(page.form.picker.box, Qt.Key.Key_Return)
    settle(qtbot, runner)


def test_sell_at_the_counter_and_see_stock_go_down(qtbot, services, station, ctx_for, runner,
                                                  tmp_path) -> None:
    seed_parts(services, station["manager"])
    clerk = ctx_for(station["clerk"])
    stock = StockPage(clerk)
    qtbot.addWidget(stock)
    page = SalePage(clerk)
    qtbot.addWidget(page)
    settle(qtbot, runner)
    row_of_cap = stock.part_ids().index(services.catalogue.by_number("GR-CAP-35").id)
    assert stock.table.item(row_of_cap, 4).text() == "5"

    scan(qtbot, runner, page, "GR-CAP-35")
    scan(qtbot, runner, page, "GR-CAP-35")  # the second scan of a part adds one
    scan(qtbot, runner, page, "xqb-belt-01")
    lines = page.form.lines
    assert lines.table.rowCount() == 2
    assert lines.table.cellWidget(0, 2).value() == 2
    assert lines.table.item(0, 3).text() == "45.00"  # the catalogue's retail price
    page.form.discount.setText("5.00")
    page.form.payment.setCurrentIndex(page.form.payment.findData(PaymentMethod.WECHAT.value))
    assert page.form.total.text() == "合计:¥110.00"

    with qtbot.waitSignal(page.form.sold, timeout=10_000) as sold:
        qtbot.mouseClick(page.form.sell_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    qtbot.wait(400)  # the change announcement's refresh timers
    settle(qtbot, runner)
    sale = sold.args[0]
    assert sale.number.startswith("SA-BJ001-") and sale.total_fen == 11000
    assert on_hand(services, "GR-CAP-35") == 3 and on_hand(services, "XQB-BELT-01") == 2
    assert lines.table.rowCount() == 0  # ready for the next customer
    # the stock page heard the change and shows the new on-hand
    assert stock.table.item(row_of_cap, 4).text() == "3"
    # the sale is in the day's list, selected, ready for its receipt
    assert page.sales.selected() is not None and page.sales.selected().number == sale.number
    assert "微信" in page.sales.takings.text()

    prompts = SavePrompts(tmp_path / "receipt.pdf")
    page.sales.printer.prompts = prompts
    assert clerk.settings.get(PAPER_KEY.format(document="receipt"), "80MM") == Paper.ROLL80
    with qtbot.waitSignal(page.sales.printer.finished, timeout=30_000):
        qtbot.mouseClick(page.sales.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert prompts.errors == []
    assert (tmp_path / "receipt.pdf").read_bytes().startswith(b"%PDF")
    assert page.sales.busy.isHidden()

    # the clerk may not void: no void controls at all
    assert page.sales.void_box.isHidden()


def test_refusals_show_at_the_field_and_the_manager_voids(qtbot, services, station, ctx_for,
                                                         runner) -> None:
    seed_parts(services, station["manager"])
    page = SalePage(ctx_for(station["clerk"]))
    qtbot.addWidget(page)
    settle(qtbot, runner)
    # nothing on the sale: the service's refusal shows under the lines
    qtbot.mouseClick(page.form.sell_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert page.form.error_text() == "销售单至少要有一行。" or "至少" in page.form.error_text()
    # on account without a customer file: shown at the customer file field
    scan(qtbot, runner, page, "MD-PUMP-08")
    page.form.payment.setCurrentIndex(
        page.form.payment.findData(PaymentMethod.ON_ACCOUNT.value))
    qtbot.mouseClick(page.form.sell_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert page.form.form.error_text("customer_id")
    # more than the shelf holds: refused, nothing taken
    page.form.payment.setCurrentIndex(0)
    page.form.lines.set_quantity(0, 4)
    qtbot.mouseClick(page.form.sell_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert page.form.error_text() and on_hand(services, "MD-PUMP-08") == 1
    page.form.lines.set_quantity(0, 1)
    # a customer file found by phone: now 挂账 is allowed
    services.customers.create(station["clerk"], CustomerInput("宏达物业", ("13911112222",)))
    page.form.customer_lookup.setText("13911112222")
    qtbot.keyClick(page.form.customer_lookup, Qt.Key.Key_Return)
    settle(qtbot, runner)
    assert page.form.customer_id is not None and "宏达物业" in page.form.customer_found.text()
    page.form.payment.setCurrentIndex(
        page.form.payment.findData(PaymentMethod.ON_ACCOUNT.value))
    with qtbot.waitSignal(page.form.sold, timeout=10_000) as sold:
        qtbot.mouseClick(page.form.sell_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert on_hand(services, "MD-PUMP-08") == 0
    assert sold.args[0].customer_name == "宏达物业"
    assert sold.args[0].payment_method is PaymentMethod.ON_ACCOUNT

    boss_page = SalePage(ctx_for(station["manager"]))
    qtbot.addWidget(boss_page)
    settle(qtbot, runner)
    # the customer brings the receipt back: found by its number
    boss_page.sales.find_box.setText("SA-NO-SUCH")
    qtbot.keyClick(boss_page.sales.find_box, Qt.Key.Key_Return)
    settle(qtbot, runner)
    assert boss_page.sales.find_error.text_shown()
    boss_page.sales.find_box.setText(sold.args[0].number)
    qtbot.keyClick(boss_page.sales.find_box, Qt.Key.Key_Return)
    settle(qtbot, runner)
    assert not boss_page.sales.find_error.text_shown()
    assert boss_page.sales.selected().number == sold.args[0].number
    assert boss_page.sales.void_button.isEnabled()
    qtbot.mouseClick(boss_page.sales.void_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert boss_page.sales.void_form.error_text("reason")  # a reason is required
    boss_page.sales.void_reason.setText("客户退货")
    with qtbot.waitSignal(boss_page.sales.voided, timeout=10_000):
        qtbot.mouseClick(boss_page.sales.void_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert on_hand(services, "MD-PUMP-08") == 1
    assert boss_page.sales.table.item(0, 6).text() == "已作废"
