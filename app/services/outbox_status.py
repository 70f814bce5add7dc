"""How many changes still wait to be sent to head office (for the window's status bar)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.store.database import Database
from app.store.models import OutboxOp


class OutboxStatus:
    def __init__(self, db: Database) -> None:
        self.db = db

    def pending_count(self) -> int:
        """Outbox rows not yet acknowledged by head office (an index-only count)."""
        with self.db.read() as s:
            return int(
                s.scalar(
                    select(func.count()).select_from(OutboxOp).where(OutboxOp.acked_at.is_(None))
                )
                or 0
            )
