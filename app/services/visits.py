"""Return visits (回访): the queue of completed orders waiting for their call, the unreachable
attempts, and the visit itself with its four scores, which moves the order to VISITED and
may open a complaint order (投诉) about it.

The one way an order becomes VISITED: ``record_visit`` (``OrderService.transition`` refuses
a bare VISIT). In ONE transaction it writes the ReturnVisit row, the order's VISIT move (its
``satisfaction`` becomes the lowest of the four scores, see ``app.domain.visits``), the
complaint order when asked (through ``OrderService.create_in``: its number, journal and
outbox like any order), and the audit and outbox rows (entity "return_visit", attempts
inline).

Who calls: the information desk, so clerks (信息员) and the station manager (站长).
Technicians do not, not even on a colleague's order: the visit checks the technicians' work,
and the trade puts it with the information centre (信息中心 ... 售后服务的回访). The manager
may call on an order he serviced himself: a small station may have nobody else.

A reopened order that is completed again comes back into the queue; its visit row is then
recorded afresh (the audit and the outbox keep the earlier answers).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload, selectinload

from app.domain import validation as v
from app.domain import visits as dv
from app.domain.enums import OrderSource, OrderStatus, OrderType, ServiceMode
from app.domain.errors import RuleViolation
from app.domain.permissions import Permission
from app.domain.phone_mask import Purpose
from app.services import events, notifications, phone_view
from app.services import text_input as t
from app.services.context import Actor
from app.services.errors import not_found, stale
from app.services.journal import record, row_payload
from app.services.order_warnings import Ack
from app.services.orders import NewOrder, OrderDetail, OrderService
from app.store.base import utcnow
from app.store.database import Database
from app.store.models import ReturnVisit, ServiceOrder, User, VisitAttempt

#: the outbox entity (a RECORD entity in sync/entities.py)
ENTITY = "return_visit"
#: what the change bus announces after an attempt or a visit
VISITS = "visits"
MAX_QUEUE = 1000
MAX_COMPLAINT = v.MAX_TEXT
#: why a complaint goes on despite the new-order warnings (other open orders of the same
#: serial, no address): it follows up an order, it is not a new call; kept in the audit
COMPLAINT_ACK = "回访转投诉（原工单 {number}）"


@dataclass(frozen=True)
class QueueRow:
    """A completed order waiting for its call."""

    order_id: str
    number: str
    customer_name: str
    phone: str
    product_model: str
    technician_name: str
    completed_at: datetime
    due_on: date
    overdue: bool
    attempts: int
    last_attempt_at: datetime | None
    last_attempt_note: str
    order_revision: int


@dataclass(frozen=True)
class AttemptInfo:
    attempted_at: datetime
    by: str
    note: str


@dataclass(frozen=True)
class VisitInfo:
    id: str
    order_id: str
    status: dv.VisitStatus
    scores: dv.Scores | None
    comments: str
    visited_at: datetime | None
    visited_by: str
    complaint_order_id: str | None
    attempts: tuple[AttemptInfo, ...]


@dataclass(frozen=True)
class VisitResult:
    visit: VisitInfo
    order: OrderDetail
    #: the complaint order opened with the visit, when one was
    complaint: OrderDetail | None = None


class VisitService:
    def __init__(
        self, db: Database, bus: events.ChangeBus, orders: OrderService,
        clock: Callable[[], datetime] = utcnow, *, due_days: int = dv.DUE_DAYS,
        tz: tzinfo | None = None,
    ) -> None:
        self.db = db
        self.bus = bus
        self.orders = orders
        self.clock = clock
        self.due_days = v.check_range(due_days, "due_days", "Days to call back", 0,
                                      dv.MAX_DUE_DAYS)
        self.tz = tz

    # -- reading ------------------------------------------------------------------------------
    def queue(self, today: date | None = None, limit: int = MAX_QUEUE, *,
              viewer: Actor | None = None) -> list[QueueRow]:
        """Completed orders not visited yet, the soonest due first (overdue ones lead); the
        phones in full for those who call (app.domain.phone_mask: Purpose.CALLS)."""
        with self.db.read() as s:
            orders = s.scalars(
                self._completed().order_by(ServiceOrder.cleared_at, ServiceOrder.id)
                .limit(limit)).all()
            rows = self._rows(s, orders, today)
        rows.sort(key=lambda r: (r.due_on, r.completed_at, r.number))
        return phone_view.field_rows(rows, viewer, Purpose.CALLS)

    def queue_row(self, order_id: str, today: date | None = None, *,
                  viewer: Actor | None = None) -> QueueRow:
        """The queue's row of one order (the order editor's visit dialog); refuses an order
        that is not waiting for its call."""
        t.check_key(order_id, "order_id", "Order")
        with self.db.read() as s:
            order = s.scalar(self._completed().where(ServiceOrder.id == order_id))
            if order is None:
                found = s.get(ServiceOrder, order_id)
                if found is None:
                    raise not_found("order")
                raise RuleViolation("Only a completed order is called back; this one is "
                                    "{status}.", field="status",
                                    status=OrderStatus(found.status))
            return phone_view.field_rows(self._rows(s, [order], today), viewer,
                                         Purpose.CALLS)[0]

    def _completed(self) -> Select[tuple[ServiceOrder]]:
        return (select(ServiceOrder)
                .where(ServiceOrder.status == OrderStatus.COMPLETED.value)
                .options(joinedload(ServiceOrder.customer), joinedload(ServiceOrder.product),
                         joinedload(ServiceOrder.technician)))

    def _rows(self, s: Session, orders: Sequence[ServiceOrder],
              today: date | None) -> list[QueueRow]:
        today = today or self.clock().astimezone(self.tz).date()
        visits = {
            r.order_id: r for r in s.scalars(
                select(ReturnVisit).where(ReturnVisit.order_id.in_([o.id for o in orders]))
                .options(selectinload(ReturnVisit.attempts)))
        }
        rows = []
        for o in orders:
            completed = o.cleared_at or o.updated_at
            due = dv.due_on(completed, self.tz, self.due_days)
            visit = visits.get(o.id)
            attempts = list(visit.attempts) if visit is not None else []
            last = attempts[-1] if attempts else None
            rows.append(QueueRow(
                order_id=o.id, number=o.number, customer_name=o.customer.name,
                phone=o.contact_phone, product_model=o.product.model if o.product else "",
                technician_name=o.technician.display_name if o.technician else "",
                completed_at=completed, due_on=due, overdue=dv.is_overdue(due, today),
                attempts=len(attempts),
                last_attempt_at=last.attempted_at if last else None,
                last_attempt_note=last.note if last else "", order_revision=o.revision))
        return rows

    def visit_of(self, order_id: str) -> VisitInfo | None:
        """The order's return visit (attempts and answers), None before the first call."""
        t.check_key(order_id, "order_id", "Order")
        with self.db.read() as s:
            row = s.scalar(select(ReturnVisit).where(ReturnVisit.order_id == order_id)
                           .options(selectinload(ReturnVisit.attempts)))
            return _info(s, row) if row is not None else None

    # -- writing ------------------------------------------------------------------------------
    def record_attempt(self, actor: Actor, order_id: str, note: str = "") -> VisitInfo:
        """A call that reached nobody (no answer, wrong number): its time (UTC) and a note."""
        note = t.check_length(note, "note", "Note", dv.MAX_ATTEMPT_NOTE)
        now = self.clock()
        with self.db.write() as s:
            order = self._callable_order(s, actor, order_id)
            visit = self._visit_row(s, order)
            visit.attempts.append(VisitAttempt(attempted_at=now, user_id=actor.user_id or None,
                                               note=note))
            self._journal(s, actor, visit, "attempt", now)
            info = _info(s, visit)
        self.bus.publish({VISITS, events.OUTBOX})
        return info

    def record_visit(
        self, actor: Actor, order_id: str, scores: Mapping[dv.Aspect | str, object],
        comments: str = "", *, open_complaint: bool = False, complaint_text: str = "",
        expected_revision: int | None = None,
    ) -> VisitResult:
        """The customer's answers: all four scores 1..5 (none assumed), comments, and when
        asked a complaint order about this one with ``complaint_text`` as its fault."""
        answers = _scores(scores)
        comments = t.check_length(comments, "comments", "Comments", dv.MAX_COMMENTS,
                                  multiline=True)
        complaint_text = (t.check_required(complaint_text, "complaint_text", "Complaint",
                                           MAX_COMPLAINT, multiline=True)
                          if open_complaint else "")
        now = self.clock()
        with self.db.write() as s:
            order = self._callable_order(s, actor, order_id)
            if expected_revision is not None and order.revision != expected_revision:
                raise stale("order")
            visit = self._visit_row(s, order)
            visit.status = dv.VisitStatus.DONE.value
            (visit.speed_score, visit.attitude_score, visit.quality_score,
             visit.price_score) = answers.as_tuple()
            visit.comments = comments
            visit.visited_at = now
            visit.visited_by = actor.user_id or None
            visit.complaint_order_id = None
            notifications.queue(s, actor, "visit_thanks", order, {})
            self.orders.visit_in(s, actor, order, answers.overall, now)
            complaint = None
            if open_complaint:
                complaint = self.orders.create_in(s, actor, NewOrder(
                    order_type=OrderType.COMPLAINT, source=OrderSource.PHONE,
                    service_mode=ServiceMode(order.service_mode),
                    fault_description=complaint_text, contact_phone=order.contact_phone,
                    customer_id=order.customer_id, product_id=order.product_id,
                    service_address=order.service_address, related_order_id=order.id,
                ), now, Ack(COMPLAINT_ACK.format(number=order.number)))
                visit.complaint_order_id = complaint.id
            self._journal(s, actor, visit, "visit", now)
            info = _info(s, visit)
            complaint_id = complaint.id if complaint is not None else None
        self.bus.publish({VISITS, events.ORDERS, events.OUTBOX})
        return VisitResult(
            visit=info, order=self.orders.detail(order_id, actor),
            complaint=self.orders.detail(complaint_id, actor) if complaint_id else None)

    # -- internals ------------------------------------------------------------------------------
    def _callable_order(self, s: Session, actor: Actor, order_id: str) -> ServiceOrder:
        actor.require(Permission.VISIT_RECORD)
        t.check_key(order_id, "order_id", "Order")
        order = s.get(ServiceOrder, order_id)
        if order is None:
            raise not_found("order")
        if OrderStatus(order.status) is not OrderStatus.COMPLETED:
            raise RuleViolation("Only a completed order is called back; this one is "
                                "{status}.", field="status", status=OrderStatus(order.status))
        return order

    def _visit_row(self, s: Session, order: ServiceOrder) -> ReturnVisit:
        visit = s.scalar(select(ReturnVisit).where(ReturnVisit.order_id == order.id)
                         .options(selectinload(ReturnVisit.attempts)))
        if visit is None:
            visit = ReturnVisit(order_id=order.id, status=dv.VisitStatus.PENDING.value,
                                revision=0)
            s.add(visit)
        return visit

    def _journal(self, s: Session, actor: Actor, visit: ReturnVisit, action: str,
                 now: datetime) -> None:
        base = visit.revision
        visit.revision = base + 1
        visit.updated_at = now
        s.flush()
        attempts = [row_payload(a) for a in visit.attempts]
        record(s, actor, action=action, entity=ENTITY, entity_id=visit.id,
               payload=row_payload(visit, attempts=attempts), base_revision=base,
               detail=f"{visit.status} {visit.order_id}")


