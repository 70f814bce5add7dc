"""Several devices of one station against the live head office: joining them, random work on
each (orders, customers, stock, users, claims), and the end-of-run comparison of every device
field by field (``app.services.station_state``) and of head office's copy."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app.bootstrap import open_services
from app.domain import state_machine as sm
from app.domain.enums import OrderSource, OrderStatus, OrderType, Role, ServiceMode
from app.domain.errors import RuleViolation
from app.domain.parts import PaymentMethod, part_id
from app.services.context import Actor
from app.services.customers import CustomerInput
from app.services.device_join import DeviceJoin
from app.services.errors import NotFound, StaleEdit
from app.services.journal import journal_order, record, row_payload
from app.services.old_parts import _record_old as record_old
from app.services.orders import NewOrder
from app.services.sales import NewSale, SaleLineInput
from app.services.station_state import station_state
from app.services.sync_service import SyncService
from app.services.sync_token import FileTokenStore
from app.services.users import NewUser
from app.store.models import (
    Customer,
    OldPart,
    OutboxOp,
    Product,
    ServiceOrder,
    SyncConflict,
    User,
)
from sync.client import SyncError
from sync.hq import catalogue
from sync.hq.models import HqReceivedOp, HqStation
from sync.parts_csv import CatalogueRow
from tests.services.claims_helpers import CAP, Shape, finished_order, publish_policy
from tests.sync.faults.harness import PASSWORD, LiveHq, StationRig, fast_transport

#: the part both laptops sell the last unit of
LAST_UNIT = "DEV-CAP-01"


def join_device(root: Path, hq: LiveHq, url: str, code: str, name: str) -> StationRig:
    """A new device of station ``code``: an empty data folder joined with its own token."""
    assert hq.admin is not None
    _row, token = hq.admin.add_device(code, name)
    services = open_services(root)
    tokens = FileTokenStore(root)
    join = DeviceJoin(services.db, services.bus, tokens, services.sync.clock, fast_transport)
    join.start(None, url, code, token)
    sync = SyncService(services.db, services.bus, tokens, services.sync.clock, fast_transport)
    services.sync = sync
    return StationRig(code, services, sync, token)


def login(rig: StationRig, username: str = "boss") -> Actor:
    return rig.services.users.login(username, PASSWORD)


def publish_catalogue(hq: LiveHq) -> None:
    """Head office publishes the parts (配件目录): every device gets them by pull or
    snapshot (the part sold to the last unit, and the claims helpers' capacitor)."""
    assert hq.db is not None
    catalogue.publish(hq.db, [
        CatalogueRow(2, LAST_UNIT, "启动电容", "", "", "个", 4500, 3000, False, None),
        CatalogueRow(3, CAP, "启动电容", "", "", "个", 4500, 3000, True, None)])


def submit_claim(rig: StationRig) -> str:
    """The manager's claim batch for 2026-05 (三包索赔) over one finished warranty repair,
    the order and its old part journaled as the services would have; returns its number."""
    services, manager = rig.services, login(rig)
    publish_policy(services, manager)
    order_id = finished_order(services, manager, Shape(parts=((CAP, 1, 1),)))
    with services.db.write() as s:
        order = s.get(ServiceOrder, order_id)
        assert order is not None
        journal_order(s, manager, order, "complete", order.updated_at)
        product = s.get(Product, order.product_id)
        assert product is not None
        product.revision += 1
        record(s, manager, action="update", entity="product", entity_id=product.id,
               payload=row_payload(product))
        for old in s.scalars(select(OldPart).where(OldPart.order_id == order_id)):
            record_old(s, manager, old, "collect")
    draft = services.claims.build(manager, "2026-05")
    return services.claims.submit(manager, draft.id).number


def count_stock(rig: StationRig, quantity: int) -> None:
    """A 盘点 that sets the part's stock to ``quantity``."""
    actor = login(rig)
    counts = rig.services.counts
    count = counts.open(actor)
    counts.enter_scanned(actor, count.number, LAST_UNIT, quantity)
    counts.post(actor, count.number, "设备测试盘点")


def sell_one(rig: StationRig) -> bool:
    try:
        rig.services.sales.sell(login(rig), NewSale(
            [SaleLineInput(part_id(LAST_UNIT), 1)], PaymentMethod.CASH))
    except RuleViolation:
        return False
    return True


def sync_quietly(rig: StationRig) -> bool:
    try:
        rig.sync.sync_now()
    except SyncError:
        return False
    return True


@dataclass
class Workload:
    """Random edits through the real services on any device, each recorded by kind."""

    rnd: random.Random
    done: dict[str, int]

    @classmethod
    def seeded(cls, seed: int) -> Workload:
        return cls(random.Random(seed), {})

    def step(self, rig: StationRig) -> None:
        actions: list[Callable[[StationRig], bool]] = [
            self.new_order, self.new_order, self.edit_customer, self.edit_customer,
            self.advance_order, self.advance_order, self.add_user, self.change_password,
            self.sell, self.restock,
        ]
        action = self.rnd.choice(actions)
        if action(rig):
            self.done[action.__name__] = self.done.get(action.__name__, 0) + 1

    def new_order(self, rig: StationRig) -> bool:
        phone = f"139{self.rnd.randrange(10**8):08d}"
        rig.services.orders.create(login(rig), NewOrder(
            OrderType.REPAIR, OrderSource.PHONE, ServiceMode.ON_SITE,
            f"故障 {self.rnd.randrange(1000)} 不制冷", phone,
            customer=CustomerInput(f"{rig.code}客户{self.rnd.randrange(10**6)}", (phone,),
                                   "北京市海淀区")))
        return True

    def edit_customer(self, rig: StationRig) -> bool:
        with rig.services.db.read() as s:
            rows = s.execute(select(Customer.id, Customer.revision).where(
                Customer.erased_at.is_(None)).order_by(Customer.id)).all()
        if not rows:
            return False
        customer_id, revision = self.rnd.choice(rows)
        current = rig.services.customers.get(customer_id, viewer=login(rig))
        try:
            rig.services.customers.update(login(rig), customer_id, CustomerInput(
                current.name, tuple(current.phones),
                f"北京市海淀区{self.rnd.randrange(1000)}号"), revision)
        except (StaleEdit, NotFound, RuleViolation):
            return False
        return True

    def advance_order(self, rig: StationRig) -> bool:
        with rig.services.db.read() as s:
            rows = s.execute(select(ServiceOrder.id, ServiceOrder.status).order_by(
                ServiceOrder.id)).all()
        open_rows = [r for r in rows if OrderStatus(r.status).open]
        if not open_rows:
            return False
        order_id, status = self.rnd.choice(open_rows)
        actor = login(rig)
        moves = {OrderStatus.RECEIVED.value: sm.Action.ACCEPT,
                 OrderStatus.ACCEPTED.value: sm.Action.ASSIGN,
                 OrderStatus.ASSIGNED.value: sm.Action.START_ON_SITE,
                 OrderStatus.ON_SITE.value: sm.Action.COMPLETE}
        action = moves.get(status)
        if action is None:
            return False
        try:
            rig.services.orders.transition(
                actor, order_id, action,
                technician_id=actor.user_id if action is sm.Action.ASSIGN else None)
        except (RuleViolation, StaleEdit, NotFound):
            return False
        return True

    def sell(self, rig: StationRig) -> bool:
        return sell_one(rig)

    def restock(self, rig: StationRig) -> bool:
        try:
            count_stock(rig, self.rnd.randrange(1, 3))
        except RuleViolation:  # another device's count is open here: post it there first
            return False
        return True

    def add_user(self, rig: StationRig) -> bool:
        name = f"tech{self.rnd.randrange(10**6)}"
        try:
            rig.services.users.create_user(login(rig), NewUser(
                name, f"技师{name[-3:]}", Role.TECHNICIAN, PASSWORD))
        except RuleViolation:
            return False
        return True

    def change_password(self, rig: StationRig) -> bool:
        with rig.services.db.read() as s:
            ids = list(s.scalars(select(User.id).where(User.role == Role.TECHNICIAN.value,
                                                       User.active.is_(True))
                                 .order_by(User.id)))
        if not ids:
            return False
        # the same password again: the hash changes (new salt), and every device can log in
        rig.services.users.set_password(login(rig), self.rnd.choice(ids), PASSWORD)
        return True


def converge(rigs: list[StationRig], rounds: int = 4) -> None:
    """Syncs every device in turn until a whole round changes nothing."""
    for _ in range(rounds):
        for rig in rigs:
            rig.sync.sync_now()
    for rig in rigs:
        assert rig.sync.status().pending == 0, f"{rig.root.name} still has changes to send"


def states(rigs: list[StationRig]) -> list[dict[str, Any]]:
    out = []
    for rig in rigs:
        with rig.services.db.read() as s:
            out.append(station_state(s))
    return out


def assert_same_state(rigs: list[StationRig]) -> dict[str, int]:
    """Every device holds the same station state, table by table, field by field."""
    dumps = states(rigs)
    first = dumps[0]
    for rig, other in zip(rigs[1:], dumps[1:], strict=True):
        assert sorted(other) == sorted(first)
        for table in first:
            assert other[table] == first[table], f"{rig.root.name} differs in {table}"
    return {table: len(rows) for table, rows in first.items()}


def assert_each_op_once(rigs: list[StationRig], hq: LiveHq, code: str) -> int:
    """Head office holds every op of every device exactly once."""
    op_ids: list[str] = []
    for rig in rigs:
        with rig.services.db.read() as s:
            op_ids += list(s.scalars(select(OutboxOp.op_id)))
    assert hq.db is not None
    with hq.db.read() as s:
        station_id = s.scalar(select(HqStation.id).where(HqStation.code == code))
        received = list(s.scalars(select(HqReceivedOp.op_id)
                                  .where(HqReceivedOp.station_id == station_id)))
    assert len(received) == len(set(received)), "an op was applied twice"
    assert sorted(received) == sorted(op_ids)
    return len(received)


def open_conflicts(rig: StationRig, kind: str | None = None) -> int:
    with rig.services.db.read() as s:
        stmt = select(func.count()).select_from(SyncConflict)
        if kind:
            stmt = stmt.where(SyncConflict.kind == kind)
        return s.scalar(stmt) or 0
