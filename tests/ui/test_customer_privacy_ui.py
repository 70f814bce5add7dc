"""导出个人信息 and 删除个人信息 on the customer file (issue 14, item 3): the manager's only; the
export by Ctrl+Shift+I writes the .zip off the GUI thread and says so; the erasure dialog
says what is erased and kept, erases only once 删除 is typed with who asked and why, and the
file then shows the tombstone."""

from __future__ import annotations

import zipfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.domain.erasure import ERASED_NAME
from app.ui.customers.page import CustomersPage
from app.ui.customers.privacy import ErasureDialog
from tests.services.helpers import new_order
from tests.ui.conftest import settle

SHOTS = Path("/tmp/privacy-shots")
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
PHONE = "13966667777"


def _shot(widget, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


def test_only_the_manager_sees_the_actions(qtbot, services, station, ctx_for, runner) -> None:
    new_order(services, station["clerk"], phone=PHONE, name="司马光")
    page = CustomersPage(ctx_for(station["clerk"]))
    qtbot.addWidget(page)
    settle(qtbot, runner)
    assert not page.privacy.isVisibleTo(page)


def test_the_manager_exports_then_erases_by_keyboard(qtbot, services, station, ctx_for,
                                                     runner, tmp_path: Path) -> None:
    order = new_order(services, station["clerk"], phone=PHONE, name="司马光")
    page = CustomersPage(ctx_for(station["manager"]))
    qtbot.addWidget(page)
    page.resize(1200, 640)
    page.show()
    settle(qtbot, runner)
    with qtbot.waitSignal(page.file_loaded, timeout=10_000):
        page.show_customer(order.customer.id)
    settle(qtbot, runner)
    actions = page.privacy
    assert actions.export_button.isVisible() and actions.erase_button.isEnabled()
    target = tmp_path / "司马光.zip"
    actions.ask_path = lambda _parent, _suggested: target
    page.activateWindow()
    with qtbot.waitSignal(actions.exported, timeout=10_000):
        qtbot.keyClick(page.details.name, Qt.Key.Key_I, CTRL_SHIFT)
    assert zipfile.ZipFile(target).read("data.json").decode("utf-8").count("司马光") >= 1
    assert actions.message is not None and str(target) in actions.message.text()
    actions.message.close()
    _shot(page, "customer-file-manager")

    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=5_000)  # back from the message box
    with qtbot.waitSignal(actions.erase_button.clicked, timeout=5_000):  # it animates
        qtbot.keyClick(page.details.name, Qt.Key.Key_X, CTRL_SHIFT)
    dialog = actions.dialog
    assert isinstance(dialog, ErasureDialog) and dialog.isVisible()
    intro = dialog.findChild(QLabel, "erasure_intro").text()
    assert "司马光" in intro and "保留" in intro and "删除" in intro
    assert not dialog.erase_button.isEnabled()
    dialog.requested_by.setText("客户本人（来电）")
    dialog.reason.setText("不再需要本站服务")
    dialog.confirm.setText("删")
    assert not dialog.erase_button.isEnabled()  # only the whole word confirms
    dialog.confirm.setText("删除")
    assert dialog.erase_button.isEnabled()
    dialog.resize(560, 360)
    _shot(dialog, "erasure-dialog")
    with qtbot.waitSignal(actions.erased, timeout=10_000):
        qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    qtbot.waitUntil(lambda: page.file is not None and page.file.customer.name == ERASED_NAME,
                    timeout=10_000)
    assert "司马光" not in page.title.text() and PHONE not in page.title.text()
    assert not actions.erase_button.isEnabled()  # the tombstone cannot be erased again
    assert all("司马光" not in page.results.item(i).text() for i in range(page.results.count()))
    actions.message.close()
    _shot(page, "customer-file-erased")
