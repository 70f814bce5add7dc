"""售后服务维修单 — the repair report the customer signs: customer and product, warranty
status, where the order came from, fault, diagnosis and actions, the charge lines with their
total, what the customer pays and what is claimed from the maker, the service times against
the promises (with the return visit and closing), satisfaction boxes, the signatures and the
station's stamp. A4 or A5.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import IO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from app.i18n import label, tr
from app.printing.data import OrderSheet, Paper
from app.printing.images import ImageBox, stamp_box
from app.printing.layout import SPECS, build_pdf, page_header, styles_for
from app.printing.order_blocks import (
    SHORT_DATE,
    customer_rows,
    hand_line,
    product_rows,
    satisfaction_boxes,
)
from app.printing.registry import DocumentSpec
from app.printing.text import escape, local_time, rmb_upper, yuan
from app.printing.widgets import Field, Section, charge_table, field_grid, gap

TITLE = "After-sales service repair report"
#: share of the width each label takes: narrow enough that three fields share a row
LABELS = 0.13


def story(sheet: OrderSheet, paper: Paper) -> list[Flowable]:
    styles = styles_for(paper)
    width = SPECS[paper].frame_width
    # A5 is a half sheet: less room to write by hand, so a usual order still fits one page
    a4 = paper is Paper.A4
    unit = mm if a4 else 0.55 * mm
    names = [r.technician_name for r in sheet.repairs if r.technician_name]
    technicians = list(dict.fromkeys(names or [sheet.technician_name]))
    diagnosis = "\n".join(r.diagnosis for r in sheet.repairs if r.diagnosis)
    actions = "\n".join(r.actions for r in sheet.repairs if r.actions)
    minutes = sum(r.labour_minutes for r in sheet.repairs)
    repair = [
        *customer_rows(sheet),
        *product_rows(sheet, paper,
                      Field("Source", label(sheet.source) if sheet.source else "")),
        *([Field("Warranty basis", sheet.coverage_text, wide=True)] if sheet.coverage_text
          else []),
        Section("Fault and repair"),
        Field("Reported fault", sheet.fault, wide=True),
        Field("Diagnosis", diagnosis, wide=True, min_height=12 * mm if a4 else 0),
        Field("Actions taken", actions, wide=True, min_height=12 * mm if a4 else 0),
        (Field("Technician", "、".join(t for t in technicians if t)),
         Field("Labour", tr("{minutes} min", minutes=minutes) if minutes else ""),
         Field("Head-office ref.", sheet.hq_reference)),
    ]
    amounts = [(Field("Due from customer", _amount(sheet.due_fen)),
                Field("Claimed from maker", _amount(sheet.claimed_fen))),
               *([Field("Payment received", sheet.payment_text, wide=True)] if sheet.payment_text
                 else [])]

    def when(value: datetime | None) -> str:
        return local_time(value, sheet.tz)

    def signed(stamp: bytes | None = None) -> list[Flowable]:
        """Room to sign or stamp (the station's stamp image fitted in it, when it has one),
        with the date line at its foot."""
        room = (stamp_box(stamp, 18 * mm if a4 else 14 * mm)
                or Spacer(1, 18 * mm if a4 else 7 * mm))
        return [room, Paragraph(escape(hand_line(SHORT_DATE)), styles.cell)]

    def customer_signed() -> list[Flowable]:
        """The signature taken on screen fitted in the box, with who signed and when; room
        to sign by hand without one."""
        mark = sheet.signature
        if mark is None:
            return signed()
        return [ImageBox(mark.image_png, 18 * mm if a4 else 10 * mm),
                Paragraph(escape(tr("Signed on screen by {name}, {time}",
                                    name=mark.signer_name, time=when(mark.signed_at))),
                          styles.cell)]

    closing = [
        Section("Service times"),
        (Field("Called", when(sheet.called_at)), Field("Responded", when(sheet.responded_at)),
         Field("Arrived", when(sheet.arrived_at))),
        (Field("Cleared", when(sheet.cleared_at)), Field("Visited at", when(sheet.visited_at)),
         Field("Closed at", when(sheet.closed_at))),
        *([Section("Customer feedback")] if a4 else []),
        Field("Satisfaction", satisfaction_boxes(sheet, paper), wide=True),
        # the customer's words at the return visit; blank before it, to write by hand
        Field("Comments", sheet.visit_comments, wide=True, min_height=14 * unit),
        (Field("Customer signature", customer_signed()),
         Field("Technician signature", signed()),
         Field("Station stamp", signed(sheet.station.stamp))),
    ]
    return [
        *field_grid(repair, styles, width, LABELS),
        charge_table(sheet.charges, styles, width),
        *field_grid(amounts, styles, width, LABELS),
        # the signatures never stand on a page of their own, away from what they confirm
        KeepTogether([
            *field_grid(closing, styles, width, LABELS),
            gap(1.5),
            Paragraph(escape(tr("Service promise: response within 30 minutes, on site within "
                                "24 hours, fault cleared within 24 hours. Please check the "
                                "work and the charges before you sign; keep this sheet as "
                                "your warranty record.")), styles.small),
        ]),
    ]


def _amount(fen: int) -> str:
    return f"¥ {yuan(fen)}  " + tr("RMB in words: {words}", words=rmb_upper(fen))


def render(sheet: OrderSheet, paper: Paper, out: str | Path | IO[bytes]) -> None:
    paper = Paper(paper)
    build_pdf(out, paper, page_header(sheet, TITLE), story(sheet, paper))


DOCUMENT = DocumentSpec(name="report", title=TITLE, subject="order", render=render)
