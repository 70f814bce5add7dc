"""配件库存 for the manager: a catalogue CSV imported with a progress dialog (GBK from Excel; a bad
file's error shown, nothing stored), search by model, the 低库存 filter, a part's movements with
their running balance, and the shelf settings saved; the receipt previews on its own roll."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.domain.parts import part_id
from app.printing.data import Paper
from app.ui.parts.stock_page import StockPage
from tests.ui.conftest import settle
from tests.ui.parts_helpers import CATALOGUE, HEADER, quiet_timers, seed_parts  # noqa: F401

pytestmark = pytest.mark.usefixtures("quiet_timers")


def _page(qtbot, runner, ctx) -> StockPage:
    page = StockPage(ctx)
    qtbot.addWidget(page)
    page.show()
    settle(qtbot, runner)
    return page


def test_import_search_low_history_and_settings(qtbot, services, station, ctx_for, runner,
                                                tmp_path: Path) -> None:
    page = _page(qtbot, runner, ctx_for(station["manager"]))
    assert page.import_button.isVisible() and page.table.rowCount() == 0

    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "GR-CAP-35,启动电容,,,个,四十五,30,否,\n", encoding="utf-8")
    with qtbot.waitSignal(page.imported, timeout=10_000):
        page.import_catalogue(bad)
    settle(qtbot, runner)
    assert page.error.text_shown()  # names the line and column
    assert services.catalogue.search("") == []

    good = tmp_path / "parts.csv"
    good.write_bytes((HEADER + CATALOGUE).encode("gbk"))  # as Excel saves it
    with qtbot.waitSignal(page.imported, timeout=10_000) as done:
        page.import_catalogue(good)
    settle(qtbot, runner)
    assert done.args[0].added == 4
    page.whole_catalogue.setChecked(True)  # nothing stocked yet: the whole catalogue
    settle(qtbot, runner)
    assert page.table.rowCount() == 4

    seed_parts_after_import(services, station)
    page.whole_catalogue.setChecked(False)
    settle(qtbot, runner)
    page.search("XQB80")  # a model
    settle(qtbot, runner)
    assert [page.table.item(r, 0).text() for r in range(page.table.rowCount())] == [
        "XQB-BELT-01"]
    page.search("")
    page.low_only.setChecked(True)
    settle(qtbot, runner)
    assert [page.table.item(r, 0).text() for r in range(page.table.rowCount())] == [
        "GR-FAN-12"]
    with qtbot.waitSignal(page.detail.loaded, timeout=10_000):
        page.table.selectRow(0)
    settle(qtbot, runner)
    assert page.detail.history.rowCount() == 1
    assert page.detail.history.item(0, 3).text() == "2"  # the balance after the receipt
    assert page.detail.older_button.isHidden()  # one page holds them all

    page.detail.location.setText("C-09-9")
    page.detail.threshold.setValue(1)
    with qtbot.waitSignal(page.detail.saved, timeout=10_000):
        qtbot.mouseClick(page.detail.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    info = services.catalogue.get(part_id("GR-FAN-12"))
    assert (info.location, info.low_stock_threshold) == ("C-09-9", 1)
    qtbot.wait(400)
    settle(qtbot, runner)
    assert page.table.rowCount() == 0  # 2 on hand is no longer low at a threshold of 1


def seed_parts_after_import(services, station) -> None:
    from app.domain.parts import MovementKind
    from app.services import stock_ledger as ledger
    from app.services.context import SYSTEM
    from app.store.models import Part

    with services.db.write() as s:
        for number, units in (("GR-FAN-12", 2), ("XQB-BELT-01", 3)):
            ledger.post(s, SYSTEM, part=s.get(Part, part_id(number)),
                        kind=MovementKind.RECEIVED, quantity=units,
                        now=services.orders.clock())
    services.catalogue.set_setting(station["manager"], part_id("GR-FAN-12"),
                                   location="A-02-3", low_stock_threshold=2)


def test_the_receipt_previews_on_its_roll(qtbot, services, station, ctx_for,
                                          runner) -> None:
    from app.domain.parts import PaymentMethod
    from app.services.sales import NewSale, SaleLineInput
    from app.ui.parts.sale_page import SalePage

    seed_parts(services, station["manager"])
    sale = services.sales.sell(station["clerk"], NewSale(
        [SaleLineInput(part_id("GR-CAP-35"), 1)], PaymentMethod.CASH))
    page = SalePage(ctx_for(station["clerk"]))
    qtbot.addWidget(page)
    settle(qtbot, runner)
    page.sales.select_number(sale.number)
    with qtbot.waitSignal(page.sales.printer.finished, timeout=30_000) as shown:
        qtbot.mouseClick(page.sales.preview_button, Qt.MouseButton.LeftButton)
    dialog = shown.args[1]
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.pdf is not None, timeout=30_000)
    settle(qtbot, runner)
    assert [dialog.paper_box.itemData(i) for i in range(dialog.paper_box.count())] == [
        Paper.ROLL80.value, Paper.A5.value]
    assert dialog.paper() is Paper.ROLL80 and dialog.current_image() is not None
    image = dialog.current_image()
    assert image.height() > image.width()  # a long narrow roll
    dialog.close()


def test_older_movements_page_on(qtbot, services, station, ctx_for, runner, clock,
                                 monkeypatch) -> None:
    from datetime import timedelta

    from app.domain.parts import PaymentMethod
    from app.services.sales import NewSale, SaleLineInput
    from app.ui.parts import stock_detail

    monkeypatch.setattr(stock_detail, "HISTORY_LIMIT", 2)
    seed_parts(services, station["manager"])
    for _ in range(2):
        clock.now += timedelta(minutes=10)
        services.sales.sell(station["clerk"], NewSale(
            [SaleLineInput(part_id("GR-CAP-35"), 1)], PaymentMethod.CASH))
    page = _page(qtbot, runner, ctx_for(station["clerk"]))
    with qtbot.waitSignal(page.detail.loaded, timeout=10_000):
        page.table.selectRow(page.part_ids().index(part_id("GR-CAP-35")))
    settle(qtbot, runner)
    history = page.detail.history
    assert [history.item(r, 3).text() for r in range(history.rowCount())] == ["3", "4"]
    assert page.detail.older_button.isVisible()
    qtbot.mouseClick(page.detail.older_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert [history.item(r, 3).text() for r in range(history.rowCount())] == ["3", "4", "5"]
    assert page.detail.older_button.isHidden()
