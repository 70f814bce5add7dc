"""Field work (上门服务): the visit booked with the customer (预约), the messages that tell the
customer what is happening (客户通知), and the customer's signature taken on screen (客户签字).

A booking is never edited into another time: moving it marks it ``moved`` with the reason and
who asked (the customer or the station), and a new booking replaces it, so the history of an
order's appointments stays. A notification holds the template's values, never a finished text:
head office, which sends it, builds the text from its own template, escaping each value. A
signature keeps the image, who signed and when, and the hash of what was signed; voiding it
(to change the charges) keeps it, with the reason.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.store.base import Base, SyncedMixin


class Appointment(SyncedMixin, Base):
    __tablename__ = "appointments"
    __table_args__ = (Index("ix_appointments_technician_starts", "technician_id", "starts_at"),)

    order_id: Mapped[str] = mapped_column(ForeignKey("service_orders.id"), index=True)
    technician_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    starts_at: Mapped[datetime] = mapped_column()
    ends_at: Mapped[datetime] = mapped_column()
    #: booked | moved | cancelled | done
    status: Mapped[str] = mapped_column(String(16), default="booked")
    #: the booking that replaced this one (when moved)
    moved_to_id: Mapped[str | None] = mapped_column(String(36), default=None)
    #: why it was moved or cancelled, and who asked: customer | station
    reason: Mapped[str] = mapped_column(String(200), default="")
    reason_party: Mapped[str] = mapped_column(String(16), default="")
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)


class Notification(SyncedMixin, Base):
    __tablename__ = "notifications"

    order_id: Mapped[str | None] = mapped_column(ForeignKey("service_orders.id"), default=None,
                                                 index=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    #: order_received | booked | moved | done | visit_thanks
    event: Mapped[str] = mapped_column(String(24))
    #: sms | email
    channel: Mapped[str] = mapped_column(String(8))
    recipient: Mapped[str] = mapped_column(String(120))
    #: the template's values as JSON (never a finished text)
    params: Mapped[str] = mapped_column(Text, default="{}")
    #: queued | sent | delivered | failed (head office's word after the first)
    state: Mapped[str] = mapped_column(String(12), default="queued")
    state_detail: Mapped[str] = mapped_column(String(200), default="")
    attempts: Mapped[int] = mapped_column(default=0)
    state_at: Mapped[datetime | None] = mapped_column(default=None)


class OrderSignature(SyncedMixin, Base):
    __tablename__ = "order_signatures"

    order_id: Mapped[str] = mapped_column(ForeignKey("service_orders.id"), index=True)
    signer_name: Mapped[str] = mapped_column(String(40))
    signed_at: Mapped[datetime] = mapped_column()
    #: the strokes as drawn, a PNG
    image_png: Mapped[bytes] = mapped_column(LargeBinary)
    #: SHA-256 of the canonical text of what was signed (the order's charges and amounts)
    content_hash: Mapped[str] = mapped_column(String(64))
    taken_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    voided_at: Mapped[datetime | None] = mapped_column(default=None)
    void_reason: Mapped[str] = mapped_column(String(200), default="")
    voided_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
