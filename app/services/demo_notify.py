"""The demo's customer messages (客户通知): the orders the demo made queued their messages as
any order does; here head office's answers are played back as a pull would bring them, so
the order editor's 通知 list shows realistic states: most delivered, a few failed after their
retries (an unknown number, a full mailbox), the newest still queued.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select

from app.services.notifications_sync import apply_state
from app.store.models import Notification
from sync import protocol as p

FAILURES = ("号码不存在或已停机", "运营商网关超时", "收件人邮箱已满")


def generate(services, *, end: datetime, seed: int = 0) -> int:
    """Gives every message but the newest five head office's word; returns how many."""
    rng = random.Random(seed + 16)
    with services.db.write() as s:
        rows = list(s.scalars(select(Notification).where(Notification.state == "queued")
                              .order_by(Notification.created_at, Notification.id)))
        answered = 0
        for n, row in enumerate(rows[:-5], start=1):  # the newest five still queued
            created = row.created_at if row.created_at.tzinfo else row.created_at.replace(
                tzinfo=end.tzinfo)
            failed = answered % 12 == 5  # about one in twelve
            state, attempts = ("failed", 5) if failed else ("delivered", 1)
            detail = rng.choice(FAILURES) if failed else (
                "written to outbox" if row.channel == "sms" else "accepted by smtp")
            when = created + timedelta(minutes=rng.randint(1, 40) if not failed else 31)
            apply_state(s, p.Change(n, p.HqEntity.NOTIFICATION_STATE.value, row.id, "upsert", {
                "notification_id": row.id, "state": state, "state_detail": detail,
                "attempts": attempts, "state_at": when.isoformat()}), end)
            answered += 1
    return answered
