"""Paying for an order (收款): what kinds of entry there are and how the order's payment
state follows from them. The amount due is the sum of the customer-paid charge lines."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class PaymentKind(StrEnum):
    PAYMENT = "payment"  # 收款
    WAIVER = "waiver"  # 减免 (manager, with a reason)


class PaymentStatus(StrEnum):
    NOTHING_DUE = "nothing_due"  # 无需收款
    UNPAID = "unpaid"  # 未收款
    PARTLY_PAID = "partly_paid"  # 部分收款
    PAID = "paid"  # 已收款
    WAIVED = "waived"  # 已减免 (the rest waived)


@dataclass(frozen=True)
class Entry:
    kind: PaymentKind
    amount_fen: int


@dataclass(frozen=True)
class Balance:
    due_fen: int
    paid_fen: int
    waived_fen: int

    @property
    def outstanding_fen(self) -> int:
        """What the customer still owes (never below zero)."""
        return max(self.due_fen - self.paid_fen - self.waived_fen, 0)

    @property
    def overpaid_fen(self) -> int:
        """Taken beyond what is due (the order's charges were lowered after payment)."""
        return max(self.paid_fen + self.waived_fen - self.due_fen, 0)

    @property
    def status(self) -> PaymentStatus:
        if self.outstanding_fen > 0:
            return PaymentStatus.PARTLY_PAID if self.paid_fen or self.waived_fen \
                else PaymentStatus.UNPAID
        if self.waived_fen:
            return PaymentStatus.WAIVED
        if self.due_fen == 0 and not self.paid_fen:
            return PaymentStatus.NOTHING_DUE
        return PaymentStatus.PAID


def balance(due_fen: int, entries: Iterable[Entry]) -> Balance:
    items = list(entries)
    return Balance(due_fen,
                   sum(e.amount_fen for e in items if e.kind is PaymentKind.PAYMENT),
                   sum(e.amount_fen for e in items if e.kind is PaymentKind.WAIVER))
