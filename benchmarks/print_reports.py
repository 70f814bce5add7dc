"""Repair reports: time per report through the printing module beside a bare reportlab
document of the same content (same font, same strings, same tables) in the same run, then a
batch of 1,000 reports through ``ReportService.render_batch``. Goal: within 1.5x of bare.
Measured twice: the order as it is, and with rare characters in the customer's name and the
fault (CJK Extensions A and B, ℃, pinyin), which the module draws from the fallback fonts and
bare reportlab (one font) leaves blank.

    python -m benchmarks.print_reports [--runs 30] [--batch 1000]

The first run fills ``benchmarks/data/print-station`` with the demo station (1,000 orders,
about two minutes, once; git ignores it).

Issue 14: the station store is encrypted (SQLCipher). The first ``open_services`` on a
plain station made before that encrypts it in place (timed by
``benchmarks.encrypted_store``), so this runs on the encrypted store; raw connections to
a station file go through ``benchmarks.station_db`` (the program's driver, keyed).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from dataclasses import replace
from io import BytesIO
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from app.bootstrap import build_services, open_services
from app.i18n import label
from app.paths import DataPaths
from app.printing.data import OrderSheet, Paper
from app.printing.fonts import register_fonts
from app.printing.qr import draw_qr, qr_cells
from app.printing.registry import document
from app.printing.text import local_time, rmb_upper, yuan
from app.services.demo_data import WalkingClock, default_start, generate
from app.services.order_queries import OrderFilter
from app.store import migrate
from app.store.database import Database

DATA_DIR = Path(__file__).resolve().parent / "data" / "print-station"


def demo_station(folder: Path, orders: int) -> None:
    if (folder / "station.sqlite3").exists():
        return
    paths = DataPaths(folder).ensure()
    db = Database.open(paths.database)
    try:
        migrate.upgrade(db.engine, paths.database, paths.backups)
        clock = WalkingClock(default_start())
        generate(build_services(paths, db, clock), clock, 300, orders, 7)
    finally:
        db.dispose()


def bare_report(sheet: OrderSheet, out: BytesIO, widget_qr: bool = True) -> None:
    """The same repair report written straight against reportlab, as one would by hand.

    ``widget_qr``: draw the QR widget through renderPDF (the documented way); otherwise with
    the printing module's one-path drawing, to compare the layout work alone."""
    font = register_fonts()
    body = ParagraphStyle("b", fontName=font, fontSize=9.5, leading=12.8, wordWrap="CJK")
    qr = QrCodeWidget(sheet.number)
    x0, y0, x1, y1 = qr.getBounds()
    drawing = Drawing(21 * mm, 21 * mm, transform=[21 * mm / (x1 - x0), 0, 0,
                                                  21 * mm / (y1 - y0), 0, 0])
    drawing.add(qr)

    def header(canvas, doc) -> None:
        canvas.setFont(font, 13)
        canvas.drawString(14 * mm, A4[1] - 20 * mm, sheet.station.name)
        canvas.setFont(font, 8.5)
        canvas.drawString(14 * mm, A4[1] - 25 * mm, "地址：" + sheet.station.address)
        canvas.drawString(14 * mm, A4[1] - 29 * mm, "服务电话：" + sheet.station.phone)
        if widget_qr:
            renderPDF.draw(drawing, canvas, A4[0] - 35 * mm, A4[1] - 35 * mm)
        else:
            draw_qr(canvas, sheet.number, A4[0] - 35 * mm, A4[1] - 35 * mm, 21 * mm)
        canvas.setFont(font, 19)
        canvas.drawCentredString(A4[0] / 2, A4[1] - 40 * mm, "售后服务维修单")
        canvas.setFont(font, 9.5)
        canvas.drawString(14 * mm, A4[1] - 46 * mm, "单号：" + sheet.number)
        canvas.drawRightString(A4[0] - 14 * mm, A4[1] - 46 * mm,
                               "打印时间：" + local_time(sheet.printed_at, sheet.tz))
        canvas.setFont(font, 8)
        canvas.drawRightString(A4[0] - 14 * mm, 14 * mm, f"第 {doc.page} 页")

    def p(text: str) -> Paragraph:
        return Paragraph(text.replace("&", "&amp;").replace("<", "&lt;"), body)

    style = TableStyle([("FONT", (0, 0), (-1, -1), font, 9.5),
                        ("GRID", (0, 0), (-1, -1), 0.6, "#333333")])
    diagnosis = "\n".join(r.diagnosis for r in sheet.repairs)
    actions = "\n".join(r.actions for r in sheet.repairs)
    w = A4[0] - 28 * mm
    grid = [
        [p("客户信息"), "", "", ""],
        [p("客户姓名"), p(sheet.customer_name), p("联系电话"), p(sheet.contact_phone)],
        [p("服务地址"), p(sheet.address), "", ""],
        [p("产品信息"), "", "", ""],
        [p("产品型号"), p(sheet.product_model), p("机身编号"), p(sheet.serial_no)],
        [p("购买日期"), p(str(sheet.purchase_date or "")), p("发票号码"), p(sheet.invoice_no)],
        [p("保修状态"), p(label(sheet.warranty)), p("服务类型"),
         p(f"{label(sheet.order_type)} / {label(sheet.service_mode)}")],
        [p("故障描述"), p(sheet.fault), "", ""],
        [p("故障诊断"), p(diagnosis), "", ""],
        [p("维修措施"), p(actions), "", ""],
        [p("维修工程师"), p(sheet.technician_name), p("工时"), p("")],
    ]
    charges = [[p(t) for t in ("序号", "类别", "项目 / 配件名称", "数量", "单价（元）",
                               "金额（元）")]]
    for n, c in enumerate(sheet.charges, start=1):
        charges.append([p(str(n)), p(label(c.kind)), p(c.description), p(str(c.quantity)),
                        p(yuan(c.unit_price_fen)), p(yuan(c.amount_fen))])
    charges.append([p("合计"), "", p("人民币（大写）：" + rmb_upper(sheet.total_fen)), "", "",
                    p(yuan(sheet.total_fen))])
    closing = [
        [p("报修时间"), p(local_time(sheet.called_at)), p("响应时间"),
         p(local_time(sheet.responded_at))],
        [p("到达时间"), p(local_time(sheet.arrived_at)), p("完工时间"),
         p(local_time(sheet.cleared_at))],
        [p("满意度"), p("□非常满意 □满意 □一般 □不满意"), "", ""],
        [p("客户意见"), "", "", ""],
        [p("客户签字"), "", p("工程师签字"), ""],
        [p("日期"), p("年 月 日"), p("日期"), p("年 月 日")],
    ]
    story = [
        Table(grid, colWidths=[0.15 * w, 0.35 * w] * 2, style=style),
        Table(charges, colWidths=[w * s for s in (0.07, 0.11, 0.44, 0.1, 0.14, 0.14)],
              style=style, repeatRows=1),
        Table(closing, colWidths=[0.15 * w, 0.35 * w] * 2, style=style),
        p("服务承诺：30分钟内响应，24小时内到达现场，24小时内排除故障。"),
    ]
    doc = SimpleDocTemplate(out, pagesize=A4, topMargin=50 * mm, initialFontName=font)
    doc.build(story, onFirstPage=header, onLaterPages=header)


