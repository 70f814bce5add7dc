"""Printing from the window: save as PDF, print to a (PDF) printer, preview, open in the
viewer, batch printing with cancel, and the registered actions."""

from __future__ import annotations

import dataclasses
import os
import stat
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QPushButton, QWidget

from app.printing.data import Paper
from app.ui.extensions import REGISTRY
from app.ui.printing import ORDER_ACTIONS, batch_print_factory
from app.ui.printing.controller import PAPER_KEY, PrintController
from tests.printing.helpers import ink_share, page_texts, repaired_order
from tests.printing.ui.conftest import FakePrompts
from tests.services.helpers import new_order

WAIT = 20_000


def ink(image: QImage) -> float:
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    dark = total = 0
    for y in range(0, grey.height(), 3):
        for x in range(0, grey.width(), 3):
            total += 1
            dark += (grey.pixel(x, y) & 0xFF) < 200
    return dark / total


def test_save_as_pdf_writes_a_valid_pdf(qtbot, services, station, clock, ctx_for,
                                        tmp_path: Path) -> None:
    order = repaired_order(services, station, clock)
    prompts = FakePrompts(tmp_path)
    controller = PrintController(ctx_for(station["clerk"]), prompts)
    with qtbot.waitSignal(controller.finished, timeout=WAIT) as done:
        controller.save_pdf(order.id, "report")
    assert done.args == ["save", prompts.saved_to]
    assert prompts.suggested[0].name == f"{order.number}-report.pdf"
    text = page_texts(prompts.saved_to)[0]
    assert "售后服务维修单" in text and "韩梅梅" in text
    assert controller.ctx.settings.get("printing.save_dir") == str(tmp_path)



@pytest.mark.skipif(os.name != "posix", reason="POSIX links and modes")
def test_save_as_pdf_refuses_a_symlink_and_keeps_the_umask(qtbot, services, station, clock,
                                                           ctx_for, tmp_path: Path) -> None:
    order = repaired_order(services, station, clock)
    prompts = FakePrompts(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"keep me")
    prompts.saved_to.symlink_to(victim)
    controller = PrintController(ctx_for(station["clerk"]), prompts)
    with qtbot.waitSignal(controller.failed, timeout=WAIT) as failed:
        controller.save_pdf(order.id, "report")
    assert failed.args[0] == "save" and prompts.errors == [failed.args[1]]
    assert "符号链接" in failed.args[1] and str(prompts.saved_to) in failed.args[1]
    assert prompts.saved_to.is_symlink() and victim.read_bytes() == b"keep me"
    prompts.saved_to.unlink()
    saved = os.umask(0o022)
    try:
        with qtbot.waitSignal(controller.finished, timeout=WAIT):
            controller.save_pdf(order.id, "report")
    finally:
        os.umask(saved)
    assert stat.S_IMODE(prompts.saved_to.stat().st_mode) == 0o644

def test_printing_to_a_pdf_printer_produces_a_file_and_remembers_the_paper(
        qtbot, services, station, clock, ctx_for, tmp_path: Path) -> None:
    order = repaired_order(services, station, clock)
    prompts = FakePrompts(tmp_path, paper=Paper.A5)
    controller = PrintController(ctx_for(station["clerk"]), prompts)
    with qtbot.waitSignal(controller.finished, timeout=WAIT) as done:
        controller.print_order(order.id, "work-order")
    assert done.args == ["print", 1]
    reader = PdfReader(prompts.printed_to)
    assert len(reader.pages) == 1
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert abs(width - 419.5) < 2 and abs(height - 595.3) < 2  # A5 in points
    assert controller.ctx.settings.get(PAPER_KEY) == "A5"
    assert controller.paper() is Paper.A5
    assert ink_share(prompts.printed_to) > 0.02  # the page image reached the paper


def test_a_page_keeps_its_shape_on_other_paper(qtbot) -> None:
    from PySide6.QtGui import QPageSize
    from PySide6.QtPrintSupport import QPrinter

    from app.ui.printing.output import _fit

    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
    image = QImage(595, 842, QImage.Format.Format_RGBX8888)  # an A4 page
    target = _fit(printer, image)
    paper = printer.pageLayout().fullRectPixels(printer.resolution())
    assert abs(target.width() / target.height() - 595 / 842) < 0.01
    assert target.width() <= paper.width() + 0.5 and target.height() <= paper.height() + 0.5


def test_cancelled_print_dialog_prints_nothing(qtbot, services, station, clock, ctx_for,
                                               tmp_path: Path) -> None:
    order = repaired_order(services, station, clock)
    prompts = FakePrompts(tmp_path, accept=False)
    controller = PrintController(ctx_for(station["clerk"]), prompts)
    controller.print_order(order.id, "report")
    qtbot.wait(200)
    assert not prompts.printed_to.exists()
    assert controller.ctx.tasks.pending == 0


