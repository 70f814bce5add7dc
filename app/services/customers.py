"""Customer files (客户档案): customers, their phones and products, and their repair history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from app.domain import validation as v
from app.domain.enums import WarrantyStatus
from app.domain.errors import ErrorCollector, RuleViolation
from app.domain.permissions import Permission
from app.domain.phone_mask import is_masked, kept
from app.domain.warranty import warranty_status
from app.services import events, phone_view, search_any
from app.services import text_input as t
from app.services.context import Actor
from app.services.errors import not_found, stale
from app.services.journal import record, row_payload
from app.store.base import utcnow
from app.store.database import Database
from app.store.models import Customer, CustomerPhone, Product, ServiceOrder

MAX_PHONES = 5
SERIAL_MAX = 64


@dataclass(frozen=True)
class CustomerInput:
    name: str
    phones: tuple[str, ...]
    address: str = ""
    notes: str = ""
    #: for the customer notifications (客户通知): an e-mail, and the customer's "no messages"
    email: str = ""
    notify_opt_out: bool = False


@dataclass(frozen=True)
class ProductInput:
    model: str
    serial_no: str = ""
    purchase_date: date | None = None
    invoice_no: str = ""
    warranty_months: int = 12


@dataclass(frozen=True)
class ProductInfo:
    id: str
    customer_id: str
    model: str
    serial_no: str
    purchase_date: date | None
    invoice_no: str
    warranty_months: int
    warranty: WarrantyStatus


@dataclass(frozen=True)
class CustomerSummary:
    id: str
    name: str
    phones: tuple[str, ...]
    address: str
    notes: str
    revision: int
    email: str = ""
    notify_opt_out: bool = False


@dataclass(frozen=True)
class HistoryEntry:
    order_id: str
    number: str
    order_type: str
    status: str
    called_at: datetime
    product_model: str
    serial_no: str
    fault_description: str


@dataclass(frozen=True)
class CustomerFile:
    customer: CustomerSummary
    products: list[ProductInfo] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)


def summary(c: Customer) -> CustomerSummary:
    return CustomerSummary(
        c.id, c.name, tuple(p.number for p in c.phones), c.address, c.notes, c.revision,
        c.email, c.notify_opt_out,
    )


def product_info(p: Product, today: date) -> ProductInfo:
    return ProductInfo(
        p.id, p.customer_id, p.model, p.serial_no, p.purchase_date, p.invoice_no,
        p.warranty_months, warranty_status(p.purchase_date, p.warranty_months, today),
    )


def customer_payload(c: Customer) -> dict:
    return row_payload(c, phones=[p.number for p in c.phones])


def validate_customer(data: CustomerInput) -> tuple[str, list[str], str, str]:
    # every refused field at once (FieldErrors), so a form marks them all together
    c = ErrorCollector()
    name = c.check(t.check_required, data.name, "name", "Customer name", v.MAX_NAME)
    checked: list[str] = c.check(_check_phones, data.phones, default=[])
    address = c.check(t.check_length, data.address, "address", "Address", v.MAX_ADDRESS)
    notes = c.check(t.check_length, data.notes, "notes", "Notes", v.MAX_TEXT, multiline=True)
    c.check(check_email, data.email)
    c.raise_if_any()
    return name, checked, address, notes


def check_email(raw: str) -> str:
    """An e-mail address for the notifications, trimmed ("" for none)."""
    from app.services.notifications import EMAIL_RE

    text = t.check_length(raw, "email", "E-mail", 120)
    if text and not EMAIL_RE.match(text):
        raise RuleViolation("'{value}' is not an e-mail address (e.g. name@example.com).",
                            field="email", value=text[:60])
    return text


def _check_phones(raw_phones: tuple[str, ...]) -> list[str]:
    phones = [p for p in raw_phones if v.clean_text(p, "phones", "Phone number")]
    if not phones:
        raise RuleViolation("At least one phone number is required.", field="phones")
    if len(phones) > MAX_PHONES:
        raise RuleViolation("At most {n} phone numbers.", field="phones", n=MAX_PHONES)
    checked: list[str] = []
    for raw in phones:
        # a masked number (138****5678) is the stored one unchanged: resolved on save
        number = raw.strip() if is_masked(raw) else v.check_phone(raw, "phones")
        if number not in checked:
            checked.append(number)
    return checked


def validate_product(data: ProductInput, today: date) -> ProductInput:
    c = ErrorCollector()
    model = c.check(t.check_required, data.model, "model", "Product model", v.MAX_SHORT)
    # serial numbers are stored in capitals: the check sees what is stored
    serial = c.check(lambda: t.check_length(
        v.clean_text(data.serial_no, "serial_no", "Serial number").upper(),
        "serial_no", "Serial number", SERIAL_MAX))
    invoice = c.check(t.check_length, data.invoice_no, "invoice_no", "Invoice number",
                      v.MAX_SHORT)
    purchase = c.check(v.check_not_future, data.purchase_date, "purchase_date",
                       "Purchase date", today)
    months = c.check(v.check_range, data.warranty_months, "warranty_months",
                     "Warranty months", 0, 120)
    c.raise_if_any()
    return ProductInput(model, serial, purchase, invoice, months)


def add_customer(s: Session, actor: Actor, data: CustomerInput) -> Customer:
    """Validates and adds a customer to the caller's transaction (used by orders too)."""
    name, phones, address, notes = validate_customer(data)
    phones = _unmasked(phones, [])
    customer = Customer(name=name, address=address, notes=notes, email=check_email(data.email),
                        notify_opt_out=bool(data.notify_opt_out))
    customer.phones = [
        CustomerPhone(number=n, digits=v.phone_digits(n), position=i) for i, n in enumerate(phones)
    ]
    s.add(customer)
    s.flush()
    record(s, actor, action="create", entity="customer", entity_id=customer.id,
           payload=customer_payload(customer))
    return customer


