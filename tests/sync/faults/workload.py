"""Edits a station makes between syncs, through the real services (so the outbox is real)."""

from __future__ import annotations

import random

from app.domain import state_machine as sm
from app.domain.enums import OrderSource, OrderType, Role, ServiceMode
from app.services.context import Actor
from app.services.customers import CustomerInput
from app.services.orders import NewOrder
from tests.sync.faults.harness import PASSWORD, StationRig


def boss(rig: StationRig) -> Actor:
    return rig.services.users.login("boss", PASSWORD)


def new_orders(rig: StationRig, n: int, seed: int = 1) -> list[str]:
    actor = boss(rig)
    rnd = random.Random(seed)
    ids = []
    for i in range(n):
        phone = f"139{rnd.randrange(10**8):08d}"
        detail = rig.services.orders.create(actor, NewOrder(
            OrderType.REPAIR, OrderSource.PHONE, ServiceMode.ON_SITE, f"故障{i} 不制冷",
            phone, customer=CustomerInput(f"客户{seed}-{i}", (phone,), "北京市海淀区")))
        ids.append(detail.id)
    return ids


def advance(rig: StationRig, order_id: str, steps: int) -> None:
    """Moves an order ``steps`` moves along accept -> assign -> on site -> complete."""
    actor = boss(rig)
    moves = [sm.Action.ACCEPT, sm.Action.ASSIGN, sm.Action.START_ON_SITE, sm.Action.COMPLETE]
    for action in moves[:steps]:
        rig.services.orders.transition(actor, order_id, action,
                                       technician_id=actor.user_id
                                       if action is sm.Action.ASSIGN else None)


def complete(rig: StationRig, order_id: str) -> None:
    advance(rig, order_id, 4)
    assert Role.MANAGER  # the manager may make every move