def test_preview_shows_page_one(qtbot, services, station, clock, ctx_for,
                                tmp_path: Path) -> None:
    order = repaired_order(services, station, clock)
    controller = PrintController(ctx_for(station["clerk"]), FakePrompts(tmp_path))
    with qtbot.waitSignal(controller.finished, timeout=WAIT) as done:
        controller.preview(order.id, "report")
    dialog = done.args[1]
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.current_image() is not None, timeout=WAIT)
    image = dialog.current_image()
    assert image.width() > 500 and image.height() > 700
    assert ink(image) > 0.02
    assert not dialog.image_label.pixmap().isNull()
    assert dialog.page_label.text() == "第 1 页 / 共 1 页"
    shown = dialog.image_label.pixmap().width()
    dialog.zoom_in.click()
    assert dialog.image_label.pixmap().width() > shown
    assert not dialog.next_button.isEnabled()
    dialog.close()


def test_open_in_viewer_writes_the_file_it_opens(qtbot, services, station, clock, ctx_for,
                                                 tmp_path: Path) -> None:
    order = repaired_order(services, station, clock)
    prompts = FakePrompts(tmp_path)
    controller = PrintController(ctx_for(station["clerk"]), prompts)
    with qtbot.waitSignal(controller.finished, timeout=WAIT):
        controller.open_external(order.id, "work-order")
    assert len(prompts.opened) == 1
    assert "派工单" in page_texts(prompts.opened[0])[0]


def test_unknown_order_is_reported(qtbot, services, station, ctx_for, tmp_path: Path) -> None:
    prompts = FakePrompts(tmp_path)
    controller = PrintController(ctx_for(station["clerk"]), prompts)
    with qtbot.waitSignal(controller.failed, timeout=WAIT) as failed:
        controller.preview("no-such-order", "report")
    assert failed.args[0] == "preview"
    assert prompts.errors == [failed.args[1]]


class GatedReports:
    """The real report service, holding the second order back until the test says go."""

    def __init__(self, reports) -> None:
        self.reports = reports
        self.gate = threading.Event()
        self.calls = 0

    def sheet(self, order: str, letterhead=None, *, viewer=None):
        self.calls += 1
        if self.calls >= 2:
            self.gate.wait(10)
        return self.reports.sheet(order, letterhead, viewer=viewer)

    def __getattr__(self, name: str):
        return getattr(self.reports, name)


def test_batch_print_prints_all_selected(qtbot, services, station, clock, ctx_for,
                                         tmp_path: Path) -> None:
    orders = [repaired_order(services, station, clock, name=f"客户{i}") for i in range(3)]
    prompts = FakePrompts(tmp_path)
    controller = PrintController(ctx_for(station["clerk"]), prompts)
    with qtbot.waitSignal(controller.finished, timeout=WAIT) as done:
        controller.batch_print([o.id for o in orders] + ["no-such-order"], "report")
    outcome = done.args[1]
    assert outcome.printed == [o.number for o in orders]
    assert not outcome.cancelled
    assert [key for key, _ in outcome.failures] == ["no-such-order"]
    assert len(PdfReader(prompts.printed_to).pages) == 3
    assert len(prompts.errors) == 1  # the failed order is shown to the person


def test_batch_print_stops_early_when_cancelled(qtbot, services, station, clock, ctx_for,
                                                tmp_path: Path) -> None:
    orders = [repaired_order(services, station, clock, name=f"客户{i}") for i in range(5)]
    ctx = ctx_for(station["clerk"])
    gated = GatedReports(services.reports)
    ctx.services = dataclasses.replace(services, reports=gated)
    prompts = FakePrompts(tmp_path)
    controller = PrintController(ctx, prompts)
    controller.batch_print([o.id for o in orders], "report")
    progress = controller.progress
    assert progress is not None
    qtbot.waitUntil(lambda: progress.value() >= 1, timeout=WAIT)
    with qtbot.waitSignal(controller.finished, timeout=WAIT) as done:
        progress.findChild(QPushButton).click()  # what a person does
        gated.gate.set()
    outcome = done.args[1]
    assert outcome.cancelled
    assert outcome.printed == [orders[0].number]
    assert len(PdfReader(prompts.printed_to).pages) == 1


class StubEditor(QWidget):
    order_loaded = Signal(object)

    def __init__(self, order_id: str | None) -> None:
        super().__init__()
        self._order_id = order_id

    def order_id(self) -> str | None:
        return self._order_id


class StubPage(QWidget):
    selection_changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []

    def selected_order_ids(self) -> list[str]:
        return self.ids


def test_actions_are_registered_with_a_menu_of_documents(qtbot, services, station,
                                                         ctx_for) -> None:
    ctx = ctx_for(station["clerk"])
    factories = list(REGISTRY.order_actions)
    editor = StubEditor(None)
    qtbot.addWidget(editor)
    actions = [a for f in factories if (a := f(ctx, editor)) is not None]
    ours = [a for a in actions if a.objectName().startswith("print_")]
    assert [a.objectName() for a in ours] == [name for name, _, _ in ORDER_ACTIONS]
    assert [a.text() for a in ours] == ["打印预览", "打印", "另存为PDF", "用系统查看器打开"]
    assert not any(a.isEnabled() for a in ours)  # a new order has nothing to print yet
    # every area's action hears the same order (a real one: they read what they need)
    editor.order_loaded.emit(new_order(services, station["clerk"]))
    assert all(a.isEnabled() for a in ours)
    menu = ours[0].menu()
    assert [a.text() for a in menu.actions()] == ["售后服务维修单", "派工单"]

    page = StubPage()
    qtbot.addWidget(page)
    batch = batch_print_factory(ctx, page)
    assert batch.text() == "批量打印" and not batch.isEnabled()
    page.ids = ["x"]
    page.selection_changed.emit()
    assert batch.isEnabled()


