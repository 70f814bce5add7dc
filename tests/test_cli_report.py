"""``repair-station report``: ``--list`` names every report one a line (machine name, then
its title); ``report NAME --from --to`` prints aligned tables in Chinese (English with
``--lang en``) and writes .xlsx / .csv / .pdf with the same figures; filters narrow it; a bad
date, name, filter or folder ends with a message and exit code 2, never a traceback."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from app.__main__ import main
from app.bootstrap import open_services
from app.domain.enums import Role
from app.services.station_reports import REPORT_MODULES
from app.services.users import NewStation, NewUser
from app.store.models import Customer, ServiceOrder, User


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "station"
    services = open_services(folder)
    try:
        services.users.set_up_station(NewStation("BJ001", "北京海淀维修站", "北京", "010-62345678"),
                                      NewUser("boss", "张站长", Role.MANAGER, "correct-horse"))
        boss = services.users.login("boss", "correct-horse")
        services.users.create_user(boss, NewUser("wang", "王师傅", Role.TECHNICIAN,
                                                 "correct-horse"))
        with services.db.write() as s:
            wang = s.query(User).filter_by(username="wang").one()
            c = Customer(name="+8613800138000")
            s.add(c)
            s.flush()
            # mid-day UTC: the same local day in any zone the test machine may have
            for n, (day, source, tech) in enumerate([(3, "phone", wang.id), (4, "walk_in", None),
                                                     (5, "phone", None)]):
                s.add(ServiceOrder(number=f"SO-BJ001-202611{day:02d}-{n:04d}",
                                   order_type="repair", source=source, service_mode="on_site",
                                   status="received", customer_id=c.id, technician_id=tech,
                                   called_at=datetime(2026, 11, day, 12, 0, tzinfo=UTC)))
    finally:
        services.close()
    return folder


def run(folder: Path, *args: str) -> int:
    return main(["--data-dir", str(folder), *args])


def test_list_names_each_report_one_a_line(folder: Path, capsys) -> None:
    assert run(folder, "report", "--list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in lines] == list(REPORT_MODULES)
    assert lines[0] == "orders\t工单统计"
    assert all(len(line.split("\t")) == 2 and line.split("\t")[1] for line in lines)


def test_a_report_prints_as_aligned_chinese_text(folder: Path, capsys) -> None:
    assert run(folder, "report", "orders", "--from", "2026-11-01", "--to", "2026-11-30") == 0
    out = capsys.readouterr().out
    assert "报表：工单统计" in out and "统计期间：2026-11-01 至 2026-11-30" in out
    lines = out.splitlines()
    at = lines.index("工单按来源")
    head, rule, *rows = lines[at + 1:at + 6]
    assert head.split() == ["来源", "工单数", "占比"] and set(rule) <= {"-", " "}
    phone = next(line for line in rows if line.startswith("来电"))
    assert phone.split() == ["来电", "2", "66.7%"]
    # figures right-aligned: each ends where its column's heading ends
    assert len(phone) == len(head) or phone.endswith("66.7%")
    total = lines[lines.index("工单按来源") + 1:]
    assert any(line.split()[:2] == ["合计", "3"] for line in total)


def test_english_and_filters(folder: Path, capsys) -> None:
    assert run(folder, "--lang", "en", "report", "orders", "--from", "2026-11-01", "--to",
               "2026-11-30", "--technician", "wang", "--type", "报修") == 0
    out = capsys.readouterr().out
    assert "Technician: 王师傅" in out and "Orders by source" in out
    phone = next(line for line in out.splitlines() if line.startswith("phone"))
    assert phone.split()[:2] == ["phone", "1"]


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "pdf"])
def test_each_file_format_is_written(folder: Path, tmp_path: Path, capsys, fmt: str) -> None:
    target = tmp_path / f"工单统计.{fmt}"
    assert run(folder, "report", "orders", "--from", "2026-11-01", "--to", "2026-11-30",
               "--source", "phone", f"--{fmt}", str(target)) == 0
    assert str(target) in capsys.readouterr().out
    data = target.read_bytes()
    if fmt == "xlsx":
        book = openpyxl.load_workbook(target)
        sheet = book[book.sheetnames[-1]]  # orders by source
        rows = {r[0].value: r[1].value for r in sheet.iter_rows(min_row=3) if r[0].value}
        assert rows["来电"] == 2 and type(rows["来电"]) is int and rows["合计"] == 2
    elif fmt == "csv":
        assert data.startswith(b"\xef\xbb\xbf") and "来源:来电".encode() in data
    else:
        assert data.startswith(b"%PDF")


@pytest.mark.parametrize("args, words", [
    (["report"], "--list"),
    (["report", "nonsense", "--from", "2026-11-01", "--to", "2026-11-30"], "没有报表 nonsense"),
    (["report", "orders", "--from", "2026-13-01", "--to", "2026-11-30"], "2026-13-01"),
    (["report", "orders", "--from", "2026-11-30", "--to", "2026-11-01"], "早于"),
    (["report", "orders", "--to", "2026-11-01"], "--from"),
    (["report", "orders", "--from", "2026-11-01", "--to", "2026-11-30", "--type", "x"],
     "repair"),
    (["report", "orders", "--from", "2026-11-01", "--to", "2026-11-30", "--source", "fax"],
     "walk_in"),
    (["report", "orders", "--from", "2026-11-01", "--to", "2026-11-30", "--technician", "zz"],
     "zz"),
    (["report", "orders", "--from", "2026-11-01", "--to", "2026-11-30", "--category", "火箭"],
     "火箭"),
    (["report", "orders", "--from", "2026-11-01", "--to", "2026-11-30", "--xlsx",
      "/nonexistent-folder/r.xlsx"], "不存在"),
])
def test_bad_input_ends_with_a_message_and_exit_2(folder: Path, capsys, args, words) -> None:
    assert run(folder, *args) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("错误：") and words in captured.err
    assert "Traceback" not in captured.err


def test_a_folder_without_a_station_is_refused(tmp_path: Path, capsys) -> None:
    assert run(tmp_path / "empty", "report", "--list") == 2
    assert not (tmp_path / "empty").exists()


def test_the_statistics_paper_carries_the_settings_logo(folder: Path, tmp_path: Path) -> None:
    from io import BytesIO

    from PIL import Image
    from pypdf import PdfReader

    from app.services.station_settings import SettingsChange

    buffer = BytesIO()
    Image.new("RGB", (300, 100), (200, 30, 30)).save(buffer, "PNG")
    services = open_services(folder)
    try:
        boss = services.users.login("boss", "correct-horse")
        services.station_settings.save(boss, SettingsChange(logo=buffer.getvalue()))
    finally:
        services.close()
    target = tmp_path / "orders.pdf"
    assert run(folder, "report", "orders", "--from", "2026-11-01", "--to", "2026-11-30",
               "--pdf", str(target)) == 0
    page = PdfReader(str(target)).pages[0]
    assert list(page.images), "the letterhead's logo is not on the paper"
