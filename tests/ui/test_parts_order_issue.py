"""领用配件 from the order window: the assigned technician finds a part by number (typed as a
scanner does, with Enter), issues two units, sees the part's charge line priced from the
catalogue in the editor's charges at once and the stock go down; returns one unused. A clerk
gets no such action; a technician not assigned to the order finds it disabled."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.domain.enums import ChargeKind
from app.ui.orders.editor_dialog import OrderEditor
from app.ui.parts.order_parts import OrderPartsDialog
from tests.services.helpers import new_order
from tests.ui.conftest import settle
from tests.ui.parts_helpers import on_hand, quiet_timers, seed_parts  # noqa: F401 - a fixture

pytestmark = pytest.mark.usefixtures("quiet_timers")


def _editor(qtbot, runner, ctx, order_id) -> OrderEditor:
    editor = OrderEditor(ctx, order_id)
    qtbot.addWidget(editor)
    settle(qtbot, runner)
    assert editor.current_order() is not None
    return editor


def _parts_action(editor: OrderEditor):
    return next((a for a in editor.order_actions if a.objectName() == "order_parts"), None)


def test_issue_and_return_parts_from_the_order_window(qtbot, services, station, ctx_for,
                                                      runner) -> None:
    seed_parts(services, station["manager"])
    order = new_order(services, station["clerk"], technician_id=station["tech"].user_id)
    editor = _editor(qtbot, runner, ctx_for(station["tech"]), order.id)
    action = _parts_action(editor)
    assert action is not None and action.isEnabled()
    assert action.text() == "领用配件…"

    action.trigger()
    dialog = action.dialog
    assert isinstance(dialog, OrderPartsDialog)
    settle(qtbot, runner)
    assert not dialog.issue_button.isEnabled()  # no part chosen yet
    qtbot.keyClicks(dialog.picker.box, "gr-cap-35")
    qtbot.keyClick(dialog.picker.box, Qt.Key.Key_Return)
    settle(qtbot, runner)
    assert dialog.part is not None and dialog.part.part_no == "GR-CAP-35"
    assert "GR-CAP-35" in dialog.chosen.text() and dialog.issue_button.isEnabled()
    assert "可领 5 个" in dialog.chosen.text()  # what the shelf holds, before issuing
    dialog.quantity.setValue(2)
    with qtbot.waitSignal(editor.order_loaded, timeout=10_000) as loaded:
        qtbot.mouseClick(dialog.issue_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)

    detail = loaded.args[0]
    (line,) = [c for c in detail.charges if c.kind is ChargeKind.PARTS]
    assert (line.quantity, line.unit_price_fen) == (2, 4500)
    # the editor's charges tab shows the part's line straight away
    table = editor.charges.table
    assert table.rowCount() == len(detail.charges)
    assert any("压缩机启动电容" in table.item(r, 1).text() for r in range(table.rowCount()))
    assert on_hand(services, "GR-CAP-35") == 3
    assert [(ln.part_no, ln.issued) for ln in dialog.lines] == [("GR-CAP-35", 2)]

    # more than the shelf holds: the ledger's refusal shows at the quantity
    qtbot.keyClicks(dialog.picker.box, "GR-FAN-12")
    qtbot.keyClick(dialog.picker.box, Qt.Key.Key_Return)
    settle(qtbot, runner)
    dialog.quantity.setValue(9)
    qtbot.mouseClick(dialog.issue_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert dialog.issue_form.error_text("quantity") or dialog.issue_form.error_text()
    assert on_hand(services, "GR-FAN-12") == 2
    # so the order waits for it: reserve three (more than the shelf holds), then release
    dialog.quantity.setValue(3)
    with qtbot.waitSignal(dialog.lines_loaded, timeout=10_000):
        qtbot.mouseClick(dialog.reserve_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert [(ln.part_no, ln.reserved) for ln in dialog.lines] == [
        ("GR-CAP-35", 0), ("GR-FAN-12", 3)]
    assert services.stock.level(services.catalogue.by_number("GR-FAN-12").id).reserved == 3
    dialog.table.selectRow(1)
    assert dialog.release_button.isEnabled() and not dialog.return_button.isEnabled()
    with qtbot.waitSignal(dialog.lines_loaded, timeout=10_000):
        qtbot.mouseClick(dialog.release_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert [ln.part_no for ln in dialog.lines] == ["GR-CAP-35"]

    # one unit comes back unused
    dialog.table.selectRow(0)
    assert dialog.return_button.isEnabled()
    dialog.return_quantity.setValue(1)
    dialog.return_reason.setText("多领了一个")
    with qtbot.waitSignal(editor.order_loaded, timeout=10_000) as loaded:
        qtbot.mouseClick(dialog.return_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    (line,) = [c for c in loaded.args[0].charges if c.kind is ChargeKind.PARTS]
    assert line.quantity == 1 and on_hand(services, "GR-CAP-35") == 4
    assert [(ln.part_no, ln.issued) for ln in dialog.lines] == [("GR-CAP-35", 1)]


def test_clerks_get_no_parts_action_and_other_technicians_a_disabled_one(
        qtbot, services, station, ctx_for, runner) -> None:
    seed_parts(services, station["manager"])
    order = new_order(services, station["clerk"], technician_id=station["tech"].user_id)
    clerk_editor = _editor(qtbot, runner, ctx_for(station["clerk"]), order.id)
    assert _parts_action(clerk_editor) is None
    other = _editor(qtbot, runner, ctx_for(station["tech2"]), order.id)
    assert not _parts_action(other).isEnabled()
    boss = _editor(qtbot, runner, ctx_for(station["manager"]), order.id)
    assert _parts_action(boss).isEnabled()
