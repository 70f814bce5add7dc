"""销售小票 — the receipt of a counter sale of parts (零件销售): the lines, the discount, what
was paid and how, the cashier and (when given) the customer; a voided sale says so in large
type with the reason. On an 80 mm receipt roll (one page as long as the sale) or A5.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from app.i18n import tr
from app.printing.data import Paper, ReceiptSheet
from app.printing.layout import SPECS, build_pdf, page_header, styles_for
from app.printing.registry import DocumentSpec
from app.printing.text import escape, local_time, rmb_upper, yuan
from app.printing.widgets import Field, field_grid, gap, list_table, para

TITLE = "Sales receipt"


def story(sheet: ReceiptSheet, paper: Paper) -> list[Flowable]:
    styles = styles_for(paper)
    width = SPECS[paper].frame_width
    roll = paper is Paper.ROLL80
    out: list[Flowable] = []
    if sheet.voided:
        out += [Paragraph(escape(tr("VOIDED")), ParagraphStyle(
            "voided", parent=styles.section, fontSize=styles.section.fontSize * 2,
            leading=styles.section.fontSize * 2.4, alignment=TA_CENTER)),
            para(tr("Void reason: {reason}", reason=sheet.void_reason), styles.cell), gap(1)]
    facts = [
        (Field("Sold at", local_time(sheet.sold_at, sheet.tz)), Field("Cashier", sheet.cashier)),
        (Field("Customer", sheet.customer_name), Field("Contact phone", sheet.customer_phone)),
    ]
    if roll:
        for (first, second) in facts:
            for f in (first, second):
                if f.value:
                    out.append(para(f"{tr(f.label)}：{f.value}", styles.cell))
        out.append(gap(1))
    else:
        out += [*field_grid(facts, styles, width), gap(1.5)]
    if roll:
        rows = [[f"{line.name}\n{line.part_no}", str(line.quantity), yuan(line.unit_price_fen),
                 yuan(line.amount_fen)] for line in sheet.lines]
        out.append(list_table(("Part", "Qty", "Price", "Amount"), rows,
                              (0.43, 0.13, 0.22, 0.22), styles, width, numbers=(1, 2, 3)))
    else:
        rows = [[str(n), line.part_no, line.name, str(line.quantity),
                 yuan(line.unit_price_fen), yuan(line.amount_fen)]
                for n, line in enumerate(sheet.lines, start=1)]
        out.append(list_table(("No.", "Part no.", "Part name", "Qty", "Unit price (¥)",
                               "Amount (¥)"), rows, (0.07, 0.2, 0.35, 0.1, 0.14, 0.14),
                              styles, width, numbers=(3, 4, 5)))
    totals = [
        (Field("Subtotal", "¥ " + yuan(sheet.subtotal_fen)),
         Field("Discount", "¥ " + yuan(sheet.discount_fen))),
        (Field("Total paid", "¥ " + yuan(sheet.total_fen)),
         Field("Payment method", sheet.payment_method)),
        Field("RMB in words", rmb_upper(sheet.total_fen), wide=True),
    ]
    if roll:
        out.append(gap(1))
        for row in totals:
            for f in (row,) if isinstance(row, Field) else row:
                out.append(para(f"{tr(f.label)}：{f.value}", styles.cell))
    else:
        out += [*field_grid(totals, styles, width)]
    out += [gap(1.5), Paragraph(escape(tr("Thank you. Keep this receipt for returns and "
                                          "warranty on the parts.")), styles.small)]
    return out


def render(sheet: ReceiptSheet, paper: Paper, out: str | Path | IO[bytes]) -> None:
    paper = Paper(paper)
    build_pdf(out, paper, page_header(sheet, TITLE), story(sheet, paper))


DOCUMENT = DocumentSpec(name="receipt", title=TITLE, subject="sale", render=render,
                        papers=(Paper.ROLL80, Paper.A5))
