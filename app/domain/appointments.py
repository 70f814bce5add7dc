"""Booking rules of a visit (预约), pure: what a window may be, when two bookings clash, when a
window misses the 24 h on-site promise, and the window as the customer reads it.

Errors (``RuleViolation``): a naive time, a window that starts before now, one that does not
end after it starts or lasts longer than ``MAX_WINDOW``. Warnings (the clerk may go on,
``AppointmentWarning``): the technician already has an overlapping booking
(``DOUBLE_BOOKED``), the window starts after the on-site promise of ``app.domain.sla``
(``AFTER_PROMISE``, only while nobody has arrived yet).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Any

from app.domain.enums import OrderStatus, ServiceMode
from app.domain.errors import RuleViolation
from app.domain.sla import ARRIVE_WITHIN

#: the longest window a customer is asked to wait in
MAX_WINDOW = timedelta(hours=8)
MAX_REASON = 200
#: an order a visit may be booked for: accepted, assigned, or waiting for parts (the
#: second visit once the parts come)
BOOKABLE = frozenset({OrderStatus.ACCEPTED, OrderStatus.ASSIGNED, OrderStatus.WAITING_PARTS})
#: the weekday as the customer's message reads it (Monday first, as ``weekday()``)
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


class AppointmentStatus(StrEnum):
    BOOKED = "booked"  # 已预约
    MOVED = "moved"  # 已改约
    CANCELLED = "cancelled"  # 已取消
    DONE = "done"  # 已上门


class ReasonParty(StrEnum):
    CUSTOMER = "customer"  # 客户原因
    STATION = "station"  # 本站原因


class WarningKind(StrEnum):
    DOUBLE_BOOKED = "double_booked"  # 该工程师此时段已有预约
    AFTER_PROMISE = "after_promise"  # 晚于 24 小时上门承诺


@dataclass(frozen=True)
class AppointmentWarning:
    """``template``/``params`` render like a ``RuleViolation`` (``app.i18n.render``)."""

    kind: WarningKind
    template: str
    params: dict[str, Any] = field(default_factory=dict)
    field: str | None = None


class WarningsPending(RuleViolation):
    """The booking has warnings the clerk did not acknowledge; nothing was stored."""

    def __init__(self, warnings: list[AppointmentWarning]) -> None:
        self.warnings = tuple(warnings)
        super().__init__("Check before booking: {warnings}", field=warnings[0].field,
                         warnings=tuple(RuleViolation(w.template, field=w.field, **w.params)
                                        for w in warnings))


def check_order(status: OrderStatus | str, service_mode: ServiceMode | str) -> None:
    """Refuses an order a visit cannot be booked for."""
    status = OrderStatus(status)
    if ServiceMode(service_mode) is not ServiceMode.ON_SITE:
        raise RuleViolation("Only an on-site order (上门) gets a visit booked.",
                            field="service_mode")
    if not status.open:
        raise RuleViolation("This order is {status}: no visit can be booked for it.",
                            field="status", status=status)
    if status not in BOOKABLE:
        raise RuleViolation("A visit is booked for an accepted or assigned order (or one "
                            "waiting for parts); this one is {status}.", field="status",
                            status=status)


def check_window(starts_at: datetime, ends_at: datetime, now: datetime) -> None:
    """Refuses a window that is naive, begins in the past (to the minute), does not end
    after it starts or is longer than ``MAX_WINDOW``."""
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise RuleViolation("Give the visit's time with its time zone.", field=name)
    if starts_at < now.replace(second=0, microsecond=0):
        raise RuleViolation("The visit window has already begun: book a time from now on.",
                            field="starts_at")
    if ends_at <= starts_at:
        raise RuleViolation("The visit window must end after it starts.", field="ends_at")
    if ends_at - starts_at > MAX_WINDOW:
        raise RuleViolation("A visit window may be at most {hours} hours long.",
                            field="ends_at", hours=int(MAX_WINDOW.total_seconds() // 3600))


def check_reason_party(party: ReasonParty | str) -> ReasonParty:
    try:
        return ReasonParty(party)
    except ValueError:
        raise RuleViolation("Say whose reason it is: the customer's or the station's.",
                            field="reason_party") from None


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Do the half-open windows [a_start, a_end) and [b_start, b_end) share a moment?"""
    return a_start < b_end and b_start < a_end


def promise_deadline(called_at: datetime) -> datetime:
    """When the technician must be on site at the latest (24 h from the call)."""
    return called_at + ARRIVE_WITHIN


def after_promise(starts_at: datetime, called_at: datetime,
                  arrived_at: datetime | None) -> bool:
    """Does the window start after the on-site promise (none once someone arrived)?"""
    return arrived_at is None and starts_at > promise_deadline(called_at)


def window_text(starts_at: datetime, ends_at: datetime, tz: tzinfo | None = None) -> str:
    """The window as the customer reads it: 周三 14:00-16:00 (local time)."""
    start = starts_at.astimezone(tz) if tz is not None else starts_at.astimezone()
    end = ends_at.astimezone(tz) if tz is not None else ends_at.astimezone()
    text = f"{WEEKDAYS[start.weekday()]} {start:%H:%M}-{end:%H:%M}"
    if end.date() != start.date():
        text = f"{WEEKDAYS[start.weekday()]} {start:%H:%M}-{WEEKDAYS[end.weekday()]} {end:%H:%M}"
    return text


def as_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)
