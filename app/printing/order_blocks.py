"""The blocks every paper about one service order shares: its letterhead, the customer and
product sections, the warranty and satisfaction tick boxes, the handwritten-date line.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph

from app.domain.enums import WarrantyStatus
from app.domain.visits import ASPECT_LABELS, SCORE_MEANINGS, SCORES
from app.i18n import label, tr
from app.printing.data import OrderSheet, Paper
from app.printing.layout import styles_for
from app.printing.text import day, escape
from app.printing.widgets import CheckBoxes, Field, Section

#: the return visit's scale, 1..5, as printed under the boxes
SATISFACTION = tuple(SCORE_MEANINGS[n] for n in SCORES)
#: ballot boxes drawn by the Hanazono supplement (``glyphs``): text, so a reader of the PDF
#: (and a test) sees which box is ticked
TICKED, EMPTY = "\u2611", "\u2610"
_GAP = "\u00a0"  # no-break space: Paragraph keeps it
HAND_DATE = "        Y      M      D"
SHORT_DATE = "    Y    M    D"
HAND_TIME = "        Y      M      D      h      m"


def hand_line(template: str) -> str:
    """A fill-in line like '      年    月    日': no-break spaces, which Paragraph keeps."""
    return tr(template).replace(" ", "\u00a0")


def score_boxes(score: int | None, *, numbered: bool = True) -> str:
    """'☐1 ☐2 ☑3 ☐4 ☐5' (or '☐☐☑☐☐'): one aspect's five boxes, the recorded score ticked."""
    if not numbered:
        return "".join(TICKED if n == score else EMPTY for n in SCORES)
    return (_GAP * 2).join(f"{TICKED if n == score else EMPTY}{n}" for n in SCORES)


def warranty_box(status: WarrantyStatus) -> int | None:
    return {WarrantyStatus.IN_WARRANTY: 0, WarrantyStatus.OUT_OF_WARRANTY: 1}.get(status)


def satisfaction_boxes(sheet: OrderSheet | None, paper: Paper) -> list[Flowable]:
    """The return visit's four aspects, each with boxes 1..5 ticked from the recorded visit
    (all blank before it, to tick by hand). A4: two aspects a line, each box numbered, then
    what 1..5 mean. A half sheet has no line to spare: one line in small type, each aspect's
    boxes between the scale's ends (响应速度 1☐☐☑☐☐5), then what 5 means."""
    styles = styles_for(paper)
    scores = (sheet.visit_scores if sheet is not None else None) or (None,) * len(ASPECT_LABELS)
    aspects = [(tr(text), score) for text, score in zip(ASPECT_LABELS.values(), scores,
                                                         strict=True)]
    if paper is not Paper.A4:
        items = [f"{name}{_GAP}{SCORES[0]}{score_boxes(score, numbered=False)}{SCORES[-1]}"
                 for name, score in aspects]
        top = f"({SCORES[-1]}={tr(SATISFACTION[-1])})"
        return [Paragraph(escape((_GAP * 3).join([*items, top])), styles.small)]
    items = [f"{name}{_GAP}{score_boxes(score)}" for name, score in aspects]
    lines = [(_GAP * 6).join(items[i:i + 2]) for i in range(0, len(items), 2)]
    legend = (_GAP * 3).join(f"{n}{_GAP}{tr(SATISFACTION[n - 1])}" for n in SCORES)
    return [*(Paragraph(escape(line), styles.cell) for line in lines),
            Paragraph(escape(legend), styles.small)]


def customer_rows(sheet: OrderSheet) -> list:
    others = [p for p in sheet.other_phones if p != sheet.contact_phone]
    return [
        Section("Customer information"),
        (Field("Customer name", sheet.customer_name),
         Field("Contact phone", "、".join([sheet.contact_phone, *others]))),
        Field("Service address", sheet.address, wide=True),
    ]


def product_rows(sheet: OrderSheet, paper: Paper, beside: Field | None = None) -> list:
    """Model, serial, purchase, invoice, warranty and service; ``beside`` joins the last row."""
    cell = styles_for(paper).cell
    warranty = CheckBoxes([label(WarrantyStatus.IN_WARRANTY),
                           label(WarrantyStatus.OUT_OF_WARRANTY)],
                          warranty_box(sheet.warranty), cell.fontName, cell.fontSize)
    return [
        Section("Product information"),
        (Field("Model", sheet.product_model), Field("Serial no.", sheet.serial_no)),
        (Field("Purchase date", day(sheet.purchase_date)),
         Field("Invoice no.", sheet.invoice_no)),
        (Field("Warranty", warranty),
         Field("Service", f"{label(sheet.order_type)} / {label(sheet.service_mode)}"),
         *([beside] if beside else [])),
    ]
