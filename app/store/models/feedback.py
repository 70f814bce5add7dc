"""Product quality feedback cards (产品质量反馈卡): what failed, on which unit, and why, for
head office's quality department; draft -> submitted. Photos stay in the station's
content-addressed attachment store; the rows carry their metadata."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.store.base import Base, SyncedMixin, new_id, utcnow


class FeedbackCard(SyncedMixin, Base):
    __tablename__ = "feedback_cards"

    number: Mapped[str] = mapped_column(String(40), unique=True)
    status: Mapped[str] = mapped_column(String(16))
    order_id: Mapped[str | None] = mapped_column(ForeignKey("service_orders.id"), default=None,
                                                 index=True)
    product_model: Mapped[str] = mapped_column(String(64), default="")
    serial_no: Mapped[str] = mapped_column(String(64), default="")
    #: production date or batch as printed on the unit's plate
    production_info: Mapped[str] = mapped_column(String(64), default="")
    fault_phenomenon: Mapped[str] = mapped_column(Text, default="")
    faulty_part: Mapped[str] = mapped_column(String(100), default="")
    part_id: Mapped[str | None] = mapped_column(String(36), default=None)
    #: app.domain.feedback.CauseCategory value
    cause_category: Mapped[str] = mapped_column(String(16), default="")
    use_environment: Mapped[str] = mapped_column(String(200), default="")
    customer_opinion: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    submitted_at: Mapped[datetime | None] = mapped_column(default=None)
    submitted_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)

    photos: Mapped[list[FeedbackPhoto]] = relationship(
        back_populates="card", cascade="all, delete-orphan", order_by="FeedbackPhoto.position")


class FeedbackPhoto(Base):
    __tablename__ = "feedback_photos"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    card_id: Mapped[str] = mapped_column(
        ForeignKey("feedback_cards.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    card: Mapped[FeedbackCard] = relationship(back_populates="photos")
