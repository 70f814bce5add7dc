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
#: completed this long before the demo's end and still not called: most were called by now
BACKLOG = timedelta(days=10)


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

    def visit(self, order_id: str) -> bool:
        """The VISIT step of an order's walk: maybe a call or two that reached nobody, then
        the answers (the clock is left at the visit). False: nobody answered before the
        demo's end, the order waits in the queue."""
        rng = self.rng
        if rng.random() < 0.2:
            for _ in range(rng.choice((1, 1, 2))):
                self.services.visits.record_attempt(self.clerk, order_id, rng.choice(NO_ANSWER))
                later = self.clock.now + timedelta(hours=rng.uniform(1, 20))
                if later >= self.end:
                    return False
                self.clock.now = later
        self._answer(order_id)
        return True

    def _answer(self, order_id: str) -> None:
        rng = self.rng
        base = rng.choices([5, 4, 3], [62, 30, 8])[0]
        scores = {a: max(1, min(5, base + rng.choices([0, -1, 1], [75, 20, 5])[0]))
                  for a in ASPECTS}
        if rng.random() < 0.15:
            scores[Aspect.PRICE] = max(1, scores[Aspect.PRICE] - 1)  # the usual grumble
        if rng.random() < 0.06:
            scores[rng.choice(ASPECTS)] = rng.choice((1, 2))
        low = [a for a in ASPECTS if scores[a] <= DISSATISFIED_AT]
        comments = "；".join(BAD_WORDS[a] for a in low) if low else rng.choice(GOOD_WORDS)
        complaint = bool(low) and (self.complaints == 0 or rng.random() < 0.4)
        text = f"回访客户不满意：{comments}。请站长跟进处理。" if complaint else ""
        self.services.visits.record_visit(
            self.clerk, order_id, {a.value: s for a, s in scores.items()}, comments,
            open_complaint=complaint, complaint_text=text)
        self.dissatisfied += bool(low)
        self.complaints += complaint

    def finish(self) -> None:
        """The morning's queue: the old backlog mostly called, attempts on some others."""
        rng = self.rng
        self.clock.now = max(self.clock.now, self.end - timedelta(hours=3))
        for row in self.services.visits.queue():
            if self.clock.now >= self.end - timedelta(minutes=2):
                break
            self.clock.now += timedelta(minutes=rng.randint(1, 4))
            if self.end - row.completed_at > BACKLOG and rng.random() < 0.7:
                self._answer(row.order_id)
            elif rng.random() < 0.35:
                self.services.visits.record_attempt(self.clerk, row.order_id,
                                                    rng.choice(NO_ANSWER))
