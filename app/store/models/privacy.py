"""The record of each customer erasure (个人信息删除, PIPL): who at the station erased a
customer's personal data, who asked for it and why, and when. It names the customer file by
id only: none of the erased person's data is kept here."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.store.base import Base, SyncedMixin


class CustomerErasure(SyncedMixin, Base):
    __tablename__ = "customer_erasures"

    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    erased_at: Mapped[datetime] = mapped_column()
    erased_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    username: Mapped[str] = mapped_column(String(32), default="")
    #: who asked (the customer himself, a relative, an authority), as the manager wrote it
    requested_by: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(String(200))
