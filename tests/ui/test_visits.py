"""The 回访 page: the queue (overdue first, in red), the script beside the form, the four
aspects with no score chosen (保存 disabled until all four are), keys 1-5 and Ctrl+Enter,
无人接听 recording a call with its time, a dissatisfied visit that opens a complaint, and the
queue refreshing after each; the order editor's 回访 action opening the same form."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt

from app.domain.enums import OrderStatus, OrderType
from app.domain.state_machine import Action
from app.domain.visits import ASPECTS, Aspect
from app.ui.extensions import REGISTRY
from app.ui.visits.dialog import VisitDialog
from app.ui.visits.page import VisitsPage
from tests.services.test_visits import completed
from tests.ui.conftest import settle

SHOTS = Path(tempfile.gettempdir()) / "repair-station-shots"


def shot(widget, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


def open_page(qtbot, runner, ctx) -> VisitsPage:
    page = VisitsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1280, 820)
    page.show()
    settle(qtbot, runner)
    return page


def test_page_is_registered_for_the_desk_only(station) -> None:
    import app.ui.areas as areas

    areas.load_areas()
    keys = [p.key for p in REGISTRY.pages(station["clerk"])]
    assert "visits" in keys
    assert "visits" not in [p.key for p in REGISTRY.pages(station["tech"])]


def test_record_an_attempt_then_a_visit_that_opens_a_complaint(
        qtbot, runner, services, station, clock, ctx_for) -> None:
    old = completed(services, station, clock, serial="OLD1")
    clock.now += timedelta(days=5)
    recent = completed(services, station, clock, serial="NEW1", phone="13912345678",
                       name="韩梅梅")
    clerk_ctx = ctx_for(station["clerk"])
    messages: list[str] = []
    clerk_ctx.status_message = messages.append
    page = open_page(qtbot, runner, clerk_ctx)
    table, form = page.table, page.form

    # the queue: the overdue order first, in red, marked
    assert table.rowCount() == 2
    assert table.item(0, 0).text() == old.number and "⚠" in table.item(0, 5).text()
    assert table.item(0, 0).foreground().color().name() == "#b71c1c"
    assert "⚠" not in table.item(1, 5).text()
    assert "2" in page.count.text() and "1" in page.count.text()
    # the first row is chosen; the script beside names the customer and the order
    assert form.row is not None and form.row.order_id == old.id
    script = form.script.toPlainText()
    assert "李雷" in script and old.number in script and "北京海淀维修站" in script
    # no score is chosen for any aspect; save stays disabled
    assert all(row.score() is None for row in form.rows.values())
    assert not form.save_button.isEnabled()
    shot(page, "visits-queue")

    # 无人接听: the call is recorded with its time; the queue shows the count
    clock.now += timedelta(minutes=30)
    form.note.setText("无人接听，晚上再打")
    qtbot.mouseClick(form.attempt_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    qtbot.wait(400)  # the page refreshes on the "visits" announcement
    settle(qtbot, runner)
    assert table.item(0, 6).text() == "1"
    assert table.item(0, 7).text() != ""
    info = services.visits.visit_of(old.id)
    assert info is not None and info.attempts[0].attempted_at == clock.now
    assert info.attempts[0].note == "无人接听，晚上再打"
    assert form.row.order_id == old.id and form.row.attempts == 1
    assert any("已记录" in m for m in messages)

    # a visit, by keyboard: 1-5 per row; three rows chosen still leaves save disabled
    clock.now += timedelta(hours=4)
    # (a digit typed on a row's radio button chooses that score for the row)
    for aspect, key in zip(ASPECTS[:3], (Qt.Key.Key_4, Qt.Key.Key_5, Qt.Key.Key_2), strict=True):
        qtbot.keyClick(form.rows[aspect].buttons[1], key)
    assert [form.rows[a].score() for a in ASPECTS] == [4, 5, 2, None]
    assert not form.save_button.isEnabled()
    # dissatisfied: 转投诉 is offered, ticked, its text prefilled; the script says sorry
    assert form.complaint.isChecked()
    assert "维修质量2分" in form.complaint_text.toPlainText()
    assert "投诉" in form.script.toPlainText()
    qtbot.keyClick(form.rows[Aspect.PRICE].buttons[3], Qt.Key.Key_1)
    assert form.rows[Aspect.PRICE].score() == 1 and form.save_button.isEnabled()
    form.comments.insertPlainText("修完两天又不制冷")  # (QTest types no Chinese)
    assert "客户意见：修完两天又不制冷" in form.complaint_text.toPlainText()
    shot(page, "visits-form-dissatisfied")
    qtbot.keyClick(form.comments, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, runner)
    qtbot.wait(400)
    settle(qtbot, runner)

    visited = services.orders.detail(old.id)
    assert visited.status is OrderStatus.VISITED and visited.satisfaction == 1
    assert visited.links.visit_scores == (4, 5, 2, 1)
    assert len(visited.links.complaints) == 1
    complaint = services.orders.detail(visited.links.complaints[0].id)
    assert complaint.order_type is OrderType.COMPLAINT
    assert complaint.links.related_order.id == old.id
    assert "维修质量2分" in complaint.fault_description
    assert any(complaint.number in m for m in messages)
    # the queue refreshed: the visited order left, the next one is chosen
    assert table.rowCount() == 1 and table.item(0, 0).text() == recent.number
    assert form.row is not None and form.row.order_id == recent.id
    assert all(row.score() is None for row in form.rows.values())
    shot(page, "visits-after")


def test_a_refused_save_shows_the_service_error_by_its_field(
        qtbot, runner, services, station, clock, ctx_for) -> None:
    order = completed(services, station, clock)
    page = open_page(qtbot, runner, ctx_for(station["clerk"]))
    form = page.form
    for aspect in ASPECTS:
        form.rows[aspect].set_score(5)
    form.complaint.setChecked(True)
    form.complaint_text.setPlainText("   ")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert form.errors.error_text("complaint_text") != ""
    assert services.orders.detail(order.id).status is OrderStatus.COMPLETED


def test_the_order_editors_visit_action_opens_the_same_form(
        qtbot, runner, services, station, clock, ctx_for) -> None:
    order = completed(services, station, clock)
    ctx = ctx_for(station["clerk"])
    dialog = VisitDialog(ctx, order.id)
    qtbot.addWidget(dialog)
    dialog.show()
    settle(qtbot, runner)
    assert dialog.form.row.order_id == order.id and order.number in dialog.windowTitle()
    assert not dialog.form.save_button.isEnabled()
    shot(dialog, "visit-dialog")
    for aspect, score in zip(ASPECTS, (5, 4, 5, 4), strict=True):
        dialog.form.rows[aspect].set_score(score)
    assert not dialog.form.complaint.isChecked()
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.mouseClick(dialog.form.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    detail = services.orders.detail(order.id)
    assert detail.status is OrderStatus.VISITED and detail.links.visit_scores == (5, 4, 5, 4)
    assert detail.links.complaints == ()


def test_editor_visit_button_asks_the_visit_prompt(
        qtbot, runner, services, station, clock, ctx_for) -> None:
    from app.ui.orders.editor_dialog import OrderEditor
    from tests.ui.conftest import FakePrompts

    order = completed(services, station, clock)
    prompts = FakePrompts(satisfaction=3)
    editor = OrderEditor(ctx_for(station["clerk"]), order.id, prompts=prompts)
    qtbot.addWidget(editor)
    settle(qtbot, runner)
    editor.header.buttons[Action.VISIT].click()
    settle(qtbot, runner)
    assert prompts.asked == ["visit"]
    assert editor.current_order().status is OrderStatus.VISITED
    assert "3" in editor.fields.fact_labels["satisfaction"].text()


def test_the_editors_visit_button_opens_the_visit_dialog_for_real(
        qtbot, runner, services, station, clock, ctx_for) -> None:
    """Prompts.return_visit runs the modal dialog; the clerk scores the four aspects in it
    and saves; the editor shows the visited order."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.ui.orders.editor_dialog import OrderEditor

    order = completed(services, station, clock)
    editor = OrderEditor(ctx_for(station["clerk"]), order.id)
    qtbot.addWidget(editor)
    settle(qtbot, runner)
    seen: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, VisitDialog) or dialog.form.row is None:
            QTimer.singleShot(50, answer)  # the dialog reads its order off the GUI thread
            return
        seen.append(dialog.windowTitle())
        for aspect in ASPECTS:
            dialog.form.rows[aspect].set_score(4)
        dialog.form.save_button.click()

    QTimer.singleShot(50, answer)
    editor.header.buttons[Action.VISIT].click()  # returns when the dialog closes
    settle(qtbot, runner)
    assert seen and order.number in seen[0]
    assert editor.current_order().status is OrderStatus.VISITED
    assert services.orders.detail(order.id).links.visit_scores == (4, 4, 4, 4)
