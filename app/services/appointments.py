"""Visits booked with the customer (预约): book, move (改约) and cancel a time window for an
on-site order, read an order's current booking and history, and a day's plan of visits.

Rules live in ``app.domain.appointments``; the two warnings (the technician double-booked,
the window after the 24 h on-site promise) refuse with ``WarningsPending`` unless the caller
passes their kinds in ``acknowledged`` (the UI's 仍然预约); what was acknowledged is kept in
the audit entry's detail. A move never edits the booking: the old row becomes ``moved`` with
its reason and whose reason it was, and points at the new booking (``moved_to_id``).

Every write is one transaction: the rows, their audit entries and outbox rows (entity
``appointment``, ``sync/entities.py``) and the customer's notification (``_notify``); a
refused call stores nothing.

Who books: the desk, so clerks (信息员) and the station manager (站长)
(``Permission.APPOINTMENT_BOOK``). A technician does not move his own visits: the desk
keeps the calendar and talks to the customer, so a technician who will be late phones the
desk, which moves the visit (and the customer is told). Anyone reads a plan; the phones in it
are shown through ``app.services.phone_view``: a technician reads in full the phones of the
visits booked for him or of the orders assigned to him.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from app.domain import appointments as da
from app.domain.appointments import AppointmentStatus, ReasonParty, WarningKind
from app.domain.enums import OrderStatus, Role
from app.domain.errors import RuleViolation
from app.domain.permissions import Permission
from app.domain.phone_mask import Purpose, mask
from app.services import events, notifications, phone_view
from app.services import text_input as t
from app.services.appointment_types import AppointmentInfo, PlanPart, PlanVisit
from app.services.context import Actor
from app.services.errors import not_found
from app.services.journal import record, row_payload
from app.store.base import new_id, utcnow
from app.store.database import Database
from app.store.models import Part, ServiceOrder, StockReservation, User
from app.store.models.field_work import Appointment

#: the outbox entity (a RECORD entity in sync/entities.py)
ENTITY = "appointment"
#: what the change bus announces after a booking, a move or a cancel
APPOINTMENTS = "appointments"
MAX_PLAN = 500


class AppointmentService:
    def __init__(self, db: Database, bus: events.ChangeBus,
                 clock: Callable[[], datetime] = utcnow, tz: tzinfo | None = None) -> None:
        self.db = db
        self.bus = bus
        self.clock = clock
        self.tz = tz

    # -- reading ------------------------------------------------------------------------------
    def current(self, order_id: str) -> AppointmentInfo | None:
        """The order's booked visit, None when there is none."""
        t.check_key(order_id, "order_id", "Order")
        with self.db.read() as s:
            row = s.scalar(select(Appointment).where(
                Appointment.order_id == order_id,
                Appointment.status == AppointmentStatus.BOOKED.value)
                .order_by(Appointment.created_at.desc()).limit(1))
            return self._info(s, row) if row is not None else None

    def history(self, order_id: str) -> list[AppointmentInfo]:
        """Every booking of the order, the first first (moved and cancelled ones kept)."""
        t.check_key(order_id, "order_id", "Order")
        with self.db.read() as s:
            rows = s.scalars(select(Appointment).where(Appointment.order_id == order_id)
                             .order_by(Appointment.created_at, Appointment.starts_at)).all()
            return [self._info(s, r) for r in _in_booking_order(rows)]

    def get(self, appointment_id: str) -> AppointmentInfo:
        t.check_key(appointment_id, "appointment_id", "Appointment")
        with self.db.read() as s:
            row = s.get(Appointment, appointment_id)
            if row is None:
                raise not_found("appointment")
            return self._info(s, row)

    def promise_deadline(self, order_id: str) -> datetime:
        """The order's 24 h on-site promise (from its call time), for the booking form."""
        t.check_key(order_id, "order_id", "Order")
        with self.db.read() as s:
            order = s.get(ServiceOrder, order_id)
            if order is None:
                raise not_found("order")
            return da.promise_deadline(order.called_at)

    def technicians(self) -> list[tuple[str, str]]:
        """(id, name) of the active users a visit may be booked for, by name."""
        with self.db.read() as s:
            return [(u.id, u.display_name) for u in s.scalars(
                select(User).where(User.active.is_(True),
                                   User.role.in_((Role.TECHNICIAN.value, Role.MANAGER.value)))
                .order_by(User.display_name))]

    def day_plan(self, actor: Actor, day: date,
                 technician_id: str | None = None) -> list[PlanVisit]:
        """The booked visits of the local ``day`` in time order (of one technician when
        given), with address, phone (as ``actor`` may read it), fault and reserved parts."""
        t.check_key(technician_id, "technician_id", "Technician")
        start = self._local_midnight(day)
        end = self._local_midnight(day + timedelta(days=1))
        with self.db.read() as s:
            query = (select(Appointment).where(
                Appointment.status == AppointmentStatus.BOOKED.value,
                Appointment.starts_at >= start, Appointment.starts_at < end)
                .order_by(Appointment.starts_at, Appointment.ends_at, Appointment.id)
                .limit(MAX_PLAN))
            if technician_id is not None:
                query = query.where(Appointment.technician_id == technician_id)
            rows = s.scalars(query).all()
            orders = {o.id: o for o in s.scalars(
                select(ServiceOrder).where(ServiceOrder.id.in_({r.order_id for r in rows}))
                .options(joinedload(ServiceOrder.customer)))}
            parts = _reserved(s, orders)
            names = _names(s, {r.technician_id for r in rows})
            visits = []
            for r in rows:
                o = orders[r.order_id]
                deadline = da.promise_deadline(o.called_at)
                visits.append(PlanVisit(
                    appointment_id=r.id, order_id=o.id, order_number=o.number,
                    technician_id=r.technician_id, technician_name=names.get(r.technician_id, ""),
                    starts_at=r.starts_at, ends_at=r.ends_at, customer_name=o.customer.name,
                    address=(o.service_address or o.customer.address or "").strip(),
                    phone=_phone(actor, o, r), fault=o.fault_description,
                    parts=tuple(parts.get(o.id, ())), promise_deadline=deadline,
                    after_promise=da.after_promise(r.starts_at, o.called_at, o.arrived_at),
                    window_text=da.window_text(r.starts_at, r.ends_at, self.tz),
                    revision=r.revision))
        return visits

    # -- writing ------------------------------------------------------------------------------
    def book(self, actor: Actor, order_id: str, technician_id: str | None,
             starts_at: datetime, ends_at: datetime,
             acknowledged: frozenset[str] = frozenset()) -> AppointmentInfo:
        """Books a window for an on-site order that has no booked visit yet."""
        actor.require(Permission.APPOINTMENT_BOOK)
        t.check_key(order_id, "order_id", "Order")
        t.check_key(technician_id, "technician_id", "Technician")
        now = self.clock()
        da.check_window(starts_at, ends_at, now)
        with self.db.write() as s:
            order = self._bookable_order(s, order_id)
            if self._booked_of(s, order.id) is not None:
                raise RuleViolation("This order already has a booked visit: move it instead.",
                                    field="appointment")
            self._check_technician(s, technician_id)
            acked = self._check_warnings(s, order, technician_id, starts_at, ends_at,
                                         acknowledged, exclude=None)
            row = self._new_row(s, actor, order, technician_id, starts_at, ends_at, now)
            self._journal(s, actor, row, "book", now, acked)
            self._notify(s, actor, "booked", order, row)
            info = self._info(s, row)
        self.bus.publish({APPOINTMENTS, events.OUTBOX})
        return info

    def move(self, actor: Actor, appointment_id: str, technician_id: str | None,
             starts_at: datetime, ends_at: datetime, reason: str, reason_party: str,
             acknowledged: frozenset[str] = frozenset()) -> AppointmentInfo:
        """Moves a booked visit to another window or technician: the old booking is kept as
        ``moved`` with the reason, a new booking replaces it (returned)."""
        actor.require(Permission.APPOINTMENT_BOOK)
        t.check_key(appointment_id, "appointment_id", "Appointment")
        t.check_key(technician_id, "technician_id", "Technician")
        reason = t.check_required(reason, "reason", "Reason for moving", da.MAX_REASON)
        party = da.check_reason_party(reason_party)
        now = self.clock()
        da.check_window(starts_at, ends_at, now)
        with self.db.write() as s:
            old = self._booked_row(s, appointment_id)
            order = self._bookable_order(s, old.order_id)
            self._check_technician(s, technician_id)
            acked = self._check_warnings(s, order, technician_id, starts_at, ends_at,
                                         acknowledged, exclude=old.id)
            row = self._new_row(s, actor, order, technician_id, starts_at, ends_at, now)
            old.status = AppointmentStatus.MOVED.value
            old.moved_to_id = row.id
            old.reason, old.reason_party = reason, party.value
            self._journal(s, actor, old, "move", now, frozenset())
            self._journal(s, actor, row, "book", now, acked)
            self._notify(s, actor, "moved", order, row)
            info = self._info(s, row)
        self.bus.publish({APPOINTMENTS, events.OUTBOX})
        return info

    def cancel(self, actor: Actor, appointment_id: str, reason: str,
               reason_party: str) -> None:
        """Cancels a booked visit (kept as ``cancelled`` with the reason)."""
        actor.require(Permission.APPOINTMENT_BOOK)
        t.check_key(appointment_id, "appointment_id", "Appointment")
        reason = t.check_required(reason, "reason", "Reason for cancelling", da.MAX_REASON)
        party = da.check_reason_party(reason_party)
        now = self.clock()
        with self.db.write() as s:
            row = self._booked_row(s, appointment_id)
            row.status = AppointmentStatus.CANCELLED.value
            row.reason, row.reason_party = reason, party.value
            self._journal(s, actor, row, "cancel", now, frozenset())
        self.bus.publish({APPOINTMENTS, events.OUTBOX})

    # -- internals ------------------------------------------------------------------------------
    def _local_midnight(self, day: date) -> datetime:
        local = datetime.combine(day, time())
        aware = local.replace(tzinfo=self.tz) if self.tz is not None else local.astimezone()
        return aware.astimezone(UTC)

    def _bookable_order(self, s: Session, order_id: str) -> ServiceOrder:
        order = s.get(ServiceOrder, order_id)
        if order is None:
            raise not_found("order")
        da.check_order(OrderStatus(order.status), order.service_mode)
        return order

    def _booked_of(self, s: Session, order_id: str) -> Appointment | None:
        return s.scalar(select(Appointment).where(
            Appointment.order_id == order_id,
            Appointment.status == AppointmentStatus.BOOKED.value).limit(1))

    def _booked_row(self, s: Session, appointment_id: str) -> Appointment:
        row = s.get(Appointment, appointment_id)
        if row is None:
            raise not_found("appointment")
        if row.status != AppointmentStatus.BOOKED.value:
            raise RuleViolation("This visit is {status} already; only a booked visit can be "
                                "moved or cancelled.", field="appointment",
                                status=AppointmentStatus(row.status))
        return row

    def _check_technician(self, s: Session, technician_id: str | None) -> None:
        if technician_id is None:
            return
        user = s.get(User, technician_id)
        if user is None or not user.active or user.role not in (Role.TECHNICIAN, Role.MANAGER):
            raise RuleViolation("A visit can only be booked for an active technician.",
                                field="technician_id")

    def _check_warnings(self, s: Session, order: ServiceOrder, technician_id: str | None,
                        starts_at: datetime, ends_at: datetime, acknowledged: Iterable[str],
                        exclude: str | None) -> frozenset[WarningKind]:
        found: list[da.AppointmentWarning] = []
        if technician_id is not None:
            query = select(Appointment).where(
                Appointment.technician_id == technician_id,
                Appointment.status == AppointmentStatus.BOOKED.value,
                Appointment.starts_at < ends_at, Appointment.ends_at > starts_at)
            if exclude is not None:
                query = query.where(Appointment.id != exclude)
            clashes = s.scalars(query.order_by(Appointment.starts_at)).all()
            if clashes:
                numbers = tuple(sorted({n for n in s.scalars(select(ServiceOrder.number).where(
                    ServiceOrder.id.in_({c.order_id for c in clashes})))}))
                name = _names(s, {technician_id}).get(technician_id, "")
                found.append(da.AppointmentWarning(
                    WarningKind.DOUBLE_BOOKED,
                    "{technician} already has a visit booked at this time: {orders}.",
                    {"technician": name, "orders": numbers}, field="technician_id"))
        if da.after_promise(starts_at, order.called_at, order.arrived_at):
            deadline = da.promise_deadline(order.called_at)
            local = deadline.astimezone(self.tz) if self.tz else deadline.astimezone()
            found.append(da.AppointmentWarning(
                WarningKind.AFTER_PROMISE,
                "The visit starts after the 24-hour on-site promise ({deadline}).",
                {"deadline": f"{local:%Y-%m-%d %H:%M}"}, field="starts_at"))
        acked = {str(k) for k in acknowledged}
        pending = [w for w in found if w.kind.value not in acked]
        if pending:
            raise da.WarningsPending(pending)
        return frozenset(w.kind for w in found)

    def _new_row(self, s: Session, actor: Actor, order: ServiceOrder,
                 technician_id: str | None, starts_at: datetime, ends_at: datetime,
                 now: datetime) -> Appointment:
        row = Appointment(id=new_id(), order_id=order.id, technician_id=technician_id,
                          starts_at=da.as_utc(starts_at), ends_at=da.as_utc(ends_at),
                          status=AppointmentStatus.BOOKED.value, revision=0,
                          created_by=actor.user_id or None, created_at=now)
        s.add(row)
        return row

    def _journal(self, s: Session, actor: Actor, row: Appointment, action: str,
                 now: datetime, acknowledged: frozenset[WarningKind]) -> None:
        _journal(s, actor, row, action, now, acknowledged)

    def _notify(self, s: Session, actor: Actor, event: str, order: ServiceOrder,
                row: Appointment) -> None:
        """The customer's message of the booking ("booked" / "moved"), queued in this
        transaction (``app.services.notifications``)."""
        name = _names(s, {row.technician_id}).get(row.technician_id, "")
        notifications.queue(s, actor, event, order, {
            "window": da.window_text(row.starts_at, row.ends_at, self.tz),
            "technician": name})

    def _info(self, s: Session, row: Appointment) -> AppointmentInfo:
        order = s.get(ServiceOrder, row.order_id)
        assert order is not None
        names = _names(s, {row.technician_id, row.created_by})
        return AppointmentInfo(
            id=row.id, order_id=row.order_id, technician_id=row.technician_id,
            technician_name=names.get(row.technician_id, ""), starts_at=row.starts_at,
            ends_at=row.ends_at, status=AppointmentStatus(row.status),
            moved_to_id=row.moved_to_id, reason=row.reason,
            reason_party=ReasonParty(row.reason_party) if row.reason_party else None,
            created_at=row.created_at, created_by_name=names.get(row.created_by, ""),
            promise_deadline=da.promise_deadline(order.called_at),
            after_promise=da.after_promise(row.starts_at, order.called_at, order.arrived_at),
            window_text=da.window_text(row.starts_at, row.ends_at, self.tz),
            revision=row.revision)


