"""Who pays each charge line of an order (付费方): the maker under warranty (厂家, claimed
from head office) or the customer (客户). The ONE place that decides it, from the warranty
policy in force, the order's product and its service date (the call date); every path that
writes charge lines (``OrderService.set_charges`` and ``update``, issuing and returning
parts in ``app.services.order_parts``) calls ``assign_payers`` in its transaction, so a line
in the outbox always carries its payer. A payer is never typed.

The rule:
- the unit is in warranty: labour, travel and parts lines are the maker's, ``other``
  (a sale of something beyond the repair) the customer's;
- the unit is out of warranty (or unknown) but a part line's part is covered by its own
  period (a key-part rule of the policy, else the catalogue's months): that line is the
  maker's, the rest the customer's;
- no product, no purchase date: the customer pays everything.

``describe`` says a coverage in words for the order editor and the papers.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.domain.enums import ChargeKind, OrderStatus, Payer, WarrantyStatus
from app.domain.warranty_policy import (
    Coverage,
    CoverageBasis,
    CoverageReason,
    WarrantyPolicy,
    part_coverage,
    unit_coverage,
)
from app.i18n import tr
from app.services.context import Actor
from app.store.models import ChargeLine, Part, Product, ServiceOrder

#: the kinds the maker pays while the unit is in warranty
MAKER_KINDS = frozenset({ChargeKind.LABOUR, ChargeKind.TRAVEL, ChargeKind.PARTS})


def service_date(order: ServiceOrder, now: datetime | None = None) -> date:
    """The day the warranty is judged on: the day the customer called (local time)."""
    when = order.called_at or now
    return when.astimezone().date() if when is not None else date.today()


def order_coverage(policy: WarrantyPolicy, product: Product | None, on: date) -> Coverage | None:
    """The whole unit's coverage on ``on``; None for an order without a product."""
    if product is None:
        return None
    return unit_coverage(policy, product.model, product.purchase_date, product.invoice_no,
                         product.warranty_months, on)


def line_payer(policy: WarrantyPolicy, product: Product | None, unit: Coverage | None,
               kind: ChargeKind, part: Part | None, on: date) -> Payer:
    """The payer of one line (``part`` the catalogue part of a line issued from stock)."""
    if product is None or unit is None:
        return Payer.CUSTOMER
    if unit.status is WarrantyStatus.IN_WARRANTY:
        return Payer.MAKER if kind in MAKER_KINDS else Payer.CUSTOMER
    if kind is ChargeKind.PARTS and part is not None:
        cover = part_coverage(policy, product.model, part.part_no, part.warranty_months,
                              product.purchase_date, product.invoice_no,
                              product.warranty_months, on)
        if cover.basis is CoverageBasis.PART and cover.status is WarrantyStatus.IN_WARRANTY:
            return Payer.MAKER
    return Payer.CUSTOMER


def assign_payers(s: Session, order: ServiceOrder, policy: WarrantyPolicy, on: date) -> None:
    """Sets ``ChargeLine.payer`` on every line of ``order`` (in ``s``'s transaction)."""
    lines: Iterable[ChargeLine] = order.charge_lines
    product = order.product if order.product_id else None
    if product is not None and product.id != order.product_id:
        product = s.get(Product, order.product_id)
    unit = order_coverage(policy, product, on)
    part_ids = {c.part_id for c in lines if c.part_id}
    parts = ({p.id: p for p in s.scalars(select(Part).where(Part.id.in_(part_ids)))}
             if part_ids else {})
    for line in lines:
        payer = line_payer(policy, product, unit, ChargeKind(line.kind),
                           parts.get(line.part_id) if line.part_id else None, on)
        if line.payer != payer.value:
            line.payer = payer.value


def split_fen(lines: Iterable[tuple[str, int]]) -> tuple[int, int]:
    """(customer due, claimed from the maker) of (payer, amount) pairs."""
    customer = maker = 0
    for payer, amount in lines:
        if payer == Payer.MAKER.value:
            maker += amount
        else:
            customer += amount
    return customer, maker


def describe(coverage: Coverage | None, purchase_date: date | None = None) -> str:
    """保内/保外 and why, in the current language (the order header, the report)."""
    if coverage is None:
        return tr("Warranty unknown: the order names no product")
    rule = coverage.rule
    ends = coverage.ends_on.isoformat() if coverage.ends_on else "-"
    bought = purchase_date.isoformat() if purchase_date else "-"
    reason = coverage.reason
    if reason is CoverageReason.WITHIN_PERIOD:
        text = (tr("In warranty: {rule} whole unit {months} months, bought {bought}, "
                   "covered to {ends}", rule=rule, months=coverage.months, bought=bought,
                   ends=ends)
                if rule else
                tr("In warranty: whole unit {months} months, bought {bought}, covered to "
                   "{ends}", months=coverage.months, bought=bought, ends=ends))
        if coverage.no_invoice:
            text += tr(" (no invoice)")
        return text
    if reason is CoverageReason.PERIOD_ENDED:
        return tr("Out of warranty: the period ended ({ends})", ends=ends)
    if reason is CoverageReason.BEFORE_PURCHASE:
        return tr("Out of warranty: the service date is before the purchase date ({bought})",
                  bought=bought)
    if reason is CoverageReason.NO_INVOICE:
        return tr("Out of warranty: no invoice (the policy requires one)")
    return tr("Warranty unknown: no purchase date")


def reassign_open_orders(s: Session, actor: Actor, policy: WarrantyPolicy,
                         now: datetime) -> int:
    """A new policy in force re-decides the payers of every order not yet completed (a finished
    order keeps what it was completed with: its claim was built from that); each order whose
    lines change is journalled (outbox), in ``s``'s transaction. Returns how many changed."""
    from app.services.journal import journal_order  # (journal is a leaf; keeps imports light)
    from app.services.signature_lock import signed_hash

    finished = {OrderStatus.COMPLETED, OrderStatus.VISITED, OrderStatus.CLOSED,
                OrderStatus.CANCELLED}
    open_states = [st.value for st in OrderStatus if st.open and st not in finished]
    orders = s.scalars(select(ServiceOrder).where(ServiceOrder.status.in_(open_states))
                       .options(selectinload(ServiceOrder.charge_lines),
                                selectinload(ServiceOrder.product))).all()
    changed = 0
    for order in orders:
        if not order.charge_lines or signed_hash(s, order) is not None:
            continue  # a signed order keeps the payers the customer signed for
        before = [c.payer for c in order.charge_lines]
        assign_payers(s, order, policy, service_date(order, now))
        if [c.payer for c in order.charge_lines] != before:
            journal_order(s, actor, order, "policy_payers", now)
            changed += 1
    return changed
