"""Counter sales (零件销售): selling parts from stock at the counter, voiding a sale, the sales
of a day or a range, and the receipt (销售小票) a sale prints.

Who does what, from the trade: the counter and its cash are the clerk's (信息员), so clerks
and the manager sell; a technician takes parts for a repair by issuing them onto the order,
never through the till. Only the manager voids a sale, with a reason; the sale stays as it
was and ``SALE_VOIDED`` movements bring its stock back.

A part head office no longer lists (inactive) still sells from the stock the station holds.

Prices: a line's unit price defaults to the catalogue's retail price. A clerk may lower it
(haggling at the counter is the trade's habit) but not under the station price, what the
station itself pays head office, and the discount may not bring the sale under the station
price of its lines either: selling at a loss is the manager's decision (clearing dead
stock, goodwill). The manager may sell at any price.

Each sale is one ``Database.write()`` transaction: the sale, its lines, one ``SOLD`` movement
per line (``stock_ledger.post`` refuses going below zero, so a line that cannot be filled
rolls back the whole sale), the audit entries and the outbox rows (entity "sale", lines
inline, and one "stock_movement" per line).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.domain import validation as v
from app.domain.errors import RuleViolation
from app.domain.parts import (
    MAX_REASON,
    MAX_SALE_LINES,
    DocumentPrefix,
    MovementKind,
    PaymentMethod,
)
from app.domain.permissions import Permission
from app.domain.phone_mask import Purpose
from app.i18n import label
from app.printing.data import ReceiptSheet, StationHeader
from app.printing.data import SaleLine as PrintedLine
from app.services import events, phone_view
from app.services import stock_ledger as ledger
from app.services import text_input as t
from app.services.context import Actor
from app.services.errors import NotFound, PermissionDenied, not_found
from app.services.journal import record, row_payload
from app.store.base import utcnow
from app.store.database import Database
from app.store.models import Customer, Part, Sale, SaleLine, User

#: the outbox entity of a sale (a RECORD entity in sync/entities.py)
ENTITY = "sale"
#: what the change bus announces after a sale or a void (stock moved too)
SALES = "sales"
#: stock moved: the other parts services announce it as "parts" or "stock"; both are sent
PARTS = "parts"
STOCK = "stock"
#: one unit at most ¥1,000,000, as on an order's charge line
MAX_UNIT_PRICE_FEN = 100_000_000
#: a sale at most ¥100,000,000: the receipt's amount in words and any till stay sane
MAX_SALE_FEN = 10_000_000_000
#: the longest range of days one list reads
MAX_RANGE_DAYS = 366


@dataclass(frozen=True)
class SaleLineInput:
    part_id: str
    quantity: int
    #: None: the catalogue's retail price
    unit_price_fen: int | None = None


@dataclass(frozen=True)
class NewSale:
    lines: Sequence[SaleLineInput]
    payment_method: PaymentMethod | str
    discount_fen: int = 0
    #: an existing customer file; or a walk-in's name and phone below (both optional)
    customer_id: str | None = None
    customer_name: str = ""
    customer_phone: str = ""


@dataclass(frozen=True)
class SaleLineInfo:
    part_id: str
    part_no: str
    name: str
    unit: str
    quantity: int
    unit_price_fen: int

    @property
    def amount_fen(self) -> int:
        return self.quantity * self.unit_price_fen


@dataclass(frozen=True)
class SaleSummary:
    id: str
    number: str
    sold_at: datetime
    cashier_name: str
    customer_name: str
    customer_phone: str
    payment_method: PaymentMethod
    subtotal_fen: int
    discount_fen: int
    line_count: int
    voided: bool

    @property
    def total_fen(self) -> int:
        return self.subtotal_fen - self.discount_fen


@dataclass(frozen=True)
class SaleDetail(SaleSummary):
    revision: int = 0
    customer_id: str | None = None
    voided_at: datetime | None = None
    voided_by_name: str = ""
    void_reason: str = ""
    lines: tuple[SaleLineInfo, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class _CheckedLine:
    part: Part
    quantity: int
    unit_price_fen: int


def check_payment(method: object) -> PaymentMethod:
    try:
        return PaymentMethod(method)
    except ValueError:
        raise RuleViolation("Unknown payment method '{method}'.", field="payment_method",
                            method=str(method)[:20]) from None


def check_price(price: object, field: str = "lines") -> int:
    """A unit price in whole fen from 0 to ``MAX_UNIT_PRICE_FEN``."""
    return v.check_range(price, field, "Unit price (fen)", 0, MAX_UNIT_PRICE_FEN)  # type: ignore[arg-type]


def sale_payload(sale: Sale) -> dict:
    return row_payload(sale, lines=[row_payload(line) for line in sale.lines])


class SaleService:
    def __init__(
        self, db: Database, bus: events.ChangeBus, clock: Callable[[], datetime] = utcnow,
        tz: tzinfo | None = None,
    ) -> None:
        self.db = db
        self.bus = bus
        self.clock = clock
        #: the zone a "day" of sales is in; None: the computer's own
        self.tz = tz

    # -- writing ------------------------------------------------------------------------------
    def sell(self, actor: Actor, new: NewSale) -> SaleDetail:
        """Records the sale and takes its stock, whole or not at all."""
        actor.require(Permission.SALE_CREATE)
        payment = check_payment(new.payment_method)
        if not new.lines:
            raise RuleViolation("A sale needs at least one line.", field="lines")
        if len(new.lines) > MAX_SALE_LINES:
            raise RuleViolation("At most {n} lines in one sale.", field="lines",
                                n=MAX_SALE_LINES)
        for line in new.lines:
            t.check_key(line.part_id, "lines", "Part")
            ledger.check_quantity(line.quantity, "lines")
            if line.unit_price_fen is not None:
                check_price(line.unit_price_fen)
        discount = v.check_range(new.discount_fen, "discount_fen", "Discount (fen)", 0,
                                 MAX_SALE_FEN)
        t.check_key(new.customer_id, "customer_id", "Customer")
        name = t.check_length(new.customer_name, "customer_name", "Customer name", v.MAX_NAME)
        phone = (v.check_phone(new.customer_phone, "customer_phone")
                 if v.clean_text(new.customer_phone, "customer_phone", "Phone number") else "")
        if payment is PaymentMethod.ON_ACCOUNT and new.customer_id is None:
            raise RuleViolation("A sale on account needs a customer from the customer files.",
                                field="customer_id")
        now = self.clock()
        with self.db.write() as s:
            if new.customer_id is not None:
                customer = s.get(Customer, new.customer_id,
                                 options=[selectinload(Customer.phones)])
                if customer is None:
                    raise not_found("customer")
                name = name or customer.name
                phone = phone or (customer.phones[0].number if customer.phones else "")
            lines = [self._check_line(s, actor, line) for line in new.lines]
            subtotal = sum(line.quantity * line.unit_price_fen for line in lines)
            if subtotal > MAX_SALE_FEN:
                raise RuleViolation("A sale may total at most {limit} yuan.", field="lines",
                                    limit=v.format_fen(MAX_SALE_FEN))
            if discount > subtotal:
                raise RuleViolation(
                    "The discount ({discount} yuan) is more than the sale ({subtotal} yuan).",
                    field="discount_fen", discount=v.format_fen(discount),
                    subtotal=v.format_fen(subtotal))
            cost = sum(line.quantity * line.part.station_price_fen for line in lines)
            if discount and not actor.may(Permission.SALE_BELOW_STATION_PRICE) \
                    and subtotal - discount < cost:
                raise PermissionDenied(
                    "Only the manager may sell under the station price: the sale comes to "
                    "{total} yuan, its parts cost the station {cost} yuan.",
                    field="discount_fen", total=v.format_fen(subtotal - discount),
                    cost=v.format_fen(cost))
            sale = Sale(
                number=ledger.next_number(s, DocumentPrefix.SALE, self._local(now).date()),
                sold_at=now, cashier_id=actor.user_id or None, customer_id=new.customer_id,
                customer_name=name, customer_phone=phone, discount_fen=discount,
                payment_method=payment.value,
            )
            sale.lines = [
                SaleLine(position=i, part_id=line.part.id, quantity=line.quantity,
                         unit_price_fen=line.unit_price_fen)
                for i, line in enumerate(lines)
            ]
            s.add(sale)
            s.flush()
            for line in lines:
                ledger.post(s, actor, part=line.part, kind=MovementKind.SOLD,
                            quantity=-line.quantity, now=now, sale_id=sale.id,
                            reference=sale.number)
            record(s, actor, action="create", entity=ENTITY, entity_id=sale.id,
                   payload=sale_payload(sale),
                   detail=f"{sale.number} {v.format_fen(subtotal - discount)} {payment.value}")
            result = self._detail(s, sale)
        self.bus.publish({SALES, PARTS, STOCK, events.OUTBOX})
        return result

    def void(self, actor: Actor, sale: str, reason: str) -> SaleDetail:
        """The manager voids the sale (by id or number) once; its stock comes back by
        ``SALE_VOIDED`` movements, the sale and its lines stay as they were sold."""
        actor.require(Permission.SALE_VOID)
        t.check_key(sale, "sale", "Sale")
        reason = t.check_required(reason, "reason", "Void reason", MAX_REASON)
        now = self.clock()
        with self.db.write() as s:
            row = self._find(s, sale)
            if row.voided_at is not None:
                raise RuleViolation("Sale {number} was already voided.", field="sale",
                                    number=row.number)
            for line in row.lines:
                ledger.post(s, actor, part=s.get(Part, line.part_id),
                            kind=MovementKind.SALE_VOIDED, quantity=line.quantity, now=now,
                            reason=reason, sale_id=row.id, reference=row.number)
            base = row.revision
            row.voided_at, row.voided_by, row.void_reason = now, actor.user_id or None, reason
            row.revision += 1
            s.flush()
            record(s, actor, action="void", entity=ENTITY, entity_id=row.id,
                   payload=sale_payload(row), base_revision=base,
                   detail=f"{row.number} {reason}")
            result = self._detail(s, row)
        self.bus.publish({SALES, PARTS, STOCK, events.OUTBOX})
        return result

    # -- reading ------------------------------------------------------------------------------
    def detail(self, sale: str, *, viewer: Actor | None = None) -> SaleDetail:
        """The sale given by id or by number (SA-...); the walk-in's phone as ``viewer``
        may read it (app.domain.phone_mask: masked for the manager)."""
        t.check_key(sale, "sale", "Sale")
        with self.db.read() as s:
            return phone_view.field_rows([self._detail(s, self._find(s, sale))], viewer,
                                         Purpose.LIST, "customer_phone")[0]

    def sales_of_day(self, day: date, *, viewer: Actor | None = None) -> list[SaleSummary]:
        return phone_view.field_rows(self.sales_between(day, day), viewer, Purpose.LIST,
                                     "customer_phone")

    def sales_between(self, first: date, last: date) -> list[SaleSummary]:
        """The sales from the start of ``first`` to the end of ``last`` (local days), oldest
        first, voided ones included (they say so)."""
        if last < first:
            raise RuleViolation("The last day comes before the first.", field="last")
        if (last - first).days >= MAX_RANGE_DAYS:
            raise RuleViolation("Choose at most {n} days.", field="last", n=MAX_RANGE_DAYS)
        zone = self.tz or self.clock().astimezone().tzinfo
        start = datetime.combine(first, time(0), zone).astimezone(UTC)
        end = datetime.combine(last + timedelta(days=1), time(0), zone).astimezone(UTC)
        with self.db.read() as s:
            rows = s.scalars(
                select(Sale).options(selectinload(Sale.lines))
                .where(Sale.sold_at >= start, Sale.sold_at < end)
                .order_by(Sale.sold_at, Sale.number)
            ).all()
            names = self._names(s, {r.cashier_id for r in rows})
            return [self._summary(r, names) for r in rows]

    def takings(self, first: date, last: date) -> dict[PaymentMethod, int]:
        """What the sales of those days took in, per payment method (日结): voided sales
        left out, every method present (0 when unused) so the till is checked against each."""
        totals = dict.fromkeys(PaymentMethod, 0)
        for sale in self.sales_between(first, last):
            if not sale.voided:
                totals[sale.payment_method] += sale.total_fen
        return totals

    def receipt_sheet(self, sale: str, letterhead: StationHeader) -> ReceiptSheet:
        """销售小票 of the sale numbered (or with id) ``sale``; NotFound when there is none.
        Registered with the report service as the "sale" subject."""
        d = self.detail(sale)
        return ReceiptSheet(
            station=letterhead, number=d.number, sold_at=d.sold_at, cashier=d.cashier_name,
            lines=tuple(PrintedLine(line.part_no, line.name, line.quantity,
                                    line.unit_price_fen) for line in d.lines),
            printed_at=self.clock(), payment_method=label(d.payment_method),
            discount_fen=d.discount_fen, customer_name=d.customer_name,
            customer_phone=d.customer_phone, voided=d.voided, void_reason=d.void_reason,
            tz=self.tz,
        )

    # -- internals ----------------------------------------------------------------------------
    def _local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz) if self.tz else moment.astimezone()

    def _check_line(self, s: Session, actor: Actor, line: SaleLineInput) -> _CheckedLine:
        part = s.get(Part, line.part_id)
        if part is None:
            raise NotFound("The {entity} was not found.", field="lines", entity="part")
        price = part.retail_price_fen if line.unit_price_fen is None else line.unit_price_fen
        if line.unit_price_fen is None and price <= 0:
            raise RuleViolation("{part} has no retail price in the catalogue; enter the "
                                "unit price.", field="lines", part=f"{part.part_no} {part.name}")
        if not actor.may(Permission.SALE_BELOW_STATION_PRICE) and price < part.station_price_fen:
            raise PermissionDenied(
                "Only the manager may sell {part} under its station price ({price} yuan).",
                field="lines", part=f"{part.part_no} {part.name}",
                price=v.format_fen(part.station_price_fen))
        return _CheckedLine(part, line.quantity, price)

    def _find(self, s: Session, key: str) -> Sale:
        text = key.strip()
        options = [selectinload(Sale.lines)]
        row = s.get(Sale, text, options=options)
        if row is None:
            row = s.scalar(select(Sale).options(*options).where(Sale.number == text.upper()))
        if row is None:
            raise not_found("sale")
        return row

    @staticmethod
    def _names(s: Session, user_ids: set[str | None]) -> dict[str, str]:
        wanted = {u for u in user_ids if u}
        if not wanted:
            return {}
        return dict(s.execute(select(User.id, User.display_name)
                              .where(User.id.in_(wanted))).all())

    @staticmethod
    def _summary(sale: Sale, names: dict[str, str]) -> SaleSummary:
        return SaleSummary(
            id=sale.id, number=sale.number, sold_at=sale.sold_at,
            cashier_name=names.get(sale.cashier_id or "", ""),
            customer_name=sale.customer_name, customer_phone=sale.customer_phone,
            payment_method=PaymentMethod(sale.payment_method),
            subtotal_fen=sum(line.quantity * line.unit_price_fen for line in sale.lines),
            discount_fen=sale.discount_fen, line_count=len(sale.lines),
            voided=sale.voided_at is not None,
        )

    def _detail(self, s: Session, sale: Sale) -> SaleDetail:
        names = self._names(s, {sale.cashier_id, sale.voided_by})
        parts = {p.id: p for p in s.scalars(
            select(Part).where(Part.id.in_({line.part_id for line in sale.lines})))}
        base = self._summary(sale, names)
        return SaleDetail(
            **{f: getattr(base, f) for f in SaleSummary.__dataclass_fields__},
            revision=sale.revision, customer_id=sale.customer_id, voided_at=sale.voided_at,
            voided_by_name=names.get(sale.voided_by or "", ""), void_reason=sale.void_reason,
            lines=tuple(
                SaleLineInfo(line.part_id, parts[line.part_id].part_no,
                             parts[line.part_id].name, parts[line.part_id].unit,
                             line.quantity, line.unit_price_fen)
                for line in sale.lines),
        )
