"""Service orders (服务工单) with their charge lines, repair records and photos."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.store.base import Base, SyncedMixin, new_id, utcnow
from app.store.models.customers import Customer, Product
from app.store.models.users import User


class ServiceOrder(SyncedMixin, Base):
    __tablename__ = "service_orders"
    __table_args__ = (
        Index("ix_orders_called", "called_at", "id"),
        Index("ix_orders_customer", "customer_id", "called_at"),
        Index("ix_orders_product", "product_id"),
        Index("ix_orders_status_called", "status", "called_at"),
        Index("ix_orders_technician", "technician_id", "status"),
        Index("ix_orders_contact_digits", "contact_digits"),
        # the maintenance due list: the maintenance and install orders of each product
        Index("ix_orders_kind_product", "order_type", "product_id", "status", "cleared_at",
              "closed_at"),
    )

    number: Mapped[str] = mapped_column(String(40), unique=True)
    order_type: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(16))
    service_mode: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    product_id: Mapped[str | None] = mapped_column(ForeignKey("products.id"), default=None)
    #: the phone given for this call (may differ from the customer's file); digits for search
    contact_phone: Mapped[str] = mapped_column(String(32), default="")
    contact_digits: Mapped[str] = mapped_column(String(32), default="")
    service_address: Mapped[str] = mapped_column(String(200), default="")
    fault_description: Mapped[str] = mapped_column(Text, default="")
    technician_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    cancel_reason: Mapped[str] = mapped_column(String(200), default="")
    hq_reference: Mapped[str] = mapped_column(String(64), default="")
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    # SLA timestamps, UTC
    called_at: Mapped[datetime] = mapped_column(default=utcnow)
    responded_at: Mapped[datetime | None] = mapped_column(default=None)
    arrived_at: Mapped[datetime | None] = mapped_column(default=None)
    cleared_at: Mapped[datetime | None] = mapped_column(default=None)
    visited_at: Mapped[datetime | None] = mapped_column(default=None)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    satisfaction: Mapped[int | None] = mapped_column(default=None)
    #: one-way distance to the customer for the travel fee band (on-site orders), km
    travel_km: Mapped[int | None] = mapped_column(default=None)
    #: a complaint (投诉) opened from a return visit names the order it is about
    related_order_id: Mapped[str | None] = mapped_column(
        ForeignKey("service_orders.id"), default=None, index=True)

    customer: Mapped[Customer] = relationship()
    product: Mapped[Product | None] = relationship()
    technician: Mapped[User | None] = relationship(foreign_keys=[technician_id])
    related_order: Mapped[ServiceOrder | None] = relationship(
        remote_side="ServiceOrder.id", foreign_keys=[related_order_id])
    charge_lines: Mapped[list[ChargeLine]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="ChargeLine.position"
    )
    repair_records: Mapped[list[RepairRecord]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="RepairRecord.created_at"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="Attachment.created_at"
    )


class ChargeLine(Base):
    __tablename__ = "charge_lines"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    order_id: Mapped[str] = mapped_column(
        ForeignKey("service_orders.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(default=1)
    unit_price_fen: Mapped[int] = mapped_column(default=0)
    #: reserved for the parts area: catalogue part this line sells or uses
    part_id: Mapped[str | None] = mapped_column(String(36), default=None)
    #: app.domain.enums.Payer: the maker under warranty (claimable) or the customer
    payer: Mapped[str] = mapped_column(String(16), default="customer")

    order: Mapped[ServiceOrder] = relationship(back_populates="charge_lines")


class RepairRecord(Base):
    """维修情况登记: what a technician found and did."""

    __tablename__ = "repair_records"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    order_id: Mapped[str] = mapped_column(
        ForeignKey("service_orders.id", ondelete="CASCADE"), index=True
    )
    technician_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    diagnosis: Mapped[str] = mapped_column(Text, default="")
    actions: Mapped[str] = mapped_column(Text, default="")
    labour_minutes: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # a record entered by mistake is voided with a reason, never deleted (kept for the audit,
    # left off the customer's paper)
    voided_at: Mapped[datetime | None] = mapped_column(default=None)
    voided_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    void_reason: Mapped[str] = mapped_column(String(200), default="")

    order: Mapped[ServiceOrder] = relationship(back_populates="repair_records")
    technician: Mapped[User | None] = relationship(foreign_keys=[technician_id])


class Attachment(Base):
    """A photo kept under the data folder by its content hash (``attachments/ab/abcdef…``)."""

    __tablename__ = "attachments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    order_id: Mapped[str] = mapped_column(
        ForeignKey("service_orders.id", ondelete="CASCADE"), index=True
    )
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    voided_at: Mapped[datetime | None] = mapped_column(default=None)
    voided_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    void_reason: Mapped[str] = mapped_column(String(200), default="")

    order: Mapped[ServiceOrder] = relationship(back_populates="attachments")


class OrderCounter(Base):
    """Last order sequence used per day; bumped inside BEGIN IMMEDIATE."""

    __tablename__ = "order_counters"

    day: Mapped[date] = mapped_column(primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


__all__ = ["Attachment", "ChargeLine", "OrderCounter", "RepairRecord", "ServiceOrder"]

