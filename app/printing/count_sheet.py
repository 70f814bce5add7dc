"""盘点表 — the stock count sheet: every part of the count by shelf location with what the books
say, room to write the counted quantity (or the quantity entered), the difference and its
value, and the signatures of who counted and who checked. A4.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from app.i18n import tr
from app.printing.data import CountSheet, Paper
from app.printing.layout import SPECS, build_pdf, page_header, styles_for
from app.printing.order_blocks import SHORT_DATE, hand_line
from app.printing.registry import DocumentSpec
from app.printing.text import local_time, yuan
from app.printing.widgets import Field, Section, field_grid, gap, list_table

TITLE = "Stock count sheet"


def story(sheet: CountSheet, paper: Paper) -> list[Flowable]:
    styles = styles_for(paper)
    width = SPECS[paper].frame_width
    facts = [
        (Field("Count no.", sheet.number), Field("Opened by", sheet.opened_by)),
        (Field("Opened at", local_time(sheet.opened_at, sheet.tz)),
         Field("Posted at", local_time(sheet.posted_at, sheet.tz))),
    ]
    rows = []
    value = 0
    for n, line in enumerate(sheet.lines, start=1):
        diff = line.difference
        if diff is not None:
            value += diff * line.unit_cost_fen
        rows.append([str(n), line.location, line.part_no, line.name, line.unit,
                     str(line.book_quantity), "" if line.counted is None else str(line.counted),
                     "" if diff is None else f"{diff:+d}",
                     "" if diff is None else yuan(diff * line.unit_cost_fen)])
    footer = ["", "", "", tr("Difference in value"), "", "", "", "", yuan(value)]
    table = list_table(
        ("No.", "Location", "Part no.", "Part name", "Unit", "Book qty", "Counted",
         "Difference", "Value (¥)"), rows,
        (0.05, 0.1, 0.14, 0.25, 0.06, 0.09, 0.1, 0.09, 0.12), styles, width,
        numbers=(5, 6, 7, 8), footer=footer, row_height=7 * mm)
    signatures = [
        Section("Signatures"),
        (Field("Counted by", "", min_height=12 * mm), Field("Checked by", "")),
        (Field("Date", hand_line(SHORT_DATE)), Field("Date", hand_line(SHORT_DATE))),
    ]
    return [*field_grid(facts, styles, width), gap(1.5), table, gap(2),
            KeepTogether(field_grid(signatures, styles, width))]


def render(sheet: CountSheet, paper: Paper, out: str | Path | IO[bytes]) -> None:
    paper = Paper(paper)
    build_pdf(out, paper, page_header(sheet, TITLE), story(sheet, paper))


DOCUMENT = DocumentSpec(name="count-sheet", title=TITLE, subject="count", render=render,
                        papers=(Paper.A4,))
