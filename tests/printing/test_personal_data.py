"""个人信息 on paper (the customer's export, issue 14): the file, products, orders with their
repairs, charges and payments, and the sales extract in Chinese, fonts embedded, ink on the
page; long notes and faults flow onto the next page inside their boxes; any text the services
accept (markup characters too) lays out whole and prints as typed; an erased file prints the
tombstone."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.domain import validation as v
from app.domain.erasure import ERASED_NAME
from app.printing.data import Paper, StationHeader
from app.printing.personal_data import (
    ChargeLine,
    OrderRecord,
    PersonalDataSheet,
    ProductLine,
    SaleRecord,
)
from app.printing.registry import documents
from tests.printing.helpers import STATION_NAME, ink_share, page_texts, unembedded_fonts
from tests.printing.test_any_length import check_pdf, text

WHEN = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)


def sample_personal_data(**changes) -> PersonalDataSheet:
    order = OrderRecord(
        number="SO-BJ001-20260601-0001", order_type="维修", status="已完工", called_at=WHEN,
        closed_at=WHEN, product="KFR-35GW/BP3DN1Y SN9914853944", contact_phone="13812345678",
        service_address="北京市海淀区学院路38号", fault="空调不制冷，外机不转",
        technician="王师傅", repairs=("王师傅\n启动电容损坏\n更换压缩机启动电容",),
        charges=(ChargeLine("维修工时", 1, 5000, "客户"),),
        payments=("2026-06-01 收款 现金 ¥50.00",), visit="5 / 5 / 5 / 4\n服务很好",
        feedback=("QF-BJ001-20260601-0001\n外机不转",), photos=1)
    values = dict(
        station=StationHeader(STATION_NAME, "北京市海淀区中关村大街1号", "010-62345678"),
        number="4e2c1c19-e27e-4ed5-9803-de99eae46d7d", printed_at=WHEN, name="韩梅梅",
        phones=("13812345678", "010-62345678"), address="北京市海淀区学院路38号阳光小区",
        notes="晚上七点后方便", created_at=WHEN,
        products=(ProductLine("KFR-35GW/BP3DN1Y", "SN9914853944", "2025-08-01", "FP001"),),
        orders=(order,),
        sales=(SaleRecord("SA-BJ001-20260601-0001", WHEN, 4500, "韩梅梅", "13812345678"),),
        tz=UTC)
    values.update(changes)
    return PersonalDataSheet(**values)


def render(sheet: PersonalDataSheet) -> bytes:
    buffer = BytesIO()
    documents()["personal-data"].render(sheet, Paper.A4, buffer)
    return buffer.getvalue()


def flat(pdf: bytes) -> str:
    return "".join("".join(page_texts(pdf)).split())


def test_the_paper_prints_the_file_the_orders_and_the_sales(tmp_path: Path) -> None:
    pdf = render(sample_personal_data())
    assert unembedded_fonts(pdf) == []
    text = flat(pdf)
    for word in ("客户个人信息", "客户档案", "韩梅梅", "13812345678", "010-62345678",
                 "北京市海淀区学院路38号阳光小区", "晚上七点后方便", "KFR-35GW/BP3DN1Y", "FP001",
                 "SO-BJ001-20260601-0001", "空调不制冷，外机不转", "更换压缩机启动电容", "维修工时",
                 "50.00", "服务很好", "QF-BJ001-20260601-0001", "SA-BJ001-20260601-0001",
                 "45.00", "data.json"):
        assert word in text, word
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf)
    assert ink_share(path) > 0.005


def test_an_erased_file_prints_the_tombstone() -> None:
    sheet = sample_personal_data(name=ERASED_NAME, phones=(), address="", notes="",
                                 erased_at=WHEN)
    text = flat(render(sheet))
    assert ERASED_NAME in text and "删除时间" in text and "韩梅梅" not in text.split("销售")[0]


def test_long_notes_and_fault_flow_onto_the_next_pages_inside_their_boxes() -> None:
    notes = "客户备注的文字" * 570  # the 4,000 characters the file accepts
    fault = "故障描述的文字" * 570
    sheet = sample_personal_data(notes=notes, orders=(
        OrderRecord("SO-BJ001-20260601-0002", fault=fault, charges=tuple(
            ChargeLine(f"配件{n}", n, 100 * n) for n in range(1, 40))),))
    pdf = render(sheet)
    assert len(page_texts(pdf)) >= 3
    check_pdf(pdf, Paper.A4, [notes, fault, "配件39"],
              [sheet.station.name, sheet.station.address])


def test_markup_and_hostile_text_print_as_typed() -> None:
    hostile = "<b>张</b> &amp; <font size=40>李</font> <br/> ]]> \\ \"'"
    sheet = sample_personal_data(name=hostile[:v.MAX_NAME], notes=hostile)
    text = flat(render(sheet))
    assert "".join(hostile.split()) in text


@st.composite
def sheets(draw) -> PersonalDataSheet:
    return sample_personal_data(
        station=StationHeader(draw(text(v.MAX_SHORT)), draw(text(v.MAX_ADDRESS)),
                              "010-62345678"),
        name=draw(text(v.MAX_NAME)), address=draw(text(v.MAX_ADDRESS)),
        # the 4,000-character notes and fault flow in the test above; here 500 of any kind
        notes=draw(text(500, lines=True)),
        orders=(OrderRecord("SO-BJ001-20260601-0003", fault=draw(text(500, lines=True)),
                            service_address=draw(text(v.MAX_ADDRESS)),
                            product=draw(text(v.MAX_SHORT))),))


LONGEST = sample_personal_data(name=("䶮𠀀Ｗ" * 20)[:v.MAX_NAME],
                               address=("䶮𠀀Ｗ" * 80)[:v.MAX_ADDRESS])


@settings(max_examples=3, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(sheet=sheets())
@example(sheet=LONGEST)
def test_any_accepted_text_lays_out_whole_on_the_personal_data_paper(
        sheet: PersonalDataSheet) -> None:
    assert documents()["personal-data"].subject == "customer"
    values = [sheet.name, sheet.address, sheet.notes, *(o.fault for o in sheet.orders),
              *(o.service_address for o in sheet.orders), *(o.product for o in sheet.orders)]
    check_pdf(render(sheet), Paper.A4, [x for x in values if x],
              [sheet.station.name, sheet.station.address])
