"""What printed documents take: plain dataclasses, built by ``app.services.reports`` from the
services' results. Printing never sees a database row or a session.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from enum import StrEnum

from app.domain.charges import Charge, total_fen
from app.domain.enums import OrderSource, OrderStatus, OrderType, ServiceMode, WarrantyStatus


class Paper(StrEnum):
    A4 = "A4"
    A5 = "A5"


@dataclass(frozen=True)
class StationHeader:
    """The letterhead: who issues the paper."""

    name: str
    address: str = ""
    phone: str = ""


#: a charge line as printed: the domain's charge
ChargeRow = Charge


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
    #: what the maker pays under warranty (厂家索赔); the customer owes the rest
    claimed_fen: int = 0
    #: 1..5 from the return visit (回访), None when not asked yet
    satisfaction: int | None = None
    #: zone the times print in; None is the computer's own zone
    tz: tzinfo | None = field(default=None, compare=False)

    @property
    def total_fen(self) -> int:
        return total_fen(self.charges)

    @property
    def due_fen(self) -> int:
        """What the customer pays: the charges less what is claimed from the maker."""
        return self.total_fen - self.claimed_fen