def test_the_window_loads_printing_into_the_editor_and_the_order_list(
        qtbot, services, station, clock, runner) -> None:
    from app.ui.orders.editor_dialog import OrderEditor
    from app.ui.window import close_main_window, open_main_window
    from tests.ui.conftest import settle

    order = repaired_order(services, station, clock)
    window = open_main_window(services, station["clerk"], runner)
    qtbot.addWidget(window)
    settle(qtbot, runner)
    batch = [a for a in window.page("orders").selection_actions
             if a.objectName() == "print_batch"]
    assert len(batch) == 1
    editor = OrderEditor(window.ctx, order.id)
    qtbot.addWidget(editor)
    settle(qtbot, runner)
    ours = [a for a in editor.order_actions if a.objectName().startswith("print_")]
    assert len(ours) == len(ORDER_ACTIONS) and all(a.isEnabled() for a in ours)
    editor.close()
    close_main_window(window)


def test_preview_pages_through_a_long_order_and_saves_it(qtbot, services, station, clock,
                                                        ctx_for, tmp_path: Path) -> None:
    from app.domain.enums import ChargeKind
    from app.services.orders import ChargeInput

    lines = [ChargeInput(ChargeKind.PARTS, f"配件{n:02d}", 1, 100) for n in range(80)]
    order = repaired_order(services, station, clock, charges=lines)
    prompts = FakePrompts(tmp_path)
    controller = PrintController(ctx_for(station["clerk"]), prompts)
    with qtbot.waitSignal(controller.finished, timeout=WAIT) as done:
        controller.preview(order.id, "report")
    dialog = done.args[1]
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.current_image() is not None, timeout=WAIT)
    assert dialog.count >= 2 and dialog.next_button.isEnabled()
    dialog.next_button.click()
    qtbot.waitUntil(lambda: dialog.index == 1 and dialog.current_image() is not None,
                    timeout=WAIT)
    assert dialog.page_label.text() == f"第 2 页 / 共 {dialog.count} 页"
    assert ink(dialog.current_image()) > 0.02
    with qtbot.waitSignal(controller.finished, timeout=WAIT) as saved:
        dialog.save_button.click()
    assert saved.args[0] == "save"
    assert len(page_texts(prompts.saved_to)) == dialog.count
    dialog.close()


def test_viewer_folder_drops_week_old_files(tmp_path: Path) -> None:
    import os
    import time

    from app.ui.printing.controller import prune

    old, fresh, current = (tmp_path / n for n in ("old.pdf", "fresh.pdf", "current.pdf"))
    for path in (old, fresh, current):
        path.write_bytes(b"%PDF-")
    week_ago = time.time() - 8 * 24 * 3600
    os.utime(old, (week_ago, week_ago))
    os.utime(current, (week_ago, week_ago))
    prune(tmp_path, keep="current.pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["current.pdf", "fresh.pdf"]


def test_new_printer_starts_from_the_remembered_paper(qtbot, services, station,
                                                      ctx_for, tmp_path: Path) -> None:
    from app.ui.printing.output import paper_of

    controller = PrintController(ctx_for(station["clerk"]), FakePrompts(tmp_path))
    assert paper_of(controller.new_printer()) is Paper.A4
    controller.set_paper(Paper.A5)
    assert paper_of(controller.new_printer()) is Paper.A5
    controller.ctx.settings.set(PAPER_KEY, "Letter")  # a damaged settings file
    assert controller.paper() is Paper.A4


def test_batch_print_says_which_orders_printed_placeholders(qtbot, services, station, clock,
                                                            ctx_for, tmp_path: Path) -> None:
    from app.store.models import ServiceOrder

    orders = [repaired_order(services, station, clock, name=f"客户{i}") for i in range(2)]
    with services.db.write() as s:  # as text from head office: input would refuse it
        s.get(ServiceOrder, orders[1].id).fault_description = "外机\U0001F9FF异响"
    prompts = FakePrompts(tmp_path)
    controller = PrintController(ctx_for(station["clerk"]), prompts)
    with qtbot.waitSignal(controller.finished, timeout=WAIT) as done:
        controller.batch_print([o.id for o in orders], "report")
    outcome = done.args[1]
    assert outcome.printed == [o.number for o in orders]
    assert outcome.placeholders == [(orders[1].number, ["\U0001F9FF"])]
    assert len(prompts.errors) == 1 and orders[1].number in prompts.errors[0]
    assert "〓" in prompts.errors[0] and orders[0].number not in prompts.errors[0]
