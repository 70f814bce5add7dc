"""Customer files (客户档案): customers, their phones and the products they own."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.store.base import Base, SyncedMixin


class Customer(SyncedMixin, Base):
    __tablename__ = "customers"

    name: Mapped[str] = mapped_column(String(40), index=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    #: for the customer notifications (an e-mail where no text message reaches)
    email: Mapped[str] = mapped_column(String(120), default="")
    #: the customer asked for no messages (客户通知): none is queued for them
    notify_opt_out: Mapped[bool] = mapped_column(default=False)
    #: set when the customer's personal data was erased on request (UTC); the file stays,
    #: holding a tombstone, so the orders keep their customer (app/services/customer_privacy)
    erased_at: Mapped[datetime | None] = mapped_column(default=None)

    phones: Mapped[list[CustomerPhone]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", order_by="CustomerPhone.position"
    )
    products: Mapped[list[Product]] = relationship(
        back_populates="customer", order_by="Product.created_at"
    )


class CustomerPhone(Base):
    __tablename__ = "customer_phones"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[str] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[str] = mapped_column(String(32))
    #: digits only, the search key
    digits: Mapped[str] = mapped_column(String(32), index=True)
    position: Mapped[int] = mapped_column(default=0)

    customer: Mapped[Customer] = relationship(back_populates="phones")


class Product(SyncedMixin, Base):
    __tablename__ = "products"
    __table_args__ = (Index("ix_products_serial_no", "serial_no"),)

    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    model: Mapped[str] = mapped_column(String(64))
    serial_no: Mapped[str] = mapped_column(String(64), default="")
    purchase_date: Mapped[date | None] = mapped_column(default=None)
    invoice_no: Mapped[str] = mapped_column(String(64), default="")
    warranty_months: Mapped[int] = mapped_column(default=12)

    customer: Mapped[Customer] = relationship(back_populates="products")
