"""What the order service takes and returns: a new order, an edit, and the order as the
screens and papers read it (its charge lines with their payer, repair records, photos,
coverage, links). Plain frozen dataclasses; ``app.services.orders`` re-exports them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from app.domain import state_machine as sm
from app.domain.charges import Charge, total_fen
from app.domain.enums import (
    OrderSource,
    OrderStatus,
    OrderType,
    Payer,
    ServiceMode,
    WarrantyStatus,
)
from app.domain.sla import Clock, Promise
from app.domain.warranty_policy import Coverage
from app.services import payers
from app.services.customers import CustomerInput, CustomerSummary, ProductInfo, ProductInput
from app.services.order_links import OrderLinks
from app.services.payments import OrderPayments


@dataclass(frozen=True)
class NewOrder:
    order_type: OrderType
    source: OrderSource
    service_mode: ServiceMode
    fault_description: str
    contact_phone: str
    customer_id: str | None = None
    customer: CustomerInput | None = None
    product_id: str | None = None
    product: ProductInput | None = None
    service_address: str = ""
    technician_id: str | None = None
    hq_reference: str = ""
    #: a complaint (投诉) names the order it is about (app.services.visits opens them)
    related_order_id: str | None = None


@dataclass(frozen=True)
class OrderEdit:
    order_type: OrderType
    service_mode: ServiceMode
    fault_description: str
    contact_phone: str
    service_address: str
    product_id: str | None
    #: the distance to the customer (on-site orders); claims use the policy's travel band
    travel_km: int | None = None




@dataclass(frozen=True)
class ChargeInfo(Charge):
    """A stored line: the charge with its row id, and the catalogue part of a line issued
    from stock (such a line changes only through ``OrderPartService``)."""

    id: str = ""
    part_id: str | None = None
    #: who pays the line, decided by ``app.services.payers`` (never typed)
    payer: Payer = Payer.CUSTOMER


@dataclass(frozen=True)
class RepairInfo:
    id: str
    technician_name: str
    diagnosis: str
    actions: str
    labour_minutes: int
    created_at: datetime
    #: voided with a reason: kept and shown struck through, never printed
    voided: bool = False
    void_reason: str = ""


@dataclass(frozen=True)
class AttachmentInfo:
    id: str
    filename: str
    path: Path
    size: int
    voided: bool = False
    void_reason: str = ""
    sha256: str = ""  # its content's name: ``OrderService.read_attachment(sha256)``


@dataclass(frozen=True)
class OrderDetail:
    id: str
    number: str
    revision: int
    order_type: OrderType
    source: OrderSource
    service_mode: ServiceMode
    status: OrderStatus
    customer: CustomerSummary
    product: ProductInfo | None
    warranty: WarrantyStatus
    contact_phone: str
    service_address: str
    fault_description: str
    technician_id: str | None
    technician_name: str
    cancel_reason: str
    hq_reference: str
    satisfaction: int | None
    called_at: datetime
    responded_at: datetime | None
    arrived_at: datetime | None
    cleared_at: datetime | None
    visited_at: datetime | None
    closed_at: datetime | None
    sla: dict[Promise, Clock]
    charges: list[ChargeInfo] = field(default_factory=list)
    repairs: list[RepairInfo] = field(default_factory=list)
    attachments: list[AttachmentInfo] = field(default_factory=list)
    actions: list[sm.Action] = field(default_factory=list)
    #: the complaint links both ways and the return visit's scores
    links: OrderLinks = field(default_factory=OrderLinks)

    #: the whole unit's warranty on the service date (None without a product)
    coverage: Coverage | None = None
    travel_km: int | None = None
    #: 收款: what the customer owes, paid and waived (app.services.payments)
    payment: OrderPayments | None = None

    @property
    def total_fen(self) -> int:
        return total_fen(self.charges)

    @property
    def customer_due_fen(self) -> int:
        """客户应付: the lines the customer pays."""
        return sum(c.amount_fen for c in self.charges if c.payer is Payer.CUSTOMER)

    @property
    def claimed_fen(self) -> int:
        """厂家索赔: the lines the maker pays under warranty."""
        return sum(c.amount_fen for c in self.charges if c.payer is Payer.MAKER)

    @property
    def coverage_text(self) -> str:
        """保内/保外 and why, in the current language."""
        return payers.describe(self.coverage,
                               self.product.purchase_date if self.product else None)
