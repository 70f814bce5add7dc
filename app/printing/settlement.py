"""索赔结算单 — head office's settlement statement of a claim batch as the station prints it: the
statement and batch numbers, the period, the amounts claimed, approved, deducted and payable
(payable = approved - deducted), each in figures and in 大写, head office's decision on every
line with its reason, the payment once the manager marked it paid, and the signatures. A4.

The sheet is the claim batch's (``app.printing.claim_batch.ClaimSheet``); the letterhead's
number and QR code are the statement's.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from reportlab.platypus import Flowable

from app.i18n import tr
from app.printing.claim_batch import (
    ClaimSheet,
    amount_text,
    decision_label,
    kind_label,
    signatures,
    status_label,
)
from app.printing.data import Paper
from app.printing.layout import SPECS, PageHeader, build_pdf, styles_for
from app.printing.registry import DocumentSpec
from app.printing.text import local_time, yuan
from app.printing.widgets import Field, Section, field_grid, gap, list_table

TITLE = "Claim settlement statement"


def story(sheet: ClaimSheet, paper: Paper) -> list[Flowable]:
    styles = styles_for(paper)
    width = SPECS[paper].frame_width
    facts = [
        (Field("Statement no.", sheet.statement_no), Field("Batch no.", sheet.number)),
        (Field("Station", sheet.station.name), Field("Claim period", sheet.period)),
        (Field("Settled at", local_time(sheet.settled_at, sheet.tz)),
         Field("Status", status_label(sheet.status))),
        Section("Amounts"),
        Field("Amount claimed", amount_text(sheet.claimed_fen), wide=True),
        Field("Amount approved", amount_text(sheet.approved_fen), wide=True),
        Field("Deducted", amount_text(sheet.deducted_fen), wide=True),
        Field("Payable", amount_text(sheet.payable_fen), wide=True),
    ]
    rows = [[str(x.position), x.order_number, kind_label(x.kind), x.description,
             yuan(x.amount_fen), decision_label(x.decision),
             "" if x.approved_fen is None else yuan(x.approved_fen), x.decision_reason]
            for x in sheet.lines]
    approved = sum(x.approved_fen or 0 for x in sheet.lines)
    table = list_table(
        ("No.", "Order no.", "Charge type", "Item / part", "Claimed (¥)", "Decision",
         "Approved (¥)", "Reason"), rows,
        (0.05, 0.17, 0.07, 0.19, 0.10, 0.09, 0.10, 0.23), styles, width, numbers=(4, 6),
        footer=["", tr("Total"), "", "", yuan(sheet.total_fen), "", yuan(approved), ""])
    out: list[Flowable] = [*field_grid(facts, styles, width), gap(2),
                           *field_grid([Section("Decisions per line")], styles, width), table,
                           gap(2)]
    if sheet.paid_at is not None:
        out += [*field_grid([(Field("Paid at", local_time(sheet.paid_at, sheet.tz)),
                              Field("Payment note", sheet.paid_note))], styles, width),
                gap(2)]
    out.append(signatures(styles, width, ("Head office review", "Station manager",
                                          "Station stamp"), sheet.station.stamp))
    return out


def render(sheet: ClaimSheet, paper: Paper, out: str | Path | IO[bytes]) -> None:
    paper = Paper(paper)
    header = PageHeader(sheet.station, tr(TITLE), sheet.statement_no or sheet.number,
                        local_time(sheet.printed_at, sheet.tz))
    build_pdf(out, paper, header, story(sheet, paper))


DOCUMENT = DocumentSpec(name="settlement", title=TITLE, subject="claim_settlement",
                        render=render, papers=(Paper.A4,))
