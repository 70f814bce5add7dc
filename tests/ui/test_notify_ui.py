"""The order editor's 通知 list (Ctrl+Shift+T): the order's messages with the recipient
masked for the manager, head office's state in Chinese with its detail, reloaded when a pull
brings a new state; and the customer form's 邮箱 and 不接收通知."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from sqlalchemy import update

import app.ui.notify  # noqa: F401 - registers the order editor's action
from app.services.notifications_sync import NOTIFICATIONS
from app.store.models import Notification
from app.ui.orders.editor_dialog import OrderEditor
from tests.services.helpers import new_order
from tests.ui.conftest import settle

SHOTS = Path("/tmp/notify-shots")
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_the_list_shows_masked_recipients_and_follows_the_state(qtbot, services, station,
                                                                ctx_for, runner) -> None:
    order = new_order(services, station["clerk"])
    editor = OrderEditor(ctx_for(station["manager"]), order.id)
    qtbot.addWidget(editor)
    editor.resize(1000, 700)
    editor.show()
    settle(qtbot, runner)
    action = next(a for a in editor.order_actions if a.objectName() == "order_notifications")
    assert action.isEnabled() and action.shortcut().toString() == "Ctrl+Shift+T"
    dialog = action.open_dialog()
    qtbot.addWidget(dialog)
    settle(qtbot, runner)
    table = dialog.table
    row = [table.item(0, c).text() for c in range(table.columnCount())]
    assert row[:4] == ["已受理", "短信", "138****5678", "排队"]
    with services.db.write() as s:
        s.execute(update(Notification).values(state="failed", attempts=3,
                                              state_detail="gateway down"))
    services.bus.publish({NOTIFICATIONS})
    qtbot.waitUntil(lambda: table.item(0, 3).text() == "失败", timeout=5000)
    settle(qtbot, runner)
    assert table.item(0, 4).text() == "gateway down（第 3 次）"
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "notifications.png"))
