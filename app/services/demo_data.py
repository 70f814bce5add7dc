"""Fills an empty station with a realistic demo: three users (one per role), about 300
customers with their products, about 1,000 orders in every state over the last 90 days, and
the parts area around them (``app.services.demo_parts``: catalogue, stock, parts on orders,
old parts, counter sales, counts, orders to head office).

Drives the real services with a clock that walks through time, so numbers, SLA times,
audit and outbox are exactly what daily use would write.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.domain.enums import ChargeKind, OrderSource, OrderStatus, OrderType, Role, ServiceMode
from app.domain.errors import RuleViolation
from app.domain.state_machine import Action
from app.services import (
    demo_appointments,
    demo_claims,
    demo_feedback,
    demo_notify,
    demo_payments,
    demo_signatures,
)
from app.services.context import Actor
from app.services.customers import CustomerInput, ProductInput
from app.services.demo_parts import DemoParts
from app.services.demo_visits import DemoVisits
from app.services.order_warnings import Ack
from app.services.orders import ChargeInput, NewOrder
from app.services.warranty_policy import publish_demo_policy

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国红梅志鹏海燕晨晓宇浩然子轩欣怡雨婷俊杰思远佳慧"
DISTRICTS = [
    ("北京市", "海淀区", ["中关村大街", "学院路", "知春路", "北四环西路", "西三环北路"]),
    ("北京市", "朝阳区", ["建国路", "望京街", "朝阳北路", "东三环中路"]),
    ("北京市", "丰台区", ["丰台北路", "南四环西路", "科技园富丰路"]),
    ("北京市", "昌平区", ["回龙观西大街", "天通苑北街", "北清路"]),
]
COMMUNITIES = ["阳光小区", "华清嘉园", "金隅丽景园", "望京花园", "富力城", "龙湖唐宁", "世纪城",
               "远洋山水", "天通苑", "清河小营"]
PRODUCTS = [
    ("KFR-35GW/BP3DN1Y", "空调", ["不制冷", "外机噪音大", "遥控器无反应", "显示E1故障码", "漏水"]),
    ("KFR-72LW/NhZbB1", "柜机空调", ["制热效果差", "开机后自动停机", "室内机异响"]),
    ("BCD-470WDPG", "冰箱", ["冷藏室不凉", "冷冻室结冰严重", "压缩机不停机", "门封条老化"]),
    ("XQG100-14B", "洗衣机", ["不脱水", "进水慢", "显示E21", "滚筒异响", "门锁打不开"]),
    ("EC6002-H", "电热水器", ["不加热", "漏电保护跳闸", "出水温度不稳定"]),
    ("JZT-Q216B", "燃气灶", ["打不着火", "火焰发黄", "熄火保护失灵"]),
    ("CXW-260-E900C15", "油烟机", ["吸力小", "噪音大", "按键失灵"]),
]
STATUS_WEIGHTS = [
    (OrderStatus.RECEIVED, 4), (OrderStatus.ACCEPTED, 4), (OrderStatus.ASSIGNED, 6),
    (OrderStatus.ON_SITE, 5), (OrderStatus.IN_WORKSHOP, 3), (OrderStatus.WAITING_PARTS, 3),
    (OrderStatus.COMPLETED, 10), (OrderStatus.VISITED, 10), (OrderStatus.CLOSED, 50),
    (OrderStatus.CANCELLED, 5),
]
PATHS: dict[OrderStatus, list[Action]] = {
    OrderStatus.RECEIVED: [],
    OrderStatus.ACCEPTED: [Action.ACCEPT],
    OrderStatus.ASSIGNED: [Action.ACCEPT, Action.ASSIGN],
    OrderStatus.ON_SITE: [Action.ACCEPT, Action.ASSIGN, Action.START_ON_SITE],
    OrderStatus.IN_WORKSHOP: [Action.ACCEPT, Action.ASSIGN, Action.START_WORKSHOP],
    OrderStatus.WAITING_PARTS: [Action.ACCEPT, Action.ASSIGN, Action.START_ON_SITE,
                                Action.WAIT_PARTS],
    OrderStatus.COMPLETED: [Action.ACCEPT, Action.ASSIGN, Action.START_ON_SITE, Action.COMPLETE],
    OrderStatus.VISITED: [Action.ACCEPT, Action.ASSIGN, Action.START_ON_SITE, Action.COMPLETE,
                          Action.VISIT],
    OrderStatus.CLOSED: [Action.ACCEPT, Action.ASSIGN, Action.START_ON_SITE, Action.COMPLETE,
                         Action.VISIT, Action.CLOSE],
    OrderStatus.CANCELLED: [Action.ACCEPT, Action.CANCEL],
}


class WalkingClock:
    """A clock the generator moves; services read it as 'now'."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    role: Role
    password: str


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _mobile(rng: random.Random) -> str:
    return rng.choice(["13", "15", "17", "18", "19"]) + f"{rng.randrange(10**9):09d}"


