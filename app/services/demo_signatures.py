"""The demo's on-screen signatures (客户签字): most of the last weeks' finished orders were
signed by the customer on the technician's laptop or at the desk a few minutes after the repair,
a few signed and reopened by the manager with a reason (signed again after the change), so
the 客户签字 dialog and the repair report's signature box have something to show. The strokes
are drawn with Pillow (no Qt in the services), through the signature service.
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta
from io import BytesIO

from PIL import Image, ImageDraw
from sqlalchemy import select

from app.domain.enums import OrderStatus
from app.services.context import Actor
from app.store.models import ServiceOrder

SIGNED_STATES = (OrderStatus.COMPLETED, OrderStatus.VISITED, OrderStatus.CLOSED)
#: how many of the newest finished orders the demo looks at
RECENT = 60
REOPEN_REASONS = ("客户要求加装支架，重新签字", "工时费录错，更正后重新签字")


def squiggle(rng: random.Random, width: int = 480, height: int = 160) -> bytes:
    """A handwriting-like signature: two or three strokes of joined loops, as a PNG."""
    img = Image.new("RGB", (width, height), "white")
    d = ImageDraw.Draw(img)
    x = rng.randint(20, 60)
    for _ in range(rng.randint(2, 3)):
        points = []
        base = rng.randint(60, 100)
        span = rng.randint(90, 150)
        for i in range(40):
            t = i / 39
            points.append((x + t * span + 10 * math.cos(t * 14),
                           base + rng.uniform(18, 30) * math.sin(t * 14 + rng.random())))
        d.line(points, fill="#10204a", width=3, joint="curve")
        x += span + rng.randint(10, 30)
        if x > width - 120:
            break
    out = BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def generate(services, clock, *, clerk: Actor, boss: Actor, tech: Actor, end: datetime,
             seed: int = 0) -> int:
    """Signs the recent finished orders; returns how many carry a valid signature."""
    rng = random.Random(seed + 16)
    with services.db.read() as s:
        rows = s.execute(
            select(ServiceOrder.id, ServiceOrder.cleared_at, ServiceOrder.technician_id)
            .where(ServiceOrder.status.in_([st.value for st in SIGNED_STATES]),
                   ServiceOrder.cleared_at.is_not(None))
            .order_by(ServiceOrder.cleared_at.desc()).limit(RECENT)).all()
    signed = 0
    for order_id, cleared_at, technician_id in rows:
        if rng.random() < 0.2:
            continue  # signed on paper
        detail = services.orders.detail(order_id)
        taker = tech if technician_id == tech.user_id and rng.random() < 0.7 else clerk
        clock.now = min(cleared_at + timedelta(minutes=rng.randint(2, 20)), end)
        services.signatures.sign(taker, order_id, detail.customer.name, squiggle(rng))
        if rng.random() < 0.05:
            clock.now = min(clock.now + timedelta(minutes=10), end)
            services.signatures.reopen(boss, order_id, rng.choice(REOPEN_REASONS))
            services.signatures.sign(taker, order_id, detail.customer.name, squiggle(rng))
        signed += 1
    clock.now = end
    return signed
