"""The parts catalogue at the station: the offline CSV import (UTF-8 with or without BOM,
GBK from Excel, strictly decoded; all rows or none, each bad row named by line and column),
searching by number, name and model, and the manager's shelf settings with their outbox row."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.errors import RuleViolation
from app.domain.parts import part_id
from app.i18n import render, set_language
from app.services.errors import PermissionDenied
from app.store.models import AuditEntry, OutboxOp, Part, PartSetting
from sync import parts_csv

HEADER = ("part_no,name,specification,models,unit,retail_price,station_price,"
          "return_required,warranty_months\n")
ROWS = (
    "GR-CAP-35,启动电容,35μF 450V,\"KFR-35GW,KFR-26GW\",个,45.00,30,否,\n"
    "GR-COMP-01,压缩机,旋转式 1.5匹,KFR-35GW,台,1280.5,960.00,是,36\n"
    "MD-PUMP-08,排水泵,30W,XQG80,个,88,66.6,yes,\n"
)


def write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "parts.csv",
          bom: bool = False) -> Path:
    path = tmp_path / name
    data = text.encode(encoding)
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + data)
    return path


def parts(services) -> list[Part]:
    with services.db.read() as s:
        return list(s.scalars(select(Part).order_by(Part.part_no)))


def test_import_reads_every_field_and_writes_no_outbox(services, station, tmp_path) -> None:
    result = services.catalogue.import_csv(station["manager"],
                                           write(tmp_path, HEADER + ROWS, bom=True))
    assert (result.rows, result.added, result.updated, result.skipped_from_hq) == (3, 3, 0, 0)
    cap, comp, pump = parts(services)
    assert cap.id == part_id("gr-cap-35")
    assert (cap.name, cap.specification, cap.models, cap.unit) == (
        "启动电容", "35μF 450V", "KFR-35GW,KFR-26GW", "个")
    assert (cap.retail_price_fen, cap.station_price_fen, cap.return_required,
            cap.warranty_months, cap.hq_revision) == (4500, 3000, False, None, 0)
    assert (comp.retail_price_fen, comp.station_price_fen, comp.return_required,
            comp.warranty_months) == (128050, 96000, True, 36)
    assert pump.station_price_fen == 6660 and pump.return_required
    with services.db.read() as s:
        assert s.scalar(select(func.count()).select_from(OutboxOp)
                        .where(OutboxOp.entity == "part")) == 0
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "parts.import")).one()
    assert "3 added" in audit.detail and audit.username == "boss"


def test_gbk_from_excel_with_chinese_headings_is_read(services, station, tmp_path) -> None:
    text = ("配件编号,配件名称,规格,适用机型,单位,零售价,站价,旧件返还,保修月数\r\n"
            "GR-CAP-35,启动电容,35μF,KFR-35GW、KFR-26GW,个,45,30,否,\r\n")
    path = write(tmp_path, text, encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # the file really is GBK, not UTF-8
    services.catalogue.import_csv(station["manager"], path)
    (cap,) = parts(services)
    assert (cap.name, cap.models, cap.unit) == ("启动电容", "KFR-35GW,KFR-26GW", "个")


def test_utf8_without_bom_and_full_width_part_numbers(services, station, tmp_path) -> None:
    text = HEADER + "ｇｒ－ｃａｐ－３５,启动电容,,,个,４５,30,0,12\n"
    services.catalogue.import_csv(station["manager"], write(tmp_path, text))
    (cap,) = parts(services)
    assert cap.part_no == "GR-CAP-35" and cap.retail_price_fen == 4500
    assert cap.warranty_months == 12


def test_a_bad_row_is_named_by_line_and_column_and_nothing_is_stored(services, station,
                                                                     tmp_path) -> None:
    text = HEADER + ROWS + "GR-X-1,,,,个,10,abc,maybe,200\n"
    with pytest.raises(parts_csv.CatalogueFileError) as caught:
        services.catalogue.import_csv(station["manager"], write(tmp_path, text))
    err = caught.value
    assert err.total == 4 and len(err.problems) == 4
    assert [(p.params["line"], p.params["column"]) for p in err.problems] == [
        (5, "name"), (5, "station_price"), (5, "return_required"), (5, "warranty_months")]
    shown = render(err)
    assert "配件文件有 4 处错误，未导入任何配件" in shown
    assert "第 5 行「name」列：请填写配件名称。" in shown
    assert "第 5 行「warranty_months」列：保修月数必须是 0 到 120 之间的整数。" in shown
    set_language("en")
    assert "Line 5, column station_price: 'abc' is not an amount in yuan" in render(err)
    assert parts(services) == []


def test_problems_are_listed_up_to_twenty_and_counted(services, station, tmp_path) -> None:
    text = HEADER + "".join(f"P-{i},,,,个,1,1,,\n" for i in range(30))
    with pytest.raises(parts_csv.CatalogueFileError) as caught:
        services.catalogue.import_csv(station["manager"], write(tmp_path, text))
    assert caught.value.total == 30 and len(caught.value.problems) == 20
    assert caught.value.lines()[-1] == "... and 10 more"
    assert parts(services) == []


@pytest.mark.parametrize("price", ["1000000.01", "99999999999", "-5", "12.345", "1e3"])
def test_a_price_out_of_range_or_not_money_is_refused(services, station, tmp_path,
                                                      price) -> None:
    text = HEADER + f"GR-CAP-35,启动电容,,,个,{price},30,否,\n"
    with pytest.raises(parts_csv.CatalogueFileError) as caught:
        services.catalogue.import_csv(station["manager"], write(tmp_path, text))
    (problem,) = caught.value.problems
    assert problem.params["column"] == "retail_price"
    assert parts(services) == []


def test_the_largest_price_fits_an_order_line() -> None:
    from app.services.orders import MAX_UNIT_PRICE_FEN

    assert parts_csv.MAX_PRICE_FEN == MAX_UNIT_PRICE_FEN
    (row,) = parts_csv.parse((HEADER + "A-1,件,,,个,1000000,1000000.00,,\n").encode())
    assert row.retail_price_fen == row.station_price_fen == MAX_UNIT_PRICE_FEN


def test_a_part_number_twice_in_one_file_is_refused(services, station, tmp_path) -> None:
    text = HEADER + ROWS + "gr-cap-35,另一个电容,,,个,1,1,否,\n"
    with pytest.raises(parts_csv.CatalogueFileError) as caught:
        services.catalogue.import_csv(station["manager"], write(tmp_path, text))
    (problem,) = caught.value.problems
    assert (problem.params["line"], problem.params["column"]) == (5, "part_no")
    assert "配件编号 GR-CAP-35 已在第 2 行出现。" in render(caught.value)
    assert parts(services) == []


@pytest.mark.parametrize("data, words", [
    ("part_no,name\nA-1,电容\n".encode("utf-16"), "UTF-16"),
    (b"part_no,name,retail_price,station_price\nA-1,\xff\xfe\x80,1,1\n", "GBK/GB18030"),
    (codecs.BOM_UTF8 + b"part_no,name\n" + b"A-1,\xb5\xe7\n", "UTF-8"),
    (b"PK\x03\x04rest-of-a-workbook", "Excel"),
])
def test_a_file_in_no_known_encoding_is_refused_clearly(services, station, tmp_path, data,
                                                        words) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    set_language("en")
    with pytest.raises(RuleViolation) as caught:
        services.catalogue.import_csv(station["manager"], path)
    assert words in render(caught.value)
    set_language("zh_CN")
    assert "CSV UTF-8" in render(caught.value)
    assert parts(services) == []


@pytest.mark.parametrize("header, column", [
    ("part_no,name,price\n", "price"),
    ("part_no,name,retail_price\n", "station_price"),
    ("part_no,name,name,retail_price,station_price\n", "name"),
])
def test_a_bad_header_is_named(services, station, tmp_path, header, column) -> None:
    with pytest.raises(parts_csv.CatalogueFileError) as caught:
        services.catalogue.import_csv(station["manager"],
                                      write(tmp_path, header + "A-1,电容,1,1\n"))
    assert any(p.params["line"] == 1 and p.params["column"] == column
               for p in caught.value.problems)


def test_text_no_font_draws_is_refused_at_the_station(services, station, tmp_path) -> None:
    text = HEADER + "A-1,电容\U00030000,,,个,1,1,,\n"  # CJK Extension G: in no embedded font
    with pytest.raises(parts_csv.CatalogueFileError) as caught:
        services.catalogue.import_csv(station["manager"], write(tmp_path, text))
    assert caught.value.problems[0].params["column"] == "name"


def test_a_change_announces_parts_and_stock_after_commit(services, station, tmp_path) -> None:
    seen: list[frozenset[str]] = []
    services.bus.subscribe(seen.append)
    services.catalogue.import_csv(station["manager"], write(tmp_path, HEADER + ROWS))
    services.catalogue.set_setting(station["manager"], part_id("GR-CAP-35"), location="A1",
                                   low_stock_threshold=1)
    assert seen == [{"parts", "stock"}, {"parts", "stock", "outbox"}]


def test_only_a_manager_imports(services, station, tmp_path) -> None:
    path = write(tmp_path, HEADER + ROWS)
    for who in ("clerk", "tech"):
        with pytest.raises(PermissionDenied):
            services.catalogue.import_csv(station[who], path)
        with pytest.raises(PermissionDenied):
            services.catalogue.import_bytes(station[who], path.read_bytes())
    assert parts(services) == []


def test_reimport_updates_by_number_and_keeps_head_office_parts(services, station,
                                                                tmp_path) -> None:
    boss = station["manager"]
    services.catalogue.import_csv(boss, write(tmp_path, HEADER + ROWS))
    with services.db.write() as s:  # as if head office had sent the compressor since
        s.get(Part, part_id("GR-COMP-01")).hq_revision = 7
    again = (HEADER + "GR-CAP-35,启动电容,35μF 450V,\"KFR-35GW,KFR-26GW\",个,48,30,否,\n"
             "GR-COMP-01,压缩机（旧）,,,台,1,1,否,\n"
             "MD-PUMP-08,排水泵,30W,XQG80,个,88,66.6,yes,\n"
             "NEW-1,新配件,,,个,1,1,,\n")
    result = services.catalogue.import_csv(boss, write(tmp_path, again, name="again.csv"))
    assert (result.added, result.updated, result.unchanged, result.skipped_from_hq) == (
        1, 1, 1, 1)
    by_no = {p.part_no: p for p in parts(services)}
    assert by_no["GR-CAP-35"].retail_price_fen == 4800
    assert by_no["GR-COMP-01"].name == "压缩机" and by_no["GR-COMP-01"].station_price_fen == 96000


def test_search_by_number_prefix_name_and_model(services, station, tmp_path) -> None:
    services.catalogue.import_csv(station["manager"], write(tmp_path, HEADER + ROWS))
    assert [p.part_no for p in services.catalogue.search("gr-c")] == ["GR-CAP-35",
                                                                        "GR-COMP-01"]
    assert [p.part_no for p in services.catalogue.search("电容")] == ["GR-CAP-35"]
    assert [p.part_no for p in services.catalogue.search("kfr-26")] == ["GR-CAP-35"]
    assert [p.part_no for p in services.catalogue.search("xqg")] == ["MD-PUMP-08"]
    assert services.catalogue.search("100%") == []
    page = services.catalogue.search("", limit=2)
    assert [p.part_no for p in page] == ["GR-CAP-35", "GR-COMP-01"]
    rest = services.catalogue.search("", after=page[-1].part_no)
    assert [p.part_no for p in rest] == ["MD-PUMP-08"]
    assert services.catalogue.by_number(" gr-cap-35 ").name == "启动电容"


def test_shelf_settings_are_the_managers_and_travel_to_head_office(services, station,
                                                                   tmp_path) -> None:
    services.catalogue.import_csv(station["manager"], write(tmp_path, HEADER + ROWS))
    cap = part_id("GR-CAP-35")
    with pytest.raises(PermissionDenied):
        services.catalogue.set_setting(station["clerk"], cap, location="A-01",
                                       low_stock_threshold=5)
    info = services.catalogue.set_setting(station["manager"], cap, location="A-01-03",
                                          low_stock_threshold=5)
    assert (info.location, info.low_stock_threshold, info.setting_revision) == ("A-01-03", 5, 1)
    info = services.catalogue.set_setting(station["manager"], cap, location="B-02",
                                          low_stock_threshold=0, expected_revision=1)
    assert info.setting_revision == 2
    with pytest.raises(RuleViolation):
        services.catalogue.set_setting(station["manager"], cap, location="x",
                                       low_stock_threshold=1, expected_revision=1)
    with pytest.raises(RuleViolation) as caught:
        services.catalogue.set_setting(station["manager"], cap, location="x",
                                       low_stock_threshold=-1)
    assert caught.value.field == "low_stock_threshold"
    with pytest.raises(RuleViolation) as caught:
        services.catalogue.set_setting(station["manager"], cap, location="货位\ud800",
                                       low_stock_threshold=1)
    assert caught.value.field == "location"
    with services.db.read() as s:
        ops = s.scalars(select(OutboxOp).where(OutboxOp.entity == "part_setting")
                        .order_by(OutboxOp.seq)).all()
        setting = s.scalars(select(PartSetting)).one()
    assert len(ops) == 2 and ops[1].base_revision == 1
    assert json.loads(ops[1].payload)["location"] == "B-02"
    assert ops[0].entity_id == setting.id