def _address(rng: random.Random) -> str:
    city, district, streets = rng.choice(DISTRICTS)
    return (f"{city}{district}{rng.choice(streets)}{rng.randint(1, 300)}号"
            f"{rng.choice(COMMUNITIES)}{rng.randint(1, 30)}号楼{rng.randint(1, 6)}单元"
            f"{rng.randint(1, 28)}{rng.randint(1, 4):02d}")


def generate(
    services,  # app.bootstrap.Services built with ``clock``
    clock: WalkingClock,
    customers: int = 300,
    orders: int = 1000,
    seed: int = 7,
    progress: Callable[[int, int], None] | None = None,
) -> list[DemoAccount]:
    """Fills the station; returns the accounts with their (random) passwords."""
    from app.services.users import NewStation, NewUser

    if not services.users.needs_setup():
        raise RuleViolation("This data folder already holds a station; use an empty folder.")
    rng = random.Random(seed)
    end = clock.now
    clock.now = end - timedelta(days=90)
    accounts = [
        DemoAccount("zhanzhang", "张建国", Role.MANAGER, secrets.token_urlsafe(9)),
        DemoAccount("xinxiyuan", "李晓燕", Role.CLERK, secrets.token_urlsafe(9)),
        DemoAccount("gongchengshi", "王师傅", Role.TECHNICIAN, secrets.token_urlsafe(9)),
    ]
    manager = accounts[0]
    services.users.set_up_station(
        NewStation("BJ001", "北京海淀特约维修站", "北京市海淀区中关村大街27号", "010-62345678"),
        NewUser(manager.username, manager.display_name, Role.MANAGER, manager.password),
    )
    boss = services.users.login(manager.username, manager.password)
    # the warranty policy is in force before any order: in-warranty work is the maker's
    publish_demo_policy(services.policy, boss)
    for acc in accounts[1:]:
        services.users.create_user(boss, NewUser(acc.username, acc.display_name, acc.role,
                                                 acc.password))
    clerk = services.users.login(accounts[1].username, accounts[1].password)
    tech = services.users.login(accounts[2].username, accounts[2].password)
    workers = [tech, boss]
    parts = DemoParts(services, clock, seed=seed, orders=orders, boss=boss, clerk=clerk,
                      tech=tech, end=end)
    parts.setup()
    visits = DemoVisits(services, clock, seed=seed, clerk=clerk, end=end)
    clock.now = end - timedelta(days=90)

    customer_ids: list[tuple[str, str, str | None, str]] = []
    for i in range(customers):
        phones = (_mobile(rng),) if rng.random() < 0.8 else (_mobile(rng), _landline(rng))
        c = services.customers.create(
            clerk, CustomerInput(_name(rng), phones, _address(rng),
                                 "老客户,需提前电话联系" if rng.random() < 0.1 else ""),
        )
        model, _kind, _faults = rng.choice(PRODUCTS)
        bought = (clock.now - timedelta(days=rng.randint(1, 1400))).date()
        p = services.customers.add_product(
            clerk, c.id, ProductInput(model, f"SN{rng.randrange(10**10):010d}", bought,
                                      f"FP{rng.randrange(10**8):08d}", rng.choice((12, 24, 36))),
        )
        customer_ids.append((c.id, phones[0], p.id, model))
        if progress:
            progress(i + 1, customers + orders)

    span = (end - clock.now) - timedelta(hours=6)
    starts = sorted(clock.now + span * rng.random() for _ in range(orders))
    faults_of = {model: faults for model, _kind, faults in PRODUCTS}
    for i, start in enumerate(starts):
        parts.tick(start)
        customer_id, phone, product_id, owned = rng.choice(customer_ids)
        faults = faults_of[owned]  # the fault of the product the customer owns
        order = services.orders.create(
            clerk,
            NewOrder(
                order_type=rng.choices(list(OrderType), weights=[70, 10, 10, 5, 5])[0],
                source=rng.choices(list(OrderSource), weights=[40, 45, 15])[0],
                service_mode=rng.choices(list(ServiceMode), weights=[80, 15, 5])[0],
                fault_description=rng.choice(faults),
                contact_phone=phone,
                customer_id=customer_id,
                product_id=product_id,
            ),
            # a customer may call again while an order is open: the clerk goes on
            acknowledged=Ack("演示数据:客户再次来电"),
        )
        target = rng.choices([s for s, _ in STATUS_WEIGHTS], [w for _, w in STATUS_WEIGHTS])[0]
        worker = rng.choice(workers)
        _walk(services, clock, rng, order.id, target, clerk, boss, worker, end, parts, visits)
        if progress:
            progress(customers + i + 1, customers + orders)
    parts.finish()
    visits.finish()
    demo_claims.generate(services, clock, boss=boss, clerk=clerk, tech=tech, end=end, seed=seed)
    demo_feedback.generate(services, clock, boss=boss, clerk=clerk, tech=tech, end=end,
                           seed=seed)
    demo_payments.generate(services, clock, clerk=clerk, boss=boss, tech=tech, end=end,
                           seed=seed)
    demo_appointments.generate(services, clock, boss=boss, clerk=clerk, end=end, seed=seed)
    demo_notify.generate(services, end=end, seed=seed)
    demo_signatures.generate(services, clock, clerk=clerk, boss=boss, tech=tech, end=end, seed=seed)
    clock.now = end
    return accounts


