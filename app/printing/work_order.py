"""派工单 — the work order a technician takes on site: the letterhead, customer, address and
phone, product, the reported fault, and ruled space to fill in by hand (findings, actions,
parts used, times, charges, the customer's signature).
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table, TableStyle

from app.i18n import tr
from app.printing.data import OrderSheet, Paper
from app.printing.layout import SHADE, SPECS, build_pdf, page_header, styles_for
from app.printing.order_blocks import (
    HAND_DATE,
    HAND_TIME,
    customer_rows,
    hand_line,
    product_rows,
    satisfaction_boxes,
)
from app.printing.registry import DocumentSpec
from app.printing.text import escape, local_time
from app.printing.widgets import Field, RuledLines, Section, field_grid, grid_commands

TITLE = "Work order"
BLANK_PART_ROWS = 4


def parts_table(paper: Paper, width: float, row_height: float) -> Table:
    """A blank table for the parts used, written by hand on site."""
    styles = styles_for(paper)
    shares = (0.5, 0.14, 0.18, 0.18)
    head = [Paragraph(escape(tr(t)), styles.head)
            for t in ("Part used", "Qty", "Unit price (¥)", "Amount (¥)")]
    data = [head] + [["", "", "", ""] for _ in range(BLANK_PART_ROWS)]
    table = Table(data, colWidths=[width * s for s in shares],
                  rowHeights=[None] + [row_height] * BLANK_PART_ROWS, hAlign="LEFT")
    table.setStyle(TableStyle([*grid_commands(styles), ("BACKGROUND", (0, 0), (-1, 0), SHADE)]))
    return table


def story(sheet: OrderSheet, paper: Paper) -> list[Flowable]:
    spec = SPECS[paper]
    styles = styles_for(paper)
    width = spec.frame_width
    line_gap = 7.5 * mm if paper is Paper.A4 else 6 * mm
    lines = 3 if paper is Paper.A4 else 2
    dispatch = [
        *customer_rows(sheet),
        *product_rows(sheet, paper),
        Section("Dispatch"),
        (Field("Called", local_time(sheet.called_at, sheet.tz)),
         Field("Technician", sheet.technician_name)),
        (Field("Head-office ref.", sheet.hq_reference),
         Field("Responded", local_time(sheet.responded_at, sheet.tz))),
        Field("Reported fault", sheet.fault, wide=True),
        Section("On-site record (fill in by hand)"),
        Field("Arrived", hand_line(HAND_TIME), wide=True),
        Field("Findings", RuledLines(lines, line_gap), wide=True),
        Field("Actions taken", RuledLines(lines, line_gap), wide=True),
    ]
    closing = [
        Field("Cleared", hand_line(HAND_TIME), wide=True),
        (Field("Charges (¥)", ""), Field("Paid by", "")),
        Section("Customer feedback"),
        Field("Satisfaction", satisfaction_boxes(None, paper), wide=True),
        (Field("Customer signature", "", min_height=line_gap * 1.6),
         Field("Technician signature", "", min_height=line_gap * 1.6)),
        (Field("Date", hand_line(HAND_DATE)), Field("Date", hand_line(HAND_DATE))),
    ]
    return [
        *field_grid(dispatch, styles, width),
        KeepTogether([parts_table(paper, width, line_gap), *field_grid(closing, styles, width)]),
    ]


def render(sheet: OrderSheet, paper: Paper, out: str | Path | IO[bytes]) -> None:
    paper = Paper(paper)
    build_pdf(out, paper, page_header(sheet, TITLE), story(sheet, paper))


DOCUMENT = DocumentSpec(name="work-order", title=TITLE, subject="order", render=render)
