"""The demo's warranty claims (三包索赔): after the 90 days of orders, a few more repairs of last
month shaped the way claims go wrong in daily work, each through the real services:

- a unit repaired again for the same fault 16 days after the first repair (repeat_repair);
- a main board replaced on a unit whose purchase date was only found afterwards (no old part
  was collected when it was issued, and the warranty card has no invoice number:
  old_part_missing, missing_purchase_proof);
- a unit whose nameplate is gone (missing_serial) — the manager explains it in writing;
- a repair completed on a station PC whose clock had been set back (impossible_times);
- a complicated repair charged above the schedule, with the travel fee of a farther band
  (above_schedule);
- a unit whose purchase date the clerk corrected from the invoice after the repair: the
  warranty had already ended (after_warranty_end, blocked).

Then the manager builds last month's batch (left as a draft with one warning explained) and
submits the month before's batch with only its clean orders (the others wait).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from app.domain.claims import period_of
from app.domain.enums import ChargeKind, OrderSource, OrderType, ServiceMode
from app.domain.state_machine import Action
from app.services import stock_ledger as ledger
from app.services.claims import ClaimBatchDetail
from app.services.context import Actor
from app.services.customers import CustomerInput, ProductInput
from app.services.order_warnings import Ack
from app.services.orders import ChargeInput, NewOrder, OrderEdit
from app.store.models import Part

MODEL = "KFR-35GW/BP3DN1Y"
OVERRIDE_REASON = "机身铭牌脱落，已按购机发票核对机号并拍照存档"


@dataclass(frozen=True)
class DemoClaimsResult:
    draft: ClaimBatchDetail | None
    submitted: ClaimBatchDetail | None


class DemoClaims:
    def __init__(self, services, clock, *, boss: Actor, clerk: Actor, tech: Actor,
                 end: datetime, seed: int = 7) -> None:
        self.s = services
        self.clock = clock
        self.boss, self.clerk, self.tech = boss, clerk, tech
        self.end = end
        self.rng = random.Random(seed + 11)
        first_of_month = end.astimezone().replace(day=1, hour=9, minute=0, second=0,
                                                  microsecond=0)
        #: the 1st of last month, 09:00 local time
        self.month = (first_of_month - timedelta(days=1)).replace(day=1)
        self.last_period = period_of(self.month.date())
        self.earlier_period = period_of((self.month - timedelta(days=1)).date())

    # -- the whole story ----------------------------------------------------------------------
    def run(self) -> DemoClaimsResult:
        self.clean_repairs()
        # early last month the manager sends the month before's claims
        self.clock.now = self.month + timedelta(days=2, hours=1)
        submitted = self.clean_earlier_batch()
        self.repeat_repair()
        self.board_without_old_part()
        nameplate = self.no_serial()
        self.clock_set_back()
        self.above_schedule()
        self.corrected_purchase_date()
        # and now, at the start of this month, last month's
        self.clock.now = min(self.end, self.month + timedelta(days=33))
        draft = self.s.claims.build(self.boss, self.last_period)
        line = next((x for x in draft.lines if x.order_id == nameplate), None)
        if line is not None:
            draft = self.s.claims.override(self.boss, draft.id, line.id, "missing_serial",
                                           OVERRIDE_REASON)
        self.clock.now = self.end
        return DemoClaimsResult(draft, submitted)

    def clean_earlier_batch(self) -> ClaimBatchDetail | None:
        """The month before last: the orders without any finding go to head office; those
        with one are taken out of the batch (the manager looks into them first)."""
        batch = self.s.claims.build(self.boss, self.earlier_period)
        doubtful = {x.order_id for x in batch.lines if x.findings}
        for line in [x for x in batch.lines if x.order_id in doubtful]:
            batch = self.s.claims.remove_line(self.boss, batch.id, line.id)
        if not batch.lines:
            return None
        return self.s.claims.submit(self.boss, batch.id)

    # -- the shaped repairs -------------------------------------------------------------------
    def clean_repairs(self) -> None:
        """Two repairs of the month before last that every check passes."""
        start = (self.month - timedelta(days=1)).replace(day=1)
        for day, fault in ((8, "外机不启动"), (17, "室内机漏水")):
            customer, product, phone = self._unit(bought_months_ago=6, at=start)
            when = start + timedelta(days=day - 1, hours=self.rng.randint(0, 5))
            self._repair(customer, product, phone, fault, when, labour=8000, travel=3000,
                         km=25)

    def repeat_repair(self) -> None:
        customer, product, phone = self._unit(bought_months_ago=5)
        self._repair(customer, product, phone, "空调不制冷", self._day(3),
                     labour=8000, travel=3000, km=12)
        self._repair(customer, product, phone, "空调不制冷，上次加氟后又不制冷", self._day(19),
                     labour=8000, travel=3000, km=12)

    def board_without_old_part(self) -> None:
        customer, product, phone = self._unit(bought_months_ago=None)
        part = self._board()

        def board(order_id: str) -> None:
            if part is not None:
                self.s.order_parts.issue(self.tech, order_id, part.id, 1)
            # the customer finds the warranty card (a purchase date, no invoice) only once
            # the board is in: the charges are saved after it, so the maker pays them
            self._fix_product(product, purchase=self._months_before(self.month, 7),
                              invoice="")

        self._repair(customer, product, phone, "开机无反应，内机主板不通电", self._day(6),
                     labour=8000, travel=None, km=None, during=board)

    def no_serial(self) -> str:
        customer, product, phone = self._unit(bought_months_ago=4, serial="")
        return self._repair(customer, product, phone, "外机噪音大", self._day(9), labour=8000,
                            travel=3000, km=18)

    def clock_set_back(self) -> None:
        customer, product, phone = self._unit(bought_months_ago=7)
        # the station PC's clock had been set back two hours when the job was closed
        self._repair(customer, product, phone, "遥控器无反应", self._day(12), labour=8000,
                     travel=3000, km=6, done_after=timedelta(hours=-2))

    def above_schedule(self) -> None:
        customer, product, phone = self._unit(bought_months_ago=9)
        self._repair(customer, product, phone, "制热效果差，四通阀卡死", self._day(15),
                     labour=12000, travel=3000, km=8, labour_text="更换四通阀工时（复杂维修）")

    def corrected_purchase_date(self) -> None:
        called = self._day(21)
        bought = self._months_before(called, 11)
        customer, product, phone = self._unit(bought_on=bought)
        invoice_date = self._months_before(called, 13)

        self._repair(customer, product, phone, "显示E1故障码", called, labour=8000,
                     travel=3000, km=15)
        # after the repair the clerk copies the purchase date from the invoice: a year earlier
        # than the customer remembered, so the warranty had ended before the call
        self.clock.now = called + timedelta(days=2)
        self._fix_product(product, purchase=invoice_date, invoice=f"FP{self._digits(8)}")

    # -- helpers --------------------------------------------------------------------------------
    def _day(self, n: int) -> datetime:
        """Last month's ``n``-th day at a working hour."""
        return self.month + timedelta(days=n - 1, hours=self.rng.randint(0, 5),
                                      minutes=self.rng.choice((0, 10, 25, 40)))

    @staticmethod
    def _months_before(when: datetime, months: int) -> date:
        from app.domain.warranty import add_months

        return add_months(when.date(), -months)

    def _digits(self, n: int) -> str:
        return f"{self.rng.randrange(10 ** n):0{n}d}"

    def _unit(self, bought_months_ago: int | None = None, *, bought_on: date | None = None,
              serial: str | None = None, at: datetime | None = None) -> tuple[str, str, str]:
        """A new customer with one air conditioner (its file made at the start of the month)."""
        self.clock.now = at or self.month
        phone = "13" + self._digits(9)
        names = ("周建华", "吴秀英", "郑国强", "孙丽娟", "冯志鹏", "陈海燕")
        customer = self.s.customers.create(self.clerk, CustomerInput(
            self.rng.choice(names), (phone,),
            f"北京市海淀区学院路{self.rng.randint(1, 300)}号华清嘉园{self.rng.randint(1, 30)}号楼"))
        if bought_on is None and bought_months_ago is not None:
            bought_on = self._months_before(self.clock.now, bought_months_ago)
        product = self.s.customers.add_product(self.clerk, customer.id, ProductInput(
            MODEL, f"SN{self._digits(10)}" if serial is None else serial, bought_on,
            f"FP{self._digits(8)}" if bought_on else "", 12))
        return customer.id, product.id, phone

    def _fix_product(self, product_id: str, *, purchase: date, invoice: str) -> None:
        from app.store.models import Product

        with self.s.db.read() as session:
            row = session.get(Product, product_id)
            model, serial, months, current = (row.model, row.serial_no, row.warranty_months,
                                              row.revision)
        self.s.customers.update_product(
            self.clerk, product_id, ProductInput(model, serial, purchase, invoice, months),
            current)

    def _board(self) -> Part | None:
        """A return-required part of the air conditioner in stock (a main board, else any)."""
        with self.s.db.read() as session:
            parts = list(session.scalars(select(Part).where(Part.return_required.is_(True),
                                                            Part.active.is_(True))
                                         .order_by(Part.part_no)))
            fitting = [p for p in parts if "KFR" in p.models.upper() or not p.models]
            boards = [p for p in fitting if "主板" in p.name] + fitting
            for part in boards:
                if ledger.on_hand(session, part.id) > 0:
                    return part
        return None

    def _repair(self, customer: str, product: str, phone: str, fault: str, called: datetime,
                *, labour: int, travel: int | None, km: int | None,
                labour_text: str = "维修工时费", done_after: timedelta = timedelta(hours=3),
                during: Callable[[str], None] | None = None) -> str:
        """One on-site repair from the call to completion; returns the order id."""
        orders = self.s.orders
        self.clock.now = called
        order = orders.create(self.clerk, NewOrder(
            OrderType.REPAIR, OrderSource.PHONE, ServiceMode.ON_SITE, fault, phone,
            customer_id=customer, product_id=product), acknowledged=Ack("演示数据"))
        self.clock.now = called + timedelta(minutes=12)
        orders.transition(self.clerk, order.id, Action.ACCEPT)
        self.clock.now = called + timedelta(minutes=20)
        orders.transition(self.clerk, order.id, Action.ASSIGN, technician_id=self.tech.user_id)
        if km is not None:
            d = orders.detail(order.id, self.clerk)
            orders.update(self.clerk, order.id, OrderEdit(
                d.order_type, d.service_mode, d.fault_description, d.contact_phone,
                d.service_address, product, travel_km=km), d.revision)
        arrived = called + timedelta(hours=3)
        self.clock.now = arrived
        orders.transition(self.tech, order.id, Action.START_ON_SITE)
        if during is not None:
            during(order.id)
        self.clock.now = arrived + done_after
        orders.add_repair_record(self.tech, order.id, fault, "检修排除故障，试机正常", 60)
        detail = orders.detail(order.id, self.tech)
        lines: list[ChargeInput] = [c for c in detail.charges if c.part_id is not None]
        lines.append(ChargeInput(ChargeKind.LABOUR, labour_text, 1, labour))
        if travel is not None:
            lines.append(ChargeInput(ChargeKind.TRAVEL, "上门费", 1, travel))
        orders.set_charges(self.tech, order.id, lines, detail.revision)
        orders.transition(self.tech, order.id, Action.COMPLETE)
        return order.id


def generate(services, clock, *, boss: Actor, clerk: Actor, tech: Actor, end: datetime,
             seed: int = 7) -> DemoClaimsResult:
    """``app.services.demo_data`` calls this once the 90 days of orders are in."""
    return DemoClaims(services, clock, boss=boss, clerk=clerk, tech=tech, end=end,
                      seed=seed).run()
