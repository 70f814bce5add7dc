"""Printing an order whose text came from head office with characters no font draws: the
window warns first, naming the characters and the 〓 they print as, and the person goes on
or stops. Text typed at the station never gets here (input refuses it)."""

from __future__ import annotations

from pathlib import Path

from app.ui.printing.controller import PrintController
from tests.printing.ui.conftest import FakePrompts
from tests.services.helpers import new_order

WAIT = 20_000
FROM_HQ = "阿ꆈꌠ"  # Yi script: no embedded font has it


class AskingPrompts(FakePrompts):
    """Records each warning and answers it with ``go_on``."""

    def __init__(self, folder: Path, go_on: bool) -> None:
        super().__init__(folder)
        self.go_on = go_on
        self.warnings: list[str] = []

    def confirm(self, parent, message: str) -> bool:
        self.warnings.append(message)
        return self.go_on


def order_from_head_office(services, station) -> str:
    """An order whose customer name holds characters no font draws, as a pull from head
    office stores it (sync applies what head office sends; it refuses nothing)."""
    from app.store.models import Customer

    order = new_order(services, station["clerk"])
    with services.db.write() as s:
        s.get(Customer, order.customer.id).name = FROM_HQ
    return order.id


def _finished(controller: PrintController) -> list[tuple[str, object]]:
    seen: list[tuple[str, object]] = []
    controller.finished.connect(lambda kind, result: seen.append((kind, result)))
    controller.failed.connect(lambda kind, message: seen.append((kind, message)))
    return seen


def test_the_warning_names_the_characters_and_stopping_saves_nothing(
        qtbot, services, station, ctx_for, tmp_path: Path) -> None:
    order_id = order_from_head_office(services, station)
    prompts = AskingPrompts(tmp_path, go_on=False)
    controller = PrintController(ctx_for(station["clerk"]), prompts)
    seen = _finished(controller)
    controller.save_pdf(order_id, "report")
    qtbot.waitUntil(lambda: bool(prompts.warnings), timeout=WAIT)
    qtbot.waitUntil(lambda: controller.ctx.tasks.pending == 0, timeout=WAIT)
    qtbot.wait(50)
    [warning] = prompts.warnings
    assert "U+A188" in warning and "U+A320" in warning and "〓" in warning
    assert "是否继续" in warning
    assert prompts.suggested == []  # stopped before even asking where to save
    assert not prompts.saved_to.exists()
    assert seen == [] and prompts.errors == []


def test_going_on_saves_the_paper_with_placeholders(qtbot, services, station, ctx_for,
                                                    tmp_path: Path) -> None:
    order_id = order_from_head_office(services, station)
    prompts = AskingPrompts(tmp_path, go_on=True)
    controller = PrintController(ctx_for(station["clerk"]), prompts)
    with qtbot.waitSignal(controller.finished, timeout=WAIT) as done:
        controller.save_pdf(order_id, "report")
    assert done.args[0] == "save"
    assert len(prompts.warnings) == 1
    assert prompts.saved_to.read_bytes().startswith(b"%PDF")


def test_stopping_a_print_prints_nothing(qtbot, services, station, ctx_for,
                                         tmp_path: Path) -> None:
    order_id = order_from_head_office(services, station)
    prompts = AskingPrompts(tmp_path, go_on=False)
    controller = PrintController(ctx_for(station["clerk"]), prompts)
    controller.print_order(order_id, "work-order")
    qtbot.waitUntil(lambda: bool(prompts.warnings), timeout=WAIT)
    qtbot.waitUntil(lambda: controller.ctx.tasks.pending == 0, timeout=WAIT)
    qtbot.wait(50)
    assert not prompts.printed_to.exists()
    assert controller._jobs == []


def test_going_on_opens_the_preview(qtbot, services, station, ctx_for, tmp_path: Path) -> None:
    order_id = order_from_head_office(services, station)
    prompts = AskingPrompts(tmp_path, go_on=True)
    controller = PrintController(ctx_for(station["clerk"]), prompts)
    with qtbot.waitSignal(controller.finished, timeout=WAIT) as done:
        controller.preview(order_id, "report")
    dialog = done.args[1]
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.current_image() is not None, timeout=WAIT)
    assert len(prompts.warnings) == 1
    dialog.close()


def test_a_paper_every_font_draws_asks_nothing(qtbot, services, station, ctx_for,
                                               tmp_path: Path) -> None:
    order = new_order(services, station["clerk"], name="䶮㐀𠀀", fault="出风温度12℃,Ⅻ①")
    prompts = AskingPrompts(tmp_path, go_on=False)
    controller = PrintController(ctx_for(station["clerk"]), prompts)
    with qtbot.waitSignal(controller.finished, timeout=WAIT):
        controller.save_pdf(order.id, "report")
    assert prompts.warnings == []
    assert prompts.saved_to.exists()


def test_the_real_warning_stops_on_escape_and_goes_on_when_asked(qtbot) -> None:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from app.ui.printing.prompts import PrintPrompts

    def answer(button_text: str | None) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        if button_text is None:
            qtbot.keyClick(box, Qt.Key.Key_Escape)
            return
        [button] = [b for b in box.buttons() if b.text() == button_text]
        button.click()

    QTimer.singleShot(50, lambda: answer(None))
    assert PrintPrompts().confirm(None, "提示") is False
    QTimer.singleShot(50, lambda: answer("继续"))
    assert PrintPrompts().confirm(None, "提示") is True
    assert QApplication.activeModalWidget() is None
