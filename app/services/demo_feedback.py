"""The demo's quality feedback cards (产品质量反馈卡), filled the way a station fills them in its
last fortnight, each through ``FeedbackService``:

- a capacitor that failed in a humid coastal flat, from the technician's repair, with the
  photo of the swollen part, submitted (材料);
- a unit whose drain was fitted uphill by the dealer's installer, submitted by the manager
  (安装);
- a motor burnt out by a unit run on an overloaded extension lead, submitted (使用);
- a card the clerk typed up from the technician's handwritten note, waiting for the
  technician to choose the cause (a draft);
- a draft the technician started with a photo, the cause chosen, not yet submitted;
- a card of its own, no order: a unit delivered to the station with its casing cracked in
  transit, found when it was unpacked (运输), submitted.

Cards from orders take finished repairs that used a part, so the model, serial, fault and
faulty part come from the order as the service prefills them.
"""

from __future__ import annotations

import random
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from PIL import Image, ImageDraw
from sqlalchemy import select

from app.domain.enums import OrderStatus
from app.domain.feedback import CauseCategory
from app.services.context import Actor
from app.services.feedback import CardFields, FeedbackDetail
from app.store.models import ChargeLine, Product, ServiceOrder

_DONE = (OrderStatus.COMPLETED.value, OrderStatus.VISITED.value, OrderStatus.CLOSED.value)

#: (cause, use environment, customer's opinion, who submits: "tech" / "boss" / None, photo)
FROM_ORDERS: tuple[tuple[CauseCategory | None, str, str, str | None, bool], ...] = (
    (CauseCategory.MATERIAL, "沿海住宅，室内湿度常年在80%以上", "用了不到一年就坏，希望厂家改进配件质量",
     "tech", True),
    (CauseCategory.INSTALLATION, "新房，经销商安排安装，装好后未试机", "安装师傅走得太急，要求经销商道歉",
     "boss", False),
    (CauseCategory.USE, "出租屋，长期满负荷使用，从未按说明书保养", "", "tech", False),
    (None, "小区顶楼，夏季室内温度常超过35℃", "等师傅确认原因后再联系我", None, False),
    (CauseCategory.MANUFACTURING, "办公室，每天使用10小时以上", "同批次的另一台也有同样的问题", None, True),
)


