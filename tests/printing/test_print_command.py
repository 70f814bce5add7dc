"""``repair-station print ...`` writes the PDF with the umask, and fails clearly (exit 2) on
an unknown order or a target that is not a regular file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

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


@pytest.mark.skipif(os.name != "posix", reason="POSIX file types")
def test_a_target_that_is_not_a_regular_file_is_refused(services, station, clock,
                                                        tmp_path: Path, capsys) -> None:
    order = repaired_order(services, station, clock)
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"keep me")
    link, dangling, fifo, folder = (tmp_path / n for n in ("link.pdf", "gone.pdf", "fifo.pdf",
                                                           "folder.pdf"))
    link.symlink_to(victim)
    dangling.symlink_to(tmp_path / "nowhere" / "x.pdf")
    os.mkfifo(fifo)
    folder.mkdir()
    before = sorted(p.name for p in tmp_path.iterdir())
    for target, words in ((link, "符号链接"), (dangling, "符号链接"), (fifo, "命名管道"),
                          (Path("/dev/null"), "设备"), (folder, "文件夹")):
        code = main(["--data-dir", str(services.paths.root), "print", "report", order.number,
                     "-o", str(target)])
        err = capsys.readouterr().err
        assert code == 2, target
        assert err.startswith("错误：") and str(target) in err and words in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert link.is_symlink() and victim.read_bytes() == b"keep me"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and list(folder.iterdir()) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_the_pdf_is_written_with_the_umask(services, station, clock, tmp_path: Path) -> None:
    order = repaired_order(services, station, clock)
    out = tmp_path / "report.pdf"
    saved = os.umask(0o027)
    try:
        assert main(["--data-dir", str(services.paths.root), "print", "report", order.number,
                     "-o", str(out)]) == 0
    finally:
        os.umask(saved)
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".print-")] == []
