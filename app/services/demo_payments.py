"""The demo's payments (收款): most finished orders with something due are paid at
completion, by the methods a station sees (cash and WeChat first), a few only in part, a
few waived by the manager with his reason, and some still open, so the order view, the
papers and the day's takings page have realistic figures. Through the payment service.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select

from app.domain.parts import PaymentMethod
from app.domain.payments import PaymentStatus
from app.services.context import Actor
from app.services.payments import PAYABLE_STATES
from app.store.models import ServiceOrder

METHODS = (PaymentMethod.CASH, PaymentMethod.WECHAT, PaymentMethod.ALIPAY,
           PaymentMethod.BANK_CARD, PaymentMethod.ON_ACCOUNT)
WEIGHTS = (40, 32, 18, 6, 4)
WAIVER_REASONS = ("老客户，工时费减免", "安装遗留问题返修，免收费用", "金额零头抹去")


def generate(services, clock, *, clerk: Actor, boss: Actor, tech: Actor, end: datetime,
             seed: int = 0) -> int:
    """Records the payments; returns how many orders got at least one entry."""
    rng = random.Random(seed + 9)
    with services.db.read() as s:
        rows = s.execute(select(ServiceOrder.id, ServiceOrder.cleared_at, ServiceOrder.technician_id)
                         .where(ServiceOrder.status.in_([st.value for st in PAYABLE_STATES]))
                         .order_by(ServiceOrder.cleared_at)).all()
    paid = 0
    for order_id, cleared_at, technician_id in rows:
        state = services.payments.state(order_id)
        if state.status is not PaymentStatus.UNPAID or cleared_at is None:
            continue
        roll = rng.random()
        if roll < 0.06:
            continue  # still open: the customer pays later
        taker = tech if technician_id == tech.user_id and rng.random() < 0.5 else clerk
        clock.now = min(cleared_at + timedelta(minutes=rng.randint(3, 90)), end)
        method = rng.choices(METHODS, WEIGHTS)[0]
        due = state.balance.outstanding_fen
        if roll < 0.12:  # part now, the rest not yet
            services.payments.receive(taker, order_id, max(due // 2 // 100 * 100, 1), method)
        elif roll < 0.16:  # the manager lets the customer off, saying why
            if due > 1000:
                services.payments.receive(taker, order_id, due - due % 1000 or due, method)
            if services.payments.state(order_id).balance.outstanding_fen:
                clock.now = min(clock.now + timedelta(minutes=5), end)
                services.payments.waive(boss, order_id, rng.choice(WAIVER_REASONS))
        else:
            services.payments.receive(taker, order_id, due, method)
        paid += 1
    clock.now = end
    return paid
