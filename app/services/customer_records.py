"""Everything the station holds about one customer, as rows of one session: the file, phones,
products, orders with their charge lines, repair records, photos, payments, return visits and
the feedback cards that cite them, and the counter sales sold to him. The export
(``customer_export``) reads them; the erasure (``customer_privacy``) scrubs them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from app.domain.erasure import secrets_of
from app.services.errors import not_found
from app.store.models import (
    ClaimLine,
    Customer,
    CustomerErasure,
    FeedbackCard,
    OrderPayment,
    Product,
    ReturnVisit,
    Sale,
    ServiceOrder,
)


@dataclass
class CustomerRecords:
    customer: Customer
    products: list[Product] = field(default_factory=list)
    orders: list[ServiceOrder] = field(default_factory=list)
    payments: list[OrderPayment] = field(default_factory=list)
    visits: list[ReturnVisit] = field(default_factory=list)
    cards: list[FeedbackCard] = field(default_factory=list)
    sales: list[Sale] = field(default_factory=list)
    erasures: list[CustomerErasure] = field(default_factory=list)

    def ids(self) -> set[str]:
        """The id of every row above and of their inline children (audit and outbox name
        rows by these)."""
        out = {self.customer.id}
        for group in (self.products, self.orders, self.payments, self.visits, self.cards,
                      self.sales, self.erasures):
            out.update(r.id for r in group)
        for o in self.orders:
            out.update(r.id for r in o.repair_records)
            out.update(a.id for a in o.attachments)
        for v in self.visits:
            out.update(a.id for a in v.attempts)
        return out

    def secrets(self) -> list[str]:
        """The person's own values, wherever the station copied them."""
        c = self.customer
        values: list[object] = [c.name, c.address, c.notes, [p.number for p in c.phones],
                                [p.digits for p in c.phones], c.email]
        for o in self.orders:
            values += [o.contact_phone, o.contact_digits, o.service_address]
        for sale in self.sales:
            values += [sale.customer_name, sale.customer_phone]
        return secrets_of(values)


def load(s: Session, customer_id: str) -> CustomerRecords:
    """The customer's rows (NotFound when there is no such customer)."""
    customer = s.get(Customer, customer_id, options=[selectinload(Customer.phones)])
    if customer is None:
        raise not_found("customer")
    found = CustomerRecords(customer)
    found.products = list(s.scalars(select(Product).where(Product.customer_id == customer_id)
                                    .order_by(Product.created_at, Product.id)))
    found.orders = list(s.scalars(
        select(ServiceOrder).where(ServiceOrder.customer_id == customer_id)
        .options(selectinload(ServiceOrder.charge_lines),
                 selectinload(ServiceOrder.repair_records),
                 selectinload(ServiceOrder.attachments))
        .order_by(ServiceOrder.called_at, ServiceOrder.id)))
    order_ids = [o.id for o in found.orders]
    if order_ids:
        found.payments = list(s.scalars(
            select(OrderPayment).where(OrderPayment.order_id.in_(order_ids))
            .order_by(OrderPayment.received_at, OrderPayment.id)))
        found.visits = list(s.scalars(
            select(ReturnVisit).where(ReturnVisit.order_id.in_(order_ids))
            .options(selectinload(ReturnVisit.attempts))))
        found.cards = list(s.scalars(
            select(FeedbackCard).where(FeedbackCard.order_id.in_(order_ids))
            .options(selectinload(FeedbackCard.photos)).order_by(FeedbackCard.number)))
    digits = [p.number for p in customer.phones]
    sold = [Sale.customer_id == customer_id]
    if digits:
        sold.append(Sale.customer_phone.in_(digits))
    found.sales = list(s.scalars(select(Sale).where(or_(*sold))
                                 .options(selectinload(Sale.lines)).order_by(Sale.sold_at)))
    found.erasures = list(s.scalars(select(CustomerErasure)
                                    .where(CustomerErasure.customer_id == customer_id)
                                    .order_by(CustomerErasure.erased_at)))
    return found


def claim_lines(s: Session, order_ids: list[str]) -> list[ClaimLine]:
    """The warranty claim lines of the orders (their descriptions are scrubbed too)."""
    if not order_ids:
        return []
    return list(s.scalars(select(ClaimLine).where(ClaimLine.order_id.in_(order_ids))))
