"""Each registered document: Chinese field values extract from the PDF, every font is
embedded, page 1 renders with ink, long charge tables repeat their header on every page."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest

from app.domain.enums import ChargeKind
from app.printing.data import SHEET_PAPERS, ChargeRow, Paper
from app.printing.registry import DOCUMENT_MODULES, documents, names
from tests.printing.helpers import (
    STATION_NAME,
    font_names,
    ink_share,
    page_texts,
    sample_sheet,
    unembedded_fonts,
)

ORDER_PAPERS = [name for name in DOCUMENT_MODULES if documents()[name].subject == "order"]
CASES = [(name, paper) for name in ORDER_PAPERS for paper in SHEET_PAPERS]
TITLES = {"report": "售后服务维修单", "work-order": "派工单"}


def render(name: str, paper: Paper, sheet=None) -> bytes:
    buffer = BytesIO()
    documents()[name].render(sheet or sample_sheet(), paper, buffer)
    return buffer.getvalue()


def test_registry_lists_every_document_by_name() -> None:
    assert names() == ["report", "work-order", "receipt", "count-sheet", "manifest",
                       "old-part-tags", "feedback-card", "claim-batch", "settlement",
                       "statistics", "personal-data", "recovery-key", "route-sheet"]
    assert all(spec.name == name for name, spec in documents().items())


@pytest.mark.parametrize("name, paper", CASES)
def test_chinese_values_extract(name: str, paper: Paper) -> None:
    text = "\n".join(page_texts(render(name, paper)))
    for value in (TITLES[name], STATION_NAME, "韩梅梅", "空调不制冷，外机不转",
                  "SO-BJ001-20260601-0001", "客户姓名", "联系电话", "13812345678",
                  "北京市海淀区学院路38号阳光小区5号楼2单元301", "KFR-35GW/BP3DN1Y", "王师傅"):
        assert value in text, value


def test_report_prints_charges_total_and_times() -> None:
    text = "\n".join(page_texts(render("report", Paper.A4)))
    for value in ("压缩机启动电容", "45.00", "95.00", "玖拾伍元整", "启动电容损坏",
                  "2026-06-01 02:10", "非常满意", "不满意", "保内", "保外", "客户签字"):
        assert value in text, value


@pytest.mark.parametrize("name, paper", CASES)
def test_every_font_is_embedded(name: str, paper: Paper) -> None:
    pdf = render(name, paper)
    assert unembedded_fonts(pdf) == []
    assert font_names(pdf), "the document uses no font at all"
    assert not any("Helvetica" in f or "STSong" in f for f in font_names(pdf))


@pytest.mark.parametrize("name, paper", CASES)
def test_first_page_is_not_blank(name: str, paper: Paper, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(render(name, paper))
    assert ink_share(path) > 0.02


@pytest.mark.parametrize("paper", list(SHEET_PAPERS))
def test_300_charge_lines_span_pages_with_the_header_repeated(paper: Paper) -> None:
    lines = tuple(ChargeRow(ChargeKind.PARTS, f"配件{n:03d}号", 1, 100) for n in range(300))
    pages = page_texts(render("report", paper, sample_sheet(charges=lines)))
    assert len(pages) >= 4
    table_pages = [t for t in pages if "配件150号" in t or "配件299号" in t or "配件001号" in t]
    assert len(table_pages) >= 3
    for text in table_pages:
        assert "项目 / 配件名称" in text and "金额（元）" in text
    everything = "\n".join(pages)
    assert all(f"配件{n:03d}号" in everything for n in range(300))
    assert "300.00" in pages[-1] or "300.00" in pages[-2]
    assert f"共 {len(pages)} 页" in pages[0]


def test_a_very_long_fault_text_splits_instead_of_failing() -> None:
    fault = "压缩机运转时有异响，" * 400
    pages = page_texts(render("report", Paper.A5, sample_sheet(fault=fault)))
    assert len(pages) >= 2


@pytest.mark.parametrize("name, paper", CASES)
def test_a_usual_order_fits_one_page(name: str, paper: Paper) -> None:
    lines = tuple(ChargeRow(ChargeKind.PARTS, f"配件{n}", 1, 100) for n in range(5))
    assert len(page_texts(render(name, paper, sample_sheet(charges=lines)))) == 1


def test_documents_print_in_english_too() -> None:
    from app.i18n import set_language

    set_language("en")
    text = " ".join("\n".join(page_texts(render("report", Paper.A4))).split())
    assert "After-sales service repair report" in text and "Customer name" in text
    assert "RMB in words" in text and "韩梅梅" in text


def test_documents_built_from_several_threads_come_out_right() -> None:
    from concurrent.futures import ThreadPoolExecutor

    def one(i: int) -> bool:
        name = "report" if i % 2 else "work-order"
        pdf = render(name, Paper.A4, sample_sheet(customer_name=f"客户{i:02d}"))
        return f"客户{i:02d}" in page_texts(pdf)[0] and not unembedded_fonts(pdf)

    with ThreadPoolExecutor(4) as pool:
        assert all(pool.map(one, range(12)))


def test_a_very_long_station_name_is_shrunk_and_wrapped_never_cut() -> None:
    from app.printing.data import StationHeader

    long_name = ("北京市海淀区中关村科技园区特约家电维修服务中心第三分站授权服务网点" * 2)[:64]
    address = ("北京市海淀区中关村大街1号" * 16)[:200]
    sheet = sample_sheet(station=StationHeader(long_name, address, "010-62345678"))
    for paper in SHEET_PAPERS:
        text = page_texts(render("report", paper, sheet))[0]
        flat = "".join(text.split())
        assert "第 1 页 / 共 1 页" in text
        assert long_name in flat and address in flat and "…" not in text
        assert "SO-BJ001-20260601-0001" in text


@pytest.mark.parametrize("paper", list(SHEET_PAPERS))
def test_report_carries_source_stamp_visit_closing_and_both_amounts(paper: Paper) -> None:
    from datetime import UTC, datetime

    from app.domain.enums import OrderSource

    sheet = sample_sheet(source=OrderSource.HEAD_OFFICE, hq_reference="HQ-778",
                         visited_at=datetime(2026, 6, 3, 1, 30, tzinfo=UTC),
                         closed_at=datetime(2026, 6, 3, 2, 0, tzinfo=UTC), claimed_fen=4500)
    text = "".join("".join(page_texts(render("report", paper, sheet))).split())
    for value in ("来源总部派单", "总部单号HQ-778", "回访时间2026-06-0301:30",
                  "结单时间2026-06-0302:00", "维修站盖章", "客户应付¥50.00", "伍拾元整",
                  "厂家索赔¥45.00", "肆拾伍元整"):
        assert value in text, value
    walk_in = sample_sheet(source=OrderSource.WALK_IN)
    assert "来源到店" in "".join(page_texts(render("report", paper, walk_in))[0].split())
