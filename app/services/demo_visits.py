"""The demo's return visits (回访), through ``VisitService`` like daily use: every order the
demo walks past VISITED gets its ReturnVisit with four realistic scores (mostly 5 and 4,
price the aspect customers grumble about most, a few dissatisfied answers, the first of which
opens a complaint order about the original), some calls that reached nobody before the
answer; and at the end the queue a clerk finds in the morning: recent completed orders, some
overdue, some with unreachable attempts, the oldest backlog mostly called by now.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from app.domain.visits import ASPECTS, DISSATISFIED_AT, Aspect
from app.services.context import Actor

GOOD_WORDS = ["师傅很专业，讲解很清楚", "上门准时，态度很好", "修好后使用正常", "收费透明",
              "", "", "", "希望以后也这么快"]
BAD_WORDS = {
    Aspect.SPEED: "等了两天才上门，太慢了",
    Aspect.ATTITUDE: "师傅不耐烦，问问题也不解释",
    Aspect.QUALITY: "修完没几天又出现同样的问题",
    Aspect.PRICE: "收费太贵，事先没有说明价格",
}
NO_ANSWER = ["无人接听", "无人接听", "关机", "占线", "空号，需核实电话"]
#: completed this long before the demo's end and still not called: most were called by now,
#: all of those three times as old
BACKLOG = timedelta(days=5)


class DemoVisits:
    def __init__(self, services, clock, *, seed: int, clerk: Actor, end: datetime) -> None:
        self.services = services
        self.clock = clock
        # its own stream: the visits do not change what the rest of the demo draws
        self.rng = random.Random(seed * 7919 + 11)
        self.clerk = clerk
        self.end = end
        self.complaints = 0
        self.dissatisfied = 0

    def visit(self, order_id: str, mood: int) -> None:
        """The VISIT step of an order's walk, at the clock's time: maybe a call or two that
        reached nobody in the hours before (after the completion), then the answers around
        ``mood``, the customer's overall satisfaction the demo's walk drew (so the rest of
        the demo draws what it always did)."""
        rng = self.rng
        at = self.clock.now
        if rng.random() < 0.2:
            cleared = self.services.orders.detail(order_id).cleared_at or at
            for _ in range(rng.choice((1, 1, 2))):
                earlier = at - timedelta(hours=rng.uniform(1, 20))
                self.clock.now = max(earlier, cleared + timedelta(minutes=10))
                if self.clock.now < at:
                    self.services.visits.record_attempt(self.clerk, order_id,
                                                        rng.choice(NO_ANSWER))
            self.clock.now = at
        self._answer(order_id, mood)

    def _answer(self, order_id: str, mood: int | None = None) -> None:
        rng = self.rng
        base = mood if mood is not None else rng.choices([5, 4, 3], [62, 30, 8])[0]
        scores = {a: max(1, min(5, base + rng.choices([0, -1, 1], [82, 12, 6])[0]))
                  for a in ASPECTS}
        if rng.random() < 0.15 and scores[Aspect.PRICE] >= 4:
            scores[Aspect.PRICE] -= 1  # the usual grumble
        if rng.random() < 0.015:
            scores[rng.choice(ASPECTS)] = rng.choice((1, 2))
        low = [a for a in ASPECTS if scores[a] <= DISSATISFIED_AT]
        comments = "；".join(BAD_WORDS[a] for a in low) if low else rng.choice(GOOD_WORDS)
        complaint = bool(low) and (self.complaints == 0 or rng.random() < 0.2)
        text = f"回访客户不满意：{comments}。请站长跟进处理。" if complaint else ""
        self.services.visits.record_visit(
            self.clerk, order_id, {a.value: s for a, s in scores.items()}, comments,
            open_complaint=complaint, complaint_text=text)
        self.dissatisfied += bool(low)
        self.complaints += complaint

    def finish(self) -> None:
        """The morning's queue: the old backlog called, attempts on some others, and at
        least one overdue order that nobody answers yet. The calls are spread over the demo's
        last three hours (the clerk's morning), whatever time the other areas' closing
        steps left the clock at."""
        rng = self.rng
        rows = self.services.visits.queue()
        overdue = [r for r in rows if r.overdue]
        kept = max(overdue, key=lambda r: r.completed_at).order_id if overdue else None
        start = self.end - timedelta(hours=3)
        step = (self.end - timedelta(minutes=1) - start) / (len(rows) + 1)
        for index, row in enumerate(rows, start=1):
            self.clock.now = max(start + step * index, row.completed_at + timedelta(minutes=5))
            if self.clock.now >= self.end:
                continue
            age = self.end - row.completed_at
            if row.order_id != kept and (
                    age > 3 * BACKLOG or (age > BACKLOG and rng.random() < 0.6)):
                self._answer(row.order_id)
            elif row.order_id == kept or rng.random() < 0.35:
                self.services.visits.record_attempt(self.clerk, row.order_id,
                                                    rng.choice(NO_ANSWER))
