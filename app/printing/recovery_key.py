"""恢复密钥单 — the station's recovery key on paper, printed once at set-up for the manager to
lock away: the station, the date, the nine groups of the key in large monospaced type, the
key id (which a backup carries, to tell which key it needs), and what the key is for (opening
the data or a backup on another PC) and why it must be locked away (whoever holds it reads
the data). A4 or A5; the station's name and address flow like any letterhead.

The sheet comes from ``app.services.store_keys.StoreKeyService.sheet``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import IO

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table, TableStyle

from app.i18n import tr
from app.printing.data import Paper, StationHeader
from app.printing.fonts import Face, register_face
from app.printing.layout import RULE, SHADE, SPECS, build_pdf, page_header, styles_for
from app.printing.registry import DocumentSpec
from app.printing.text import escape, local_time
from app.printing.widgets import Field, Section, field_grid, gap, para

TITLE = "Recovery key"
#: the Mono face of the body font's collection: 0 and O, 1 and I never look alike
MONO = Face("WQYMicroHeiMono", "wqy-microhei.ttc", 1)
GROUPS_PER_ROW = 3

INSTRUCTIONS = (
    "Keep this sheet locked away, apart from the PC (a safe, or the head office's file). "
    "Do not photograph it or keep it on the PC.",
    "This key is needed to open the station's data or a backup on another PC (a new PC, a "
    "repaired one, or this one after Windows was reinstalled). Without it such data cannot "
    "be read by anyone, not even by head office.",
    "Anyone holding this key and a copy of the data can read every customer's name, phone "
    "and address: treat it like the key of the cash box.",
    "The station manager sees the key again in Settings (数据加密) with his password; if this "
    "sheet is lost, print a new one there and destroy the old one.",
)


@dataclass(frozen=True)
class RecoveryKeySheet:
    station: StationHeader
    station_code: str
    #: the letterhead's number: the station code
    number: str
    recovery_key: str  # nine groups of four, dash-separated
    key_id: str
    printed_at: datetime
    tz: tzinfo | None = field(default=None, compare=False)

    @property
    def groups(self) -> list[str]:
        return [g for g in self.recovery_key.replace(" ", "-").split("-") if g]


def _key_table(sheet: RecoveryKeySheet, paper: Paper, width: float) -> Table:
    size = SPECS[paper].body * 2.4
    style = ParagraphStyle("recovery-key", fontName=register_face(MONO), fontSize=size,
                           leading=size * 1.3, alignment=TA_CENTER)
    groups = sheet.groups
    rows = []
    for start in range(0, len(groups), GROUPS_PER_ROW):
        row = [Paragraph(escape(g), style) for g in groups[start:start + GROUPS_PER_ROW]]
        rows.append(row + [""] * (GROUPS_PER_ROW - len(row)))
    table = Table(rows, colWidths=[width / GROUPS_PER_ROW] * GROUPS_PER_ROW)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), style.fontName, style.fontSize),  # else Helvetica
        ("BOX", (0, 0), (-1, -1), 1.2, RULE),
        ("BACKGROUND", (0, 0), (-1, -1), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), size * 0.35),
        ("BOTTOMPADDING", (0, 0), (-1, -1), size * 0.35),
    ]))
    return table


def story(sheet: RecoveryKeySheet, paper: Paper) -> list[Flowable]:
    styles = styles_for(paper)
    width = SPECS[paper].frame_width
    facts = [
        (Field("Station name", sheet.station.name), Field("Station code", sheet.station_code)),
        (Field("Date", local_time(sheet.printed_at, sheet.tz)), Field("Key ID", sheet.key_id)),
    ]
    out: list[Flowable] = [*field_grid(facts, styles, width), gap(2)]
    out.append(KeepTogether([
        para(tr("The station's recovery key (nine groups of four letters and digits):"),
             styles.section),
        gap(1), _key_table(sheet, paper, width), gap(1),
        para(tr("Letters that look alike are the same: O is 0, I and L are 1. Dashes and "
                "spaces may be left out when typing it."), styles.small),
    ]))
    out.append(gap(2))
    out += field_grid([Section("Keep it safe")], styles, width)
    out += [gap(1)]
    for n, line in enumerate(INSTRUCTIONS, start=1):
        out.append(para(f"{n}. {tr(line)}", styles.body))
        out.append(gap(0.6))
    out += [gap(2), para(tr("Kept by (signature): ____________________    "
                            "Date: ______________"), styles.body)]
    return out


def render(sheet: RecoveryKeySheet, paper: Paper, out: str | Path | IO[bytes]) -> None:
    paper = Paper(paper)
    build_pdf(out, paper, page_header(sheet, TITLE), story(sheet, paper))


DOCUMENT = DocumentSpec(name="recovery-key", title=TITLE, subject="recovery_key",
                        render=render, papers=(Paper.A4, Paper.A5))
