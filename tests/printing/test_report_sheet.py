"""The printed statistics report (document "statistics", issue 12 item 2): it prints the
report's title, range, filters, every table (heads repeated on each page a long table spans,
figures right-aligned, nothing cut) and a drawn chart per chart; an empty table or a chart
with nothing to draw says so in words; fonts are embedded and the page is inked; any text the
services accept lays out whole (hypothesis). Every report in ``REPORT_MODULES`` prints."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from io import BytesIO
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.domain import validation as v
from app.domain.enums import OrderSource, OrderStatus
from app.domain.report_tables import (
    Chart,
    ChartKind,
    Column,
    ColumnKind,
    ReportQuery,
    ReportResult,
    Table,
)
from app.printing.data import Paper, StationHeader
from app.printing.registry import documents
from app.printing.report_sheet import MAX_BARS, StatisticsSheet, fit
from app.services.report_papers import statistics_sheet, write_report_pdf
from tests.printing.helpers import STATION_NAME, ink_share, page_texts, unembedded_fonts
from tests.printing.test_any_length import check_pdf, text

SHANGHAI = timezone(timedelta(hours=8))
STATION = StationHeader(STATION_NAME, "北京市海淀区中关村大街1号", "010-62345678")
LABELS = (Column("label", "Status"), Column("orders", "Order count", ColumnKind.COUNT),
          Column("amount", "Amount", ColumnKind.FEN), Column("share", "Share", ColumnKind.SHARE))


def result_of(tables: tuple[Table, ...], charts: tuple[Chart, ...] = (),
              **query) -> ReportResult:
    return ReportResult("orders", "Order statistics",
                        ReportQuery(date(2026, 11, 1), date(2026, 11, 30), **query), tables,
                        charts, computed_at=datetime(2026, 12, 1, 4, 0, tzinfo=UTC),
                        notes=("Orders are counted by the day they were called in.",))


def sample_result() -> ReportResult:
    status = Table("by_status", "Orders by status", LABELS, (
        (OrderStatus.CLOSED, 12, 123456, 0.75),
        (OrderStatus.RECEIVED, 4, -250, 0.25),
    ), ("Total", 16, 123206, 1.0))
    models = Table("by_model", "Orders by type", (Column("model", "Model"),
                                                  Column("orders", "Order count",
                                                         ColumnKind.COUNT)),
                   (("KFR-35GW/BP3DN1Y", 9), ('=HYPERLINK("x")', 3)))
    days = Table("by_day", "Orders by source", (Column("day", "Day", ColumnKind.DATE),
                                                Column("orders", "Order count",
                                                       ColumnKind.COUNT),
                                                Column("share", "Share", ColumnKind.SHARE)),
                 tuple((date(2026, 11, d), d % 7, d / 30) for d in range(1, 31)))
    empty = Table("empty", "Orders by type", LABELS[:2])
    zeros = Table("zeros", "Orders by source", LABELS[:2], ((OrderSource.PHONE, 0),))
    return result_of((status, models, days, empty, zeros), (
        Chart("by_status", ChartKind.BAR, "label", ("orders", "amount"), "Orders by status"),
        Chart("by_model", ChartKind.PIE, "model", ("orders",), "Orders by type"),
        Chart("by_day", ChartKind.LINE, "day", ("orders", "share"), "Orders by source"),
        Chart("empty", ChartKind.PIE, "label", ("orders",), "Orders by type"),
        Chart("zeros", ChartKind.STACKED_BAR, "label", ("orders",), "Orders by source"),
    ), order_type="repair")


def sample_statistics(**changes) -> StatisticsSheet:
    """A complete statistics sheet (for ``tests.printing.helpers.sample_for``)."""
    sheet = statistics_sheet(sample_result(), tz=SHANGHAI, station=STATION,
                             printed_at=datetime(2026, 12, 1, 5, 0, tzinfo=UTC))
    return replace(sheet, **changes)


def render(sheet: StatisticsSheet) -> bytes:
    buffer = BytesIO()
    documents()["statistics"].render(sheet, Paper.A4, buffer)
    return buffer.getvalue()


def flat(pdf: bytes) -> str:
    return "".join("".join(page_texts(pdf)).split())


def test_the_paper_prints_the_report_with_charts_fonts_and_ink(tmp_path: Path) -> None:
    pdf = render(sample_statistics())
    assert unembedded_fonts(pdf) == []
    got = flat(pdf)
    for word in ("工单统计", "RPT-ORDERS-20261101-20261130", "统计期间", "2026-11-01至2026-11-30",
                 "筛选条件", "工单类型：报修", "统计时间", "2026-12-0112:00", "工单按状态", "已结单",
                 "1234.56", "-2.50", "75.0%", "合计", "12342.06"[:0] + "1232.06", "KFR-35GW/BP3DN1Y",
                 '=HYPERLINK("x")', "2026-11-30", "本期间没有数据。", "本期间没有可绘图的数据。",
                 "统计说明", "工单按受理日期统计。", "金额（元）", "占比(%)"):
        assert word in got, word
    # the pie's legend gives each slice its share
    assert "75.0%" in got and "25.0%" in got
    path = tmp_path / "paper.pdf"
    path.write_bytes(pdf)
    assert ink_share(path) > 0.005


def test_charts_are_drawn_not_written(tmp_path: Path) -> None:
    """Each chart puts ink (bars, slices, a line) where a page of text would have none: the
    page with the charts inks more than the same page with the charts dropped."""
    sheet = sample_statistics()
    bare = replace(sheet, tables=tuple(replace(t, charts=()) for t in sheet.tables))
    inks = []
    for n, s in enumerate((sheet, bare)):
        path = tmp_path / f"p{n}.pdf"
        path.write_bytes(render(s))
        inks.append(sum(ink_share(path, page) for page in range(1, len(page_texts(path)) + 1)))
    assert inks[0] > inks[1] + 0.02


def _right_edges(pdf: bytes, page_index: int, texts: set[str]) -> dict[str, float]:
    document = pdfium.PdfDocument(pdf)
    try:
        textpage = document[page_index].get_textpage()
        whole = textpage.get_text_range()
        found = {}
        for value in texts:
            at = whole.find(value)
            if at >= 0:
                found[value] = textpage.get_charbox(at + len(value) - 1)[2]
        return found
    finally:
        document.close()


def test_a_long_table_flows_over_pages_with_heads_and_figures_right_aligned() -> None:
    rows = tuple((f"型号{n:04d}-" + "很长的型号说明" * (n % 3), n, n * 101, n / 600)
                 for n in range(600))
    table = Table("by_model", "Orders by type", (Column("model", "Model"), *LABELS[1:]), rows,
                  ("Total", sum(r[1] for r in rows), sum(r[2] for r in rows), 1.0))
    result = result_of((table,), (Chart("by_model", ChartKind.BAR, "model", ("orders",)),))
    pdf = render(statistics_sheet(result, tz=SHANGHAI, station=STATION))
    pages = page_texts(pdf)
    assert len(pages) >= 12
    for page in pages[1:-1]:
        squashed = "".join(page.split())
        assert "产品型号" in squashed and "工单数" in squashed  # the heads repeated
    got = flat(pdf)
    assert all(f"型号{n:04d}-" in got for n in range(600))  # every row, none cut
    total = sum(r[2] for r in rows)
    assert f"{total // 100}.{total % 100:02d}" in got
    assert "图中只画出前15行（共600行）。" in got
    edges = _right_edges(pdf, 0, {"7.07", "12.12", "22.22"})
    assert len(edges) == 3 and max(edges.values()) - min(edges.values()) < 1.0


def test_fit_shortens_a_label_to_its_room() -> None:
    assert fit("短", 100, 8) == "短"
    long = fit("很长的型号说明" * 20, 60, 8)
    assert long.endswith("…") and len(long) < 30
    assert fit("a\nb  c", 100, 8) == "a b c"


# -- any text the services accept ------------------------------------------------------------


@st.composite
def results(draw) -> ReportResult:
    count = draw(st.integers(0, MAX_BARS + 2))
    names = [draw(text(v.MAX_SHORT)) for _ in range(count)]
    rows = tuple((name, draw(st.integers(0, 10**6)), draw(st.integers(-10**9, 10**11)),
                  draw(st.one_of(st.none(), st.floats(0, 1))))
                 for name in names)
    table = Table("t", "Orders by type", (Column("model", "Model"), *LABELS[1:]), rows,
                  ("Total", sum(r[1] for r in rows), sum(r[2] for r in rows), None))
    kind = draw(st.sampled_from(list(ChartKind)))
    return result_of((table,), (Chart("t", kind, "model", ("orders", "amount")
                                      if kind is not ChartKind.PIE else ("orders",)),))


def drawn_labels(sheet: StatisticsSheet) -> list[str]:
    """The chart labels as drawn (each fitted to its room: the tests count their rare
    characters too)."""
    from app.printing.report_sheet import drawn_texts

    return drawn_texts(sheet, Paper.A4)


def _values(sheet: StatisticsSheet) -> list[str]:
    return [cell for t in sheet.tables for r in t.rows for cell in r] + drawn_labels(sheet)


def _widest(limit: int) -> str:
    return ("䶮𠀀Ｗ" * limit)[:limit]


LONGEST = result_of((Table("t", "Orders by type", (Column("model", "Model"), *LABELS[1:]),
                           tuple((_widest(v.MAX_SHORT), 10**6, 10**11, 1.0) for _ in range(3))),),
                    (Chart("t", ChartKind.BAR, "model", ("orders", "amount")),
                     Chart("t", ChartKind.PIE, "model", ("orders",)),
                     Chart("t", ChartKind.LINE, "model", ("orders",))))
SLOW = settings(max_examples=8, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SLOW
@given(result=results(), station=st.builds(StationHeader, text(v.MAX_SHORT),
                                           text(v.MAX_ADDRESS), st.just("010-62345678")))
@example(result=LONGEST, station=StationHeader(_widest(v.MAX_SHORT), _widest(v.MAX_ADDRESS)))
def test_any_accepted_text_lays_out_whole(result: ReportResult, station: StationHeader) -> None:
    """The paper "statistics" lays out any model or name the services accept."""
    sheet = statistics_sheet(result, tz=SHANGHAI, station=station)
    check_pdf(render(sheet), Paper.A4, _values(sheet), [station.name, station.address])


# -- every real report ------------------------------------------------------------------------


@pytest.fixture()
def small_station(tmp_path: Path):
    from tests.services.test_report_export import small_services

    svc = small_services(tmp_path / "data")
    yield svc
    svc.close()


def test_every_report_prints(small_station, tmp_path: Path) -> None:
    from app.services.context import SYSTEM
    from app.services.station_reports import REPORT_MODULES, StationReportService

    reports = StationReportService(small_station.db, tz=SHANGHAI)
    for name in REPORT_MODULES:
        result = reports.run(SYSTEM, name, ReportQuery(date(2026, 11, 1), date(2026, 11, 30)))
        path = write_report_pdf(result, tmp_path / f"{name}.pdf", tz=SHANGHAI, station=STATION)
        pdf = path.read_bytes()
        assert unembedded_fonts(pdf) == []
        got = flat(pdf)
        for table in statistics_sheet(result, tz=SHANGHAI).tables:
            assert "".join(table.title.split()) in got, (name, table.title)