def _walk(services, clock, rng, order_id, target, clerk: Actor, boss: Actor, worker: Actor,
          end: datetime, parts: DemoParts, visits: DemoVisits) -> None:
    for action in PATHS[target]:
        step = {
            Action.ACCEPT: timedelta(minutes=rng.choice((5, 10, 20, 25, 40))),
            Action.START_ON_SITE: timedelta(hours=rng.uniform(2, 30)),
            Action.START_WORKSHOP: timedelta(hours=rng.uniform(2, 30)),
            Action.COMPLETE: timedelta(hours=rng.uniform(1, 30)),
        }.get(action, timedelta(minutes=rng.randint(5, 600)))
        if clock.now + step >= end:
            return  # recent orders stay where they are: that is what overdue looks like
        clock.now += step
        actor = clerk
        kwargs: dict = {}
        if action in (Action.START_ON_SITE, Action.START_WORKSHOP, Action.WAIT_PARTS,
                      Action.COMPLETE):
            actor = worker
        if action is Action.ASSIGN:
            kwargs["technician_id"] = worker.user_id
        if action is Action.CANCEL:
            actor = boss
            kwargs["reason"] = rng.choice(["用户自行解决", "重复报修", "用户已购新机"])
        if action is Action.VISIT:
            # the customer's mood as the demo always drew it; four scores around it
            visits.visit(order_id, rng.choices([5, 4, 3, 2], [60, 30, 8, 2])[0])
            continue
        if action is Action.COMPLETE:
            # issues the parts the repair took from stock; its detail is the order after that
            repair = parts.repair(services.orders.detail(order_id, actor), actor)
            detail = repair.detail
            services.orders.add_repair_record(actor, order_id, repair.diagnosis, repair.action,
                                              rng.choice((30, 45, 60, 90)))
            # the part lines stay as issuing wrote them; the editor adds the rest
            lines: list[ChargeInput] = [c for c in detail.charges if c.part_id is not None]
            lines.append(ChargeInput(ChargeKind.LABOUR, "维修工时费", 1, rng.choice((5000, 8000))))
            if not repair.issued and rng.random() < 0.3:
                lines.append(ChargeInput(ChargeKind.PARTS, "辅材（扎带、胶布、密封胶）", 1, 1500))
            if rng.random() < 0.5:
                lines.append(ChargeInput(ChargeKind.TRAVEL, "上门费", 1, 3000))
            services.orders.set_charges(actor, order_id, lines, detail.revision)
        services.orders.transition(actor, order_id, action, **kwargs)
        if action is Action.WAIT_PARTS:
            parts.wait_for_parts(order_id, actor)


def _landline(rng: random.Random) -> str:
    return f"010-{rng.randint(2, 8)}{rng.randrange(10**7):07d}"


def default_start() -> datetime:
    return datetime.now(UTC)