def _journal(s: Session, actor: Actor, row: Appointment, action: str, now: datetime,
             acknowledged: frozenset[WarningKind] = frozenset()) -> None:
    base = row.revision
    row.revision = base + 1
    row.updated_at = now
    s.flush()
    ack = f" acknowledged: {', '.join(sorted(acknowledged))}" if acknowledged else ""
    record(s, actor, action=f"appointment_{action}", entity=ENTITY, entity_id=row.id,
           payload=row_payload(row), base_revision=base,
           detail=f"{row.status} {row.order_id} {row.starts_at.isoformat()}"
                  f"/{row.ends_at.isoformat()}{ack}")


def follow_order(s: Session, actor: Actor, order: ServiceOrder, *, arrived: bool,
                 now: datetime) -> None:
    """The order's booked visit follows the order, in the order's own transaction: ``done``
    when the technician starts on site (上门), ``cancelled`` with the order (本站原因, the
    order's cancel reason), so the day plan never shows a visit that is over."""
    row = s.scalar(select(Appointment).where(
        Appointment.order_id == order.id,
        Appointment.status == AppointmentStatus.BOOKED.value))
    if row is None:
        return
    if arrived:
        row.status = AppointmentStatus.DONE.value
        _journal(s, actor, row, "done", now)
    else:
        row.status = AppointmentStatus.CANCELLED.value
        row.reason = (order.cancel_reason or "")[:200]
        row.reason_party = ReasonParty.STATION.value
        _journal(s, actor, row, "cancel", now)


