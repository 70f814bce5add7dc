"""Parts (配件): head office's catalogue with the station's shelf settings, the stock ledger
(append-only movements; on-hand is their sum), reservations for orders waiting for parts,
counter sales, stock counts, orders to head office, and the defective old parts (旧件) with the
return shipments that carry them back.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.store.base import Base, SyncedMixin, new_id, utcnow


class Part(Base):
    """配件目录: one catalogue part, owned by head office (pulled by sync or imported offline).

    The id is derived from the part number (``app.domain.parts.part_id``), so a part imported
    offline and the same part pulled from head office are one row."""

    __tablename__ = "parts"
    __table_args__ = (Index("ix_parts_name", "name"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    part_no: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    specification: Mapped[str] = mapped_column(String(200), default="")
    #: compatible product models, comma separated as head office writes them
    models: Mapped[str] = mapped_column(String(500), default="")
    unit: Mapped[str] = mapped_column(String(8), default="")
    retail_price_fen: Mapped[int] = mapped_column(default=0)
    station_price_fen: Mapped[int] = mapped_column(default=0)
    #: the old part must go back to head office when replaced under warranty
    return_required: Mapped[bool] = mapped_column(default=False)
    #: the part's own warranty where it differs from the unit's (a compressor); None: the unit's
    warranty_months: Mapped[int | None] = mapped_column(default=None)
    active: Mapped[bool] = mapped_column(default=True)
    #: head office's revision of this row (0: imported offline, not yet from head office)
    hq_revision: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PartSetting(SyncedMixin, Base):
    """What the station adds to a catalogue part: its shelf and its low-stock threshold."""

    __tablename__ = "part_settings"

    part_id: Mapped[str] = mapped_column(ForeignKey("parts.id"), unique=True)
    location: Mapped[str] = mapped_column(String(32), default="")
    low_stock_threshold: Mapped[int] = mapped_column(default=0)


class StockMovement(Base):
    """One line of the stock ledger: never updated, never deleted. ``quantity`` is signed
    (+ into stock, - out of it); old-part kinds count old parts, never sellable stock."""

    __tablename__ = "stock_movements"
    __table_args__ = (
        # kind and quantity too: per-part sums (on-hand, the stock list) read the index only
        Index("ix_stock_movements_part", "part_id", "created_at", "id", "kind", "quantity"),
        Index("ix_stock_movements_order", "order_id"),
        CheckConstraint("quantity <> 0", name="nonzero"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    part_id: Mapped[str] = mapped_column(ForeignKey("parts.id"))
    kind: Mapped[str] = mapped_column(String(20))
    quantity: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    username: Mapped[str] = mapped_column(String(32), default="")
    reason: Mapped[str] = mapped_column(String(200), default="")
    #: the document behind the movement (one of them at most)
    order_id: Mapped[str | None] = mapped_column(ForeignKey("service_orders.id"), default=None)
    sale_id: Mapped[str | None] = mapped_column(ForeignKey("sales.id"), default=None)
    count_id: Mapped[str | None] = mapped_column(ForeignKey("stock_counts.id"), default=None)
    parts_order_id: Mapped[str | None] = mapped_column(ForeignKey("parts_orders.id"),
                                                       default=None)
    #: the human number of that document (SO-/SA-/PC-/PO-...), for the history list
    reference: Mapped[str] = mapped_column(String(40), default="")


class StockReservation(SyncedMixin, Base):
    """Parts set aside for an order waiting for them; released when issued or no longer
    needed (``released_at``)."""

    __tablename__ = "stock_reservations"
    __table_args__ = (Index("ix_stock_reservations_part", "part_id", "released_at"),)

    part_id: Mapped[str] = mapped_column(ForeignKey("parts.id"))
    order_id: Mapped[str] = mapped_column(ForeignKey("service_orders.id"), index=True)
    quantity: Mapped[int] = mapped_column()
    released_at: Mapped[datetime | None] = mapped_column(default=None)


class Sale(SyncedMixin, Base):
    """零件销售: a counter sale. Voiding keeps the sale and returns the stock by movements."""

    __tablename__ = "sales"
    __table_args__ = (Index("ix_sales_sold", "sold_at"),)

    number: Mapped[str] = mapped_column(String(40), unique=True)
    sold_at: Mapped[datetime] = mapped_column(default=utcnow)
    cashier_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    customer_id: Mapped[str | None] = mapped_column(ForeignKey("customers.id"), default=None)
    customer_name: Mapped[str] = mapped_column(String(40), default="")
    customer_phone: Mapped[str] = mapped_column(String(32), default="")
    discount_fen: Mapped[int] = mapped_column(default=0)
    payment_method: Mapped[str] = mapped_column(String(16))
    voided_at: Mapped[datetime | None] = mapped_column(default=None)
    voided_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    void_reason: Mapped[str] = mapped_column(String(200), default="")

    lines: Mapped[list[SaleLine]] = relationship(
        back_populates="sale", cascade="all, delete-orphan", order_by="SaleLine.position")


class SaleLine(Base):
    __tablename__ = "sale_lines"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    part_id: Mapped[str] = mapped_column(ForeignKey("parts.id"))
    quantity: Mapped[int] = mapped_column()
    unit_price_fen: Mapped[int] = mapped_column()

    sale: Mapped[Sale] = relationship(back_populates="lines")


class StockCount(SyncedMixin, Base):
    """盘点: opened by the manager, counted by staff, posted once as adjustments."""

    __tablename__ = "stock_counts"

    number: Mapped[str] = mapped_column(String(40), unique=True)
    status: Mapped[str] = mapped_column(String(16))
    opened_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    posted_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    posted_at: Mapped[datetime | None] = mapped_column(default=None)
    reason: Mapped[str] = mapped_column(String(200), default="")

    lines: Mapped[list[StockCountLine]] = relationship(
        back_populates="count", cascade="all, delete-orphan")


class StockCountLine(Base):
    """One part of a count. ``book_quantity`` is the on-hand when the quantity was counted,
    so movements made while the count is open are neither lost nor counted twice."""

    __tablename__ = "stock_count_lines"
    __table_args__ = (Index("uq_stock_count_lines_part", "count_id", "part_id", unique=True),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    count_id: Mapped[str] = mapped_column(ForeignKey("stock_counts.id", ondelete="CASCADE"))
    part_id: Mapped[str] = mapped_column(ForeignKey("parts.id"))
    book_quantity: Mapped[int] = mapped_column(default=0)
    counted: Mapped[int | None] = mapped_column(default=None)
    counted_at: Mapped[datetime | None] = mapped_column(default=None)
    counted_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)

    count: Mapped[StockCount] = relationship(back_populates="lines")


class PartsOrder(SyncedMixin, Base):
    """零件订购: an order of parts to head office: draft -> submitted -> confirmed -> shipped
    -> received (in part or whole; each receipt a ledger movement)."""

    __tablename__ = "parts_orders"

    number: Mapped[str] = mapped_column(String(40), unique=True)
    status: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    submitted_at: Mapped[datetime | None] = mapped_column(default=None)
    confirmed_at: Mapped[datetime | None] = mapped_column(default=None)
    shipped_at: Mapped[datetime | None] = mapped_column(default=None)
    note: Mapped[str] = mapped_column(String(200), default="")
    hq_note: Mapped[str] = mapped_column(String(200), default="")

    lines: Mapped[list[PartsOrderLine]] = relationship(
        back_populates="parts_order", cascade="all, delete-orphan",
        order_by="PartsOrderLine.position")


class PartsOrderLine(Base):
    __tablename__ = "parts_order_lines"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    parts_order_id: Mapped[str] = mapped_column(
        ForeignKey("parts_orders.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    part_id: Mapped[str] = mapped_column(ForeignKey("parts.id"))
    quantity: Mapped[int] = mapped_column()
    confirmed_quantity: Mapped[int | None] = mapped_column(default=None)
    shipped_quantity: Mapped[int] = mapped_column(default=0)
    received_quantity: Mapped[int] = mapped_column(default=0)

    parts_order: Mapped[PartsOrder] = relationship(back_populates="lines")


class OldPartShipment(SyncedMixin, Base):
    """旧件返厂: a numbered shipment of collected old parts to head office."""

    __tablename__ = "old_part_shipments"

    number: Mapped[str] = mapped_column(String(40), unique=True)
    status: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    shipped_at: Mapped[datetime | None] = mapped_column(default=None)
    carrier: Mapped[str] = mapped_column(String(64), default="")


class OldPart(SyncedMixin, Base):
    """旧件: a defective part replaced under warranty that must go back, with its own tag:
    collected -> packed -> shipped -> received -> inspected (the result comes by sync)."""

    __tablename__ = "old_parts"
    __table_args__ = (Index("ix_old_parts_status", "status", "created_at"),)

    tag_no: Mapped[str] = mapped_column(String(40), unique=True)
    part_id: Mapped[str] = mapped_column(ForeignKey("parts.id"))
    order_id: Mapped[str] = mapped_column(ForeignKey("service_orders.id"), index=True)
    #: the charge line whose part replaced it
    charge_line_id: Mapped[str | None] = mapped_column(String(36), default=None)
    status: Mapped[str] = mapped_column(String(16))
    shipment_id: Mapped[str | None] = mapped_column(ForeignKey("old_part_shipments.id"),
                                                    default=None, index=True)
    inspection_result: Mapped[str] = mapped_column(String(32), default="")
    inspection_note: Mapped[str] = mapped_column(String(200), default="")
    inspected_at: Mapped[datetime | None] = mapped_column(default=None)


class DocumentCounter(Base):
    """Last sequence used per kind of document and day (SA-, PC-, PO-, RS-, OP-), bumped
    inside BEGIN IMMEDIATE like the order counter."""

    __tablename__ = "document_counters"

    prefix: Mapped[str] = mapped_column(String(4), primary_key=True)
    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


__all__ = [
    "DocumentCounter",
    "OldPart",
    "OldPartShipment",
    "Part",
    "PartSetting",
    "PartsOrder",
    "PartsOrderLine",
    "Sale",
    "SaleLine",
    "StockCount",
    "StockCountLine",
    "StockMovement",
    "StockReservation",
]
