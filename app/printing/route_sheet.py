"""技术员日程单 (上门路线单) — one technician's booked visits of one day, in time order: the
time window, the order, the customer with the phone and address, the fault, the parts to
bring, and boxes to write the time of arrival (签到) and of completion (完成) by hand; then the
day's totals (visits, parts) and the technician's signature. A4 and A5.

Every visit is a block of the shared field grid, so a long address or fault flows onto the
next page inside its box (nothing cut). The sheet is plain data, built by
``app.services.route_sheets`` from the appointment service's day plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import IO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from app.i18n import tr
from app.printing.data import Paper, StationHeader
from app.printing.layout import SPECS, build_pdf, page_header, styles_for
from app.printing.order_blocks import SHORT_DATE, hand_line
from app.printing.registry import DocumentSpec
from app.printing.text import day as day_text
from app.printing.widgets import Field, Section, field_grid, gap, para

TITLE = "Technician's route sheet"
LABELS = 0.16


@dataclass(frozen=True)
class RoutePart:
    """A part reserved for the visit: what the technician takes along."""

    part_no: str
    name: str
    quantity: int


@dataclass(frozen=True)
class RouteVisit:
    """One booked visit as the route sheet prints it (the phone as the reader may see it)."""

    starts_at: datetime
    ends_at: datetime
    order_no: str
    customer_name: str
    address: str
    phone: str
    fault: str
    parts: tuple[RoutePart, ...] = ()


@dataclass(frozen=True)
class RouteSheet:
    """技术员日程单: the technician's visits of ``day`` in time order."""

    station: StationHeader
    #: the letterhead's number (and QR): ``RT-<username>-<YYYYMMDD>``
    number: str
    technician: str
    day: date
    visits: tuple[RouteVisit, ...]
    printed_at: datetime
    tz: tzinfo | None = field(default=None, compare=False)

    @property
    def part_count(self) -> int:
        return sum(p.quantity for v in self.visits for p in v.parts)


def window(visit: RouteVisit, tz: tzinfo | None) -> str:
    """'09:00–11:00' in the sheet's zone (the end's date too when it is another day)."""
    start, end = visit.starts_at.astimezone(tz), visit.ends_at.astimezone(tz)
    until = end.strftime("%H:%M") if end.date() == start.date() else end.strftime("%m-%d %H:%M")
    return f"{start:%H:%M}–{until}"


def parts_text(parts: tuple[RoutePart, ...]) -> str:
    return "\n".join(tr("{part_no} {name} × {quantity}", part_no=p.part_no, name=p.name,
                        quantity=p.quantity) for p in parts)


def _visit(n: int, visit: RouteVisit, sheet: RouteSheet, paper: Paper) -> list[Flowable]:
    styles, width = styles_for(paper), SPECS[paper].frame_width
    rows: list[Section | Field | tuple[Field, ...]] = [
        Section(tr("Visit {n}", n=n)),
        (Field("Time", window(visit, sheet.tz)), Field("Order no.", visit.order_no)),
        (Field("Customer", visit.customer_name), Field("Contact phone", visit.phone)),
        Field("Service address", visit.address, wide=True),
        Field("Fault description", visit.fault, wide=True),
        Field("Parts to bring", parts_text(visit.parts) or tr("None"), wide=True),
        (Field("Checked in", "", min_height=9 * mm), Field("Done", "")),
    ]
    return [*field_grid(rows, styles, width, LABELS), gap(2)]


def story(sheet: RouteSheet, paper: Paper) -> list[Flowable]:
    styles, width = styles_for(paper), SPECS[paper].frame_width
    facts = [(Field("Technician", sheet.technician), Field("Date", day_text(sheet.day)))]
    out: list[Flowable] = [*field_grid(facts, styles, width, LABELS), gap(2)]
    if not sheet.visits:
        out += [para(tr("No visits are booked for this day."), styles.cell), gap(2)]
    for n, visit in enumerate(sheet.visits, start=1):
        out += _visit(n, visit, sheet, paper)
    totals = [
        Section("Totals"),
        (Field("Visits", tr("{count} visits", count=len(sheet.visits))),
         Field("Parts to bring", tr("{count} pieces", count=sheet.part_count))),
        (Field("Technician's signature", "", min_height=12 * mm),
         Field("Date", hand_line(SHORT_DATE))),
    ]
    return [*out, KeepTogether(field_grid(totals, styles, width, LABELS))]


def render(sheet: RouteSheet, paper: Paper, out: str | Path | IO[bytes]) -> None:
    paper = Paper(paper)
    build_pdf(out, paper, page_header(sheet, TITLE), story(sheet, paper))


DOCUMENT = DocumentSpec(name="route-sheet", title=TITLE, subject="route", render=render,
                        papers=(Paper.A4, Paper.A5))
