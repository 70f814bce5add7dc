"""The sync outbox: every change head office must see, in local ``seq`` order."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.store.base import Base, new_id, utcnow

SCHEMA_VERSION = 1


class OutboxOp(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_pending", "acked_at", "seq"),
        {"sqlite_autoincrement": True},
    )

    #: monotonic local sequence; AUTOINCREMENT so a seq is never reused after a delete
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    op_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_id)
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(36))
    op: Mapped[str] = mapped_column(String(16))  # upsert | delete | event
    payload: Mapped[str] = mapped_column(Text)  # JSON
    base_revision: Mapped[int] = mapped_column(default=0)
    #: who did it and what they did, so head office keeps the audit trail of every change
    action: Mapped[str] = mapped_column(String(32), default="")
    username: Mapped[str] = mapped_column(String(32), default="")
    schema_version: Mapped[int] = mapped_column(default=SCHEMA_VERSION)
    #: this device's pull cursor when the op was made (``sync_state.pull_cursor``): head
    #: office takes an edit of a row another device changed after it for a stale edit
    seen_hq_seq: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    acked_at: Mapped[datetime | None] = mapped_column(default=None)

