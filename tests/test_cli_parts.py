"""``repair-station parts import`` and ``parts stock [--low]``: a GBK file from Excel is read,
a bad row is named by line and column with exit 2 and nothing stored, a folder without a
station is refused, and the stock list prints one part a line."""

from __future__ import annotations

from pathlib import Path

from app.__main__ import main
from app.bootstrap import open_services
from app.domain.enums import Role
from app.domain.parts import MovementKind, part_id
from app.services import stock_ledger as ledger
from app.services.context import SYSTEM
from app.services.users import NewStation, NewUser
from app.store.models import Part

HEADER = ("part_no,name,specification,models,unit,retail_price,station_price,"
          "return_required,warranty_months\n")
ROWS = ("GR-CAP-35,启动电容,35μF,KFR-35GW,个,45,30.50,否,\n"
        "GR-COMP-01,压缩机,,KFR-35GW,台,1280,960,是,36\n")


def station_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "station"
    services = open_services(folder)
    try:
        services.users.set_up_station(NewStation("BJ001", "北京海淀维修站", "北京", "010-62345678"),
                                      NewUser("boss", "张站长", Role.MANAGER, "correct-horse"))
    finally:
        services.close()
    return folder


def stored(folder: Path) -> list[str]:
    services = open_services(folder)
    try:
        return [p.part_no for p in services.catalogue.search("")]
    finally:
        services.close()


def test_import_a_gbk_file_then_print_the_stock(tmp_path, capsys) -> None:
    folder = station_folder(tmp_path)
    csv = tmp_path / "目录.csv"
    csv.write_bytes((HEADER + ROWS).replace("\n", "\r\n").encode("gbk"))
    assert main(["--data-dir", str(folder), "parts", "import", str(csv)]) == 0
    out = capsys.readouterr().out
    assert "导入 2 种配件" in out and "新增 2" in out
    assert stored(folder) == ["GR-CAP-35", "GR-COMP-01"]
    services = open_services(folder)
    try:
        with services.db.write() as s:
            ledger.post(s, SYSTEM, part=s.get(Part, part_id("GR-CAP-35")),
                        kind=MovementKind.RECEIVED, quantity=4, now=services.sync.clock())
        boss = services.users.login("boss", "correct-horse")
        services.catalogue.set_setting(boss, part_id("GR-CAP-35"), location="A1",
                                       low_stock_threshold=5)
    finally:
        services.close()
    assert main(["--data-dir", str(folder), "parts", "stock"]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0].split("\t") == ["配件编号", "配件名称", "库存", "预留", "金额（元）"]
    assert lines[1:] == ["GR-CAP-35\t启动电容\t4\t0\t122.00"]
    assert "共 1 种配件，按站价合计 122.00 元。" in captured.err
    assert main(["--data-dir", str(folder), "parts", "stock", "--low"]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == ["GR-CAP-35\t启动电容\t4\t0\t122.00"]
    assert main(["--data-dir", str(folder), "parts", "stock", "--search", "压缩"]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == []


def test_a_bad_row_exits_2_naming_line_and_column_and_stores_nothing(tmp_path,
                                                                     capsys) -> None:
    folder = station_folder(tmp_path)
    csv = tmp_path / "parts.csv"
    csv.write_text(HEADER + ROWS + "GR-X-1,坏,,,个,12.345,1,否,\n", encoding="utf-8-sig")
    assert main(["--data-dir", str(folder), "parts", "import", str(csv)]) == 2
    err = capsys.readouterr().err
    assert "配件文件有 1 处错误，未导入任何配件" in err
    assert "第 4 行「retail_price」列" in err
    assert stored(folder) == []


def test_bad_encoding_missing_file_and_missing_station_exit_2(tmp_path, capsys) -> None:
    folder = station_folder(tmp_path)
    csv = tmp_path / "parts.csv"
    csv.write_bytes(b"part_no,name,retail_price,station_price\nA-1,\xff\xff,1,1\n")
    assert main(["--data-dir", str(folder), "parts", "import", str(csv)]) == 2
    assert "GBK/GB18030" in capsys.readouterr().err
    assert main(["--data-dir", str(folder), "parts", "import", str(tmp_path / "none.csv")]) == 2
    assert "无法读取" in capsys.readouterr().err
    empty = tmp_path / "typo"
    assert main(["--data-dir", str(empty), "parts", "stock"]) == 2
    assert "没有维修站数据" in capsys.readouterr().err
    assert not empty.exists()
    assert stored(folder) == []


def test_a_line_never_splits_and_never_starts_a_formula() -> None:
    from app.cli.parts_cmd import _cell

    assert _cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert _cell("@SUM(A1)") == "'@SUM(A1)"
    assert _cell("电容\t35μF\n450V") == "电容 35μF 450V"
    assert _cell("GR-CAP-35") == "GR-CAP-35"