class DemoFeedback:
    def __init__(self, services, clock, *, boss: Actor, clerk: Actor, tech: Actor,
                 end: datetime, seed: int = 7) -> None:
        self.services = services
        self.clock = clock
        self.boss, self.clerk, self.tech = boss, clerk, tech
        self.end = end
        self.rng = random.Random(seed * 31 + 11)

    def run(self) -> list[FeedbackDetail]:
        cards: list[FeedbackDetail] = []
        with tempfile.TemporaryDirectory(prefix="demo-feedback-") as folder:
            photos = Path(folder)
            orders = self._repairs_with_parts(len(FROM_ORDERS))
            for n, (order_id, technician_id, cleared) in enumerate(orders):
                cause, environment, opinion, submitter, photo = FROM_ORDERS[n]
                # the card is written the day after the repair (never after the demo's end)
                after = (cleared or self.end) + timedelta(hours=self.rng.randint(3, 26))
                self.clock.now = min(after, self.end - timedelta(hours=3))
                cards.append(self._from_order(order_id, technician_id, cause, environment,
                                              opinion, submitter,
                                              self._photo(photos, n) if photo else None))
            self.clock.now = self.end - timedelta(days=1, hours=5)
            cards.append(self._on_its_own(self._photo(photos, 9, jpeg=True)))
        return cards

    def _repairs_with_parts(self, count: int
                            ) -> list[tuple[str, str | None, datetime | None]]:
        """Finished repairs that used a part, newest first, one per product model (the
        quality department reads a spread, not one model five times)."""
        with self.services.db.read() as s:
            rows = s.execute(
                select(ServiceOrder.id, ServiceOrder.technician_id, Product.model,
                       ServiceOrder.cleared_at)
                .join(Product, Product.id == ServiceOrder.product_id)
                .where(ServiceOrder.status.in_(_DONE),
                       ServiceOrder.id.in_(select(ChargeLine.order_id)
                                           .where(ChargeLine.part_id.is_not(None))))
                .order_by(ServiceOrder.cleared_at.desc(), ServiceOrder.number.desc())).all()
        picked: list[tuple[str, str | None, datetime | None]] = []
        seen: set[str] = set()
        for order_id, technician_id, model, cleared in rows:
            if model not in seen:
                seen.add(model)
                picked.append((order_id, technician_id, cleared))
            if len(picked) == count:
                break
        return picked

    def _worker(self, technician_id: str | None) -> Actor:
        return self.tech if technician_id == self.tech.user_id else self.boss

    def _from_order(self, order_id: str, technician_id: str | None,
                    cause: CauseCategory | None, environment: str, opinion: str,
                    submitter: str | None, photo: Path | None) -> FeedbackDetail:
        service = self.services.feedback
        worker = self._worker(technician_id)
        # the clerk types up the card the technician wrote by hand, until the cause is chosen
        author = self.clerk if cause is None else worker
        card = service.new_from_order(author, order_id)
        f = card.fields
        card = service.save(author, card.id, CardFields(
            product_model=f.product_model, serial_no=f.serial_no,
            production_info=self._batch(), fault_phenomenon=f.fault_phenomenon,
            faulty_part=f.faulty_part, cause_category=cause, use_environment=environment,
            customer_opinion=opinion), card.revision)
        if photo is not None:
            card = service.attach_photo(author, card.id, photo, card.revision)
        if submitter is not None:
            self.clock.now += timedelta(hours=2)
            card = service.submit(self.boss if submitter == "boss" else worker, card.id,
                                  card.revision)
        return card

    def _on_its_own(self, photo: Path) -> FeedbackDetail:
        service = self.services.feedback
        card = service.new(self.boss, CardFields(
            product_model="XQG80-BX12", serial_no=f"SN{self.rng.randrange(10**10):010d}",
            production_info=self._batch(),
            fault_phenomenon="到货开箱检查时发现前面板右下角外壳破裂，包装箱同一位置有明显挤压痕迹，"
                             "整机未通电。",
            faulty_part="前面板外壳", cause_category=CauseCategory.TRANSPORT,
            use_environment="未使用（站内库存机）", customer_opinion="",))
        card = service.attach_photo(self.boss, card.id, photo, card.revision)
        return service.submit(self.boss, card.id, card.revision)

    def _batch(self) -> str:
        month = self.rng.randint(1, 12)
        return f"{self.rng.choice((2024, 2025))}-{month:02d} 批次{self.rng.choice('ABCDEF')}" \
               f"{self.rng.randint(1, 40):02d}"

    def _photo(self, folder: Path, n: int, jpeg: bool = False) -> Path:
        """A small picture standing in for the technician's photo: a part on a workbench."""
        width, height = 640, 480
        image = Image.new("RGB", (width, height), (196, 176, 150))
        draw = ImageDraw.Draw(image)
        for y in range(0, height, 24):  # the bench's grain
            draw.line([(0, y), (width, y + self.rng.randint(-6, 6))], fill=(178, 156, 128),
                      width=3)
        x, y = self.rng.randint(120, 260), self.rng.randint(110, 200)
        draw.rounded_rectangle([x, y, x + 240, y + 150], radius=30, fill=(70, 70, 78),
                               outline=(30, 30, 30), width=4)
        draw.ellipse([x + 150, y - 20, x + 230, y + 40], fill=(120, 40, 30))  # the bulge
        draw.rectangle([x + 30, y + 150, x + 42, y + 210], fill=(180, 180, 170))
        draw.rectangle([x + 198, y + 150, x + 210, y + 210], fill=(180, 180, 170))
        path = folder / f"IMG_20260{n:02d}.{'jpg' if jpeg else 'png'}"
        image.save(path, "JPEG" if jpeg else "PNG", **({"quality": 85} if jpeg else {}))
        return path


def generate(services, clock, *, boss: Actor, clerk: Actor, tech: Actor, end: datetime,
             seed: int = 7) -> list[FeedbackDetail]:
    """``app.services.demo_data`` calls this once the 90 days of orders are in."""
    return DemoFeedback(services, clock, boss=boss, clerk=clerk, tech=tech, end=end,
                        seed=seed).run()
