"""What a customer's signature (客户签字) confirms, and the lock it puts on the charges.

The canonical text of an order's charges (its number, each charge line with its payer and
amount, the 客户应付 / 厂家索赔 totals) is hashed into ``OrderSignature.content_hash``; a
signature is *valid* while it is not voided and the hash still matches. Every path that
writes charge lines calls in here in its own transaction:

- ``OrderService.set_charges`` and ``OrderService.update`` (a product change re-decides the
  payers): ``signed_hash`` before, ``check_unchanged`` after the lines and payers are set, so
  saving the same charges again passes and any change is refused;
- ``OrderPartService.issue`` / ``return_parts``: ``refuse_if_signed`` (they always change a
  quantity);
- ``payers.reassign_open_orders`` (a new warranty policy): a signed order is skipped and keeps
  what the customer signed.

Payments never change a charge line (the amount due is derived), so they are not locked.
A leaf module: it imports no other service that writes orders.
"""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import Payer
from app.domain.errors import RuleViolation
from app.store.models import ChargeLine, OrderSignature, ServiceOrder

LOCKED = "This order is signed: reopen the signature before changing the charges."


def canonical_text(order: ServiceOrder, lines: list[ChargeLine] | None = None) -> str:
    """The text the customer signs: one line per fact, values JSON-quoted (unambiguous)."""
    rows = sorted(order.charge_lines if lines is None else lines,
                  key=lambda c: (c.position, c.id or ""))
    out = [f"order\t{json.dumps(order.number, ensure_ascii=False)}"]
    customer = maker = 0
    for c in rows:
        amount = c.quantity * c.unit_price_fen
        payer = c.payer or Payer.CUSTOMER.value
        if payer == Payer.MAKER.value:
            maker += amount
        else:
            customer += amount
        out.append("line\t" + "\t".join((
            json.dumps(c.kind), json.dumps(c.description, ensure_ascii=False),
            str(c.quantity), str(c.unit_price_fen), json.dumps(payer), str(amount))))
    out.append(f"customer_due_fen\t{customer}")
    out.append(f"maker_claim_fen\t{maker}")
    return "\n".join(out) + "\n"


def content_hash(order: ServiceOrder, lines: list[ChargeLine] | None = None) -> str:
    return hashlib.sha256(canonical_text(order, lines).encode("utf-8")).hexdigest()


def standing(s: Session, order_id: str) -> OrderSignature | None:
    """The order's latest signature not voided (valid or not), in ``s``."""
    return s.scalars(select(OrderSignature)
                     .where(OrderSignature.order_id == order_id,
                            OrderSignature.voided_at.is_(None))
                     .order_by(OrderSignature.signed_at.desc(), OrderSignature.id)
                     .limit(1)).first()


def signed_hash(s: Session, order: ServiceOrder) -> str | None:
    """The hash a valid signature holds the order's charges to, or None (not signed)."""
    row = standing(s, order.id)
    if row is None or row.content_hash != content_hash(order):
        return None
    return row.content_hash


def refuse_if_signed(s: Session, order: ServiceOrder) -> None:
    if signed_hash(s, order) is not None:
        raise RuleViolation(LOCKED, field="charges")


def check_unchanged(order: ServiceOrder, locked: str | None) -> None:
    """After a write: refuses (the caller's transaction rolls back) when the order was signed
    (``locked`` from ``signed_hash`` before it) and what was signed changed."""
    if locked is not None and content_hash(order) != locked:
        raise RuleViolation(LOCKED, field="charges")
