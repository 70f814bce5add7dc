"""相似维修 in the order editor and the 维修知识库 page: suggestions follow the fault as it is
typed (after the debounce, off the GUI thread), typing is never blocked and keeps the focus, a
later text replaces earlier answers, and a suggestion can be copied into the repair record."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from app.ui.knowledge.page import KnowledgePage
from app.ui.knowledge.status import KnowledgeBuildStatus
from app.ui.orders.editor_dialog import OrderEditor
from tests.services.test_knowledge import HEATER, repair
from tests.ui.conftest import settle

SHOTS = os.environ.get("KNOWLEDGE_SHOTS")  # a folder: save the screens there to look at


@pytest.fixture
def past(services, station, clock) -> dict[str, str]:
    return {
        "cooling": repair(services, station, clock, "制冷效果差", "过滤网脏堵",
                          "清洗过滤网及蒸发器", parts=("KT-2002-3501 过滤网",)),
        "cooling2": repair(services, station, clock, "空调制冷效果差", "过滤网脏堵",
                           "清洗过滤网及蒸发器"),
        "gas": repair(services, station, clock, "空调不制冷", "焊点漏氟，冷媒不足",
                      "检漏补焊，加注R32 冷媒 1千克", parts=("KT-7001-0032 R32 冷媒",)),
        "heater": repair(services, station, clock, "热水器不加热", "加热管烧坏", "更换加热管",
                         HEATER, parts=("RS-1001 加热管",)),
    }


def type_chinese(widget, text: str) -> None:
    """Types ``text`` as a Chinese input method does: each character committed in turn
    (QTest's key clicks cannot send characters no key makes)."""
    for ch in text:
        event = QInputMethodEvent()
        event.setCommitString(ch)
        QApplication.sendEvent(widget, event)


def _shot(widget, name: str) -> None:
    if SHOTS:
        widget.grab().save(os.path.join(SHOTS, f"{name}.png"))


def _diagnoses(panel) -> list[str]:
    return [panel.list.item(i).data(Qt.ItemDataRole.UserRole).diagnosis
            for i in range(panel.list.count())]


def test_typing_a_fault_shows_similar_repairs_after_the_debounce(qtbot, services, station,
                                                                ctx_for, runner, past):
    editor = OrderEditor(ctx_for(station["clerk"]), None)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    settle(qtbot, runner)
    form = editor.new_form
    panel = form.knowledge
    form.model.setText("KFR-35GW/BP3DN1Y")
    form.fault.setFocus()
    type_chinese(form.fault, "不制冷")
    # every key reached the field at once, and nothing was asked yet: the timer waits
    assert form.fault.toPlainText() == "不制冷"
    assert runner.pending == 0 and panel.list.count() == 0
    with qtbot.waitSignal(panel.answered, timeout=5_000) as answer:
        pass
    assert [s.diagnosis for s in answer.args[0]] == ["过滤网脏堵", "焊点漏氟，冷媒不足"]
    assert _diagnoses(panel) == ["过滤网脏堵", "焊点漏氟，冷媒不足"]
    first = panel.list.item(0).text()
    assert "清洗过滤网及蒸发器" in first and "KT-2002-3501 过滤网" in first and "2次" in first
    # the list never took the focus from the fault
    assert QApplication.focusWidget() is form.fault
    _shot(editor, "new_order_suggestions")

    # a later text replaces the earlier answers
    form.fault.selectAll()
    type_chinese(form.fault, "不出热水")
    with qtbot.waitSignal(panel.answered, timeout=5_000):
        pass
    assert _diagnoses(panel) == ["加热管烧坏"]
    form.fault.clear()
    with qtbot.waitSignal(panel.answered, timeout=5_000):
        pass
    assert panel.list.count() == 0


def test_an_answer_to_an_older_text_is_dropped(qtbot, services, station, ctx_for, runner,
                                               past):
    editor = OrderEditor(ctx_for(station["clerk"]), None)
    qtbot.addWidget(editor)
    settle(qtbot, runner)
    panel = editor.new_form.knowledge
    shown: list[list] = []
    panel.answered.connect(shown.append)
    panel.ask_now("不制冷")   # its answer comes back after the newer text was asked
    panel.ask_now("不出热水")
    settle(qtbot, runner)
    assert [[s.diagnosis for s in found] for found in shown] == [["加热管烧坏"]]
    assert _diagnoses(panel) == ["加热管烧坏"]


def test_an_open_order_shows_others_repairs_and_copies_one_to_the_record(
        qtbot, services, station, ctx_for, runner, past, clock):
    order_id = repair(services, station, clock, "空调不制冷，开机一会就停", "待查", "待查",
                      complete=False)
    editor = OrderEditor(ctx_for(station["tech"]), order_id)
    qtbot.addWidget(editor)
    editor.resize(1000, 760)
    editor.show()
    panel = editor.fields.knowledge
    with qtbot.waitSignal(panel.answered, timeout=5_000):
        settle(qtbot, runner)
    settle(qtbot, runner)
    assert _diagnoses(panel)[:2] == ["过滤网脏堵", "焊点漏氟，冷媒不足"]
    assert "待查" not in _diagnoses(panel)  # the order in hand is no past repair
    _shot(editor, "order_suggestions")
    panel.list.setCurrentRow(1)
    qtbot.mouseClick(panel.copy_button, Qt.MouseButton.LeftButton)
    assert editor.tabs.currentWidget() is editor.repairs
    assert editor.repairs.diagnosis.toPlainText() == "焊点漏氟，冷媒不足"
    assert editor.repairs.actions.toPlainText() == "检漏补焊，加注R32 冷媒 1千克"


def test_the_knowledge_page_looks_up_a_symptom_with_a_model(qtbot, services, station,
                                                            ctx_for, runner, past):
    page = KnowledgePage(ctx_for(station["clerk"]))
    qtbot.addWidget(page)
    page.resize(1000, 640)
    page.show()
    page.focus_search()
    type_chinese(page.symptom, "热水器不出热水")
    page.model.setText(HEATER)
    with qtbot.waitSignal(page.results.answered, timeout=5_000):
        qtbot.keyClick(page.symptom, Qt.Key.Key_Return)
    settle(qtbot, runner)
    assert _diagnoses(page.results) == ["加热管烧坏"]
    assert "RS-1001 加热管 ×1" in page.detail.text() and page.detail.isVisibleTo(page)
    _shot(page, "knowledge_page")
    page.symptom.clear()
    page.symptom.setText("压缩机异响")
    with qtbot.waitSignal(page.results.answered, timeout=5_000):
        pass
    assert page.results.list.count() == 0
    assert page.results.status.text() == "没有相似的维修记录。"


def test_the_build_runs_after_log_in_in_steps_and_hides_when_done(qtbot, services, station,
                                                                   ctx_for, runner, past,
                                                                   monkeypatch):
    from sqlalchemy import text

    from app.ui.knowledge import status

    with services.db.write() as s:
        s.execute(text("DELETE FROM repair_knowledge"))
        s.execute(text("DELETE FROM search_state"))
    monkeypatch.setattr(status, "GUI_BATCH", 2)
    seen: list[str] = []
    widget = KnowledgeBuildStatus(ctx_for(station["clerk"]))
    qtbot.addWidget(widget)
    widget.show()
    monkeypatch.setattr(widget, "setText", lambda t: seen.append(t))
    qtbot.waitUntil(lambda: widget.progress is not None and widget.progress.complete,
                    timeout=10_000)
    assert seen[0] == "维修知识库建立中：50%" and not widget.isVisible()
    assert services.knowledge.progress().complete
    assert [s.diagnosis for s in services.knowledge.similar("不制冷")][0] == "过滤网脏堵"
