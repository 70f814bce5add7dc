"""A part two devices both issued (its on-hand below zero, an open ``stock_shortage``
conflict; issue 15) is never hidden by the stock list's 低库存 filter, threshold or none, and
shows its real, negative stock under every filter."""

from __future__ import annotations

from app.domain.parts import MovementKind
from app.services.stock_shortage import check_after_relay
from app.store.models import StockMovement
from tests.services.test_sales import add_part


def test_a_shortage_shows_under_every_filter(services, station, clock) -> None:
    part = add_part(services, "GR-CAP-35", stock=1, clock=clock)
    add_part(services, "XQB-BELT-01", stock=3, clock=clock)
    assert [r.part_no for r in services.stock.stock_list(low=True)] == []
    with services.db.write() as s:  # another device's issue, relayed here
        move = StockMovement(part_id=part.id, kind=MovementKind.ISSUED.value, quantity=-2,
                             created_at=clock(), username="tech2", reason="", reference="")
        s.add(move)
        s.flush()
        assert check_after_relay(s, move.id, 2, clock())
    for rows in (services.stock.stock_list(low=True), services.stock.stock_list(),
                 services.stock.stock_list("GR-CAP", low=True),
                 services.stock.stock_list(held=False)):
        short = [r for r in rows if r.part_no == "GR-CAP-35"]
        assert short and short[0].on_hand == -1 and short[0].available == -1
    assert [r.part_no for r in services.stock.stock_list(low=True)] == ["GR-CAP-35"]
