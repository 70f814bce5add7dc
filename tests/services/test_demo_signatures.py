"""The demo's on-screen signatures: recent finished orders signed with a drawn image the
service accepts and a valid hash; a reopened one was signed again; the report prints it."""

from __future__ import annotations

from sqlalchemy import select

from app.store.models import OrderSignature


def test_recent_finished_orders_carry_valid_signatures(demo_station) -> None:
    with demo_station.db.read() as s:
        rows = s.scalars(select(OrderSignature)).all()
        standing = {r.order_id for r in rows if r.voided_at is None}
        voided = [r for r in rows if r.voided_at is not None]
    assert standing, "the demo has orders signed on screen"
    assert all(r.void_reason for r in voided)
    infos = [demo_station.signatures.current(order_id) for order_id in standing]
    assert all(i is not None and i.valid and i.signer_name for i in infos)
    mark = demo_station.signatures.mark(next(iter(standing)))
    assert mark is not None and mark.image_png.startswith(b"\x89PNG")
