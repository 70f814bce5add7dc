"""技术员日程单 on paper: the technician, the day and each visit in time order (window, order,
customer, phone, address, fault, parts to bring, 签到/完成 boxes) with the day's totals, in
Chinese with the fonts embedded and ink on the page; a long address and fault flow onto the
next pages inside their boxes; any text the services accept lays out whole and prints as typed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.domain import parts as limits
from app.domain import validation as v
from app.printing.data import Paper, StationHeader
from app.printing.registry import documents
from app.printing.route_sheet import RoutePart, RouteSheet, RouteVisit
from tests.printing.helpers import STATION_NAME, ink_share, page_texts, unembedded_fonts
from tests.printing.test_any_length import check_pdf, text

START = datetime(2026, 6, 1, 1, 0, tzinfo=UTC)  # 09:00 in Beijing... printed in UTC here


def sample_visit(n: int = 0, **changes) -> RouteVisit:
    values = dict(
        starts_at=START + timedelta(hours=2 * n), ends_at=START + timedelta(hours=2 * n + 2),
        order_no=f"SO-BJ001-20260601-{n + 1:04d}", customer_name="韩梅梅",
        address="北京市海淀区学院路38号阳光小区5号楼2单元301", phone="13812345678",
        fault="空调不制冷，外机不转",
        parts=(RoutePart("GR-CAP-35", "压缩机启动电容 35μF", 2),))
    values.update(changes)
    return RouteVisit(**values)


def sample_route_sheet(**changes) -> RouteSheet:
    values = dict(
        station=StationHeader(STATION_NAME, "北京市海淀区中关村大街1号", "010-62345678"),
        number="RT-wang-20260601", technician="王师傅", day=date(2026, 6, 1),
        visits=(sample_visit(0), sample_visit(1, customer_name="李雷", parts=())),
        printed_at=datetime(2026, 5, 31, 12, 0, tzinfo=UTC), tz=UTC)
    values.update(changes)
    return RouteSheet(**values)


def render(sheet: RouteSheet, paper: Paper = Paper.A4) -> bytes:
    buffer = BytesIO()
    documents()["route-sheet"].render(sheet, paper, buffer)
    return buffer.getvalue()


def flat(pdf: bytes) -> str:
    return "".join("".join(page_texts(pdf)).split())


@pytest.mark.parametrize("paper", [Paper.A4, Paper.A5])
def test_the_sheet_prints_each_visit_in_order_with_the_totals(paper: Paper,
                                                               tmp_path: Path) -> None:
    pdf = render(sample_route_sheet(), paper)
    assert unembedded_fonts(pdf) == []
    text = flat(pdf)
    for word in ("技术员日程单", "王师傅", "2026-06-01", "01:00–03:00", "SO-BJ001-20260601-0001",
                 "韩梅梅", "13812345678", "北京市海淀区学院路38号阳光小区5号楼2单元301",
                 "空调不制冷，外机不转", "GR-CAP-35压缩机启动电容35μF×2", "签到", "完成",
                 "2次上门", "2件"):
        assert word in text, word
    assert text.index("SO-BJ001-20260601-0001") < text.index("SO-BJ001-20260601-0002")
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf)
    assert ink_share(path) > 0.005


def test_a_day_without_visits_says_so() -> None:
    assert "这一天没有预约的上门。" in flat(render(sample_route_sheet(visits=())))


def test_long_addresses_and_faults_flow_onto_the_next_pages_inside_their_boxes() -> None:
    fault = "故障描述的文字" * 570  # the 4,000 characters an order's fault accepts
    address = ("北京市海淀区学院路" * 30)[:v.MAX_ADDRESS]
    visits = tuple(sample_visit(n, fault=fault, address=address) for n in range(3))
    sheet = sample_route_sheet(visits=visits)
    pdf = render(sheet, Paper.A5)
    assert len(page_texts(pdf)) >= 4
    check_pdf(pdf, Paper.A5, [x for visit in visits for x in (visit.address, visit.fault)],
              [sheet.station.name, sheet.station.address])


@st.composite
def sheets(draw) -> RouteSheet:
    visits = tuple(sample_visit(
        n, customer_name=draw(text(v.MAX_NAME)), address=draw(text(v.MAX_ADDRESS)),
        fault=draw(text(300, lines=True)),
        parts=tuple(RoutePart(draw(text(limits.MAX_PART_NO)), draw(text(limits.MAX_PART_NAME)),
                              draw(st.integers(1, 999))) for _ in range(draw(st.integers(0, 3)))))
        for n in range(draw(st.integers(1, 3))))
    return sample_route_sheet(
        station=StationHeader(draw(text(v.MAX_SHORT)), draw(text(v.MAX_ADDRESS)),
                              "010-62345678"),
        technician=draw(text(v.MAX_NAME)), visits=visits)


def _widest(limit: int) -> str:
    return ("䶮𠀀Ｗ" * limit)[:limit]


LONGEST = sample_route_sheet(
    station=StationHeader(_widest(v.MAX_SHORT), _widest(v.MAX_ADDRESS), "010-62345678"),
    technician=_widest(v.MAX_NAME),
    visits=(sample_visit(0, customer_name=_widest(v.MAX_NAME), address=_widest(v.MAX_ADDRESS),
                         parts=(RoutePart(_widest(limits.MAX_PART_NO),
                                          _widest(limits.MAX_PART_NAME), 999),)),))


@settings(max_examples=2, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(sheet=sheets())
@example(sheet=LONGEST)
def test_any_accepted_text_lays_out_whole_on_the_route_sheet(sheet: RouteSheet) -> None:
    """On A5, the narrower paper (the long-text test above covers the flow over pages)."""
    assert documents()["route-sheet"].subject == "route"
    paper = Paper.A5
    values = [sheet.technician]
    for visit in sheet.visits:
        values += [visit.customer_name, visit.address, visit.fault]
        values += [x for p in visit.parts for x in (p.part_no, p.name)]
    check_pdf(render(sheet, paper), paper, values, [sheet.station.name, sheet.station.address])
