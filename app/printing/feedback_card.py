"""产品质量反馈卡 — the product quality feedback card a station sends to the maker's quality
department: the product (model, serial, production date or batch, the order it came from),
the fault phenomenon and faulty part, the use environment, the six cause boxes with the
chosen one ticked, the customer's opinion, the photos two to a row (turned as the camera
held them, scaled to fit), and who filled it in, with room to sign. A4.

A photo whose file is missing or unreadable at this station prints a note in its place; the
card still prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from io import BytesIO
from pathlib import Path
from typing import IO

from PIL import Image as PILImage
from PIL import ImageOps
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, KeepTogether, Paragraph, Spacer, Table, TableStyle

from app.domain.feedback import (
    CAUSE_TEXT,
    STATUS_TEXT,
    CauseCategory,
    FeedbackStatus,
    cause_of,
)
from app.i18n import tr
from app.printing.data import Paper, StationHeader
from app.printing.layout import SPECS, build_pdf, page_header, styles_for
from app.printing.order_blocks import SHORT_DATE, hand_line
from app.printing.registry import DocumentSpec
from app.printing.text import escape, local_time
from app.printing.widgets import CheckBoxes, Field, Section, field_grid, gap, grid_commands

#: Pillow modes reportlab embeds as they are (others are flattened onto white)
PLAIN_MODES = frozenset({"RGB", "L"})
TITLE = "Product quality feedback card"
LABELS = 0.15
#: the tallest a photo prints, so a row of two always fits a page
PHOTO_HEIGHT = 75 * mm
#: pixels kept of a photo's longer side (about 300 dpi at the printed size)
PHOTO_PIXELS = 1200


@dataclass(frozen=True)
class FeedbackSheet:
    """Everything the card prints; built by ``app.services.feedback_papers``."""

    station: StationHeader
    number: str
    status: str  # app.domain.feedback.FeedbackStatus value
    printed_at: datetime
    product_model: str = ""
    serial_no: str = ""
    production_info: str = ""
    order_number: str = ""
    fault_phenomenon: str = ""
    faulty_part: str = ""
    cause_category: str = ""  # CauseCategory value, "" for none chosen
    use_environment: str = ""
    customer_opinion: str = ""
    created_by: str = ""
    created_at: datetime | None = None
    submitted_by: str = ""
    submitted_at: datetime | None = None
    #: the photos in the card's order: their content (read from the station's encrypted
    #: store), a file, or None for one missing or unreadable at this station (not text, so
    #: text checks leave them alone)
    photos: tuple[bytes | Path | None, ...] = ()
    tz: tzinfo | None = field(default=None, compare=False)


def cause_boxes(cause: str, paper: Paper) -> CheckBoxes:
    cell = styles_for(paper).cell
    chosen = cause_of(cause)
    order = list(CauseCategory)
    return CheckBoxes([tr(CAUSE_TEXT[c]) for c in order],
                      order.index(chosen) if chosen is not None else None,
                      cell.fontName, cell.fontSize)


def _status(value: str) -> str:
    try:
        return tr(STATUS_TEXT[FeedbackStatus(value)])
    except ValueError:
        return value


def photo_flowable(path: bytes | Path | None, width: float, height: float) -> Flowable | None:
    """The photo (its bytes or its file) upright (EXIF orientation applied), scaled to fit
    ``width`` x ``height``; None when it is missing or does not decode."""
    if path is None:
        return None
    try:
        with PILImage.open(BytesIO(path) if isinstance(path, bytes) else path) as source:
            image = ImageOps.exif_transpose(source)
            image.thumbnail((PHOTO_PIXELS, PHOTO_PIXELS))
            if image.mode not in PLAIN_MODES:
                rgba = image.convert("RGBA")
                image = PILImage.new("RGB", rgba.size, "white")
                image.paste(rgba, mask=rgba.getchannel("A"))
            data = BytesIO()
            image.save(data, "JPEG", quality=85)
            pixels = image.size
    except (OSError, ValueError, SyntaxError, PILImage.DecompressionBombError):
        return None
    data.seek(0)
    scale = min(width / pixels[0], height / pixels[1])
    return Image(data, width=pixels[0] * scale, height=pixels[1] * scale)


def photo_table(photos: tuple[bytes | Path | None, ...], paper: Paper,
                width: float) -> list[Flowable]:
    """The photos two to a row, each with its number under it."""
    if not photos:
        return []
    styles = styles_for(paper)
    column = width / 2
    cells: list[object] = []
    for n, path in enumerate(photos, start=1):
        picture = photo_flowable(path, column - 8, PHOTO_HEIGHT)
        if picture is None:
            content: list[Flowable] = [Paragraph(escape(tr(
                "Photo {n}: its file is missing or damaged at this station.", n=n)),
                styles.cell)]
        else:
            content = [picture, Paragraph(escape(tr("Photo {n}", n=n)), styles.label)]
        cells.append(content)
    rows = [cells[i:i + 2] + ([""] if len(cells[i:i + 2]) == 1 else [])
            for i in range(0, len(cells), 2)]
    table = Table(rows, colWidths=[column, column], splitByRow=1, hAlign="LEFT")
    table.setStyle(TableStyle([*grid_commands(styles), ("ALIGN", (0, 0), (-1, -1), "CENTER")]))
    return [table]


def story(sheet: FeedbackSheet, paper: Paper) -> list[Flowable]:
    styles = styles_for(paper)
    width = SPECS[paper].frame_width

    def signed() -> list[Flowable]:
        return [Spacer(1, 14 * mm), Paragraph(escape(hand_line(SHORT_DATE)), styles.cell)]

    card = [
        Section("Product information"),
        (Field("Product model", sheet.product_model), Field("Serial no.", sheet.serial_no)),
        (Field("Production date / batch", sheet.production_info),
         Field("Order no.", sheet.order_number)),
        Section("Fault and cause"),
        Field("Fault phenomenon", sheet.fault_phenomenon, wide=True, min_height=24 * mm),
        (Field("Faulty part", sheet.faulty_part),
         Field("Use environment", sheet.use_environment)),
        Field("Cause category", cause_boxes(sheet.cause_category, paper), wide=True),
        Section("Customer's opinion"),
        Field("Customer's opinion", sheet.customer_opinion, wide=True, min_height=18 * mm),
    ]
    filled = [
        (Field("Filled in by", sheet.created_by),
         Field("Filled in at", local_time(sheet.created_at, sheet.tz))),
        (Field("Submitted by", sheet.submitted_by),
         Field("Submitted at", local_time(sheet.submitted_at, sheet.tz))),
        Field("Status", _status(sheet.status), wide=True),
    ]
    signatures = [
        Section("Signatures"),
        (Field("Technician signature", signed()), Field("Station manager", signed()),
         Field("Quality department", signed())),
    ]
    out: list[Flowable] = [*field_grid(card, styles, width, LABELS)]
    if sheet.photos:
        out += [*field_grid([Section("Photos")], styles, width, LABELS),
                *photo_table(sheet.photos, paper, width)]
    out += [*field_grid(filled, styles, width, LABELS), gap(1.5),
            KeepTogether(field_grid(signatures, styles, width, 0.12))]
    return out


def render(sheet: FeedbackSheet, paper: Paper, out: str | Path | IO[bytes]) -> None:
    paper = Paper(paper)
    build_pdf(out, paper, page_header(sheet, TITLE), story(sheet, paper))


DOCUMENT = DocumentSpec(name="feedback-card", title=TITLE, subject="feedback", render=render,
                        papers=(Paper.A4,))
