"""What an operator asks head office to dispatch (from arguments or a file)."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.enums import OrderType, ServiceMode


@dataclass(frozen=True)
class DispatchInput:
    customer: str
    phone: str
    address: str
    fault: str
    order_type: str = OrderType.REPAIR.value
    service_mode: str = ServiceMode.ON_SITE.value
    model: str = ""
    serial: str = ""
    purchase_date: str = ""  # ISO date, optional
    warranty_months: int = 12
    reference: str = ""
