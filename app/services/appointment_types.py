"""What ``app.services.appointments`` returns: a booking (``AppointmentInfo``) and a visit of a
day plan (``PlanVisit``, with the parts set aside for its order). Frozen, no ORM rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.domain.appointments import AppointmentStatus, ReasonParty


@dataclass(frozen=True)
class AppointmentInfo:
    id: str
    order_id: str
    technician_id: str | None
    technician_name: str
    starts_at: datetime
    ends_at: datetime
    status: AppointmentStatus
    #: the booking that replaced this one (moved)
    moved_to_id: str | None
    #: why it was moved or cancelled, and whose reason (None while booked)
    reason: str
    reason_party: ReasonParty | None
    created_at: datetime
    created_by_name: str
    #: the 24 h on-site promise of the order (from its call time)
    promise_deadline: datetime
    #: the window starts after the promise (and nobody has arrived yet)
    after_promise: bool
    #: 周三 14:00-16:00 (local time, as the customer's message reads it)
    window_text: str
    revision: int


@dataclass(frozen=True)
class PlanPart:
    """A part set aside (reserved) for the visit's order."""

    part_id: str
    part_no: str
    name: str
    quantity: int
    unit: str


@dataclass(frozen=True)
class PlanVisit:
    """One booked visit of a day plan; ``phone`` as the plan's viewer may read it."""

    appointment_id: str
    order_id: str
    order_number: str
    technician_id: str | None
    technician_name: str
    starts_at: datetime
    ends_at: datetime
    customer_name: str
    address: str
    phone: str
    fault: str
    parts: tuple[PlanPart, ...]
    promise_deadline: datetime
    after_promise: bool
    window_text: str
    revision: int
