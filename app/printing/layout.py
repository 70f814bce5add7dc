"""The page every printed paper shares: A4/A5 page templates, the letterhead (station name,
address, phone, document title, number and QR code) and footer (page x of y) drawn on each
page, the paragraph styles (CJK line wrapping), and ``build_pdf`` that lays a story out.

A new document is a small module that builds a story of flowables (see ``widgets``) and calls
``build_pdf`` with its ``PageHeader``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import IO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from app.i18n import tr
from app.printing.data import Paper, StationHeader
from app.printing.fonts import register_fonts
from app.printing.qr import draw_qr

_building = threading.Lock()

INK = colors.black
MIN_TYPE = 5  # points: the smallest type a letterhead line shrinks to
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
}


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
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
        self.addPageTemplates([PageTemplate(id="form", frames=[frame], onPage=self.draw_header)])

    def draw_header(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        spec, head, font = self.spec, self.head, self.font
        width, height = spec.size
        left, right = spec.margin, width - spec.margin
        top = height - spec.margin
        room = right - left - spec.qr - 4 * mm
        canvas.saveState()
        canvas.setFillColor(INK)
        _fit(canvas, left, top - spec.station, head.station.name, font, spec.station, room)
        small = spec.body - 1
        line_y = top - spec.station - small * 1.6
        if head.station.address:
            _fit(canvas, left, line_y, tr("Address: {address}", address=head.station.address),
                 font, small, room)
            line_y -= small * 1.4
        if head.station.phone:
            _fit(canvas, left, line_y, tr("Service phone: {phone}", phone=head.station.phone),
                 font, small, room)
        draw_qr(canvas, head.number, right - spec.qr, top - spec.qr, spec.qr)
        canvas.setFont(font, spec.title)
        title_y = top - spec.header + spec.body * 2.2
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

    def build_story(self, story: list[Flowable]) -> None:
        self.build(story, canvasmaker=partial(_NumberedCanvas, footer=self.draw_footer))

    def draw_footer(self, canvas: Canvas, page: int, total: int) -> None:
        spec = self.spec
        canvas.saveState()
        size = spec.body - 1.5
        canvas.setFillColor(GREY_TEXT)
        y = spec.margin
        page_text = tr("Page {page} of {total}", page=page, total=total)
        canvas.setFont(self.font, size)
        canvas.drawRightString(spec.size[0] - spec.margin, y, page_text)
        room = spec.frame_width - stringWidth(page_text, self.font, size) - 6 * mm
        _fit(canvas, spec.margin, y, f"{self.head.station.name}  {self.head.number}",
             self.font, size, room)
        canvas.restoreState()


def _fit(canvas: Canvas, x: float, y: float, text: str, font: str, size: float,
         width: float) -> None:
    """Draws one line, shrinking the type (then cutting it short) so a long station name
    never runs into the QR code or the page number."""
    needed = stringWidth(text, font, size)
    if needed > width:
        size = max(size * width / needed, MIN_TYPE)
        while len(text) > 1 and stringWidth(text, font, size) > width:
            text = text[:-2] + "…"
    canvas.setFont(font, size)
    canvas.drawString(x, y, text)


def build_pdf(
    out: str | Path | IO[bytes], paper: Paper, header: PageHeader, story: list[Flowable]
) -> None:
    """Lays ``story`` out on ``paper`` pages with the shared letterhead and writes the PDF."""
    spec = SPECS[Paper(paper)]
    # reportlab keeps per-font subsetting state and module-level settings that are not
    # guarded; one document at a time (the GIL allows no more speed anyway)
    with _building:
        if isinstance(out, str | Path):
            with open(out, "wb") as handle:
                _FormDoc(handle, spec, header).build_story(story)
        else:
            _FormDoc(out, spec, header).build_story(story)
