"""What an order's detail shows of the orders linked to it and of its return visit: the
original order a complaint (投诉) is about, the complaints opened about this order, and the
four scores of its return visit (回访). Read in the caller's session; no writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.domain.enums import OrderStatus
from app.store.models import ReturnVisit, ServiceOrder


@dataclass(frozen=True)
class OrderRef:
    """Another order, as a link shows it."""

    id: str
    number: str
    status: OrderStatus


@dataclass(frozen=True)
class OrderLinks:
    #: the order this one (a complaint) is about
    related_order: OrderRef | None = None
    #: the orders (complaints) opened about this one, oldest first
    complaints: tuple[OrderRef, ...] = ()
    #: speed, attitude, quality, price (1..5) of the recorded return visit; None before it
    visit_scores: tuple[int, int, int, int] | None = None
    visit_comments: str = ""
    #: unreachable calls made so far
    visit_attempts: int = 0


def links_of(s: Session, order: ServiceOrder) -> OrderLinks:
    related = None
    if order.related_order_id is not None:
        row = s.get(ServiceOrder, order.related_order_id)
        if row is not None:
            related = _ref(row)
    # almost every order has no related order, so ANALYZE sees one value (NULL) in that index
    # and the planner would scan every order, on every order's detail: name the index
    linked = s.scalars(text(
        "SELECT id FROM service_orders INDEXED BY ix_service_orders_related_order_id "
        "WHERE related_order_id = :id"), {"id": order.id}).all()
    complaints = tuple(_ref(o) for o in s.scalars(
        select(ServiceOrder).where(ServiceOrder.id.in_(linked))
        .order_by(ServiceOrder.called_at, ServiceOrder.id))) if linked else ()
    visit = s.scalar(select(ReturnVisit).where(ReturnVisit.order_id == order.id))
    scores = None
    if visit is not None and None not in (visit.speed_score, visit.attitude_score,
                                          visit.quality_score, visit.price_score):
        scores = (int(visit.speed_score), int(visit.attitude_score),  # type: ignore[arg-type]
                  int(visit.quality_score), int(visit.price_score))  # type: ignore[arg-type]
    return OrderLinks(
        related_order=related, complaints=complaints, visit_scores=scores,
        visit_comments=visit.comments if visit is not None and scores is not None else "",
        visit_attempts=len(visit.attempts) if visit is not None else 0,
    )


def _ref(o: ServiceOrder) -> OrderRef:
    return OrderRef(o.id, o.number, OrderStatus(o.status))
