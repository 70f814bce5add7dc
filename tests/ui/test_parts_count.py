"""盘点 with a scanner: the manager opens a count, the scanner types a part number and Enter
into the scanner field, the cursor lands on that part's counted cell, the count typed there is
stored; differences and their value show; the manager posts with a reason and the
differences become COUNT_ADJUSTMENT movements. Anyone may count; only the manager sees open
and post."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.domain.parts import CountStatus, MovementKind, part_id
from app.ui.parts.count_page import CountPage
from app.ui.parts.count_table import COL_COUNTED, COL_DIFF, COL_VALUE
from tests.ui.conftest import settle
from tests.ui.parts_helpers import on_hand, quiet_timers, seed_parts  # noqa: F401 - a fixture

pytestmark = pytest.mark.usefixtures("quiet_timers")


def scan_and_count(qtbot, runner, page: CountPage, scanned: str, counted: str) -> int:
    page.scan.setFocus()
    with qtbot.waitSignal(page.scanned, timeout=10_000) as found:
        if scanned.isascii():
            qtbot.keyClicks(page.scan, scanned)
        else:
            page.scan.setText(scanned)  # QTest types Latin-1 only; an input method would
        qtbot.keyClick(page.scan, Qt.Key.Key_Return)
    settle(qtbot, runner)
    row = found.args[0]
    current = page.table.currentIndex()
    assert current.row() == row and current.column() == COL_COUNTED
    editor = QApplication.focusWidget()
    assert editor is not None and page.table.isAncestorOf(editor)  # typing goes into the cell
    with qtbot.waitSignal(page.entered, timeout=10_000):
        qtbot.keyClicks(editor, counted)
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    settle(qtbot, runner)
    assert page.scan.hasFocus()  # ready for the next scan
    return row


def test_post_a_count_with_scanner_input(qtbot, services, station, ctx_for, runner,
                                         clock) -> None:
    seed_parts(services, station["manager"])
    page = CountPage(ctx_for(station["manager"]))
    qtbot.addWidget(page)
    page.show()
    settle(qtbot, runner)
    assert page.count is None and page.open_button.isEnabled()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert page.count is not None and page.count.status is CountStatus.OPEN
    assert page.table.counts.rowCount() == 4
    assert page.scan.hasFocus()

    cap = scan_and_count(qtbot, runner, page, "GR-CAP-35", "4")  # one short
    assert page.table.text(cap, COL_DIFF) == "-1"
    assert page.table.text(cap, COL_VALUE) == "¥-30.00"
    belt = scan_and_count(qtbot, runner, page, "ｘｑｂ-belt-01", "5")  # input method on
    assert page.table.text(belt, COL_DIFF) == "+2"
    scan_and_count(qtbot, runner, page, "MD-PUMP-08", "1")  # as booked
    assert "已盘 3/4" in page.summary.text() and "2 项有差异" in page.summary.text()

    # a part not in the catalogue: the service's refusal under the scanner field
    page.scan.setText("NO-SUCH-PART")
    qtbot.keyClick(page.scan, Qt.Key.Key_Return)
    settle(qtbot, runner)
    assert page.scan_error.text_shown() and page.scan.hasFocus()

    # posting needs a reason, shown at the reason field
    qtbot.mouseClick(page.post_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert page.post_form.error_text("reason")
    page.reason.setText("月底盘点")
    clock.now += timedelta(hours=1)
    with qtbot.waitSignal(page.posted, timeout=10_000) as posted:
        qtbot.mouseClick(page.post_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    result = posted.args[0]
    assert sorted(result.adjustments) == [("GR-CAP-35", -1), ("XQB-BELT-01", 2)]
    assert on_hand(services, "GR-CAP-35") == 4 and on_hand(services, "XQB-BELT-01") == 5
    history = services.stock.history(part_id("XQB-BELT-01"))
    assert history[0].kind is MovementKind.COUNT_ADJUSTMENT and history[0].balance == 5
    assert page.count.status is CountStatus.POSTED
    assert not page.post_button.isEnabled() and not page.scan.isEnabled()
    for box in QApplication.topLevelWidgets():
        if box.objectName() == "message_box":
            box.close()


def test_a_technician_counts_but_sees_no_open_or_post(qtbot, services, station, ctx_for,
                                                      runner) -> None:
    seed_parts(services, station["manager"])
    services.counts.open(station["manager"], "A-")
    page = CountPage(ctx_for(station["tech"]))
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    settle(qtbot, runner)
    assert page.count is not None and page.table.counts.rowCount() == 2
    assert page.post_box.isHidden() and not page.open_button.isVisible()
    scan_and_count(qtbot, runner, page, "GR-FAN-12", "2")
    assert page.count.counted_lines[0].counted_by_name == "王师傅"
