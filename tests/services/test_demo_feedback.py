"""The demo's feedback cards: six of them, from finished repairs (prefilled from the order as
the service does it) and one of its own, drafts and submitted cards, photos in the store,
each submitted card on its way to head office, and every one prints."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.bootstrap import Services
from app.domain.feedback import FeedbackStatus
from app.store.models import OutboxOp


@pytest.fixture
def demo(demo_station: Services) -> Services:
    """The session's demo station (tests/services/conftest.py): these tests only read it."""
    return demo_station


def test_the_demo_fills_drafts_and_submitted_cards(demo: Services, tmp_path: Path) -> None:
    cards = [demo.feedback.detail(r.id) for r in demo.feedback.list()]
    assert len(cards) == 6
    submitted = [c for c in cards if c.status is FeedbackStatus.SUBMITTED]
    drafts = [c for c in cards if c.status is FeedbackStatus.DRAFT]
    assert len(submitted) == 4 and len(drafts) == 2
    assert all(c.fields.cause_category is not None for c in submitted)
    assert len({c.fields.cause_category for c in submitted}) == 4
    assert len({c.fields.product_model for c in cards}) == 6
    [own] = [c for c in cards if c.order_id is None]
    assert own.status is FeedbackStatus.SUBMITTED and own.photos
    for card in cards:
        if card.order_id is None:
            continue
        order = demo.orders.detail(card.order_id)
        assert card.fields.product_model == order.product.model
        assert card.fields.fault_phenomenon == order.fault_description
        assert card.created_at >= order.cleared_at
        assert card.fields.faulty_part
    photos = [p for c in cards for p in c.photos]
    assert len(photos) >= 3 and all(p.path.is_file() for p in photos)
    with demo.db.read() as s:
        pushed = set(s.scalars(select(OutboxOp.entity_id)
                               .where(OutboxOp.entity == "feedback_card")))
    assert pushed == {c.id for c in submitted}
    for card in cards:
        out = demo.reports.render("feedback-card", card.number, None, tmp_path / "c.pdf")
        assert out.stat().st_size > 1000
