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
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from app.i18n import tr
from app.printing.data import Paper, StationHeader
from app.printing.fonts import register_fonts
from app.printing.qr import draw_qr
from app.printing.text import escape

_building = threading.Lock()

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
        for line in self._letterhead(right - left - spec.qr - 4 * mm, top - title_y - spec.title):
            y -= line.height
            line.drawOn(canvas, left, y)
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
