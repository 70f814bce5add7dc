"""质量反馈 on screen: the technician opens 填写质量反馈卡 on their order, finds the model,
serial, fault and part filled in, adds a photo, is told every missing field at once, ticks
the cause and submits; the card is then read-only and on its way to head office. The page
lists and searches the cards; a clerk may type a draft but not submit it; Esc on unsaved
edits asks first."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from sqlalchemy import select

from app.domain.feedback import CauseCategory, FeedbackStatus
from app.domain.parts import part_id
from app.services.feedback import CardFields
from app.store.models import OutboxOp
from app.ui.feedback.form import FeedbackPrompts
from app.ui.feedback.order_action import FeedbackDialog
from app.ui.feedback.page import FeedbackPage
from app.ui.orders.editor_dialog import OrderEditor
from tests.printing.helpers import page_texts
from tests.services.helpers import new_order
from tests.ui.conftest import settle
from tests.ui.parts_helpers import quiet_timers, seed_parts  # noqa: F401 - a fixture

pytestmark = pytest.mark.usefixtures("quiet_timers")
SHOTS = Path("/tmp/feedback-shots")


class Answers(FeedbackPrompts):
    def __init__(self, discard: bool = True, photo: Path | None = None) -> None:
        self.discard = discard
        self.photo = photo
        self.asked: list[str] = []

    def discard_changes(self, parent) -> bool:
        self.asked.append("discard")
        return self.discard

    def photo_file(self, parent) -> Path | None:
        self.asked.append("photo")
        return self.photo


def _photo(tmp_path: Path) -> Path:
    path = tmp_path / "现场.jpg"
    Image.new("RGB", (400, 300), "#2a6f9e").save(path, "JPEG")
    return path


def _shot(widget, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


def test_a_card_from_an_order_with_a_photo_is_submitted(qtbot, services, station, ctx_for,
                                                        runner, tmp_path) -> None:
    seed_parts(services, station["manager"])
    tech = station["tech"]
    order = new_order(services, station["clerk"], technician_id=tech.user_id,
                      fault="外机不转，有焦味")
    services.order_parts.issue(tech, order.id, part_id("GR-CAP-35"), 1)
    ctx = ctx_for(tech)
    editor = OrderEditor(ctx, order.id)
    qtbot.addWidget(editor)
    settle(qtbot, runner)
    action = next(a for a in editor.order_actions if a.objectName() == "order_feedback")
    assert action.isEnabled() and action.text() == "填写质量反馈卡…"
    answers = Answers(photo=_photo(tmp_path))
    action.prompts = answers
    action.trigger()
    settle(qtbot, runner)
    dialog = action.dialog
    assert isinstance(dialog, FeedbackDialog) and dialog.isVisible()
    form = dialog.form
    card = form.detail
    assert card is not None and card.order_id == order.id
    assert form.inputs["product_model"].text() == "KFR-35GW"
    assert form.inputs["serial_no"].text() == "SN0001"
    assert form.inputs["fault_phenomenon"].toPlainText() == "外机不转，有焦味"
    assert form.inputs["faulty_part"].text() == "压缩机启动电容"
    assert form.inputs["customer_opinion"].toPlainText() == ""
    assert not any(b.isChecked() for b in form.cause_buttons.values())

    # typed edits survive a photo being added
    form.inputs["use_environment"].setText("厨房旁，油烟大")
    with qtbot.waitSignal(form.loaded, timeout=10_000):
        qtbot.mouseClick(form.add_photo_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert answers.asked == ["photo"]
    assert form.photos.count() == 1 and len(form.detail.photos) == 1
    assert form.inputs["use_environment"].text() == "厨房旁，油烟大"
    qtbot.waitUntil(lambda: not form.photos.item(0).icon().isNull(), timeout=10_000)

    # the cause is missing (and the model, once cleared): both shown at once
    form.inputs["product_model"].clear()
    with qtbot.waitSignal(form.refused, timeout=10_000):
        qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    shown = form.form.shown_errors()
    assert set(shown) == {"product_model", "cause_category"}
    assert shown["cause_category"] == "请填写故障原因分类。"
    _shot(dialog, "feedback-dialog-errors")

    form.inputs["product_model"].setText("KFR-35GW")
    form.cause_buttons[CauseCategory.MANUFACTURING].setChecked(True)
    with qtbot.waitSignal(form.loaded, timeout=10_000):
        qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    done = form.detail
    assert done.status is FeedbackStatus.SUBMITTED
    assert done.fields.use_environment == "厨房旁，油烟大"
    assert done.fields.cause_category is CauseCategory.MANUFACTURING
    assert form.form.shown_errors() == {}
    assert form.inputs["product_model"].isReadOnly()
    assert not form.save_button.isEnabled() and not form.submit_button.isEnabled()
    assert not form.add_photo_button.isEnabled()
    assert "已提交" in form.heading.text() and order.number in form.heading.text()
    with services.db.read() as s:
        ops = list(s.scalars(select(OutboxOp).where(OutboxOp.entity_id == done.id)))
    assert [op.entity for op in ops] == ["feedback_card"]
    _shot(dialog, "feedback-dialog-submitted")
    dialog.close()


def test_the_page_lists_searches_and_names_every_missing_field(qtbot, services, station,
                                                               ctx_for, runner) -> None:
    boss = station["manager"]
    services.feedback.submit(boss, services.feedback.new(boss, CardFields(
        product_model="XQB60-1", serial_no="W100", fault_phenomenon="脱水时异响",
        cause_category=CauseCategory.USE)).id)
    page = FeedbackPage(ctx_for(boss), Answers())
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.show()
    page.activateWindow()
    qtbot.waitExposed(page)
    settle(qtbot, runner)
    assert page.table.rowCount() == 1
    assert page.table.item(0, 1).text() == "已提交" and page.table.item(0, 4).text() == "使用"

    with qtbot.waitSignal(page.form.loaded, timeout=10_000):
        qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    qtbot.wait(400)
    settle(qtbot, runner)
    assert page.table.rowCount() == 2
    new = page.form.detail
    assert new.status is FeedbackStatus.DRAFT
    with qtbot.waitSignal(page.form.refused, timeout=10_000):
        qtbot.mouseClick(page.form.submit_button, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert set(page.form.form.shown_errors()) == {"product_model", "fault_phenomenon",
                                                  "cause_category"}
    _shot(page, "feedback-page")

    page.form.inputs["product_model"].setText("KFR-26GW")
    page.form.inputs["serial_no"].setText("K-7")
    with qtbot.waitSignal(page.form.loaded, timeout=10_000):
        qtbot.keyClick(page.form.inputs["serial_no"], Qt.Key.Key_S,
                       Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, runner)
    assert services.feedback.detail(new.id).fields.serial_no == "K-7"

    with qtbot.waitSignal(page.listed, timeout=10_000):
        qtbot.keyClicks(page.search, "xqb60")
    settle(qtbot, runner)
    assert page.table.rowCount() == 1 and page.table.item(0, 2).text() == "XQB60-1"
    page.status.setCurrentIndex(page.status.findData("draft"))
    settle(qtbot, runner)
    assert page.table.rowCount() == 0


def test_a_clerk_types_a_draft_but_cannot_submit(qtbot, services, station, ctx_for,
                                                 runner) -> None:
    clerk = station["clerk"]
    card = services.feedback.new(clerk, CardFields(product_model="KFR-35GW"))
    page = FeedbackPage(ctx_for(clerk), Answers())
    qtbot.addWidget(page)
    settle(qtbot, runner)
    page.table.selectRow(0)
    settle(qtbot, runner)
    assert page.form.detail.id == card.id
    assert page.form.save_button.isEnabled() and not page.form.submit_button.isEnabled()


def test_esc_on_unsaved_edits_asks_first(qtbot, services, station, ctx_for, runner) -> None:
    tech = station["tech"]
    card = services.feedback.new(tech, CardFields(product_model="KFR-35GW"))
    answers = Answers(discard=False)
    dialog = FeedbackDialog(ctx_for(tech), answers)
    qtbot.addWidget(dialog)
    dialog.form.show_card(services.feedback.detail(card.id))
    dialog.show()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert answers.asked == [] and not dialog.isVisible()  # nothing typed: it just closes

    dialog = FeedbackDialog(ctx_for(tech), answers)
    qtbot.addWidget(dialog)
    dialog.form.show_card(services.feedback.detail(card.id))
    dialog.show()
    dialog.form.inputs["serial_no"].setText("SN-NEW")
    qtbot.keyClick(dialog.form.inputs["serial_no"], Qt.Key.Key_Escape)
    assert answers.asked == ["discard"] and dialog.isVisible()
    answers.discard = True
    qtbot.keyClick(dialog.form.inputs["serial_no"], Qt.Key.Key_Escape)
    assert answers.asked == ["discard", "discard"] and not dialog.isVisible()
    assert services.feedback.detail(card.id).fields.serial_no == ""


def test_the_card_saves_as_pdf_with_its_photo(qtbot, services, station, ctx_for, runner,
                                              tmp_path) -> None:
    from tests.printing.test_feedback_card import images
    from tests.ui.test_parts_sale import SavePrompts

    tech = station["tech"]
    card = services.feedback.new(tech, CardFields(product_model="KFR-35GW",
                                                  fault_phenomenon="外机不转"))
    card = services.feedback.attach_photo(tech, card.id, _photo(tmp_path))
    dialog = FeedbackDialog(ctx_for(tech), Answers())
    qtbot.addWidget(dialog)
    dialog.form.show_card(card)
    target = tmp_path / "card.pdf"
    prompts = SavePrompts(target)
    dialog.form.printer.prompts = prompts
    save = next(b for b in dialog.form.paper_buttons if b.objectName() == "feedback_save_pdf")
    with qtbot.waitSignal(dialog.form.printer.finished, timeout=30_000):
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    settle(qtbot, runner)
    assert prompts.errors == []
    pdf = target.read_bytes()
    assert len(images(pdf)) == 1
    assert card.number in "".join(page_texts(pdf)[0].split())


def test_the_page_in_the_window_keeps_every_column_in_view(qtbot, qapp, services, station,
                                                           runner) -> None:
    from app.ui.qt_app import ui_font
    from app.ui.window import open_main_window

    boss = station["manager"]
    for n in range(3):
        services.feedback.new(boss, CardFields(product_model=f"KFR-35GW/BP3DN1Y-{n}",
                                               serial_no=f"SN99148539{n:02d}",
                                               cause_category=CauseCategory.INSTALLATION))
    before = qapp.font()
    qapp.setFont(ui_font())
    try:
        window = open_main_window(services, boss, runner)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        settle(qtbot, runner)
        assert "feedback" in window.page_keys()
        page = window.show_page("feedback")
        settle(qtbot, runner)
        assert page.table.rowCount() == 3
        header = page.table.horizontalHeader()
        last = page.table.columnCount() - 1
        assert header.sectionPosition(last) + 20 < page.table.viewport().width()
        page.table.selectRow(0)
        settle(qtbot, runner)
        _shot(window, "feedback-window")
        qtbot.wait(400)
        settle(qtbot, runner)
        window.close()
    finally:
        qapp.setFont(before)


def test_esc_on_the_page_asks_before_dropping_edits(qtbot, services, station, ctx_for,
                                                    runner) -> None:
    tech = station["tech"]
    card = services.feedback.new(tech, CardFields(product_model="KFR-35GW"))
    answers = Answers(discard=False)
    page = FeedbackPage(ctx_for(tech), answers)
    qtbot.addWidget(page)
    settle(qtbot, runner)
    page.table.selectRow(0)
    settle(qtbot, runner)
    assert page.form.detail.id == card.id
    box = page.form.inputs["production_info"]
    box.setText("2025-03")
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert answers.asked == ["discard"] and box.text() == "2025-03"
    answers.discard = True
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert box.text() == "" and not page.form.dirty()
