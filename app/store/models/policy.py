"""The warranty policy (三包政策) the station applies: warranty periods per product category
and key part, the labour fee schedule and the travel fee bands. Head office publishes it
(``HqEntity.WARRANTY_POLICY``); a station without a line imports the same file itself.
The policy's content is one JSON document (``app.domain.warranty_policy`` reads it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.store.base import Base, new_id, utcnow


class WarrantyPolicyRow(Base):
    __tablename__ = "warranty_policies"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    #: "hq" (pulled) or "file" (``repair-station policy import``)
    source: Mapped[str] = mapped_column(String(8))
    #: head office's revision of the policy (its hq_seq); 0 for a file import
    hq_revision: Mapped[int] = mapped_column(default=0)
    #: the policy's own name or version as the file states it
    label: Mapped[str] = mapped_column(String(64), default="")
    payload: Mapped[str] = mapped_column(Text)
    #: the newest applied row is the policy in force
    applied_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
