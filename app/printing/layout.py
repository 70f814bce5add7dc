"""The page every printed paper shares: A4/A5 page templates, the letterhead (station logo, name,
address, phone, document title, number and QR code) and footer (page x of y) drawn on each
page, the paragraph styles (CJK line wrapping), and ``build_pdf`` that lays a story out.

A new document is a small module that builds a story of flowables (see ``widgets``) and calls
``build_pdf`` with its ``PageHeader``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import cache, partial
from pathlib import Path
from typing import IO, Protocol

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from app.i18n import tr
from app.printing.data import Paper, StationHeader
from app.printing.fonts import register_fonts
from app.printing.images import ImageBox, draw_fitted
from app.printing.qr import draw_qr
from app.printing.text import escape, local_time

_building = threading.Lock()
#: held while one PDF is built (reportlab's font subsetting state is not thread-safe); a paper
#: drawn straight on a canvas (label sheets) holds it too
BUILD_LOCK = _building

INK = colors.black
RULE = colors.HexColor("#333333")
SHADE = colors.HexColor("#F0F0F0")
BAND = colors.HexColor("#D6D6D6")
GREY_TEXT = colors.HexColor("#555555")


@dataclass(frozen=True)
class PageSpec:
    size: tuple[float, float]
    margin: float
    body: float  # body font size, points
    title: float
    station: float
    qr: float
    header: float  # height of the letterhead band

    @property
    def frame_width(self) -> float:
        return self.size[0] - 2 * self.margin


SPECS: dict[Paper, PageSpec] = {
    Paper.A4: PageSpec(A4, 14 * mm, 9.5, 19, 13, 21 * mm, 33 * mm),
    Paper.A5: PageSpec(A5, 9 * mm, 7.2, 14, 10, 15 * mm, 25 * mm),
    # the height is the content's (``build_roll_pdf``); the letterhead is part of the story
    Paper.ROLL80: PageSpec((80 * mm, 0), 4 * mm, 8, 12, 10, 18 * mm, 0),
}
ROLL_MIN_HEIGHT = 90 * mm
#: how far inside the left margin the letterhead starts (room for a glyph's overhang)
LETTERHEAD_INSET = 2.0
#: between the logo and the station's name
LOGO_GAP = 3 * mm


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    cell: ParagraphStyle
    label: ParagraphStyle
    head: ParagraphStyle
    number: ParagraphStyle
    section: ParagraphStyle
    small: ParagraphStyle


@cache
def styles_for(paper: Paper) -> Styles:
    font = register_fonts()
    size = SPECS[paper].body
    body = ParagraphStyle("body", fontName=font, fontSize=size, leading=size * 1.35,
                          wordWrap="CJK", textColor=INK)
    cell = ParagraphStyle("cell", parent=body)
    return Styles(
        body=body,
        cell=cell,
        label=ParagraphStyle("label", parent=cell, alignment=TA_CENTER),
        head=ParagraphStyle("head", parent=cell, alignment=TA_CENTER),
        number=ParagraphStyle("number", parent=cell, alignment=TA_RIGHT),
        section=ParagraphStyle("section", parent=cell, fontSize=size + 1,
                               leading=(size + 1) * 1.3),
        small=ParagraphStyle("small", parent=body, fontSize=size - 1.5,
                             leading=(size - 1.5) * 1.35, textColor=GREY_TEXT),
    )


@dataclass(frozen=True)
class PageHeader:
    """What the letterhead and footer of every page show."""

    station: StationHeader
    title: str  # already translated
    number: str  # ASCII identifier, also the QR payload
    printed: str  # already formatted local time


class Printable(Protocol):
    """What every sheet carries for its letterhead."""

    station: StationHeader
    number: str
    printed_at: datetime
    tz: tzinfo | None


def page_header(sheet: Printable, title: str) -> PageHeader:
    """The letterhead of ``sheet`` under ``title`` (English source text, translated here)."""
    return PageHeader(sheet.station, tr(title), sheet.number,
                      local_time(sheet.printed_at, sheet.tz))


class _NumberedCanvas(Canvas):
    """Holds pages back until the end so each footer can say 'page x of y'."""

    def __init__(self, *args, footer: Callable[[Canvas, int, int], None], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._pages: list[dict] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._footer(self, self._pageNumber, total)
            Canvas.showPage(self)
        Canvas.save(self)


class _FormDoc(BaseDocTemplate):
    def __init__(self, out: IO[bytes], spec: PageSpec, header: PageHeader) -> None:
        super().__init__(
            out, pagesize=spec.size, leftMargin=spec.margin, rightMargin=spec.margin,
            topMargin=spec.margin + spec.header, bottomMargin=spec.margin + spec.body * 2,
            title=header.title + " " + header.number, author=header.station.name,
            subject=header.number, creator="Repair Station",
            # reportlab's default initial font is Helvetica, unembedded on every page
            initialFontName=register_fonts(),
        )
        self.spec = spec
        self.head = header
        self.font = register_fonts()
        self._head_lines: list[Paragraph] | None = None
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
        self.addPageTemplates([PageTemplate(id="form", frames=[frame], onPage=self.draw_header)])

    def draw_header(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        spec, head, font = self.spec, self.head, self.font
        width, height = spec.size
        left, right = spec.margin, width - spec.margin
        top = height - spec.margin
        title_y = top - spec.header + spec.body * 2.2
        canvas.saveState()
        canvas.setFillColor(INK)
        y = top
        # a glyph's ink may reach past its advance (the hook of a J, an italic-like tail):
        # the name starts a little inside the margin so no ink crosses it
        inset = LETTERHEAD_INSET
        room = top - title_y - spec.title
        # the logo (when the station has one) at the left, as high as the name's room and
        # at most twice as wide; the name, address and phone move right of it
        logo = LOGO_GAP + draw_fitted(canvas, head.station.logo, left, top - room, room * 2,
                                      room) if head.station.logo else 0.0
        for line in self._letterhead(right - left - spec.qr - 4 * mm - inset - logo, room):
            y -= line.height
            line.drawOn(canvas, left + inset + logo, y)
        draw_qr(canvas, head.number, right - spec.qr, top - spec.qr, spec.qr)
        canvas.setFont(font, spec.title)
        canvas.drawCentredString(width / 2, title_y, head.title)
        canvas.setFont(font, spec.body)
        canvas.drawString(left, top - spec.header + spec.body * 0.6,
                          tr("No. {number}", number=head.number))
        canvas.drawRightString(right, top - spec.header + spec.body * 0.6,
                               tr("Printed {time}", time=head.printed))
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.8)
        canvas.line(left, top - spec.header + spec.body * 0.1, right,
                    top - spec.header + spec.body * 0.1)
        canvas.restoreState()

    def _letterhead(self, width: float, room: float) -> list[Paragraph]:
        """The station's name, address and phone, wrapped to ``width``; the type shrinks until
        they fit ``room`` above the title, so a long name is never cut or run under the QR
        code. Laid out once per document."""
        if self._head_lines is None:
            station = self.head.station
            small = self.spec.body - 1
            texts = [(station.name, self.spec.station, 1.2)]
            if station.address:
                texts.append((tr("Address: {address}", address=station.address), small, 1.4))
            if station.phone:
                texts.append((tr("Service phone: {phone}", phone=station.phone), small, 1.4))
            scale = 1.0
            while True:
                lines = [Paragraph(escape(text), ParagraphStyle(
                    "letterhead", fontName=self.font, fontSize=size * scale,
                    leading=size * scale * leading, wordWrap="CJK", textColor=INK))
                    for text, size, leading in texts]
                used = sum(line.wrap(width, room)[1] for line in lines)
                if used <= room or scale < 0.05:
                    break
                scale *= 0.93
            self._head_lines = lines
        return self._head_lines
    def build_story(self, story: list[Flowable]) -> None:
        self.build(story, canvasmaker=partial(_NumberedCanvas, footer=self.draw_footer))

    def draw_footer(self, canvas: Canvas, page: int, total: int) -> None:
        """The document number and 'page x of y' (the letterhead names the station)."""
        spec = self.spec
        canvas.saveState()
        size = spec.body - 1.5
        canvas.setFillColor(GREY_TEXT)
        canvas.setFont(self.font, size)
        canvas.drawRightString(spec.size[0] - spec.margin, spec.margin,
                               tr("Page {page} of {total}", page=page, total=total))
        canvas.drawString(spec.margin, spec.margin, self.head.number)
        canvas.restoreState()


def build_pdf(
    out: str | Path | IO[bytes], paper: Paper, header: PageHeader, story: list[Flowable]
) -> None:
    """Lays ``story`` out on ``paper`` pages with the shared letterhead and writes the PDF
    (on a receipt roll: one page as long as the letterhead and the story)."""
    paper = Paper(paper)
    spec = SPECS[paper]

    def write(handle: IO[bytes]) -> None:
        if paper is Paper.ROLL80:
            _build_roll(handle, spec, header, story)
        else:
            _FormDoc(handle, spec, header).build_story(story)

    # reportlab keeps per-font subsetting state and module-level settings that are not
    # guarded; one document at a time (the GIL allows no more speed anyway)
    with _building:
        if isinstance(out, str | Path):
            with open(out, "wb") as handle:
                write(handle)
        else:
            write(out)


class _QrFlowable(Flowable):
    def __init__(self, payload: str, side: float) -> None:
        super().__init__()
        self.payload = payload
        self.side = side

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.side

    def draw(self) -> None:
        draw_qr(self.canv, self.payload, (self.width - self.side) / 2, 0, self.side)


def roll_letterhead(spec: PageSpec, header: PageHeader) -> list[Flowable]:
    """The letterhead of a receipt roll, centred: station, address, phone, title, number."""
    font = register_fonts()

    def line(text: str, size: float) -> Paragraph:
        return Paragraph(escape(text), ParagraphStyle(
            "roll", fontName=font, fontSize=size, leading=size * 1.3, alignment=TA_CENTER,
            wordWrap="CJK", textColor=INK))

    small = spec.body - 1
    station = header.station
    lines: list[Flowable] = [ImageBox(station.logo, spec.qr * 0.6)] if station.logo else []
    lines.append(line(station.name, spec.station))
    if station.address:
        lines.append(line(tr("Address: {address}", address=station.address), small))
    if station.phone:
        lines.append(line(tr("Service phone: {phone}", phone=station.phone), small))
    lines += [line(header.title, spec.title), line(tr("No. {number}", number=header.number), small),
              line(tr("Printed {time}", time=header.printed), small)]
    return lines


def _build_roll(out: IO[bytes], spec: PageSpec, header: PageHeader,
                story: list[Flowable]) -> None:
    """One page 80 mm wide and as long as its content, the receipt number's QR code last."""
    flowables = [*roll_letterhead(spec, header), *story, _QrFlowable(header.number, spec.qr)]
    width = spec.frame_width
    used = sum(f.wrap(width, 1e7)[1] + f.getSpaceBefore() + f.getSpaceAfter()
               for f in flowables)
    # a few points of slack: reportlab's frame refuses a flowable that fits to the last point
    height = max(used + 2 * spec.margin + 12, ROLL_MIN_HEIGHT)
    doc = BaseDocTemplate(
        out, pagesize=(spec.size[0], height), leftMargin=spec.margin,
        rightMargin=spec.margin, topMargin=spec.margin, bottomMargin=spec.margin,
        title=header.title + " " + header.number, author=header.station.name,
        subject=header.number, creator="Repair Station", initialFontName=register_fonts())
    frame = Frame(spec.margin, spec.margin, width, height - 2 * spec.margin, leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0, id="roll")
    doc.addPageTemplates([PageTemplate(id="roll", frames=[frame])])
    doc.build(flowables)
