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


def bulk_customers(rig: StationRig, n: int, tag: str = "b") -> None:
    """``n`` customers with their outbox rows, written in one transaction (a month offline)."""
    import json
    import uuid

    from sqlalchemy import insert

    from app.store.base import utcnow
    from app.store.models import Customer, CustomerPhone, OutboxOp

    now = utcnow()
    customers, phones, ops = [], [], []
    for i in range(n):
        cid = str(uuid.uuid4())
        number = f"139{i:08d}"
        row = {"id": cid, "name": f"客户{tag}{i}", "address": "北京市海淀区", "notes": "",
               "revision": 1, "created_at": now, "updated_at": now}
        customers.append(row)
        phones.append({"customer_id": cid, "number": number, "digits": number, "position": 0})
        payload = {**row, "created_at": now.isoformat(), "updated_at": now.isoformat(),
                   "phones": [number]}
        ops.append({"op_id": str(uuid.uuid4()), "entity": "customer", "entity_id": cid,
                    "op": "upsert", "payload": json.dumps(payload, ensure_ascii=False,
                                                          sort_keys=True),
                    "base_revision": 0, "action": "create", "username": "boss",
                    "schema_version": 1, "created_at": now})
    with rig.services.db.write() as s:
        s.execute(insert(Customer), customers)
        s.execute(insert(CustomerPhone), phones)
        s.execute(insert(OutboxOp), ops)
