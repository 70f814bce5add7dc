"""旧件返厂清单 — the manifest of an old-part return shipment: the shipment's number, dates and
carrier, every old part in it (tag, part, the order it came from, the product), the count,
and the signatures of who packed it, who carried it and who received it at head office. A4.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from app.i18n import tr
from app.printing.data import Paper, ShipmentSheet
from app.printing.layout import SPECS, build_pdf, page_header, styles_for
from app.printing.order_blocks import SHORT_DATE, hand_line
from app.printing.registry import DocumentSpec
from app.printing.text import local_time
from app.printing.widgets import Field, Section, field_grid, gap, list_table

TITLE = "Old-part return manifest"


def story(sheet: ShipmentSheet, paper: Paper) -> list[Flowable]:
    styles = styles_for(paper)
    width = SPECS[paper].frame_width
    facts = [
        (Field("Shipment no.", sheet.number), Field("Packed by", sheet.created_by)),
        (Field("Packed at", local_time(sheet.created_at, sheet.tz)),
         Field("Shipped at", local_time(sheet.shipped_at, sheet.tz))),
        (Field("Carrier", sheet.carrier),
         Field("Old parts", tr("{count} pieces", count=len(sheet.parts)))),
    ]
    rows = [[str(n), p.tag_no, p.part_no, p.part_name, p.order_no,
             " / ".join(v for v in (p.product_model, p.serial_no) if v),
             local_time(p.collected_at, sheet.tz)]
            for n, p in enumerate(sheet.parts, start=1)]
    table = list_table(("No.", "Tag no.", "Part no.", "Part name", "Order no.",
                        "Model / serial", "Collected"), rows,
                       (0.05, 0.19, 0.12, 0.18, 0.19, 0.15, 0.12), styles, width)
    signatures = [
        Section("Signatures"),
        (Field("Packed by", "", min_height=12 * mm), Field("Carrier", ""),
         Field("Received by head office", "")),
        (Field("Date", hand_line(SHORT_DATE)), Field("Date", hand_line(SHORT_DATE)),
         Field("Date", hand_line(SHORT_DATE))),
    ]
    return [*field_grid(facts, styles, width), gap(1.5), table, gap(2),
            KeepTogether(field_grid(signatures, styles, width, 0.12))]


def render(sheet: ShipmentSheet, paper: Paper, out: str | Path | IO[bytes]) -> None:
    paper = Paper(paper)
    build_pdf(out, paper, page_header(sheet, TITLE), story(sheet, paper))


DOCUMENT = DocumentSpec(name="manifest", title=TITLE, subject="shipment", render=render,
                        papers=(Paper.A4,))
