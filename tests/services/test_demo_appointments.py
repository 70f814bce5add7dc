"""The demo's bookings: open on-site orders have their visit booked from the demo's now on,
over several technicians, a few moved with a reason; the day plans are in time order."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.domain.appointments import AppointmentStatus
from app.services.context import SYSTEM
from app.store.models.field_work import Appointment


def test_the_demo_books_visits_over_several_technicians(demo_station) -> None:
    with demo_station.db.read() as s:
        rows = list(s.scalars(select(Appointment)))
    booked = [r for r in rows if r.status == AppointmentStatus.BOOKED.value]
    assert booked and len({r.technician_id for r in booked}) >= 2
    assert all(r.reason and r.moved_to_id for r in rows
               if r.status == AppointmentStatus.MOVED.value)
    days = sorted({r.starts_at.astimezone().date() for r in booked})
    for day in days[:2]:
        plan = demo_station.appointments.day_plan(SYSTEM, day)
        assert plan == sorted(plan, key=lambda v: (v.starts_at, v.ends_at, v.appointment_id))
        assert all(v.ends_at - v.starts_at == timedelta(hours=2) for v in plan)
