"""What the customer paid for an order (收款): each payment with its method, or the
manager's waiver of what is left with a reason. The amount due is derived from the order's
customer-paid charge lines, never typed; these rows only say what came in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.store.base import Base, SyncedMixin


class OrderPayment(SyncedMixin, Base):
    __tablename__ = "order_payments"
    __table_args__ = (Index("ix_order_payments_received", "received_at"),)

    order_id: Mapped[str] = mapped_column(ForeignKey("service_orders.id"), index=True)
    #: app.domain.payments.PaymentKind: payment or waiver
    kind: Mapped[str] = mapped_column(String(16))
    #: app.domain.parts.PaymentMethod value ("" for a waiver)
    method: Mapped[str] = mapped_column(String(16), default="")
    amount_fen: Mapped[int] = mapped_column()
    reason: Mapped[str] = mapped_column(String(200), default="")
    received_at: Mapped[datetime] = mapped_column()
    received_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
