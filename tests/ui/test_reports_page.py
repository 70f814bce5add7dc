"""The 统计报表 page: a report run off the GUI thread shows its tables (totals bold, numbers
right-aligned) and Qt Charts series with the same values; a range with nothing in it draws
无数据; a bad range shows the rule's message in the page; exports write the shown result."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCharts import QBarSeries, QPieSeries
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.domain.enums import OrderStatus, OrderType, Role
from app.domain.errors import RuleViolation
from app.domain.report_tables import ReportQuery
from app.i18n import render, tr
from app.services.context import Actor
from app.ui.areas import load_areas
from app.ui.extensions import REGISTRY
from app.ui.reports.charts import ReportChartView
from app.ui.reports.page import ReportsPage
from app.ui.reports.periods import preset_range
from app.ui.reports.table_model import RAW_ROLE, RIGHT
from tests.services.helpers import new_order
from tests.ui.conftest import settle


class FakePrompts:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.opened: list[Path] = []

    def save_path(self, parent, suggested: Path, fmt: str) -> Path | None:
        return self.path

    def open_file(self, path: Path) -> bool:
        self.opened.append(path)
        return True


@pytest.fixture
def orders(services, station: dict[str, Actor]) -> None:
    clerk = station["clerk"]
    new_order(services, clerk, phone="13800000001", serial="SN-1")
    new_order(services, clerk, phone="13800000002", serial="SN-2")
    new_order(services, clerk, phone="13800000003", serial="SN-3",
              order_type=OrderType.INSTALL)


def _page(qtbot, runner, ctx_for, actor: Actor, prompts: FakePrompts | None = None):
    page = ReportsPage(ctx_for(actor), prompts or FakePrompts())
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.shown, timeout=10_000):
        pass
    settle(qtbot, runner)
    return page


def _column(model, col: int) -> list:
    return [model.data(model.index(r, col), RAW_ROLE) for r in range(model.rowCount())]


def test_a_report_shows_its_tables_and_charts(qtbot, runner, ctx_for, station,
                                              orders) -> None:
    page = _page(qtbot, runner, ctx_for, station["manager"])
    assert page.report_choice.currentData() == "orders"
    assert page.report_choice.currentText() == tr("Order statistics")
    # the month the clock is in (1 June 2026)
    assert page.query() == ReportQuery(date(2026, 6, 1), date(2026, 6, 1))
    view = page.view
    assert view is not None
    model = view.tables["by_status"].model()
    statuses = list(OrderStatus)
    assert model.rowCount() == len(statuses) + 1  # the totals row last
    counts = _column(model, 1)
    assert counts[statuses.index(OrderStatus.RECEIVED)] == 3 and counts[-1] == 3
    last = model.rowCount() - 1
    assert model.data(model.index(last, 0)) == "合计"
    assert model.data(model.index(last, 0), Qt.ItemDataRole.FontRole).bold()
    assert model.data(model.index(0, 1), Qt.ItemDataRole.TextAlignmentRole) == RIGHT
    assert model.data(model.index(last, 2)) == "100.0%"
    assert model.headerData(1, Qt.Orientation.Horizontal) == tr("Order count")

    bars = view.charts["by_status"][0]
    assert isinstance(bars, ReportChartView)
    series = bars.chart().series()[0]
    assert isinstance(series, QBarSeries)
    values = [series.barSets()[0].at(i) for i in range(series.barSets()[0].count())]
    assert values[statuses.index(OrderStatus.RECEIVED)] == 3 and sum(values) == 3
    axis = bars.chart().axes(Qt.Orientation.Horizontal)[0]
    assert axis.categories()[0] == "已受理"

    pie = view.charts["by_type"][0].chart().series()[0]
    assert isinstance(pie, QPieSeries)
    slices = {s.label().split(" ")[0]: s.value() for s in pie.slices()}
    assert slices == {"报修": 2, "报装": 1}
    notes = view.findChild(QLabel, "notes")
    assert notes is not None and tr("Orders are counted by the day they were called in.") \
        in notes.text()


def test_a_filter_and_a_preset_run_the_report_again(qtbot, runner, ctx_for, station,
                                                    orders) -> None:
    page = _page(qtbot, runner, ctx_for, station["manager"])
    page.choose(page.type_filter, OrderType.INSTALL.value)
    with qtbot.waitSignal(page.shown, timeout=10_000) as shown:
        page.refresh()
    assert shown.args[0].query.order_type == "install"
    model = page.view.tables["by_type"].model()
    assert _column(model, 1)[-1] == 1
    with qtbot.waitSignal(page.shown, timeout=10_000) as shown:
        page.use_preset("last_month")
    assert (shown.args[0].query.start, shown.args[0].query.end) == (date(2026, 5, 1),
                                                                   date(2026, 5, 31))
    # nothing in May: every chart says 无数据 instead of drawing an empty frame
    for charts in page.view.charts.values():
        assert all(isinstance(c, QLabel) and c.text() == "无数据" for c in charts)


def test_a_bad_range_shows_the_rule_in_the_page(qtbot, runner, ctx_for, station) -> None:
    page = _page(qtbot, runner, ctx_for, station["manager"])
    page.set_range(date(2026, 6, 30), date(2026, 6, 1))
    with qtbot.waitSignal(page.failed, timeout=10_000) as failed:
        page.refresh()
    assert isinstance(failed.args[0], RuleViolation)
    expected = render(RuleViolation("The end date {end} is before the start date {start}.",
                                    end="2026-06-01", start="2026-06-30"))
    assert page.error.text_shown() == expected
    assert "2026-06-01" in expected and "The end" not in expected
    assert page.run_button.isEnabled() and page.busy.isHidden()


def test_export_writes_the_shown_result(qtbot, runner, ctx_for, station, orders,
                                        tmp_path: Path) -> None:
    target = tmp_path / "工单.csv"
    page = _page(qtbot, runner, ctx_for, station["manager"], FakePrompts(target))
    with qtbot.waitSignal(page.exported, timeout=20_000) as done:
        page.csv_button.click()
    assert done.args[0] == target
    text = target.read_text(encoding="utf-8-sig")
    assert "工单统计" in text and "已受理" in text
    assert page.saved_label.text() == f"已保存到 {target}"


def test_print_saves_the_pdf_and_opens_it(qtbot, runner, ctx_for, station, orders,
                                          tmp_path: Path) -> None:
    target = tmp_path / "工单统计.pdf"
    prompts = FakePrompts(target)
    page = _page(qtbot, runner, ctx_for, station["manager"], prompts)
    assert page.pdf_button.shortcut().toString() == "Ctrl+P"
    with qtbot.waitSignal(page.exported, timeout=30_000) as done:
        page.pdf_button.click()
    assert done.args[0] == target and prompts.opened == [target]
    assert target.read_bytes().startswith(b"%PDF")


def test_export_before_a_result_says_so(qtbot, runner, ctx_for, station) -> None:
    page = ReportsPage(ctx_for(station["manager"]), FakePrompts())
    qtbot.addWidget(page)
    page.export("csv")
    assert page.error.text_shown() == tr("Run a report before exporting it.")
    settle(qtbot, runner)


def test_only_the_manager_sees_the_page(station) -> None:
    load_areas()
    spec = next(p for p in REGISTRY.pages() if p.key == "reports")
    assert tr(spec.title_source_text) == "统计报表"
    assert spec.visible_for(station["manager"])
    for role in ("clerk", "tech"):
        assert not spec.visible_for(station[role])
    assert station["manager"].role is Role.MANAGER


def test_presets_cover_local_days_up_to_today() -> None:
    today = date(2026, 5, 15)
    assert preset_range("this_month", today) == (date(2026, 5, 1), today)
    assert preset_range("last_month", today) == (date(2026, 4, 1), date(2026, 4, 30))
    assert preset_range("this_quarter", today) == (date(2026, 4, 1), today)
    assert preset_range("this_year", today) == (date(2026, 1, 1), today)
    assert preset_range("last_30_days", today) == (date(2026, 4, 16), today)
    assert preset_range("last_month", date(2026, 1, 3)) == (date(2025, 12, 1),
                                                          date(2025, 12, 31))


def _generic_result():
    from app.domain.report_tables import (
        Chart,
        ChartKind,
        Column,
        ColumnKind,
        ReportResult,
        Table,
    )

    cols = (Column("day", "Day", ColumnKind.DATE), Column("paid", "Amount", ColumnKind.FEN),
            Column("share", "Share", ColumnKind.SHARE),
            Column("wait", "Average", ColumnKind.MINUTES))
    days = Table("days", "By day", cols, (
        (date(2026, 6, 1), 12_345, 0.5, 75.0),
        (date(2026, 6, 2), None, None, None),
        (date(2026, 6, 3), 100, 1.0, 30.0)), ("Total", 12_445, 0.75, 60.0))
    many = Table("many", "Many", (Column("name", "Name"), Column("n", "Count", ColumnKind.COUNT)),
                 tuple((f"P{i:02d}", 20 - i) for i in range(20)))
    return ReportResult("generic", "Order statistics", ReportQuery(date(2026, 6, 1),
                                                                     date(2026, 6, 3)),
                        (days, many),
                        (Chart("days", ChartKind.STACKED_BAR, "day", ("paid",), "By day"),
                         Chart("days", ChartKind.LINE, "day", ("share", "wait"), "By day"),
                         Chart("many", ChartKind.BAR, "name", ("n",), "Many"),
                         Chart("many", ChartKind.PIE, "name", ("n",), "Many")))


def test_any_result_shows_generically(qtbot) -> None:
    from PySide6.QtCharts import QLineSeries, QStackedBarSeries

    from app.ui.reports.charts import MAX_BARS, MAX_SLICES
    from app.ui.reports.result_view import ResultView

    view = ResultView(_generic_result(), None)
    qtbot.addWidget(view)
    model = view.tables["days"].model()
    assert [model.data(model.index(r, 1)) for r in range(4)] == ["123.45", "", "1.00", "124.45"]
    assert model.data(model.index(0, 3)) == "1:15" and model.data(model.index(0, 0)) == \
        "2026-06-01"
    stacked, line = view.charts["days"]
    series = stacked.chart().series()[0]
    assert isinstance(series, QStackedBarSeries)
    assert [series.barSets()[0].at(i) for i in range(3)] == [123.45, 0.0, 1.0]  # yuan
    lines = line.chart().series()
    assert all(isinstance(s, QLineSeries) for s in lines)
    # shares in percent; the empty day draws no point rather than a 0
    assert [(p.x(), p.y()) for p in lines[0].points()] == [(0.0, 50.0), (2.0, 100.0)]
    bars, pie = view.charts["many"]
    assert bars.chart().series()[0].barSets()[0].count() == MAX_BARS
    assert tr("Many") in bars.chart().title() and str(MAX_BARS) in bars.chart().title()
    slices = pie.chart().series()[0].slices()
    assert len(slices) == MAX_SLICES
    assert slices[-1].label().startswith("其他") and slices[-1].value() == sum(
        20 - i for i in range(MAX_SLICES - 1, 20))
