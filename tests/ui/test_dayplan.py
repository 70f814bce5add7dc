"""派工看板 by keyboard: the desk selects a visit's card, Alt+Right gives it to the next
technician (the double booking acknowledged), Alt+Down moves it 30 minutes later, each move
asking why and whose reason; Ctrl+Right shows the next day. The reason dialog refuses an
empty reason. A technician opens the window on his own plan of today."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from PySide6.QtCore import Qt

from app.domain.appointments import ReasonParty
from app.ui.dayplan.move_dialog import MoveDialog
from app.ui.dayplan.page import DayPlanPage
from app.ui.window import close_main_window, open_main_window
from tests.services.test_route_sheets import DAY, FIRST, booked_day, on_site_order
from tests.ui.conftest import settle

SHOTS = Path(__file__).resolve().parents[2] / "build" / "screens"


class Answers:
    """The move's questions answered: the reason, and yes to the warnings."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.warned: list[str] = []

    def move_reason(self, parent, what: str):
        self.asked.append(what)
        return "客户临时有事", ReasonParty.CUSTOMER

    def confirm_warnings(self, parent, text: str) -> bool:
        self.warned.append(text)
        return True


def names(page: DayPlanPage) -> dict[str, list[str]]:
    return {c.technician_name: [v.customer_name for v in c.visits()] for c in page.columns}


def test_the_desk_moves_a_visit_to_another_technician_and_slot_by_keyboard(
        qtbot, services, station, ctx_for, runner) -> None:
    booked_day(services, station)
    answers = Answers()
    page = DayPlanPage(ctx_for(station["clerk"]), prompts=answers)
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    qtbot.waitExposed(page)
    page.set_day(DAY)
    settle(qtbot, runner)
    assert names(page) == {"张站长": [], "王师傅": ["韩梅梅", "李雷"], "赵师傅": ["赵六"]}
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.grab().save(str(SHOTS / "dayplan.png"))

    page.select(next(v.order_number for v in services.appointments.day_plan(
        station["clerk"], DAY) if v.customer_name == "韩梅梅"))
    column = page.columns[1]
    assert column.currentItem().data(Qt.ItemDataRole.UserRole).customer_name == "韩梅梅"
    qtbot.keyClick(column, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    settle(qtbot, runner)
    assert answers.asked and "赵师傅" in answers.asked[0]
    assert len(answers.warned) == 1  # 赵师傅 has 赵六 at that time: acknowledged
    assert sorted(names(page)["赵师傅"]) == sorted(["赵六", "韩梅梅"])
    assert names(page)["王师傅"] == ["李雷"]

    # the moved card stays selected: Alt+Down moves it 30 minutes later
    focused = page.columns[2]
    assert focused.hasFocus() and focused.currentItem().data(Qt.ItemDataRole.UserRole).customer_name == "韩梅梅"
    qtbot.keyClick(focused, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    settle(qtbot, runner)
    plan = {v.customer_name: v for v in services.appointments.day_plan(station["clerk"], DAY)}
    assert plan["韩梅梅"].technician_id == station["tech2"].user_id
    assert plan["韩梅梅"].starts_at == FIRST + timedelta(minutes=30)
    assert plan["韩梅梅"].ends_at == FIRST + timedelta(hours=2, minutes=30)
    history = services.appointments.history(plan["韩梅梅"].order_id)
    assert [h.status.value for h in history] == ["moved", "moved", "booked"]
    assert history[0].reason == "客户临时有事" and history[0].reason_party is ReasonParty.CUSTOMER

    qtbot.keyClick(page.columns[2], Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, runner)
    assert page.day() == DAY + timedelta(days=1) and page.empty.isVisible()


def test_the_reason_dialog_wants_a_reason_and_whose_it_is(qtbot) -> None:
    dialog = MoveDialog("SO-BJ001-20260601-0001 → 赵师傅")
    qtbot.addWidget(dialog)
    dialog.accept()
    assert dialog.result() == 0 and dialog.error.text() == "请填写改约原因。"
    dialog.reason.setText("配件未到")
    dialog.station.setChecked(True)
    dialog.accept()
    assert dialog.result() == 1 and dialog.answer() == ("配件未到", ReasonParty.STATION)


def test_a_technician_opens_on_his_plan_of_today(qtbot, services, station, runner,
                                                 clock) -> None:
    midnight = datetime.combine(datetime.now().date(), time()).astimezone().astimezone(UTC)
    clock.now = midnight
    order = on_site_order(services, station, "韩梅梅", "13812345678")
    services.appointments.book(station["clerk"], order, station["tech"].user_id,
                               midnight + timedelta(hours=10), midnight + timedelta(hours=12))
    window = open_main_window(services, station["tech"], runner)
    qtbot.addWidget(window)
    settle(qtbot, runner)
    page = window.current_page()
    assert isinstance(page, DayPlanPage) and page.own
    assert page.day() == datetime.now().date()
    assert names(page) == {"王师傅": ["韩梅梅"]}
    assert page.columns[0].visits()[0].phone == "13812345678"  # his own visit in full
    page.grab().save(str(SHOTS / "my-day.png"))
    close_main_window(window)


def test_a_card_dropped_on_another_technicians_card_follows_it_and_the_sheet_previews(
        qtbot, services, station, ctx_for, runner) -> None:
    booked_day(services, station)
    answers = Answers()
    page = DayPlanPage(ctx_for(station["manager"]), prompts=answers)
    qtbot.addWidget(page)
    page.set_day(DAY)
    settle(qtbot, runner)
    wang, zhao = page.columns[1], page.columns[2]
    li = next(v for v in wang.visits() if v.customer_name == "李雷")  # 07:00-09:00
    zhao.dropped.emit(li.appointment_id, zhao.technician_id, 0)  # onto 赵六 (04:00-06:00)
    settle(qtbot, runner)
    assert answers.warned == []  # right after 赵六: no clash
    plan = {v.customer_name: v for v in services.appointments.day_plan(station["manager"], DAY)}
    assert plan["李雷"].technician_id == station["tech2"].user_id
    assert plan["李雷"].starts_at == FIRST + timedelta(hours=2)
    assert names(page)["赵师傅"] == ["赵六", "李雷"]

    with qtbot.waitSignal(page.printer.finished, timeout=30_000) as shown:
        qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    kind, dialog = shown.args
    assert kind == "preview" and dialog.sheet.technician == "赵师傅"
    assert [v.customer_name for v in dialog.sheet.visits] == ["赵六", "李雷"]
    dialog.close()
    settle(qtbot, runner)
