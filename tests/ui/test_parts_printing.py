"""The parts papers sent to a printer (a PDF-file printer here): the receipt on the 80 mm roll
whatever paper the print dialog showed, and the count sheet on A4; the page shows progress
while the paper is built and printed."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter

from app.domain.parts import PaymentMethod, part_id
from app.services.sales import NewSale, SaleLineInput
from app.ui.parts.count_page import CountPage
from app.ui.parts.sale_page import SalePage
from app.ui.printing.prompts import PrintPrompts
from tests.ui.conftest import settle
from tests.ui.parts_helpers import quiet_timers, seed_parts  # noqa: F401 - a fixture

pytestmark = pytest.mark.usefixtures("quiet_timers")


class PdfPrinterPrompts(PrintPrompts):
    def __init__(self, path) -> None:
        self.path = path
        self.errors: list[str] = []

    def choose_printer(self, parent, printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(self.path))
        printer.setResolution(72)
        return True

    def error(self, parent, message: str) -> None:
        self.errors.append(message)


def _page_mm(path) -> tuple[float, float]:
    return _page_mm_of(str(path))


def _page_mm_of(source) -> tuple[float, float]:
    document = pdfium.PdfDocument(source)
    try:
        width, height = document[0].get_size()
    finally:
        document.close()
    return width / 72 * 25.4, height / 72 * 25.4


def test_print_the_receipt_on_the_roll_and_the_count_sheet(qtbot, services, station,
                                                           ctx_for, runner, tmp_path) -> None:
    seed_parts(services, station["manager"])
    sale = services.sales.sell(station["clerk"], NewSale(
        [SaleLineInput(part_id("GR-CAP-35"), 2)], PaymentMethod.ALIPAY))
    page = SalePage(ctx_for(station["clerk"]))
    qtbot.addWidget(page)
    settle(qtbot, runner)
    page.sales.select_number(sale.number)
    prompts = PdfPrinterPrompts(tmp_path / "receipt.pdf")
    page.sales.printer.prompts = prompts
    busy = []
    page.sales.printer.busy.connect(busy.append)
    with qtbot.waitSignal(page.sales.printer.finished, timeout=30_000):
        qtbot.mouseClick(page.sales.print_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert prompts.errors == [] and True in busy and busy[-1] is False
    width, height = _page_mm(tmp_path / "receipt.pdf")
    assert abs(width - 80) < 1  # the roll, not A4
    expected = _page_mm_of(services.reports.pdf("receipt", services.sales.receipt_sheet(
        sale.number, services.reports.letterhead()), "80MM"))
    assert abs(height - expected[1]) < 3  # cut where the receipt ends

    services.counts.open(station["manager"])
    count = CountPage(ctx_for(station["manager"]))
    qtbot.addWidget(count)
    settle(qtbot, runner)
    count_prompts = PdfPrinterPrompts(tmp_path / "count.pdf")
    count.printer.prompts = count_prompts
    with qtbot.waitSignal(count.printer.finished, timeout=30_000):
        qtbot.mouseClick(count.print_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert count_prompts.errors == []
    width, height = _page_mm(tmp_path / "count.pdf")
    assert abs(width - 210) < 1 and abs(height - 297) < 1
