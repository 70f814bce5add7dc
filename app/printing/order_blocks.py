"""The blocks every paper about one service order shares: its letterhead, the customer and
product sections, the warranty and satisfaction tick boxes, the handwritten-date line.
"""

from __future__ import annotations

from app.domain.enums import WarrantyStatus
from app.i18n import label, tr
from app.printing.data import OrderSheet, Paper
from app.printing.layout import styles_for
from app.printing.text import day
from app.printing.widgets import CheckBoxes, Field, Section

SATISFACTION = ("Very satisfied", "Satisfied", "Fair", "Dissatisfied")
HAND_DATE = "        Y      M      D"
SHORT_DATE = "    Y    M    D"
HAND_TIME = "        Y      M      D      h      m"


def hand_line(template: str) -> str:
    """A fill-in line like '      年    月    日': no-break spaces, which Paragraph keeps."""
    return tr(template).replace(" ", "\u00a0")


def satisfaction_box(score: int | None) -> int | None:
    """Which box a 1..5 return-visit score ticks: 5, 4, 3, then 1-2 as dissatisfied."""
    if score is None:
        return None
    return {5: 0, 4: 1, 3: 2}.get(score, 3)


def warranty_box(status: WarrantyStatus) -> int | None:
    return {WarrantyStatus.IN_WARRANTY: 0, WarrantyStatus.OUT_OF_WARRANTY: 1}.get(status)


def satisfaction_boxes(sheet: OrderSheet | None, paper: Paper) -> CheckBoxes:
    """The four boxes; ticked from the order's return visit when there was one."""
    cell = styles_for(paper).cell
    score = sheet.satisfaction if sheet is not None else None
    return CheckBoxes([tr(s) for s in SATISFACTION], satisfaction_box(score), cell.fontName,
                      cell.fontSize)


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
