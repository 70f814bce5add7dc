"""个人信息 — everything a station holds about one customer, for the customer who asked for it
(PIPL): the customer file, the products, then each order (type, status, dates, product,
contact, fault, repairs, charges, payments, return visit, feedback cards, photos count) and
the counter sales. Any text the services accept flows onto the next page. A4.

Built by ``app.services.customer_export`` into the export's .zip beside ``data.json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import IO

from reportlab.platypus import Flowable, KeepTogether

from app.i18n import tr
from app.printing.data import Paper, StationHeader
from app.printing.layout import SPECS, build_pdf, page_header, styles_for
from app.printing.registry import DocumentSpec
from app.printing.text import local_time, yuan
from app.printing.widgets import Field, Section, field_grid, gap, list_table, para

TITLE = "Personal data held about a customer"
LABELS = 0.16


@dataclass(frozen=True)
class ProductLine:
    model: str
    serial_no: str = ""
    purchase_date: str = ""
    invoice_no: str = ""


@dataclass(frozen=True)
class ChargeLine:
    description: str
    quantity: int
    amount_fen: int
    payer: str = ""


@dataclass(frozen=True)
class OrderRecord:
    number: str
    order_type: str = ""  # shown as given (the service passes the translated label)
    status: str = ""
    called_at: datetime | None = None
    closed_at: datetime | None = None
    product: str = ""
    contact_phone: str = ""
    service_address: str = ""
    fault: str = ""
    technician: str = ""
    repairs: tuple[str, ...] = ()
    charges: tuple[ChargeLine, ...] = ()
    payments: tuple[str, ...] = ()
    visit: str = ""
    feedback: tuple[str, ...] = ()
    photos: int = 0


@dataclass(frozen=True)
class SaleRecord:
    number: str
    sold_at: datetime | None
    total_fen: int
    customer_name: str = ""
    customer_phone: str = ""


@dataclass(frozen=True)
class PersonalDataSheet:
    station: StationHeader
    #: the customer file's id: the sheet's number in the letterhead
    number: str
    printed_at: datetime
    name: str
    phones: tuple[str, ...] = ()
    address: str = ""
    notes: str = ""
    created_at: datetime | None = None
    erased_at: datetime | None = None
    products: tuple[ProductLine, ...] = ()
    orders: tuple[OrderRecord, ...] = ()
    sales: tuple[SaleRecord, ...] = ()
    tz: tzinfo | None = field(default=None, compare=False)


def _order(o: OrderRecord, sheet: PersonalDataSheet, paper: Paper) -> list[Flowable]:
    styles = styles_for(paper)
    width = SPECS[paper].frame_width
    rows: list[Section | Field | tuple[Field, ...]] = [
        Section(tr("Order {number}", number=o.number)),
        (Field("Order type", o.order_type), Field("Status", o.status)),
        (Field("Called at", local_time(o.called_at, sheet.tz)),
         Field("Closed at", local_time(o.closed_at, sheet.tz))),
        (Field("Product", o.product), Field("Technician", o.technician)),
        (Field("Contact phone", o.contact_phone), Field("Photos", str(o.photos))),
        Field("Service address", o.service_address, wide=True),
        Field("Fault description", o.fault, wide=True),
    ]
    rows += [Field("Repair", text, wide=True) for text in o.repairs]
    rows += [Field("Payment", text, wide=True) for text in o.payments]
    if o.visit:
        rows.append(Field("Return visit", o.visit, wide=True))
    rows += [Field("Feedback card", text, wide=True) for text in o.feedback]
    out: list[Flowable] = [*field_grid(rows, styles, width, LABELS)]
    if o.charges:
        out.append(list_table(
            ("Charge", "Qty", "Amount (¥)", "Payer"),
            [[c.description, str(c.quantity), yuan(c.amount_fen), c.payer] for c in o.charges],
            (0.52, 0.1, 0.18, 0.2), styles, width, numbers=(1, 2)))
    return [*out, gap(2)]


def story(sheet: PersonalDataSheet, paper: Paper) -> list[Flowable]:
    styles = styles_for(paper)
    width = SPECS[paper].frame_width
    facts: list[Section | Field | tuple[Field, ...]] = [
        Section("Customer file"),
        (Field("Customer", sheet.name), Field("Phones", "\n".join(sheet.phones))),
        Field("Address", sheet.address, wide=True),
        Field("Notes", sheet.notes, wide=True),
        (Field("Created at", local_time(sheet.created_at, sheet.tz)),
         Field("Erased at", local_time(sheet.erased_at, sheet.tz))),
    ]
    out: list[Flowable] = [
        para(tr("This paper lists the personal data the station holds about the customer "
                "below, with every order, product and payment; data.json beside it holds "
                "the same in machine-readable form, and photos/ the photos."), styles.small),
        gap(1.5), *field_grid(facts, styles, width, LABELS), gap(2)]
    if sheet.products:
        out += [*field_grid([Section("Products")], styles, width, LABELS), list_table(
            ("Product model", "Serial no.", "Purchase date", "Invoice no."),
            [[p.model, p.serial_no, p.purchase_date, p.invoice_no] for p in sheet.products],
            (0.3, 0.3, 0.15, 0.25), styles, width), gap(2)]
    if not sheet.orders:
        out.append(para(tr("No orders."), styles.cell))
    for order in sheet.orders:
        out += _order(order, sheet, paper)
    if sheet.sales:
        out += [KeepTogether(field_grid([Section("Counter sales")], styles, width, LABELS)),
                list_table(("Sale no.", "Sold at", "Customer", "Contact phone", "Amount (¥)"),
                           [[x.number, local_time(x.sold_at, sheet.tz),
                             x.customer_name, x.customer_phone, yuan(x.total_fen)]
                            for x in sheet.sales],
                           (0.28, 0.16, 0.2, 0.18, 0.18), styles, width, numbers=(4,))]
    return out


def render(sheet: PersonalDataSheet, paper: Paper, out: str | Path | IO[bytes]) -> None:
    paper = Paper(paper)
    build_pdf(out, paper, page_header(sheet, TITLE), story(sheet, paper))


DOCUMENT = DocumentSpec(name="personal-data", title=TITLE, subject="customer", render=render,
                        papers=(Paper.A4,))