def add_product(s: Session, actor: Actor, customer_id: str, data: ProductInput,
                today: date) -> Product:
    clean = validate_product(data, today)
    t.check_key(customer_id, "customer_id", "Customer")
    if s.get(Customer, customer_id) is None:
        raise not_found("customer")
    product = Product(
        customer_id=customer_id, model=clean.model, serial_no=clean.serial_no,
        purchase_date=clean.purchase_date, invoice_no=clean.invoice_no,
        warranty_months=clean.warranty_months,
    )
    s.add(product)
    s.flush()
    record(s, actor, action="create", entity="product", entity_id=product.id,
           payload=row_payload(product))
    return product


def refuse_erased(customer: Customer) -> None:
    """An erased file stays erased: typing the person's data back into it would undo the
    erasure (and head office would receive it again)."""
    if customer.erased_at is not None:
        raise RuleViolation("This customer's personal data was erased on request: the file "
                            "cannot be filled in again. Record the person as a new customer "
                            "if they come back.", field="customer")


class CustomerService:
    def __init__(
        self, db: Database, bus: events.ChangeBus, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.db = db
        self.bus = bus
        self.clock = clock

    def _today(self) -> date:
        return self.clock().astimezone().date()

    def create(self, actor: Actor, data: CustomerInput) -> CustomerSummary:
        actor.require(Permission.CUSTOMER_CREATE)
        with self.db.write() as s:
            # the numbers just typed, as typed (the new file is then found by them)
            result = summary(add_customer(s, actor, data))
        self.bus.publish({events.CUSTOMERS, events.OUTBOX})
        return result

    def update(
        self, actor: Actor, customer_id: str, data: CustomerInput, expected_revision: int
    ) -> CustomerSummary:
        actor.require(Permission.CUSTOMER_EDIT)
        t.check_key(customer_id, "customer_id", "Customer")
        name, phones, address, notes = validate_customer(data)
        with self.db.write() as s:
            customer = s.get(Customer, customer_id)
            if customer is None:
                raise not_found("customer")
            if customer.revision != expected_revision:
                raise stale("customer")
            refuse_erased(customer)
            base = customer.revision
            phones = _unmasked(phones, [p.number for p in customer.phones])
            customer.name, customer.address, customer.notes = name, address, notes
            customer.email = check_email(data.email)
            customer.notify_opt_out = bool(data.notify_opt_out)
            customer.phones = [
                CustomerPhone(number=n, digits=v.phone_digits(n), position=i)
                for i, n in enumerate(phones)
            ]
            customer.revision += 1
            s.flush()
            record(s, actor, action="update", entity="customer", entity_id=customer.id,
                   payload=customer_payload(customer), base_revision=base)
            result = phone_view.customer(summary(customer), actor)
        self.bus.publish({events.CUSTOMERS, events.OUTBOX})
        return result

    def add_product(self, actor: Actor, customer_id: str, data: ProductInput) -> ProductInfo:
        actor.require(Permission.PRODUCT_ADD)
        with self.db.write() as s:
            product = add_product(s, actor, customer_id, data, self._today())
            result = product_info(product, self._today())
        self.bus.publish({events.CUSTOMERS, events.OUTBOX})
        return result

    def update_product(
        self, actor: Actor, product_id: str, data: ProductInput, expected_revision: int
    ) -> ProductInfo:
        actor.require(Permission.PRODUCT_EDIT)
        t.check_key(product_id, "product_id", "Product")
        clean = validate_product(data, self._today())
        with self.db.write() as s:
            product = s.get(Product, product_id)
            if product is None:
                raise not_found("product")
            if product.revision != expected_revision:
                raise stale("product")
            base = product.revision
            product.model, product.serial_no = clean.model, clean.serial_no
            product.purchase_date, product.invoice_no = clean.purchase_date, clean.invoice_no
            product.warranty_months = clean.warranty_months
            product.revision += 1
            s.flush()
            record(s, actor, action="update", entity="product", entity_id=product.id,
                   payload=row_payload(product), base_revision=base)
            result = product_info(product, self._today())
        self.bus.publish({events.CUSTOMERS, events.OUTBOX})
        return result

    def search(self, text: str, limit: int = 100, *,
               viewer: Actor | None = None) -> list[CustomerSummary]:
        """By phone (digits, prefix), name prefix or a product's serial number; then by any
        part (phone's last digits, given name, part of a serial, model, address words).
        The phones as ``viewer`` may read them (``app.services.phone_view``)."""
        query = v.clean_text(text, "text", "Search text")
        with self.db.read() as s:
            stmt = select(Customer).options(selectinload(Customer.phones))
            if not query:
                stmt = stmt.order_by(Customer.created_at.desc())
            else:
                digits = v.phone_digits(query) if query.replace("-", "").isdigit() else ""
                conditions = [
                    Customer.name >= query,
                    Customer.name < query + "\U0010ffff",
                ]
                name_match = conditions[0] & conditions[1]
                serial_match = Customer.id.in_(
                    select(Product.customer_id).where(Product.serial_no == query.upper())
                )
                options = [name_match, serial_match]
                if digits:
                    options.append(
                        Customer.id.in_(
                            select(CustomerPhone.customer_id).where(
                                CustomerPhone.digits >= digits, CustomerPhone.digits < digits + ":"
                            )
                        )
                    )
                stmt = stmt.where(or_(*options)).order_by(Customer.name, Customer.id)
            found = [summary(c) for c in s.scalars(stmt.limit(limit))]
            if query and len(found) < limit:  # then any part, newest first (search_any)
                more = search_any.more_customers(s.connection(), query,
                                                 {c.id for c in found}, limit - len(found))
                by_id = {c.id: c for c in s.scalars(
                    select(Customer).options(selectinload(Customer.phones))
                    .where(Customer.id.in_(more)))}
                found += [summary(by_id[i]) for i in more if i in by_id]
            return [phone_view.customer(c, viewer) for c in found]

    def get(self, customer_id: str, *, viewer: Actor | None = None) -> CustomerSummary:
        t.check_key(customer_id, "customer_id", "Customer")
        with self.db.read() as s:
            customer = s.get(Customer, customer_id)
            if customer is None:
                raise not_found("customer")
            return phone_view.customer(summary(customer), viewer)

    def reveal_phone(self, actor: Actor, customer_id: str) -> tuple[str, ...]:
        """显示完整号码: the customer's phones in full, the reveal written to the audit."""
        with self.db.write() as s:
            return phone_view.reveal_customer(s, actor, customer_id)

    def file(self, customer_id: str, *, viewer: Actor | None = None) -> CustomerFile:
        """The customer, every product, and every order newest first (客户维修档案)."""
        t.check_key(customer_id, "customer_id", "Customer")
        today = self._today()
        with self.db.read() as s:
            customer = s.get(Customer, customer_id, options=[selectinload(Customer.phones)])
            if customer is None:
                raise not_found("customer")
            products = s.scalars(
                select(Product).where(Product.customer_id == customer_id)
                .order_by(Product.created_at)
            ).all()
            orders = s.execute(
                select(ServiceOrder, Product)
                .outerjoin(Product, Product.id == ServiceOrder.product_id)
                .where(ServiceOrder.customer_id == customer_id)
                .order_by(ServiceOrder.called_at.desc())
            ).all()
            history = [
                HistoryEntry(
                    o.id, o.number, o.order_type, o.status, o.called_at,
                    p.model if p else "", p.serial_no if p else "", o.fault_description,
                )
                for o, p in orders
            ]
            return CustomerFile(
                phone_view.customer(summary(customer), viewer),
                [product_info(p, today) for p in products], history
            )


def _unmasked(phones: list[str], stored: list[str]) -> list[str]:
    """The phones to save: a field still showing a stored number's mask keeps the number;
    a mask that is no stored number's is refused (the whole number must be typed)."""
    result = [kept(p, stored) or p for p in phones]
    for p in result:
        if is_masked(p):
            raise RuleViolation("Type the whole phone number: '{value}' is masked.",
                                field="phones", value=p[:30])
    return result
