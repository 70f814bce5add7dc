"""The demo's visits booked with the customers (预约): every open on-site order waiting for its
visit (accepted, assigned, waiting for parts) gets a two-hour window from the demo's "now" on,
today and the next days, spread over the field technicians (two more are hired for the plan,
so the 派工看板 has several columns); a few are moved afterwards with the customer's or the
station's reason, so an order's booking history and the 改约 notifications show. Through
``AppointmentService`` like daily use; the 24 h promise warning is acknowledged, as a desk
that cannot come sooner does.
"""

from __future__ import annotations

import random
import secrets
from datetime import datetime, time, timedelta

from sqlalchemy import select

from app.domain.appointments import BOOKABLE, WarningKind
from app.domain.enums import Role, ServiceMode
from app.services.context import Actor
from app.store.models import ServiceOrder, User

#: the local hours a window starts at (two hours each)
SLOTS = (9, 11, 14, 16)
DAYS = 4
EXTRA_TECHNICIANS = (("zhaoshifu", "赵师傅"), ("liushifu", "刘师傅"))
MOVE_REASONS = (("customer", "客户临时有事，改到下一个时段"), ("station", "前一单耗时较长，顺延"),
                ("customer", "客户要求改到下午"))
ACK = frozenset({WarningKind.AFTER_PROMISE.value})


def generate(services, clock, *, boss: Actor, clerk: Actor, end: datetime,
             seed: int = 0) -> int:
    """Books the waiting on-site orders; returns how many bookings were made."""
    from app.services.users import NewUser

    rng = random.Random(seed * 31 + 16)
    clock.now = end
    for username, name in EXTRA_TECHNICIANS:
        services.users.create_user(boss, NewUser(username, name, Role.TECHNICIAN,
                                                 secrets.token_urlsafe(9)))
    with services.db.read() as s:
        technicians = list(s.scalars(select(User.id).where(
            User.role == Role.TECHNICIAN.value, User.active.is_(True)).order_by(User.username)))
        waiting = list(s.execute(select(ServiceOrder.id, ServiceOrder.technician_id).where(
            ServiceOrder.service_mode == ServiceMode.ON_SITE.value,
            ServiceOrder.status.in_([st.value for st in BOOKABLE]))
            .order_by(ServiceOrder.called_at, ServiceOrder.id)))
    free = _free_slots(end)
    taken: dict[str, set[datetime]] = {t: set() for t in technicians}
    booked = 0
    for n, (order_id, assigned) in enumerate(waiting):
        tech = assigned if assigned in taken else technicians[n % len(technicians)]
        start = next((slot for slot in free if slot not in taken[tech]), None)
        if start is None:
            continue
        taken[tech].add(start)
        info = services.appointments.book(clerk, order_id, tech, start,
                                          start + timedelta(hours=2), ACK)
        booked += 1
        if rng.random() < 0.15:
            later = next((slot for slot in free if slot > start and slot not in taken[tech]),
                         None)
            if later is not None:
                taken[tech].discard(start)
                taken[tech].add(later)
                party, reason = rng.choice(MOVE_REASONS)
                services.appointments.move(clerk, info.id, tech, later,
                                           later + timedelta(hours=2), reason, party, ACK)
    return booked


def _free_slots(end: datetime) -> list[datetime]:
    """The window starts from ``end`` on: today's remaining slots and the next days'."""
    today = end.astimezone().date()
    slots = [datetime.combine(today + timedelta(days=d), time(h)).astimezone()
             for d in range(DAYS) for h in SLOTS]
    return [s for s in slots if s > end]
