"""三包索赔清单 — the list of a warranty claim batch the station sends head office: the batch's
number, station, period and submission, every claim line (order, customer, model and serial,
charge type, item, quantity, unit price, amount, the old-part tag that backs it and the checks
the manager overrode), the total in figures and in 大写, the manager's written overrides in
full, and the signatures. A4; any number of lines flows over pages with the heads repeated.

The sheet (``ClaimSheet``) is plain data, also printed as the settlement statement
(``app.printing.settlement``); ``app.services.claim_papers`` reads it from the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import IO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph

from app.domain.claims import Check, ClaimStatus, Decision
from app.domain.enums import ChargeKind
from app.i18n import label, tr
from app.printing.data import Paper, StationHeader
from app.printing.images import stamp_box
from app.printing.layout import SPECS, Styles, build_pdf, page_header, styles_for
from app.printing.order_blocks import SHORT_DATE, hand_line
from app.printing.registry import DocumentSpec
from app.printing.text import escape, local_time, rmb_upper, yuan
from app.printing.widgets import Field, Section, field_grid, gap, list_table

TITLE = "Warranty claim list"


@dataclass(frozen=True)
class ClaimOverrideNote:
    """The manager's written reason to send a line despite a warning."""

    check: str  # app.domain.claims.Check value
    reason: str
    username: str
    created_at: datetime | None = None


@dataclass(frozen=True)
class ClaimPaperLine:
    """One claim line as the papers print it (amounts in fen)."""

    position: int  # 1-based
    order_number: str
    customer_name: str
    product_model: str
    serial_no: str
    kind: str  # app.domain.enums.ChargeKind value
    description: str
    quantity: int
    unit_fen: int
    amount_fen: int
    old_part_tag: str = ""
    overrides: tuple[ClaimOverrideNote, ...] = ()
    #: head office's decision: "" (pending) or an app.domain.claims.Decision value
    decision: str = ""
    approved_fen: int | None = None
    decision_reason: str = ""


@dataclass(frozen=True)
class ClaimSheet:
    """A claim batch and, once head office settled it, its statement."""

    station: StationHeader
    number: str
    period: str  # YYYY-MM
    status: str  # app.domain.claims.ClaimStatus value
    lines: tuple[ClaimPaperLine, ...]
    printed_at: datetime
    submitted_at: datetime | None = None
    submitted_by: str = ""
    statement_no: str = ""
    claimed_fen: int = 0
    approved_fen: int = 0
    deducted_fen: int = 0
    payable_fen: int = 0
    settled_at: datetime | None = None
    paid_at: datetime | None = None
    paid_note: str = ""
    tz: tzinfo | None = field(default=None, compare=False)

    @property
    def total_fen(self) -> int:
        """What the lines claim, added up in fen."""
        return sum(x.amount_fen for x in self.lines)


def amount_text(fen: int) -> str:
    """¥ 1,234.50  人民币大写：壹仟贰佰叁拾肆元伍角."""
    return f"¥ {yuan(fen)}  " + tr("RMB in words: {words}", words=rmb_upper(fen))


def kind_label(kind: str) -> str:
    try:
        return label(ChargeKind(kind))
    except ValueError:
        return kind


def check_label(check: str) -> str:
    try:
        return label(Check(check))
    except ValueError:
        return check


def decision_label(decision: str) -> str:
    if not decision:
        return tr("Pending")
    try:
        return label(Decision(decision))
    except ValueError:
        return decision


def status_label(status: str) -> str:
    try:
        return label(ClaimStatus(status))
    except ValueError:
        return status


def signatures(styles: Styles, width: float, who: tuple[str, str, str],
               stamp: bytes | None = None) -> Flowable:
    """The signature boxes; the station's ``stamp`` image (when it has one) in the box of
    "Station stamp"."""
    rows = [
        Section("Signatures"),
        tuple(Field(name, (stamp_box(stamp, 11 * mm) if name == "Station stamp" else None)
                    or "", min_height=14 * mm) for name in who),
        tuple(Field("Date", hand_line(SHORT_DATE)) for _ in who),
    ]
    return KeepTogether(field_grid(rows, styles, width, 0.12))


def story(sheet: ClaimSheet, paper: Paper) -> list[Flowable]:
    styles = styles_for(paper)
    width = SPECS[paper].frame_width
    facts = [
        (Field("Batch no.", sheet.number), Field("Claim period", sheet.period)),
        (Field("Station", sheet.station.name), Field("Status", status_label(sheet.status))),
        (Field("Submitted at", local_time(sheet.submitted_at, sheet.tz)),
         Field("Submitted by", sheet.submitted_by)),
        (Field("Claim lines", tr("{count} lines", count=len(sheet.lines))),
         Field("Amount claimed", f"¥ {yuan(sheet.total_fen)}")),
    ]
    rows = []
    for x in sheet.lines:
        checks = "、".join(dict.fromkeys(check_label(o.check) for o in x.overrides))
        rows.append([
            str(x.position),
            "\n".join(v for v in (x.order_number, x.customer_name) if v),
            " / ".join(v for v in (x.product_model, x.serial_no) if v),
            kind_label(x.kind), x.description, str(x.quantity), yuan(x.unit_fen),
            yuan(x.amount_fen),
            "\n".join(v for v in (x.old_part_tag, tr("Overridden: {checks}", checks=checks)
                                   if checks else "") if v),
        ])
    table = list_table(
        ("No.", "Order no. / customer", "Model / serial", "Charge type", "Item / part", "Qty",
         "Unit price (¥)", "Amount (¥)", "Old-part tag / overrides"), rows,
        (0.05, 0.18, 0.15, 0.07, 0.18, 0.05, 0.10, 0.10, 0.12), styles, width,
        numbers=(5, 6, 7),
        footer=["", tr("Total"), "", "", "", "", "", yuan(sheet.total_fen), ""])
    total = [Field("Total claimed", amount_text(sheet.total_fen), wide=True)]
    notes = [[str(x.position), x.order_number, check_label(o.check), o.reason, o.username,
              local_time(o.created_at, sheet.tz)]
             for x in sheet.lines for o in x.overrides]
    out: list[Flowable] = [*field_grid(facts, styles, width), gap(1.5), table,
                           *field_grid(total, styles, width), gap(2)]
    if notes:
        out += [Paragraph(escape(tr("Warnings overridden by the station manager")),
                          styles.section), gap(1),
                list_table(("No.", "Order no.", "Check", "Reason", "Overridden by", "Time"),
                           notes, (0.05, 0.18, 0.13, 0.38, 0.11, 0.15), styles, width),
                gap(2)]
    out.append(signatures(styles, width, ("Prepared by", "Station manager", "Station stamp"),
                          sheet.station.stamp))
    return out


def render(sheet: ClaimSheet, paper: Paper, out: str | Path | IO[bytes]) -> None:
    paper = Paper(paper)
    build_pdf(out, paper, page_header(sheet, TITLE), story(sheet, paper))


DOCUMENT = DocumentSpec(name="claim-batch", title=TITLE, subject="claim_batch", render=render,
                        papers=(Paper.A4,))