def _median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def compare(title: str, sheet: OrderSheet, runs: int) -> None:
    """Prints the module's time per report beside bare reportlab's, interleaved."""
    spec = document("report")

    def ours() -> None:
        qr_cells.cache_clear()  # pay for encoding the QR code, as a new order does
        spec.render(sheet, Paper.A4, BytesIO())

    def bare() -> None:
        bare_report(sheet, BytesIO())

    def bare_path_qr() -> None:
        qr_cells.cache_clear()
        bare_report(sheet, BytesIO(), widget_qr=False)

    ours()
    bare()  # warm: font tables, glyph widths, imports
    bare_path_qr()
    ours_runs, bare_runs, path_runs = [], [], []
    for _ in range(3):  # interleaved, so load from other work hits all alike
        ours_runs.append(_median_ms(ours, runs // 3 or 1))
        bare_runs.append(_median_ms(bare, runs // 3 or 1))
        path_runs.append(_median_ms(bare_path_qr, runs // 3 or 1))
    ours_ms, bare_ms = statistics.median(ours_runs), statistics.median(bare_runs)
    path_ms = statistics.median(path_runs)
    print(f"  {title}")
    print(f"{'    printing module, from sheet':<34}{ours_ms:>8.1f}")
    print(f"{'    bare reportlab, same content':<34}{bare_ms:>8.1f}")
    print(f"{'    ratio':<34}{ours_ms / bare_ms:>8.2f}")
    print(f"{'    bare, QR drawn as one path':<34}{path_ms:>8.1f}")
    print(f"{'    ratio':<34}{ours_ms / path_ms:>8.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args()
    demo_station(DATA_DIR, max(args.batch, 1000))
    services = open_services(DATA_DIR)
    try:
        ids: list[str] = []
        after = None
        while len(ids) < args.batch:
            rows = services.orders.search(OrderFilter(), after, 500)
            if not rows:
                break
            ids += [r.id for r in rows]
            after = (rows[-1].called_at, rows[-1].id)
        ids = ids[: args.batch]
        sheets = [services.reports.sheet(i) for i in ids[:200]]
        sheet = max(sheets, key=lambda s: (len(s.charges), len(s.repairs)))
        print(f"order {sheet.number}: {len(sheet.charges)} charge lines, "
              f"{len(sheet.repairs)} repair records")
        print(f"{'repair report (A4)':<34}{'ms':>8}")
        rare = replace(sheet, customer_name="䶮㐀" + sheet.customer_name + "𠀀",
                       fault=sheet.fault + "，出风温度12℃，Ⅴ档，ǎ ǐ ǒ 𪚥㐀")
        for title, subject in (("as stored", sheet), ("with rare characters", rare)):
            compare(title, subject, args.runs)
        service_ms = _median_ms(lambda: services.reports.build("report", sheet.number),
                                args.runs)
        print(f"{'  ReportService.build (with DB)':<34}{service_ms:>8.1f}")

        out = Path(tempfile.mkdtemp(prefix="print-batch-"))
        try:
            started = time.perf_counter()
            result = services.reports.render_batch("report", ids, Paper.A4, out)
            elapsed = time.perf_counter() - started
            size = sum(p.stat().st_size for p in result.files)
        finally:
            shutil.rmtree(out, ignore_errors=True)
        print(f"batch: {len(result.files)} reports in {elapsed:.1f} s "
              f"({elapsed * 1000 / max(len(result.files), 1):.1f} ms each, "
              f"{size / max(len(result.files), 1) / 1024:.0f} KiB each), "
              f"{len(result.failures)} failures")
    finally:
        services.close()


if __name__ == "__main__":
    main()
