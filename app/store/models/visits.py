"""Return visits (回访): the call back to the customer after a completed order, its four
satisfaction scores (1-5, none by default), comments, the unreachable attempts before it and
the complaint order a dissatisfied answer opened."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.store.base import Base, SyncedMixin, new_id, utcnow


class ReturnVisit(SyncedMixin, Base):
    __tablename__ = "return_visits"

    order_id: Mapped[str] = mapped_column(ForeignKey("service_orders.id"), unique=True)
    #: app.domain.visits.VisitStatus value: pending (attempts only) or done
    status: Mapped[str] = mapped_column(String(16))
    speed_score: Mapped[int | None] = mapped_column(default=None)
    attitude_score: Mapped[int | None] = mapped_column(default=None)
    quality_score: Mapped[int | None] = mapped_column(default=None)
    price_score: Mapped[int | None] = mapped_column(default=None)
    comments: Mapped[str] = mapped_column(Text, default="")
    visited_at: Mapped[datetime | None] = mapped_column(default=None)
    visited_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    complaint_order_id: Mapped[str | None] = mapped_column(
        ForeignKey("service_orders.id"), default=None)

    attempts: Mapped[list[VisitAttempt]] = relationship(
        back_populates="visit", cascade="all, delete-orphan",
        order_by="VisitAttempt.attempted_at")


class VisitAttempt(Base):
    """A call that reached nobody (or a wrong number), with its time."""

    __tablename__ = "visit_attempts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    visit_id: Mapped[str] = mapped_column(
        ForeignKey("return_visits.id", ondelete="CASCADE"), index=True)
    attempted_at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    note: Mapped[str] = mapped_column(String(200), default="")

    visit: Mapped[ReturnVisit] = relationship(back_populates="attempts")
