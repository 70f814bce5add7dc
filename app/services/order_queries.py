"""Finding orders fast: one search box (order number, phone, customer name, serial) plus
filters, read a page at a time with a keyset cursor so a million orders stay quick.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import aliased

from app.domain import validation as v
from app.domain.enums import OrderStatus
from app.domain.sla import ARRIVE_WITHIN, CLEAR_WITHIN, RESPOND_WITHIN
from app.store.models import Customer, CustomerPhone, Product, ServiceOrder, User

PAGE_SIZE = 100
CLOSED_STATES = (OrderStatus.CLOSED.value, OrderStatus.CANCELLED.value)


@dataclass(frozen=True)
class OrderFilter:
    text: str = ""
    status: OrderStatus | None = None
    order_type: str | None = None
    technician_id: str | None = None
    overdue_only: bool = False
    customer_id: str | None = None


@dataclass(frozen=True)
class OrderRow:
    id: str
    number: str
    order_type: str
    source: str
    service_mode: str
    status: str
    customer_id: str
    customer_name: str
    contact_phone: str
    product_model: str
    serial_no: str
    technician_name: str
    called_at: datetime
    responded_at: datetime | None
    arrived_at: datetime | None
    cleared_at: datetime | None


#: where the next page starts: the last row's (called_at, id)
Cursor = tuple[datetime, str]


def _text_condition(text: str):
    query = v.clean_text(text)
    if not query:
        return None
    upper = query.upper()
    options = []
    if upper.startswith("SO-") or upper.startswith("SO"):
        options.append(and_(ServiceOrder.number >= upper, ServiceOrder.number < upper + "\x7f"))
    compact = query.replace("-", "").replace(" ", "")
    if compact.isdigit() and len(compact) >= 3:
        digits = v.phone_digits(query)
        phone_customers = select(CustomerPhone.customer_id).where(
            CustomerPhone.digits >= digits, CustomerPhone.digits < digits + ":"
        )
        options.append(ServiceOrder.customer_id.in_(phone_customers))
        options.append(
            and_(ServiceOrder.contact_digits >= digits, ServiceOrder.contact_digits < digits + ":")
        )
    options.append(
        ServiceOrder.product_id.in_(select(Product.id).where(Product.serial_no == upper))
    )
    if not compact.isdigit() and not upper.startswith("SO-"):
        options.append(
            ServiceOrder.customer_id.in_(
                select(Customer.id).where(
                    Customer.name >= query, Customer.name < query + "\U0010ffff"
                )
            )
        )
    return or_(*options)


def overdue_condition(now: datetime):
    """Open orders whose response, arrival or clearing promise is running late now."""
    return and_(
        ServiceOrder.status.not_in(CLOSED_STATES),
        or_(
            and_(ServiceOrder.responded_at.is_(None), ServiceOrder.called_at < now - RESPOND_WITHIN),
            and_(ServiceOrder.arrived_at.is_(None), ServiceOrder.called_at < now - ARRIVE_WITHIN),
            and_(
                ServiceOrder.cleared_at.is_(None),
                ServiceOrder.arrived_at.is_not(None),
                ServiceOrder.arrived_at < now - CLEAR_WITHIN,
            ),
        ),
    )


def order_page_query(
    flt: OrderFilter, now: datetime, after: Cursor | None = None, limit: int = PAGE_SIZE
) -> Select:
    technician = aliased(User)
    stmt = (
        select(
            ServiceOrder.id, ServiceOrder.number, ServiceOrder.order_type, ServiceOrder.source,
            ServiceOrder.service_mode, ServiceOrder.status, ServiceOrder.customer_id,
            Customer.name, ServiceOrder.contact_phone, Product.model, Product.serial_no,
            technician.display_name, ServiceOrder.called_at, ServiceOrder.responded_at,
            ServiceOrder.arrived_at, ServiceOrder.cleared_at,
        )
        .join(Customer, Customer.id == ServiceOrder.customer_id)
        .outerjoin(Product, Product.id == ServiceOrder.product_id)
        .outerjoin(technician, technician.id == ServiceOrder.technician_id)
    )
    conditions = []
    text = _text_condition(flt.text)
    if text is not None:
        conditions.append(text)
    if flt.status is not None:
        conditions.append(ServiceOrder.status == flt.status.value)
    if flt.order_type:
        conditions.append(ServiceOrder.order_type == flt.order_type)
    if flt.technician_id:
        conditions.append(ServiceOrder.technician_id == flt.technician_id)
    if flt.customer_id:
        conditions.append(ServiceOrder.customer_id == flt.customer_id)
    if flt.overdue_only:
        conditions.append(overdue_condition(now))
    if after is not None:
        called, order_id = after
        conditions.append(
            or_(
                ServiceOrder.called_at < called,
                and_(ServiceOrder.called_at == called, ServiceOrder.id < order_id),
            )
        )
    if conditions:
        stmt = stmt.where(and_(*conditions))
    return stmt.order_by(ServiceOrder.called_at.desc(), ServiceOrder.id.desc()).limit(limit)


def to_row(r) -> OrderRow:
    return OrderRow(
        r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9] or "", r[10] or "",
        r[11] or "", r[12], r[13], r[14], r[15],
    )
