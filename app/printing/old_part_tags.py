"""旧件标签 — a tag for each defective old part going back to head office, on an A4 sheet of
14 labels (2 x 7, 99.1 x 38.1 mm, the common L7163 layout): the tag number as text and QR
code, the part, the order it came from, the product and the day it was collected. Text that
is long shrinks to fit its label; nothing is cut.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from app.i18n import tr
from app.printing.data import OldPartLabel, Paper, ShipmentSheet
from app.printing.fonts import register_fonts
from app.printing.layout import BUILD_LOCK, INK, RULE
from app.printing.qr import draw_qr
from app.printing.registry import DocumentSpec
from app.printing.text import escape, local_time

TITLE = "Old-part tags"
COLUMNS, ROWS = 2, 7
LABEL_W, LABEL_H = 99.1 * mm, 38.1 * mm
LEFT, TOP, GAP_X = 4.65 * mm, 15.15 * mm, 2.5 * mm
PAD = 3 * mm
QR_SIDE = 24 * mm
PER_PAGE = COLUMNS * ROWS


def label_lines(label: OldPartLabel, sheet: ShipmentSheet, scale: float) -> list[Paragraph]:
    """The label's text at ``scale`` of the normal type size."""
    font = register_fonts()

    def line(text: str, size: float) -> Paragraph:
        return Paragraph(escape(text), ParagraphStyle(
            "tag", fontName=font, fontSize=size * scale, leading=size * scale * 1.25,
            wordWrap="CJK", textColor=INK))

    product = " / ".join(v for v in (label.product_model, label.serial_no) if v)
    texts = [
        (f"{tr(TITLE)}  {sheet.station.name}", 6.5),
        (label.tag_no, 10),
        (tr("Part: {part}", part=f"{label.part_no} {label.part_name}"), 7.5),
        (tr("Order: {number}", number=label.order_no), 7.5),
    ]
    if product:
        texts.append((tr("Product: {product}", product=product), 7))
    texts.append((tr("Collected: {time}", time=local_time(label.collected_at, sheet.tz)), 7))
    texts.append((tr("Shipment: {number}", number=sheet.number), 6.5))
    return [line(text, size) for text, size in texts]


def _draw_label(canvas: Canvas, x: float, y: float, label: OldPartLabel,
                sheet: ShipmentSheet) -> None:
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.4)
    canvas.setDash(2, 2)
    canvas.rect(x, y, LABEL_W, LABEL_H, stroke=1, fill=0)
    canvas.setDash()
    draw_qr(canvas, label.tag_no, x + PAD, y + (LABEL_H - QR_SIDE) / 2, QR_SIDE)
    width = LABEL_W - QR_SIDE - 3 * PAD
    room = LABEL_H - 2 * PAD
    scale = 1.0
    while True:
        lines = label_lines(label, sheet, scale)
        heights = [line.wrap(width, room)[1] for line in lines]
        if sum(heights) <= room or scale < 0.05:
            break
        scale *= 0.92
    top = y + LABEL_H - PAD
    for line, height in zip(lines, heights, strict=True):
        top -= height
        line.drawOn(canvas, x + QR_SIDE + 2 * PAD, top)


def render(sheet: ShipmentSheet, paper: Paper, out: str | Path | IO[bytes]) -> None:
    with BUILD_LOCK:
        canvas = Canvas(out if not isinstance(out, Path) else str(out), pagesize=A4,
                        initialFontName=register_fonts())
        canvas.setTitle(f"{tr(TITLE)} {sheet.number}")
        canvas.setAuthor(sheet.station.name)
        canvas.setSubject(sheet.number)
        canvas.setCreator("Repair Station")
        labels = list(sheet.parts) or []
        pages = max(1, -(-len(labels) // PER_PAGE))
        for page in range(pages):
            chunk = labels[page * PER_PAGE:(page + 1) * PER_PAGE]
            for index, label in enumerate(chunk):
                row, column = divmod(index, COLUMNS)
                x = LEFT + column * (LABEL_W + GAP_X)
                y = A4[1] - TOP - (row + 1) * LABEL_H
                _draw_label(canvas, x, y, label, sheet)
            if not chunk:
                canvas.setFont(register_fonts(), 12)
                canvas.drawString(LEFT, A4[1] - TOP, tr("No old parts in {number}.",
                                                        number=sheet.number))
            canvas.showPage()
        canvas.save()


DOCUMENT = DocumentSpec(name="old-part-tags", title=TITLE, subject="shipment", render=render,
                        papers=(Paper.A4,))
