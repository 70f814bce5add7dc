"""The parts side of the demo station (配件): a catalogue that fits the demo's products, the
opening stock ordered from head office, parts issued onto repairs (some returned unused, old
parts collected under warranty), counter sales, a posted and an open stock count, old-part
return shipments, an order waiting for parts and a draft re-order suggested by the stock.

Everything goes through the real services at the walking clock's time, as daily use would:
the catalogue through the offline CSV import (a file written in a temporary folder), head
office's confirmation and shipment of the opening order as ``parts_order_update`` changes
applied by the pull's own handler (``sync_apply.apply_change``; the demo has no head office).
``demo_data.generate`` calls ``setup`` once the users exist, ``tick`` before each order (the
events whose time has come run first), the hooks while an order is walked, and ``finish``.

Deterministic for a seed: its own random stream, so the orders, customers and states the
demo's main stream draws are the same with or without parts.
"""

from __future__ import annotations

import heapq
import random
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.domain.enums import OrderStatus, OrderType, WarrantyStatus
from app.domain.parts import PaymentMethod
from app.domain.state_machine import Action
from app.services.context import Actor
from app.services.demo_catalogue import (
    CARE,
    CATALOGUE,
    INSTALL,
    PLAIN_REPAIRS,
    REPAIR,
    DemoPart,
    write_catalogue,
)
from app.services.order_queries import OrderFilter
from app.services.parts_orders import LineInput
from app.services.sales import NewSale, SaleLineInput
from app.services.sync_apply import apply_change
from sync import protocol as p

if TYPE_CHECKING:
    from app.bootstrap import Services
    from app.services.demo_data import WalkingClock
    from app.services.orders import OrderDetail

CARRIER = "顺丰速运"
PAYMENTS = ((PaymentMethod.CASH, 30), (PaymentMethod.WECHAT, 40), (PaymentMethod.ALIPAY, 20),
            (PaymentMethod.BANK_CARD, 7), (PaymentMethod.ON_ACCOUNT, 3))
#: HQ confirms fewer of these (out of stock there): the station starts low on them
SHORT_AT_HQ = {"KT-4301-0035": 2, "XY-1203-0100": 3}



@dataclass(frozen=True)
class Repair:
    """What the technician writes in the repair record, and the order as it is now."""

    detail: OrderDetail
    diagnosis: str
    action: str
    #: catalogue parts were issued onto the order
    issued: bool = False


@dataclass(order=True)
class _Event:
    at: datetime
    seq: int
    run: Callable[[], None] = field(compare=False)


