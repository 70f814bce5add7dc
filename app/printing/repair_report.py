"""售后服务维修单 — the repair report the customer signs: customer and product, warranty
status, fault, diagnosis and actions, the charge lines with their total, the service times
against the promises, satisfaction boxes and the signatures. A4 or A5.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph

from app.i18n import tr
from app.printing.data import OrderSheet, Paper
from app.printing.layout import SPECS, build_pdf, styles_for
from app.printing.order_blocks import (
    HAND_DATE,
    customer_rows,
    hand_line,
    header_for,
    product_rows,
    satisfaction_boxes,
)
from app.printing.registry import DocumentSpec
from app.printing.text import escape, local_time
from app.printing.widgets import Field, Section, charge_table, field_grid, gap

TITLE = "After-sales service repair report"


def story(sheet: OrderSheet, paper: Paper) -> list[Flowable]:
    styles = styles_for(paper)
    width = SPECS[paper].frame_width
    # A5 is a half sheet: less room to write by hand, so a usual order still fits one page
    unit = mm if paper is Paper.A4 else 0.55 * mm
    names = [r.technician_name for r in sheet.repairs if r.technician_name]
    technicians = list(dict.fromkeys(names or [sheet.technician_name]))
    diagnosis = "\n".join(r.diagnosis for r in sheet.repairs if r.diagnosis)
    actions = "\n".join(r.actions for r in sheet.repairs if r.actions)
    minutes = sum(r.labour_minutes for r in sheet.repairs)
    repair = [
        *customer_rows(sheet),
        *product_rows(sheet, paper),
        Section("Fault and repair"),
        Field("Reported fault", sheet.fault, wide=True),
        Field("Diagnosis", diagnosis, wide=True, min_height=12 * unit),
        Field("Actions taken", actions, wide=True, min_height=12 * unit),
        (Field("Technician", "、".join(t for t in technicians if t)),
         Field("Labour", tr("{minutes} min", minutes=minutes) if minutes else "")),
    ]
    closing = [
        Section("Service times"),
        (Field("Called", local_time(sheet.called_at, sheet.tz)),
         Field("Responded", local_time(sheet.responded_at, sheet.tz))),
        (Field("Arrived", local_time(sheet.arrived_at, sheet.tz)),
         Field("Cleared", local_time(sheet.cleared_at, sheet.tz))),
        Section("Customer feedback"),
        Field("Satisfaction", satisfaction_boxes(sheet, paper), wide=True),
        Field("Comments", "", wide=True, min_height=14 * unit),
        (Field("Customer signature", "", min_height=18 * unit),
         Field("Technician signature", "", min_height=18 * unit)),
        (Field("Date", hand_line(HAND_DATE)), Field("Date", hand_line(HAND_DATE))),
    ]
    return [
        *field_grid(repair, styles, width),
        charge_table(sheet.charges, styles, width),
        # the signatures never stand on a page of their own, away from what they confirm
        KeepTogether([
            *field_grid(closing, styles, width),
            gap(1.5),
            Paragraph(escape(tr("Service promise: response within 30 minutes, on site within "
                                "24 hours, fault cleared within 24 hours. Please check the "
                                "work and the charges before you sign; keep this sheet as "
                                "your warranty record.")), styles.small),
        ]),
    ]


def render(sheet: OrderSheet, paper: Paper, out: str | Path | IO[bytes]) -> None:
    paper = Paper(paper)
    build_pdf(out, paper, header_for(sheet, TITLE), story(sheet, paper))


DOCUMENT = DocumentSpec(name="report", title=TITLE, subject="order", render=render)
