"""The order editor's 预约 dialog by keyboard: book a window, meet the double-booking warning
and go on with 仍然预约, then move the visit with a reason (改约)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt

from app.domain.appointments import AppointmentStatus
from app.ui.appointments.dialog import AppointmentDialog
from tests.services.helpers import new_order
from tests.ui.conftest import settle
from tests.ui.test_order_flow import open_editor

SHOTS = Path("/tmp/appointment-shots")
CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = CTRL | Qt.KeyboardModifier.ShiftModifier


def _type(qtbot, widget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(widget, text)


def _hour(qtbot, edit, hour: int) -> None:
    """Sets a time edit's hour with the arrow keys (its minutes stay :00)."""
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_Home)
    step = Qt.Key.Key_Up if hour > edit.time().hour() else Qt.Key.Key_Down
    for _ in range(abs(hour - edit.time().hour())):
        qtbot.keyClick(edit, step)
    assert edit.time().hour() == hour


def _open(qtbot, runner, editor) -> AppointmentDialog:
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    qtbot.keyClick(editor.focusWidget() or editor, Qt.Key.Key_Y, CTRL_SHIFT)
    settle(qtbot, runner)
    dialog = editor.findChild(AppointmentDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def test_book_warn_and_move_by_keyboard(qtbot, services, station, ctx_for, runner,
                                        clock) -> None:
    clerk, tech = station["clerk"], station["tech"]
    clock.now = datetime(2026, 6, 3, 0, 30).astimezone()  # the station's local time
    other = new_order(services, clerk, serial="SN-2", phone="13812345602",
                      technician_id=tech.user_id)
    tomorrow = clock.now.replace(hour=9, minute=0)  # within the 24 h promise
    services.appointments.book(clerk, other.id, tech.user_id, tomorrow, tomorrow + timedelta(
        hours=2))
    order = new_order(services, clerk, technician_id=tech.user_id)
    editor = open_editor(qtbot, runner, ctx_for(clerk), order.id)
    editor.show()
    dialog = _open(qtbot, runner, editor)
    assert dialog.technician.currentData() == tech.user_id  # the order's technician
    _type(qtbot, dialog.day, tomorrow.strftime("%Y-%m-%d"))
    _hour(qtbot, dialog.starts, 10)
    _hour(qtbot, dialog.ends, 12)
    assert "24" in dialog.promise.text()
    dialog.history.setFocus()
    qtbot.keyClick(dialog.history, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: "王师傅" in dialog.warning_text(), timeout=10_000)
    assert dialog.anyway.isVisible()
    assert services.appointments.current(order.id) is None  # nothing stored yet
    qtbot.keyClick(dialog.anyway, Qt.Key.Key_Return, CTRL_SHIFT)
    qtbot.waitUntil(lambda: dialog.save_button.text() == "改约", timeout=10_000)
    booked = services.appointments.current(order.id)
    assert booked is not None and booked.starts_at == tomorrow.replace(hour=10)
    assert dialog.save_button.text() == "改约" and dialog.cancel_button.isVisible()
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "booked.png"))
    # 改约: 14:00-16:00, the customer's reason
    _hour(qtbot, dialog.ends, 16)
    _hour(qtbot, dialog.starts, 14)
    dialog.reason.setFocus()
    dialog.reason.insert("客户下午才在家")  # what an input method commits (QTest types Latin-1)
    dialog.party.setFocus()
    qtbot.keyClick(dialog.party, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.party, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: dialog.history.count() == 1, timeout=10_000)
    history = services.appointments.history(order.id)
    assert [h.status for h in history] == [AppointmentStatus.MOVED, AppointmentStatus.BOOKED]
    assert history[0].reason == "客户下午才在家" and history[1].starts_at.hour == \
        tomorrow.replace(hour=14).astimezone(history[1].starts_at.tzinfo).hour
    assert dialog.history.count() == 1 and "客户原因" in dialog.history.item(0).text()
    dialog.grab().save(str(SHOTS / "moved.png"))


def test_technicians_get_no_booking_action(qtbot, services, station, ctx_for, runner) -> None:
    order = new_order(services, station["clerk"], technician_id=station["tech"].user_id)
    editor = open_editor(qtbot, runner, ctx_for(station["tech"]), order.id)
    assert not [a for a in editor.order_actions if a.objectName() == "book_visit"]


def test_cancel_by_keyboard_asks_the_reason(qtbot, services, station, ctx_for, runner,
                                            clock) -> None:
    clerk, tech = station["clerk"], station["tech"]
    clock.now = datetime(2026, 6, 3, 0, 30).astimezone()
    order = new_order(services, clerk, technician_id=tech.user_id)
    start = clock.now.replace(hour=9, minute=0)
    services.appointments.book(clerk, order.id, tech.user_id, start, start + timedelta(hours=2))
    editor = open_editor(qtbot, runner, ctx_for(clerk), order.id)
    editor.show()
    dialog = _open(qtbot, runner, editor)
    qtbot.waitUntil(dialog.cancel_button.isVisible, timeout=10_000)
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Backspace, CTRL_SHIFT)
    qtbot.waitUntil(lambda: bool(dialog.form.error_text("reason")), timeout=10_000)
    assert services.appointments.current(order.id) is not None  # refused, nothing changed
    dialog.reason.insert("客户已自行修好")
    dialog.party.setFocus()
    qtbot.keyClick(dialog.party, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.party, Qt.Key.Key_Backspace, CTRL_SHIFT)
    qtbot.waitUntil(lambda: not dialog.cancel_button.isVisible(), timeout=10_000)
    assert services.appointments.current(order.id) is None
    assert services.appointments.history(order.id)[0].reason == "客户已自行修好"
