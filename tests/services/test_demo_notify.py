"""The demo's customer messages: the demo's orders queued them; older ones carry head
office's word (mostly delivered, some failed with the reason), each order's own message."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from app.store.models import Notification


def test_the_demo_has_messages_in_every_state(demo_station) -> None:
    with demo_station.db.read() as s:
        rows = list(s.scalars(select(Notification)))
    states = Counter(r.state for r in rows)
    assert states["delivered"] > states["failed"] > 0
    assert {r.event for r in rows} >= {"order_received", "done"}
    assert all(r.state_detail for r in rows if r.state == "failed")