def _in_booking_order(rows: Iterable[Appointment]) -> list[Appointment]:
    """Oldest first; a booking that replaced another comes after it (same clock time too)."""
    rows = list(rows)
    before = {r.moved_to_id: r.id for r in rows if r.moved_to_id}
    depth: dict[str, int] = {}
    for r in rows:
        n, at = 0, r.id
        while at in before and n <= len(rows):
            n, at = n + 1, before[at]
        depth[r.id] = n
    return sorted(rows, key=lambda r: (r.created_at, depth[r.id]))


def _names(s: Session, ids: Iterable[str | None]) -> dict[str | None, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return {u.id: u.display_name for u in s.scalars(select(User).where(User.id.in_(wanted)))}


def _reserved(s: Session, orders: dict[str, ServiceOrder]) -> dict[str, list[PlanPart]]:
    out: dict[str, list[PlanPart]] = {}
    if not orders:
        return out
    rows = s.execute(
        select(StockReservation.order_id, Part.id, Part.part_no, Part.name, Part.unit,
               StockReservation.quantity)
        .join(Part, Part.id == StockReservation.part_id)
        .where(StockReservation.order_id.in_(orders), StockReservation.released_at.is_(None))
        .order_by(Part.part_no))
    for order_id, part_id, part_no, name, unit, quantity in rows:
        out.setdefault(order_id, []).append(PlanPart(part_id, part_no, name, quantity, unit))
    return out


def _phone(viewer: Actor, order: ServiceOrder, row: Appointment) -> str:
    own = bool(viewer.user_id) and viewer.user_id in (order.technician_id, row.technician_id)
    if phone_view.full_for(viewer, Purpose.ORDER, own=own):
        return order.contact_phone
    return mask(order.contact_phone)
