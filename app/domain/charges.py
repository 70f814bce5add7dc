"""A charge line of an order (配件 parts, 工时 labour, 上门费 travel, 其他 other) and the
money rule: amount = quantity x unit price, in integer fen."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.domain.enums import ChargeKind


@dataclass(frozen=True)
class Charge:
    kind: ChargeKind
    description: str
    quantity: int
    unit_price_fen: int

    @property
    def amount_fen(self) -> int:
        return self.quantity * self.unit_price_fen


def total_fen(charges: Iterable[Charge]) -> int:
    return sum(c.amount_fen for c in charges)
