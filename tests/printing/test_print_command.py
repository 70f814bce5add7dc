"""``repair-station print ...`` writes the PDF, and fails clearly on an unknown order."""

from __future__ import annotations

from pathlib import Path

from app.__main__ import main
from tests.printing.helpers import page_texts, repaired_order


def test_print_report_and_work_order(services, station, clock, tmp_path: Path, capsys) -> None:
    order = repaired_order(services, station, clock)
    data_dir = services.paths.root
    report = tmp_path / "report.pdf"
    assert main(["--data-dir", str(data_dir), "print", "report", order.number, "-o",
                 str(report), "--paper", "a5"]) == 0
    assert "售后服务维修单" in page_texts(report)[0]
    assert str(report) in capsys.readouterr().out
    work = tmp_path / "work.pdf"
    assert main(["--data-dir", str(data_dir), "print", "work-order", order.number,
                 "-o", str(work)]) == 0
    assert "派工单" in page_texts(work)[0]


def test_unknown_order_number_fails_clearly(services, station, tmp_path: Path, capsys) -> None:
    out = tmp_path / "x.pdf"
    code = main(["--data-dir", str(services.paths.root), "print", "report",
                 "SO-BJ001-20200101-0042", "-o", str(out)])
    assert code != 0
    assert "SO-BJ001-20200101-0042" in capsys.readouterr().err
    assert not out.exists()


def test_a_folder_without_a_station_is_refused_and_left_alone(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "typo"
    code = main(["--data-dir", str(folder), "print", "report", "SO-BJ001-20260601-0001",
                 "-o", str(tmp_path / "x.pdf")])
    assert code == 2
    assert str(folder) in capsys.readouterr().err
    assert not folder.exists()