class DemoParts:
    """The parts area of one demo run (see the module's docstring)."""

    def __init__(self, services: Services, clock: WalkingClock, *, seed: int, orders: int,
                 boss: Actor, clerk: Actor, tech: Actor, end: datetime) -> None:
        self.services = services
        self.clock = clock
        self.rng = random.Random(seed * 1_000_003 + 17)
        self.scale = max(orders, 150) / 1000
        self.boss, self.clerk, self.tech = boss, clerk, tech
        self.end = end
        self.fitting: dict[str, list[DemoPart]] = {}
        for part in CATALOGUE:
            for model in part.models:
                self.fitting.setdefault(model, []).append(part)
        self.counter_parts = [x for x in CATALOGUE if x.counter]
        self._events: list[_Event] = []
        self._seq = 0
        self._hq_seq = 0
        self._short: dict[str, dict[str, int]] = {}
        self.customers: list[str] = []
        self.waiting: list[str] = []
        self._void_from = 0
        self._voided = False

    # -- the calendar ---------------------------------------------------------------------------
    def _at(self, when: datetime, run: Callable[[], None]) -> None:
        self._seq += 1
        heapq.heappush(self._events, _Event(when, self._seq, run))

    def tick(self, now: datetime) -> None:
        """Runs every event due by ``now``, each at its own time; the clock is left at
        ``now``."""
        while self._events and self._events[0].at <= now:
            event = heapq.heappop(self._events)
            self.clock.now = event.at
            event.run()
        self.clock.now = now

    def _day_time(self, day: datetime) -> datetime:
        """Some hours into ``day``. Relative to the demo's start, as the orders' times are
        (not the local opening hours): so a seed gives the same demo whenever it is run."""
        return day + timedelta(seconds=self.rng.randrange(9 * 3600))

    # -- opening the station's stock ----------------------------------------------------------
    def setup(self) -> None:
        """At the station's first day: the catalogue, its shelves and thresholds, the opening
        order to head office; the rest of the 90 days is put in the calendar."""
        start = self.clock.now
        with tempfile.TemporaryDirectory(prefix="demo-parts-") as folder:
            path = write_catalogue(Path(folder) / "配件目录.csv")
            self.services.catalogue.import_csv(self.boss, path)
        for part in CATALOGUE:
            self.services.catalogue.set_setting(self.boss, part.id, location=part.location,
                                                low_stock_threshold=part.threshold)
        self.clock.now = start + timedelta(minutes=40)
        lines = [LineInput(x.part_no, max(x.threshold + 2, round(x.stock * self.scale)))
                 for x in CATALOGUE if x.stock]
        draft = self.services.parts_orders.create_draft(self.boss, lines, "开业首批备件")
        self.services.parts_orders.submit(self.boss, draft.id, draft.revision)
        self._at(start + timedelta(hours=4), lambda: self._hq_confirm(draft.id, SHORT_AT_HQ))
        self._at(start + timedelta(hours=22), lambda: self._hq_ship(draft.id))
        self._at(start + timedelta(days=1, hours=3), lambda: self._receive(draft.id, True))
        self._at(start + timedelta(days=2, hours=1), lambda: self._receive(draft.id, False))
        days = (self.end - start).days
        for day in (30, 60):  # the monthly re-order, as the stock suggests it
            self._at(self._day_time(start + timedelta(days=day)), self._reorder)
        sales = max(8, round(36 * self.scale))
        self._void_from = self.rng.randrange(2, sales - 2)
        for i, offset in enumerate(sorted(self.rng.uniform(3, days - 1) for _ in range(sales))):
            self._at(self._day_time(start + timedelta(days=offset)),
                     lambda i=i: self._sale(i))
        self._at(self._day_time(start + timedelta(days=days - 40)), self._first_shipment)
        self._at(self._day_time(start + timedelta(days=days - 30)), self._posted_count)

    def _hq_change(self, payload: dict[str, Any],
                   entity: p.HqEntity = p.HqEntity.PARTS_ORDER_UPDATE) -> None:
        """Head office's answer, applied the way a pull applies it."""
        self._hq_seq += 1
        key = payload["parts_order_id" if entity is p.HqEntity.PARTS_ORDER_UPDATE
                      else "old_part_id"]
        change = p.Change(self._hq_seq, entity.value, key, "upsert", payload)
        db = self.services.db
        with db.write() as s, s.no_autoflush:
            kinds = apply_change(s, change, self.clock.now)
        self.services.bus.publish(kinds)

    def _hq_answer(self, order_id: str, status: str, shipped: bool,
                   short: dict[str, int]) -> dict[str, Any]:
        """Head office's whole answer so far, as ``repair-station-hq parts-order confirm``
        and ``ship`` write it; ``short``: parts head office confirms fewer of."""
        order = self.services.parts_orders.detail(order_id)
        lines = []
        for line in order.lines:
            confirmed = min(line.quantity, short.get(line.part_no, line.quantity))
            lines.append({"part_id": line.part_id, "part_no": line.part_no,
                          "quantity": line.quantity, "confirmed_quantity": confirmed,
                          "shipped_quantity": confirmed if shipped else 0})
        confirmed_at = order.confirmed_at or self.clock.now
        return {"parts_order_id": order.id, "number": order.number, "status": status,
                "hq_revision": 2 if shipped else 1,
                "note": "四通阀(1.5匹)、门封圈总部缺货，按确认数量发货" if short else "",
                "confirmed_at": confirmed_at.isoformat(),
                "shipped_at": self.clock.now.isoformat() if shipped else None, "lines": lines}

    def _hq_confirm(self, order_id: str, short: dict[str, int]) -> None:
        self._short[order_id] = short
        self._hq_change(self._hq_answer(order_id, "confirmed", False, short))

    def _hq_ship(self, order_id: str) -> None:
        self._hq_change(self._hq_answer(order_id, "shipped", True, self._short[order_id]))

    def _receive(self, order_id: str, first: bool = False) -> None:
        """Goods in. The opening delivery comes in two lots: the first boxes (shelves A to
        C), then the rest."""
        order = self.services.parts_orders.detail(order_id)
        lines = [LineInput(x.part_no, x.awaiting) for x in order.lines
                 if x.awaiting and (not first or x.part_no[:2] in ("KT", "XY", "BX"))]
        if lines:
            self.services.parts_orders.receive(self.clerk, order.id, lines, order.revision)

    def _reorder(self) -> None:
        """The manager orders what the stock suggests (and a little more); head office
        confirms the same day,
        ships the next, it arrives the day after."""
        suggested = self.services.parts_orders.suggest()
        if not suggested:
            return
        orders = self.services.parts_orders
        # the manager rounds the suggestion up by a threshold's worth: a month's use
        draft = orders.create_draft(self.boss, [LineInput(x.part_no, x.quantity + x.threshold)
                                                for x in suggested], "月度补货")
        orders.submit(self.boss, draft.id, draft.revision)
        now = self.clock.now
        self._at(now + timedelta(hours=3), lambda: self._hq_confirm(draft.id, {}))
        self._at(now + timedelta(hours=20), lambda: self._hq_ship(draft.id))
        self._at(self._day_time(now + timedelta(days=2)), lambda: self._receive(draft.id))

    # -- parts on orders ----------------------------------------------------------------------
    def repair(self, detail: OrderDetail, actor: Actor) -> Repair:
        """Just before the order is completed: the parts the repair took (issued from stock
        about half an hour earlier), and what the repair record says."""
        order_id = detail.id
        model = detail.product.model if detail.product else ""
        self.customers.append(detail.customer.id)
        rng = self.rng
        plain = PLAIN_REPAIRS.get(model) or (("线路接触不良", "紧固接线"),)
        order_type = OrderType(detail.order_type)
        purpose, share = {OrderType.INSTALL: (INSTALL, 0.5),
                          OrderType.MAINTENANCE: (CARE, 0.3)}.get(order_type, (REPAIR, 0.55))
        if order_type in (OrderType.COMPLAINT, OrderType.ENQUIRY):
            share = 0.15
        if rng.random() >= share:
            return Repair(detail, *rng.choice(plain))
        in_warranty = detail.warranty is WarrantyStatus.IN_WARRANTY
        fits = self.fitting.get(model, ())
        if purpose == REPAIR:  # a repair may also need a hose or a bracket
            candidates = [x for x in fits if x.purpose != CARE]
        else:
            candidates = [x for x in fits if x.purpose == purpose]
        weights = [x.use * (5 if x.return_required and in_warranty else 1)
                   * (1 if x.purpose == purpose else 0.3) for x in candidates]
        part = self._pick(candidates, weights, order_id)
        if part is None:
            return Repair(detail, *rng.choice(plain))
        quantity = rng.choice(part.per_job)
        spare = int(rng.random() < 0.1 and self._free(part, order_id) >= quantity + 1)
        issue_at, now = self.clock.now - timedelta(minutes=35), self.clock.now
        self.clock.now = issue_at
        on_order = self.services.order_parts
        detail = on_order.issue(actor, order_id, part.id, quantity + spare)
        if spare:
            self.clock.now = now - timedelta(minutes=10)
            detail = on_order.return_parts(actor, order_id, part.id, 1,
                                           reason="多领一件未使用，退回库存")
        elif rng.random() < 0.06:
            other = self._pick([x for x in candidates if x is not part],
                               [1.0] * (len(candidates) - 1), order_id)
            if other is not None:
                on_order.issue(actor, order_id, other.id, 1)
                self.clock.now = now - timedelta(minutes=10)
                detail = on_order.return_parts(actor, order_id, other.id, 1,
                                               reason="复查后故障不在此件，未使用")
        self.clock.now = now
        action = f"更换{part.name}"
        if part.unit in ("千克", "瓶"):
            action = f"检漏补焊，加注{part.name} {quantity}{part.unit}"
        elif part.unit == "米":
            action = f"更换{part.name} {quantity}米，重新抽真空"
        return Repair(detail, f"检查发现{part.fault}", action, issued=True)

    def _free(self, part: DemoPart, order_id: str | None) -> int:
        return self.services.order_parts.availability(part.id, order_id).available

    def _pick(self, candidates: list[DemoPart], weights: list[float],
              order_id: str | None) -> DemoPart | None:
        """A part of ``candidates`` by weight that stock can still give."""
        pool = list(zip(candidates, weights, strict=True))
        while pool:
            part = self.rng.choices([c for c, _ in pool], [w for _, w in pool])[0]
            if self._free(part, order_id) >= max(part.per_job) + 1:
                return part
            pool = [(c, w) for c, w in pool if c is not part]
        return None

    def wait_for_parts(self, order_id: str, actor: Actor) -> None:
        """The order went to waiting for parts: the technician reserves the big part it
        needs, one the shelf lacks where there is one (head office's next delivery brings
        it)."""
        detail = self.services.orders.detail(order_id, actor)
        model = detail.product.model if detail.product else ""
        big = [x for x in self.fitting.get(model, ()) if x.purpose == REPAIR
               and (x.return_required or x.station_fen >= 10_000)]
        if big:
            missing = [x for x in big if self._free(x, order_id) <= 0]
            part = self.rng.choice(missing or big)
            self.services.order_parts.reserve(actor, order_id, part.id, 1)
            self.waiting.append(order_id)

    # -- the counter ----------------------------------------------------------------------------
    def _sale(self, index: int) -> None:
        """A walk-in or a known customer buys a part or two; one sale (the first from
        ``_void_from`` on) is voided by the manager soon after."""
        rng = self.rng
        lines: list[SaleLineInput] = []
        for _ in range(rng.choice((1, 1, 1, 2))):
            part = rng.choices(self.counter_parts, [x.counter for x in self.counter_parts])[0]
            quantity = rng.choice((1, 1, 1, 2))
            if (all(line.part_id != part.id for line in lines)
                    and self._free(part, None) >= quantity):
                lines.append(SaleLineInput(part.id, quantity))
        if not lines:
            return
        method = rng.choices([m for m, _ in PAYMENTS], [w for _, w in PAYMENTS])[0]
        customer = rng.choice(self.customers) if self.customers and (
            method is PaymentMethod.ON_ACCOUNT or rng.random() < 0.35) else None
        if method is PaymentMethod.ON_ACCOUNT and customer is None:
            method = PaymentMethod.CASH
        by_id = {x.id: x for x in CATALOGUE}
        subtotal = sum(by_id[x.part_id].retail_fen * x.quantity for x in lines)
        cost = sum(by_id[x.part_id].station_fen * x.quantity for x in lines)
        discount = subtotal % 1000 if rng.random() < 0.25 else 0  # 抹零
        if subtotal - discount < cost:
            discount = 0
        sale = self.services.sales.sell(self.clerk, NewSale(lines, method, discount,
                                                            customer_id=customer))
        if index >= self._void_from and not self._voided:
            self._voided = True
            self.clock.now += timedelta(minutes=rng.randint(15, 50))
            self.services.sales.void(self.boss, sale.id, "顾客买错型号，原价退款")

    # -- counts -------------------------------------------------------------------------------
    def _posted_count(self) -> None:
        """The month-end count of every shelf (each part scanned): two start capacitors
        and a remote missing, one belt more than the books say; the reason names them."""
        counts = self.services.counts
        count = counts.open(self.boss)
        off = {"KT-3002-3501": -1, "KT-3301-0035": -2, "XY-1201-1270": 1}
        found = []
        for line in count.lines:
            self.clock.now += timedelta(seconds=self.rng.randint(8, 40))
            have = self.services.stock.on_hand(line.part_id)
            counted = max(0, have + off.get(line.part_no, 0))
            counts.enter_scanned(self.clerk, count.id, line.part_no, counted)
            if counted != have:
                found.append(f"{line.name}{counted - have:+d}{line.unit}")
        self.clock.now += timedelta(minutes=20)
        counts.post(self.boss, count.id, "月末盘点：" + ("，".join(found) or "账实相符"))

    def _open_count(self) -> None:
        """The air-conditioner shelves are being counted as the demo ends."""
        counts = self.services.counts
        count = counts.open(self.boss, "A-")
        for line in count.lines[: len(count.lines) // 3]:
            self.clock.now += timedelta(seconds=self.rng.randint(8, 40))
            counts.enter_scanned(self.clerk, count.id, line.part_no,
                                 self.services.stock.on_hand(line.part_id))

    # -- old parts ----------------------------------------------------------------------------
    def _first_shipment(self) -> None:
        """The month's old parts go back to head office with the courier; a week later
        again if none had been collected yet."""
        collected = self.services.old_parts.collected()
        if not collected:
            if self.clock.now + timedelta(days=7) < self.end - timedelta(days=10):
                self._at(self.clock.now + timedelta(days=7), self._first_shipment)
            return
        ship = self.services.old_parts.create_shipment(self.clerk, [x.id for x in collected])
        self.clock.now += timedelta(hours=3)
        waybill = f"SF{self.rng.randrange(10**12, 10**13)}"
        self.services.old_parts.ship(self.boss, ship.id, f"{CARRIER} {waybill}")
        self._at(self.clock.now + timedelta(days=3), lambda: self._hq_inspect(ship.id, False))
        self._at(self.clock.now + timedelta(days=9), lambda: self._hq_inspect(ship.id, True))

    def _hq_inspect(self, shipment_id: str, inspected: bool) -> None:
        """Head office signs for the shipment, and a week later has inspected it: most old
        parts confirm the defect, one is found without fault."""
        ship = self.services.old_parts.shipment(shipment_id)
        for i, old in enumerate(ship.parts):
            payload: dict[str, Any] = {"old_part_id": old.id, "tag_no": old.tag_no,
                                       "status": "received", "result": "", "note": "",
                                       "at": self.clock.now.isoformat()}
            if inspected:
                fault = i == len(ship.parts) - 1 and len(ship.parts) > 1
                payload.update(status="inspected",
                               result="no_fault_found" if fault else "defect_confirmed",
                               note="通电测试正常，请核实故障判断" if fault else "")
            self._hq_change(payload, p.HqEntity.OLD_PART_INSPECTION)

    def _open_shipment(self) -> None:
        collected = self.services.old_parts.collected()
        if collected:
            self.services.old_parts.create_shipment(self.clerk, [x.id for x in collected])

    # -- the last days ------------------------------------------------------------------------
    def finish(self) -> None:
        """The events still due, then the state the demo ends in: old parts being packed,
        an order waiting for parts, a count under way and a re-order drafted from the
        stock's suggestion."""
        end = self.end
        self.tick(end - timedelta(hours=6))
        self.clock.now = end - timedelta(hours=5)
        self._open_shipment()
        if not self.waiting:
            self._someone_waits()
        self.clock.now = end - timedelta(hours=4)
        suggested = self.services.parts_orders.suggest()
        if suggested:
            self.services.parts_orders.create_draft(
                self.boss, [LineInput(x.part_no, x.quantity) for x in suggested],
                "按库存下限及待件工单建议补货")
        self.clock.now = end - timedelta(hours=3)
        self._open_count()
        self.clock.now = end

    def _someone_waits(self) -> None:
        """No order reached waiting for parts on its own (a small demo): the newest order a
        technician is on site for waits for one."""
        rows = self.services.orders.search(OrderFilter(status=OrderStatus.ON_SITE), limit=20)
        for row in rows:
            detail = self.services.orders.detail(row.id, self.boss)
            actor = self.tech if detail.technician_id == self.tech.user_id else self.boss
            self.wait_for_parts(row.id, actor)
            if self.waiting:
                self.services.orders.transition(actor, row.id, Action.WAIT_PARTS)
                return