def _scores(values: Mapping[dv.Aspect | str, object]) -> dv.Scores:
    if not isinstance(values, Mapping):
        raise RuleViolation("Choose a score from 1 to 5 for each of the four aspects.",
                            field="scores")
    try:
        return dv.scores_from(values)
    except dv.ScoreError as err:
        field = f"score_{err.aspect.value}"
        aspect = dv.ASPECT_LABELS[err.aspect]
        if err.missing:
            raise RuleViolation("Choose a score from 1 to 5 for {aspect}.", field=field,
                                aspect=aspect) from None
        raise RuleViolation("The score for {aspect} must be a whole number from 1 to 5.",
                            field=field, aspect=aspect) from None


def _info(s: Session, row: ReturnVisit) -> VisitInfo:
    names: dict[str | None, str] = {}

    def name(user_id: str | None) -> str:
        if user_id not in names:
            user = s.get(User, user_id) if user_id else None
            names[user_id] = user.display_name if user is not None else ""
        return names[user_id]

    scores = None
    if dv.VisitStatus(row.status) is dv.VisitStatus.DONE:
        scores = dv.Scores(int(row.speed_score or 0), int(row.attitude_score or 0),
                           int(row.quality_score or 0), int(row.price_score or 0))
    return VisitInfo(
        id=row.id, order_id=row.order_id, status=dv.VisitStatus(row.status), scores=scores,
        comments=row.comments, visited_at=row.visited_at, visited_by=name(row.visited_by),
        complaint_order_id=row.complaint_order_id,
        attempts=tuple(AttemptInfo(a.attempted_at, name(a.user_id), a.note)
                       for a in row.attempts))
