"""The technician's route sheet read from the day plan (``app.services.route_sheets``) and
``repair-station print route-sheet USERNAME --date DATE -o FILE``: the visits of that day in
time order, the phones as the reader may see them (the printed paper is the technician's own:
his visits' phones in full), and clear errors for an unknown user, a user no visit is booked
for (a clerk) and a date that is not one."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from app.__main__ import main
from app.bootstrap import Services
from app.domain.enums import OrderSource, OrderType, ServiceMode
from app.domain.errors import RuleViolation
from app.services.context import Actor
from app.services.customers import CustomerInput, ProductInput
from app.services.order_warnings import Ack
from app.services.orders import NewOrder
from app.services.route_sheets import parse_day, sheet_key
from tests.printing.helpers import page_texts

DAY = date(2026, 6, 1)
#: the test clock's now is 2026-06-01 02:00 UTC; the visits come after it, on the same day
FIRST = datetime(2026, 6, 1, 4, 0, tzinfo=UTC)


def on_site_order(services: Services, station: dict[str, Actor], name: str, phone: str,
                  technician: str = "tech") -> str:
    order = services.orders.create(station["clerk"], NewOrder(
        order_type=OrderType.REPAIR, source=OrderSource.PHONE, service_mode=ServiceMode.ON_SITE,
        fault_description=f"{name}家空调不制冷", contact_phone=phone,
        customer=CustomerInput(name, (phone,), f"北京市海淀区学院路{len(name)}号"),
        product=ProductInput("KFR-35GW/BP3DN1Y", "SN0001", date(2026, 1, 10)),
        service_address=f"北京市海淀区{name}家", technician_id=station[technician].user_id,
    ), acknowledged=Ack("测试:同一台机器的又一张工单"))
    return order.id


def booked_day(services: Services, station: dict[str, Actor]) -> list[str]:
    """Three visits of DAY: two for 王师傅 (booked out of time order), one for 赵师傅."""
    clerk = station["clerk"]
    ids = []
    for name, phone, tech, start in (("李雷", "13900002222", "tech", FIRST + timedelta(hours=3)),
                                     ("韩梅梅", "13812345678", "tech", FIRST),
                                     ("赵六", "13700003333", "tech2", FIRST)):
        order = on_site_order(services, station, name, phone, tech)
        info = services.appointments.book(clerk, order, station[tech].user_id, start,
                                          start + timedelta(hours=2))
        ids.append(info.id)
    return ids


def test_the_sheet_lists_the_technicians_visits_of_the_day_in_time_order(
        services, station) -> None:
    booked_day(services, station)
    sheet = services.route_sheets.route_sheet(station["clerk"], "tech", DAY)
    assert sheet.technician == "王师傅" and sheet.day == DAY
    assert [v.customer_name for v in sheet.visits] == ["韩梅梅", "李雷"]
    assert sheet.visits[0].address == "北京市海淀区韩梅梅家"
    assert sheet.visits[0].phone == "13812345678"  # the desk reads phones in full
    assert sheet.number == "RT-tech-20260601"
    assert services.route_sheets.route_sheet(station["clerk"], "tech", DAY + timedelta(1)) \
        .visits == ()


def test_phones_are_shown_as_the_reader_may_read_them(services, station) -> None:
    booked_day(services, station)
    other = services.route_sheets.route_sheet(station["tech2"], "tech", DAY)
    assert other.visits[0].phone == "138****5678"
    own = services.route_sheets.route_sheet(station["tech"], "tech", DAY)
    assert own.visits[0].phone == "13812345678"
    # the printed paper (the report service's subject) is the technician's own
    printed = services.reports.subject_sheet("route-sheet", sheet_key("tech", DAY))
    assert printed.visits[0].phone == "13812345678"


@pytest.mark.parametrize("username, field", [("nobody", "username"), ("clerk", "username")])
def test_an_unknown_user_or_a_clerk_has_no_route_sheet(services, station, username: str,
                                                       field: str) -> None:
    with pytest.raises(RuleViolation) as refused:
        services.route_sheets.route_sheet(station["manager"], username, DAY)
    assert refused.value.field == field


def test_a_date_must_be_a_date() -> None:
    assert parse_day(" 2026-06-01 ") == DAY
    for bad in ("2026-13-01", "tomorrow", ""):
        with pytest.raises(RuleViolation) as refused:
            parse_day(bad)
        assert refused.value.field == "date"


def test_the_print_command_writes_the_route_sheet(services, station, tmp_path: Path,
                                                  capsys) -> None:
    booked_day(services, station)
    out = tmp_path / "route.pdf"
    assert main(["--data-dir", str(services.paths.root), "print", "route-sheet", "tech",
                 "--date", "2026-06-01", "-o", str(out), "--paper", "A5"]) == 0
    text = "".join("".join(page_texts(out)).split())
    assert "技术员日程单" in text and "王师傅" in text and "13812345678" in text
    assert text.index("韩梅梅") < text.index("李雷") and "赵六" not in text
    assert str(out) in capsys.readouterr().out


@pytest.mark.parametrize("user, day, words", [
    ("nobody", "2026-06-01", ("nobody",)),
    ("clerk", "2026-06-01", ("李信息", "信息员")),
    ("tech", "2026-02-30", ("2026-02-30", "YYYY-MM-DD")),
])
def test_the_print_command_refuses_clearly(services, station, tmp_path: Path, capsys,
                                           user: str, day: str, words: tuple[str, ...]) -> None:
    out = tmp_path / "route.pdf"
    code = main(["--data-dir", str(services.paths.root), "print", "route-sheet", user,
                 "--date", day, "-o", str(out)])
    assert code == 2 and not out.exists()
    err = capsys.readouterr().err
    for word in words:
        assert word in err, err
