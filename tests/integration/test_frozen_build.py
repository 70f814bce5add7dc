"""The PyInstaller build of installers/repair-station.spec runs: its self-test passes on a
demo station and its command-line twin prints a repair report."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

from app.__main__ import main

ROOT = Path(__file__).resolve().parents[2]


def test_frozen_program_passes_its_self_test(tmp_path: Path) -> None:
    data = tmp_path / "station"
    assert main(["--data-dir", str(data), "demo", "--customers", "10", "--orders", "30"]) == 0
    build = subprocess.run(
        [sys.executable, "-m", "PyInstaller", str(ROOT / "installers" / "repair-station.spec"),
         "--noconfirm", "--log-level", "WARN", "--distpath", str(tmp_path / "dist"),
         "--workpath", str(tmp_path / "build")],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    _holds_every_data_file(tmp_path / "dist" / "repair-station" / "_internal",
                           tmp_path / "build")
    program = tmp_path / "dist" / "repair-station" / "repair-station-cli"
    test = subprocess.run([str(program), "--data-dir", str(data), "--self-test"],
                          capture_output=True, text=True, timeout=300)
    assert test.returncode == 0, test.stdout + test.stderr[-3000:]
    assert "ok" in test.stdout

    from app.bootstrap import open_services
    from app.services.order_queries import OrderFilter

    services = open_services(data)
    number = services.orders.search(OrderFilter(), limit=1)[0].number
    services.close()
    pdf = tmp_path / "report.pdf"
    printed = subprocess.run([str(program), "--data-dir", str(data), "print", "report", number,
                              "-o", str(pdf)], capture_output=True, text=True, timeout=300)
    assert printed.returncode == 0, printed.stderr[-3000:]
    assert "售后服务维修单" in PdfReader(pdf).pages[0].extract_text()


def _holds_every_data_file(internal: Path, work: Path) -> None:
    """What the program reads from disk is in the folder: fonts, every migration, every
    non-Python file of app/ (translation catalogues), Qt's Chinese translations, Qt Charts,
    rjieba and openpyxl."""
    for font in (ROOT / "resources" / "fonts").iterdir():
        assert (internal / "resources" / "fonts" / font.name).is_file(), font.name
    for script in (ROOT / "app" / "store" / "migrations" / "versions").glob("*.py"):
        assert (internal / "app" / "store" / "migrations" / "versions" / script.name).is_file()
    for path in (ROOT / "app").rglob("*"):
        if path.is_file() and path.suffix not in (".py", ".pyc") and \
                "__pycache__" not in path.parts:
            assert (internal / path.relative_to(ROOT)).is_file(), path
    qm = {p.name for p in internal.rglob("*.qm")}
    assert "qtbase_zh_CN.qm" in qm and "qtbase_zh_TW.qm" in qm  # 繁體中文 too
    names = [p.name for p in internal.rglob("*")]
    assert any("Qt6Charts" in n for n in names)
    assert any(n.startswith("rjieba") for n in names)
    # pure-Python packages live in the archive: its table of contents names them
    archived = "".join(p.read_text(encoding="utf-8") for p in work.rglob("PYZ-*.toc"))
    assert "'openpyxl'" in archived and "'openpyxl.workbook'" in archived
