"""What printed documents take: plain dataclasses, built by ``app.services.reports`` from the
services' results. Printing never sees a database row or a session.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from enum import StrEnum

from app.domain.charges import Charge, total_fen
from app.domain.enums import (
    OrderSource,
    OrderStatus,
    OrderType,
    Payer,
    ServiceMode,
    WarrantyStatus,
)


class Paper(StrEnum):
    A4 = "A4"
    A5 = "A5"
    #: 80 mm receipt roll: one page as long as its content
    ROLL80 = "80MM"


#: the sheets the order papers print on
SHEET_PAPERS = (Paper.A4, Paper.A5)


@dataclass(frozen=True)
class SignatureMark:
    """The customer's signature taken on screen (a valid one: ``SignatureService.mark``),
    drawn in the repair report's 客户签字 box with the signer's name and time."""

    image_png: bytes = field(repr=False)
    signer_name: str
    signed_at: datetime


@dataclass(frozen=True)
class StationHeader:
    """The letterhead: who issues the paper."""

    name: str
    address: str = ""
    phone: str = ""
    #: optional letterhead images (PNG/JPEG bytes, checked by app.services.station_settings):
    #: the logo beside the name, the stamp in the 盖章 box of the papers that have one
    logo: bytes | None = field(default=None, repr=False, compare=False)
    stamp: bytes | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class ChargeRow(Charge):
    """A charge line as printed: the domain's charge and who pays it (厂家/客户; None on a
    paper built without an order, which then prints no payer column)."""

    payer: Payer | None = None


@dataclass(frozen=True)
class RepairNote:
    """One 维修情况登记 entry: what a technician found and did."""

    technician_name: str
    diagnosis: str
    actions: str
    labour_minutes: int = 0


@dataclass(frozen=True)
class OrderSheet:
    """Everything the order papers (repair report, work order) print about one order."""

    station: StationHeader
    number: str
    order_type: OrderType
    service_mode: ServiceMode
    status: OrderStatus
    warranty: WarrantyStatus
    customer_name: str
    contact_phone: str
    address: str
    printed_at: datetime
    other_phones: tuple[str, ...] = ()
    product_model: str = ""
    serial_no: str = ""
    purchase_date: date | None = None
    invoice_no: str = ""
    fault: str = ""
    technician_name: str = ""
    hq_reference: str = ""
    repairs: tuple[RepairNote, ...] = ()
    charges: tuple[ChargeRow, ...] = ()
    called_at: datetime | None = None
    responded_at: datetime | None = None
    arrived_at: datetime | None = None
    cleared_at: datetime | None = None
    visited_at: datetime | None = None
    closed_at: datetime | None = None
    #: 来电 / 到店 / 总部派单; None when not known (a paper built without an order)
    source: OrderSource | None = None
    #: what the maker pays under warranty (厂家索赔), the sum of the maker's lines (the report
    #: service derives it from ``charges``, never typed); the customer owes the rest
    claimed_fen: int = 0
    #: 保内/保外 and why (``app.services.payers.describe``), "" when not known
    coverage_text: str = ""
    #: 1..5 from the return visit (回访), None when not asked yet
    satisfaction: int | None = None
    #: the return visit's four scores (speed, attitude, quality, price; each 1..5), None
    #: before the visit: the paper ticks one box per aspect
    visit_scores: tuple[int, int, int, int] | None = None
    visit_comments: str = ""
    #: 收款: what the customer has paid, by method, and what is still open (the payment
    #: service's words); "" before any payment is due or taken
    payment_text: str = ""
    #: zone the times print in; None is the computer's own zone
    tz: tzinfo | None = field(default=None, compare=False)
    #: the customer's signature taken on screen, still valid; None: signed on paper
    signature: SignatureMark | None = field(default=None, compare=False)

    @property
    def total_fen(self) -> int:
        return total_fen(self.charges)

    @property
    def due_fen(self) -> int:
        """What the customer pays: the charges less what is claimed from the maker."""
        return self.total_fen - self.claimed_fen


# -- parts papers ------------------------------------------------------------------------------
@dataclass(frozen=True)
class SaleLine:
    """One line of a counter sale as printed."""

    part_no: str
    name: str
    quantity: int
    unit_price_fen: int

    @property
    def amount_fen(self) -> int:
        return self.quantity * self.unit_price_fen


@dataclass(frozen=True)
class ReceiptSheet:
    """销售小票: a counter sale of parts."""

    station: StationHeader
    number: str
    sold_at: datetime
    cashier: str
    lines: tuple[SaleLine, ...]
    printed_at: datetime
    #: already translated (现金, 微信...)
    payment_method: str = ""
    discount_fen: int = 0
    customer_name: str = ""
    customer_phone: str = ""
    voided: bool = False
    void_reason: str = ""
    tz: tzinfo | None = field(default=None, compare=False)

    @property
    def subtotal_fen(self) -> int:
        return sum(line.amount_fen for line in self.lines)

    @property
    def total_fen(self) -> int:
        return self.subtotal_fen - self.discount_fen


@dataclass(frozen=True)
class CountLine:
    """One part of a stock count: what the books say and what was counted (None: not yet)."""

    location: str
    part_no: str
    name: str
    unit: str
    book_quantity: int
    counted: int | None
    unit_cost_fen: int

    @property
    def difference(self) -> int | None:
        return None if self.counted is None else self.counted - self.book_quantity


@dataclass(frozen=True)
class CountSheet:
    """盘点表: the parts of a stock count, by shelf location."""

    station: StationHeader
    number: str
    opened_at: datetime
    opened_by: str
    lines: tuple[CountLine, ...]
    printed_at: datetime
    posted_at: datetime | None = None
    tz: tzinfo | None = field(default=None, compare=False)


@dataclass(frozen=True)
class OldPartLabel:
    """One defective old part (旧件) going back to head office, as its tag shows it."""

    tag_no: str
    part_no: str
    part_name: str
    order_no: str
    collected_at: datetime | None = None
    product_model: str = ""
    serial_no: str = ""


@dataclass(frozen=True)
class ShipmentSheet:
    """旧件返厂清单 and its tags: the old parts of one return shipment."""

    station: StationHeader
    number: str
    created_at: datetime
    created_by: str
    parts: tuple[OldPartLabel, ...]
    printed_at: datetime
    shipped_at: datetime | None = None
    carrier: str = ""
    tz: tzinfo | None = field(default=None, compare=False)
