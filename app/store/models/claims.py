"""Warranty claims (三包索赔): a monthly batch of claim lines built from completed in-warranty
orders, the manager's written overrides of warnings, head office's decision per line and
the period's settlement statement."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.store.base import Base, SyncedMixin, new_id, utcnow


class ClaimBatch(SyncedMixin, Base):
    """draft -> submitted -> decided (every line answered) -> settled (statement) -> paid."""

    __tablename__ = "claim_batches"
    __table_args__ = (Index("ix_claim_batches_period", "period", "status"),)

    number: Mapped[str] = mapped_column(String(40), unique=True)
    #: the claim month, "YYYY-MM"
    period: Mapped[str] = mapped_column(String(7))
    status: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    submitted_at: Mapped[datetime | None] = mapped_column(default=None)
    submitted_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    # the settlement statement from head office (all fen)
    statement_no: Mapped[str] = mapped_column(String(40), default="")
    claimed_fen: Mapped[int] = mapped_column(default=0)
    approved_fen: Mapped[int] = mapped_column(default=0)
    deducted_fen: Mapped[int] = mapped_column(default=0)
    payable_fen: Mapped[int] = mapped_column(default=0)
    settled_at: Mapped[datetime | None] = mapped_column(default=None)
    paid_at: Mapped[datetime | None] = mapped_column(default=None)
    paid_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    paid_note: Mapped[str] = mapped_column(String(200), default="")
    #: head office's latest decision or settlement applied (its hq_seq); older ones change nothing
    hq_revision: Mapped[int] = mapped_column(default=0)

    lines: Mapped[list[ClaimLine]] = relationship(
        back_populates="batch", cascade="all, delete-orphan", order_by="ClaimLine.position")
    overrides: Mapped[list[ClaimOverride]] = relationship(
        back_populates="batch", cascade="all, delete-orphan",
        order_by="ClaimOverride.created_at")


class ClaimLine(Base):
    """One claimable charge of one order: labour per the schedule, a part at station price
    (backed by its old-part tag), or the travel fee."""

    __tablename__ = "claim_lines"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    batch_id: Mapped[str] = mapped_column(
        ForeignKey("claim_batches.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    order_id: Mapped[str] = mapped_column(ForeignKey("service_orders.id"), index=True)
    #: the order's charge line it claims (charge lines are rewritten, so no foreign key)
    charge_line_id: Mapped[str | None] = mapped_column(String(36), default=None)
    #: app.domain.enums.ChargeKind value (labour, parts, travel)
    kind: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(default=1)
    unit_fen: Mapped[int] = mapped_column(default=0)
    amount_fen: Mapped[int] = mapped_column(default=0)
    #: what the policy's schedule allows for this line (amount above it is a warning)
    schedule_fen: Mapped[int] = mapped_column(default=0)
    part_id: Mapped[str | None] = mapped_column(String(36), default=None)
    old_part_id: Mapped[str | None] = mapped_column(ForeignKey("old_parts.id"), default=None,
                                                    index=True)
    old_part_tag: Mapped[str] = mapped_column(String(40), default="")
    # head office's decision: "" (pending), approved, adjusted, rejected
    decision: Mapped[str] = mapped_column(String(16), default="")
    approved_fen: Mapped[int | None] = mapped_column(default=None)
    decision_reason: Mapped[str] = mapped_column(String(200), default="")
    decided_at: Mapped[datetime | None] = mapped_column(default=None)

    batch: Mapped[ClaimBatch] = relationship(back_populates="lines")


class ClaimOverride(Base):
    """The station manager's written reason to submit a line despite a warning."""

    __tablename__ = "claim_overrides"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    batch_id: Mapped[str] = mapped_column(
        ForeignKey("claim_batches.id", ondelete="CASCADE"), index=True)
    line_id: Mapped[str] = mapped_column(String(36))
    #: app.domain.claims check code
    check: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    username: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    batch: Mapped[ClaimBatch] = relationship(back_populates="overrides")
