"""三包索赔 through its page: the manager builds the month's claims, sees a warning in amber,
explains it in writing (the reason kept and shown), and submits (the button disabled with the
reason why until then); head office's decisions and statement show after sync and the manager
marks it paid. A clerk sees the page read-only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from app.domain.claims import Check, ClaimStatus
from app.services.sync_apply import apply_change
from app.store.models import OutboxOp
from app.ui.claims.claims_page import ClaimsPage, recent_periods
from app.ui.claims.lines_table import BLOCKED, FINDING_COLUMN, WARNING
from sync import protocol as p
from tests.services.claims_helpers import CAP, Shape, add_parts, finished_order, publish_policy
from tests.ui.conftest import settle
from tests.ui.parts_helpers import quiet_timers  # noqa: F401 - a fixture
from tests.ui.test_parts_sale import SavePrompts

pytestmark = pytest.mark.usefixtures("quiet_timers")
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screens"


class AcceptingDialog:
    """Stands in for the override dialog: the real dialog, answered without a modal loop."""

    reason = "机身铭牌磨损无法辨认，已拍照存档"
    seen: list = []

    def __init__(self, line, parent) -> None:
        from app.ui.claims.override_dialog import OverrideDialog

        self.dialog = OverrideDialog(line, parent)
        AcceptingDialog.seen.append(self.dialog)

    def exec(self):
        ok = self.dialog.ok
        assert not ok.isEnabled()  # nothing written yet: OK is off
        self.dialog.reason.setPlainText(self.reason)
        assert ok.isEnabled()
        return QDialog.DialogCode.Accepted

    def answer(self):
        return self.dialog.answer()


def _page(qtbot, runner, ctx) -> ClaimsPage:
    page = ClaimsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1400, 900)
    page.show()
    settle(qtbot, runner)
    return page


def _period(page: ClaimsPage, period: str) -> None:
    page.period.setCurrentText(period)


def test_build_explain_a_warning_and_submit(qtbot, services, station, ctx_for, runner,
                                            tmp_path):
    boss = station["manager"]
    publish_policy(services, boss)
    add_parts(services)
    finished_order(services, boss, Shape(serial="", parts=((CAP, 1, 1),)))
    page = _page(qtbot, runner, ctx_for(boss))
    page.prompts_dialog = AcceptingDialog
    _period(page, "2026-05")
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        qtbot.mouseClick(page.build_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    d = page.detail
    assert d is not None and d.status is ClaimStatus.DRAFT and len(d.lines) == 3
    assert page.lines.rowCount() == 3
    finding = page.lines.item(0, FINDING_COLUMN)
    assert "缺少机号" in finding.text() and finding.foreground().color() == WARNING
    assert not page.submit_button.isEnabled()
    assert "第" in page.submit_button.toolTip() or "缺少机号" in page.submit_button.toolTip()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.grab().save(str(SHOTS / "claims_draft.png"))

    page.select_line(d.lines[0].id)
    assert page.override_button.isEnabled()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        qtbot.mouseClick(page.override_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    AcceptingDialog.seen[-1].grab().save(str(SHOTS / "claims_override.png"))
    d = page.detail
    assert [(o.check, o.reason, o.username) for o in d.overrides] == [
        (Check.MISSING_SERIAL.value, AcceptingDialog.reason, "boss")]
    assert AcceptingDialog.reason in page.lines.item(0, FINDING_COLUMN).text()
    assert page.overrides.rowCount() == 1
    assert page.overrides.item(0, 2).text() == AcceptingDialog.reason
    assert page.submit_button.isEnabled()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert page.detail.status is ClaimStatus.SUBMITTED
    assert not page.submit_button.isEnabled() and not page.override_button.isEnabled()
    with services.db.read() as s:
        [op] = s.scalars(select(OutboxOp).where(OutboxOp.entity == "claim_batch")).all()
    payload = json.loads(op.payload)
    assert payload["overrides"][0]["reason"] == AcceptingDialog.reason

    # head office answers; sync applies it and the page follows
    lines = page.detail.lines
    decision = {"batch_id": d.id, "number": d.number, "hq_revision": 7, "lines": [
        {"line_id": lines[0].id, "decision": "approved", "approved_fen": lines[0].amount_fen,
         "reason": "", "decided_at": "2026-06-03T02:00:00+00:00"},
        {"line_id": lines[1].id, "decision": "adjusted", "approved_fen": 2500,
         "reason": "按结算价", "decided_at": "2026-06-03T02:00:00+00:00"},
        {"line_id": lines[2].id, "decision": "rejected", "approved_fen": 0,
         "reason": "距离不符", "decided_at": "2026-06-03T02:00:00+00:00"}]}
    approved = lines[0].amount_fen + 2500
    statement = {"batch_id": d.id, "number": d.number, "statement_no": "JS-202605-01",
                 "hq_revision": 9, "claimed_fen": page.detail.total_fen,
                 "approved_fen": approved, "deducted_fen": 500, "payable_fen": approved - 500,
                 "settled_at": "2026-06-10T02:00:00+00:00"}
    with services.db.write() as s:
        apply_change(s, p.Change(7, "claim_decision", d.id, "upsert", decision),
                     services.claims.clock())
        apply_change(s, p.Change(9, "claim_settlement", d.id, "upsert", statement),
                     services.claims.clock())
    services.bus.publish({"claims"})
    qtbot.waitUntil(lambda: page.detail.status is ClaimStatus.SETTLED, timeout=10_000)
    settle(qtbot, runner)
    assert page.lines.item(2, 10).text() == "驳回"
    assert page.lines.item(2, 12).text() == "距离不符"
    assert page.figures["payable"].text() == f"¥{(approved - 500) / 100:.2f}"
    assert page.paid_button.isEnabled() and page.statement_button.isEnabled()
    page.grab().save(str(SHOTS / "claims_settled.png"))
    # the claim list prints through the registered paper (saved as PDF here)
    prompts = SavePrompts(tmp_path / "claims.pdf")
    page.printer.prompts = prompts
    save = page.findChild(QAction, "claim_print_save")
    with qtbot.waitSignal(page.printer.finished, timeout=30_000):
        save.trigger()
    settle(qtbot, runner)
    assert prompts.errors == [] and (tmp_path / "claims.pdf").read_bytes()[:4] == b"%PDF"
    page.paid_note.setText("6月12日工行到账")
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        qtbot.mouseClick(page.paid_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert page.detail.status is ClaimStatus.PAID and not page.paid_button.isEnabled()


def test_blocked_line_is_red_and_submit_says_why(qtbot, services, station, ctx_for, runner):
    from datetime import date

    boss = station["manager"]
    publish_policy(services, boss)
    finished_order(services, boss, Shape(purchase=date(2025, 5, 1)))
    page = _page(qtbot, runner, ctx_for(boss))
    _period(page, "2026-05")
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        qtbot.mouseClick(page.build_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    item = page.lines.item(0, FINDING_COLUMN)
    assert "超出保修期" in item.text() and item.foreground().color() == BLOCKED
    page.select_line(page.detail.lines[0].id)
    assert not page.override_button.isEnabled()  # nothing to explain: remove it
    assert not page.submit_button.isEnabled() and "超出保修期" in page.submit_button.toolTip()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert page.lines.rowCount() == 1


@pytest.mark.parametrize("role", ["clerk"])
def test_a_clerk_reads_only(qtbot, services, station, ctx_for, runner, role):
    boss = station["manager"]
    publish_policy(services, boss)
    finished_order(services, boss, Shape(serial=""))
    batch = services.claims.build(boss, "2026-05")
    page = _page(qtbot, runner, ctx_for(station[role]))
    assert page.build_button.isHidden()
    page.show_batch(batch.id)
    settle(qtbot, runner)
    page.select_line(batch.lines[0].id)
    for button in (page.override_button, page.remove_button, page.submit_button):
        assert not button.isEnabled()
    assert "站长" in page.submit_button.toolTip()


def test_recent_periods():
    from datetime import date

    assert recent_periods(date(2026, 1, 15), 3) == ["2025-12", "2026-01", "2025-11", "2025-10"]
